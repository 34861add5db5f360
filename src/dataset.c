/* dataset.c - a frame read into memory for training; see dataset.h */
#include "dataset.h"

#include <math.h>
#include <string.h>

#include "lib/frame_schema.h"
#include "lib/mem.h"

static int grow(void **p, size_t *cap, size_t need, size_t elem,
		struct hc_err *err)
{
	if (need <= *cap)
		return 0;
	return hc_grow(p, cap, need, elem) == 0 ? 0 : hc_err_nomem(err);
}

static int check_values(const struct hc_dataset *d, size_t j,
			const float *v, size_t n, uint64_t first,
			struct hc_err *err)
{
	const struct hc_frame_col *c = &d->schema.cols[j];
	const char *what = c->kind == HC_KIND_LABEL	 ? "label"
			   : c->kind == HC_KIND_WEIGHT ? "weight"
						       : "value";

	for (size_t i = 0; i < n; i++) {
		if (isfinite(v[i]) && !(c->kind == HC_KIND_WEIGHT && v[i] < 0))
			continue;
		return hc_err_set(err, HC_ERR_DATA,
				  "row %llu: column '%s' (%zu): %s is %s",
				  (unsigned long long)(first + i + 1), c->name,
				  j + 1, what,
				  isnan(v[i])   ? "NaN"
				  : isinf(v[i]) ? "infinite"
						: "negative");
	}
	return 0;
}

static int add_col(struct hc_dataset *d, size_t j,
		   const struct hc_frame_block *b, struct hc_err *err)
{
	const struct hc_frame_col *c = &d->schema.cols[j];
	const struct hc_frame_colview *v = &b->cols[j];
	struct hc_dcol *dc = &d->cols[j];
	size_t n = b->nrows, cap;

	switch (c->kind) {
	case HC_KIND_KEY:
		cap = dc->cap;
		if (grow((void **)&dc->keys, &cap, dc->len + n, 8, err) != 0)
			return -1;
		memcpy(dc->keys + dc->len, v->keys, n * 8);
		dc->len += n;
		dc->cap = cap;
		return 0;
	case HC_KIND_CAT:
		break;
	default:
		if (check_values(d, j, v->num, n, b->first_row, err) != 0)
			return -1;
		cap = dc->cap;
		if (grow((void **)&dc->num, &cap, dc->len + n, 4, err) != 0)
			return -1;
		memcpy(dc->num + dc->len, v->num, n * 4);
		dc->len += n;
		dc->cap = cap;
		return 0;
	}
	size_t nids = c->arity == HC_ARITY_VAR ? v->start[n] : n * c->arity;
	cap = dc->cap;
	if (grow((void **)&dc->ids, &cap, dc->len + nids, 4, err) != 0)
		return -1;
	dc->cap = cap;
	memcpy(dc->ids + dc->len, v->ids, nids * 4);
	if (c->arity == HC_ARITY_VAR) {
		/* start has room for nrows + 1: grown alongside. */
		uint64_t *s = hc_reallocarray(dc->start, d->nrows + n + 1, 8);
		if (!s)
			return hc_err_nomem(err);
		dc->start = s;
		if (d->nrows == 0)
			s[0] = 0;
		for (size_t i = 0; i < n; i++)
			s[d->nrows + i + 1] = dc->len + v->start[i + 1];
	}
	dc->len += nids;
	return 0;
}

int hc_dataset_init(struct hc_dataset *d, const char *header_text,
		    struct hc_err *err)
{
	memset(d, 0, sizeof(*d));
	if (hc_frame_schema_from_json(&d->schema, header_text,
				      strlen(header_text), err) != 0)
		return -1;
	if (!(d->cols = hc_calloc(d->schema.ncols, sizeof(*d->cols)))) {
		hc_dataset_release(d);
		return hc_err_nomem(err);
	}
	return 0;
}

int hc_dataset_add_block(struct hc_dataset *d, const struct hc_frame_block *b,
			 struct hc_err *err)
{
	for (size_t j = 0; j < d->schema.ncols; j++)
		if (add_col(d, j, b, err) != 0)
			return -1;
	d->nrows += b->nrows;
	return 0;
}

int hc_dataset_finish(struct hc_dataset *d, struct hc_err *err)
{
	/* A variable column of an empty frame still needs start[0]. */
	for (size_t j = 0; j < d->schema.ncols; j++)
		if (d->schema.cols[j].arity == HC_ARITY_VAR &&
		    d->schema.cols[j].kind == HC_KIND_CAT && !d->cols[j].start &&
		    !(d->cols[j].start = hc_calloc(1, 8)))
			return hc_err_nomem(err);
	return 0;
}

void hc_dataset_clear(struct hc_dataset *d)
{
	for (size_t j = 0; j < d->schema.ncols; j++)
		d->cols[j].len = 0;
	d->nrows = 0;
}

int hc_dataset_load(struct hc_dataset *d, struct hc_frame_reader *r,
		    struct hc_err *err)
{
	const struct hc_frame_block *b;
	int rc;

	if (hc_dataset_init(d, hc_frame_reader_header_text(r), err) != 0)
		return -1;
	while ((rc = hc_frame_read_block(r, &b, err)) == 1)
		if (hc_dataset_add_block(d, b, err) != 0)
			goto fail;
	if (rc < 0 || hc_dataset_finish(d, err) != 0)
		goto fail;
	return 0;
fail:
	hc_dataset_release(d);
	return -1;
}

void hc_dataset_release(struct hc_dataset *d)
{
	if (d->cols)
		for (size_t j = 0; j < d->schema.ncols; j++) {
			hc_free(d->cols[j].ids);
			hc_free(d->cols[j].start);
			hc_free(d->cols[j].num);
			hc_free(d->cols[j].keys);
		}
	hc_free(d->cols);
	hc_frame_schema_release(&d->schema);
	memset(d, 0, sizeof(*d));
}
