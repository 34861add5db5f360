/* profile.c - column profiles: adding rows, the memory budget, merging and
 * serialising; see profile.h.  The numbers of the report are computed in
 * profile_report.c.
 *
 * Exact columns count values and nothing else per row (a hash, a probe,
 * an increment); what depends only on the value is derived per distinct
 * value when needed: for the report (hc_colprof_derive), and when a column
 * moves to sketches or an exact shard merges into an approximate one
 * (absorb), which feeds each distinct value with its count.
 *
 * State file payload (lib/buf.h little-endian; wrapped with a magic and a
 * checksum by cmd/profile.c's state file):
 *   u32 version (2: top-k by Misra-Gries with a floor; 1 held
 *   Space-Saving and is refused), u32 hll_p, u64 k, f64 collision, u64 seed,
 *   u32 nnulls, nnulls strings, i64 target (as u64, ~0 for none),
 *   u64 rows, u64 target_rows, f64 target_sum, f64 target_sum2,
 *   u8 target_binary, u32 ncols, then per column:
 *     string name, u64 rows, u8 exact, then
 *       exact: u64 n, n x (string value, u64 count[, f64 tsum, u64 tcnt])
 *       else: u64 nulls, 6 x u64 type counts, u64 nnum, f64 mean, m2,
 *             min, max, u64 len_min, len_max, len_sum, hll,
 *             u8 has_quantile [quantile], topk
 */
#include "src/profile.h"
#include "src/rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
/* Inlined: hashing a short value per row is a few instructions, and a
 * call into the shared library took 5% of exact mode's time. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "lib/mem.h"
#include "src/profile_col.h"

#define STATE_VERSION 2

size_t hc_colprof_bytes(const struct hc_colprof *c, size_t more)
{
	size_t per = c->tsum ? sizeof(*c->tsum) + sizeof(*c->tcnt) : 0;
	size_t cap = c->cap, need = hc_strmap_count(&c->map) + more;

	if (!c->exact)
		return 0;
	/* as grow_target would grow them */
	while (per && cap < need)
		cap = cap ? 2 * cap : 16;
	return hc_strmap_bytes_after(&c->map, more) + cap * per;
}

/* ---- setting up -------------------------------------------------------- */

static int col_init(struct hc_profile *p, struct hc_colprof *c,
		    const char *name, struct hc_err *err)
{
	c->name = hc_strdup(name);
	if (!c->name)
		return hc_err_nomem(err);
	c->exact = !p->o.approx;
	c->min = INFINITY;
	c->max = -INFINITY;
	c->len_min = UINT64_MAX;
	hc_strmap_init(&c->map);
	if (hc_hll_init(&c->hll, p->o.hll_p, err) != 0)
		return -1;
	if (!c->exact &&
	    !(c->topk = hc_topk_new(HC_PROFILE_TOPK_CAPACITY, err)))
		return -1;
	return 0;
}

static void col_release(struct hc_colprof *c)
{
	hc_free(c->name);
	hc_strmap_release(&c->map);
	hc_free(c->tsum);
	hc_free(c->tcnt);
	hc_hll_release(&c->hll);
	hc_topk_free(c->topk);
	hc_quantile_free(c->q);
	hc_stage_release(&c->stage);
}

static struct hc_profile *profile_alloc(const struct hc_profile_opts *o,
					size_t ncols, struct hc_err *err)
{
	struct hc_profile *p = hc_calloc(1, sizeof(*p));

	if (!p) {
		hc_err_nomem(err);
		return NULL;
	}
	p->o = *o;
	p->target_binary = 1;
	p->nulls = hc_calloc(o->nnulls + 1, sizeof(*p->nulls));
	p->nlen = hc_calloc(o->nnulls + 1, sizeof(*p->nlen));
	p->cols = hc_calloc(ncols + 1, sizeof(*p->cols));
	if (!p->nulls || !p->nlen || !p->cols) {
		hc_free(p->nulls);
		hc_free(p->nlen);
		hc_free(p->cols);
		hc_free(p);
		hc_err_nomem(err);
		return NULL;
	}
	for (size_t i = 0; i < o->nnulls; i++) {
		if (!(p->nulls[i] = hc_strdup(o->nulls[i]))) {
			p->o.nnulls = i;
			hc_profile_free(p);
			hc_err_nomem(err);
			return NULL;
		}
		p->nlen[i] = strlen(p->nulls[i]);
	}
	p->o.nulls = (const char *const *)p->nulls;
	return p;
}

struct hc_profile *hc_profile_new(const struct hc_profile_opts *o,
				  size_t ncols, const char *const *names,
				  struct hc_err *err)
{
	struct hc_profile *p = profile_alloc(o, ncols, err);

	if (!p)
		return NULL;
	for (size_t j = 0; j < ncols; j++) {
		p->ncols = j + 1;
		if (col_init(p, &p->cols[j], names[j], err) != 0) {
			hc_profile_free(p);
			return NULL;
		}
		p->cols[j].position = j;
	}
	return p;
}

void hc_profile_set_position(struct hc_profile *p, size_t j, size_t col)
{
	p->cols[j].position = col;
}

void hc_profile_free(struct hc_profile *p)
{
	if (!p)
		return;
	for (size_t j = 0; j < p->ncols; j++)
		col_release(&p->cols[j]);
	for (size_t i = 0; i < p->o.nnulls; i++)
		hc_free(p->nulls[i]);
	hc_free(p->nulls);
	hc_free(p->nlen);
	hc_free(p->cols);
	hc_free(p);
}

uint64_t hc_profile_rows(const struct hc_profile *p)
{
	return p->rows;
}

size_t hc_profile_ncols(const struct hc_profile *p)
{
	return p->ncols;
}

/* ---- adding values ----------------------------------------------------- */

int hc_profile_is_null(const struct hc_profile *p, const char *s, size_t len)
{
	if (len == 0)
		return 1;
	for (size_t i = 0; i < p->o.nnulls; i++)
		if (p->nlen[i] == len && p->nulls[i][0] == s[0] &&
		    memcmp(p->nulls[i], s, len) == 0)
			return 1;
	return 0;
}

static int grow_target(struct hc_colprof *c, size_t need)
{
	size_t cap = c->cap, cap2 = c->cap;
	void *q;

	if (need <= c->cap)
		return 0;
	q = c->tsum;
	if (hc_grow(&q, &cap, need, sizeof(*c->tsum)) != 0)
		return -1;
	c->tsum = q;
	q = c->tcnt;
	if (hc_grow(&q, &cap2, need, sizeof(*c->tcnt)) != 0)
		return -1;
	c->tcnt = q;
	c->cap = cap;
	return 0;
}

/* Counts value s of an exact column w times (target sum t over tn rows). */
static int count_exact(struct hc_profile *p, struct hc_colprof *c,
		       const char *s, size_t len, uint64_t hash, uint64_t w,
		       double t, uint64_t tn)
{
	int added;
	uint32_t id;
	uint64_t *v = hc_strmap_upsert_hashed(&c->map, s, len, hash, &added, &id);

	if (!v)
		return -1;
	*v += w;
	if (p->o.target < 0)
		return 0;
	if (grow_target(c, (size_t)id + 1) != 0)
		return -1;
	if (added) {
		c->tsum[id] = 0;
		c->tcnt[id] = 0;
	}
	c->tsum[id] += t;
	c->tcnt[id] += tn;
	return 0;
}

/* Adds value s, seen w times, to an approximate column's statistics. */
static int absorb(struct hc_profile *p, struct hc_colprof *c, const char *s,
		  size_t len, uint64_t hash, uint64_t w)
{
	enum hc_coltype ty;
	double num = 0;

	if (hc_profile_is_null(p, s, len)) {
		c->nulls += w;
		return 0;
	}
	ty = hc_coltype_of(s, len, &num);
	c->type_count[ty] += w;
	c->len_min = len < c->len_min ? len : c->len_min;
	c->len_max = len > c->len_max ? len : c->len_max;
	c->len_sum += len * w;
	if ((ty == HC_TYPE_INT || ty == HC_TYPE_FLOAT) && isfinite(num)) {
		/* Welford's update for w copies of one value at once. */
		uint64_t n = c->nnum + w;
		double d = num - c->mean;
		c->m2 += d * d * (double)c->nnum * (double)w / (double)n;
		c->mean += d * (double)w / (double)n;
		c->nnum = n;
		c->min = num < c->min ? num : c->min;
		c->max = num > c->max ? num : c->max;
		if (!c->q && !(c->q = hc_quantile_new(HC_QUANTILE_K_DEFAULT,
						      p->o.seed, NULL)))
			return -1;
		if (hc_quantile_add_n(c->q, num, w) != 0)
			return -1;
	}
	hc_hll_add_hash(&c->hll, hash);
	return hc_topk_add_hashed(c->topk, s, len, hash, w);
}

void hc_colprof_derive(const struct hc_profile *p, const struct hc_colprof *c,
		       struct hc_colprof *d)
{
	size_t n = hc_strmap_nslots(&c->map);

	memset(d, 0, sizeof(*d));
	d->min = INFINITY;
	d->max = -INFINITY;
	d->len_min = UINT64_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		uint64_t w;
		const char *s = hc_strmap_at(&c->map, i, &len, &w);
		double num = 0;
		enum hc_coltype ty;

		if (!s)
			continue;
		if (hc_profile_is_null(p, s, len)) {
			d->nulls += w;
			continue;
		}
		ty = hc_coltype_of(s, len, &num);
		d->type_count[ty] += w;
		d->len_min = len < d->len_min ? len : d->len_min;
		d->len_max = len > d->len_max ? len : d->len_max;
		d->len_sum += len * w;
		if ((ty == HC_TYPE_INT || ty == HC_TYPE_FLOAT) && isfinite(num)) {
			d->nnum += w;
			d->min = num < d->min ? num : d->min;
			d->max = num > d->max ? num : d->max;
		}
	}
}

/* A software pipeline over the rows of a column: row i + AHEAD is hashed
 * and its slot prefetched, row i + AHEAD/2 has its arena entry prefetched
 * (its slot has arrived by then), row i is counted.  The cache misses of
 * different rows then overlap instead of following one another.  Measured
 * on the 1M-row, 84 MB mixed benchmark file (12 columns): counting values
 * only, with the slot stage, took the CPU time from 1.9 to 1.3 s; the
 * entry stage made no difference measurable on a loaded 2-core machine.
 * A longer distance (48, 96) did not help exact columns on the 10M-row
 * file: their key compares still wait for memory (the largest share of
 * exact mode's time). */
#define AHEAD 16
#define RING 32 /* a power of two above AHEAD */

static int add_exact(struct hc_profile *p, struct hc_colprof *c,
		     const struct hc_csv_batch *b, size_t col,
		     const double *target)
{
	uint64_t h[RING];
	size_t n = b->nrows;

	for (size_t i = 0; i < n + AHEAD; i++) {
		if (i < n) {
			size_t f = i * b->ncols + col;
			h[i & (RING - 1)] = XXH3_64bits(b->buf + b->off[f], b->len[f]);
			hc_strmap_prefetch(&c->map, h[i & (RING - 1)]);
		}
		if (i >= AHEAD / 2 && i - AHEAD / 2 < n)
			hc_strmap_prefetch_entry(&c->map,
						 h[(i - AHEAD / 2) & (RING - 1)]);
		if (i >= AHEAD) {
			size_t r = i - AHEAD, f = r * b->ncols + col;
			double t = target ? target[r] : NAN;
			/* Without a target, a value seen before (most rows)
			 * is one inlined probe and an increment. */
			uint64_t *v = p->o.target >= 0 ? NULL
				: hc_strmap_short_valuep(&c->map, b->buf + b->off[f],
							 b->len[f], h[r & (RING - 1)]);
			if (v)
				++*v;
			else if (count_exact(p, c, b->buf + b->off[f], b->len[f],
					     h[r & (RING - 1)], 1, isnan(t) ? 0 : t,
					     !isnan(t)) != 0)
				return -1;
		}
	}
	return 0;
}

/* An approximate column takes the batch's distinct values with their
 * counts (profile_stage.h) and absorbs each once, in order of first row,
 * with the same pipeline over them: the top-k index slot, then its
 * counter, and the HyperLogLog register are prefetched.  On the 10M-row
 * mixed file (--approx, 2 threads, a loaded machine) this alone took the
 * CPU time from 10.6 to 9.2 s: a batch of 12500 rows holds about a third
 * as many distinct values as rows, over the 12 columns.  This absorbs the
 * stage's values with their counts into c's sketches. */
static int absorb_stage(struct hc_profile *p, struct hc_colprof *c,
			const struct hc_csv_batch *b)
{
	const struct hc_stage_ent *ent = c->stage.ent;
	size_t n = c->stage.n;

	for (size_t i = 0; i < n + AHEAD; i++) {
		if (i < n) {
			hc_topk_prefetch(c->topk, ent[i].hash);
			hc_hll_prefetch(&c->hll, ent[i].hash);
		}
		if (i >= AHEAD / 2 && i - AHEAD / 2 < n)
			hc_topk_prefetch_counter(c->topk, ent[i - AHEAD / 2].hash);
		if (i >= AHEAD) {
			const struct hc_stage_ent *e = &ent[i - AHEAD];
			if (absorb(p, c, b->buf + e->off, e->len, e->hash,
				   e->count) != 0)
				return -1;
		}
	}
	return 0;
}

static int add_approx(struct hc_profile *p, struct hc_colprof *c,
		      const struct hc_csv_batch *b, size_t col)
{
	for (size_t r = 0; r < b->nrows; r += HC_STAGE_MAX_ROWS) {
		size_t m = b->nrows - r;
		if (m > HC_STAGE_MAX_ROWS)
			m = HC_STAGE_MAX_ROWS;
		if (hc_stage_fill(&c->stage, b, col, r, m) != 0 ||
		    absorb_stage(p, c, b) != 0)
			return -1;
	}
	return 0;
}

static int add_column(struct hc_profile *p, struct hc_colprof *c,
		      const struct hc_csv_batch *b, size_t col,
		      const double *target)
{
	if ((c->exact ? add_exact(p, c, b, col, target)
		      : add_approx(p, c, b, col)) != 0)
		return -1;
	c->rows += b->nrows;
	return 0;
}

/* ---- the memory budget ------------------------------------------------- */

/* Feeds every value of map m with its count into approximate column c,
 * heaviest first (ties: first seen first) so that the top-k sketch holds
 * those exactly.  The order is one 64-bit key a value, count above id,
 * sorted in place: a column switching at a budget of hundreds of
 * megabytes holds millions of values, and an array of (count, id) pairs
 * sorted by qsort took 16 bytes each on top of the map, at the run's
 * memory peak.  A count of 2^32 or more is clamped in the key (it only
 * orders the values; the count fed is the map's). */
static int absorb_map(struct hc_profile *p, struct hc_colprof *c,
		      const struct hc_strmap *m, struct hc_err *err)
{
	size_t n = hc_strmap_count(m);
	uint64_t *order = hc_mallocarray(n ? n : 1, sizeof(*order));

	if (!order)
		return hc_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		uint64_t cnt = *hc_strmap_valuep(m, i);
		if (cnt > UINT32_MAX)
			cnt = UINT32_MAX;
		order[i] = cnt << 32 | (uint32_t)~(uint32_t)i;
	}
	hc_rank_counts_desc(order, n);
	for (size_t i = 0; i < n; i++) {
		size_t len, id = (uint32_t)~(uint32_t)order[i];
		const char *v = hc_strmap_key(m, id, &len);
		if (absorb(p, c, v, len, XXH3_64bits(v, len),
			   *hc_strmap_valuep(m, id)) != 0) {
			hc_free(order);
			return hc_err_nomem(err);
		}
	}
	hc_free(order);
	return 0;
}

/* Moves an exact column to its sketches. */
static int to_approx(struct hc_profile *p, struct hc_colprof *c,
		     struct hc_err *err)
{
	if (!(c->topk = hc_topk_new(HC_PROFILE_TOPK_CAPACITY, err)))
		return -1;
	c->exact = 0;
	if (absorb_map(p, c, &c->map, err) != 0)
		return -1;
	hc_strmap_release(&c->map);
	hc_free(c->tsum);
	hc_free(c->tcnt);
	c->tsum = NULL;
	c->tcnt = NULL;
	c->cap = 0;
	return 0;
}

/* The new values an exact column is taken to get from the next batch,
 * of next_rows rows: twice as many as it got from the last one (its own
 * rate: a column of ten values gets none), at most one a row. */
static size_t expected_new(const struct hc_colprof *c, size_t next_rows)
{
	size_t got = hc_strmap_count(&c->map) - c->keys_before;

	return got > next_rows / 2 ? next_rows : 2 * got;
}

/* While exact columns hold more than the budget, or would with the values
 * the next batch is expected to bring (next_rows, its rows; 0 for none),
 * the largest goes approximate: before its table doubles past the budget,
 * not after.  Checked after the fact alone, a column of 50M distinct
 * values (120M rows, 11 GB) under --memory 512M doubled its table to
 * 512 MB before switching, and the run peaked at 883 MB.  Depends on the
 * data only, never on the threads. */
static int enforce_budget(struct hc_profile *p, size_t next_rows,
			  struct hc_err *err)
{
	for (;;) {
		size_t total = 0, big = 0;
		struct hc_colprof *largest = NULL;

		for (size_t j = 0; j < p->ncols; j++) {
			const struct hc_colprof *c = &p->cols[j];
			size_t b = hc_colprof_bytes(c, c->exact ? expected_new(c, next_rows) : 0);
			total += b;
			if (b > big) {
				big = b;
				largest = &p->cols[j];
			}
		}
		if (total <= p->o.memory || !largest)
			break;
		if (to_approx(p, largest, err) != 0)
			return -1;
	}
	for (size_t j = 0; j < p->ncols; j++)
		p->cols[j].keys_before = hc_strmap_count(&p->cols[j].map);
	return 0;
}

int hc_profile_add_column(struct hc_profile *p, size_t j,
			  const struct hc_csv_batch *b, size_t src_col,
			  const double *target)
{
	return add_column(p, &p->cols[j], b, src_col, target);
}

int hc_profile_end_batch(struct hc_profile *p, const struct hc_csv_batch *b,
			 const double *target, size_t next_rows,
			 struct hc_err *err)
{
	for (size_t i = 0; target && i < b->nrows; i++) {
		double t = target[i];
		if (isnan(t))
			continue;
		p->target_rows++;
		p->target_sum += t;
		p->target_sum2 += t * t;
		if (t != 0 && t != 1)
			p->target_binary = 0;
	}
	p->rows += b->nrows;
	return enforce_budget(p, next_rows, err);
}

int hc_profile_add_batch(struct hc_profile *p, const struct hc_csv_batch *b,
			 const size_t *cols, const double *target,
			 struct hc_err *err)
{
	/* Column by column: each column's state stays in cache. */
	for (size_t j = 0; j < p->ncols; j++)
		if (add_column(p, &p->cols[j], b, cols[j], target) != 0)
			return hc_err_nomem(err);
	return hc_profile_end_batch(p, b, target, 0, err);
}

/* ---- merging ----------------------------------------------------------- */

/* Adds exact column s's counts into exact column d. */
static int merge_maps(struct hc_profile *p, struct hc_colprof *d,
		      const struct hc_colprof *s)
{
	size_t n = hc_strmap_count(&s->map);

	for (size_t id = 0; id < n; id++) {
		size_t len;
		const char *v = hc_strmap_key(&s->map, id, &len);
		uint64_t w = *hc_strmap_valuep(&s->map, id);

		if (count_exact(p, d, v, len, XXH3_64bits(v, len), w,
				s->tsum ? s->tsum[id] : 0,
				s->tcnt ? s->tcnt[id] : 0) != 0)
			return -1;
	}
	return 0;
}

/* Adds approximate column s's statistics into approximate column d. */
static int merge_stats(struct hc_profile *p, struct hc_colprof *d,
		       const struct hc_colprof *s, struct hc_err *err)
{
	uint64_t n = d->nnum + s->nnum;
	double delta = s->mean - d->mean;

	d->nulls += s->nulls;
	for (int t = 0; t < HC_TYPE_COUNT; t++)
		d->type_count[t] += s->type_count[t];
	if (s->nnum) {
		d->m2 += s->m2 + delta * delta * (double)d->nnum * (double)s->nnum / (double)n;
		d->mean += delta * (double)s->nnum / (double)n;
		d->nnum = n;
		d->min = s->min < d->min ? s->min : d->min;
		d->max = s->max > d->max ? s->max : d->max;
	}
	d->len_min = s->len_min < d->len_min ? s->len_min : d->len_min;
	d->len_max = s->len_max > d->len_max ? s->len_max : d->len_max;
	d->len_sum += s->len_sum;
	if (s->q) {
		if (!d->q && !(d->q = hc_quantile_new(HC_QUANTILE_K_DEFAULT,
						      p->o.seed, err)))
			return -1;
		if (hc_quantile_merge(d->q, s->q, err) != 0)
			return -1;
	}
	if (hc_hll_merge(&d->hll, &s->hll, err) != 0)
		return -1;
	return hc_topk_merge(d->topk, s->topk, err);
}

static int merge_col(struct hc_profile *p, struct hc_colprof *d,
		     const struct hc_colprof *s, struct hc_err *err)
{
	d->rows += s->rows;
	if (d->exact && s->exact)
		return merge_maps(p, d, s) == 0 ? 0 : hc_err_nomem(err);
	if (d->exact && to_approx(p, d, err) != 0)
		return -1;
	if (s->exact)
		return absorb_map(p, d, &s->map, err);
	return merge_stats(p, d, s, err);
}

int hc_profile_merge(struct hc_profile *dst, const struct hc_profile *src,
		     struct hc_err *err)
{
	if (dst->ncols != src->ncols)
		return hc_err_set(err, HC_ERR_DATA,
				  "profiles of %zu and %zu columns cannot be merged",
				  dst->ncols, src->ncols);
	for (size_t j = 0; j < dst->ncols; j++)
		if (strcmp(dst->cols[j].name, src->cols[j].name) != 0)
			return hc_err_set(err, HC_ERR_DATA,
					  "column %zu is '%s' in one profile and '%s' in the other",
					  j + 1, dst->cols[j].name, src->cols[j].name);
	if (dst->o.hll_p != src->o.hll_p || dst->o.target != src->o.target)
		return hc_err_set(err, HC_ERR_DATA,
				  "profiles made with different --hll-precision or --target cannot be merged");
	dst->rows += src->rows;
	dst->target_rows += src->target_rows;
	dst->target_sum += src->target_sum;
	dst->target_sum2 += src->target_sum2;
	dst->target_binary &= src->target_binary;
	for (size_t j = 0; j < dst->ncols; j++)
		if (merge_col(dst, &dst->cols[j], &src->cols[j], err) != 0)
			return -1;
	return enforce_budget(dst, 0, err);
}

/* ---- serialising ------------------------------------------------------- */

static int put_col(const struct hc_profile *p, const struct hc_colprof *c,
		   struct hc_buf *b)
{
	hc_buf_put_str(b, c->name, strlen(c->name));
	hc_buf_put_u64(b, c->rows);
	hc_buf_put_u8(b, (uint8_t)c->exact);
	if (c->exact) {
		hc_buf_put_u64(b, hc_strmap_count(&c->map));
		for (size_t id = 0; id < hc_strmap_count(&c->map); id++) {
			size_t len;
			const char *v = hc_strmap_key(&c->map, id, &len);
			hc_buf_put_str(b, v, len);
			hc_buf_put_u64(b, *hc_strmap_valuep(&c->map, id));
			if (p->o.target >= 0) {
				hc_buf_put_f64(b, c->tsum[id]);
				hc_buf_put_u64(b, c->tcnt[id]);
			}
		}
		return b->failed ? -1 : 0;
	}
	hc_buf_put_u64(b, c->nulls);
	for (int t = 0; t < HC_TYPE_COUNT; t++)
		hc_buf_put_u64(b, c->type_count[t]);
	hc_buf_put_u64(b, c->nnum);
	hc_buf_put_f64(b, c->mean);
	hc_buf_put_f64(b, c->m2);
	hc_buf_put_f64(b, c->min);
	hc_buf_put_f64(b, c->max);
	hc_buf_put_u64(b, c->len_min);
	hc_buf_put_u64(b, c->len_max);
	hc_buf_put_u64(b, c->len_sum);
	hc_hll_serialize(&c->hll, b);
	hc_buf_put_u8(b, c->q != NULL);
	if (c->q)
		hc_quantile_serialize(c->q, b);
	return hc_topk_serialize(c->topk, b);
}

int hc_profile_serialize(const struct hc_profile *p, struct hc_buf *b)
{
	hc_buf_put_u32(b, STATE_VERSION);
	hc_buf_put_u32(b, p->o.hll_p);
	hc_buf_put_u64(b, p->o.k);
	hc_buf_put_f64(b, p->o.collision);
	hc_buf_put_u64(b, p->o.seed);
	hc_buf_put_u32(b, (uint32_t)p->o.nnulls);
	for (size_t i = 0; i < p->o.nnulls; i++)
		hc_buf_put_str(b, p->nulls[i], strlen(p->nulls[i]));
	hc_buf_put_u64(b, (uint64_t)p->o.target);
	hc_buf_put_u64(b, p->rows);
	hc_buf_put_u64(b, p->target_rows);
	hc_buf_put_f64(b, p->target_sum);
	hc_buf_put_f64(b, p->target_sum2);
	hc_buf_put_u8(b, (uint8_t)p->target_binary);
	hc_buf_put_u32(b, (uint32_t)p->ncols);
	for (size_t j = 0; j < p->ncols; j++)
		if (put_col(p, &p->cols[j], b) != 0)
			return -1;
	return b->failed ? -1 : 0;
}

static int corrupt(struct hc_err *err, const char *what)
{
	return hc_err_set(err, HC_ERR_DATA, "corrupted profile state: %s", what);
}

static int get_exact_values(struct hc_profile *p, struct hc_colprof *c,
			    struct hc_cursor *cur, struct hc_err *err)
{
	uint64_t n, total = 0;

	if (hc_get_u64(cur, &n) != 0 || n > hc_cursor_left(cur) / 12)
		return corrupt(err, "value count");
	for (uint64_t i = 0; i < n; i++) {
		const char *v;
		size_t len;
		uint64_t cnt, tcnt = 0;
		double tsum = 0;

		if (hc_get_str(cur, &v, &len) != 0 || hc_get_u64(cur, &cnt) != 0 ||
		    (p->o.target >= 0 && (hc_get_f64(cur, &tsum) != 0 ||
					  hc_get_u64(cur, &tcnt) != 0)))
			return corrupt(err, "truncated values");
		if (cnt == 0 || cnt > c->rows - total || tcnt > cnt)
			return corrupt(err, "a value count out of range");
		total += cnt;
		if (hc_strmap_find(&c->map, v, len) >= 0)
			return corrupt(err, "a value listed twice");
		if (count_exact(p, c, v, len, XXH3_64bits(v, len), cnt, tsum, tcnt) != 0)
			return hc_err_nomem(err);
	}
	if (total != c->rows)
		return corrupt(err, "value counts do not add up to the rows");
	return 0;
}

static int get_approx(struct hc_profile *p, struct hc_colprof *c,
		      struct hc_cursor *cur, struct hc_err *err)
{
	uint8_t has_q;

	hc_get_u64(cur, &c->nulls);
	for (int t = 0; t < HC_TYPE_COUNT; t++)
		hc_get_u64(cur, &c->type_count[t]);
	hc_get_u64(cur, &c->nnum);
	hc_get_f64(cur, &c->mean);
	hc_get_f64(cur, &c->m2);
	hc_get_f64(cur, &c->min);
	hc_get_f64(cur, &c->max);
	hc_get_u64(cur, &c->len_min);
	hc_get_u64(cur, &c->len_max);
	hc_get_u64(cur, &c->len_sum);
	if (cur->bad || c->nulls > c->rows)
		return corrupt(err, "column counts");
	hc_hll_release(&c->hll);
	if (hc_hll_deserialize(&c->hll, cur, err) != 0)
		return -1;
	if (c->hll.p != p->o.hll_p)
		return corrupt(err, "HyperLogLog precision");
	if (hc_get_u8(cur, &has_q) != 0 || has_q > 1)
		return corrupt(err, "quantile flag");
	if (has_q && !(c->q = hc_quantile_deserialize(cur, err)))
		return -1;
	return (c->topk = hc_topk_deserialize(cur, err)) ? 0 : -1;
}

static int get_col(struct hc_profile *p, struct hc_colprof *c,
		   struct hc_cursor *cur, struct hc_err *err)
{
	const char *name;
	size_t len;
	uint8_t exact;

	if (hc_get_str(cur, &name, &len) != 0)
		return corrupt(err, "column name");
	if (!(name = hc_strndup(name, len)))
		return hc_err_nomem(err);
	if (col_init(p, c, name, err) != 0) {
		hc_free((char *)name);
		return -1;
	}
	hc_free((char *)name);
	if (hc_get_u64(cur, &c->rows) != 0 || hc_get_u8(cur, &exact) != 0 ||
	    exact > 1)
		return corrupt(err, "column header");
	if (exact)
		return get_exact_values(p, c, cur, err);
	hc_topk_free(c->topk);
	c->topk = NULL;
	c->exact = 0;
	return get_approx(p, c, cur, err);
}

static int get_header(struct hc_profile_opts *o, struct hc_cursor *cur,
		      const char ***nulls, struct hc_err *err)
{
	uint32_t version, p, nn;
	uint64_t target;

	if (hc_get_u32(cur, &version) != 0)
		return corrupt(err, "unknown version");
	if (version == 1)
		return hc_err_set(err, HC_ERR_DATA,
				  "profile state version 1 (an older hicard's Space-Saving top-k) is no longer read: profile the data again");
	if (version != STATE_VERSION)
		return corrupt(err, "unknown version");
	if (hc_get_u32(cur, &p) != 0 || p < HC_HLL_P_MIN || p > HC_HLL_P_MAX ||
	    hc_get_u64(cur, &o->k) != 0 || o->k > 1000000 ||
	    hc_get_f64(cur, &o->collision) != 0 || hc_get_u64(cur, &o->seed) != 0 ||
	    hc_get_u32(cur, &nn) != 0 || nn > 1024)
		return corrupt(err, "options");
	o->hll_p = p;
	o->nnulls = nn;
	*nulls = hc_calloc(nn + 1, sizeof(**nulls));
	if (!*nulls)
		return hc_err_nomem(err);
	for (uint32_t i = 0; i < nn; i++) {
		const char *s;
		size_t len;
		char *d;
		if (hc_get_str(cur, &s, &len) != 0)
			return corrupt(err, "null tokens");
		if (!(d = hc_strndup(s, len)))
			return hc_err_nomem(err);
		(*nulls)[i] = d;
	}
	o->nulls = *nulls;
	/* -1 (no target) or a column: any other value is damage. */
	if (hc_get_u64(cur, &target) != 0 ||
	    (target != UINT64_MAX && target >= HC_CSV_MAX_COLS))
		return corrupt(err, "target");
	o->target = (long)(int64_t)target;
	return 0;
}

struct hc_profile *hc_profile_deserialize(struct hc_cursor *cur,
					  uint64_t memory,
					  struct hc_err *err)
{
	struct hc_profile_opts o = {.memory = memory};
	const char **nulls = NULL;
	struct hc_profile *p = NULL;
	uint32_t ncols;
	uint8_t binary;

	if (get_header(&o, cur, &nulls, err) != 0)
		goto done;
	if (!(p = profile_alloc(&o, 0, err)))
		goto done;
	hc_get_u64(cur, &p->rows);
	hc_get_u64(cur, &p->target_rows);
	hc_get_f64(cur, &p->target_sum);
	hc_get_f64(cur, &p->target_sum2);
	hc_get_u8(cur, &binary);
	p->target_binary = binary;
	if (hc_get_u32(cur, &ncols) != 0 || ncols == 0 ||
	    ncols > HC_CSV_MAX_COLS || ncols > hc_cursor_left(cur) / 10 ||
	    (o.target >= 0 && (uint64_t)o.target >= ncols)) {
		corrupt(err, "column count");
		goto fail;
	}
	hc_free(p->cols);
	if (!(p->cols = hc_calloc(ncols, sizeof(*p->cols)))) {
		hc_err_nomem(err);
		goto fail;
	}
	for (uint32_t j = 0; j < ncols; j++) {
		p->ncols = j + 1;
		p->cols[j].position = j;
		if (get_col(p, &p->cols[j], cur, err) != 0)
			goto fail;
		if (p->cols[j].rows != p->rows) {
			corrupt(err, "column rows differ from the profile's");
			goto fail;
		}
	}
	if (hc_cursor_left(cur) != 0) {
		corrupt(err, "bytes after the last column");
		goto fail;
	}
	if (enforce_budget(p, 0, err) != 0)
		goto fail;
	goto done;
fail:
	hc_profile_free(p);
	p = NULL;
done:
	for (size_t i = 0; nulls && i < o.nnulls; i++)
		hc_free((void *)nulls[i]);
	hc_free(nulls);
	return p;
}
