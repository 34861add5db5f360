/* statefile.c - checksummed state containers; see statefile.h */
#include "statefile.h"

#include <stdio.h>
#include <string.h>

#if defined(__unix__)
#include <sys/mman.h>
#endif

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

/* The header of a lone container: magic, version, and a payload length
 * that a regular file of fsize bytes (0: a pipe) holds exactly. */
static int check_head(const char *name, const unsigned char *pre, size_t n,
		      uint64_t fsize, const char magic[8], uint32_t version,
		      const char *what, uint64_t *l, struct hc_err *err)
{
	struct hc_cursor c;
	uint32_t v;

	if (n < 8 || memcmp(pre, magic, 8) != 0)
		return hc_err_set(err, HC_ERR_DATA, "%s: not a %s file", name, what);
	hc_cursor_init(&c, pre + 8, n - 8);
	if (hc_get_u32(&c, &v) != 0 || hc_get_u64(&c, l) != 0)
		return hc_err_set(err, HC_ERR_DATA, "%s: truncated", name);
	if (v != version)
		return hc_err_set(err, HC_ERR_DATA, "%s: %s version %u is not supported (this hicard reads version %u)",
				  name, what, v, version);
	if (*l > HC_STATE_MAX || (fsize && *l + 24 != fsize))
		return hc_err_set(err, HC_ERR_DATA, "%s: %s", name,
				  fsize && *l + 24 > fsize ? "truncated"
							   : "length does not match the file (corrupted file)");
	return 0;
}

static int check_crc(const char *name, const unsigned char *d, uint64_t l,
		     const unsigned char tail[4], struct hc_err *err)
{
	uint32_t crc = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 |
		       (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;

	if (crc != hc_crc32c(0, d, (size_t)l))
		return hc_err_set(err, HC_ERR_DATA, "%s: checksum mismatch (corrupted file)",
				  name);
	return 0;
}

/* Reads a lone container from in (whose first bytes are not read yet). */
static int read_whole(struct hc_in *in, const char magic[8], uint32_t version,
		      const char *what, unsigned char **data, size_t *len,
		      struct hc_err *err)
{
	unsigned char pre[20], tail[5];
	uint64_t l;
	ssize_t n;
	unsigned char *d = NULL;

	n = hc_in_read_full(in, pre, sizeof(pre), err);
	if (n < 0 || check_head(in->name, pre, (size_t)n, in->size, magic,
				version, what, &l, err) != 0)
		return -1;
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
	if (check_crc(in->name, d, l, tail, err) != 0)
		goto fail;
	*data = d;
	*len = (size_t)l;
	return 0;
fail:
	hc_free(d);
	return -1;
}

int hc_statefile_read(const char *path, const char magic[8],
		      uint32_t version, const char *what,
		      unsigned char **data, size_t *len, struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	int rc;

	if (!in)
		return -1;
	rc = read_whole(in, magic, version, what, data, len, err);
	hc_in_close(in);
	return rc;
}

int hc_statefile_load(const char *path, const char magic[8], uint32_t version,
		      const char *what, struct hc_state_data *sd,
		      struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	int rc = -1;

	memset(sd, 0, sizeof(*sd));
	if (!in)
		return -1;
#if defined(__unix__)
	if (in->size >= 24 && in->size <= SIZE_MAX) {
		void *map = mmap(NULL, (size_t)in->size, PROT_READ, MAP_PRIVATE,
				 in->fd, 0);
		if (map != MAP_FAILED) {
			const unsigned char *m = map;
			uint64_t l;

			sd->map = map;
			sd->map_len = (size_t)in->size;
			if (check_head(in->name, m, 20, in->size, magic, version,
				       what, &l, err) == 0 &&
			    check_crc(in->name, m + 20, l, m + 20 + l, err) == 0) {
				sd->data = m + 20;
				sd->len = (size_t)l;
				rc = 0;
			}
			hc_in_close(in);
			if (rc != 0)
				hc_statefile_unload(sd);
			return rc;
		}
	}
#endif
	rc = read_whole(in, magic, version, what, &sd->buf, &sd->len, err);
	sd->data = sd->buf;
	hc_in_close(in);
	return rc;
}

void hc_statefile_unload(struct hc_state_data *sd)
{
#if defined(__unix__)
	if (sd->map)
		munmap(sd->map, sd->map_len);
#endif
	hc_free(sd->buf);
	memset(sd, 0, sizeof(*sd));
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
