/* profile_report.c - from a column's profiling state to the numbers a
 * person needs to decide how to treat it; see profile.h and the JSON keys
 * in man/hicard-profile.1.
 *
 * Thresholds, each a judgement written down where it is used:
 *   TYPE_FIT     a column has a type when 90% of its non-null values fit
 *                it: one stray "N/A" must not make a numeric column text.
 *   ONEHOT_MAX   up to 50 distinct values one-hot encode well.
 *   VOCAB_MAX    up to 10,000 a vocabulary (with an out-of-vocabulary id)
 *                stays small; above, hashing or target statistics.
 *   RARE_COUNT   values seen at most twice are "rare": when they hold half
 *                the rows or more (LEAK_SHARE), naive target encoding of
 *                the column memorises labels (papers.md, target stats).
 *   ZIPF_RANKS   the Zipf exponent is fitted on the top 1000 ranks, where
 *                the rank-frequency curve is not yet flattened by ties.
 * All reported floating-point numbers are rounded to 6 significant digits
 * (from a million up, to 2 decimals, so that large counts and lengths keep
 * every integer digit) so that reports are stable across machines and
 * readable.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/hugepage.h"
#include "lib/mem.h"
#include "lib/report.h"
#include "lib/utf8.h"
#include "src/profile_col.h"
#include "src/rank.h"

#define TYPE_FIT 0.9
#define ONEHOT_MAX 50
#define VOCAB_MAX 10000
#define RARE_COUNT 2
#define LEAK_SHARE 0.5
#define ZIPF_RANKS 1000
#define UNIQUE_SHARE 0.99
/* Below this many values a plain sort is as quick as the selection. */
#define RANK_FULL_SORT 4096

static double r6(double x)
{
	char buf[32];

	if (!isfinite(x))
		return x;
	if (fabs(x) >= 1e6)
		snprintf(buf, sizeof(buf), "%.2f", x);
	else
		snprintf(buf, sizeof(buf), "%.6g", x);
	return strtod(buf, NULL);
}

/* cJSON builders that turn allocation failure into one flag. */
struct jb {
	int failed;
};

static cJSON *jnum(struct jb *j, cJSON *o, const char *k, double v)
{
	cJSON *r = isfinite(v) ? cJSON_AddNumberToObject(o, k, r6(v))
			       : cJSON_AddNullToObject(o, k);
	if (!r)
		j->failed = 1;
	return r;
}

static cJSON *jint(struct jb *j, cJSON *o, const char *k, uint64_t v)
{
	cJSON *r = cJSON_AddNumberToObject(o, k, (double)v);
	if (!r)
		j->failed = 1;
	return r;
}

/* JSON text is UTF-8: a value that is not gets U+FFFD for its bad bytes. */
static void jstr(struct jb *j, cJSON *o, const char *k, const char *v)
{
	size_t len = strlen(v);
	char *fixed = NULL;

	if (!hc_utf8_valid(v, len) && !(fixed = hc_utf8_repair(v, len))) {
		j->failed = 1;
		return;
	}
	if (!cJSON_AddStringToObject(o, k, fixed ? fixed : v))
		j->failed = 1;
	hc_free(fixed);
}

static void jbool(struct jb *j, cJSON *o, const char *k, int v)
{
	if (!cJSON_AddBoolToObject(o, k, v))
		j->failed = 1;
}

static cJSON *jobj(struct jb *j, cJSON *o, const char *k)
{
	cJSON *r = cJSON_AddObjectToObject(o, k);
	if (!r)
		j->failed = 1;
	return r ? r : o; /* writes into o go nowhere harmful on failure */
}

/* ---- the counts of a column, exact or from its sketches --------------- */

/* A zeroed array of n elements; one of 4 MiB or more (a column of a
 * million values needs 24 MB of items) on huge pages.  Its first touch
 * otherwise takes a page fault per 4 KiB: on the 10M-row mixed file the
 * report's arrays took 16,000 of the run's 29,000 faults, on a virtual
 * machine where each costs microseconds. */
static void *big_calloc(size_t n, size_t size)
{
	void *p = hc_calloc(n ? n : 1, size);

	if (p && n)
		hc_mem_advise_huge(p, n * size);
	return p;
}

/* Values in decreasing count (ties: by value bytes, so that merged shards
 * and the whole file agree).  Exact: all values; approximate: the sketch's
 * held ones with their bounds. */
struct ranked {
	size_t n;
	struct hc_topk_item *items; /* all n, or with cnt the first k */
	uint64_t *cnt;              /* NULL, or all n counts in order */
	uint64_t nonnull;
	double distinct;
	int exact;
};

static int cmp_item(const void *a, const void *b)
{
	const struct hc_topk_item *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	c = memcmp(x->value, y->value, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* An exact column's values ranked as a sort by cmp_item would, as far as
 * the report reads them: the first k in full (values and counts), the
 * rest by count only, which is all coverage, entropy and the Zipf fit
 * look at (src/rank.h).  A full sort of a million values took most of the
 * report's time.  Beyond RANK_FULL_SORT values the items are the top k
 * only and the counts an array of their own, sorted in place (8 bytes a
 * value rather than a 32-byte item each: for the million values of the
 * 10M-row mixed file's device_id, 24 MB less at the run's memory peak,
 * which is this report). */
static int rank_exact(const struct hc_profile *p, const struct hc_colprof *c,
		      struct ranked *r)
{
	size_t n = hc_strmap_count(&c->map), k = p->o.k, m = 0;
	int big = n > k && n > RANK_FULL_SORT;

	r->items = big_calloc(big ? k : n, sizeof(*r->items));
	if (!r->items || (big && !(r->cnt = big_calloc(n, sizeof(*r->cnt)))))
		return -1;
	r->n = 0;
	/* In slot order: the result does not depend on it (cmp_item is a
	 * total order). */
	for (size_t i = 0; i < hc_strmap_nslots(&c->map); i++) {
		struct hc_topk_item it = {0};
		it.value = hc_strmap_at(&c->map, i, &it.len, &it.count);
		if (!it.value || hc_profile_is_null(p, it.value, it.len))
			continue;
		if (big) {
			r->cnt[r->n] = it.count;
			hc_rank_offer(r->items, &m, k, &it, cmp_item);
		} else {
			r->items[r->n] = it;
		}
		r->n++;
	}
	r->distinct = (double)r->n;
	if (!big) {
		qsort(r->items, r->n, sizeof(*r->items), cmp_item);
		return 0;
	}
	hc_rank_offer_end(r->items, m, cmp_item);
	hc_rank_counts_desc(r->cnt, r->n);
	return 0;
}

static int rank_values(const struct hc_profile *p, const struct hc_colprof *c,
		       const struct hc_colprof *d, struct ranked *r)
{
	size_t n;

	r->nonnull = c->rows - d->nulls;
	r->exact = c->exact;
	if (c->exact) {
		if (rank_exact(p, c, r) == 0)
			return 0;
		hc_free(r->items);
		hc_free(r->cnt);
		r->items = NULL;
		r->cnt = NULL;
		return -1;
	}
	n = hc_topk_capacity(c->topk);
	r->items = big_calloc(n, sizeof(*r->items));
	if (!r->items)
		return -1;
	r->n = hc_topk_top(c->topk, n, r->items);
	r->distinct = round(hc_hll_estimate(&c->hll));
	/* The estimate cannot be below what the sketch holds. */
	if (r->distinct < (double)r->n)
		r->distinct = (double)r->n;
	return 0;
}

/* The count of the value of rank i. */
static uint64_t rcount(const struct ranked *r, size_t i)
{
	return r->cnt ? r->cnt[i] : r->items[i].count;
}

static double coverage(const struct ranked *r, size_t top)
{
	uint64_t s = 0;

	if (!r->nonnull || (!r->exact && top > r->n && (double)top < r->distinct))
		return NAN; /* the sketch does not hold that many */
	for (size_t i = 0; i < top && i < r->n; i++)
		s += rcount(r, i);
	return (double)s / (double)r->nonnull;
}

/* Shannon entropy in bits.  Approximate: the held values, and the rest of
 * the rows spread evenly over the rest of the estimated distinct values. */
static double entropy(const struct ranked *r)
{
	double n = (double)r->nonnull, h = 0, held = 0, rest, others;

	if (!r->nonnull)
		return NAN;
	for (size_t i = 0; i < r->n; i++) {
		double c = (double)rcount(r, i);
		if (c > 0 && held + c <= n) {
			h -= c / n * log2(c / n);
			held += c;
		}
	}
	rest = n - held;
	others = r->distinct - (double)r->n;
	if (!r->exact && rest > 0 && others >= 1)
		h -= rest / n * log2(rest / n / others);
	return h;
}

/* Least-squares slope of log(count) on log(rank), negated. */
static double zipf_exponent(const struct ranked *r)
{
	size_t n = r->n < ZIPF_RANKS ? r->n : ZIPF_RANKS;
	double sx = 0, sy = 0, sxx = 0, sxy = 0, den;

	if (n < 3 || rcount(r, 0) == rcount(r, n - 1))
		return NAN;
	for (size_t i = 0; i < n; i++) {
		double x = log((double)(i + 1)), y = log((double)rcount(r, i));
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	den = (double)n * sxx - sx * sx;
	return den > 0 ? -((double)n * sxy - sx * sy) / den : NAN;
}

/* ---- type -------------------------------------------------------------- */

static enum hc_coltype infer_type(const struct hc_colprof *c,
				  const struct hc_colprof *d, double *miss)
{
	const uint64_t *t = d->type_count;
	uint64_t nonnull = c->rows - d->nulls;
	const struct {
		enum hc_coltype type;
		uint64_t fit;
	} cand[] = {
		{HC_TYPE_INT, t[HC_TYPE_INT]},
		{HC_TYPE_FLOAT, t[HC_TYPE_INT] + t[HC_TYPE_FLOAT]},
		{HC_TYPE_DATE, t[HC_TYPE_DATE]},
		{HC_TYPE_DATETIME, t[HC_TYPE_DATE] + t[HC_TYPE_DATETIME]},
		{HC_TYPE_BOOL, t[HC_TYPE_BOOL]},
	};

	*miss = 0;
	if (nonnull == 0)
		return HC_TYPE_EMPTY;
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
		if ((double)cand[i].fit >= TYPE_FIT * (double)nonnull) {
			*miss = 1.0 - (double)cand[i].fit / (double)nonnull;
			return cand[i].type;
		}
	return HC_TYPE_STRING;
}

/* ---- sections of a column's report ------------------------------------ */

static void report_top(struct jb *j, cJSON *col, const struct ranked *r,
		       size_t k)
{
	cJSON *top = cJSON_AddArrayToObject(col, "top");

	if (!top) {
		j->failed = 1;
		return;
	}
	for (size_t i = 0; i < k && i < r->n; i++) {
		cJSON *it = cJSON_CreateObject();
		char *v = hc_strndup(r->items[i].value, r->items[i].len);

		if (!it || !v || !cJSON_AddItemToArray(top, it)) {
			cJSON_Delete(it);
			hc_free(v);
			j->failed = 1;
			return;
		}
		jstr(j, it, "value", v);
		hc_free(v);
		jint(j, it, "count", r->items[i].count);
		jnum(j, it, "share", r->nonnull ? (double)r->items[i].count /
							 (double)(r->nonnull)
						: NAN);
		jint(j, it, "error", r->items[i].error);
	}
}

struct vc {
	double v;
	uint64_t count;
};

static int cmp_vc(const void *a, const void *b)
{
	double x = ((const struct vc *)a)->v, y = ((const struct vc *)b)->v;

	return (x > y) - (x < y);
}

/* Numeric values with their counts from an exact column, by value.  The
 * statistics below are then sums in a fixed order over the same multiset,
 * so merged shards and the whole file agree to the last bit. */
static struct vc *exact_numbers(const struct hc_profile *p,
			       const struct hc_colprof *c, size_t *n)
{
	size_t d = hc_strmap_count(&c->map), k = 0;
	struct vc *v = big_calloc(d, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t id = 0; id < d; id++) {
		size_t len;
		const char *s = hc_strmap_key(&c->map, id, &len);
		double x = 0;
		enum hc_coltype t;

		if (hc_profile_is_null(p, s, len))
			continue;
		t = hc_coltype_of(s, len, &x);
		if ((t == HC_TYPE_INT || t == HC_TYPE_FLOAT) && isfinite(x)) {
			v[k].v = x;
			v[k++].count = *hc_strmap_valuep(&c->map, id);
		}
	}
	qsort(v, k, sizeof(*v), cmp_vc);
	*n = k;
	return v;
}

/* The value of nearest rank ceil(phi * n) (1-based, at least 1). */
static double exact_quantile(const struct vc *v, size_t n, uint64_t total,
			     double phi)
{
	uint64_t rank = (uint64_t)ceil(phi * (double)total), seen = 0;

	if (rank < 1)
		rank = 1;
	for (size_t i = 0; i < n; i++) {
		seen += v[i].count;
		if (seen >= rank)
			return v[i].v;
	}
	return n ? v[n - 1].v : NAN;
}

static void report_numeric(struct jb *j, cJSON *col, const struct hc_profile *p,
			   const struct hc_colprof *c, const struct hc_colprof *d)
{
	static const double phi[] = {0.01, 0.25, 0.5, 0.75, 0.99};
	static const char *const key[] = {"p1", "p25", "p50", "p75", "p99"};
	cJSON *n = jobj(j, col, "numeric");
	uint64_t nnum = d->nnum;
	double mean = c->mean, sd = nnum > 1 ? sqrt(c->m2 / (double)(nnum - 1)) : NAN;
	double q[5];
	struct vc *v = NULL;
	size_t nv = 0;

	if (c->exact && !(v = exact_numbers(p, c, &nv))) {
		j->failed = 1;
		return;
	}
	for (int i = 0; i < 5; i++)
		q[i] = v ? exact_quantile(v, nv, nnum, phi[i])
			 : c->q ? hc_quantile_get(c->q, phi[i]) : NAN;
	if (v && nnum) {
		double sum = 0, ss = 0;
		for (size_t i = 0; i < nv; i++)
			sum += v[i].v * (double)v[i].count;
		mean = sum / (double)nnum;
		for (size_t i = 0; i < nv; i++)
			ss += (v[i].v - mean) * (v[i].v - mean) * (double)v[i].count;
		sd = nnum > 1 ? sqrt(ss / (double)(nnum - 1)) : NAN;
	}
	jint(j, n, "count", nnum);
	jnum(j, n, "min", nnum ? d->min : NAN);
	jnum(j, n, "max", nnum ? d->max : NAN);
	jnum(j, n, "mean", nnum ? mean : NAN);
	jnum(j, n, "stddev", sd);
	for (int i = 0; i < 5; i++)
		jnum(j, n, key[i], q[i]);
	jnum(j, n, "quantile_rank_error", v ? 0 : c->q ? hc_quantile_rank_error(c->q) : NAN);
	jbool(j, n, "exact", v != NULL);
	hc_free(v);
}

static double h2(double p)
{
	return p <= 0 || p >= 1 ? 0 : -p * log2(p) - (1 - p) * log2(1 - p);
}

/* An approximate column has no per-value target sums, but the leakage
 * check needs only counts, and its top-values sketch bounds them: a value
 * it holds with a lower bound above RARE_COUNT is certainly not rare, and
 * every other row may be.  The share of those other rows is an upper
 * bound of the rare rows' share; the warning is given unless that bound
 * is below LEAK_SHARE (leakage cannot be ruled out from sketches alone),
 * so the advice never suggests target statistics for a column the exact
 * count would flag. */
static void report_rare_approx(struct jb *j, cJSON *t, const struct ranked *r)
{
	double sure = 0, rare;

	if (!r->nonnull)
		return;
	for (size_t i = 0; i < r->n; i++) {
		uint64_t low = r->items[i].count - r->items[i].error;
		if (low > RARE_COUNT)
			sure += (double)low;
	}
	rare = 1 - sure / (double)r->nonnull;
	rare = rare < 0 ? 0 : rare;
	jnum(j, t, "rare_value_row_share", rare);
	jbool(j, t, "leakage_warning", rare >= LEAK_SHARE);
}

/* How much the target varies across the column's values.  Binary target:
 * mutual information (bits) and information value (with 0.5 added to each
 * cell, the usual smoothing).  Numeric target: the correlation ratio eta^2
 * (the share of target variance between values). */
static void report_target(struct jb *j, cJSON *col, const struct hc_profile *p,
			  const struct hc_colprof *c, const struct ranked *r)
{
	cJSON *t = jobj(j, col, "target");
	double n = (double)p->target_rows, mean = n ? p->target_sum / n : 0;
	double mi = 0, iv = 0, between = 0, total, rare = 0;
	size_t nmap = hc_strmap_count(&c->map);
	double d = (double)r->n; /* non-null distinct values, for smoothing */

	jbool(j, t, "exact", c->exact);
	if (!c->exact) {
		report_rare_approx(j, t, r);
		return;
	}
	if (!c->tsum || n == 0)
		return;
	total = p->target_sum2 - n * mean * mean;
	for (size_t id = 0; id < nmap; id++) {
		double nx = (double)c->tcnt[id], sx = c->tsum[id];
		size_t len;
		const char *v = hc_strmap_key(&c->map, id, &len);
		uint64_t cnt = *hc_strmap_valuep(&c->map, id);

		if (hc_profile_is_null(p, v, len))
			continue;
		if (cnt <= RARE_COUNT)
			rare += (double)cnt;
		if (nx == 0)
			continue;
		between += nx * (sx / nx - mean) * (sx / nx - mean);
		if (p->target_binary) {
			double pos = sx, neg = nx - sx, P = p->target_sum, N = n - P;
			mi += nx / n * (h2(mean) - h2(sx / nx)) ;
			iv += ((pos + 0.5) / (P + 0.5 * d) -
			       (neg + 0.5) / (N + 0.5 * d)) *
			      log(((pos + 0.5) / (P + 0.5 * d)) /
				  ((neg + 0.5) / (N + 0.5 * d)));
		}
	}
	if (p->target_binary) {
		jnum(j, t, "mutual_information_bits", mi);
		jnum(j, t, "information_value", iv);
	}
	jnum(j, t, "eta_squared", total > 0 ? between / total : NAN);
	rare = r->nonnull ? rare / (double)r->nonnull : NAN;
	jnum(j, t, "rare_value_row_share", rare);
	jbool(j, t, "leakage_warning", rare >= LEAK_SHARE);
}

/* Buckets so that a share `rate` of values shares its bucket with another:
 * with D values in m buckets a value is alone with chance (1-1/m)^(D-1),
 * about exp(-(D-1)/m), so m = (D-1) / -ln(1-rate). */
static double buckets_for(double d, double rate)
{
	return d <= 1 ? 1 : ceil((d - 1) / -log1p(-rate));
}

/* Integer ids are categories, not quantities: a column named id, *_id,
 * *Id or *ID (user_id, itemId, ID) is advised as categorical. */
static int named_like_id(const char *name)
{
	size_t n = strlen(name);

	if (n >= 2 && (strcmp(name + n - 2, "Id") == 0 || strcmp(name + n - 2, "ID") == 0))
		return 1;
	if (n >= 2 && strcasecmp(name + n - 2, "id") == 0 &&
	    (n == 2 || name[n - 3] == '_' || name[n - 3] == '-' || name[n - 3] == ' '))
		return 1;
	return 0;
}

static void report_advice(struct jb *j, cJSON *col, const struct hc_profile *p,
			  const struct hc_colprof *c, enum hc_coltype type,
			  const struct ranked *r, int leak)
{
	cJSON *a = jobj(j, col, "advice");
	double d = r->distinct, nn = (double)r->nonnull;
	const char *what, *why;
	char buf[160];

	if (nn == 0) {
		what = "drop";
		why = "no values";
	} else if (d <= 1) {
		what = "drop";
		why = "one value only";
	} else if ((type == HC_TYPE_INT && !named_like_id(c->name)) ||
		   type == HC_TYPE_FLOAT) {
		if (d <= ONEHOT_MAX) {
			what = "onehot";
			why = "a number with few distinct values: a category";
		} else {
			what = "numeric";
			why = "a number: pass through, standardise or bin";
		}
	} else if (d >= UNIQUE_SHARE * nn && nn > 100) {
		what = "drop";
		why = "a different value on (almost) every row: no pattern to learn";
	} else if (d <= ONEHOT_MAX) {
		what = "onehot";
		why = "few distinct values";
	} else if (d <= VOCAB_MAX) {
		what = "vocab";
		why = "moderate cardinality: a vocabulary with an out-of-vocabulary id";
	} else if (p->o.target >= 0 && !leak) {
		what = "target";
		why = "high cardinality, values repeat: out-of-fold target statistics";
	} else {
		what = "hash";
		snprintf(buf, sizeof(buf),
			 "high cardinality: hash into buckets (%.4g%% of values sharing one)",
			 100 * p->o.collision);
		why = buf;
	}
	jstr(j, a, "treatment", what);
	jstr(j, a, "reason", why);
	if (strcmp(what, "hash") == 0 || strcmp(what, "target") == 0)
		jnum(j, a, "buckets", buckets_for(d, p->o.collision));
}

static cJSON *report_col(struct jb *j, const struct hc_profile *p,
			 const struct hc_colprof *c, size_t index)
{
	cJSON *col = cJSON_CreateObject();
	struct ranked r = {0};
	struct hc_colprof derived;
	const struct hc_colprof *d = c;
	enum hc_coltype type;
	double miss, h;
	uint64_t singles = 0;
	int leak = 0;
	cJSON *x;

	if (c->exact) {
		hc_colprof_derive(p, c, &derived);
		d = &derived;
	}
	if (!col || rank_values(p, c, d, &r) != 0) {
		cJSON_Delete(col);
		j->failed = 1;
		return NULL;
	}
	type = infer_type(c, d, &miss);
	jstr(j, col, "name", c->name);
	jint(j, col, "index", c->position + 1);
	jstr(j, col, "type", hc_coltype_name(type));
	jnum(j, col, "type_mismatch_share", miss);
	jint(j, col, "rows", c->rows);
	jint(j, col, "nulls", d->nulls);
	jnum(j, col, "null_share", c->rows ? (double)d->nulls / (double)c->rows : NAN);
	x = jobj(j, col, "distinct");
	jint(j, x, "count", (uint64_t)r.distinct);
	jbool(j, x, "exact", r.exact);
	jnum(j, x, "stderr", r.exact ? 0 : hc_hll_rse(&c->hll) * r.distinct);
	report_top(j, col, &r, p->o.k);
	x = jobj(j, col, "singletons");
	if (r.exact) {
		for (size_t i = 0; i < r.n; i++)
			singles += rcount(&r, i) == 1;
		jint(j, x, "count", singles);
		jnum(j, x, "row_share", r.nonnull ? (double)singles / (double)r.nonnull : NAN);
	}
	jbool(j, x, "exact", r.exact);
	x = jobj(j, col, "coverage");
	jnum(j, x, "top_1pct", coverage(&r, (size_t)ceil(r.distinct * 0.01)));
	jnum(j, x, "top_10", coverage(&r, 10));
	jnum(j, x, "top_1000", coverage(&r, 1000));
	jbool(j, x, "exact", r.exact);
	h = entropy(&r);
	jnum(j, col, "entropy_bits", h);
	jnum(j, col, "entropy_normalized", r.distinct > 1 ? h / log2(r.distinct) : NAN);
	jnum(j, col, "zipf_exponent", zipf_exponent(&r));
	if (type == HC_TYPE_INT || type == HC_TYPE_FLOAT)
		report_numeric(j, col, p, c, d);
	x = jobj(j, col, "length");
	jint(j, x, "min", r.nonnull ? d->len_min : 0);
	jnum(j, x, "mean", r.nonnull ? (double)d->len_sum / (double)r.nonnull : NAN);
	jint(j, x, "max", d->len_max);
	if (p->o.target >= 0 && (size_t)p->o.target != index) {
		report_target(j, col, p, c, &r);
		x = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(col, "target"),
			"leakage_warning");
		leak = cJSON_IsTrue(x);
	}
	report_advice(j, col, p, c, type, &r, leak);
	hc_free(r.items);
	hc_free(r.cnt);
	return col;
}

/* ---- graph hashing for a user and an item column ---------------------- */

/* Whether name holds one of words as a word of its own: split at
 * anything not a letter or digit and where a capital follows a small
 * letter (user_id, userId, UserID and "user id" all hold "user"). */
static int name_has_word(const char *name, const char *const *words)
{
	char w[64];
	size_t n = 0;

	for (const char *s = name;; s++) {
		int alnum = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			    (*s >= '0' && *s <= '9');
		int hump = n && *s >= 'A' && *s <= 'Z' && s[-1] >= 'a' && s[-1] <= 'z';

		if ((!alnum || hump) && n) {
			w[n] = '\0';
			for (const char *const *k = words; *k; k++)
				if (strcasecmp(w, *k) == 0)
					return 1;
			n = 0;
		}
		if (!*s)
			return 0;
		if (alnum && n < sizeof(w) - 1)
			w[n++] = *s;
	}
}

static const char *const USER_WORDS[] = {
	"user", "users", "uid", "customer", "member", "visitor", "account",
	"client", "buyer", "reader", "viewer", "listener", "player", "person",
	NULL};
static const char *const ITEM_WORDS[] = {
	"item", "items", "iid", "product", "sku", "movie", "song", "track",
	"video", "article", "ad", "book", "poi", "venue", "business", "post",
	"news", "game", "app", "course", "recipe", "hotel", "restaurant", NULL};

/* Of the columns whose advice is a vocabulary, hashing or target
 * statistics (categorical, above one-hot size), the one named like words
 * with the most distinct values; -1 if none (but not column `not`). */
static long pick_pair_side(const cJSON *cols, const char *const *words,
			   long not)
{
	long best = -1, i = 0;
	double most = -1;
	const cJSON *col;

	cJSON_ArrayForEach(col, cols) {
		const char *t = cJSON_GetStringValue(hc_report_get(col, "advice.treatment"));
		const char *name = cJSON_GetStringValue(hc_report_get(col, "name"));
		double d = cJSON_GetNumberValue(hc_report_get(col, "distinct.count"));

		if (i != not && t && name &&
		    (!strcmp(t, "vocab") || !strcmp(t, "hash") || !strcmp(t, "target")) &&
		    name_has_word(name, words) && d > most) {
			best = i;
			most = d;
		}
		i++;
	}
	return best;
}

/* The advice for one side of a user-item pair. */
static void advise_graph(struct jb *j, cJSON *col, const char *user,
			 const char *item, const char *other)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(col, "advice");
	char why[512];

	snprintf(why, sizeof(why),
		 "an id of a user-item pair with '%s': cluster their graph "
		 "(hicard cluster --user %s --item %s) and hash each id to its "
		 "cluster (hicard hash --scheme graph)", other, user, item);
	cJSON_DeleteItemFromObjectCaseSensitive(a, "treatment");
	cJSON_DeleteItemFromObjectCaseSensitive(a, "reason");
	cJSON_DeleteItemFromObjectCaseSensitive(a, "buckets");
	jstr(j, a, "treatment", "graph");
	jstr(j, a, "reason", why);
}

/* GraphHash (papers.md): where a table holds a user id and an item id,
 * both too many for one-hot, clustering the bipartite graph of their
 * pairs gives buckets that keep similar users (and items) together, which
 * beats every hashing scheme at the same table size on recommendation
 * data.  Columns are recognised by name (user_id and item_id, customerId
 * and product_sku, ...); with several candidates, the most distinct on
 * each side. */
static void advise_graph_pair(struct jb *j, cJSON *cols)
{
	long u = pick_pair_side(cols, USER_WORDS, -1);
	long i = u < 0 ? -1 : pick_pair_side(cols, ITEM_WORDS, u);
	cJSON *cu, *ci;
	const char *nu, *ni;

	if (u < 0 || i < 0)
		return;
	cu = cJSON_GetArrayItem(cols, (int)u);
	ci = cJSON_GetArrayItem(cols, (int)i);
	nu = cJSON_GetStringValue(hc_report_get(cu, "name"));
	ni = cJSON_GetStringValue(hc_report_get(ci, "name"));
	advise_graph(j, cu, nu, ni, ni);
	advise_graph(j, ci, nu, ni, nu);
}

cJSON *hc_profile_report(const struct hc_profile *p, struct hc_err *err)
{
	struct jb j = {0};
	cJSON *doc = cJSON_CreateObject();
	cJSON *cols;

	if (!doc) {
		hc_err_nomem(err);
		return NULL;
	}
	jint(&j, doc, "rows", p->rows);
	jint(&j, doc, "columns_profiled", p->ncols);
	if (p->o.target >= 0) {
		cJSON *t = jobj(&j, doc, "target");
		jstr(&j, t, "name", p->cols[p->o.target].name);
		jint(&j, t, "rows", p->target_rows);
		jbool(&j, t, "binary", p->target_binary);
		jnum(&j, t, "mean", p->target_rows ? p->target_sum / (double)p->target_rows : NAN);
	}
	cols = cJSON_AddArrayToObject(doc, "columns");
	for (size_t c = 0; cols && c < p->ncols && !j.failed; c++) {
		cJSON *col = report_col(&j, p, &p->cols[c], c);
		if (col && !cJSON_AddItemToArray(cols, col)) {
			cJSON_Delete(col);
			j.failed = 1;
		}
	}
	if (cols && !j.failed)
		advise_graph_pair(&j, cols);
	if (!cols || j.failed) {
		cJSON_Delete(doc);
		hc_err_nomem(err);
		return NULL;
	}
	return doc;
}
