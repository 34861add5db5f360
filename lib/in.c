/* in.c - checked reading from a file or stdin; see in.h */
#include "in.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

struct hc_in *hc_in_open(const char *path, struct hc_err *err)
{
	struct hc_in *in = hc_calloc(1, sizeof(*in));
	struct stat st;
	int is_stdin = !path || strcmp(path, "-") == 0;

	if (!in) {
		hc_err_nomem(err);
		return NULL;
	}
	in->name = hc_strdup(is_stdin ? "stdin" : path);
	if (!in->name) {
		hc_free(in);
		hc_err_nomem(err);
		return NULL;
	}
	if (is_stdin) {
		in->fd = 0;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			hc_err_errno(err, HC_ERR_IO, errno, "%s: cannot open",
				     path);
			hc_free(in->name);
			hc_free(in);
			return NULL;
		}
	}
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			hc_err_set(err, HC_ERR_IO, "%s: is a directory",
				   in->name);
			hc_in_close(in);
			return NULL;
		}
		if (S_ISREG(st.st_mode))
			in->size = (uint64_t)st.st_size;
	}
	return in;
}

ssize_t hc_in_read(struct hc_in *in, void *buf, size_t cap,
		   struct hc_err *err)
{
	for (;;) {
		ssize_t n = read(in->fd, buf, cap);
		if (n >= 0) {
			in->pos += (uint64_t)n;
			return n;
		}
		if (errno != EINTR)
			return hc_err_errno(err, HC_ERR_IO, errno,
					    "%s: read failed", in->name);
	}
}

ssize_t hc_in_read_full(struct hc_in *in, void *buf, size_t n,
			struct hc_err *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = hc_in_read(in, (char *)buf + got, n - got, err);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

void hc_in_close(struct hc_in *in)
{
	if (!in)
		return;
	if (in->fd > 2)
		close(in->fd);
	hc_free(in->name);
	hc_free(in);
}
