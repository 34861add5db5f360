/* hash_emit.c - hash's output formats over one frame block a batch (see
 * hash_emit.h for what each looks like)
 *
 * All four read the same block, so an id is the same number in every
 * format; only CSV goes back to the batch, for the fields it passes
 * through.
 */
#include "src/hash_emit.h"

#include <math.h>
#include <string.h>

#include "lib/csv_write.h"
#include "lib/frame_text.h"
#include "lib/mem.h"

#define NOT_HASHED ((size_t)-1)

struct hc_hash_emit {
	const struct hc_hash_job *j;
	const struct hc_frame_schema *s;
	struct hc_out *out;
	struct hc_csv_writer cw;
	struct hc_frame_writer *fw;
	struct hc_libsvm svm;
	size_t *frame_col;  /* CSV output: per input column, its frame column */
	char **vw_names;    /* vw: per frame column, the feature name */
};

static int out_fail(struct hc_hash_emit *e, struct hc_err *err)
{
	*err = e->out->err;
	return -1;
}

static int csv_open(struct hc_hash_emit *e, struct hc_err *err)
{
	const struct hc_hash_job *j = e->j;
	size_t n = hc_csv_ncols(j->csv), fc = (j->label >= 0) + (j->weight >= 0);

	hc_csv_writer_init(&e->cw, e->out, j->delim);
	if (!(e->frame_col = hc_malloc(n * sizeof(*e->frame_col))))
		return hc_err_nomem(err);
	for (size_t c = 0; c < n; c++)
		e->frame_col[c] = NOT_HASHED;
	for (size_t k = 0; k < j->nhash; k++)
		e->frame_col[j->hcols[k]] = fc + k;
	if (j->header &&
	    hc_csv_write_row(&e->cw, hc_csv_colnames(j->csv), n) != 0)
		return out_fail(e, err);
	return 0;
}

/* VW reads ' ', ':' and '|' as separators: they become '_'. */
static int vw_open(struct hc_hash_emit *e, struct hc_err *err)
{
	if (!(e->vw_names = hc_calloc(e->s->ncols, sizeof(*e->vw_names))))
		return hc_err_nomem(err);
	for (size_t c = 0; c < e->s->ncols; c++) {
		char *p = e->vw_names[c] = hc_strdup(e->s->cols[c].name);
		if (!p)
			return hc_err_nomem(err);
		for (; *p; p++)
			if (*p == ' ' || *p == ':' || *p == '|' || *p == '\t')
				*p = '_';
	}
	return 0;
}

struct hc_hash_emit *hc_hash_emit_open(const struct hc_hash_job *j,
				       const struct hc_frame_schema *s,
				       struct hc_out *out, struct hc_err *err)
{
	struct hc_hash_emit *e = hc_calloc(1, sizeof(*e));
	int rc = -1;

	if (!e) {
		hc_err_nomem(err);
		return NULL;
	}
	e->j = j;
	e->s = s;
	e->out = out;
	switch (j->format) {
	case HC_HASH_CSV:
		rc = csv_open(e, err);
		break;
	case HC_HASH_HCB:
		rc = (e->fw = hc_frame_writer_open(out, s, err)) ? 0 : -1;
		break;
	case HC_HASH_LIBSVM:
		rc = hc_libsvm_init(&e->svm, s, err);
		break;
	case HC_HASH_VW:
		rc = vw_open(e, err);
		break;
	}
	if (rc != 0) {
		hc_hash_emit_abort(e);
		return NULL;
	}
	return e;
}

static int csv_rows(struct hc_hash_emit *e, const struct hc_csv_batch *b,
		    const struct hc_frame_block *blk, struct hc_err *err)
{
	for (size_t i = 0; i < b->nrows; i++) {
		for (size_t c = 0; c < b->ncols; c++) {
			size_t fc = e->frame_col[c], n, f = i * b->ncols + c;
			const uint32_t *ids;
			int rc;
			if (fc == NOT_HASHED) {
				rc = hc_csv_write_field(&e->cw, b->buf + b->off[f],
							b->len[f]);
			} else {
				ids = hc_frame_row_ids(blk, &e->s->cols[fc], fc, i, &n);
				rc = hc_csv_write_ids(&e->cw, ids, n);
			}
			if (rc != 0)
				return out_fail(e, err);
		}
		if (hc_csv_end_row(&e->cw) != 0)
			return out_fail(e, err);
	}
	return 0;
}

static int vw_row(struct hc_hash_emit *e, const struct hc_frame_block *blk,
		  size_t i)
{
	struct hc_out *o = e->out;
	int first = 1;

	for (size_t c = 0; c < e->s->ncols; c++) {
		const struct hc_frame_col *col = &e->s->cols[c];
		float v = col->kind == HC_KIND_CAT || col->kind == HC_KIND_KEY
				  ? 0 : blk->cols[c].num[i];
		if (col->kind == HC_KIND_LABEL || col->kind == HC_KIND_WEIGHT) {
			if (hc_out_float(o, v) != 0 || hc_out_putc(o, ' ') != 0)
				return -1;
			continue;
		}
		if (first && hc_out_write(o, "|h", 2) != 0)
			return -1;
		first = 0;
		if (col->kind == HC_KIND_CAT) {
			size_t n;
			const uint32_t *ids = hc_frame_row_ids(blk, col, c, i, &n);
			for (size_t k = 0; k < n; k++)
				if (hc_out_putc(o, ' ') != 0 ||
				    hc_out_printf(o, "%s=", e->vw_names[c]) != 0 ||
				    hc_out_u64(o, ids[k]) != 0)
					return -1;
		} else if (col->kind == HC_KIND_NUM && !isnan(v)) {
			if (hc_out_putc(o, ' ') != 0 ||
			    hc_out_printf(o, "%s:", e->vw_names[c]) != 0 ||
			    hc_out_float(o, v) != 0)
				return -1;
		}
	}
	if (first && hc_out_write(o, "|h", 2) != 0)
		return -1;
	return hc_out_putc(o, '\n');
}

int hc_hash_emit_batch(struct hc_hash_emit *e, const struct hc_csv_batch *b,
		       const struct hc_frame_block *blk, struct hc_err *err)
{
	switch (e->j->format) {
	case HC_HASH_CSV:
		return csv_rows(e, b, blk, err);
	case HC_HASH_HCB:
		return hc_frame_put_block(e->fw, blk, err);
	case HC_HASH_LIBSVM:
		for (size_t i = 0; i < blk->nrows; i++)
			if (hc_libsvm_write_row(&e->svm, e->out, e->s, blk, i, err) != 0)
				return -1;
		return 0;
	case HC_HASH_VW:
		for (size_t i = 0; i < blk->nrows; i++)
			if (vw_row(e, blk, i) != 0)
				return out_fail(e, err);
		return 0;
	}
	return 0;
}

int hc_hash_emit_close(struct hc_hash_emit *e, struct hc_err *err)
{
	int rc = 0;

	if (e->fw) {
		rc = hc_frame_writer_close(e->fw, err);
		e->fw = NULL;
	}
	hc_hash_emit_abort(e);
	return rc;
}

void hc_hash_emit_abort(struct hc_hash_emit *e)
{
	if (!e)
		return;
	hc_frame_writer_abort(e->fw);
	hc_libsvm_release(&e->svm);
	hc_free(e->frame_col);
	for (size_t c = 0; e->vw_names && c < e->s->ncols; c++)
		hc_free(e->vw_names[c]);
	hc_free(e->vw_names);
	hc_free(e);
}
