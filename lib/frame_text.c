/* frame_text.c - frame values to and from text; see frame_text.h */
#include "frame_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "parse.h"

static int parse_ids(const struct hc_frame_col *c, const char *s, size_t len,
		     uint32_t *ids, size_t *n, struct hc_err *err)
{
	size_t k = 0;
	const char *end = s + len;

	if (len == 0 && c->arity == HC_ARITY_VAR) {
		*n = 0;
		return 0;
	}
	for (;;) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		size_t l = bar ? (size_t)(bar - s) : (size_t)(end - s);
		uint64_t v;

		if (k == HC_FRAME_TEXT_IDS_MAX)
			return hc_err_set(err, HC_ERR_DATA,
					  "more than %d ids in one field",
					  HC_FRAME_TEXT_IDS_MAX);
		if (hc_parse_u64(s, l, c->space - 1, &v) != 0)
			return hc_err_set(err, HC_ERR_DATA,
					  "cannot parse '%.*s' as an id (a whole number below %llu)",
					  (int)(l > 64 ? 64 : l), s,
					  (unsigned long long)c->space);
		ids[k++] = (uint32_t)v;
		if (!bar)
			break;
		s = bar + 1;
	}
	if (c->arity != HC_ARITY_VAR && k != c->arity)
		return hc_err_set(err, HC_ERR_DATA, "%zu ids where %u are expected",
				  k, c->arity);
	*n = k;
	return 0;
}

int hc_frame_put_text(struct hc_frame_writer *w,
		      const struct hc_frame_schema *s, size_t col,
		      const char *text, size_t len, struct hc_err *err)
{
	const struct hc_frame_col *c = &s->cols[col];
	uint32_t ids[HC_FRAME_TEXT_IDS_MAX];
	size_t n = 0;
	double d;

	if (c->kind == HC_KIND_CAT) {
		if (parse_ids(c, text, len, ids, &n, err) != 0)
			return -1;
		return hc_frame_put_ids(w, col, ids, n, err);
	}
	if (c->kind == HC_KIND_KEY) {
		uint64_t k;
		if (hc_parse_u64(text, len, UINT64_MAX, &k) != 0)
			return hc_err_set(err, HC_ERR_DATA,
					  "cannot parse '%.*s' as a key (0 to 2^64-1)",
					  (int)(len > 64 ? 64 : len), text);
		return hc_frame_put_key(w, col, k, err);
	}
	if (hc_parse_double(text, len, &d) != 0)
		return hc_err_set(err, HC_ERR_DATA, "cannot parse '%.*s' as a number",
				  (int)(len > 64 ? 64 : len), text);
	return hc_frame_put_num(w, col, (float)d, err);
}

int hc_frame_row_to_csv(struct hc_csv_writer *cw,
			const struct hc_frame_schema *s,
			const struct hc_frame_block *b, size_t i)
{
	for (size_t j = 0; j < s->ncols; j++) {
		const struct hc_frame_col *c = &s->cols[j];
		const uint32_t *ids;
		size_t n;

		if (c->kind == HC_KIND_KEY) {
			if (hc_csv_write_u64(cw, b->cols[j].keys[i]) != 0)
				return -1;
			continue;
		}
		if (c->kind != HC_KIND_CAT) {
			if (hc_csv_write_float(cw, b->cols[j].num[i]) != 0)
				return -1;
			continue;
		}
		ids = hc_frame_row_ids(b, c, j, i, &n);
		if (hc_csv_write_ids(cw, ids, n) != 0)
			return -1;
	}
	return 0;
}

int hc_csv_write_ids(struct hc_csv_writer *cw, const uint32_t *ids, size_t n)
{
	if (n == 1)
		return hc_csv_write_u64(cw, ids[0]);
	/* Several ids: '|' never needs quoting, so write in place. */
	if (hc_csv_write_field(cw, "", 0) != 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		if ((k && hc_out_putc(cw->out, '|') != 0) ||
		    hc_out_u64(cw->out, ids[k]) != 0)
			return -1;
	if (n)
		cw->only_empty = 0;
	return 0;
}

int hc_libsvm_init(struct hc_libsvm *l, const struct hc_frame_schema *s,
		   struct hc_err *err)
{
	uint64_t at = 0;

	memset(l, 0, sizeof(*l));
	l->offset = hc_calloc(s->ncols, sizeof(*l->offset));
	if (!l->offset)
		return hc_err_nomem(err);
	for (size_t j = 0; j < s->ncols; j++) {
		l->offset[j] = at;
		if (s->cols[j].kind == HC_KIND_CAT)
			at += s->cols[j].space;
		else if (s->cols[j].kind == HC_KIND_NUM)
			at += 1;
	}
	return 0;
}

static int cmp_feat(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int hc_libsvm_write_row(struct hc_libsvm *l, struct hc_out *out,
			const struct hc_frame_schema *s,
			const struct hc_frame_block *b, size_t i,
			struct hc_err *err)
{
	size_t nf = 0, m = 0;
	long lab = hc_frame_schema_find_kind(s, HC_KIND_LABEL);

	for (size_t j = 0; j < s->ncols; j++) {
		const struct hc_frame_col *c = &s->cols[j];
		size_t n = 1;
		const uint32_t *ids = NULL;
		void *p = l->feat;

		if (c->kind == HC_KIND_LABEL || c->kind == HC_KIND_WEIGHT ||
		    c->kind == HC_KIND_KEY)
			continue;
		if (c->kind == HC_KIND_CAT)
			ids = hc_frame_row_ids(b, c, j, i, &n);
		if (hc_grow(&p, &l->feat_cap, nf + n, sizeof(*l->feat)) != 0)
			return hc_err_nomem(err);
		l->feat = p;
		if (!ids && isnan(b->cols[j].num[i]))
			continue; /* a missing number is an absent feature */
		for (size_t k = 0; k < n; k++, nf++) {
			l->feat[nf].idx = l->offset[j] + (ids ? ids[k] : 0) + 1;
			l->feat[nf].val = ids ? 1.0f : b->cols[j].num[i];
		}
	}
	qsort(l->feat, nf, sizeof(*l->feat), cmp_feat);
	for (size_t k = 0; k < nf; k++) { /* merge repeated indices */
		if (m && l->feat[m - 1].idx == l->feat[k].idx)
			l->feat[m - 1].val += l->feat[k].val;
		else
			l->feat[m++] = l->feat[k];
	}
	if (hc_out_float(out, lab >= 0 ? b->cols[lab].num[i] : 0.0f) != 0)
		goto write_fail;
	for (size_t k = 0; k < m; k++)
		if (hc_out_putc(out, ' ') != 0 || hc_out_u64(out, l->feat[k].idx) != 0 ||
		    hc_out_putc(out, ':') != 0 || hc_out_float(out, l->feat[k].val) != 0)
			goto write_fail;
	if (hc_out_putc(out, '\n') != 0)
		goto write_fail;
	return 0;
write_fail:
	*err = out->err;
	return -1;
}

void hc_libsvm_release(struct hc_libsvm *l)
{
	hc_free(l->offset);
	hc_free(l->feat);
	memset(l, 0, sizeof(*l));
}
