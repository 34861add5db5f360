/* spill.c - a scratch file written once and read back once (spill.h)
 *
 * Buffered by hand rather than with stdio: every error then carries the
 * folder and errno, and a short read is an error, not a silent end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/mem.h"
#include "lib/spill.h"

#define SPILL_BUFSZ (1u << 20)

struct hc_spill {
	int fd;
	const char *dir;
	char *buf;
	size_t len, pos;  /* writing: bytes buffered; reading: filled, next */
	uint64_t bytes;
};

static int fail(struct hc_spill *s, int e, const char *what,
		struct hc_err *err)
{
	return hc_err_errno(err, HC_ERR_IO, e, "scratch file in %s: cannot %s",
			    s->dir, what);
}

struct hc_spill *hc_spill_open(struct hc_err *err)
{
	struct hc_spill *s = hc_calloc(1, sizeof(*s));
	const char *dir = getenv("TMPDIR");
	char *path;
	size_t n;

	if (!dir || !*dir)
		dir = "/tmp";
	n = strlen(dir) + sizeof("/hicard-spill.XXXXXX");
	if (!s || !(path = hc_malloc(n))) {
		hc_free(s);
		hc_err_nomem(err);
		return NULL;
	}
	snprintf(path, n, "%s/hicard-spill.XXXXXX", dir);
	s->dir = dir;
	s->fd = mkstemp(path);
	if (s->fd < 0) {
		fail(s, errno, "create", err);
		hc_free(path);
		hc_free(s);
		return NULL;
	}
	unlink(path);
	hc_free(path);
	if (!(s->buf = hc_malloc(SPILL_BUFSZ))) {
		hc_spill_close(s);
		hc_err_nomem(err);
		return NULL;
	}
	return s;
}

static int flush(struct hc_spill *s, struct hc_err *err)
{
	size_t done = 0;

	while (done < s->len) {
		ssize_t w = write(s->fd, s->buf + done, s->len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fail(s, w < 0 ? errno : ENOSPC, "write", err);
		done += (size_t)w;
	}
	s->len = 0;
	return 0;
}

int hc_spill_write(struct hc_spill *s, const void *p, size_t n,
		   struct hc_err *err)
{
	const char *c = p;

	s->bytes += n;
	while (n) {
		size_t m = SPILL_BUFSZ - s->len < n ? SPILL_BUFSZ - s->len : n;

		memcpy(s->buf + s->len, c, m);
		s->len += m;
		c += m;
		n -= m;
		if (s->len == SPILL_BUFSZ && flush(s, err) != 0)
			return -1;
	}
	return 0;
}

int hc_spill_rewind(struct hc_spill *s, struct hc_err *err)
{
	if (flush(s, err) != 0)
		return -1;
	if (lseek(s->fd, 0, SEEK_SET) != 0)
		return fail(s, errno, "seek", err);
	s->len = s->pos = 0;
	return 0;
}

int hc_spill_read(struct hc_spill *s, void *p, size_t n, struct hc_err *err)
{
	char *c = p;

	while (n) {
		size_t m;

		if (s->pos == s->len) {
			ssize_t r = read(s->fd, s->buf, SPILL_BUFSZ);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return fail(s, errno, "read", err);
			if (r == 0)
				return hc_err_set(err, HC_ERR_IO, "scratch file in %s: ended early", s->dir);
			s->len = (size_t)r;
			s->pos = 0;
		}
		m = s->len - s->pos < n ? s->len - s->pos : n;
		memcpy(c, s->buf + s->pos, m);
		s->pos += m;
		c += m;
		n -= m;
	}
	return 0;
}

uint64_t hc_spill_bytes(const struct hc_spill *s)
{
	return s->bytes;
}

void hc_spill_close(struct hc_spill *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	hc_free(s->buf);
	hc_free(s);
}
