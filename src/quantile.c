/* quantile.c - KLL quantile sketch over doubles
 *
 * Implements quantile.h: the sketch of Karnin, Lang and Liberty, "Optimal
 * Quantile Approximation in Streams" (FOCS 2016), in the form of Apache
 * DataSketches' KLL and of Liberty's reference code (streaming-quantiles,
 * kll.py): compactors with capacities decaying by c = 2/3 from the top,
 * lazy compaction, one random offset per compaction.
 *
 * Levels
 * ------
 *
 * Level h holds items of weight 2^h.  With H levels, level h may hold
 *
 *   capacity(h) = max(8, ceil(k (2/3)^(H-1-h)))
 *
 * items, so the top level holds k and the sum over all levels is below
 * 3k + 8H.  The minimum width of 8 is DataSketches' (below it a
 * compaction moves too few items to pay for itself).  (2/3)^d is computed
 * as k 2^d / 3^d in integers, so capacities, and with them the whole
 * sketch, are the same on every platform; for d >= 30, k (2/3)^d < 0.4
 * for every k <= 65535, so those levels have the minimum width.
 *
 * Values go to level 0, unsorted.  When the sketch holds as many items as
 * its levels' capacities add up to, the lowest level at or over its
 * capacity is compacted, until the total is under budget again (lazy
 * compaction, as DataSketches does: a level may overflow while levels
 * above it have room, which keeps more of the stream at low weight).
 * Compacting a level sorts it (level 0 only: the others are kept sorted),
 * keeps its smallest item there if its length is odd, and of the rest
 * promotes the items at even or at odd positions, by one coin flip, into
 * level h + 1, merged in place so that level stays sorted; a compaction of
 * the top level adds a level.  Weight is conserved exactly: the lengths
 * times 2^h always sum to the count n.
 *
 * The coin comes from splitmix64 (Steele, Lea, Flood 2014) seeded by the
 * caller and kept in the sketch (and in its serialised form), so the same
 * input and seed give the same sketch, bit for bit.  Adding is amortised
 * O(1) in n: an append, and compactions whose cost per item is bounded by
 * sorting level 0 (small: its capacity falls to 8 once there are a dozen
 * levels) and merges that each item takes part in at most once per level,
 * with items halving at every level: 25 to 35 ns per value at k = 200,
 * 40 to 50 at k = 1000 (10^7 random doubles, the 2-core build machine).
 *
 * Queries
 * -------
 *
 * get(phi) returns the smallest retained item x whose weighted rank
 * W(x) = sum of weights of retained items <= x reaches phi n; phi 0 and 1
 * give the exact minimum and maximum, kept apart from the levels.  While
 * nothing has been compacted W is the exact rank and the answer is the
 * ceil(phi n)-th smallest value.  The search needs no memory (get cannot
 * fail): it bisects over the 64-bit keys that order doubles as integers,
 * from key(min) to key(max), evaluating W by a scan of level 0 and binary
 * searches of the sorted levels: 64 steps of O(|level 0| + H log k).
 * -0.0 is stored as +0.0 so that the keys and the comparisons agree.
 *
 * Rank error
 * ----------
 *
 * hc_quantile_rank_error reports 0 while nothing has been compacted and
 * HC_KLL_EPS / k once anything has, HC_KLL_EPS = 2.5: above every error
 * we have measured, so a report can state it as a bound.  Measured by the
 * tcase "measure" of test_quantile.c (HICARD_KLL_MEASURE=1000
 * CK_RUN_SUITE=quantile CK_RUN_CASE=measure build/unit-tests, about ten
 * minutes): 10^6 uniform random doubles, 1000 seeds, the quantiles
 * phi = 0.01, 0.02, ..., 0.99 of each sketch; the error of an answer is
 * the distance from phi to the interval of its true normalised ranks.
 * Figures times k:
 *
 *      k   largest error   99% of sketches:      99% of single
 *          of any query    all 99 quantiles      quantiles within
 *                          within
 *      8       1.13             0.87                  0.59
 *     16       1.65             1.28                  0.88
 *     50       2.06             1.85                  1.31
 *    200       2.30             2.06                  1.42
 *   1000       2.43             2.03                  1.36
 *
 * The same measurement on a random permutation of 0..10^6-1 (another
 * generator, other seeds) gave at most 2.45 / k; sorted, reverse-sorted,
 * Zipf-like and ten-value inputs give less (at most 1.83 / k over 100 to
 * 300 seeds), and 10^4 or 10^7 values change little (at most 2.28 / k over
 * 1000 seeds and 1.77 / k over 20, at k = 200).  So at the default
 * k = 200 hicard reports 1.25%, and a single quantile is within 0.71%
 * 99 times in 100.  For comparison, Apache DataSketches states 1.33% for
 * its KLL at k = 200 (one quantile, 99% confidence; 1.65% for a PMF).
 *
 * Serialised form
 * ---------------
 *
 * Little-endian, as lib/buf.h writes:
 *
 *   +------------+-------+-------+---------+--------+--------+------------+
 *   | u8 version | u32 k | u64 n | u64 rng | f64 min| f64 max| u8 levels H|
 *   +------------+-------+-------+---------+--------+--------+------------+
 *   | H x u32 length of level h | the items, f64, level 0 first ...      |
 *   +---------------------------+----------------------------------------+
 *
 * version is 1; min and max are NaN when n is 0.  Reading checks, before
 * allocating anything, that k is in 8..65535, H in 1..64, min <= max
 * (neither NaN) when n > 0, the lengths times 2^h sum to n without
 * overflow, and the items fit in the bytes left; then, as it reads them,
 * that no item is NaN or outside [min, max] and that every level above 0
 * is sorted.  Anything else is HC_ERR_DATA, never a read past the end.
 */
#include "quantile.h"

#include <math.h>
#include <string.h>

#include "lib/mem.h"

#define KLL_K_MIN 8
#define KLL_K_MAX 65535
#define KLL_MIN_WIDTH 8
/* A level-h item weighs 2^h and the count is a u64: 64 levels suffice. */
#define KLL_MAX_LEVELS 64
#define KLL_VERSION 1
/* See "Rank error" above. */
#define HC_KLL_EPS 2.5

struct level {
	double *v;
	size_t len, cap;
};

struct hc_quantile {
	unsigned k;
	unsigned nlevels;    /* >= 1; > 1 once anything has been compacted */
	uint64_t n;          /* values added */
	uint64_t rng;        /* splitmix64 state */
	size_t size;         /* items held, all levels */
	size_t max_size;     /* sum of the capacities */
	double min, max;     /* NaN while empty */
	size_t capa[KLL_MAX_LEVELS];
	struct level lv[KLL_MAX_LEVELS];
};

/* ------------------------------------------------------------------------
 * Helpers: the coin, double keys, sorting and searching
 * ------------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* An unsigned integer ordered as the (non-NaN) doubles are. */
static uint64_t dkey(double x)
{
	uint64_t u;

	memcpy(&u, &x, 8);
	return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

static double dval(uint64_t key)
{
	uint64_t u = key >> 63 ? key & ~((uint64_t)1 << 63) : ~key;
	double x;

	memcpy(&x, &u, 8);
	return x;
}

static void sift_down(double *v, size_t root, size_t n)
{
	double x = v[root];

	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[child] <= x)
			break;
		v[root] = v[child];
	}
	v[root] = x;
}

/* Insertion sort up to this length, heapsort above.  Level 0 averages 13
 * items at k = 200 and 23 at k = 1000 when compacted (measured over 10^7
 * random values): short enough for insertion sort, which beat qsort's
 * indirect comparisons by a fifth of the time per add.  Heapsort bounds
 * the rare large sorts (level 0 after merges, large k) at O(n log n)
 * without allocating, which qsort does not promise. */
#define SORT_SMALL 32

/* Batcher's odd-even merge sort networks for 8 and 16 inputs (the second
 * sorts 0..7 as the first does, 8..15 likewise, then merges; both checked
 * on all inputs of zeros and ones), written out so that the values stay
 * in registers. */
#define CX(i, j) cx(&t[i], &t[j])

/* A compare-exchange without a branch (minsd and maxsd). */
static inline void cx(double *a, double *b)
{
	double x = *a, y = *b;

	*a = y < x ? y : x;
	*b = y < x ? x : y;
}

static void net8(double *t)
{
	CX(0, 1); CX(2, 3); CX(0, 2); CX(1, 3); CX(1, 2); CX(4, 5); CX(6, 7);
	CX(4, 6); CX(5, 7); CX(5, 6); CX(0, 4); CX(2, 6); CX(2, 4); CX(1, 5);
	CX(3, 7); CX(3, 5); CX(1, 2); CX(3, 4); CX(5, 6);
}

static void net16(double *t)
{
	net8(t);
	CX(8, 9); CX(10, 11); CX(8, 10); CX(9, 11); CX(9, 10); CX(12, 13);
	CX(14, 15); CX(12, 14); CX(13, 15); CX(13, 14); CX(8, 12);
	CX(10, 14); CX(10, 12); CX(9, 13); CX(11, 15); CX(11, 13); CX(9, 10);
	CX(11, 12); CX(13, 14); CX(0, 8); CX(4, 12); CX(4, 8); CX(2, 10);
	CX(6, 14); CX(6, 10); CX(2, 4); CX(6, 8); CX(10, 12); CX(1, 9);
	CX(5, 13); CX(5, 9); CX(3, 11); CX(7, 15); CX(7, 11); CX(3, 5);
	CX(7, 9); CX(11, 13); CX(1, 2); CX(3, 4); CX(5, 6); CX(7, 8);
	CX(9, 10); CX(11, 12); CX(13, 14);
}

/* Sorts up to 16 values by a network, padded with +infinity.  Level 0 is
 * compacted at 8 to 16 items once a sketch has a dozen levels: there,
 * insertion sort's mispredicted branches were most of the time of an add
 * (6% of `profile --approx` on the benchmark file).  Sorted doubles are
 * unique (no NaN, -0.0 stored as +0.0), so the sketch is the same bit for
 * bit whichever sort ran. */
static void sort16(double *v, size_t n)
{
	double t[16];
	size_t m = n <= 8 ? 8 : 16;

	for (size_t i = 0; i < m; i++)
		t[i] = i < n ? v[i] : INFINITY;
	if (m == 8)
		net8(t);
	else
		net16(t);
	memcpy(v, t, n * sizeof(*v));
}

static void sort_doubles(double *v, size_t n)
{
	if (n <= 16) {
		sort16(v, n);
		return;
	}
	if (n > SORT_SMALL) {
		for (size_t i = n / 2; i-- > 0;)
			sift_down(v, i, n);
		for (size_t end = n - 1; end > 0; end--) {
			double t = v[0];

			v[0] = v[end];
			v[end] = t;
			sift_down(v, 0, end);
		}
		return;
	}
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Number of items of the sorted v[0..n) that are <= x. */
static size_t upper_bound(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ------------------------------------------------------------------------
 * Capacities and compaction
 * ------------------------------------------------------------------------ */

/* ceil(k (2/3)^depth), at least KLL_MIN_WIDTH, in integers. */
static size_t level_capacity(unsigned k, unsigned depth)
{
	uint64_t pow3 = 1, num;

	if (depth >= 30)
		return KLL_MIN_WIDTH;
	for (unsigned i = 0; i < depth; i++)
		pow3 *= 3;
	num = ((uint64_t)k << depth) + pow3 - 1;
	return num / pow3 < KLL_MIN_WIDTH ? KLL_MIN_WIDTH : (size_t)(num / pow3);
}

static void set_capacities(struct hc_quantile *q)
{
	q->max_size = 0;
	for (unsigned h = 0; h < q->nlevels; h++) {
		q->capa[h] = level_capacity(q->k, q->nlevels - 1 - h);
		q->max_size += q->capa[h];
	}
}

/* Makes room for need items in l.  0, or -1 (l unchanged). */
static int level_reserve(struct level *l, size_t need)
{
	void *p = l->v;

	if (need <= l->cap)
		return 0;
	if (hc_grow(&p, &l->cap, need, sizeof(double)) != 0)
		return -1;
	l->v = p;
	return 0;
}

/* Merges the sorted src[0..n) into the sorted l, which has room for them:
 * from the back, so in place. */
static void level_merge_in(struct level *l, const double *src, size_t n)
{
	size_t i = l->len, j = n, out = l->len + n;

	while (j > 0) {
		if (i > 0 && l->v[i - 1] > src[j - 1])
			l->v[--out] = l->v[--i];
		else
			l->v[--out] = src[--j];
	}
	l->len += n;
}

/* Compacts level h (see the top comment).  0, or -1 when memory for the
 * promoted items could not be had; the sketch is then unchanged. */
static int compact(struct hc_quantile *q, unsigned h)
{
	struct level *a = &q->lv[h], *b = &q->lv[h + 1];
	size_t odd = a->len & 1, half = a->len / 2;
	double *sel;

	if (h + 1 >= KLL_MAX_LEVELS)
		return -1; /* needs n >= 2^64: cannot happen */
	if (level_reserve(b, b->len + half) != 0)
		return -1;
	if (h == 0)
		sort_doubles(a->v, a->len);
	/* The items promoted are a->v[odd + coin + 2i], i < half: gathered
	 * at the front of the level's free part, they stay sorted. */
	sel = a->v + odd + (splitmix64(&q->rng) >> 63);
	for (size_t i = 0; i < half; i++)
		a->v[odd + i] = sel[2 * i];
	level_merge_in(b, a->v + odd, half);
	a->len = odd;
	q->size -= half;
	if (h + 1 == q->nlevels) {
		q->nlevels++;
		set_capacities(q);
	}
	return 0;
}

/* Compacts until the sketch is under its budget.  0, or -1 (memory): the
 * sketch is valid, holding more items than its budget. */
static int compress(struct hc_quantile *q)
{
	while (q->size >= q->max_size) {
		unsigned h = 0;

		while (q->lv[h].len < q->capa[h])
			h++; /* some level is at capacity: size >= max_size */
		if (compact(q, h) != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Life cycle and adding
 * ------------------------------------------------------------------------ */

static struct hc_quantile *alloc_sketch(unsigned k, uint64_t seed)
{
	struct hc_quantile *q = hc_calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->k = k;
	q->rng = seed;
	q->nlevels = 1;
	q->min = q->max = NAN;
	set_capacities(q);
	return q;
}

/* A new empty sketch.  NULL with err set: HC_ERR_USAGE when k is outside
 * 8..65535, HC_ERR_NOMEM.  Level memory is allocated as values arrive. */
struct hc_quantile *hc_quantile_new(unsigned k, uint64_t seed,
				    struct hc_err *err)
{
	struct hc_quantile *q;

	if (k < KLL_K_MIN || k > KLL_K_MAX) {
		hc_err_set(err, HC_ERR_USAGE,
			   "quantile sketch k %u is not between %d and %d", k,
			   KLL_K_MIN, KLL_K_MAX);
		return NULL;
	}
	q = alloc_sketch(k, seed);
	if (!q)
		hc_err_nomem(err);
	return q;
}

void hc_quantile_free(struct hc_quantile *q)
{
	if (!q)
		return;
	for (unsigned h = 0; h < KLL_MAX_LEVELS; h++)
		hc_free(q->lv[h].v);
	hc_free(q);
}

/* Adds v (a NaN is ignored and not counted: quantiles of NaN are
 * undefined, and callers count them apart).  0, or -1 when memory ran out;
 * v has then not been added and the sketch is unchanged but for
 * compactions already done. */
int hc_quantile_add(struct hc_quantile *q, double v)
{
	struct level *l0 = &q->lv[0];

	if (isnan(v))
		return 0;
	if (v == 0)
		v = 0.0; /* -0.0 */
	if (q->size >= q->max_size && compress(q) != 0)
		return -1;
	if (l0->len == l0->cap && level_reserve(l0, l0->len + 1) != 0)
		return -1;
	l0->v[l0->len++] = v;
	q->size++;
	if (q->n++ == 0) {
		q->min = q->max = v;
	} else {
		if (v < q->min)
			q->min = v;
		if (v > q->max)
			q->max = v;
	}
	return 0;
}

/* Appends as many copies at a time as fit before the next compression
 * that w single adds would run, so the compactions, and the coin flips
 * they draw, are the same. */
int hc_quantile_add_n(struct hc_quantile *q, double v, uint64_t w)
{
	struct level *l0 = &q->lv[0];

	if (isnan(v) || w == 0)
		return 0;
	if (v == 0)
		v = 0.0; /* -0.0 */
	while (w > 0) {
		size_t m;
		if (q->size >= q->max_size && compress(q) != 0)
			return -1;
		m = q->max_size - q->size;
		if (m > w)
			m = (size_t)w;
		if (level_reserve(l0, l0->len + m) != 0)
			return -1;
		if (q->n == 0)
			q->min = q->max = v;
		for (size_t i = 0; i < m; i++)
			l0->v[l0->len + i] = v;
		l0->len += m;
		q->size += m;
		q->n += m;
		w -= m;
	}
	if (v < q->min)
		q->min = v;
	if (v > q->max)
		q->max = v;
	return 0;
}

uint64_t hc_quantile_count(const struct hc_quantile *q)
{
	return q->n;
}

/* ------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------ */

/* The weight of the retained items <= x. */
static uint64_t weight_le(const struct hc_quantile *q, double x)
{
	const struct level *l0 = &q->lv[0];
	uint64_t w = 0;

	for (size_t i = 0; i < l0->len; i++)
		w += l0->v[i] <= x;
	for (unsigned h = 1; h < q->nlevels; h++)
		w += (uint64_t)upper_bound(q->lv[h].v, q->lv[h].len, x) << h;
	return w;
}

/* The smallest retained x with weight_le(x) >= phi n (see the top
 * comment).  phi <= 0 gives the minimum, phi >= 1 the maximum; NaN when
 * the sketch is empty or phi is NaN. */
double hc_quantile_get(const struct hc_quantile *q, double phi)
{
	double target, x;
	uint64_t lo, hi;

	if (q->n == 0 || isnan(phi))
		return NAN;
	if (phi <= 0)
		return q->min;
	if (phi >= 1)
		return q->max;
	target = phi * (double)q->n;
	if ((double)weight_le(q, q->min) >= target)
		return q->min;
	/* weight_le(dval(lo)) < target <= weight_le(dval(hi)) */
	lo = dkey(q->min);
	hi = dkey(q->max);
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if ((double)weight_le(q, dval(mid)) >= target)
			hi = mid;
		else
			lo = mid;
	}
	x = dval(hi);
	return x == 0 ? 0.0 : x; /* -0.0 and +0.0 weigh the same */
}

/* 0 while exact, else HC_KLL_EPS / k.  Weight only ever moves up, so the
 * sketch has a second level exactly when something has been compacted. */
double hc_quantile_rank_error(const struct hc_quantile *q)
{
	return q->nlevels > 1 ? HC_KLL_EPS / q->k : 0;
}

/* ------------------------------------------------------------------------
 * Merge
 * ------------------------------------------------------------------------ */

/* dst = dst ∪ src, then compacted under budget with dst's coin; src is
 * unchanged and must not be dst.  0, or -1 with err set: HC_ERR_DATA when
 * the k differ or the counts would overflow (dst unchanged), HC_ERR_NOMEM
 * (dst unchanged if it happened before copying; after, dst holds the
 * union, valid but over its budget of items). */
int hc_quantile_merge(struct hc_quantile *dst, const struct hc_quantile *src,
		      struct hc_err *err)
{
	if (dst->k != src->k)
		return hc_err_set(err, HC_ERR_DATA,
				  "cannot merge quantile sketches with k %u and %u",
				  dst->k, src->k);
	if (src->n > UINT64_MAX - dst->n)
		return hc_err_set(err, HC_ERR_DATA,
				  "cannot merge quantile sketches: the count overflows");
	if (src->n == 0)
		return 0;
	for (unsigned h = 0; h < src->nlevels; h++)
		if (level_reserve(&dst->lv[h], dst->lv[h].len + src->lv[h].len) != 0)
			return hc_err_nomem(err);
	memcpy(dst->lv[0].v + dst->lv[0].len, src->lv[0].v,
	       src->lv[0].len * sizeof(double));
	dst->lv[0].len += src->lv[0].len;
	for (unsigned h = 1; h < src->nlevels; h++)
		level_merge_in(&dst->lv[h], src->lv[h].v, src->lv[h].len);
	if (src->nlevels > dst->nlevels) {
		dst->nlevels = src->nlevels;
		set_capacities(dst);
	}
	dst->size += src->size;
	if (dst->n == 0) {
		dst->min = src->min;
		dst->max = src->max;
	} else {
		dst->min = src->min < dst->min ? src->min : dst->min;
		dst->max = src->max > dst->max ? src->max : dst->max;
	}
	dst->n += src->n;
	if (compress(dst) != 0)
		return hc_err_nomem(err);
	return 0;
}

/* ------------------------------------------------------------------------
 * Serialisation
 * ------------------------------------------------------------------------ */

/* Appends the layout of the top comment.  0, or -1 once b's allocation
 * has failed. */
int hc_quantile_serialize(const struct hc_quantile *q, struct hc_buf *b)
{
	hc_buf_put_u8(b, KLL_VERSION);
	hc_buf_put_u32(b, q->k);
	hc_buf_put_u64(b, q->n);
	hc_buf_put_u64(b, q->rng);
	hc_buf_put_f64(b, q->min);
	hc_buf_put_f64(b, q->max);
	hc_buf_put_u8(b, (uint8_t)q->nlevels);
	for (unsigned h = 0; h < q->nlevels; h++)
		hc_buf_put_u32(b, (uint32_t)q->lv[h].len);
	for (unsigned h = 0; h < q->nlevels; h++)
		for (size_t i = 0; i < q->lv[h].len; i++)
			hc_buf_put_f64(b, q->lv[h].v[i]);
	return b->failed ? -1 : 0;
}

static int bad(struct hc_err *err, const char *what)
{
	return hc_err_set(err, HC_ERR_DATA, "quantile sketch: %s", what);
}

/* Checks the lengths against n and the bytes left, before anything is
 * allocated.  0, or -1 with err set. */
static int check_lengths(const uint32_t *len, unsigned nlevels, uint64_t n,
			 size_t left, struct hc_err *err)
{
	uint64_t w = 0, items = 0;

	for (unsigned h = 0; h < nlevels; h++) {
		if (len[h] > UINT64_MAX >> h || (uint64_t)len[h] << h > UINT64_MAX - w)
			return bad(err, "level lengths overflow the count");
		w += (uint64_t)len[h] << h;
		items += len[h];
	}
	if (w != n)
		return hc_err_set(err, HC_ERR_DATA,
				  "quantile sketch: the levels weigh %llu, not the count %llu",
				  (unsigned long long)w, (unsigned long long)n);
	if (items > left / 8)
		return bad(err, "truncated");
	return 0;
}

/* Reads level h's len items into l (allocated here) and checks them. */
static int read_level(struct level *l, unsigned h, uint32_t len,
		      struct hc_cursor *c, double min, double max,
		      struct hc_err *err)
{
	l->v = hc_mallocarray(len ? len : 1, sizeof(double));
	if (!l->v)
		return hc_err_nomem(err);
	l->cap = len ? len : 1;
	for (uint32_t i = 0; i < len; i++) {
		double x;

		if (hc_get_f64(c, &x) != 0)
			return bad(err, "truncated");
		if (isnan(x))
			return bad(err, "an item is NaN");
		if (x < min || x > max)
			return bad(err, "an item lies outside [min, max]");
		if (x == 0)
			x = 0.0;
		if (h > 0 && i > 0 && x < l->v[i - 1])
			return hc_err_set(err, HC_ERR_DATA,
					  "quantile sketch: level %u is not sorted", h);
		l->v[i] = x;
		l->len++;
	}
	return 0;
}

/* Reads what hc_quantile_serialize wrote and moves the cursor past it.
 * NULL with err set: HC_ERR_DATA on any corruption (see the top comment;
 * never a read past the end, never an allocation larger than the bytes
 * left), HC_ERR_NOMEM. */
struct hc_quantile *hc_quantile_deserialize(struct hc_cursor *c,
					    struct hc_err *err)
{
	uint8_t version, nlevels;
	uint32_t k, len[KLL_MAX_LEVELS];
	uint64_t n, rng;
	double min, max;
	struct hc_quantile *q;

	if (hc_get_u8(c, &version) | hc_get_u32(c, &k) | hc_get_u64(c, &n) |
	    hc_get_u64(c, &rng) | hc_get_f64(c, &min) | hc_get_f64(c, &max) |
	    hc_get_u8(c, &nlevels)) {
		bad(err, "truncated");
		return NULL;
	}
	if (version != KLL_VERSION) {
		hc_err_set(err, HC_ERR_DATA,
			   "quantile sketch: unknown version %u", version);
		return NULL;
	}
	if (k < KLL_K_MIN || k > KLL_K_MAX) {
		hc_err_set(err, HC_ERR_DATA,
			   "quantile sketch: k %u is not between %d and %d",
			   k, KLL_K_MIN, KLL_K_MAX);
		return NULL;
	}
	if (nlevels < 1 || nlevels > KLL_MAX_LEVELS) {
		hc_err_set(err, HC_ERR_DATA,
			   "quantile sketch: %u levels, not between 1 and %d",
			   nlevels, KLL_MAX_LEVELS);
		return NULL;
	}
	if (n > 0 && (isnan(min) || isnan(max) || min > max)) {
		bad(err, "bad minimum or maximum");
		return NULL;
	}
	for (unsigned h = 0; h < nlevels; h++)
		if (hc_get_u32(c, &len[h]) != 0) {
			bad(err, "truncated");
			return NULL;
		}
	if (check_lengths(len, nlevels, n, hc_cursor_left(c), err) != 0)
		return NULL;
	q = alloc_sketch(k, rng);
	if (!q) {
		hc_err_nomem(err);
		return NULL;
	}
	q->nlevels = nlevels;
	set_capacities(q);
	for (unsigned h = 0; h < nlevels; h++) {
		if (read_level(&q->lv[h], h, len[h], c, min, max, err) != 0)
			goto free_sketch;
		q->size += len[h];
	}
	q->n = n;
	if (n > 0) {
		q->min = min == 0 ? 0.0 : min;
		q->max = max == 0 ? 0.0 : max;
	}
	return q;

free_sketch:
	hc_quantile_free(q);
	return NULL;
}
