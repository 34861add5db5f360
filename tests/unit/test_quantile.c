/* test_quantile.c - KLL quantile sketch: rank error against the stated
 * bound, exactness, merge, determinism, serialisation and its corruptions
 *
 * The bound every accuracy test asserts is the sketch's own
 * hc_quantile_rank_error(): 2.5 / k once anything has been compacted
 * (1.25% at k = 200), above the largest error of any of 99 quantiles of
 * 1000 sketches of 10^6 values (2.43 / k; quantile.c's top comment has
 * the table).  The tests ask for 5 quantiles of each of 8 sketches, so a
 * correct sketch fails them for a vanishing fraction of seeds (99% of
 * sketches keep all 99 quantiles within 2.06 / k).  Observed with the
 * seeds below, as a fraction of the bound: sorted 0.23, reverse-sorted
 * 0.28, random 0.16, heavy-duplicate 0, Zipf-like 0.06; merged halves
 * 0.31 (random) and 0.14 (sorted); merged shards 0.29.  What it catches
 * (each tried): a compactor that always keeps the same parity is 3.7 to
 * 12 times over on the random, duplicate, Zipf and shard inputs; a
 * level's weight off by one level, 20 to 34 times on every input; level 0
 * compacted unsorted, or a merge that breaks a level's order, 1.6 to 30
 * times (and the round trip then rejects the unsorted level).
 *
 * The rank error of an answer x for phi is the distance from phi to the
 * interval [#(< x) / n, #(<= x) / n] of x's true normalised ranks: with
 * duplicates any phi inside the interval is answered exactly by x.
 *
 * Every input and seed is fixed, so every run sees the same sketches.
 * HICARD_KLL_MEASURE=S (a number of seeds) adds the tcase "measure",
 * which prints the figures of quantile.c's table for S seeds (S = 1000:
 * about ten minutes); it asserts nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/mem.h"
#include "src/quantile.h"
#include "helpers.h"
#include "suites.h"

#define N_BIG 1000000

static const double phis[] = {0.01, 0.25, 0.5, 0.75, 0.99};
#define NPHI (sizeof(phis) / sizeof(phis[0]))

/* Uniform in (0, 1]. */
static double uniform(uint64_t *s)
{
	return (double)((th_rand(s) >> 11) + 1) * 0x1p-53;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	return p;
}

static struct hc_quantile *new_ok(unsigned k, uint64_t seed)
{
	struct hc_err err = {0};
	struct hc_quantile *q = hc_quantile_new(k, seed, &err);

	ck_assert_ptr_nonnull(q);
	return q;
}

/* Check records every assertion (a write each): loops assert once. */
static void add_all(struct hc_quantile *q, const double *v, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++)
		failed |= hc_quantile_add(q, v[i]);
	ck_assert_int_eq(failed, 0);
}

/* The inputs, n values each. */
enum input { SORTED, REVERSE, RANDOM, DUPLICATES, ZIPF, NINPUT };
static const char *const input_name[] = {"sorted", "reverse-sorted", "random",
					 "heavy-duplicate", "zipf-like"};

static double *make_input(enum input kind, size_t n, uint64_t seed)
{
	double *v = xmalloc(n * sizeof(double));

	for (size_t i = 0; i < n; i++) {
		switch (kind) {
		case SORTED:
			v[i] = (double)i;
			break;
		case REVERSE:
			v[i] = (double)(n - i);
			break;
		case RANDOM:
			v[i] = uniform(&seed) * 1e6 - 5e5;
			break;
		case DUPLICATES: /* 7 values, the first half of all items */
			v[i] = th_rand(&seed) >> 63 ? 3.0
							: (double)(th_rand(&seed) % 7) * 1.5;
			break;
		default: /* P(X >= x) = 1/x: half are 1, a heavy tail */
			v[i] = floor(1 / uniform(&seed));
			break;
		}
	}
	return v;
}

/* A sorted copy of v, to rank answers against. */
static double *sorted_copy(const double *v, size_t n)
{
	double *s = xmalloc(n * sizeof(double));

	memcpy(s, v, n * sizeof(double));
	qsort(s, n, sizeof(double), cmp_double);
	return s;
}

/* Number of items of sorted s[0..n) below x (or_equal: at most x). */
static size_t count_below(const double *s, size_t n, double x, int or_equal)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid] < x || (or_equal && s[mid] == x))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* See the top comment. */
static double rank_error(const double *s, size_t n, double x, double phi)
{
	double lo = (double)count_below(s, n, x, 0) / (double)n;
	double hi = (double)count_below(s, n, x, 1) / (double)n;

	return phi < lo ? lo - phi : phi > hi ? phi - hi : 0;
}

/* Checks q, a sketch of the sorted s[0..n): count, exact extremes, and
 * the quantiles of phis within its rank error.  Returns the largest. */
static double check_sketch(const struct hc_quantile *q, const double *s,
			   size_t n, const char *what)
{
	double eps = hc_quantile_rank_error(q), worst = 0;

	ck_assert_uint_eq(hc_quantile_count(q), n);
	ck_assert(hc_quantile_get(q, 0) == s[0]);
	ck_assert(hc_quantile_get(q, 1) == s[n - 1]);
	for (size_t i = 0; i < NPHI; i++) {
		double x = hc_quantile_get(q, phis[i]);
		double e = rank_error(s, n, x, phis[i]);

		ck_assert_msg(e <= eps, "%s: phi %.2f: rank error %.5f above %.5f",
			      what, phis[i], e, eps);
		if (e > worst)
			worst = e;
	}
	return worst;
}

/* Serialised bytes of q, in b (initialised here). */
static void bytes_of(const struct hc_quantile *q, struct hc_buf *b)
{
	hc_buf_init(b);
	ck_assert_int_eq(hc_quantile_serialize(q, b), 0);
}

static void assert_same_bytes(const struct hc_quantile *a,
			      const struct hc_quantile *b)
{
	struct hc_buf x, y;

	bytes_of(a, &x);
	bytes_of(b, &y);
	ck_assert_uint_eq(x.len, y.len);
	ck_assert_mem_eq(x.data, y.data, x.len);
	hc_buf_release(&x);
	hc_buf_release(&y);
}

static void fail_alloc_from(unsigned long nth)
{
	char s[32];

	snprintf(s, sizeof(s), "%lu", nth);
	setenv("HICARD_FAIL_ALLOC", s, 1);
	hc_mem_init_from_env();
}

/* ------------------------------------------------------------------------
 * Life cycle, empty and exact sketches
 * ------------------------------------------------------------------------ */

START_TEST(new_rejects_bad_k)
{
	static const unsigned bad[] = {0, 1, 7, 65536, 4000000000u};
	struct hc_err err;
	struct hc_quantile *q;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		ck_assert_ptr_null(hc_quantile_new(bad[i], 1, &err));
		ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	}
	ck_assert_ptr_null(hc_quantile_new(7, 1, &err));
	ck_assert_str_eq(err.msg, "quantile sketch k 7 is not between 8 and 65535");
	q = new_ok(8, 1);
	hc_quantile_free(q);
	q = new_ok(65535, 1);
	hc_quantile_free(q);
	hc_quantile_free(NULL);
}
END_TEST

START_TEST(empty_sketch)
{
	struct hc_quantile *q = new_ok(200, 1), *back;
	struct hc_buf b;
	struct hc_cursor c;
	struct hc_err err = {0};

	ck_assert_uint_eq(hc_quantile_count(q), 0);
	ck_assert(isnan(hc_quantile_get(q, 0)));
	ck_assert(isnan(hc_quantile_get(q, 0.5)));
	ck_assert(isnan(hc_quantile_get(q, 1)));
	ck_assert(hc_quantile_rank_error(q) == 0);
	bytes_of(q, &b);
	hc_cursor_init(&c, b.data, b.len);
	back = hc_quantile_deserialize(&c, &err);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(hc_cursor_left(&c), 0);
	ck_assert_uint_eq(hc_quantile_count(back), 0);
	ck_assert(isnan(hc_quantile_get(back, 0.5)));
	ck_assert_int_eq(hc_quantile_merge(q, back, &err), 0);
	ck_assert_uint_eq(hc_quantile_count(q), 0);
	hc_buf_release(&b);
	hc_quantile_free(q);
	hc_quantile_free(back);
}
END_TEST

/* NaN is not counted; -0.0 is stored as +0.0; phi outside [0, 1] gives
 * the extremes, a NaN phi NaN. */
START_TEST(special_values)
{
	struct hc_quantile *q = new_ok(200, 1);

	ck_assert_int_eq(hc_quantile_add(q, NAN), 0);
	ck_assert_uint_eq(hc_quantile_count(q), 0);
	ck_assert_int_eq(hc_quantile_add(q, -0.0), 0);
	ck_assert_int_eq(hc_quantile_add(q, INFINITY), 0);
	ck_assert_int_eq(hc_quantile_add(q, -INFINITY), 0);
	ck_assert_int_eq(hc_quantile_add(q, NAN), 0);
	ck_assert_uint_eq(hc_quantile_count(q), 3);
	ck_assert(hc_quantile_get(q, 0.5) == 0 && !signbit(hc_quantile_get(q, 0.5)));
	ck_assert(hc_quantile_get(q, -3) == -INFINITY);
	ck_assert(hc_quantile_get(q, 0.2) == -INFINITY);
	ck_assert(hc_quantile_get(q, 0.9) == INFINITY);
	ck_assert(hc_quantile_get(q, 7) == INFINITY);
	ck_assert(isnan(hc_quantile_get(q, NAN)));
	hc_quantile_free(q);
}
END_TEST

/* Up to k values nothing is compacted: the answer for phi is the
 * ceil(phi n)-th smallest value, and the reported error is 0. */
START_TEST(small_n_exact)
{
	static const struct {
		unsigned k;
		size_t n;
	} cases[] = {{8, 1}, {8, 8}, {200, 1}, {200, 2}, {200, 150}, {200, 200},
		     {1000, 999}};
	uint64_t seed = 7;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t n = cases[c].n;
		struct hc_quantile *q = new_ok(cases[c].k, 99);
		double *v = xmalloc(n * sizeof(double)), *s;

		for (size_t i = 0; i < n; i++)
			v[i] = floor(uniform(&seed) * 50); /* with duplicates */
		add_all(q, v, n);
		s = sorted_copy(v, n);
		ck_assert(hc_quantile_rank_error(q) == 0);
		ck_assert(hc_quantile_get(q, 0) == s[0]);
		ck_assert(hc_quantile_get(q, 1) == s[n - 1]);
		for (int j = 1; j < 1000; j++) {
			double phi = j / 1000.0;
			size_t i = 1;

			while ((double)i < phi * (double)n)
				i++;
			ck_assert_msg(hc_quantile_get(q, phi) == s[i - 1],
				      "k %u n %zu phi %.3f", cases[c].k, n, phi);
		}
		free(v);
		free(s);
		hc_quantile_free(q);
	}
}
END_TEST

/* One value past k starts compacting, and the reported error with it. */
START_TEST(error_reported_once_compacted)
{
	struct hc_quantile *q = new_ok(200, 1);

	for (int i = 0; i < 200; i++)
		ck_assert_int_eq(hc_quantile_add(q, i), 0);
	ck_assert(hc_quantile_rank_error(q) == 0);
	ck_assert_int_eq(hc_quantile_add(q, 200), 0);
	ck_assert(hc_quantile_rank_error(q) > 0);
	ck_assert(hc_quantile_rank_error(q) < 0.05);
	hc_quantile_free(q);
}
END_TEST

/* ------------------------------------------------------------------------
 * Accuracy on 10^6 values
 * ------------------------------------------------------------------------ */

START_TEST(accuracy_inputs)
{
	enum input kind = (enum input)_i;
	double *v = make_input(kind, N_BIG, 1000 + kind), *s;
	struct hc_quantile *q = new_ok(HC_QUANTILE_K_DEFAULT, 42);

	add_all(q, v, N_BIG);
	s = sorted_copy(v, N_BIG);
	ck_assert(hc_quantile_rank_error(q) > 0);
	check_sketch(q, s, N_BIG, input_name[kind]);
	free(v);
	free(s);
	hc_quantile_free(q);
}
END_TEST

/* The first and second halves of a random input sketched apart (so the
 * halves cover different ranges of ranks), then merged; and the halves
 * of a sorted input, whose value ranges do not overlap. */
START_TEST(merge_halves)
{
	static const enum input kinds[] = {SORTED, RANDOM};

	for (size_t i = 0; i < 2; i++) {
		enum input kind = kinds[i];
		double *v = make_input(kind, N_BIG, 77), *s;
		struct hc_quantile *a = new_ok(200, 1), *b = new_ok(200, 2);
		struct hc_err err = {0};

		add_all(a, v, N_BIG / 2);
		add_all(b, v + N_BIG / 2, N_BIG / 2);
		ck_assert_int_eq(hc_quantile_merge(a, b, &err), 0);
		s = sorted_copy(v, N_BIG);
		check_sketch(a, s, N_BIG, input_name[kind]);
		free(v);
		free(s);
		hc_quantile_free(a);
		hc_quantile_free(b);
	}
}
END_TEST

/* Shards merged into a fresh sketch: within the bound, and the same bytes
 * when done again with the same seeds. */
static struct hc_quantile *merged_shards(const double *v, size_t n,
					 uint64_t seed)
{
	enum { SHARDS = 8 };
	struct hc_quantile *shard[SHARDS], *all = new_ok(200, seed);
	struct hc_err err = {0};
	int failed = 0;

	for (int j = 0; j < SHARDS; j++)
		shard[j] = new_ok(200, seed + 1 + (uint64_t)j);
	for (size_t i = 0; i < n; i++)
		failed |= hc_quantile_add(shard[(i * 7 / 3) % SHARDS], v[i]);
	ck_assert_int_eq(failed, 0);
	for (int j = 0; j < SHARDS; j++) {
		ck_assert_int_eq(hc_quantile_merge(all, shard[j], &err), 0);
		hc_quantile_free(shard[j]);
	}
	return all;
}

START_TEST(merge_shards_deterministic)
{
	double *v = make_input(ZIPF, N_BIG / 2, 5), *s = sorted_copy(v, N_BIG / 2);
	struct hc_quantile *a = merged_shards(v, N_BIG / 2, 10);
	struct hc_quantile *b = merged_shards(v, N_BIG / 2, 10);

	check_sketch(a, s, N_BIG / 2, "shards");
	assert_same_bytes(a, b);
	free(v);
	free(s);
	hc_quantile_free(a);
	hc_quantile_free(b);
}
END_TEST

START_TEST(merge_rejects_other_k)
{
	struct hc_quantile *a = new_ok(200, 1), *b = new_ok(100, 1);
	struct hc_err err = {0};
	struct hc_buf before, after;

	for (int i = 0; i < 1000; i++) {
		hc_quantile_add(a, i);
		hc_quantile_add(b, -i);
	}
	bytes_of(a, &before);
	ck_assert_int_eq(hc_quantile_merge(a, b, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, "cannot merge quantile sketches with k 200 and 100");
	bytes_of(a, &after);
	ck_assert_uint_eq(before.len, after.len);
	ck_assert_mem_eq(before.data, after.data, before.len);
	hc_buf_release(&before);
	hc_buf_release(&after);
	hc_quantile_free(a);
	hc_quantile_free(b);
}
END_TEST

/* Into an empty sketch, from an empty one, between exact ones. */
START_TEST(merge_small)
{
	struct hc_quantile *a = new_ok(50, 1), *b = new_ok(50, 2), *e = new_ok(50, 3);
	struct hc_err err = {0};

	for (int i = 1; i <= 20; i++)
		hc_quantile_add(b, i);
	ck_assert_int_eq(hc_quantile_merge(a, b, &err), 0);
	ck_assert_int_eq(hc_quantile_merge(a, e, &err), 0);
	ck_assert_uint_eq(hc_quantile_count(a), 20);
	ck_assert(hc_quantile_get(a, 0) == 1 && hc_quantile_get(a, 1) == 20);
	ck_assert(hc_quantile_get(a, 0.5) == 10);
	ck_assert_int_eq(hc_quantile_merge(a, b, &err), 0); /* 40 values */
	ck_assert(hc_quantile_rank_error(a) == 0);
	ck_assert(hc_quantile_get(a, 0.5) == 10);
	ck_assert(hc_quantile_get(a, 0.51) == 11);
	ck_assert_int_eq(hc_quantile_merge(a, b, &err), 0); /* 60 > k */
	ck_assert(hc_quantile_rank_error(a) > 0);
	ck_assert_uint_eq(hc_quantile_count(a), 60);
	ck_assert(hc_quantile_get(a, 0) == 1 && hc_quantile_get(a, 1) == 20);
	hc_quantile_free(a);
	hc_quantile_free(b);
	hc_quantile_free(e);
}
END_TEST

/* ------------------------------------------------------------------------
 * Determinism and serialisation
 * ------------------------------------------------------------------------ */

START_TEST(same_seed_same_bytes)
{
	double *v = make_input(RANDOM, 200000, 3);
	struct hc_quantile *a = new_ok(200, 5), *b = new_ok(200, 5);
	struct hc_quantile *c = new_ok(200, 6);
	struct hc_buf x, y;

	add_all(a, v, 200000);
	add_all(b, v, 200000);
	add_all(c, v, 200000);
	assert_same_bytes(a, b);
	/* another seed flips other coins */
	bytes_of(a, &x);
	bytes_of(c, &y);
	ck_assert(x.len != y.len || memcmp(x.data, y.data, x.len) != 0);
	hc_buf_release(&x);
	hc_buf_release(&y);
	free(v);
	hc_quantile_free(a);
	hc_quantile_free(b);
	hc_quantile_free(c);
}
END_TEST

/* w copies at once give the sketch w single adds give, bit for bit:
 * weights that end before, at and across compactions. */
START_TEST(add_n_equals_single_adds)
{
	struct hc_quantile *a = new_ok(200, 9), *b = new_ok(200, 9);
	uint64_t seed = 77;

	for (int i = 0; i < 20000; i++) {
		double v = (double)(th_rand(&seed) % 5000) / 8 - 100;
		uint64_t w = i % 50 == 0 ? 1 + th_rand(&seed) % 3000
					 : th_rand(&seed) % 4;
		ck_assert_int_eq(hc_quantile_add_n(a, v, w), 0);
		for (uint64_t j = 0; j < w; j++)
			ck_assert_int_eq(hc_quantile_add(b, v), 0);
	}
	ck_assert_int_eq(hc_quantile_add_n(a, NAN, 5), 0); /* ignored */
	ck_assert_int_eq(hc_quantile_add_n(a, -0.0, 3), 0);
	for (int j = 0; j < 3; j++)
		ck_assert_int_eq(hc_quantile_add(b, 0.0), 0);
	ck_assert_uint_eq(hc_quantile_count(a), hc_quantile_count(b));
	assert_same_bytes(a, b);
	hc_quantile_free(a);
	hc_quantile_free(b);
}
END_TEST

static struct hc_quantile *round_trip(const struct hc_quantile *q)
{
	struct hc_buf b;
	struct hc_cursor c;
	struct hc_err err = {0};
	struct hc_quantile *back;

	bytes_of(q, &b);
	hc_buf_put_u8(&b, 0xAB); /* what follows */
	hc_cursor_init(&c, b.data, b.len);
	back = hc_quantile_deserialize(&c, &err);
	ck_assert_msg(back != NULL, "%s", err.msg);
	ck_assert_uint_eq(hc_cursor_left(&c), 1);
	ck_assert_uint_eq(*c.p, 0xAB);
	hc_buf_release(&b);
	return back;
}

/* The copy answers the same, serialises to the same bytes, and goes on
 * exactly as the original does (the coin's state travels with it). */
START_TEST(serialize_round_trip)
{
	double *v = make_input(RANDOM, 300000, 9);
	struct hc_quantile *q = new_ok(100, 1), *back;

	add_all(q, v, 200000);
	back = round_trip(q);
	assert_same_bytes(q, back);
	ck_assert_uint_eq(hc_quantile_count(back), 200000);
	ck_assert(hc_quantile_rank_error(back) == hc_quantile_rank_error(q));
	for (int j = 0; j <= 100; j++)
		ck_assert(hc_quantile_get(q, j / 100.0) == hc_quantile_get(back, j / 100.0));
	add_all(q, v + 200000, 100000);
	add_all(back, v + 200000, 100000);
	assert_same_bytes(q, back);
	free(v);
	hc_quantile_free(q);
	hc_quantile_free(back);
}
END_TEST

/* Offsets into the serialised form (see quantile.c). */
enum { OFF_VERSION = 0, OFF_K = 1, OFF_N = 5, OFF_RNG = 13, OFF_MIN = 21,
       OFF_MAX = 29, OFF_LEVELS = 37, OFF_LEN = 38 };

/* A k = 8 sketch of 100 values 0..99 (shuffled): several levels. */
static void small_bytes(struct hc_buf *b)
{
	struct hc_quantile *q = new_ok(8, 4);
	uint64_t seed = 11;
	double v[100];

	for (int i = 0; i < 100; i++)
		v[i] = i;
	for (int i = 99; i > 0; i--) {
		int j = (int)(th_rand(&seed) % (uint64_t)(i + 1));
		double t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
	add_all(q, v, 100);
	bytes_of(q, b);
	hc_quantile_free(q);
}

static void put_u32_at(struct hc_buf *b, size_t off, uint32_t x)
{
	for (int i = 0; i < 4; i++)
		b->data[off + i] = (unsigned char)(x >> (8 * i));
}

static uint32_t get_u32_at(const struct hc_buf *b, size_t off)
{
	uint32_t x = 0;

	for (int i = 0; i < 4; i++)
		x |= (uint32_t)b->data[off + i] << (8 * i);
	return x;
}

static void put_u64_at(struct hc_buf *b, size_t off, uint64_t x)
{
	put_u32_at(b, off, (uint32_t)x);
	put_u32_at(b, off + 4, (uint32_t)(x >> 32));
}

static void put_f64_at(struct hc_buf *b, size_t off, double x)
{
	uint64_t u;

	memcpy(&u, &x, 8);
	put_u64_at(b, off, u);
}

/* Deserialising data[0..len) must fail with HC_ERR_DATA (message checked
 * when msg is not NULL).  Allocations are made to fail meanwhile, so an
 * HC_ERR_DATA also shows the check came before any allocation. */
static void assert_corrupt(const void *data, size_t len, const char *msg,
			   int before_alloc)
{
	struct hc_cursor c;
	struct hc_err err = {0};
	struct hc_quantile *q;

	hc_cursor_init(&c, data, len);
	if (before_alloc)
		fail_alloc_from(1);
	q = hc_quantile_deserialize(&c, &err);
	fail_alloc_from(0);
	ck_assert_ptr_null(q);
	ck_assert_msg(err.kind == HC_ERR_DATA, "kind %d: %s", err.kind, err.msg);
	if (msg)
		ck_assert_str_eq(err.msg, msg);
}

START_TEST(corrupt_short)
{
	struct hc_buf b;

	small_bytes(&b);
	assert_corrupt(b.data, 0, "quantile sketch: truncated", 1);
	for (size_t len = 1; len < b.len; len++)
		assert_corrupt(b.data, len, NULL, 0);
	hc_buf_release(&b);
}
END_TEST

START_TEST(corrupt_header)
{
	struct hc_buf b;
	uint8_t nlevels;

	small_bytes(&b);
	nlevels = b.data[OFF_LEVELS];
	ck_assert_uint_gt(nlevels, 2);

	b.data[OFF_VERSION] = 2;
	assert_corrupt(b.data, b.len, "quantile sketch: unknown version 2", 1);
	b.data[OFF_VERSION] = 1;

	put_u32_at(&b, OFF_K, 7);
	assert_corrupt(b.data, b.len, "quantile sketch: k 7 is not between 8 and 65535", 1);
	put_u32_at(&b, OFF_K, 65536);
	assert_corrupt(b.data, b.len, NULL, 1);
	put_u32_at(&b, OFF_K, 8);

	b.data[OFF_LEVELS] = 0;
	assert_corrupt(b.data, b.len, "quantile sketch: 0 levels, not between 1 and 64", 1);
	b.data[OFF_LEVELS] = 65;
	assert_corrupt(b.data, b.len, NULL, 1);
	b.data[OFF_LEVELS] = nlevels;

	put_u64_at(&b, OFF_N, 101);
	assert_corrupt(b.data, b.len, "quantile sketch: the levels weigh 100, not the count 101", 1);
	put_u64_at(&b, OFF_N, 100);

	put_f64_at(&b, OFF_MIN, NAN);
	assert_corrupt(b.data, b.len, "quantile sketch: bad minimum or maximum", 1);
	put_f64_at(&b, OFF_MIN, 100);
	assert_corrupt(b.data, b.len, NULL, 1); /* above the maximum */
	put_f64_at(&b, OFF_MIN, 50); /* half the items lie below */
	assert_corrupt(b.data, b.len, "quantile sketch: an item lies outside [min, max]", 0);
	put_f64_at(&b, OFF_MIN, 0);
	put_f64_at(&b, OFF_MAX, 50);
	assert_corrupt(b.data, b.len, "quantile sketch: an item lies outside [min, max]", 0);
	put_f64_at(&b, OFF_MAX, 99);
	hc_buf_release(&b);
}
END_TEST

/* Lengths that lie: the weights then disagree with n, or, with n made to
 * agree, the items are not there; either way nothing is allocated. */
START_TEST(corrupt_lengths)
{
	struct hc_buf b;
	struct hc_cursor c;
	struct hc_err err = {0};
	struct hc_quantile *q;
	uint32_t len0;

	small_bytes(&b);
	len0 = get_u32_at(&b, OFF_LEN);

	put_u32_at(&b, OFF_LEN, len0 + 1);
	assert_corrupt(b.data, b.len, NULL, 1);
	put_u64_at(&b, OFF_N, 101);
	assert_corrupt(b.data, b.len, "quantile sketch: truncated", 1);

	put_u32_at(&b, OFF_LEN, UINT32_MAX);
	put_u64_at(&b, OFF_N, 100 - len0 + (uint64_t)UINT32_MAX);
	assert_corrupt(b.data, b.len, "quantile sketch: truncated", 1);
	put_u32_at(&b, OFF_LEN, len0);
	hc_buf_release(&b);

	/* 64 levels, the top one holding 2 items of weight 2^63 each */
	hc_buf_init(&b);
	hc_buf_put_u8(&b, 1);
	hc_buf_put_u32(&b, 200);
	hc_buf_put_u64(&b, 0);
	hc_buf_put_u64(&b, 0);
	hc_buf_put_f64(&b, 0);
	hc_buf_put_f64(&b, 1);
	hc_buf_put_u8(&b, 64);
	for (int h = 0; h < 63; h++)
		hc_buf_put_u32(&b, 0);
	hc_buf_put_u32(&b, 2);
	ck_assert_int_eq(hc_buf_put_f64(&b, 0.5), 0);
	assert_corrupt(b.data, b.len, "quantile sketch: level lengths overflow the count", 1);
	/* one of them, with the count to match: a valid, if unlikely, sketch */
	put_u32_at(&b, OFF_LEN + 4 * 63, 1);
	put_u64_at(&b, OFF_N, (uint64_t)1 << 63);
	hc_cursor_init(&c, b.data, b.len);
	q = hc_quantile_deserialize(&c, &err);
	ck_assert_msg(q != NULL, "%s", err.msg);
	ck_assert_uint_eq(hc_quantile_count(q), (uint64_t)1 << 63);
	ck_assert(hc_quantile_get(q, 0.5) == 0.5);
	hc_quantile_free(q);
	hc_buf_release(&b);
}
END_TEST

/* Item i of level 0 of small_bytes' sketch: its offset. */
static size_t item_off(const struct hc_buf *b, size_t level, size_t i)
{
	size_t off = OFF_LEN + 4 * (size_t)b->data[OFF_LEVELS];

	for (size_t h = 0; h < level; h++)
		off += 8 * get_u32_at(b, OFF_LEN + 4 * h);
	return off + 8 * i;
}

START_TEST(corrupt_items)
{
	struct hc_buf b;
	size_t lvl = 1;
	size_t a0, a1;
	unsigned char keep[16];

	small_bytes(&b);
	while (get_u32_at(&b, OFF_LEN + 4 * lvl) < 2)
		lvl++;
	a0 = item_off(&b, lvl, 0);
	a1 = item_off(&b, lvl, 1);
	memcpy(keep, b.data + a0, 16);

	put_f64_at(&b, a1, NAN);
	assert_corrupt(b.data, b.len, "quantile sketch: an item is NaN", 0);
	/* two items of a level above 0 swapped */
	memcpy(b.data + a0, keep + 8, 8);
	memcpy(b.data + a1, keep, 8);
	if (memcmp(keep, keep + 8, 8) != 0) {
		char msg[64];

		snprintf(msg, sizeof(msg), "quantile sketch: level %zu is not sorted", lvl);
		assert_corrupt(b.data, b.len, msg, 0);
	}
	hc_buf_release(&b);
}
END_TEST

/* A corrupted buffer that was accepted: its answers lie within its own
 * minimum and maximum, and it takes more values. */
static void check_accepted(struct hc_quantile *q, int iter)
{
	double lo = hc_quantile_get(q, 0), hi = hc_quantile_get(q, 1);

	for (int j = 0; j <= 10 && hc_quantile_count(q) > 0; j++) {
		double x = hc_quantile_get(q, j / 10.0);

		if (!(x >= lo && x <= hi))
			ck_abort_msg("iteration %d: phi %.1f gives %g outside [%g, %g]",
				     iter, j / 10.0, x, lo, hi);
	}
	if (hc_quantile_add(q, 1.5) != 0)
		ck_abort_msg("iteration %d: add failed", iter);
}

/* Random bytes overwritten and random truncations: a clean error, or a
 * sketch check_accepted passes. */
START_TEST(corrupt_byte_flips)
{
	struct hc_buf b;
	uint64_t rng = 2024;
	int accepted = 0;

	small_bytes(&b);
	for (int iter = 0; iter < 20000; iter++) {
		unsigned char *copy = xmalloc(b.len);
		size_t len = b.len;
		struct hc_cursor c;
		struct hc_err err = {0};
		struct hc_quantile *q;
		uint64_t r = th_rand(&rng);
		int flips = 1 + (int)(r % 3);

		memcpy(copy, b.data, b.len);
		for (int f = 0; f < flips; f++) {
			uint64_t x = th_rand(&rng);

			/* half the time in the header, where it bites most */
			size_t at = x >> 63 ? (x >> 8) % (OFF_LEN + 12) : (x >> 8) % b.len;
			copy[at] = (unsigned char)x;
		}
		if ((r >> 8) % 4 == 0)
			len = (r >> 16) % b.len;
		hc_cursor_init(&c, copy, len);
		q = hc_quantile_deserialize(&c, &err);
		if (!q && err.kind != HC_ERR_DATA)
			ck_abort_msg("iteration %d: %s", iter, err.msg);
		if (q) {
			accepted++;
			check_accepted(q, iter);
			hc_quantile_free(q);
		}
		free(copy);
	}
	ck_assert_int_gt(accepted, 0); /* flips in items can stay valid */
	hc_buf_release(&b);
}
END_TEST

/* ------------------------------------------------------------------------
 * Out of memory: every allocation made to fail in turn
 * ------------------------------------------------------------------------ */

START_TEST(out_of_memory)
{
	double *v = make_input(RANDOM, 20000, 1);
	struct hc_buf b;
	int failures = 0;

	for (unsigned long nth = 1; nth < 1000; nth++) {
		struct hc_err err = {0};
		struct hc_quantile *q, *r = NULL, *back = NULL;
		uint64_t added = 0;
		int failed = 0;
		struct hc_cursor c;

		fail_alloc_from(nth);
		q = hc_quantile_new(100, 1, &err);
		if (!q) {
			fail_alloc_from(0);
			ck_assert_int_eq(err.kind, HC_ERR_NOMEM);
			failures++;
			continue;
		}
		for (size_t i = 0; i < 20000; i++) {
			if (hc_quantile_add(q, v[i]) == 0)
				added++;
			else
				failed = 1;
		}
		r = hc_quantile_new(100, 2, &err);
		if (r) {
			for (size_t i = 0; i < 5000; i++)
				failed |= hc_quantile_add(r, v[i]) != 0;
			if (hc_quantile_merge(q, r, &err) != 0) {
				ck_assert_int_eq(err.kind, HC_ERR_NOMEM);
				failed = 1;
			}
		} else {
			failed = 1;
		}
		fail_alloc_from(0);
		/* whatever failed, q is still a valid sketch */
		ck_assert_uint_ge(hc_quantile_count(q), added);
		ck_assert_int_eq(hc_quantile_add(q, 0.5), 0);
		bytes_of(q, &b);
		hc_cursor_init(&c, b.data, b.len);
		fail_alloc_from(nth % 3 + 1);
		back = hc_quantile_deserialize(&c, &err);
		fail_alloc_from(0);
		if (!back)
			ck_assert_int_eq(err.kind, HC_ERR_NOMEM);
		hc_buf_release(&b);
		hc_quantile_free(back);
		hc_quantile_free(q);
		hc_quantile_free(r);
		failures += failed;
		if (!failed)
			break;
	}
	ck_assert_int_gt(failures, 5);
	free(v);
}
END_TEST

/* ------------------------------------------------------------------------
 * The measurement behind quantile.c's rank error (HICARD_KLL_MEASURE=S)
 * ------------------------------------------------------------------------ */

START_TEST(measure)
{
	static const unsigned ks[] = {8, 16, 50, 200, 1000};
	const char *env = getenv("HICARD_KLL_MEASURE");
	long seeds = env ? strtol(env, NULL, 10) : 0;
	size_t ns = seeds > 0 ? (size_t)seeds : 1;
	double *v = make_input(RANDOM, N_BIG, 1), *s = sorted_copy(v, N_BIG);
	double *smax = xmalloc(ns * sizeof(double));
	double *all = xmalloc(ns * 99 * sizeof(double));

	printf("k: largest error, 99th percentile of a sketch's largest, of one quantile (x k)\n");
	for (size_t ki = 0; ki < sizeof(ks) / sizeof(ks[0]) && seeds > 0; ki++) {
		size_t na = 0;

		for (size_t seed = 0; seed < ns; seed++) {
			struct hc_quantile *q = new_ok(ks[ki], 1000 + (uint64_t)seed);

			add_all(q, v, N_BIG);
			smax[seed] = 0;
			for (int j = 1; j <= 99; j++) {
				double e = rank_error(s, N_BIG, hc_quantile_get(q, j / 100.0), j / 100.0);

				all[na++] = e;
				if (e > smax[seed])
					smax[seed] = e;
			}
			hc_quantile_free(q);
		}
		qsort(smax, ns, sizeof(double), cmp_double);
		qsort(all, na, sizeof(double), cmp_double);
		printf("%5u: %.3f %.3f %.3f\n", ks[ki], smax[ns - 1] * ks[ki],
		       smax[ns * 99 / 100] * ks[ki], all[na * 99 / 100] * ks[ki]);
	}
	free(all);
	free(smax);
	free(v);
	free(s);
}
END_TEST

Suite *suite_quantile(void)
{
	Suite *s = suite_create("quantile");
	TCase *tc;

	tc = tcase_create("basics");
	tcase_add_test(tc, new_rejects_bad_k);
	tcase_add_test(tc, empty_sketch);
	tcase_add_test(tc, special_values);
	tcase_add_test(tc, small_n_exact);
	tcase_add_test(tc, error_reported_once_compacted);
	suite_add_tcase(s, tc);

	tc = tcase_create("accuracy");
	tcase_add_loop_test(tc, accuracy_inputs, SORTED, NINPUT);
	tcase_add_test(tc, merge_halves);
	tcase_add_test(tc, merge_shards_deterministic);
	tcase_add_test(tc, merge_rejects_other_k);
	tcase_add_test(tc, merge_small);
	suite_add_tcase(s, tc);

	tc = tcase_create("serialise");
	tcase_add_test(tc, same_seed_same_bytes);
	tcase_add_test(tc, add_n_equals_single_adds);
	tcase_add_test(tc, serialize_round_trip);
	tcase_add_test(tc, corrupt_short);
	tcase_add_test(tc, corrupt_header);
	tcase_add_test(tc, corrupt_lengths);
	tcase_add_test(tc, corrupt_items);
	tcase_add_test(tc, corrupt_byte_flips);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);

	if (getenv("HICARD_KLL_MEASURE")) {
		tc = tcase_create("measure");
		tcase_set_timeout(tc, 0);
		tcase_add_test(tc, measure);
		suite_add_tcase(s, tc);
	}
	return s;
}
