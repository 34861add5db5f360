/* encode_scan.c - fit and apply passes over CSV rows (encode_scan.h)
 *
 * Targets: an empty field is a row without a target (counted by count and
 * freq, left out of target sums, still encoded); anything else must be a
 * finite number, or the pass stops with the field's position.
 */
#include <math.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/parse.h"
#include "lib/select.h"
#include "src/encode_scan.h"

/* ---- layout ------------------------------------------------------------- */

int hc_enc_layout_init(struct hc_enc_layout *l, const struct hc_enc_state *st,
		       const struct hc_csv_reader *csv, const char *keep,
		       int need_target, struct hc_err *err)
{
	const char *const *names = hc_csv_colnames(csv);
	size_t n = hc_csv_ncols(csv);
	struct hc_selection sel = {0};

	memset(l, 0, sizeof(*l));
	l->target = -1;
	if (!(l->col = hc_calloc(st->ncols ? st->ncols : 1, sizeof(*l->col))))
		return hc_err_nomem(err);
	for (size_t j = 0; j < st->ncols; j++) {
		size_t i;

		for (i = 0; i < n && strcmp(names[i], st->cols[j].name) != 0; i++)
			;
		if (i == n)
			return hc_err_set(err, HC_ERR_DATA, "%s: no column '%s' (the state encodes it)", hc_csv_name(csv), st->cols[j].name);
		l->col[j] = i;
	}
	for (size_t i = 0; st->target && i < n; i++)
		if (strcmp(names[i], st->target) == 0) {
			l->target = (long)i;
			break;
		}
	if (need_target && st->target && l->target < 0)
		return hc_err_set(err, HC_ERR_DATA, "%s: no target column '%s'", hc_csv_name(csv), st->target);
	if (keep) {
		if (hc_select_parse(keep, names, n, &sel, err) != 0)
			return -1;
		l->nkeep = sel.n;
		l->keep = sel.idx;
	}
	return 0;
}

void hc_enc_layout_release(struct hc_enc_layout *l)
{
	hc_free(l->col);
	hc_free(l->keep);
	memset(l, 0, sizeof(*l));
}

/* ---- out of fold -------------------------------------------------------- */

int hc_enc_oof_init(struct hc_enc_oof *o, const struct hc_enc_state *st,
		    uint32_t folds, int ordered, uint64_t seed,
		    struct hc_err *err)
{
	size_t n = st->ncols ? st->ncols : 1;

	memset(o, 0, sizeof(*o));
	o->folds = ordered ? 0 : folds;
	o->ordered = ordered;
	o->seed = seed;
	if (ordered) {
		o->ids = hc_calloc(n, sizeof(*o->ids));
		o->te = hc_calloc(n, sizeof(*o->te));
		o->woe = hc_calloc(n, sizeof(*o->woe));
		if (!o->ids || !o->te || !o->woe)
			return hc_err_nomem(err);
		return 0;
	}
	if (!(o->f = hc_calloc(n, sizeof(*o->f))))
		return hc_err_nomem(err);
	for (size_t j = 0; j < st->ncols; j++)
		if ((st->cols[j].kinds & HC_ENC_TARGET_KINDS) &&
		    hc_te_folds_init(&o->f[j], folds, st->p.smooth < 0, err) != 0)
			return -1;
	return 0;
}

void hc_enc_oof_release(struct hc_enc_oof *o, size_t ncols)
{
	for (size_t j = 0; j < ncols; j++) {
		if (o->f)
			hc_te_folds_release(&o->f[j]);
		if (o->ids)
			hc_free(o->ids[j]);
		if (o->te)
			hc_free(o->te[j]);
		if (o->woe)
			hc_free(o->woe[j]);
	}
	hc_free(o->f);
	hc_free(o->ids);
	hc_free(o->te);
	hc_free(o->woe);
	hc_free(o->y);
	memset(o, 0, sizeof(*o));
}

/* Ordered: row r's ids and target, kept until the pass is over. */
static int oof_record(struct hc_enc_oof *o, const struct hc_enc_state *st,
		      const uint32_t *ids, double y, struct hc_err *err)
{
	if (o->nrows == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 4096;
		void *p = hc_reallocarray(o->y, cap, sizeof(*o->y));

		if (!p)
			return hc_err_nomem(err);
		o->y = p;
		for (size_t j = 0; j < st->ncols; j++) {
			if (!(st->cols[j].kinds & HC_ENC_TARGET_KINDS))
				continue;
			if (!(p = hc_reallocarray(o->ids[j], cap, sizeof(**o->ids))))
				return hc_err_nomem(err);
			o->ids[j] = p;
		}
		o->cap = cap;
	}
	o->y[o->nrows] = y;
	for (size_t j = 0; j < st->ncols; j++)
		if (st->cols[j].kinds & HC_ENC_TARGET_KINDS)
			o->ids[j][o->nrows] = ids[j];
	o->nrows++;
	return 0;
}

int hc_enc_oof_finish(struct hc_enc_oof *o, const struct hc_enc_state *st,
		      struct hc_err *err)
{
	struct hc_te_global g;

	if (!o->ordered)
		return 0;
	hc_te_global_init(&g, (double)st->target_rows, st->target_sum,
			  st->target_sum2);
	for (size_t j = 0; j < st->ncols; j++) {
		const struct hc_enc_col *c = &st->cols[j];
		size_t nv = hc_strmap_count(&c->vocab);

		for (int woe = 0; woe < 2; woe++) {
			float **dst = woe ? &o->woe[j] : &o->te[j];

			if (!(c->kinds & HC_ENC_BIT(woe ? HC_ENC_WOE : HC_ENC_TARGET)))
				continue;
			if (!(*dst = hc_mallocarray(o->nrows ? o->nrows : 1, sizeof(float))))
				return hc_err_nomem(err);
			if (hc_te_ordered(o->ids[j], o->y, o->nrows, nv, &g, st->p.smooth,
					  woe, o->seed + j, *dst, err) != 0)
				return -1;
		}
		hc_free(o->ids[j]);
		o->ids[j] = NULL;
	}
	return 0;
}

/* ---- the passes --------------------------------------------------------- */

/* The target of a row: NaN for an empty field; -1 with err set for a
 * value that is not a finite number. */
static int row_target(const struct hc_csv_reader *csv, const struct hc_csv_row *row,
		      long col, double *y, struct hc_err *err)
{
	const char *s;
	size_t len;
	char where[512];

	*y = NAN;
	if (col < 0 || (len = hc_csv_field_len(row, (size_t)col)) == 0)
		return 0;
	s = hc_csv_field(row, (size_t)col);
	if (hc_parse_double(s, len, y) == 0 && isfinite(*y))
		return 0;
	hc_csv_where(csv, row->line, (size_t)col, where, sizeof(where));
	return hc_err_set(err, HC_ERR_DATA, "%s: target '%.40s' is not a finite number", where, s);
}

struct rowbuf {
	const char **vals;
	size_t *lens;
	uint32_t *ids;
	double *te, *woe;
};

static int rowbuf_init(struct rowbuf *b, size_t n, struct hc_err *err)
{
	n = n ? n : 1;
	b->vals = hc_calloc(n, sizeof(*b->vals));
	b->lens = hc_calloc(n, sizeof(*b->lens));
	b->ids = hc_calloc(n, sizeof(*b->ids));
	b->te = hc_calloc(n, sizeof(*b->te));
	b->woe = hc_calloc(n, sizeof(*b->woe));
	return b->vals && b->lens && b->ids && b->te && b->woe ? 0 : hc_err_nomem(err);
}

static void rowbuf_release(struct rowbuf *b)
{
	hc_free(b->vals);
	hc_free(b->lens);
	hc_free(b->ids);
	hc_free(b->te);
	hc_free(b->woe);
}

static void row_values(const struct hc_enc_state *st, const struct hc_enc_layout *l,
		       const struct hc_csv_row *row, struct rowbuf *b)
{
	for (size_t j = 0; j < st->ncols; j++) {
		b->vals[j] = hc_csv_field(row, l->col[j]);
		b->lens[j] = hc_csv_field_len(row, l->col[j]);
	}
}

static int fit_row(struct hc_enc_state *st, struct hc_enc_oof *oof,
		   struct rowbuf *b, uint64_t r, double y, struct hc_err *err)
{
	if (hc_enc_observe(st, b->vals, b->lens, y, b->ids, err) != 0)
		return -1;
	if (!oof)
		return 0;
	if (oof->ordered)
		return oof_record(oof, st, b->ids, y, err);
	if (y != y)
		return 0;
	for (size_t j = 0; j < st->ncols; j++)
		if ((st->cols[j].kinds & HC_ENC_TARGET_KINDS) &&
		    hc_te_folds_add(&oof->f[j], b->ids[j],
				    hc_fold_of(oof->seed, r, oof->folds), y, err) != 0)
			return -1;
	return 0;
}

int hc_enc_fit(struct hc_enc_state *st, struct hc_csv_reader *csv,
	       const struct hc_enc_layout *l, struct hc_enc_oof *oof,
	       struct hc_progress *prog, struct hc_err *err)
{
	struct hc_csv_row row;
	struct rowbuf b;
	uint64_t r = 0;
	double y;
	int got, rc = -1;

	if (rowbuf_init(&b, st->ncols, err) != 0)
		goto done;
	while ((got = hc_csv_next(csv, &row, err)) == 1) {
		if (row_target(csv, &row, l->target, &y, err) != 0)
			goto done;
		row_values(st, l, &row, &b);
		if (fit_row(st, oof, &b, r, y, err) != 0)
			goto done;
		if ((++r & 0xffff) == 0 && prog)
			hc_progress_update(prog, hc_csv_bytes_read(csv), r);
	}
	if (got < 0)
		goto done;
	if (r == 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: no rows to fit", hc_csv_name(csv));
		goto done;
	}
	if (st->target && st->target_rows == 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: column '%s': no row has a target", hc_csv_name(csv), st->target);
		goto done;
	}
	rc = hc_enc_finalize(st, err);
done:
	rowbuf_release(&b);
	return rc;
}

/* Out-of-fold values of row r into b->te / b->woe (NaN: in sample). */
static int oof_values(const struct hc_enc_state *st, const struct hc_enc_oof *oof,
		      uint64_t r, struct rowbuf *b, struct hc_err *err)
{
	uint32_t fold = oof->folds ? hc_fold_of(oof->seed, r, oof->folds) : 0;

	if (oof->ordered && r >= oof->nrows)
		return hc_err_set(err, HC_ERR_DATA, "the input grew between the two passes of fit-apply");
	for (size_t j = 0; j < st->ncols; j++) {
		unsigned k = st->cols[j].kinds;

		b->te[j] = b->woe[j] = NAN;
		if (oof->ordered) {
			if (k & HC_ENC_BIT(HC_ENC_TARGET))
				b->te[j] = oof->te[j][r];
			if (k & HC_ENC_BIT(HC_ENC_WOE))
				b->woe[j] = oof->woe[j][r];
			continue;
		}
		if (k & HC_ENC_BIT(HC_ENC_TARGET))
			b->te[j] = hc_te_folds_value(&oof->f[j], b->ids[j], fold, st->p.smooth, 0);
		if (k & HC_ENC_BIT(HC_ENC_WOE))
			b->woe[j] = hc_te_folds_value(&oof->f[j], b->ids[j], fold, st->p.smooth, 1);
	}
	return 0;
}

int hc_enc_apply(const struct hc_enc_state *st, struct hc_csv_reader *csv,
		 const struct hc_enc_layout *l, const struct hc_enc_oof *oof,
		 struct hc_enc_writer *w, struct hc_progress *prog,
		 struct hc_err *err)
{
	struct hc_csv_row row;
	struct hc_enc_row er = {0};
	const char **keep = hc_calloc(l->nkeep + 1, sizeof(*keep));
	size_t *keep_len = hc_calloc(l->nkeep + 1, sizeof(*keep_len));
	struct rowbuf b = {0};
	uint64_t r = 0;
	int got, rc = -1;

	if (!keep || !keep_len) {
		hc_err_nomem(err);
		goto done;
	}
	if (rowbuf_init(&b, st->ncols, err) != 0)
		goto done;
	er.keep = keep;
	er.keep_len = keep_len;
	er.ids = b.ids;
	er.te = oof ? b.te : NULL;
	er.woe = oof ? b.woe : NULL;
	while ((got = hc_csv_next(csv, &row, err)) == 1) {
		if (row_target(csv, &row, l->target, &er.y, err) != 0)
			goto done;
		for (size_t i = 0; i < l->nkeep; i++) {
			keep[i] = hc_csv_field(&row, l->keep[i]);
			keep_len[i] = hc_csv_field_len(&row, l->keep[i]);
		}
		if (l->target >= 0) {
			er.label = hc_csv_field(&row, (size_t)l->target);
			er.label_len = hc_csv_field_len(&row, (size_t)l->target);
		}
		for (size_t j = 0; j < st->ncols; j++)
			b.ids[j] = hc_enc_lookup(st, j, hc_csv_field(&row, l->col[j]),
						 hc_csv_field_len(&row, l->col[j]));
		if (oof && oof_values(st, oof, r, &b, err) != 0)
			goto done;
		if (hc_enc_writer_row(w, &er, err) != 0) {
			if (err->kind == HC_ERR_DATA)
				hc_err_prefix(err, "%s:%llu", hc_csv_name(csv),
					      (unsigned long long)row.line);
			goto done;
		}
		if ((++r & 0xffff) == 0 && prog)
			hc_progress_update(prog, hc_csv_bytes_read(csv), r);
	}
	if (got < 0)
		goto done;
	if (oof && oof->ordered && r != oof->nrows) {
		hc_err_set(err, HC_ERR_DATA, "the input changed between the two passes of fit-apply");
		goto done;
	}
	rc = 0;
done:
	rowbuf_release(&b);
	hc_free(keep);
	hc_free(keep_len);
	return rc;
}
