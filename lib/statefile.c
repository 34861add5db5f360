/* statefile.c - checksummed state containers; see statefile.h */
#include "statefile.h"

#include <stdio.h>
#include <string.h>

#include "crc32c.h"
#include "in.h"
#include "mem.h"

/* First buffer for a payload read from a pipe; it doubles from there. */
#define PIPE_STEP ((size_t)1 << 20)

int hc_statefile_write(struct hc_out *out, const char magic[8],
		       uint32_t version, const struct hc_buf *payload,
		       struct hc_err *err)
{
	struct hc_buf h;
	int rc;

	if (payload->failed)
		return hc_err_nomem(err);
	hc_buf_init(&h);
	hc_buf_put(&h, magic, 8);
	hc_buf_put_u32(&h, version);
	hc_buf_put_u64(&h, payload->len);
	if (h.failed) {
		hc_buf_release(&h);
		return hc_err_nomem(err);
	}
	rc = hc_out_write(out, h.data, h.len) != 0 ||
	     hc_out_write(out, payload->data, payload->len) != 0;
	hc_buf_release(&h);
	if (!rc) {
		uint32_t crc = hc_crc32c(0, payload->data, payload->len);
		unsigned char c[4] = {(unsigned char)crc, (unsigned char)(crc >> 8),
				      (unsigned char)(crc >> 16),
				      (unsigned char)(crc >> 24)};
		rc = hc_out_write(out, c, 4) != 0;
	}
	if (rc) {
		*err = out->err;
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

int hc_statefile_read(const char *path, const char magic[8],
		      uint32_t version, const char *what,
		      unsigned char **data, size_t *len, struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	unsigned char pre[20], tail[5];
	struct hc_cursor c;
	uint32_t v, crc;
	uint64_t l;
	ssize_t n;
	unsigned char *d = NULL;

	if (!in)
		return -1;
	n = hc_in_read_full(in, pre, sizeof(pre), err);
	if (n < 0)
		goto fail;
	if (n < 8 || memcmp(pre, magic, 8) != 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: not a %s file", in->name, what);
		goto fail;
	}
	hc_cursor_init(&c, pre + 8, (size_t)n - 8);
	if (hc_get_u32(&c, &v) != 0 || hc_get_u64(&c, &l) != 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: truncated", in->name);
		goto fail;
	}
	if (v != version) {
		hc_err_set(err, HC_ERR_DATA, "%s: %s version %u is not supported (this hicard reads version %u)",
			   in->name, what, v, version);
		goto fail;
	}
	if (l > HC_STATE_MAX || (in->size && l + 24 != in->size)) {
		hc_err_set(err, HC_ERR_DATA, "%s: %s", in->name,
			   in->size && l + 24 > in->size ? "truncated"
							 : "length does not match the file (corrupted file)");
		goto fail;
	}
	n = read_payload(in, &d, l, err);
	if (n == -2) {
		hc_err_nomem(err);
		goto fail;
	}
	if (n >= 0 && (uint64_t)n == l)
		n = hc_in_read_full(in, tail, 5, err);
	else if (n >= 0)
		n = 0;
	if (n < 0)
		goto fail;
	if (n != 4) {
		hc_err_set(err, HC_ERR_DATA, "%s: %s", in->name,
			   n < 4 ? "truncated" : "data after the end (corrupted file)");
		goto fail;
	}
	crc = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 |
	      (uint32_t)tail[3] << 24;
	if (crc != hc_crc32c(0, d, (size_t)l)) {
		hc_err_set(err, HC_ERR_DATA, "%s: checksum mismatch (corrupted file)",
			   in->name);
		goto fail;
	}
	hc_in_close(in);
	*data = d;
	*len = (size_t)l;
	return 0;
fail:
	hc_free(d);
	hc_in_close(in);
	return -1;
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
