/* statefile.c - checksummed state containers; see statefile.h */
#include "statefile.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "crc32c.h"
#include "in.h"
#include "mem.h"

/* First buffer for a payload read from a pipe; it doubles from there. */
#define PIPE_STEP ((size_t)1 << 20)

/* The container's first 20 bytes: magic, version, payload length. */
static void put_head(unsigned char h[20], const char magic[8], uint32_t version,
		     uint64_t len)
{
	memcpy(h, magic, 8);
	for (int i = 0; i < 4; i++)
		h[8 + i] = (unsigned char)(version >> (8 * i));
	for (int i = 0; i < 8; i++)
		h[12 + i] = (unsigned char)(len >> (8 * i));
}

static int put_crc(struct hc_out *out, uint32_t crc)
{
	unsigned char c[4] = {(unsigned char)crc, (unsigned char)(crc >> 8),
			      (unsigned char)(crc >> 16), (unsigned char)(crc >> 24)};

	return hc_out_write(out, c, 4);
}

int hc_statefile_write(struct hc_out *out, const char magic[8],
		       uint32_t version, const struct hc_buf *payload,
		       struct hc_err *err)
{
	unsigned char h[20];

	if (payload->failed)
		return hc_err_nomem(err);
	put_head(h, magic, version, payload->len);
	if (hc_out_write(out, h, sizeof(h)) != 0 ||
	    hc_out_write(out, payload->data, payload->len) != 0 ||
	    put_crc(out, hc_crc32c(0, payload->data, payload->len)) != 0) {
		*err = out->err;
		return -1;
	}
	return 0;
}

/* The sink of a payload written as it is made. */
struct payload_sink {
	struct hc_out *out;
	uint32_t crc;
	uint64_t len;
};

static int sink_to_out(struct hc_buf *b, void *ctx)
{
	struct payload_sink *s = ctx;

	s->crc = hc_crc32c(s->crc, b->data, b->len);
	s->len += b->len;
	return hc_out_write(s->out, b->data, b->len);
}

int hc_statefile_write_with(struct hc_out *out, const char magic[8],
			    uint32_t version,
			    int (*fill)(struct hc_buf *b, void *arg),
			    void *arg, struct hc_err *err)
{
	struct payload_sink s = {.out = out};
	unsigned char h[20];
	struct hc_buf b;
	int rc;

	hc_buf_init(&b);
	if (!hc_out_seekable(out)) {
		rc = fill(&b, arg) != 0 ? hc_err_nomem(err)
					: hc_statefile_write(out, magic, version, &b, err);
		hc_buf_release(&b);
		return rc;
	}
	put_head(h, magic, version, 0);
	b.sink = sink_to_out;
	b.sink_ctx = &s;
	rc = hc_out_write(out, h, sizeof(h)) != 0 || fill(&b, arg) != 0 ||
	     (b.len && sink_to_out(&b, &s) != 0) || put_crc(out, s.crc) != 0;
	if (!rc) {
		put_head(h, magic, version, s.len);
		rc = hc_out_patch(out, 12, h + 12, 8) != 0;
	}
	hc_buf_release(&b);
	if (rc) {
		/* the sink failed on a write, or the buffer on memory */
		if (out->failed)
			*err = out->err;
		else
			hc_err_nomem(err);
		return -1;
	}
	return 0;
}

/* Reads up to l payload bytes into *d.  From a pipe the length is only a
 * claim (a regular file's size was checked against it): the buffer grows
 * as bytes arrive, so a corrupted length cannot make a short input
 * allocate gigabytes.  Returns the count read (fewer than l only at end of
 * input), -1 on a read error (err set), -2 when out of memory. */
static ssize_t read_payload(struct hc_in *in, unsigned char **d, uint64_t l,
			    struct hc_err *err)
{
	size_t cap = in->size || l < PIPE_STEP ? (size_t)l : PIPE_STEP;
	size_t got = 0;

	if (!(*d = hc_malloc(cap ? cap : 1)))
		return -2;
	for (;;) {
		unsigned char *bigger;
		ssize_t n = hc_in_read_full(in, *d + got, cap - got, err);

		if (n < 0)
			return -1;
		got += (size_t)n;
		if (got < cap || got == l)
			return (ssize_t)got;
		cap = l - cap < cap ? (size_t)l : cap * 2;
		if (!(bigger = hc_realloc(*d, cap)))
			return -2;
		*d = bigger;
	}
}

/* The container's head: magic, a version from lo to hi, a payload length
 * the input can hold.  0, or -1 with err set. */
static int read_head(struct hc_in *in, const char magic[8], uint32_t lo,
		     uint32_t hi, const char *what, uint32_t *version,
		     uint64_t *l, struct hc_err *err)
{
	unsigned char pre[20];
	struct hc_cursor c;
	ssize_t n = hc_in_read_full(in, pre, sizeof(pre), err);

	if (n < 0)
		return -1;
	if (n < 8 || memcmp(pre, magic, 8) != 0)
		return hc_err_set(err, HC_ERR_DATA, "%s: not a %s file", in->name, what);
	hc_cursor_init(&c, pre + 8, (size_t)n - 8);
	if (hc_get_u32(&c, version) != 0 || hc_get_u64(&c, l) != 0)
		return hc_err_set(err, HC_ERR_DATA, "%s: truncated", in->name);
	if (*version < lo || *version > hi)
		return hc_err_set(err, HC_ERR_DATA, "%s: %s version %u is not supported (this hicard reads version %u)",
				  in->name, what, *version, hi);
	if (*l > HC_STATE_MAX || (in->size && *l + 24 != in->size))
		return hc_err_set(err, HC_ERR_DATA, "%s: %s", in->name,
				  in->size && *l + 24 > in->size ? "truncated"
								 : "length does not match the file (corrupted file)");
	return 0;
}

/* After the whole payload, whose checksum is crc: the stored checksum and
 * nothing else. */
static int check_tail(struct hc_in *in, uint32_t crc, struct hc_err *err)
{
	unsigned char tail[5];
	ssize_t n = hc_in_read_full(in, tail, sizeof(tail), err);

	if (n < 0)
		return -1;
	if (n != 4)
		return hc_err_set(err, HC_ERR_DATA, "%s: %s", in->name,
				  n < 4 ? "truncated" : "data after the end (corrupted file)");
	if (crc != ((uint32_t)tail[0] | (uint32_t)tail[1] << 8 |
		    (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24))
		return hc_err_set(err, HC_ERR_DATA, "%s: checksum mismatch (corrupted file)",
				  in->name);
	return 0;
}

/* The payload of length l whole into *d (hc_free), checked. */
static int read_whole(struct hc_in *in, uint64_t l, unsigned char **d,
		      struct hc_err *err)
{
	ssize_t n = read_payload(in, d, l, err);

	if (n == -2)
		return hc_err_nomem(err);
	if (n < 0)
		return -1;
	if ((uint64_t)n != l)
		return hc_err_set(err, HC_ERR_DATA, "%s: truncated", in->name);
	return check_tail(in, hc_crc32c(0, *d, (size_t)l), err);
}

int hc_statefile_read(const char *path, const char magic[8],
		      uint32_t version, const char *what,
		      unsigned char **data, size_t *len, struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	unsigned char *d = NULL;
	uint32_t v;
	uint64_t l;

	if (!in)
		return -1;
	if (read_head(in, magic, version, version, what, &v, &l, err) != 0 ||
	    read_whole(in, l, &d, err) != 0) {
		hc_free(d);
		hc_in_close(in);
		return -1;
	}
	hc_in_close(in);
	*data = d;
	*len = (size_t)l;
	return 0;
}

/* ---- decoding as it is read ---------------------------------------------- */

static struct hc_state_reader *reader_of(struct hc_cursor *c)
{
	return (struct hc_state_reader *)((char *)c -
					  offsetof(struct hc_state_reader, cur));
}

/* hc_cursor_src's fill: moves the window's bytes to the buffer's start
 * and reads after them as much as the buffer holds, growing it when one
 * field needs more.  A file that ends early (it shrank while read) ends
 * the payload there: the decoder finds it truncated, and so does
 * hc_statefile_finish. */
static int reader_fill(struct hc_cursor *c, size_t n)
{
	struct hc_state_reader *r = reader_of(c);
	size_t have = hc_cursor_window(c), room;
	ssize_t got;

	if (n > have + r->src.unread)
		n = have + (size_t)r->src.unread;
	if (have && c->p != r->buf)
		memmove(r->buf, c->p, have);
	if (n > r->cap) {
		unsigned char *bigger = hc_realloc(r->buf, n);

		if (!bigger) {
			r->failed = 1;
			hc_err_nomem(&r->read_err);
			return -1;
		}
		r->buf = bigger;
		r->cap = n;
	}
	room = r->cap - have;
	if (room > r->src.unread)
		room = (size_t)r->src.unread;
	got = hc_in_read_full(r->in, r->buf + have, room, &r->read_err);
	if (got < 0) {
		r->failed = 1;
		return -1;
	}
	r->crc = hc_crc32c(r->crc, r->buf + have, (size_t)got);
	r->src.unread = (size_t)got < room ? 0 : r->src.unread - room;
	if ((size_t)got < room)
		r->short_read = 1;
	c->p = r->buf;
	c->end = r->buf + have + (size_t)got;
	return 0;
}

int hc_statefile_open(struct hc_state_reader *r, const char *path,
		      const char magic[8], uint32_t min_version,
		      uint32_t max_version, const char *what,
		      struct hc_err *err)
{
	uint64_t l;

	memset(r, 0, sizeof(*r));
	if (!(r->in = hc_in_open(path, err)))
		return -1;
	if (read_head(r->in, magic, min_version, max_version, what,
		      &r->version, &l, err) != 0)
		goto fail;
	if (!r->in->size) {
		if (read_whole(r->in, l, &r->buf, err) != 0)
			goto fail;
		hc_cursor_init(&r->cur, r->buf, (size_t)l);
		return 0;
	}
	r->cap = l < HC_STATE_WINDOW ? (size_t)l : HC_STATE_WINDOW;
	if (!(r->buf = hc_malloc(r->cap ? r->cap : 1))) {
		hc_err_nomem(err);
		goto fail;
	}
	hc_cursor_init(&r->cur, r->buf, 0);
	r->src.unread = l;
	r->src.fill = reader_fill;
	r->cur.src = &r->src;
	return 0;
fail:
	hc_free(r->buf);
	hc_in_close(r->in);
	memset(r, 0, sizeof(*r));
	return -1;
}

/* A streamed payload's integrity, once the decoder is done with it: the
 * bytes it did not read are read (and checksummed) now. */
static int reader_check(struct hc_state_reader *r, struct hc_err *err)
{
	while (!r->failed && r->src.unread) {
		r->cur.p = r->cur.end; /* what is in the window is checksummed */
		if (reader_fill(&r->cur, 1) != 0)
			break;
	}
	if (r->failed) {
		*err = r->read_err;
		return -1;
	}
	if (r->short_read)
		return hc_err_set(err, HC_ERR_DATA, "%s: truncated", r->in->name);
	return check_tail(r->in, r->crc, err);
}

int hc_statefile_finish(struct hc_state_reader *r, int decoded,
			struct hc_err *err)
{
	int rc = decoded;

	/* Out of memory says nothing of the file: no need to read it on. */
	if (r->cur.src && !(decoded != 0 && err->kind == HC_ERR_NOMEM) &&
	    reader_check(r, err) != 0)
		rc = -1;
	else if (decoded != 0)
		hc_err_prefix(err, "%s", r->in->name);
	hc_free(r->buf);
	hc_in_close(r->in);
	memset(r, 0, sizeof(*r));
	return rc;
}

/* Sets err for state number idx (0-based) of in, which began at byte
 * start: the first is named by the input alone, as a file of one state. */
static int state_error(struct hc_err *err, const struct hc_in *in,
		       unsigned idx, uint64_t start, const char *what)
{
	if (idx == 0)
		return hc_err_set(err, HC_ERR_DATA, "%s: %s", in->name, what);
	return hc_err_set(err, HC_ERR_DATA, "%s: state %u (from byte %llu): %s",
			  in->name, idx + 1, (unsigned long long)start, what);
}

int hc_statefile_next(struct hc_in *in, const char magic[8], uint32_t version,
		      const char *what_kind, unsigned idx, unsigned char **data,
		      size_t *len, struct hc_err *err)
{
	uint64_t start = in->pos, l, left;
	unsigned char pre[20], tail[4], *d = NULL;
	int past;
	struct hc_cursor c;
	uint32_t v, crc;
	ssize_t n = hc_in_read_full(in, pre, sizeof(pre), err);

	if (n < 0)
		return -1;
	if (n == 0 && idx > 0)
		return 0;
	if (n < 8 || memcmp(pre, magic, 8) != 0) {
		/* After a state: the start of another cut short, or bytes
		 * that do not begin one. */
		if (idx > 0 && n < 8 && memcmp(pre, magic, (size_t)n) == 0)
			return state_error(err, in, idx, start, "truncated");
		if (idx > 0)
			return hc_err_set(err, HC_ERR_DATA, "%s: %s", in->name,
					  in->size ? "length does not match the file (corrupted file)"
						   : "data after the end (corrupted file)");
		return hc_err_set(err, HC_ERR_DATA, "%s: not a %s file",
				  in->name, what_kind);
	}
	hc_cursor_init(&c, pre + 8, (size_t)n - 8);
	if (hc_get_u32(&c, &v) != 0 || hc_get_u64(&c, &l) != 0)
		return state_error(err, in, idx, start, "truncated");
	if (v != version) {
		char what[160];
		snprintf(what, sizeof(what),
			 "%s version %u is not supported (this hicard reads version %u)",
			 what_kind, v, version);
		return state_error(err, in, idx, start, what);
	}
	/* A regular file's size bounds the length: a state it cannot hold
	 * was cut short. */
	left = in->size > start ? in->size - start : 0;
	past = in->size && (left < 24 || l > left - 24);
	if (l > HC_STATE_MAX || past)
		return state_error(err, in, idx, start,
				   past ? "truncated"
					: "length does not match the file (corrupted file)");
	n = read_payload(in, &d, l, err);
	if (n == -2) {
		hc_free(d);
		return hc_err_nomem(err);
	}
	if (n >= 0 && (uint64_t)n == l)
		n = hc_in_read_full(in, tail, sizeof(tail), err);
	else if (n >= 0)
		n = 0;
	if (n != (ssize_t)sizeof(tail)) {
		hc_free(d);
		return n < 0 ? -1 : state_error(err, in, idx, start, "truncated");
	}
	crc = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 |
	      (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
	if (crc != hc_crc32c(0, d, (size_t)l)) {
		hc_free(d);
		return state_error(err, in, idx, start,
				   "checksum mismatch (corrupted file)");
	}
	*data = d;
	*len = (size_t)l;
	return 1;
}
