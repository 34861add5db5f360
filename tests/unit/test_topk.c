/* test_topk.c - Misra-Gries top-k: exact below capacity, within its bound on
 * Zipf streams (against brute-force counts), top order and ties, weights,
 * binary values, merge, serialisation and its corruption, bounded memory,
 * allocation failures
 *
 * The bound checked everywhere (check_bounds) is the one topk.h states:
 * with N items and capacity k, every value whose true count f has
 * f > N / k is held, and each held item has count - error <= f <= count
 * and error <= N / k.  It is exact, not statistical, so the tests assert
 * it with no slack.  All streams come from a fixed-seed PRNG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/strmap.h"
#include "src/topk.h"
#include "helpers.h"
#include "suites.h"

/* Check's ck_assert* record every passing assertion (a write to its
 * results pipe), which would dominate loops of a million checks: these
 * only act on failure. */
#define REQUIRE(c)                                                        \
	do {                                                              \
		if (!(c))                                                 \
			ck_abort_msg("assertion '%s' failed", #c);        \
	} while (0)
#define REQUIRE_MSG(c, ...)                                               \
	do {                                                              \
		if (!(c))                                                 \
			ck_abort_msg(__VA_ARGS__);                        \
	} while (0)

/* ---- a seeded PRNG and Zipf streams ----------------------------------- */

static double rng_unit(uint64_t *s)
{
	return (double)(th_rand(s) >> 11) / 9007199254740992.0;
}

/* Zipf(1) over ranks 0..u-1 by inverting the CDF. */
struct zipf {
	double *cdf;
	size_t u;
};

static void zipf_init(struct zipf *z, size_t u)
{
	double sum = 0;

	z->u = u;
	z->cdf = malloc(u * sizeof(*z->cdf));
	ck_assert_ptr_nonnull(z->cdf);
	for (size_t i = 0; i < u; i++)
		z->cdf[i] = (sum += 1.0 / (double)(i + 1));
	for (size_t i = 0; i < u; i++)
		z->cdf[i] /= sum;
}

static size_t zipf_next(const struct zipf *z, uint64_t *s)
{
	double x = rng_unit(s);
	size_t lo = 0, hi = z->u - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->cdf[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The name of value i: "v<i>", into buf (>= 24 bytes); returns its length. */
static size_t vname(char *buf, size_t i)
{
	return (size_t)snprintf(buf, 24, "v%zu", i);
}

/* ---- brute-force counts ------------------------------------------------ */

struct truth {
	struct hc_strmap m;
	uint64_t *cnt;
	size_t cap;
	uint64_t n;
};

static void truth_init(struct truth *tr)
{
	memset(tr, 0, sizeof(*tr));
	hc_strmap_init(&tr->m);
}

static void truth_release(struct truth *tr)
{
	hc_strmap_release(&tr->m);
	free(tr->cnt);
}

static void truth_add(struct truth *tr, const char *v, size_t len,
		      uint64_t w)
{
	int added;
	int64_t id = hc_strmap_intern(&tr->m, v, len, &added);

	REQUIRE((id) >= (0));
	if ((size_t)id >= tr->cap) {
		tr->cap = tr->cap ? tr->cap * 2 : 1024;
		tr->cnt = realloc(tr->cnt, tr->cap * sizeof(*tr->cnt));
		ck_assert_ptr_nonnull(tr->cnt);
	}
	if (added)
		tr->cnt[id] = 0;
	tr->cnt[id] += w;
	tr->n += w;
}

static uint64_t truth_get(const struct truth *tr, const char *v, size_t len)
{
	int64_t id = hc_strmap_find(&tr->m, v, len);

	return id < 0 ? 0 : tr->cnt[id];
}

/* Adds to the sketch and to the truth. */
static void both_add(struct hc_topk *t, struct truth *tr, const char *v,
		     size_t len, uint64_t w)
{
	REQUIRE((hc_topk_add(t, v, len, w)) == (0));
	truth_add(tr, v, len, w);
}

/* ---- checks ---------------------------------------------------------- */

/* The order topk.h states, recomputed here. */
static int in_order(const struct hc_topk_item *a, const struct hc_topk_item *b)
{
	size_t m = a->len < b->len ? a->len : b->len;
	int r;

	if (a->count != b->count)
		return a->count > b->count;
	if (a->error != b->error)
		return a->error < b->error;
	r = memcmp(a->value, b->value, m);
	return r < 0 || (r == 0 && a->len < b->len);
}

/* All held items, in top order (checked); *n their number. */
static struct hc_topk_item *all_items(const struct hc_topk *t, size_t *n)
{
	size_t cap = hc_topk_capacity(t);
	struct hc_topk_item *it = malloc((cap + 1) * sizeof(*it));

	ck_assert_ptr_nonnull(it);
	*n = hc_topk_top(t, cap + 1, it);
	ck_assert_uint_le(*n, cap);
	for (size_t i = 1; i < *n; i++)
		REQUIRE_MSG(in_order(&it[i - 1], &it[i]),
			    "items %zu and %zu out of order", i - 1, i);
	return it;
}

/* The guarantee of topk.h against the truth; returns the number of
 * values above N / capacity. */
static size_t check_bounds(const struct hc_topk *t, const struct truth *tr)
{
	uint64_t n = hc_topk_total(t), k = hc_topk_capacity(t), bound = n / k;
	size_t nit, heavy = 0, nvals = hc_strmap_count(&tr->m);
	struct hc_topk_item *it = all_items(t, &nit);
	char *held = calloc(nvals ? nvals : 1, 1);

	ck_assert_ptr_nonnull(held);
	REQUIRE(n == tr->n);
	if (nit == k)
		REQUIRE(hc_topk_max_error(t) == bound);
	for (size_t i = 0; i < nit; i++) {
		int64_t id = hc_strmap_find(&tr->m, it[i].value, it[i].len);
		uint64_t f = id < 0 ? 0 : tr->cnt[id];
		REQUIRE(it[i].count - it[i].error <= f);
		REQUIRE(f <= it[i].count);
		REQUIRE(it[i].error <= bound);
		REQUIRE(it[i].error <= hc_topk_max_error(t));
		if (id >= 0) {
			/* held twice would mean the index lost a value */
			REQUIRE_MSG(!held[id], "value %lld held twice",
				    (long long)id);
			held[id] = 1;
		}
	}
	for (size_t id = 0; id < nvals; id++) {
		if (tr->cnt[id] * k <= n) /* f > N / k, without rounding */
			continue;
		heavy++;
		REQUIRE_MSG(held[id], "value %zu (count %llu) is missing", id,
			    (unsigned long long)tr->cnt[id]);
	}
	free(held);
	free(it);
	return heavy;
}

/* Both hold the same items in the same order. */
static void check_same(const struct hc_topk *a, const struct hc_topk *b)
{
	size_t na, nb;
	struct hc_topk_item *x = all_items(a, &na), *y = all_items(b, &nb);

	REQUIRE((hc_topk_capacity(a)) == (hc_topk_capacity(b)));
	REQUIRE(hc_topk_total(a) == hc_topk_total(b));
	REQUIRE(hc_topk_max_error(a) == hc_topk_max_error(b));
	REQUIRE((na) == (nb));
	for (size_t i = 0; i < na; i++) {
		REQUIRE((x[i].len) == (y[i].len));
		REQUIRE(memcmp(x[i].value, y[i].value, x[i].len) == 0);
		REQUIRE(x[i].count == y[i].count);
		REQUIRE(x[i].error == y[i].error);
	}
	free(x);
	free(y);
}

static void serialize(const struct hc_topk *t, struct hc_buf *b)
{
	hc_buf_init(b);
	ck_assert_int_eq(hc_topk_serialize(t, b), 0);
}

/* Equal serialisations (canonical: items in top order). */
static void check_same_bytes(const struct hc_topk *a, const struct hc_topk *b)
{
	struct hc_buf x, y;

	serialize(a, &x);
	serialize(b, &y);
	ck_assert_uint_eq(x.len, y.len);
	ck_assert_mem_eq(x.data, y.data, x.len);
	hc_buf_release(&x);
	hc_buf_release(&y);
}

static struct hc_topk *new_topk(size_t capacity)
{
	struct hc_err err = {0};
	struct hc_topk *t = hc_topk_new(capacity, &err);

	ck_assert_msg(t != NULL, "%s", err.msg);
	return t;
}

static struct hc_topk *copy(const struct hc_topk *t)
{
	struct hc_buf b;
	struct hc_cursor c;
	struct hc_err err = {0};
	struct hc_topk *r;

	serialize(t, &b);
	hc_cursor_init(&c, b.data, b.len);
	r = hc_topk_deserialize(&c, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_uint_eq(hc_cursor_left(&c), 0);
	hc_buf_release(&b);
	return r;
}

/* n Zipf(1) items over u values "v<i>" (the value map permuted by mul, an
 * odd number, so that shards can have different heavy hitters). */
static void feed_zipf(struct hc_topk *t, struct truth *tr, size_t n, size_t u,
		      size_t mul, uint64_t seed, uint64_t max_w)
{
	struct zipf z;
	char v[24];

	zipf_init(&z, u);
	for (size_t i = 0; i < n; i++) {
		size_t r = zipf_next(&z, &seed);
		uint64_t w = max_w > 1 ? 1 + th_rand(&seed) % max_w : 1;
		size_t len = vname(v, (r * mul) % u);
		both_add(t, tr, v, len, w);
	}
	free(z.cdf);
}

/* ---- construction ---------------------------------------------------- */

START_TEST(new_limits)
{
	struct hc_err err = {0};
	struct hc_topk *t;

	ck_assert_ptr_null(hc_topk_new(0, &err));
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	hc_err_clear(&err);
	ck_assert_ptr_null(hc_topk_new(((size_t)1 << 24) + 1, &err));
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg,
			 "top-k capacity 16777217 out of range 1..16777216");
	/* the largest capacity allocates as values come, not up front */
	t = new_topk((size_t)1 << 24);
	ck_assert_int_eq(hc_topk_add(t, "a", 1, 1), 0);
	ck_assert_uint_lt(hc_topk_bytes(t), 4096);
	REQUIRE(hc_topk_max_error(t) == 0);
	hc_topk_free(t);
	hc_topk_free(NULL);
}
END_TEST

/* ---- exact while distinct values <= capacity ------------------------- */

START_TEST(exact_below_capacity)
{
	struct hc_topk *t = new_topk(64);
	struct truth tr;
	uint64_t seed = 1;
	size_t nit;
	struct hc_topk_item *it;

	truth_init(&tr);
	/* 63 distinct values, weights 1..5: fewer than capacity */
	for (size_t i = 0; i < 20000; i++) {
		char v[24];
		size_t len = vname(v, th_rand(&seed) % 63);
		both_add(t, &tr, v, len, 1 + th_rand(&seed) % 5);
	}
	it = all_items(t, &nit);
	REQUIRE((nit) == (63));
	REQUIRE(hc_topk_max_error(t) == 0);
	for (size_t i = 0; i < nit; i++) {
		REQUIRE(it[i].count == truth_get(&tr, it[i].value, it[i].len));
		REQUIRE(it[i].error == 0);
	}
	free(it);
	/* the 64th value fills it: still exact, the bound becomes N / k */
	both_add(t, &tr, "last", 4, 2);
	it = all_items(t, &nit);
	REQUIRE((nit) == (64));
	for (size_t i = 0; i < nit; i++) {
		REQUIRE(it[i].count == truth_get(&tr, it[i].value, it[i].len));
		REQUIRE(it[i].error == 0);
	}
	REQUIRE(hc_topk_max_error(t) == tr.n / 64);
	check_bounds(t, &tr);
	free(it);
	truth_release(&tr);
	hc_topk_free(t);
}
END_TEST

/* ---- Zipf streams against the bound ----------------------------------- */

START_TEST(zipf_bound)
{
	struct hc_topk *t = new_topk(1000);
	struct truth tr;
	size_t heavy;

	truth_init(&tr);
	feed_zipf(t, &tr, 1000000, 100000, 1, 42, 1);
	REQUIRE(hc_topk_total(t) == 1000000);
	REQUIRE(hc_topk_max_error(t) == 1000);
	heavy = check_bounds(t, &tr);
	/* Zipf(1) over 1e5 values: p(rank r) = 1 / (r H), H = 12.09, so about
	 * 82 values pass 1e6 / 1000; the check above must not be vacuous */
	ck_assert_uint_ge(heavy, 70);
	ck_assert_uint_le(heavy, 95);
	truth_release(&tr);
	hc_topk_free(t);
}
END_TEST

START_TEST(weights)
{
	struct hc_topk *t = new_topk(2);
	struct truth tr;
	struct hc_topk_item it[2];

	/* capacity 2: room for 4 counters, exact until a fifth value */
	ck_assert_int_eq(hc_topk_add(t, "a", 1, 5), 0);
	ck_assert_int_eq(hc_topk_add(t, "b", 1, 3), 0);
	ck_assert_int_eq(hc_topk_add(t, "c", 1, 2), 0);
	ck_assert_int_eq(hc_topk_add(t, "zero", 4, 0), 0); /* w = 0: nothing */
	ck_assert_int_eq(hc_topk_add(t, "d", 1, 1), 0);
	REQUIRE(hc_topk_total(t) == 11);
	REQUIRE(hc_topk_max_error(t) == 11 / 2); /* as many values as k */
	ck_assert_uint_eq(hc_topk_top(t, 2, it), 2);
	ck_assert_mem_eq(it[0].value, "a", 1);
	REQUIRE(it[0].count == 5 && it[0].error == 0);
	ck_assert_mem_eq(it[1].value, "b", 1);
	REQUIRE(it[1].count == 3 && it[1].error == 0);
	/* "e" finds all 4 in use: the 2nd largest (3) is taken from all,
	 * only "a" (5 - 3) stays, and "e" starts at floor 3 + 1, error 3 */
	ck_assert_int_eq(hc_topk_add(t, "e", 1, 1), 0);
	ck_assert_uint_eq(hc_topk_top(t, 2, it), 2);
	ck_assert_mem_eq(it[0].value, "a", 1);
	REQUIRE(it[0].count == 5 && it[0].error == 0);
	ck_assert_mem_eq(it[1].value, "e", 1);
	REQUIRE(it[1].count == 4 && it[1].error == 3);
	REQUIRE(hc_topk_max_error(t) == 12 / 2);
	/* a heavy weight */
	ck_assert_int_eq(hc_topk_add(t, "e", 1, 100), 0);
	ck_assert_uint_eq(hc_topk_top(t, 2, it), 2);
	ck_assert_mem_eq(it[0].value, "e", 1);
	REQUIRE(it[0].count == 104 && it[0].error == 3);
	hc_topk_free(t);

	/* weighted Zipf: weights 1..100, decrements of many sizes */
	t = new_topk(100);
	truth_init(&tr);
	feed_zipf(t, &tr, 200000, 20000, 1, 7, 100);
	ck_assert_uint_ge(check_bounds(t, &tr), 5);
	truth_release(&tr);
	hc_topk_free(t);
}
END_TEST

/* Streams built against Misra-Gries, checked against the bound after
 * every few adds: (1) round robin over 2k + 1 values, so that every
 * counter is in use at each decrement, with one value just above N / k;
 * (2) all distinct values, then one heavy value late; (3) weights rising
 * with each new value, so the decrements grow; (4) the heavy value's
 * occurrences all coming first, then a flood of singletons. */
START_TEST(adversarial)
{
	const size_t k = 10;

	for (int kind = 0; kind < 4; kind++) {
		struct hc_topk *t = new_topk(k);
		struct truth tr;
		size_t heavy = 0;

		truth_init(&tr);
		for (size_t i = 0; i < 20000; i++) {
			char v[24];
			size_t len;
			uint64_t w = 1;
			if (kind == 0)
				len = i % 9 == 0 ? vname(v, 999999)
						 : vname(v, i % (2 * k + 1));
			else if (kind == 1)
				len = i >= 14000 && i % 2 ? vname(v, 999999)
							  : vname(v, i);
			else if (kind == 2) {
				len = vname(v, i);
				w = 1 + i / 100;
			} else {
				len = i < 2500 ? vname(v, 999999) : vname(v, i);
			}
			both_add(t, &tr, v, len, w);
			if (i % 997 == 0 || i == 19999)
				heavy = check_bounds(t, &tr);
		}
		if (kind != 2) /* the heavy value passes N / k */
			ck_assert_uint_ge(heavy, 1);
		truth_release(&tr);
		hc_topk_free(t);
	}
}
END_TEST

/* Capacities 1 to 5 over 20 values with weights: the index and the bucket
 * list at their smallest, checked every 50 adds. */
START_TEST(tiny_capacities)
{
	for (size_t cap = 1; cap <= 5; cap++) {
		struct hc_topk *t = new_topk(cap);
		struct truth tr;
		uint64_t seed = cap;

		truth_init(&tr);
		for (size_t i = 1; i <= 3000; i++) {
			char v[24];
			size_t len = vname(v, th_rand(&seed) % 20);
			both_add(t, &tr, v, len, 1 + th_rand(&seed) % 4 / 3 * 9);
			if (i % 50 == 0)
				check_bounds(t, &tr);
		}
		truth_release(&tr);
		hc_topk_free(t);
	}
}
END_TEST

/* ---- order and ties --------------------------------------------------- */

START_TEST(top_order_and_ties)
{
	static const struct {
		const char *v;
		size_t len;
		uint64_t w;
	} in[] = {
		{"b", 1, 3}, {"a", 1, 3}, {"c", 1, 5}, {"ab", 2, 3},
		{"", 0, 3},  {"\xff", 1, 3}, {"d", 1, 1},
	};
	static const char *const want[] = {"c", "", "a", "ab", "b", "\xff", "d"};
	struct hc_topk *t = new_topk(10);
	struct hc_topk_item it[10];
	char v;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (uint64_t j = 0; j < in[i].w; j++)
			ck_assert_int_eq(hc_topk_add(t, in[i].v, in[i].len, 1), 0);
	/* equal counts and errors: by bytes, unsigned, a prefix first */
	ck_assert_uint_eq(hc_topk_top(t, 10, it), 7);
	for (size_t i = 0; i < 7; i++) {
		ck_assert_uint_eq(it[i].len, strlen(want[i]));
		ck_assert_mem_eq(it[i].value, want[i], it[i].len);
	}
	/* k cuts inside the bucket of count 3: the same prefix */
	ck_assert_uint_eq(hc_topk_top(t, 3, it), 3);
	ck_assert_mem_eq(it[1].value, "", 0);
	ck_assert_uint_eq(it[1].len, 0);
	ck_assert_mem_eq(it[2].value, "a", 1);
	ck_assert_uint_eq(hc_topk_top(t, 0, it), 0);
	hc_topk_free(t);

	/* equal counts, different errors: the smaller error first, whatever
	 * the bytes say */
	t = new_topk(2);
	ck_assert_int_eq(hc_topk_add(t, "q", 1, 2), 0);
	ck_assert_int_eq(hc_topk_add(t, "z", 1, 1), 0);
	ck_assert_int_eq(hc_topk_add(t, "y", 1, 1), 0);
	ck_assert_int_eq(hc_topk_add(t, "x", 1, 1), 0);
	/* all 4 in use: floor 1, only "q" stays; "a" starts at 2, error 1 */
	ck_assert_int_eq(hc_topk_add(t, "a", 1, 1), 0);
	ck_assert_uint_eq(hc_topk_top(t, 2, it), 2);
	ck_assert_mem_eq(it[0].value, "q", 1);
	REQUIRE(it[0].count == 2 && it[0].error == 0);
	ck_assert_mem_eq(it[1].value, "a", 1);
	REQUIRE(it[1].count == 2 && it[1].error == 1);
	v = 'z'; /* dropped, back at floor 1 + 1 with error 1: after "a" */
	ck_assert_int_eq(hc_topk_add(t, &v, 1, 1), 0);
	ck_assert_uint_eq(hc_topk_top(t, 2, it), 2);
	ck_assert_mem_eq(it[1].value, "a", 1);
	ck_assert_uint_eq(hc_topk_top(t, 3, it), 2); /* at most capacity */
	hc_topk_free(t);
}
END_TEST

/* top(k) is the first k of top(all) for every k, including cuts inside
 * large buckets of equal counts (the heap path). */
START_TEST(top_prefixes)
{
	static const size_t ks[] = {1, 2, 5, 37, 200, 500, 999, 1000};
	struct hc_topk *t = new_topk(1000);
	struct truth tr;
	struct hc_topk_item *all, *some = malloc(1000 * sizeof(*some));
	size_t n;

	ck_assert_ptr_nonnull(some);
	truth_init(&tr);
	feed_zipf(t, &tr, 30000, 50000, 1, 3, 1);
	all = all_items(t, &n);
	REQUIRE((n) == (1000));
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		REQUIRE((hc_topk_top(t, ks[i], some)) == (ks[i]));
		for (size_t j = 0; j < ks[i]; j++) {
			REQUIRE((some[j].len) == (all[j].len));
			REQUIRE(memcmp(some[j].value, all[j].value, all[j].len) == 0);
			REQUIRE(some[j].count == all[j].count);
			REQUIRE(some[j].error == all[j].error);
		}
	}
	free(all);
	free(some);
	truth_release(&tr);
	hc_topk_free(t);
}
END_TEST

/* ---- binary values ---------------------------------------------------- */

START_TEST(empty_and_nul_values)
{
	static const struct {
		const char *v;
		size_t len;
	} vals[] = {
		{"", 0}, {"\0", 1}, {"\0\0", 2}, {"a", 1},
		{"a\0", 2}, {"a\0b", 3}, {"a\0c", 3},
	};
	size_t nv = sizeof(vals) / sizeof(vals[0]);
	struct hc_topk *t = new_topk(16), *u;
	struct truth tr;
	size_t nit;
	struct hc_topk_item *it;

	truth_init(&tr);
	for (size_t i = 0; i < nv; i++)
		both_add(t, &tr, vals[i].v, vals[i].len, i + 1);
	it = all_items(t, &nit);
	REQUIRE((nit) == (nv));
	for (size_t i = 0; i < nit; i++) {
		/* weights 1..7 make the counts distinct: reverse order */
		REQUIRE((it[i].len) == (vals[nv - 1 - i].len));
		REQUIRE(memcmp(it[i].value, vals[nv - 1 - i].v, it[i].len) == 0);
		REQUIRE(it[i].count == nv - i && it[i].error == 0);
	}
	free(it);
	u = copy(t);
	check_same(t, u);
	hc_topk_free(u);
	hc_topk_free(t);
	truth_release(&tr);

	/* with evictions too */
	t = new_topk(3);
	truth_init(&tr);
	for (size_t i = 0; i < 5000; i++) {
		size_t j = (i * i + i / 7) % nv;
		both_add(t, &tr, vals[j].v, vals[j].len, 1);
	}
	check_bounds(t, &tr);
	truth_release(&tr);
	hc_topk_free(t);
}
END_TEST

/* ---- merge ------------------------------------------------------------ */

/* d holds what s holds with counts and errors doubled. */
static void check_doubled(const struct hc_topk *d, const struct hc_topk *s)
{
	size_t nd, ns;
	struct hc_topk_item *x = all_items(d, &nd), *y = all_items(s, &ns);

	REQUIRE(hc_topk_total(d) == 2 * hc_topk_total(s));
	REQUIRE((nd) == (ns));
	for (size_t i = 0; i < nd; i++) {
		REQUIRE((x[i].len) == (y[i].len));
		REQUIRE(memcmp(x[i].value, y[i].value, x[i].len) == 0);
		REQUIRE(x[i].count == 2 * y[i].count);
		REQUIRE(x[i].error == 2 * y[i].error);
	}
	free(x);
	free(y);
}

START_TEST(merge_shards)
{
	struct hc_topk *a = new_topk(1000), *b = new_topk(1000), *a2, *b2;
	struct truth tr;
	struct hc_err err = {0};

	truth_init(&tr);
	/* the shards rank values differently: their heavy hitters differ */
	feed_zipf(a, &tr, 500000, 100000, 1, 11, 1);
	feed_zipf(b, &tr, 500000, 100000, 7919, 12, 1);
	a2 = copy(a);
	b2 = copy(b);
	ck_assert_int_eq(hc_topk_merge(a, b, &err), 0);
	REQUIRE(hc_topk_total(a) == 1000000);
	REQUIRE(hc_topk_max_error(a) == 1000);
	/* (N1 + N2) / k, and every value above it held */
	ck_assert_uint_ge(check_bounds(a, &tr), 60);
	/* the rule is symmetric, so the other direction gives the same */
	ck_assert_int_eq(hc_topk_merge(b2, a2, &err), 0);
	check_same_bytes(a, b2);
	/* a sketch merged with itself: every count and error doubles */
	hc_topk_free(b);
	b = copy(a2);
	ck_assert_int_eq(hc_topk_merge(a2, a2, &err), 0);
	check_doubled(a2, b);
	truth_release(&tr);
	hc_topk_free(a);
	hc_topk_free(b);
	hc_topk_free(a2);
	hc_topk_free(b2);
}
END_TEST

/* A full sketch with a non-full one, both ways: the full side's minimum is
 * charged to values only the non-full side has; nothing is charged the
 * other way. */
START_TEST(merge_full_with_non_full)
{
	struct hc_topk *full = new_topk(50), *part = new_topk(50), *f2, *p2;
	struct truth tr;
	struct hc_err err = {0};
	size_t n;
	struct hc_topk_item *it;
	int found = 0;

	truth_init(&tr);
	feed_zipf(full, &tr, 20000, 1000, 1, 5, 1);
	both_add(part, &tr, "v0", 2, 30);      /* also in full */
	both_add(part, &tr, "only-here", 9, 700); /* heavy, unseen by full */
	both_add(part, &tr, "rare", 4, 1);
	f2 = copy(full);
	p2 = copy(part);
	REQUIRE(hc_topk_max_error(part) == 0);
	ck_assert_int_eq(hc_topk_merge(full, part, &err), 0);
	ck_assert_int_eq(hc_topk_merge(p2, f2, &err), 0);
	check_same_bytes(full, p2);
	REQUIRE(hc_topk_total(full) == 20731);
	check_bounds(full, &tr);
	it = all_items(full, &n);
	ck_assert_uint_eq(n, 50);
	for (size_t i = 0; i < n; i++) {
		if (it[i].len != 9 || memcmp(it[i].value, "only-here", 9) != 0)
			continue;
		/* charged full's minimum, as count and as error */
		REQUIRE(it[i].error > 0 && it[i].count - it[i].error == 700);
		found = 1;
	}
	REQUIRE(found);
	free(it);
	hc_topk_free(full);
	hc_topk_free(part);
	hc_topk_free(f2);
	hc_topk_free(p2);
	truth_release(&tr);
}
END_TEST

/* Two non-full sketches whose union fits: the merge equals one sketch fed
 * both streams, byte for byte; an empty sketch is neutral. */
START_TEST(merge_exact_and_empty)
{
	struct hc_topk *a = new_topk(200), *b = new_topk(200), *all = new_topk(200);
	struct hc_topk *e = new_topk(200);
	struct hc_err err = {0};
	uint64_t seed = 9;

	for (size_t i = 0; i < 20000; i++) {
		char v[24];
		size_t len = vname(v, th_rand(&seed) % 150);
		uint64_t w = 1 + th_rand(&seed) % 3;
		REQUIRE((hc_topk_add(i % 3 ? a : b, v, len, w)) == (0));
		REQUIRE((hc_topk_add(all, v, len, w)) == (0));
	}
	REQUIRE((hc_topk_merge(a, b, &err)) == (0));
	check_same_bytes(a, all);
	REQUIRE(hc_topk_max_error(a) == 0);
	REQUIRE((hc_topk_merge(a, e, &err)) == (0));
	check_same_bytes(a, all);
	REQUIRE((hc_topk_merge(e, a, &err)) == (0));
	check_same_bytes(e, all);
	hc_topk_free(a);
	hc_topk_free(b);
	hc_topk_free(e);
	hc_topk_free(all);
}
END_TEST

START_TEST(merge_capacity_mismatch)
{
	struct hc_topk *a = new_topk(10), *b = new_topk(20), *a2;
	struct hc_err err = {0};

	ck_assert_int_eq(hc_topk_add(a, "x", 1, 3), 0);
	ck_assert_int_eq(hc_topk_add(b, "y", 1, 4), 0);
	a2 = copy(a);
	ck_assert_int_eq(hc_topk_merge(a, b, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg,
			 "cannot merge top-k sketches of capacities 10 and 20");
	check_same_bytes(a, a2); /* unchanged */
	hc_topk_free(a);
	hc_topk_free(a2);
	hc_topk_free(b);
}
END_TEST

/* ---- serialisation ---------------------------------------------------- */

START_TEST(serialize_round_trip)
{
	struct hc_topk *t = new_topk(300), *u, *e = new_topk(7);
	struct truth tr;

	truth_init(&tr);
	feed_zipf(t, &tr, 100000, 30000, 1, 21, 3);
	u = copy(t);
	check_same(t, u);
	check_same_bytes(t, u);
	check_bounds(u, &tr);
	/* the copy goes on as a sketch: more adds stay within the bound */
	feed_zipf(u, &tr, 50000, 30000, 1, 22, 1);
	check_bounds(u, &tr);
	hc_topk_free(u);
	/* an empty sketch */
	u = copy(e);
	check_same_bytes(e, u);
	REQUIRE(hc_topk_total(u) == 0);
	ck_assert_uint_eq(hc_topk_capacity(u), 7);
	hc_topk_free(u);
	hc_topk_free(e);
	hc_topk_free(t);
	truth_release(&tr);
}
END_TEST

struct raw_item {
	const char *v;
	uint32_t len;
	uint64_t count, error;
};

/* Writes a sketch field by field (n need not match the items given). */
static void raw(struct hc_buf *b, uint32_t cap, uint64_t total,
		uint64_t floor, uint32_t n, const struct raw_item *it,
		size_t nit)
{
	hc_buf_init(b);
	hc_buf_put_u32(b, cap);
	hc_buf_put_u64(b, total);
	hc_buf_put_u64(b, floor);
	hc_buf_put_u32(b, n);
	for (size_t i = 0; i < nit; i++) {
		hc_buf_put_u32(b, it[i].len);
		hc_buf_put(b, it[i].v, strlen(it[i].v));
		hc_buf_put_u64(b, it[i].count);
		hc_buf_put_u64(b, it[i].error);
	}
	ck_assert_int_eq(b->failed, 0);
}

/* Deserialising b must fail with HC_ERR_DATA and message msg (if given). */
static void must_reject(const struct hc_buf *b, size_t len, const char *msg)
{
	struct hc_cursor c;
	struct hc_err err = {0};
	struct hc_topk *t;

	hc_cursor_init(&c, b->data, len);
	t = hc_topk_deserialize(&c, &err);
	ck_assert_msg(t == NULL, "accepted: %s", msg ? msg : "(a prefix)");
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	REQUIRE(err.msg[0] != '\0');
	if (msg)
		ck_assert_str_eq(err.msg, msg);
}

static void must_accept(const struct hc_buf *b)
{
	struct hc_cursor c;
	struct hc_err err = {0};
	struct hc_topk *t;

	hc_cursor_init(&c, b->data, b->len);
	t = hc_topk_deserialize(&c, &err);
	ck_assert_msg(t != NULL, "%s", err.msg);
	hc_topk_free(t);
}

START_TEST(deserialize_corrupt)
{
	static const struct raw_item ab[] = {{"a", 1, 6, 0}, {"b", 1, 4, 0}};
	static const struct raw_item full[] = {{"a", 1, 6, 2}, {"b", 1, 3, 1}};
	struct hc_buf b;
	struct hc_topk *t = new_topk(8);

	/* the valid base cases */
	raw(&b, 4, 10, 0, 2, ab, 2);
	must_accept(&b);
	hc_buf_release(&b);
	raw(&b, 2, 12, 2, 2, full, 2); /* full: counts may add up to less */
	must_accept(&b);
	hc_buf_release(&b);

	/* every proper prefix of a real sketch is short */
	for (size_t i = 0; i < 40; i++) {
		char v[24];
		REQUIRE((hc_topk_add(t, v, vname(v, i * i % 13), i % 4 + 1)) == (0));
	}
	serialize(t, &b);
	for (size_t len = 0; len < b.len; len++)
		must_reject(&b, len, NULL);
	must_reject(&b, 3, "top-k sketch: truncated header");
	hc_buf_release(&b);
	hc_topk_free(t);

	raw(&b, 0, 0, 0, 0, NULL, 0);
	must_reject(&b, b.len, "top-k sketch: capacity 0 out of range 1..16777216");
	hc_buf_release(&b);
	raw(&b, (1u << 24) + 1, 0, 0, 0, NULL, 0);
	must_reject(&b, b.len, "top-k sketch: capacity 16777217 out of range 1..16777216");
	hc_buf_release(&b);
	raw(&b, 1, 10, 0, 2, ab, 2);
	must_reject(&b, b.len, "top-k sketch: 2 items above the capacity 1");
	hc_buf_release(&b);
	/* n huge, capacity huge: refused before allocating for n */
	raw(&b, 1u << 24, 10, 0, 1u << 24, ab, 2);
	must_reject(&b, b.len, "top-k sketch: 16777216 items cannot fit in 42 bytes");
	hc_buf_release(&b);
	/* a length past the end */
	raw(&b, 4, 10, 0, 1, (const struct raw_item[]){{"a", 0xFFFFFFF0u, 6, 0}}, 1);
	must_reject(&b, b.len, "top-k sketch: item 0: truncated");
	hc_buf_release(&b);
	/* counts above the total, alone or added up */
	raw(&b, 4, 5, 0, 2, ab, 2);
	must_reject(&b, b.len, "top-k sketch: item 0: counts add up to more than the total");
	hc_buf_release(&b);
	raw(&b, 4, 9, 0, 2, ab, 2);
	must_reject(&b, b.len, "top-k sketch: item 1: counts add up to more than the total");
	hc_buf_release(&b);
	raw(&b, 4, 10, 0, 2, (const struct raw_item[]){{"a", 1, 0, 0}, {"b", 1, 0, 0}}, 2);
	must_reject(&b, b.len, "top-k sketch: item 0: count 0");
	hc_buf_release(&b);
	raw(&b, 2, 12, 2, 2, (const struct raw_item[]){{"a", 1, 6, 6}, {"b", 1, 3, 1}}, 2);
	must_reject(&b, b.len, "top-k sketch: item 0: error not below its count");
	hc_buf_release(&b);
	raw(&b, 2, 12, 2, 2, (const struct raw_item[]){{"a", 1, 9, 7}, {"b", 1, 3, 1}}, 2);
	must_reject(&b, b.len, "top-k sketch: item 0: error above the floor");
	hc_buf_release(&b);
	raw(&b, 2, 12, 4, 2, full, 2);
	must_reject(&b, b.len, "top-k sketch: item 1: count below the floor");
	hc_buf_release(&b);
	raw(&b, 2, 12, 7, 2, full, 2);
	must_reject(&b, b.len, "top-k sketch: floor above total / capacity");
	hc_buf_release(&b);
	/* the excess over the floor is bounded by total - capacity * floor */
	raw(&b, 2, 8, 2, 2, (const struct raw_item[]){{"a", 1, 6, 2}, {"b", 1, 3, 1}}, 2);
	must_reject(&b, b.len, "top-k sketch: item 1: counts add up to more than the total");
	hc_buf_release(&b);
	raw(&b, 4, 10, 0, 2, (const struct raw_item[]){{"b", 1, 4, 0}, {"a", 1, 6, 0}}, 2);
	must_reject(&b, b.len, "top-k sketch: item 1: count above the previous one");
	hc_buf_release(&b);
	raw(&b, 4, 10, 0, 2, (const struct raw_item[]){{"a", 1, 5, 0}, {"a", 1, 5, 0}}, 2);
	must_reject(&b, b.len, "top-k sketch: item 1: value held twice");
	hc_buf_release(&b);
	/* floor 0: exact, every value held, no errors */
	raw(&b, 4, 11, 0, 2, ab, 2);
	must_reject(&b, b.len, "top-k sketch: floor 0, yet not exact");
	hc_buf_release(&b);
	raw(&b, 4, 10, 0, 2, (const struct raw_item[]){{"a", 1, 6, 1}, {"b", 1, 4, 0}}, 2);
	must_reject(&b, b.len, "top-k sketch: item 0: error above the floor");
	hc_buf_release(&b);
	raw(&b, 4, 1, 0, 0, NULL, 0);
	must_reject(&b, b.len, "top-k sketch: floor 0, yet not exact");
	hc_buf_release(&b);
}
END_TEST

/* Random byte flips and cuts of a real sketch: each read either fails with
 * HC_ERR_DATA or gives a sketch that is consistent and usable. */
START_TEST(deserialize_fuzz)
{
	struct hc_topk *t = new_topk(16);
	struct truth tr;
	struct hc_buf b;
	unsigned char *m;
	uint64_t seed = 2024;
	size_t accepted = 0;

	truth_init(&tr);
	feed_zipf(t, &tr, 3000, 200, 1, 4, 2);
	serialize(t, &b);
	m = malloc(b.len);
	ck_assert_ptr_nonnull(m);
	for (int round = 0; round < 5000; round++) {
		struct hc_cursor c;
		struct hc_err err = {0};
		struct hc_topk *u;
		size_t len = b.len, flips = 1 + th_rand(&seed) % 3;
		memcpy(m, b.data, b.len);
		for (size_t f = 0; f < flips; f++)
			m[th_rand(&seed) % b.len] ^= (unsigned char)(1 + th_rand(&seed) % 255);
		if (round % 4 == 0)
			len = th_rand(&seed) % (b.len + 1);
		hc_cursor_init(&c, m, len);
		u = hc_topk_deserialize(&c, &err);
		if (!u) {
			REQUIRE((err.kind) == (HC_ERR_DATA));
			continue;
		}
		accepted++;
		/* a flipped capacity is valid if the rest agrees; list the
		 * items only where the array stays small */
		if (hc_topk_capacity(u) <= 1024)
			free(all_items(u, &len));
		REQUIRE((hc_topk_add(u, "new", 3, 5)) == (0));
		if (hc_topk_merge(u, u, &err) != 0)
			REQUIRE((err.kind) == (HC_ERR_DATA)); /* total overflow */
		if (hc_topk_capacity(u) <= 1024)
			free(all_items(u, &len));
		hc_topk_free(u);
	}
	/* flips in value bytes keep the sketch valid: both branches ran */
	REQUIRE((accepted) > (0));
	free(m);
	hc_buf_release(&b);
	hc_topk_free(t);
	truth_release(&tr);
}
END_TEST

/* ---- memory ----------------------------------------------------------- */

/* 10^6 distinct values through capacity 100: an evicted value's bytes are
 * reused, so memory stays a small multiple of capacity * value size, where
 * keeping every value would take 14 MB.  Measured: 10944 bytes with
 * 13-byte values (64-byte counters holding values up to 32 bytes, 24-byte
 * buckets, an index at most half full); the bound allows twice that. */
/* Decrements drop counters, compact the rest and rebuild the index: no
 * dropped value may be found again, and every held value must stay
 * findable. */
START_TEST(decrements)
{
	struct hc_topk *t = new_topk(1);
	struct hc_topk_item it[50], again[50];
	size_t n;

	/* capacity 1, room for 2: "c" drops "a" and "b" (floor 1) */
	ck_assert_int_eq(hc_topk_add(t, "a", 1, 1), 0);
	ck_assert_int_eq(hc_topk_add(t, "b", 1, 1), 0);
	ck_assert_int_eq(hc_topk_add(t, "c", 1, 1), 0);
	ck_assert_uint_eq(hc_topk_top(t, 1, it), 1);
	ck_assert_mem_eq(it[0].value, "c", 1);
	REQUIRE(it[0].count == 2 && it[0].error == 1);
	/* "a" comes back new (2, error 1), ties "c", wins by its bytes */
	ck_assert_int_eq(hc_topk_add(t, "a", 1, 1), 0);
	ck_assert_int_eq(hc_topk_add(t, "a", 1, 1), 0);
	ck_assert_uint_eq(hc_topk_top(t, 1, it), 1);
	ck_assert_mem_eq(it[0].value, "a", 1);
	REQUIRE(it[0].count == 3 && it[0].error == 1);
	/* "d": a - 1 = 2 and c - 1 = 1, the largest (2) goes: floor 3,
	 * nothing stays, "d" starts at 4 with error 3 (true count 1) */
	ck_assert_int_eq(hc_topk_add(t, "d", 1, 1), 0);
	ck_assert_uint_eq(hc_topk_top(t, 1, it), 1);
	ck_assert_mem_eq(it[0].value, "d", 1);
	REQUIRE(it[0].count == 4 && it[0].error == 3);
	REQUIRE(hc_topk_total(t) == 6);
	hc_topk_free(t);

	/* 10^5 adds cycling over 1000 values at capacity 50: nearly all
	 * decrements; then each held value, added once more, is found (its
	 * count rises by one, nothing is dropped) */
	t = new_topk(50);
	for (size_t i = 0; i < 100000; i++) {
		char v[24];
		size_t len = vname(v, (i * 7919) % 1000);
		REQUIRE(hc_topk_add(t, v, len, 1 + i % 3) == 0);
	}
	n = hc_topk_top(t, 50, it);
	/* a decrement leaves fewer than 50; 1000 round-robin values leave
	 * at least a few between decrements */
	ck_assert_uint_ge(n, 10);
	for (size_t i = 0; i < n; i++) {
		char v[24];
		memcpy(v, it[i].value, it[i].len);
		REQUIRE(hc_topk_add(t, v, it[i].len, 1) == 0);
	}
	ck_assert_uint_eq(hc_topk_top(t, 50, again), n);
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < n && !(again[j].len == it[i].len &&
				  memcmp(again[j].value, it[i].value,
					 it[i].len) == 0))
			j++;
		REQUIRE_MSG(j < n, "held value %zu was evicted", i);
		REQUIRE(again[j].count == it[i].count + 1);
		REQUIRE(again[j].error == it[i].error);
	}
	hc_topk_free(t);
}
END_TEST

START_TEST(memory_bounded)
{
	struct hc_topk *t = new_topk(100);
	size_t peak = 0;
	uint64_t seed = 5;
	char v[24], *big = malloc(5000);

	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < 1000000; i++) {
		int len = snprintf(v, sizeof(v), "value-%07zu", i);
		REQUIRE(hc_topk_add(t, v, (size_t)len, 1) == 0);
		if (hc_topk_bytes(t) > peak)
			peak = hc_topk_bytes(t);
	}
	ck_assert_uint_le(peak, 16 * 100 * 14);
	hc_topk_free(t);

	/* long values (kept outside the counters) of changing lengths: each
	 * buffer is reused or freed, so at most 2 * 5000 bytes per counter */
	t = new_topk(10);
	memset(big, 'x', 5000);
	peak = 0;
	for (size_t i = 0; i < 100000; i++) {
		memcpy(big, &i, sizeof(i));
		REQUIRE(hc_topk_add(t, big, 33 + th_rand(&seed) % 4968, 1) == 0);
		if (hc_topk_bytes(t) > peak)
			peak = hc_topk_bytes(t);
	}
	ck_assert_uint_ge(peak, 10 * 2500); /* they were held */
	ck_assert_uint_le(peak, 10 * 2 * 5000 + 4096);
	/* short values evicting them give the buffers back (measured: 1488) */
	for (size_t i = 0; i < 100000; i++) {
		int len = snprintf(v, sizeof(v), "s%zu", i);
		REQUIRE(hc_topk_add(t, v, (size_t)len, 2) == 0);
	}
	ck_assert_uint_le(hc_topk_bytes(t), 4096);
	hc_topk_free(t);
	free(big);
}
END_TEST

/* ---- allocation failures ---------------------------------------------- */

static void fail_alloc_after(unsigned n)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", n);
	setenv("HICARD_FAIL_ALLOC", s, 1);
	hc_mem_init_from_env(); /* "0" turns injection off */
}

/* One run of adds (with evictions and rebuilds), then a merge, a
 * serialisation and a deserialisation, with allocation fail_add of the adds
 * or fail_rest of the rest failing (0: none).  Every failure must be clean
 * (-1 or NULL, HC_ERR_NOMEM, the sketch unchanged) and what succeeded must
 * stay within the bound.  Returns 1 if nothing failed.  The truth here is a
 * plain array, as a map of its own would fail too. */
static int run_failing(unsigned fail_add, unsigned fail_rest,
		       const struct hc_topk *other)
{
	enum { U = 300 };
	uint64_t cnt[U] = {0}, seed = 77, total = 0;
	struct hc_err err = {0};
	struct hc_topk *t, *u;
	struct hc_buf b;
	struct hc_cursor c;
	struct hc_topk_item it[9];
	int clean = 1;
	size_t nit;

	fail_alloc_after(fail_add);
	if (!(t = hc_topk_new(8, &err))) {
		fail_alloc_after(0);
		REQUIRE((err.kind) == (HC_ERR_NOMEM));
		return 0;
	}
	for (int i = 0; i < 400; i++) {
		char v[64];
		size_t r = th_rand(&seed) % U, len;
		/* 20 frequent values; the rare rest long, so that evictions
		 * allocate (values over 32 bytes live outside the counters) */
		r = r % 7 ? r % 20 : r;
		len = r < 20 ? vname(v, r)
			     : (size_t)snprintf(v, sizeof(v), "v%zu-%0*d", r,
						(int)(r % 16) + 30, 0);
		if (hc_topk_add(t, v, len, 1) != 0) {
			clean = 0;
			REQUIRE(hc_topk_total(t) == total);
			continue;
		}
		cnt[r]++;
		total++;
	}
	fail_alloc_after(0);
	REQUIRE(hc_topk_total(t) == total);
	nit = hc_topk_top(t, 9, it);
	REQUIRE((nit) <= (8));
	for (size_t i = 0; i < nit; i++) {
		char id[64] = {0}; /* values are not NUL-terminated */
		uint64_t f;
		REQUIRE(it[i].len < sizeof(id));
		memcpy(id, it[i].value, it[i].len);
		f = cnt[strtoul(id + 1, NULL, 10)];
		REQUIRE(it[i].count - it[i].error <= f && f <= it[i].count);
		REQUIRE(it[i].error <= total / 8);
	}
	fail_alloc_after(fail_rest);
	if (hc_topk_merge(t, other, &err) != 0) {
		clean = 0;
		REQUIRE((err.kind) == (HC_ERR_NOMEM));
		REQUIRE(hc_topk_total(t) == total);
	}
	hc_buf_init(&b);
	if (hc_topk_serialize(t, &b) == 0) {
		hc_cursor_init(&c, b.data, b.len);
		u = hc_topk_deserialize(&c, &err);
		if (!u)
			REQUIRE((err.kind) == (HC_ERR_NOMEM));
		clean &= u != NULL;
		hc_topk_free(u);
	} else {
		clean = 0;
	}
	fail_alloc_after(0);
	hc_buf_release(&b);
	hc_topk_free(t);
	return clean;
}

START_TEST(alloc_failures)
{
	struct hc_topk *other = new_topk(8);
	unsigned n, adds, rest;

	ck_assert_int_eq(hc_topk_add(other, "v3", 2, 50), 0);
	ck_assert_int_eq(hc_topk_add(other, "o", 1, 2), 0);
	for (n = 1; n < 5000 && !run_failing(n, 0, other); n++)
		;
	adds = n;
	for (n = 1; n < 5000 && !run_failing(0, n, other); n++)
		;
	rest = n;
	unsetenv("HICARD_FAIL_ALLOC");
	/* each loop walked every allocation up to one that lets all through */
	ck_assert_uint_gt(adds, 20); /* measured: 49 and 21 */
	ck_assert_uint_lt(adds, 5000);
	ck_assert_uint_gt(rest, 3);
	ck_assert_uint_lt(rest, 5000);
	hc_topk_free(other);
}
END_TEST

/* The profile's pipeline (hash once, prefetch the slot and the counter
 * some values ahead, add with the hash) builds the sketch that plain adds
 * build, byte for byte: a Zipf-like stream that fills and evicts, with
 * weights and values past the inline length. */
START_TEST(hashed_adds_equal_plain_adds)
{
	struct hc_topk *a = hc_topk_new(100, NULL), *b = hc_topk_new(100, NULL);
	struct hc_buf sa, sb;
	uint64_t rng = 3;
	enum { N = 20000, AHEAD = 4 };
	static char vals[N][48];
	static size_t lens[N];
	static uint64_t hs[N];

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < N; i++) {
		uint64_t r = th_rand(&rng), id = (r % 1000) * (r % 1000) / 997;
		lens[i] = (size_t)snprintf(vals[i], sizeof(vals[i]),
					   r % 7 ? "v%llu" : "a rather long value, number %llu",
					   (unsigned long long)id);
		hs[i] = XXH3_64bits(vals[i], lens[i]);
	}
	for (size_t i = 0; i < N + AHEAD; i++) {
		if (i < N)
			hc_topk_prefetch(b, hs[i]);
		if (i >= AHEAD / 2 && i - AHEAD / 2 < N)
			hc_topk_prefetch_counter(b, hs[i - AHEAD / 2]);
		if (i >= AHEAD) {
			size_t r = i - AHEAD;
			uint64_t w = 1 + (r % 13 == 0) * (r % 5);
			ck_assert_int_eq(hc_topk_add(a, vals[r], lens[r], w), 0);
			ck_assert_int_eq(hc_topk_add_hashed(b, vals[r], lens[r], hs[r], w), 0);
		}
	}
	ck_assert_uint_gt(hc_topk_max_error(a), 0); /* it did evict */
	hc_buf_init(&sa);
	hc_buf_init(&sb);
	ck_assert_int_eq(hc_topk_serialize(a, &sa), 0);
	ck_assert_int_eq(hc_topk_serialize(b, &sb), 0);
	ck_assert_uint_eq(sa.len, sb.len);
	ck_assert(memcmp(sa.data, sb.data, sa.len) == 0);
	hc_buf_release(&sa);
	hc_buf_release(&sb);
	hc_topk_free(a);
	hc_topk_free(b);
}
END_TEST

Suite *suite_topk(void)
{
	Suite *s = suite_create("topk");
	TCase *tc = tcase_create("topk");

	tcase_add_test(tc, new_limits);
	tcase_add_test(tc, exact_below_capacity);
	tcase_add_test(tc, zipf_bound);
	tcase_add_test(tc, weights);
	tcase_add_test(tc, tiny_capacities);
	tcase_add_test(tc, adversarial);
	tcase_add_test(tc, top_order_and_ties);
	tcase_add_test(tc, top_prefixes);
	tcase_add_test(tc, empty_and_nul_values);
	tcase_add_test(tc, merge_shards);
	tcase_add_test(tc, merge_full_with_non_full);
	tcase_add_test(tc, merge_exact_and_empty);
	tcase_add_test(tc, merge_capacity_mismatch);
	tcase_add_test(tc, serialize_round_trip);
	tcase_add_test(tc, deserialize_corrupt);
	tcase_add_test(tc, deserialize_fuzz);
	tcase_add_test(tc, decrements);
	tcase_add_test(tc, memory_bounded);
	tcase_add_test(tc, alloc_failures);
	tcase_add_test(tc, hashed_adds_equal_plain_adds);
	suite_add_tcase(s, tc);
	return s;
}
