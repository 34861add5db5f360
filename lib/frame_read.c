/* frame_read.c - reading a frame, checking everything before trusting it
 *
 * Lengths are checked against the limits before anything is allocated, the
 * checksum before anything is decoded, the payload's length against what
 * its row count and the header imply, and every id against its column's
 * space, so that a corrupted file gives an error naming its block (counted
 * from 1), never a misread or a crash.
 */
#include "frame.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crc32c.h"
#include "frame_schema.h"
#include "mem.h"

struct hc_frame_reader {
	struct hc_in *in;
	struct hc_frame_schema schema;
	char *header_text;
	unsigned char *payload;
	size_t payload_cap;
	uint32_t **starts;      /* per variable-arity column */
	uint64_t **keys;        /* per key column: the keys, 8-byte aligned */
	struct hc_frame_colview *views;
	struct hc_frame_block block;
	uint64_t blocks, rows;  /* data blocks and rows read so far */
	int done;
	int at;                 /* reading a block by its offset */
};

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static int bad(struct hc_frame_reader *r, struct hc_err *err, const char *what)
{
	return hc_err_set(err, HC_ERR_DATA, "%s: %s", r->in->name, what);
}

static int bad_block(struct hc_frame_reader *r, struct hc_err *err,
		     const char *what)
{
	return hc_err_set(err, HC_ERR_DATA, "%s: block %llu: %s", r->in->name,
			  (unsigned long long)(r->blocks + 1), what);
}

static int read_preamble(struct hc_frame_reader *r, struct hc_err *err)
{
	unsigned char pre[16];
	ssize_t n = hc_in_read_full(r->in, pre, 16, err);
	uint32_t version, len, crc;
	char msg[160];

	if (n < 0)
		return -1;
	if (n == 0)
		return bad(r, err, "empty input (not a hicard frame)");
	/* A short file that starts as the magic does is a cut frame. */
	if (memcmp(pre, HC_FRAME_MAGIC, n < 8 ? (size_t)n : 8) != 0)
		return bad(r, err, "not a hicard frame (wrong magic)");
	if (n < 16)
		return bad(r, err, "truncated in the preamble");
	version = get_u32(pre + 8);
	len = get_u32(pre + 12);
	if (version != HC_FRAME_VERSION) {
		snprintf(msg, sizeof(msg),
			 "frame format version %u is not supported (this hicard reads version %d)",
			 version, HC_FRAME_VERSION);
		return bad(r, err, msg);
	}
	if (len == 0 || len > HC_FRAME_HEADER_MAX) {
		snprintf(msg, sizeof(msg),
			 "header length %u is out of range (1 to 16 MiB)", len);
		return bad(r, err, msg);
	}
	r->header_text = hc_malloc((size_t)len + 1);
	if (!r->header_text)
		return hc_err_nomem(err);
	n = hc_in_read_full(r->in, r->header_text, len, err);
	if (n < 0)
		return -1;
	if ((uint32_t)n < len || hc_in_read_full(r->in, pre, 4, err) != 4)
		return bad(r, err, "truncated in the header");
	r->header_text[len] = '\0';
	crc = get_u32(pre);
	if (crc != hc_crc32c(0, r->header_text, len))
		return bad(r, err, "header checksum mismatch (corrupted file)");
	if (hc_frame_schema_from_json(&r->schema, r->header_text, len, err) != 0) {
		hc_err_prefix(err, "%s", r->in->name);
		return -1;
	}
	return 0;
}

struct hc_frame_reader *hc_frame_reader_open(struct hc_in *in,
					     struct hc_err *err)
{
	struct hc_frame_reader *r = hc_calloc(1, sizeof(*r));

	if (!r) {
		hc_err_nomem(err);
		return NULL;
	}
	r->in = in;
	if (read_preamble(r, err) != 0)
		goto fail;
	r->views = hc_calloc(r->schema.ncols, sizeof(*r->views));
	r->starts = hc_calloc(r->schema.ncols, sizeof(*r->starts));
	r->keys = hc_calloc(r->schema.ncols, sizeof(*r->keys));
	if (!r->views || !r->starts || !r->keys) {
		hc_err_nomem(err);
		goto fail;
	}
	r->block.cols = r->views;
	return r;
fail:
	hc_frame_reader_close(r);
	return NULL;
}

const struct hc_frame_schema *hc_frame_reader_schema(
	const struct hc_frame_reader *r)
{
	return &r->schema;
}

const char *hc_frame_reader_header_text(const struct hc_frame_reader *r)
{
	return r->header_text;
}

/* The end block: totals must match what was read, and nothing follow. */
static int read_end(struct hc_frame_reader *r, uint32_t len, uint32_t crc,
		    struct hc_err *err)
{
	unsigned char t[16], extra;
	ssize_t n;

	if (len != 16)
		return bad_block(r, err, "end block with a payload length other than 16");
	n = hc_in_read_full(r->in, t, 16, err);
	if (n < 0)
		return -1;
	if (n < 16)
		return bad_block(r, err, "truncated end block");
	if (crc != hc_crc32c(0, t, 16))
		return bad_block(r, err, "end block checksum mismatch (corrupted file)");
	if (get_u64(t) != r->rows || get_u64(t + 8) != r->blocks) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "end block counts %llu rows in %llu blocks, but %llu rows in %llu blocks were read",
			 (unsigned long long)get_u64(t),
			 (unsigned long long)get_u64(t + 8),
			 (unsigned long long)r->rows,
			 (unsigned long long)r->blocks);
		return bad_block(r, err, msg);
	}
	n = hc_in_read_full(r->in, &extra, 1, err);
	if (n < 0)
		return -1;
	if (n > 0)
		return bad(r, err, "data after the end block");
	r->done = 1;
	return 0;
}

static int check_space(struct hc_frame_reader *r, const struct hc_frame_col *c,
		       const uint32_t *ids, size_t n, struct hc_err *err)
{
	uint32_t max = 0;
	char msg[256];

	if (c->space >= HC_FRAME_SPACE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) /* a max reduction vectorises */
		max = ids[i] > max ? ids[i] : max;
	if (n == 0 || max < c->space)
		return 0;
	snprintf(msg, sizeof(msg), "column '%s': id %u outside its id space %llu",
		 c->name, max, (unsigned long long)c->space);
	return bad_block(r, err, msg);
}

/* Lays the column views over the payload, checking lengths as it goes,
 * then the ids: only once the whole layout fits the payload exactly, so
 * that a corrupted row count is reported as such, not as ids outside
 * their space. */
static int decode(struct hc_frame_reader *r, uint32_t rows, uint32_t len,
		  struct hc_err *err)
{
	const unsigned char *p = r->payload;
	uint64_t at = 0;

	for (size_t j = 0; j < r->schema.ncols; j++) {
		const struct hc_frame_col *c = &r->schema.cols[j];
		struct hc_frame_colview *v = &r->views[j];
		uint64_t nvals;

		if (c->arity == HC_ARITY_VAR) {
			const unsigned char *cnt = p + at;
			uint32_t *st;
			if (at + (uint64_t)rows * 4 > len)
				goto short_payload;
			at += (uint64_t)rows * 4;
			st = hc_reallocarray(r->starts[j], (size_t)rows + 1, 4);
			if (!st)
				return hc_err_nomem(err);
			r->starts[j] = st;
			st[0] = 0;
			nvals = 0;
			for (uint32_t i = 0; i < rows; i++) {
				nvals += get_u32(cnt + (size_t)i * 4);
				if (nvals > len / 4)
					goto short_payload;
				st[i + 1] = (uint32_t)nvals;
			}
			v->start = st;
		} else {
			nvals = (uint64_t)rows * (c->kind == HC_KIND_KEY ? 2 : c->arity);
		}
		if (at + nvals * 4 > len)
			goto short_payload;
		if (c->kind == HC_KIND_CAT) {
			v->ids = (const uint32_t *)(const void *)(p + at);
		} else if (c->kind == HC_KIND_KEY) {
			/* Payload offsets are only 4-byte aligned. */
			uint64_t *k = hc_reallocarray(r->keys[j], rows, 8);
			if (!k)
				return hc_err_nomem(err);
			memcpy(k, p + at, (size_t)rows * 8);
			r->keys[j] = k;
			v->keys = k;
		} else {
			v->num = (const float *)(const void *)(p + at);
		}
		at += nvals * 4;
	}
	if (at != len)
		return bad_block(r, err, "payload longer than its rows need (corrupted file)");
	for (size_t j = 0; j < r->schema.ncols; j++) {
		const struct hc_frame_col *c = &r->schema.cols[j];
		size_t nvals = c->arity == HC_ARITY_VAR
				       ? r->starts[j][rows]
				       : (size_t)rows * c->arity;

		if (c->kind == HC_KIND_CAT &&
		    check_space(r, c, r->views[j].ids, nvals, err) != 0)
			return -1;
	}
	return 0;
short_payload:
	return bad_block(r, err, "payload shorter than its rows need (corrupted file)");
}

int hc_frame_read_block(struct hc_frame_reader *r,
			const struct hc_frame_block **b, struct hc_err *err)
{
	unsigned char h[16];
	uint32_t rows, len, crc;
	ssize_t n;
	void *p;

	if (r->done)
		return 0;
	n = hc_in_read_full(r->in, h, 16, err);
	if (n < 0)
		return -1;
	if (n == 0 && r->at)
		return bad_block(r, err, "truncated: the file ends before this block");
	if (n == 0)
		return bad(r, err, "truncated: the file ends without an end block");
	if (n < 16)
		return bad_block(r, err, "truncated block header");
	if (memcmp(h, "HCBK", 4) != 0)
		return bad_block(r, err, "bad block tag (corrupted file)");
	rows = get_u32(h + 4);
	len = get_u32(h + 8);
	crc = get_u32(h + 12);
	if (rows == 0)
		return read_end(r, len, crc, err) == 0 ? 0 : -1;
	if (rows > HC_FRAME_BLOCK_ROWS_MAX || len > HC_FRAME_PAYLOAD_MAX)
		return bad_block(r, err, "row count or payload length out of range (corrupted file)");
	p = r->payload;
	if (hc_grow(&p, &r->payload_cap, len ? len : 1, 1) != 0)
		return hc_err_nomem(err);
	r->payload = p;
	n = hc_in_read_full(r->in, r->payload, len, err);
	if (n < 0)
		return -1;
	if ((uint32_t)n < len)
		return bad_block(r, err, "truncated payload");
	if (crc != hc_crc32c(0, r->payload, len))
		return bad_block(r, err, "checksum mismatch (corrupted file)");
	if (decode(r, rows, len, err) != 0)
		return -1;
	r->block.nrows = rows;
	r->block.index = r->blocks;
	r->block.first_row = r->rows;
	r->blocks++;
	r->rows += rows;
	*b = &r->block;
	return 1;
}

int hc_frame_read_block_at(struct hc_frame_reader *r, uint64_t offset,
			   uint64_t index, uint64_t first_row,
			   const struct hc_frame_block **b, struct hc_err *err)
{
	int rc;

	if (lseek(r->in->fd, (off_t)offset, SEEK_SET) < 0)
		return hc_err_errno(err, HC_ERR_IO, errno, "%s: cannot seek",
				    r->in->name);
	r->in->pos = offset;
	r->blocks = index;
	r->rows = first_row;
	r->done = 0;
	r->at = 1;
	rc = hc_frame_read_block(r, b, err);
	r->at = 0;
	if (rc == 0) {
		r->blocks = index;
		return bad_block(r, err, "an end block where a data block was (the file changed?)");
	}
	return rc;
}

void hc_frame_reader_close(struct hc_frame_reader *r)
{
	if (!r)
		return;
	for (size_t j = 0; r->starts && j < r->schema.ncols; j++)
		hc_free(r->starts[j]);
	for (size_t j = 0; r->keys && j < r->schema.ncols; j++)
		hc_free(r->keys[j]);
	hc_free(r->starts);
	hc_free(r->keys);
	hc_free(r->views);
	hc_free(r->payload);
	hc_free(r->header_text);
	hc_frame_schema_release(&r->schema);
	hc_free(r);
}
