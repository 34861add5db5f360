/* fuzz.c - the fuzz targets' input helpers; see fuzz.h */
#define _GNU_SOURCE
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* Enough pieces to cut fields and quotes in odd places; few enough to fit
 * the socket's send buffer (each message costs about 1 KiB of it). */
#define FZ_MAX_PIECES 128

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fz_memfile(struct fz_input *in, const uint8_t *data, size_t size)
{
	in->saved_in = -1;
	in->fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (in->fd < 0)
		return -1;
	if (write_all(in->fd, data, size) != 0) {
		close(in->fd);
		return -1;
	}
	snprintf(in->path, sizeof(in->path), "/proc/self/fd/%d", in->fd);
	return 0;
}

int fz_stdin(struct fz_input *in, const uint8_t *data, size_t size,
	     size_t piece)
{
	int sv[2];

	in->fd = -1;
	in->saved_in = -1;
	if (piece == 0)
		piece = 1;
	if (piece < size / FZ_MAX_PIECES + 1)
		piece = size / FZ_MAX_PIECES + 1;
	if (size > 65536 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	for (size_t off = 0; off < size; off += piece) {
		size_t n = size - off < piece ? size - off : piece;
		if (send(sv[1], data + off, n, MSG_DONTWAIT) != (ssize_t)n) {
			close(sv[0]);
			close(sv[1]);
			return -1;
		}
	}
	close(sv[1]); /* the reader sees end of input after the last piece */
	in->saved_in = dup(0);
	if (in->saved_in < 0 || dup2(sv[0], 0) < 0) {
		if (in->saved_in >= 0)
			close(in->saved_in);
		in->saved_in = -1;
		close(sv[0]);
		return -1;
	}
	close(sv[0]);
	snprintf(in->path, sizeof(in->path), "-");
	return 0;
}

void fz_done(struct fz_input *in)
{
	if (in->fd >= 0)
		close(in->fd);
	if (in->saved_in >= 0) {
		dup2(in->saved_in, 0);
		close(in->saved_in);
	}
	in->fd = in->saved_in = -1;
}

void fz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}
