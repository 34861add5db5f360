/* out.c - checked, atomically replaced output; see out.h */
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

/* Temporary files a signal must not leave behind.  A handler gets no
 * context, so this small table is process-wide state: the one exception
 * beside mem.c's test countdown, and touched only by open, close and the
 * handler (which only reads it and calls unlink, async-signal-safe). */
#define LIVE_MAX 16
static char *volatile live_tmp[LIVE_MAX];
static volatile sig_atomic_t handlers_set;

static void on_fatal_signal(int sig)
{
	for (int i = 0; i < LIVE_MAX; i++)
		if (live_tmp[i])
			unlink(live_tmp[i]);
	signal(sig, SIG_DFL);
	raise(sig); /* dies by the signal: the shell shows 128 + sig */
}

static void live_add(char *path)
{
	if (!handlers_set) {
		static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
		for (int i = 0; i < 3; i++) {
			struct sigaction old;
			/* A signal ignored on entry (nohup, a background job of
			 * a script) stays ignored, as in other Unix tools. */
			if (sigaction(sigs[i], NULL, &old) == 0 &&
			    old.sa_handler != SIG_IGN)
				signal(sigs[i], on_fatal_signal);
		}
		handlers_set = 1;
	}
	for (int i = 0; i < LIVE_MAX; i++)
		if (!live_tmp[i]) {
			live_tmp[i] = path;
			return;
		}
}

static void live_remove(const char *path)
{
	for (int i = 0; i < LIVE_MAX; i++)
		if (live_tmp[i] == path)
			live_tmp[i] = NULL;
}

static const char *out_name(const struct hc_out *o)
{
	return o->path ? o->path : o->fd == 2 ? "stderr" : "stdout";
}

/* ".NAME.XXXXXX" beside path, so rename() stays within one file system. */
static char *tmp_path_for(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	const char *base = path + dirlen;
	size_t n = dirlen + 1 + strlen(base) + 8;
	char *t = hc_malloc(n);

	if (!t)
		return NULL;
	snprintf(t, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	return t;
}

static int open_tmp(struct hc_out *o, struct hc_err *err)
{
	mode_t mask;

	o->tmp_path = tmp_path_for(o->target ? o->target : o->path);
	if (!o->tmp_path)
		return hc_err_nomem(err);
	o->fd = mkstemp(o->tmp_path);
	if (o->fd < 0) {
		int e = errno;
		hc_free(o->tmp_path);
		o->tmp_path = NULL;
		return hc_err_errno(err, HC_ERR_IO, e, "%s: cannot create",
				    o->path);
	}
	/* mkstemp makes 0600; give the file the mode a plain open() would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(o->fd, 0666 & ~mask) != 0) {
		int e = errno;
		close(o->fd);
		unlink(o->tmp_path);
		return hc_err_errno(err, HC_ERR_IO, e, "%s: cannot set mode",
				    o->path);
	}
	live_add(o->tmp_path);
	return 0;
}

/* A symbolic link to a regular file: the temporary file goes beside the
 * file it leads to, and replaces that. */
static int follow_link(struct hc_out *o, struct hc_err *err)
{
	struct stat st;
	char *real;

	if (lstat(o->path, &st) != 0 || !S_ISLNK(st.st_mode))
		return 0;
	real = realpath(o->path, NULL);
	if (!real)
		return hc_err_errno(err, HC_ERR_IO, errno, "%s: cannot resolve",
				    o->path);
	o->target = hc_strdup(real);
	free(real);
	return o->target ? 0 : hc_err_nomem(err);
}

/* A path that exists and is not a regular file (a device such as
 * /dev/null, a FIFO) is written in place: renaming a temporary file over
 * it would replace the device, not write to it.  So is anything under
 * /dev/ and /proc/: /dev/stdout is a symbolic link to /proc/self/fd/1,
 * which may well lead to a regular file (the shell's redirection), and a
 * rename would replace the link itself.  Other symbolic links are
 * followed: the file they lead to is replaced, the link stays. */
static int open_special(struct hc_out *o, struct hc_err *err)
{
	struct stat st;
	int in_place = strncmp(o->path, "/dev/", 5) == 0 ||
		       strncmp(o->path, "/proc/", 6) == 0;

	if (stat(o->path, &st) != 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return hc_err_set(err, HC_ERR_IO, "%s: is a directory", o->path);
	if (S_ISREG(st.st_mode) && !in_place)
		return follow_link(o, err);
	o->fd = open(o->path, O_WRONLY | O_CLOEXEC | (S_ISREG(st.st_mode) ? O_TRUNC : 0));
	if (o->fd < 0)
		return hc_err_errno(err, HC_ERR_IO, errno, "%s: cannot open",
				    o->path);
	o->special = 1;
	return 1;
}

struct hc_out *hc_out_open(const char *path, struct hc_err *err)
{
	struct hc_out *o = hc_calloc(1, sizeof(*o));
	int special;

	if (!o) {
		hc_err_nomem(err);
		return NULL;
	}
	o->fd = 1;
	o->buf = hc_malloc(HC_OUT_BUFSZ);
	if (!o->buf)
		goto nomem;
	if (path && strcmp(path, "-") != 0) {
		o->path = hc_strdup(path);
		if (!o->path)
			goto nomem;
		special = open_special(o, err);
		if (special < 0 || (!special && open_tmp(o, err) != 0))
			goto free_o;
	}
	return o;
nomem:
	hc_err_nomem(err);
free_o:
	hc_free(o->tmp_path);
	hc_free(o->path);
	hc_free(o->target);
	hc_free(o->buf);
	hc_free(o);
	return NULL;
}

struct hc_out *hc_out_open_stderr(struct hc_err *err)
{
	struct hc_out *o = hc_out_open(NULL, err);

	if (o)
		o->fd = 2;
	return o;
}

static int write_all(struct hc_out *o, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			o->failed = 1;
			if (errno == EPIPE)
				return hc_err_set(&o->err, HC_ERR_PIPE,
						  "%s: reader closed the pipe",
						  out_name(o));
			return hc_err_errno(&o->err, HC_ERR_IO, errno,
					    "%s: write failed", out_name(o));
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int hc_out_flush(struct hc_out *o)
{
	if (o->failed)
		return -1;
	if (o->len && write_all(o, o->buf, o->len) != 0)
		return -1;
	o->len = 0;
	return 0;
}

int hc_out_patch(struct hc_out *o, uint64_t off, const void *p, size_t n)
{
	if (hc_out_flush(o) != 0)
		return -1;
	while (n > 0) {
		ssize_t w = pwrite(o->fd, p, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->failed = 1;
			return hc_err_errno(&o->err, HC_ERR_IO, w < 0 ? errno : EIO,
					    "%s: write failed", out_name(o));
		}
		p = (const char *)p + w;
		off += (uint64_t)w;
		n -= (size_t)w;
	}
	return 0;
}

int hc_out_write_slow(struct hc_out *o, const void *p, size_t n)
{
	if (o->failed || hc_out_flush(o) != 0)
		return -1;
	if (n >= HC_OUT_BUFSZ)
		return write_all(o, p, n);
	memcpy(o->buf, p, n);
	o->len = n;
	return 0;
}

int hc_out_puts(struct hc_out *o, const char *s)
{
	return hc_out_write(o, s, strlen(s));
}

int hc_out_printf(struct hc_out *o, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;
	char *big;
	int rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return hc_err_set(&o->err, HC_ERR_IO, "output formatting failed");
	if ((size_t)n < sizeof(small))
		return hc_out_write(o, small, (size_t)n);
	big = hc_malloc((size_t)n + 1);
	if (!big) {
		o->failed = 1;
		return hc_err_nomem(&o->err);
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = hc_out_write(o, big, (size_t)n);
	hc_free(big);
	return rc;
}

int hc_out_u64(struct hc_out *o, uint64_t v)
{
	char tmp[20];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return hc_out_write(o, tmp + i, sizeof(tmp) - (size_t)i);
}

int hc_out_float(struct hc_out *o, float v)
{
	char tmp[32];
	int n;

	/* Integers (the common label and count case) print without %g. */
	/* Range first: casting a float outside int32_t (or inf, nan) is
	 * undefined behaviour. */
	if (v > -1e7f && v < 1e7f && v == (float)(int32_t)v) {
		if (v < 0 || (v == 0 && signbit(v))) {
			if (v == 0)
				return hc_out_write(o, "-0", 2);
			if (hc_out_putc(o, '-') != 0)
				return -1;
			return hc_out_u64(o, (uint64_t)(-(int64_t)v));
		}
		return hc_out_u64(o, (uint64_t)v);
	}
	/* Shortest of %.6g .. %.9g that reads back exactly: stable text. */
	for (int prec = 6; prec <= 9; prec++) {
		n = snprintf(tmp, sizeof(tmp), "%.*g", prec, (double)v);
		if (prec == 9 || strtof(tmp, NULL) == v)
			break;
	}
	return hc_out_write(o, tmp, (size_t)n);
}

int hc_out_close(struct hc_out *o, struct hc_err *err)
{
	int rc = 0;

	if (hc_out_flush(o) != 0) {
		if (err)
			*err = o->err;
		hc_out_abort(o);
		return -1;
	}
	if (o->special) {
		if (close(o->fd) != 0)
			rc = hc_err_errno(err, HC_ERR_IO, errno, "%s: write failed",
					  o->path);
	} else if (o->path) {
		live_remove(o->tmp_path);
		if (close(o->fd) != 0) {
			rc = hc_err_errno(err, HC_ERR_IO, errno,
					  "%s: write failed", o->path);
			unlink(o->tmp_path);
		} else if (rename(o->tmp_path, o->target ? o->target : o->path) != 0) {
			rc = hc_err_errno(err, HC_ERR_IO, errno,
					  "%s: cannot rename into place",
					  o->path);
			unlink(o->tmp_path);
		}
	}
	hc_free(o->tmp_path);
	hc_free(o->path);
	hc_free(o->target);
	hc_free(o->buf);
	hc_free(o);
	return rc;
}

void hc_out_abort(struct hc_out *o)
{
	if (!o)
		return;
	if (o->special) {
		close(o->fd);
	} else if (o->path) {
		live_remove(o->tmp_path);
		close(o->fd);
		unlink(o->tmp_path);
	}
	hc_free(o->tmp_path);
	hc_free(o->path);
	hc_free(o->target);
	hc_free(o->buf);
	hc_free(o);
}
