/* encode_scan.c - fit and apply passes over CSV rows (encode_scan.h)
 *
 * Both passes go by batches (lib/csv_read.h) and, within a batch, column
 * by column, so that the vocabulary lookups of one column run as a
 * prefetching pipeline (src/encode_state.c).
 *
 * Targets: an empty field is a row without a target (counted by count and
 * freq, left out of target sums, still encoded); anything else must be a
 * finite number, or the pass stops with the field's position.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hugepage.h"
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
	l->weight = -1;
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

int hc_enc_layout_weight(struct hc_enc_layout *l, const struct hc_enc_state *st,
			 const struct hc_csv_reader *csv, const char *weight,
			 struct hc_err *err)
{
	const char *const *names = hc_csv_colnames(csv);
	long w;

	l->weight = -1;
	if (!weight)
		return 0;
	if ((w = hc_select_one(weight, names, hc_csv_ncols(csv), err)) < 0)
		return -1;
	for (size_t j = 0; j < st->ncols; j++)
		if (l->col[j] == (size_t)w)
			return hc_err_set(err, HC_ERR_USAGE, "column '%s' is encoded; it cannot also be the --weight column", names[w]);
	if (l->target == w)
		return hc_err_set(err, HC_ERR_USAGE, "column '%s' is the target; it cannot also be the --weight column", names[w]);
	for (size_t i = 0; i < l->nkeep; i++)
		if (l->keep[i] == (size_t)w)
			return hc_err_set(err, HC_ERR_USAGE, "column '%s' is the --weight column; --keep cannot name it too (it is written once, after the target)", names[w]);
	l->weight = w;
	return 0;
}

void hc_enc_layout_release(struct hc_enc_layout *l)
{
	hc_free(l->col);
	hc_free(l->keep);
	memset(l, 0, sizeof(*l));
}

/* ---- out of fold -------------------------------------------------------- */

/* Recorded rows are encoded, and added to fold sums, in blocks of this
 * many (scratch size). */
#define RECORDED_BLOCK 4096

static int is_target_col(const struct hc_enc_state *st, size_t j)
{
	return (st->cols[j].kinds & HC_ENC_TARGET_KINDS) != 0;
}

/* The per-class arrays of a multiclass target (nothing otherwise). */
static int multiclass_init(struct hc_enc_oof *o, const struct hc_enc_state *st,
			   struct hc_err *err)
{
	size_t n = (st->ncols ? st->ncols : 1) * (size_t)st->nclasses;

	o->ncl = st->nclasses;
	if (!o->ncl)
		return 0;
	o->tec = hc_calloc(n, sizeof(*o->tec));
	if (!o->tec || (!o->ordered && !(o->fc = hc_calloc(n, sizeof(*o->fc)))))
		return hc_err_nomem(err);
	return 0;
}

/* o->yk[(k - k0) * n + i] = [y[i] == k] for i < n and classes k0 <= k <
 * k1 (NaN stays NaN).  0, or -1. */
static int indicators(struct hc_enc_oof *o, const double *y, size_t n,
		      uint32_t k0, uint32_t k1, struct hc_err *err)
{
	size_t need = n * (size_t)(k1 - k0);

	if (need > o->ykcap) {
		hc_free(o->yk);
		o->ykcap = 0;
		if (!(o->yk = hc_mallocarray(need, sizeof(*o->yk))))
			return hc_err_nomem(err);
		o->ykcap = need;
	}
	for (uint32_t k = k0; k < k1; k++) {
		double *yk = o->yk + (size_t)(k - k0) * n;

		for (size_t i = 0; i < n; i++)
			yk[i] = y[i] != y[i] ? NAN : y[i] == (double)k;
	}
	return 0;
}

/* Adds n rows of column j (ids, targets y, folds) to its fold sums: one
 * set, or one per class of a multiclass target, whose indicators
 * (o->yk) the caller made once for the batch (class_indicators). */
static int folds_add(struct hc_enc_oof *o, size_t j, const uint32_t *ids,
		     const double *y, const uint8_t *fold, size_t n,
		     struct hc_err *err)
{
	if (!o->ncl)
		return hc_te_folds_add_folded(&o->f[j], ids, y, fold, n, err);
	for (uint32_t k = 0; k < o->ncl; k++)
		if (hc_te_folds_add_folded(&o->fc[j * o->ncl + k], ids,
					   o->yk + (size_t)k * n, fold, n, err) != 0)
			return -1;
	return 0;
}

/* Before folds_add of a batch: a multiclass target's indicators, every
 * class at once for all the batch's columns.  0, or -1. */
static int class_indicators(struct hc_enc_oof *o, const double *y, size_t n,
			    struct hc_err *err)
{
	return o->ncl ? indicators(o, y, n, 0, o->ncl, err) : 0;
}

int hc_enc_oof_init(struct hc_enc_oof *o, const struct hc_enc_state *st,
		    uint32_t folds, int ordered, uint64_t seed,
		    uint64_t budget, struct hc_err *err)
{
	size_t n = st->ncols ? st->ncols : 1;

	memset(o, 0, sizeof(*o));
	o->ncols = st->ncols;
	o->folds = ordered ? 0 : folds;
	o->ordered = ordered;
	o->seed = seed;
	o->budget = budget;
	o->full = budget > 0;
	o->ids = hc_calloc(n, sizeof(*o->ids));
	o->te = hc_calloc(n, sizeof(*o->te));
	o->woe = hc_calloc(n, sizeof(*o->woe));
	o->num = hc_calloc(n, sizeof(*o->num));
	if (!o->ids || !o->te || !o->woe || !o->num)
		return hc_err_nomem(err);
	if (multiclass_init(o, st, err) != 0)
		return -1;
	if (ordered)
		return 0;
	if (!(o->f = hc_calloc(n, sizeof(*o->f))))
		return hc_err_nomem(err);
	for (size_t j = 0; j < st->ncols; j++)
		if (is_target_col(st, j) && !o->ncl &&
		    hc_te_folds_init(&o->f[j], folds, st->p.smooth < 0, err) != 0)
			return -1;
	for (size_t j = 0; j < st->ncols; j++)
		for (uint32_t k = 0; k < o->ncl && is_target_col(st, j); k++)
			if (hc_te_folds_init(&o->fc[j * o->ncl + k], folds,
					     st->p.smooth < 0, err) != 0)
				return -1;
	return 0;
}

int hc_enc_oof_spill(struct hc_enc_oof *o, struct hc_err *err)
{
	if (o->ordered || o->full)
		return hc_err_set(err, HC_ERR_USAGE, "spilling is for K-fold without recording");
	return (o->spill = hc_spill_open(err)) ? 0 : -1;
}

void hc_enc_oof_release(struct hc_enc_oof *o)
{
	hc_spill_close(o->spill);
	for (size_t j = 0; j < o->ncols; j++) {
		if (o->f)
			hc_te_folds_release(&o->f[j]);
		if (o->ids)
			hc_free(o->ids[j]);
		if (o->te)
			hc_free(o->te[j]);
		if (o->woe)
			hc_free(o->woe[j]);
		if (o->num)
			hc_free(o->num[j]);
	}
	for (size_t i = 0; i < o->ncols * o->ncl; i++) {
		if (o->fc)
			hc_te_folds_release(&o->fc[i]);
		if (o->tec)
			hc_free(o->tec[i]);
	}
	hc_free(o->fc);
	hc_free(o->tec);
	hc_free(o->yk);
	hc_free(o->num);
	hc_free(o->f);
	hc_free(o->ids);
	hc_free(o->te);
	hc_free(o->woe);
	hc_free(o->y);
	hc_free(o->w);
	memset(o, 0, sizeof(*o));
}

/* Whether column j's ids are recorded. */
static int recorded(const struct hc_enc_oof *o, const struct hc_enc_state *st,
		    size_t j)
{
	return o->full || (o->ordered && is_target_col(st, j));
}

/* Adds recorded rows r0 .. r0 + n - 1 to the fold sums, in blocks whose
 * folds are drawn once for all columns. */
static int add_recorded(struct hc_enc_oof *o, const struct hc_enc_state *st,
			size_t r0, size_t n, struct hc_err *err)
{
	uint8_t fold[RECORDED_BLOCK];

	for (size_t i = 0; i < n; i += RECORDED_BLOCK) {
		size_t m = n - i < RECORDED_BLOCK ? n - i : RECORDED_BLOCK;

		hc_fold_rows(o->seed, r0 + i, o->folds, m, fold);
		if (class_indicators(o, o->y + r0 + i, m, err) != 0)
			return -1;
		for (size_t j = 0; j < st->ncols; j++)
			if (is_target_col(st, j) &&
			    folds_add(o, j, o->ids[j] + r0 + i, o->y + r0 + i,
				      fold, m, err) != 0)
				return -1;
	}
	return 0;
}

/* Over the budget: keep only what ordered statistics cannot do without.
 * K-fold sums wait for the end of a recorded fit (when each column's
 * number of values is known): the rows recorded so far are added now. */
static int drop_recording(struct hc_enc_oof *o, const struct hc_enc_state *st,
			  struct hc_err *err)
{
	if (!o->ordered && add_recorded(o, st, 0, o->nrows, err) != 0)
		return -1;
	o->full = 0;
	for (size_t j = 0; j < st->ncols; j++)
		if (!recorded(o, st, j)) {
			hc_free(o->ids[j]);
			o->ids[j] = NULL;
		}
	for (size_t j = 0; j < st->ncols; j++) {
		hc_free(o->num[j]);
		o->num[j] = NULL;
	}
	hc_free(o->w);
	o->w = NULL;
	if (!o->ordered) {
		hc_free(o->y);
		o->y = NULL;
		o->nrows = o->cap = 0;
	}
	return 0;
}

/* Room for need recorded rows in all. */
static int record_reserve(struct hc_enc_oof *o, const struct hc_enc_state *st,
			  size_t need, struct hc_err *err)
{
	size_t cap, per = st->target ? sizeof(*o->y) : 0;
	void *p;

	if ((!o->full && !o->ordered) || need <= o->cap)
		return 0;
	cap = o->cap * 2 > need ? o->cap * 2 : need;
	for (size_t j = 0; j < st->ncols; j++) {
		per += recorded(o, st, j) ? sizeof(uint32_t) : 0;
		per += o->full && st->cols[j].num ? sizeof(double) : 0;
	}
	per += o->full && o->weighted ? sizeof(*o->w) : 0;
	if (o->full && (uint64_t)cap * per > o->budget) {
		if (drop_recording(o, st, err) != 0)
			return -1;
		return record_reserve(o, st, need, err);
	}
	/* without a target column there is no label to keep (nor sums) */
	if (st->target) {
		if (!(p = hc_reallocarray(o->y, cap, sizeof(*o->y))))
			return hc_err_nomem(err);
		o->y = p;
		hc_mem_advise_huge(o->y, cap * sizeof(*o->y));
	}
	/* weights only go with the rows when every row is recorded */
	if (o->full && o->weighted) {
		if (!(p = hc_reallocarray(o->w, cap, sizeof(*o->w))))
			return hc_err_nomem(err);
		o->w = p;
	}
	for (size_t j = 0; j < st->ncols; j++) {
		if (!recorded(o, st, j))
			continue;
		if (!(p = hc_reallocarray(o->ids[j], cap, sizeof(**o->ids))))
			return hc_err_nomem(err);
		o->ids[j] = p;
		hc_mem_advise_huge(o->ids[j], cap * sizeof(**o->ids));
		if (!o->full || !st->cols[j].num)
			continue;
		if (!(p = hc_reallocarray(o->num[j], cap, sizeof(**o->num))))
			return hc_err_nomem(err);
		o->num[j] = p;
	}
	o->cap = cap;
	return 0;
}

/* Ordered statistics of a multiclass target: per column and class, from
 * the class's indicators, over the same permutation for every class. */
static int ordered_classes(struct hc_enc_oof *o, const struct hc_enc_state *st,
			   struct hc_err *err)
{
	for (uint32_t k = 0; k < o->ncl; k++) {
		struct hc_te_global g;

		hc_te_global_init(&g, (double)st->target_rows, st->class_rows[k],
				  st->class_rows[k]);
		if (indicators(o, o->y, o->nrows, k, k + 1, err) != 0)
			return -1;
		for (size_t j = 0; j < st->ncols; j++) {
			float **dst = &o->tec[j * o->ncl + k];

			if (!(st->cols[j].kinds & HC_ENC_BIT(HC_ENC_TARGET)))
				continue;
			if (!(*dst = hc_mallocarray(o->nrows ? o->nrows : 1, sizeof(float))))
				return hc_err_nomem(err);
			if (hc_te_ordered(o->ids[j], o->yk, o->nrows,
					  hc_strmap_count(&st->cols[j].vocab), &g,
					  st->p.smooth, 0, o->seed + j, *dst, err) != 0)
				return -1;
		}
	}
	return 0;
}

int hc_enc_oof_finish(struct hc_enc_oof *o, const struct hc_enc_state *st,
		      struct hc_err *err)
{
	struct hc_te_global g;

	if (o->spill && hc_spill_rewind(o->spill, err) != 0)
		return -1;
	if (!o->ordered && o->full) {
		/* the sums of a recorded fit, in exactly sized arrays */
		for (size_t j = 0; j < st->ncols; j++)
			for (uint32_t k = 0; k < (o->ncl ? o->ncl : 1) && is_target_col(st, j); k++)
				if (hc_te_folds_reserve(o->ncl ? &o->fc[j * o->ncl + k] : &o->f[j],
							hc_strmap_count(&st->cols[j].vocab), err) != 0)
					return -1;
		return add_recorded(o, st, 0, o->nrows, err);
	}
	if (!o->ordered)
		return 0;
	if (o->ncl)
		return ordered_classes(o, st, err);
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
	}
	return 0;
}

/* ---- batches ------------------------------------------------------------- */

/* Per-batch scratch: targets and ids (column-major: ids[j * cap + i]). */
struct scratch {
	double *y;
	uint32_t *ids;
	double *te_blk, *woe_blk;  /* out-of-fold values, like ids */
	uint8_t *fold;             /* per row: its fold */
	size_t cap, ncols;
	uint32_t **col_ids;        /* per column: where its n ids go */
	uint32_t *row_ids;
	double *te, *woe;          /* one row's, for the writer */
	uint32_t ncl;              /* multiclass: classes, else 0 */
	double *tec_blk;           /* [(j * ncl + k) * cap + i] */
	double *tec;               /* one row's, [j * ncl + k] */
	const char **vals;         /* one row's values, for the hash encoder */
	size_t *lens;
	double *num;               /* numbers, like ids */
	double *row_num;           /* one row's, for the writer */
	double *w;                 /* per row: its weight (--weight) */
};

static int scratch_reserve(struct scratch *s, size_t nrows, size_t ncols,
			   uint32_t ncl, struct hc_err *err)
{
	if (!s->row_ids) {
		size_t n = ncols ? ncols : 1;
		s->ncl = ncl;
		if (ncl && !(s->tec = hc_calloc(n * ncl, sizeof(*s->tec))))
			return hc_err_nomem(err);
		s->row_ids = hc_calloc(n, sizeof(*s->row_ids));
		s->te = hc_calloc(n, sizeof(*s->te));
		s->woe = hc_calloc(n, sizeof(*s->woe));
		s->vals = hc_calloc(n, sizeof(*s->vals));
		s->lens = hc_calloc(n, sizeof(*s->lens));
		s->col_ids = hc_calloc(n, sizeof(*s->col_ids));
		s->row_num = hc_calloc(n, sizeof(*s->row_num));
		if (!s->row_ids || !s->te || !s->woe || !s->vals || !s->lens ||
		    !s->col_ids || !s->row_num)
			return hc_err_nomem(err);
	}
	s->ncols = ncols;
	if (nrows <= s->cap)
		return 0;
	hc_free(s->y);
	hc_free(s->ids);
	hc_free(s->te_blk);
	hc_free(s->woe_blk);
	hc_free(s->fold);
	hc_free(s->num);
	hc_free(s->w);
	ncols = ncols ? ncols : 1;
	s->y = hc_mallocarray(nrows, sizeof(*s->y));
	s->ids = hc_mallocarray(nrows, ncols * sizeof(*s->ids));
	s->te_blk = hc_mallocarray(nrows, ncols * sizeof(*s->te_blk));
	s->woe_blk = hc_mallocarray(nrows, ncols * sizeof(*s->woe_blk));
	s->fold = hc_malloc(nrows);
	s->num = hc_mallocarray(nrows, ncols * sizeof(*s->num));
	s->w = hc_mallocarray(nrows, sizeof(*s->w));
	hc_free(s->tec_blk);
	s->tec_blk = s->ncl ? hc_mallocarray(nrows, ncols * s->ncl * sizeof(double)) : NULL;
	s->cap = s->y && s->ids && s->te_blk && s->woe_blk && s->fold && s->num &&
		 s->w && (!s->ncl || s->tec_blk) ? nrows : 0;
	return s->cap ? 0 : hc_err_nomem(err);
}

static void scratch_release(struct scratch *s)
{
	hc_free(s->y);
	hc_free(s->ids);
	hc_free(s->te_blk);
	hc_free(s->woe_blk);
	hc_free(s->fold);
	hc_free(s->col_ids);
	hc_free(s->row_ids);
	hc_free(s->te);
	hc_free(s->woe);
	hc_free(s->vals);
	hc_free(s->lens);
	hc_free(s->num);
	hc_free(s->row_num);
	hc_free(s->tec_blk);
	hc_free(s->tec);
	hc_free(s->w);
}

/* A multiclass target's label that is not among the classes. */
static int unknown_class(const struct hc_enc_state *st, const char *where,
			 const char *s, size_t len, struct hc_err *err)
{
	char list[256];
	size_t n = 0;

	list[0] = '\0';
	for (uint32_t k = 0; k < st->nclasses && n + 1 < sizeof(list); k++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", k ? "," : "", st->classes[k]);
	if (n >= sizeof(list))
		strcpy(list + sizeof(list) - 4, "...");
	return hc_err_set(err, HC_ERR_DATA, "%s: target '%.*s' is not one of --classes %s", where, (int)(len < 40 ? len : 40), s, list);
}

/* The targets of a batch (NaN where empty); a value that is not a number
 * within HC_TE_TARGET_MAX (NaN, infinity, 1e300: its square would
 * overflow the sums) is an error naming its place.  A multiclass target's
 * y is the label's class index; a label not among them is an error. */
static int batch_targets(const struct hc_enc_state *st,
			 const struct hc_csv_reader *csv,
			 const struct hc_csv_batch *b, long col, double *y,
			 struct hc_err *err)
{
	char where[512];

	for (size_t i = 0; i < b->nrows; i++) {
		size_t f;
		const char *s;

		y[i] = NAN;
		if (col < 0)
			continue;
		f = i * b->ncols + (size_t)col;
		s = b->buf + b->off[f];
		if (b->len[f] == 0)
			continue;
		if (st->nclasses) {
			int k = hc_enc_class_of(st, s, b->len[f]);

			if (k >= 0) {
				y[i] = k;
				continue;
			}
			hc_csv_where(csv, b->line[i], (size_t)col, where, sizeof(where));
			return unknown_class(st, where, s, b->len[f], err);
		}
		if (hc_parse_double(s, b->len[f], &y[i]) == 0 &&
		    fabs(y[i]) <= HC_TE_TARGET_MAX)
			continue;
		hc_csv_where(csv, b->line[i], (size_t)col, where, sizeof(where));
		return hc_err_set(err, HC_ERR_DATA, "%s: target '%.40s' is not a number from -1e100 to 1e100", where, s);
	}
	return 0;
}

/* Where the fit pass puts a batch of n rows: the targets in *y, the
 * weights in *w and column j's ids in s->col_ids[j], straight into the
 * recording when rows are recorded (after making room), else into the
 * scratch. */
static int batch_dest(struct hc_enc_oof *oof, const struct hc_enc_state *st,
		      struct scratch *s, size_t n, double **y, double **w,
		      struct hc_err *err)
{
	if (oof && record_reserve(oof, st, oof->nrows + n, err) != 0)
		return -1;
	*y = oof && oof->y ? oof->y + oof->nrows : s->y;
	*w = oof && oof->w ? oof->w + oof->nrows : s->w;
	for (size_t j = 0; j < st->ncols; j++)
		s->col_ids[j] = oof && oof->ids[j] ? oof->ids[j] + oof->nrows
						   : s->ids + j * s->cap;
	return 0;
}

/* Column j's fields of a batch as numbers (NaN where empty), checked
 * for its numeric encoders (encode_scan.h). */
static int batch_numbers(const struct hc_csv_reader *csv,
			 const struct hc_csv_batch *b, const struct hc_enc_col *c,
			 size_t col, double *x, struct hc_err *err)
{
	char where[512];
	int log = (c->kinds & HC_ENC_BIT(HC_ENC_LOG1P)) != 0;

	for (size_t i = 0; i < b->nrows; i++) {
		size_t f = i * b->ncols + col;
		const char *s = b->buf + b->off[f];

		int bad = hc_enc_num_parse(s, b->len[f], &x[i]) != 0;

		if (!bad && !(log && x[i] <= -1))
			continue;
		hc_csv_where(csv, b->line[i], col, where, sizeof(where));
		if (!bad)
			return hc_err_set(err, HC_ERR_DATA, "%s: --log1p needs numbers above -1, not '%.40s'", where, s);
		return hc_err_set(err, HC_ERR_DATA, "%s: '%.40s' is not a number from -1e100 to 1e100 (a missing number is an empty field)", where, s);
	}
	return 0;
}

/* The hash encoder's modulo scheme reads a column's values as whole
 * numbers: a field that is not one (an empty one included) is an error
 * naming its place, in the fit pass and in apply alike, worded as hicard
 * hash words it (the row would have no id). */
static int batch_modulo(const struct hc_csv_reader *csv,
			const struct hc_csv_batch *b, size_t col,
			struct hc_err *err)
{
	char where[512];
	uint64_t n;

	for (size_t i = 0; i < b->nrows; i++) {
		size_t f = i * b->ncols + col;
		const char *s = b->buf + b->off[f];

		if (hc_parse_u64(s, b->len[f], UINT64_MAX, &n) == 0)
			continue;
		hc_csv_where(csv, b->line[i], col, where, sizeof(where));
		return hc_err_set(err, HC_ERR_DATA, "%s: '%.40s' is not a whole number (modulo takes integer ids)", where, s);
	}
	return 0;
}

/* The weights of a batch from input column col (encode_num.h:
 * hc_enc_weight_parse); a bad one stops the pass with its place. */
static int batch_weights(const struct hc_csv_reader *csv,
			 const struct hc_csv_batch *b, size_t col, double *w,
			 struct hc_err *err)
{
	char where[512];

	for (size_t i = 0; i < b->nrows; i++) {
		size_t f = i * b->ncols + col;
		const char *s = b->buf + b->off[f];

		if (hc_enc_weight_parse(s, b->len[f], &w[i]) == 0)
			continue;
		hc_csv_where(csv, b->line[i], col, where, sizeof(where));
		if (b->len[f] == 0)
			return hc_err_set(err, HC_ERR_DATA, "%s: no weight (an empty field): every row needs a number from 0 to 1e38", where);
		return hc_err_set(err, HC_ERR_DATA, "%s: weight '%.40s' is not a number from 0 to 1e38", where, s);
	}
	return 0;
}

/* Column j's ids and numbers of a batch into s: counted into fit (the
 * fit pass) or, with fit NULL, looked up in st; UNSEEN for a column
 * without a value encoder. */
static int batch_column(struct hc_enc_state *fit, const struct hc_enc_state *st,
			const struct hc_csv_reader *csv,
			const struct hc_csv_batch *b, const struct hc_enc_layout *l,
			size_t j, struct scratch *s, uint32_t *ids, const double *y,
			struct hc_err *err)
{
	const struct hc_enc_col *c = &st->cols[j];
	double *x = s->num + j * s->cap;

	if (c->num && (batch_numbers(csv, b, c, l->col[j], x, err) != 0 ||
		       (fit && hc_enc_observe_numbers(fit, j, x, b->nrows, err) != 0)))
		return -1;
	if ((c->kinds & HC_ENC_BIT(HC_ENC_HASH)) && c->scheme == HC_SCHEME_MODULO &&
	    batch_modulo(csv, b, l->col[j], err) != 0)
		return -1;
	if (!(c->kinds & HC_ENC_VOCAB_KINDS)) {
		for (size_t i = 0; i < b->nrows; i++)
			ids[i] = HC_ENC_UNSEEN;
		return 0;
	}
	if (fit)
		return hc_enc_observe_column(fit, j, b->buf, b->off + l->col[j],
					     b->len + l->col[j], b->ncols, b->nrows,
					     y, ids, err);
	hc_enc_lookup_column(st, j, b->buf, b->off + l->col[j], b->len + l->col[j],
			     b->ncols, b->nrows, ids);
	return 0;
}

/* A batch of the fit pass to the scratch file (encode_scan.h). */
static int spill_batch(struct hc_enc_oof *oof, const struct hc_enc_state *st,
		       const struct scratch *s, const double *y, const double *w,
		       size_t n, struct hc_err *err)
{
	uint64_t rows = n;

	if (hc_spill_write(oof->spill, &rows, sizeof(rows), err) != 0 ||
	    hc_spill_write(oof->spill, y, n * sizeof(*y), err) != 0 ||
	    (oof->weighted && hc_spill_write(oof->spill, w, n * sizeof(*w), err) != 0))
		return -1;
	for (size_t j = 0; j < st->ncols; j++)
		if (hc_spill_write(oof->spill, s->col_ids[j], n * sizeof(uint32_t), err) != 0 ||
		    (st->cols[j].num &&
		     hc_spill_write(oof->spill, s->num + j * s->cap, n * sizeof(double), err) != 0))
			return -1;
	oof->spilled += n;
	return 0;
}

/* What the fit pass adds to oof for a batch of n rows starting at row r
 * (in place by batch_dest): the recording grows, or, when rows are not
 * recorded, the K-fold sums (a recorded fit adds them at the end). */
static int oof_batch(struct hc_enc_oof *oof, const struct hc_enc_state *st,
		     struct scratch *s, const double *y, const double *w,
		     size_t n, uint64_t r, struct hc_err *err)
{
	if (oof->full || oof->ordered) {
		for (size_t j = 0; j < st->ncols; j++)
			if (oof->num[j])
				memcpy(oof->num[j] + oof->nrows, s->num + j * s->cap,
				       n * sizeof(double));
		oof->nrows += n;
	}
	if (oof->ordered || oof->full)
		return 0;
	if (oof->spill && spill_batch(oof, st, s, y, w, n, err) != 0)
		return -1;
	hc_fold_rows(oof->seed, r, oof->folds, n, s->fold);
	if (class_indicators(oof, y, n, err) != 0)
		return -1;
	for (size_t j = 0; j < st->ncols; j++)
		if (is_target_col(st, j) &&
		    folds_add(oof, j, s->col_ids[j], y, s->fold, n, err) != 0)
			return -1;
	return 0;
}

struct label {
	const char *s;
	size_t len;
};

static int by_bytes(const void *pa, const void *pb)
{
	const struct label *a = pa, *b = pb;
	int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

int hc_enc_auto_classes(struct hc_enc_state *st, struct hc_csv_reader *csv,
			long col, struct hc_err *err)
{
	struct label lab[HC_ENC_CLASSES_MAX];
	const char *txt[HC_ENC_CLASSES_MAX];
	size_t len[HC_ENC_CLASSES_MAX], n = 0;
	const struct hc_csv_batch *b;
	int got, rc = -1;

	while ((got = hc_csv_next_batch(csv, &b, err)) == 1)
		for (size_t i = 0; i < b->nrows; i++) {
			size_t f = i * b->ncols + (size_t)col, k;
			const char *v = b->buf + b->off[f];

			for (k = 0; k < n && !(lab[k].len == b->len[f] &&
					       !memcmp(lab[k].s, v, b->len[f])); k++)
				;
			if (k < n || b->len[f] == 0)
				continue;
			if (n == HC_ENC_CLASSES_MAX) {
				hc_err_set(err, HC_ERR_DATA, "%s: column '%s': more than %d distinct labels for --classes auto (is it a numeric target?)", hc_csv_name(csv), st->target, HC_ENC_CLASSES_MAX);
				goto done;
			}
			/* the batch's bytes go with the next batch */
			if (!(lab[n].s = hc_strndup(v, b->len[f]))) {
				hc_err_nomem(err);
				goto done;
			}
			lab[n++].len = b->len[f];
		}
	if (got < 0)
		goto done;
	if (n == 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: column '%s': no label for --classes auto", hc_csv_name(csv), st->target);
		goto done;
	}
	qsort(lab, n, sizeof(*lab), by_bytes);
	for (size_t k = 0; k < n; k++) {
		txt[k] = lab[k].s;
		len[k] = lab[k].len;
	}
	rc = hc_enc_set_classes(st, n, txt, len, err);
done:
	for (size_t k = 0; k < n; k++)
		hc_free((void *)lab[k].s);
	return rc;
}

/* Rows of the whole input, from the first batch's bytes per row, 2%
 * over; at most 2^32 (the estimate is only a reservation). */
static size_t estimate_rows(const struct hc_csv_reader *csv, size_t rows)
{
	double per = (double)hc_csv_bytes_read(csv) / (double)rows;
	double est = (double)hc_csv_bytes_total(csv) / per * 1.02;

	return est < 4294967296.0 ? (size_t)est + 1 : (size_t)1 << 32;
}

int hc_enc_fit(struct hc_enc_state *st, struct hc_csv_reader *csv,
	       const struct hc_enc_layout *l, struct hc_enc_oof *oof,
	       struct hc_progress *prog, struct hc_err *err)
{
	const struct hc_csv_batch *b;
	struct scratch s = {0};
	uint64_t r = 0;
	int got, rc = -1;

	if (oof)
		oof->weighted = l->weight >= 0;
	while ((got = hc_csv_next_batch(csv, &b, err)) == 1) {
		double *y, *w;

		if (scratch_reserve(&s, b->nrows, st->ncols, st->nclasses, err) != 0)
			goto done;
		/* At the first batch, room for the rows the file's size
		 * suggests: growing by doubling would copy and fault in up to
		 * twice the memory. */
		if (oof && r == 0 && hc_csv_bytes_total(csv) &&
		    record_reserve(oof, st, estimate_rows(csv, b->nrows), err) != 0)
			goto done;
		if (batch_dest(oof, st, &s, b->nrows, &y, &w, err) != 0 ||
		    batch_targets(st, csv, b, l->target, y, err) != 0 ||
		    (l->weight >= 0 &&
		     batch_weights(csv, b, (size_t)l->weight, w, err) != 0) ||
		    hc_enc_observe_targets(st, y, b->nrows, err) != 0)
			goto done;
		for (size_t j = 0; j < st->ncols; j++)
			if (batch_column(st, st, csv, b, l, j, &s, s.col_ids[j], y,
					 err) != 0)
				goto done;
		if (oof && oof_batch(oof, st, &s, y, w, b->nrows, r, err) != 0)
			goto done;
		r += b->nrows;
		if (prog)
			hc_progress_update(prog, hc_csv_bytes_read(csv), r);
	}
	if (got < 0)
		goto done;
	if (r == 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: no rows to fit", hc_csv_name(csv));
		goto done;
	}
	for (size_t j = 0; j < st->ncols; j++)
		if ((st->cols[j].kinds & (HC_ENC_BIT(HC_ENC_STANDARDIZE) | HC_ENC_BIT(HC_ENC_BINS))) &&
		    st->cols[j].num->n == 0) {
			hc_err_set(err, HC_ERR_DATA, "%s: column '%s': no number to fit --standardize or --bins on (every field is empty)", hc_csv_name(csv), st->cols[j].name);
			goto done;
		}
	if (st->target && st->target_rows == 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: column '%s': no row has a target", hc_csv_name(csv), st->target);
		goto done;
	}
	rc = hc_enc_finalize(st, err);
done:
	scratch_release(&s);
	return rc;
}

/* ---- encoding ------------------------------------------------------------ */

/* oof_block for a multiclass target column j: per class k into
 * s->tec_blk. */
static void oof_classes(const struct hc_enc_state *st, const struct hc_enc_oof *oof,
			const uint32_t *ids, size_t j, size_t n, uint64_t r0,
			struct scratch *s)
{
	for (uint32_t k = 0; k < oof->ncl; k++) {
		double *dst = s->tec_blk + (j * oof->ncl + k) * s->cap;

		if (!oof->ordered) {
			hc_te_folds_values_folded(&oof->fc[j * oof->ncl + k], ids,
						  s->fold, n, st->p.smooth, 0, dst);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			dst[i] = oof->tec[j * oof->ncl + k][r0 + i];
	}
}

/* Out-of-fold values of rows r0 .. r0 + n - 1 into s->te_blk and
 * s->woe_blk (column-major like s->ids), column by column so that the
 * fold sums of rows ahead can be prefetched.  ids(j) gives column j's n
 * ids. */
static int oof_block(const struct hc_enc_state *st, const struct hc_enc_oof *oof,
		     const uint32_t *const *ids, size_t n, uint64_t r0,
		     struct scratch *s, struct hc_err *err)
{
	if (oof->ordered && r0 + n > oof->nrows)
		return hc_err_set(err, HC_ERR_DATA, "the input grew between the two passes of fit-apply");
	if (!oof->ordered)
		hc_fold_rows(oof->seed, r0, oof->folds, n, s->fold);
	for (size_t j = 0; j < st->ncols; j++) {
		unsigned k = st->cols[j].kinds;
		double *te = s->te_blk + j * s->cap, *woe = s->woe_blk + j * s->cap;

		for (int w = 0; w < 2; w++) {
			double *dst = w ? woe : te;

			if (!(k & HC_ENC_BIT(w ? HC_ENC_WOE : HC_ENC_TARGET)))
				continue;
			if (oof->ncl) {
				oof_classes(st, oof, ids[j], j, n, r0, s);
				continue;
			}
			if (!oof->ordered) {
				hc_te_folds_values_folded(&oof->f[j], ids[j], s->fold, n,
							  st->p.smooth, w, dst);
				continue;
			}
			for (size_t i = 0; i < n; i++)
				dst[i] = (w ? oof->woe : oof->te)[j][r0 + i];
		}
	}
	return 0;
}

/* Row i of the current block to the writer. */
static int put_row(const struct hc_enc_state *st, const struct hc_enc_oof *oof,
		   size_t i, struct scratch *s, struct hc_enc_row *er,
		   struct hc_enc_writer *w, struct hc_err *err)
{
	er->ids = s->row_ids;
	er->num = s->row_num;
	er->te = oof ? s->te : NULL;
	er->woe = oof ? s->woe : NULL;
	er->tec = oof && s->ncl ? s->tec : NULL;
	for (size_t j = 0; oof && j < st->ncols; j++) {
		s->te[j] = s->te_blk[j * s->cap + i];
		s->woe[j] = s->woe_blk[j * s->cap + i];
		for (uint32_t k = 0; k < s->ncl && is_target_col(st, j); k++)
			s->tec[j * s->ncl + k] = s->tec_blk[(j * s->ncl + k) * s->cap + i];
	}
	return hc_enc_writer_row(w, er, err);
}

int hc_enc_apply(const struct hc_enc_state *st, struct hc_csv_reader *csv,
		 const struct hc_enc_layout *l, const struct hc_enc_oof *oof,
		 struct hc_enc_writer *w, struct hc_progress *prog,
		 struct hc_err *err)
{
	const struct hc_csv_batch *b;
	struct hc_enc_row er = {0};
	const char **keep = hc_calloc(l->nkeep + 1, sizeof(*keep));
	size_t *keep_len = hc_calloc(l->nkeep + 1, sizeof(*keep_len));
	const uint32_t **colids = hc_calloc(st->ncols + 1, sizeof(*colids));
	struct scratch s = {0};
	uint64_t r = 0;
	int got, rc = -1;

	if (!keep || !keep_len || !colids) {
		hc_err_nomem(err);
		goto done;
	}
	er.keep = keep;
	er.keep_len = keep_len;
	while ((got = hc_csv_next_batch(csv, &b, err)) == 1) {
		if (scratch_reserve(&s, b->nrows, st->ncols, st->nclasses, err) != 0)
			goto done;
		er.vals = s.vals;
		er.lens = s.lens;
		if (batch_targets(st, csv, b, l->target, s.y, err) != 0 ||
		    (l->weight >= 0 &&
		     batch_weights(csv, b, (size_t)l->weight, s.w, err) != 0))
			goto done;
		for (size_t j = 0; j < st->ncols; j++) {
			if (batch_column(NULL, st, csv, b, l, j, &s, s.ids + j * s.cap,
					 NULL, err) != 0)
				goto done;
			colids[j] = s.ids + j * s.cap;
		}
		if (oof && oof_block(st, oof, colids, b->nrows, r, &s, err) != 0)
			goto done;
		for (size_t i = 0; i < b->nrows; i++, r++) {
			for (size_t k = 0; k < l->nkeep; k++) {
				size_t f = i * b->ncols + l->keep[k];
				keep[k] = b->buf + b->off[f];
				keep_len[k] = b->len[f];
			}
			for (size_t j = 0; j < st->ncols; j++) {
				size_t f = i * b->ncols + l->col[j];

				s.row_ids[j] = s.ids[j * s.cap + i];
				s.row_num[j] = s.num[j * s.cap + i];
				s.vals[j] = b->buf + b->off[f];
				s.lens[j] = b->len[f];
			}
			er.y = s.y[i];
			er.w = l->weight >= 0 ? s.w[i] : NAN;
			if (put_row(st, oof, i, &s, &er, w, err) != 0) {
				if (err->kind == HC_ERR_DATA)
					hc_err_prefix(err, "%s:%llu", hc_csv_name(csv),
						      (unsigned long long)b->line[i]);
				goto done;
			}
		}
		if (prog)
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
	scratch_release(&s);
	hc_free(keep);
	hc_free(keep_len);
	hc_free(colids);
	return rc;
}

/* Encodes a block of n recorded or spilled rows starting at row r0:
 * colids[j] and num[j] (NULL for a column without numbers) hold column
 * j's value ids and numbers for the block, y its targets and wt its
 * weights (NULL if none). */
static int put_block(const struct hc_enc_state *st, const struct hc_enc_oof *oof,
		     const uint32_t **colids, const double *const *num,
		     const double *y, const double *wt, size_t n, uint64_t r0,
		     struct scratch *s, struct hc_enc_writer *w,
		     struct hc_err *err)
{
	struct hc_enc_row er = {0};

	if (oof_block(st, oof, colids, n, r0, s, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < st->ncols; j++) {
			s->row_ids[j] = colids[j][i];
			s->row_num[j] = num[j] ? num[j][i] : NAN;
		}
		er.y = y ? y[i] : NAN;
		er.w = wt ? wt[i] : NAN;
		if (put_row(st, oof, i, s, &er, w, err) != 0)
			return -1;
	}
	return 0;
}

int hc_enc_apply_recorded(const struct hc_enc_state *st,
			  const struct hc_enc_oof *oof,
			  struct hc_enc_writer *w, struct hc_err *err)
{
	struct scratch s = {0};
	const uint32_t **colids = hc_calloc(st->ncols + 1, sizeof(*colids));
	const double **num = hc_calloc(st->ncols + 1, sizeof(*num));
	int rc = -1;

	if (!colids || !num) {
		hc_err_nomem(err);
		goto done;
	}
	if (scratch_reserve(&s, RECORDED_BLOCK, st->ncols, st->nclasses, err) != 0)
		goto done;
	for (size_t r0 = 0; r0 < oof->nrows; r0 += RECORDED_BLOCK) {
		size_t n = oof->nrows - r0 < RECORDED_BLOCK ? oof->nrows - r0 : RECORDED_BLOCK;

		for (size_t j = 0; j < st->ncols; j++) {
			colids[j] = oof->ids[j] + r0;
			num[j] = oof->num[j] ? oof->num[j] + r0 : NULL;
		}
		if (put_block(st, oof, colids, num, oof->y ? oof->y + r0 : NULL,
			      oof->w ? oof->w + r0 : NULL, n, r0, &s, w, err) != 0)
			goto done;
	}
	rc = 0;
done:
	scratch_release(&s);
	hc_free(colids);
	hc_free(num);
	return rc;
}

int hc_enc_apply_spilled(const struct hc_enc_state *st,
			 const struct hc_enc_oof *oof,
			 struct hc_enc_writer *w, struct hc_err *err)
{
	struct scratch s = {0};
	const uint32_t **colids = hc_calloc(st->ncols + 1, sizeof(*colids));
	const double **num = hc_calloc(st->ncols + 1, sizeof(*num));
	uint64_t r0 = 0, n;
	int rc = -1;

	if (!colids || !num) {
		hc_err_nomem(err);
		goto done;
	}
	for (; r0 < oof->spilled; r0 += n) {
		if (hc_spill_read(oof->spill, &n, sizeof(n), err) != 0)
			goto done;
		if (n == 0 || n > oof->spilled - r0) {
			hc_err_set(err, HC_ERR_IO, "scratch file: corrupted");
			goto done;
		}
		if (scratch_reserve(&s, n, st->ncols, st->nclasses, err) != 0 ||
		    hc_spill_read(oof->spill, s.y, n * sizeof(*s.y), err) != 0 ||
		    (oof->weighted &&
		     hc_spill_read(oof->spill, s.w, n * sizeof(*s.w), err) != 0))
			goto done;
		for (size_t j = 0; j < st->ncols; j++) {
			uint32_t *ids = s.ids + j * s.cap;

			colids[j] = ids;
			num[j] = st->cols[j].num ? s.num + j * s.cap : NULL;
			if (hc_spill_read(oof->spill, ids, n * sizeof(*ids), err) != 0 ||
			    (num[j] && hc_spill_read(oof->spill, s.num + j * s.cap,
						     n * sizeof(double), err) != 0))
				goto done;
		}
		if (put_block(st, oof, colids, num, s.y, oof->weighted ? s.w : NULL,
			      n, r0, &s, w, err) != 0)
			goto done;
	}
	rc = 0;
done:
	scratch_release(&s);
	hc_free(colids);
	hc_free(num);
	return rc;
}
