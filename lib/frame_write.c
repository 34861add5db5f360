/* frame_write.c - writing a frame: header, column-wise blocks, end block
 *
 * Rows are gathered per column in memory and written as one block when
 * HC_FRAME_WRITE_ROWS rows or about 1 MiB of payload are held: large enough
 * that block headers and checksums cost nothing measurable, small enough
 * that a reader's buffer stays small.
 */
#include "frame.h"

#include <string.h>

#include "crc32c.h"
#include "mem.h"

#define HC_FRAME_WRITE_ROWS 65536u
#define HC_FRAME_WRITE_BYTES (1u << 20)

struct col_buf {
	uint32_t *vals;   /* u32 ids, f32 bits, or u64 keys as word pairs */
	size_t n, cap;
	uint32_t *counts; /* variable arity: per row */
	size_t ncap;
	int set;          /* set in the current row */
};

struct hc_frame_writer {
	struct hc_out *out;
	const struct hc_frame_col *cols;
	size_t ncols;
	struct col_buf *bufs;
	size_t rows;          /* in the current block */
	uint64_t total_rows, blocks;
	unsigned char *payload;
	size_t payload_cap;
};

static void put_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4); /* little-endian host (frame.h) */
}

static void put_u64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static int out_err(struct hc_frame_writer *w, struct hc_err *err)
{
	if (err)
		*err = w->out->err;
	return -1;
}

struct hc_frame_writer *hc_frame_writer_open(struct hc_out *out,
					     const struct hc_frame_schema *s,
					     struct hc_err *err)
{
	struct hc_frame_writer *w = hc_calloc(1, sizeof(*w));
	char *text = NULL;
	unsigned char pre[16];
	uint32_t len, crc;
	size_t tlen;

	if (!w)
		goto nomem;
	if (s->ncols == 0) { /* readers refuse a header without columns */
		hc_err_set(err, HC_ERR_DATA, "a frame needs at least one column");
		goto fail;
	}
	w->out = out;
	w->cols = s->cols;
	w->ncols = s->ncols;
	w->bufs = hc_calloc(s->ncols, sizeof(*w->bufs));
	text = cJSON_PrintUnformatted(s->doc);
	if (!w->bufs || !text)
		goto nomem;
	tlen = strlen(text);
	if (tlen > HC_FRAME_HEADER_MAX) {
		hc_err_set(err, HC_ERR_DATA, "frame header larger than 16 MiB");
		goto fail;
	}
	len = (uint32_t)tlen;
	memcpy(pre, HC_FRAME_MAGIC, 8);
	put_u32(pre + 8, HC_FRAME_VERSION);
	put_u32(pre + 12, len);
	crc = hc_crc32c(0, text, len);
	if (hc_out_write(out, pre, 16) != 0 || hc_out_write(out, text, len) != 0)
		goto write_fail;
	put_u32(pre, crc);
	if (hc_out_write(out, pre, 4) != 0)
		goto write_fail;
	cJSON_free(text);
	return w;
write_fail:
	out_err(w, err);
	goto fail;
nomem:
	hc_err_nomem(err);
fail:
	cJSON_free(text);
	hc_frame_writer_abort(w);
	return NULL;
}

static int push_vals(struct col_buf *b, const uint32_t *v, size_t n)
{
	void *p = b->vals;

	if (n == 0) /* a row without ids: vals may still be NULL */
		return 0;
	if (hc_grow(&p, &b->cap, b->n + n, sizeof(*b->vals)) != 0)
		return -1;
	b->vals = p;
	memcpy(b->vals + b->n, v, n * sizeof(*v));
	b->n += n;
	return 0;
}

int hc_frame_put_ids(struct hc_frame_writer *w, size_t col,
		     const uint32_t *ids, size_t n, struct hc_err *err)
{
	const struct hc_frame_col *c = &w->cols[col];
	struct col_buf *b = &w->bufs[col];

	if (c->kind != HC_KIND_CAT || b->set)
		return hc_err_set(err, HC_ERR_DATA,
				  "column '%s': ids given twice or to a non-cat column",
				  c->name);
	if (c->arity != HC_ARITY_VAR && n != c->arity)
		return hc_err_set(err, HC_ERR_DATA,
				  "column '%s': %zu ids where the header says %u",
				  c->name, n, c->arity);
	for (size_t i = 0; i < n; i++)
		if (ids[i] >= c->space)
			return hc_err_set(err, HC_ERR_DATA,
					  "column '%s': id %u outside its id space %llu",
					  c->name, ids[i],
					  (unsigned long long)c->space);
	if (c->arity == HC_ARITY_VAR) {
		void *p = b->counts;
		if (n > UINT32_MAX ||
		    hc_grow(&p, &b->ncap, w->rows + 1, sizeof(*b->counts)) != 0)
			return hc_err_nomem(err);
		b->counts = p;
		b->counts[w->rows] = (uint32_t)n;
	}
	if (push_vals(b, ids, n) != 0)
		return hc_err_nomem(err);
	b->set = 1;
	return 0;
}

int hc_frame_put_num(struct hc_frame_writer *w, size_t col, float v,
		     struct hc_err *err)
{
	const struct hc_frame_col *c = &w->cols[col];
	struct col_buf *b = &w->bufs[col];
	uint32_t bits;

	if (c->kind == HC_KIND_CAT || c->kind == HC_KIND_KEY || b->set)
		return hc_err_set(err, HC_ERR_DATA,
				  "column '%s': value given twice or to a cat or key column",
				  c->name);
	memcpy(&bits, &v, 4);
	if (push_vals(b, &bits, 1) != 0)
		return hc_err_nomem(err);
	b->set = 1;
	return 0;
}

int hc_frame_put_key(struct hc_frame_writer *w, size_t col, uint64_t key,
		     struct hc_err *err)
{
	const struct hc_frame_col *c = &w->cols[col];
	struct col_buf *b = &w->bufs[col];
	uint32_t words[2];

	if (c->kind != HC_KIND_KEY || b->set)
		return hc_err_set(err, HC_ERR_DATA,
				  "column '%s': key given twice or to a non-key column",
				  c->name);
	memcpy(words, &key, 8); /* little-endian: low word first */
	if (push_vals(b, words, 2) != 0)
		return hc_err_nomem(err);
	b->set = 1;
	return 0;
}

static size_t payload_size(const struct hc_frame_writer *w)
{
	size_t n = 0;

	for (size_t j = 0; j < w->ncols; j++)
		n += (w->bufs[j].n +
		      (w->cols[j].arity == HC_ARITY_VAR ? w->rows : 0)) * 4;
	return n;
}

static int write_block_header(struct hc_frame_writer *w, uint32_t rows,
			      uint32_t len, uint32_t crc, struct hc_err *err)
{
	unsigned char h[16];

	memcpy(h, "HCBK", 4);
	put_u32(h + 4, rows);
	put_u32(h + 8, len);
	put_u32(h + 12, crc);
	return hc_out_write(w->out, h, 16) != 0 ? out_err(w, err) : 0;
}

static int flush_block(struct hc_frame_writer *w, struct hc_err *err)
{
	size_t len = payload_size(w), at = 0;
	void *p = w->payload;

	if (w->rows == 0)
		return 0;
	if (len > HC_FRAME_PAYLOAD_MAX)
		return hc_err_set(err, HC_ERR_DATA,
				  "a block of rows larger than 256 MiB (too many ids in one row?)");
	if (hc_grow(&p, &w->payload_cap, len, 1) != 0)
		return hc_err_nomem(err);
	w->payload = p;
	for (size_t j = 0; j < w->ncols; j++) {
		struct col_buf *b = &w->bufs[j];
		if (w->cols[j].arity == HC_ARITY_VAR) {
			memcpy(w->payload + at, b->counts, w->rows * 4);
			at += w->rows * 4;
		}
		if (b->n) /* vals is NULL while a column has had no ids */
			memcpy(w->payload + at, b->vals, b->n * 4);
		at += b->n * 4;
		b->n = 0;
	}
	if (write_block_header(w, (uint32_t)w->rows, (uint32_t)len,
			       hc_crc32c(0, w->payload, len), err) != 0)
		return -1;
	if (hc_out_write(w->out, w->payload, len) != 0)
		return out_err(w, err);
	w->total_rows += w->rows;
	w->blocks++;
	w->rows = 0;
	return 0;
}

int hc_frame_end_row(struct hc_frame_writer *w, struct hc_err *err)
{
	size_t bytes = 0;

	for (size_t j = 0; j < w->ncols; j++) {
		if (!w->bufs[j].set)
			return hc_err_set(err, HC_ERR_DATA,
					  "column '%s' not set in row %llu",
					  w->cols[j].name,
					  (unsigned long long)(w->total_rows + w->rows + 1));
		w->bufs[j].set = 0;
		bytes += w->bufs[j].n;
	}
	w->rows++;
	/* A variable-arity column may grow without bound per row; the
	 * payload limit is checked on the running value count. */
	if (w->rows >= HC_FRAME_WRITE_ROWS || bytes * 4 >= HC_FRAME_WRITE_BYTES)
		return flush_block(w, err);
	return 0;
}

/* Words (4 bytes) row i of block b adds to column j's buffer. */
static size_t row_words(const struct hc_frame_col *c,
			const struct hc_frame_colview *v, size_t i)
{
	if (c->kind == HC_KIND_KEY)
		return 2;
	if (c->arity == HC_ARITY_VAR)
		return v->start[i + 1] - v->start[i];
	return c->kind == HC_KIND_CAT ? c->arity : 1;
}

/* Appends rows [i, i + n) of column j of b. */
static int append_col(struct hc_frame_writer *w, size_t j,
		      const struct hc_frame_block *b, size_t i, size_t n,
		      struct hc_err *err)
{
	const struct hc_frame_col *c = &w->cols[j];
	const struct hc_frame_colview *v = &b->cols[j];
	struct col_buf *cb = &w->bufs[j];
	const uint32_t *src;
	size_t words;

	if (c->kind == HC_KIND_KEY) {
		src = (const uint32_t *)(const void *)(v->keys + i);
		words = 2 * n;
	} else if (c->kind != HC_KIND_CAT) {
		src = (const uint32_t *)(const void *)(v->num + i);
		words = n;
	} else if (c->arity == HC_ARITY_VAR) {
		void *p = cb->counts;
		if (hc_grow(&p, &cb->ncap, w->rows + n, sizeof(*cb->counts)) != 0)
			return hc_err_nomem(err);
		cb->counts = p;
		for (size_t k = 0; k < n; k++)
			cb->counts[w->rows + k] = v->start[i + k + 1] - v->start[i + k];
		src = v->ids + v->start[i];
		words = v->start[i + n] - v->start[i];
	} else {
		src = v->ids + i * c->arity;
		words = n * c->arity;
	}
	if (c->kind == HC_KIND_CAT)
		for (size_t k = 0; k < words; k++)
			if (src[k] >= c->space)
				return hc_err_set(err, HC_ERR_DATA,
						  "column '%s': id %u outside its id space %llu",
						  c->name, src[k],
						  (unsigned long long)c->space);
	return push_vals(cb, src, words) != 0 ? hc_err_nomem(err) : 0;
}

int hc_frame_put_block(struct hc_frame_writer *w,
		       const struct hc_frame_block *b, struct hc_err *err)
{
	size_t i = 0, held = 0;

	for (size_t j = 0; j < w->ncols; j++) {
		if (w->bufs[j].set)
			return hc_err_set(err, HC_ERR_DATA,
					  "column '%s' set in an unfinished row",
					  w->cols[j].name);
		held += w->bufs[j].n;
	}
	while (i < b->nrows) {
		/* The rows up to the point where hc_frame_end_row would
		 * flush, so that blocks come out the same either way. */
		size_t n = 0, full = 0;
		while (i + n < b->nrows && !full) {
			for (size_t j = 0; j < w->ncols; j++)
				held += row_words(&w->cols[j], &b->cols[j], i + n);
			n++;
			full = w->rows + n >= HC_FRAME_WRITE_ROWS ||
			       held * 4 >= HC_FRAME_WRITE_BYTES;
		}
		for (size_t j = 0; j < w->ncols; j++)
			if (append_col(w, j, b, i, n, err) != 0)
				return -1;
		w->rows += n;
		i += n;
		if (full) {
			if (flush_block(w, err) != 0)
				return -1;
			held = 0;
		}
	}
	return 0;
}

int hc_frame_writer_close(struct hc_frame_writer *w, struct hc_err *err)
{
	unsigned char trailer[16];
	int rc = flush_block(w, err);

	if (rc == 0) {
		put_u64(trailer, w->total_rows);
		put_u64(trailer + 8, w->blocks);
		rc = write_block_header(w, 0, 16, hc_crc32c(0, trailer, 16),
					err);
		if (rc == 0 && hc_out_write(w->out, trailer, 16) != 0)
			rc = out_err(w, err);
	}
	hc_frame_writer_abort(w);
	return rc;
}

void hc_frame_writer_abort(struct hc_frame_writer *w)
{
	if (!w)
		return;
	for (size_t j = 0; w->bufs && j < w->ncols; j++) {
		hc_free(w->bufs[j].vals);
		hc_free(w->bufs[j].counts);
	}
	hc_free(w->bufs);
	hc_free(w->payload);
	hc_free(w);
}
