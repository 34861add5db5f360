/* out.h - buffered, checked output to stdout or to a file replaced atomically
 *
 * With a path, output goes to a temporary file in the same folder
 * (".NAME.XXXXXX") that hc_out_close renames over the path only when all of
 * it was written, so a failed run leaves no partial file and never clobbers
 * an existing one.  A path that exists and is not a regular file (a device,
 * a FIFO), and any path under /dev/ or /proc/ (/dev/stdout), is written in
 * place instead; a symbolic link is followed (the file it leads to is
 * replaced, the link stays).  Every write is checked: a full disk is an error
 * (HC_ERR_IO), a reader that went away (EPIPE: `| head`) is HC_ERR_PIPE, which
 * cmd/ turns into a quiet exit 0.  SIGPIPE must be ignored (cmd/hicard.c
 * does) for EPIPE to be seen.
 *
 * Ownership: hc_out_open returns an object the caller ends with exactly one
 * of hc_out_close (commit) or hc_out_abort (discard).
 */
#ifndef HC_OUT_H
#define HC_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

/* Output buffer size: large writes keep syscall cost below 1% at 1 GB/s. */
#define HC_OUT_BUFSZ (1u << 20)

struct hc_out {
	int fd;
	char *buf;
	size_t len;
	char *path;     /* final path; NULL for stdout */
	char *tmp_path; /* temporary file renamed to path on close */
	char *target;   /* path is a symbolic link: the file it leads to */
	int special;    /* path is a device or FIFO: written in place */
	int failed;     /* a write failed: later writes do nothing */
	struct hc_err err;
};

/* Opens path, or stdout when path is NULL or "-".  NULL on failure. */
struct hc_out *hc_out_open(const char *path, struct hc_err *err);
/* Buffered, checked output to stderr, for reports beside the data on
 * stdout (never "/dev/stderr", which may name a regular file that a
 * rename would replace). */
struct hc_out *hc_out_open_stderr(struct hc_err *err);

/* Slow path of hc_out_write; not for direct use. */
int hc_out_write_slow(struct hc_out *o, const void *p, size_t n);
/* Writes the buffer out.  0, or -1 with o->err set. */
int hc_out_flush(struct hc_out *o);

/* Whether bytes already written can be rewritten (hc_out_patch): output
 * to a temporary file, renamed at close. */
static inline int hc_out_seekable(const struct hc_out *o)
{
	return o->tmp_path != NULL;
}
/* Rewrites n bytes at offset off of what was written (all of it written
 * out first), for a header whose length is known only at the end.  Only
 * where hc_out_seekable.  0, or -1 with o->err set. */
int hc_out_patch(struct hc_out *o, uint64_t off, const void *p, size_t n);

/* 0, or -1 with o->err set (and every later call returning -1). */
static inline int hc_out_write(struct hc_out *o, const void *p, size_t n)
{
	if (o->len + n <= HC_OUT_BUFSZ && !o->failed) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		return 0;
	}
	return hc_out_write_slow(o, p, n);
}

static inline int hc_out_putc(struct hc_out *o, char c)
{
	if (o->len < HC_OUT_BUFSZ && !o->failed) {
		o->buf[o->len++] = c;
		return 0;
	}
	return hc_out_write_slow(o, &c, 1);
}

int hc_out_puts(struct hc_out *o, const char *s);
int hc_out_printf(struct hc_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Decimal forms, without printf's cost on hot paths. */
int hc_out_u64(struct hc_out *o, uint64_t v);
/* Shortest "%.9g"-style text that reads back to the same float. */
int hc_out_float(struct hc_out *o, float v);

/* Flushes, closes and renames into place.  Frees o in every case.  0, or -1
 * with err set (the temporary file is removed). */
int hc_out_close(struct hc_out *o, struct hc_err *err);
/* Discards: removes the temporary file, frees o.  NULL is allowed. */
void hc_out_abort(struct hc_out *o);

#endif
