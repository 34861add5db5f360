/* test_hll.c - HyperLogLog: accuracy against stated bounds, merge,
 * serialisation and its corruptions
 *
 * The bounds, and why they can fail:
 *
 * - One sketch, one estimate: within C1 = 3.5 relative standard errors
 *   (1.04/sqrt(m)).  The estimate is close to normal, so a correct sketch
 *   lands outside 3.5 sigma with probability 5e-4 per checkpoint; the
 *   checkpoints of one stream are correlated, so a dozen of them together
 *   fail for a correct sketch well under 1% of seeds.  The classic failure
 *   this catches, the raw HLL estimator's bias between m and 5m/2 (up to
 *   +30%), or a linear-counting switch in the wrong place, is many sigma.
 *   Observed with the seeds below, p = 14: exact to 10, then 0.31%, 0.20%,
 *   0.25%, -0.68%, -0.40%, -0.61% at 10^2..10^7 (bound 2.84%).
 * - Tiny counts, p = 14, n = 1..10: |estimate - n| <= n^2 / m.  With no
 *   two of the n hashes in one register (so for these hashes) Ertl's
 *   estimator is the linear-counting value m ln(m / (m - n)), about
 *   n + n^2 / 2m; observed 0.0031 above n at n = 10, bound 0.0061.  A
 *   sketch without the zero-register correction is off by about 0.7 m.
 * - Many sketches: S = 300 sketches of p = 8 (rse 6.5%), each with its
 *   own hash seed.  Root mean square relative error <= C2 = 1.15 rse:
 *   Ertl's estimator has an RMSE of about 1.04/sqrt(m) at large n and less
 *   at small n, and the RMS of 300 samples scatters by about
 *   rse / sqrt(2 S) = 4% of rse, so 1.15 is 3.7 of those sigmas.  Mean
 *   relative error (bias) within C3 = 3.5 standard errors of a mean,
 *   3.5 rse / sqrt(S) = 1.3%.  Observed RMS 0.67, 0.90, 0.97, 1.02 rse and
 *   bias 0.16%, 0.36%, -0.03%, 0.37% at 10^2..10^5.
 *
 * Hashes are XXH3 of the integers as 8 little-endian bytes: fixed values,
 * so every run sees the same sketches.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lib/buf.h"
#include "lib/mem.h"
#include "src/hll.h"
#include "suites.h"

#define C1 3.5
#define C2 1.15
#define C3 3.5

static uint64_t hash_int(uint64_t i, uint64_t seed)
{
	unsigned char b[8];

	for (int j = 0; j < 8; j++)
		b[j] = (unsigned char)(i >> (8 * j));
	return seed ? XXH3_64bits_withSeed(b, 8, seed) : XXH3_64bits(b, 8);
}

/* Adds the integers lo..hi (inclusive). */
static void feed(struct hc_hll *h, uint64_t lo, uint64_t hi)
{
	for (uint64_t i = lo; i <= hi; i++)
		hc_hll_add_hash(h, hash_int(i, 0));
}

static void init_ok(struct hc_hll *h, unsigned p)
{
	struct hc_err err = {0};

	ck_assert_int_eq(hc_hll_init(h, p, &err), 0);
}

/* The number of registers above max (Check records every assertion, so
 * per-register assertions would cost a write each). */
static size_t regs_above(const struct hc_hll *h, unsigned max)
{
	size_t n = 0;

	for (size_t i = 0; i < ((size_t)1 << h->p); i++)
		n += h->reg[i] > max;
	return n;
}

static double rel_err(double est, double n)
{
	return (est - n) / n;
}

/* ------------------------------------------------------------------------
 * Life cycle and the add path
 * ------------------------------------------------------------------------ */

START_TEST(init_rejects_bad_p)
{
	static const unsigned bad[] = {0, 1, 3, 19, 20, 64, 255, 4096};
	struct hc_hll h;
	struct hc_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		ck_assert_int_eq(hc_hll_init(&h, bad[i], &err), -1);
		ck_assert_int_eq(err.kind, HC_ERR_USAGE);
		ck_assert_ptr_null(h.reg);
		hc_hll_release(&h);
	}
	ck_assert_int_eq(hc_hll_init(&h, 3, &err), -1);
	ck_assert_str_eq(err.msg, "hyperloglog precision 3 is not between 4 and 18");
}
END_TEST

START_TEST(init_every_p)
{
	for (unsigned p = HC_HLL_P_MIN; p <= HC_HLL_P_MAX; p++) {
		struct hc_hll h;
		size_t m = (size_t)1 << p;

		init_ok(&h, p);
		ck_assert_uint_eq(h.p, p);
		ck_assert_uint_eq(regs_above(&h, 0), 0);
		ck_assert(hc_hll_estimate(&h) == 0.0);
		ck_assert_double_eq_tol(hc_hll_rse(&h), 1.04 / sqrt((double)m), 1e-15);
		hc_hll_release(&h);
		ck_assert_ptr_null(h.reg);
		hc_hll_release(&h); /* twice is harmless */
	}
}
END_TEST

/* The register index is the top p bits, the rank one more than the
 * leading zeros of the rest, capped at 65 - p. */
START_TEST(add_index_and_rank)
{
	for (unsigned p = HC_HLL_P_MIN; p <= HC_HLL_P_MAX; p += 7) {
		struct hc_hll h;
		size_t m = (size_t)1 << p;
		unsigned q = 64 - p;

		init_ok(&h, p);
		hc_hll_add_hash(&h, 0);
		ck_assert_uint_eq(h.reg[0], q + 1);
		hc_hll_add_hash(&h, UINT64_MAX);
		ck_assert_uint_eq(h.reg[m - 1], 1);
		for (unsigned r = 1; r <= q; r++) {
			uint64_t idx = 1 + r % (m - 2);

			h.reg[idx] = 0;
			hc_hll_add_hash(&h, idx << q | (uint64_t)1 << (q - r));
			ck_assert_uint_eq(h.reg[idx], r);
			/* a smaller rank does not lower the register */
			hc_hll_add_hash(&h, idx << q | (uint64_t)1 << (q - 1));
			ck_assert_uint_eq(h.reg[idx], r);
		}
		hc_hll_clear(&h);
		ck_assert_uint_eq(h.p, p);
		ck_assert_uint_eq(regs_above(&h, 0), 0);
		ck_assert(hc_hll_estimate(&h) == 0.0);
		hc_hll_release(&h);
	}
}
END_TEST

START_TEST(init_out_of_memory)
{
	struct hc_hll h;
	struct hc_err err = {0};

	setenv("HICARD_FAIL_ALLOC", "1", 1);
	hc_mem_init_from_env();
	ck_assert_int_eq(hc_hll_init(&h, 14, &err), -1);
	setenv("HICARD_FAIL_ALLOC", "0", 1);
	hc_mem_init_from_env();
	ck_assert_int_eq(err.kind, HC_ERR_NOMEM);
	ck_assert_str_eq(err.msg, "out of memory");
	ck_assert_ptr_null(h.reg);
}
END_TEST

/* ------------------------------------------------------------------------
 * Accuracy
 * ------------------------------------------------------------------------ */

START_TEST(tiny_counts_exact)
{
	struct hc_hll h;
	const double m = 16384;

	init_ok(&h, 14);
	ck_assert(hc_hll_estimate(&h) == 0.0);
	for (uint64_t n = 1; n <= 10; n++) {
		double est;

		hc_hll_add_hash(&h, hash_int(n, 0));
		est = hc_hll_estimate(&h);
		ck_assert_msg(fabs(est - (double)n) <= (double)(n * n) / m,
			      "n %llu: estimate %.6f", (unsigned long long)n, est);
	}
	/* the same values again change nothing */
	feed(&h, 1, 10);
	ck_assert_double_eq_tol(hc_hll_estimate(&h), 10, 100 / m);
	hc_hll_release(&h);
}
END_TEST

/* One stream of 10^7 distinct values, checked at 10^2 .. 10^7. */
START_TEST(checkpoints_to_ten_million)
{
	struct hc_hll h;
	uint64_t n = 10;

	init_ok(&h, HC_HLL_P_DEFAULT);
	feed(&h, 1, n);
	for (; n < 10000000; n *= 10) {
		double err;

		feed(&h, n + 1, n * 10);
		err = rel_err(hc_hll_estimate(&h), (double)(n * 10));
		ck_assert_msg(fabs(err) <= C1 * hc_hll_rse(&h),
			      "n %llu: relative error %.4f%% above %.4f%%",
			      (unsigned long long)n * 10, 100 * err,
			      100 * C1 * hc_hll_rse(&h));
	}
	hc_hll_release(&h);
}
END_TEST

/* Every precision at 10^5 distinct values (from 2^4 to 2^18 registers:
 * 6000 values per register down to 0.4).  Observed at most 1.8 rse off
 * (p = 16), bound 3.5. */
START_TEST(every_p_within_bound)
{
	for (unsigned p = HC_HLL_P_MIN; p <= HC_HLL_P_MAX; p++) {
		struct hc_hll h;
		double err;

		init_ok(&h, p);
		feed(&h, 1, 100000);
		err = rel_err(hc_hll_estimate(&h), 100000);
		ck_assert_msg(fabs(err) <= C1 * hc_hll_rse(&h),
			      "p %u: relative error %.4f%%", p, 100 * err);
		hc_hll_release(&h);
	}
}
END_TEST

/* RMSE and bias over S sketches with their own hash seeds. */
START_TEST(rmse_and_bias_over_seeds)
{
	enum { S = 300, NCP = 4 };
	static const uint64_t cp[NCP] = {100, 1000, 10000, 100000};
	double sum[NCP] = {0}, sumsq[NCP] = {0}, rse = 0;

	for (uint64_t s = 1; s <= S; s++) {
		struct hc_hll h;
		uint64_t done = 0;

		init_ok(&h, 8);
		rse = hc_hll_rse(&h);
		for (int c = 0; c < NCP; c++) {
			double e;

			for (uint64_t i = done + 1; i <= cp[c]; i++)
				hc_hll_add_hash(&h, hash_int(i, s));
			done = cp[c];
			e = rel_err(hc_hll_estimate(&h), (double)cp[c]);
			sum[c] += e;
			sumsq[c] += e * e;
		}
		hc_hll_release(&h);
	}
	for (int c = 0; c < NCP; c++) {
		double rms = sqrt(sumsq[c] / S), bias = sum[c] / S;

		ck_assert_msg(rms <= C2 * rse, "n %llu: rms %.4f rse %.4f",
			      (unsigned long long)cp[c], rms, rse);
		ck_assert_msg(fabs(bias) <= C3 * rse / sqrt(S),
			      "n %llu: bias %.4f%%", (unsigned long long)cp[c],
			      100 * bias);
	}
}
END_TEST

/* ------------------------------------------------------------------------
 * Merge
 * ------------------------------------------------------------------------ */

static void assert_same(const struct hc_hll *a, const struct hc_hll *b)
{
	ck_assert_uint_eq(a->p, b->p);
	ck_assert_mem_eq(a->reg, b->reg, (size_t)1 << a->p);
	ck_assert(hc_hll_estimate(a) == hc_hll_estimate(b));
}

/* Two overlapping halves merged are register for register the sketch of
 * the union, so the estimate is the same number. */
START_TEST(merge_equals_union)
{
	struct hc_hll a, b, u;
	struct hc_err err = {0};

	init_ok(&a, 14);
	init_ok(&b, 14);
	init_ok(&u, 14);
	feed(&a, 1, 600000);
	feed(&b, 400001, 1000000);
	feed(&u, 1, 1000000);
	ck_assert_int_eq(hc_hll_merge(&a, &b, &err), 0);
	assert_same(&a, &u);
	/* merging again, or merging a sketch into itself, changes nothing */
	ck_assert_int_eq(hc_hll_merge(&a, &b, &err), 0);
	ck_assert_int_eq(hc_hll_merge(&a, &a, &err), 0);
	assert_same(&a, &u);
	hc_hll_release(&a);
	hc_hll_release(&b);
	hc_hll_release(&u);
}
END_TEST

/* Four shards of interleaved values, merged in an order other than the
 * one they were fed in, into an empty sketch. */
START_TEST(merge_shards)
{
	struct hc_hll shard[4], all, u;
	struct hc_err err = {0};

	init_ok(&all, 12);
	init_ok(&u, 12);
	for (int s = 0; s < 4; s++)
		init_ok(&shard[s], 12);
	for (uint64_t i = 1; i <= 200000; i++) {
		hc_hll_add_hash(&shard[i % 4], hash_int(i, 0));
		hc_hll_add_hash(&u, hash_int(i, 0));
	}
	for (int s = 3; s >= 0; s--) {
		ck_assert_int_eq(hc_hll_merge(&all, &shard[s], &err), 0);
		hc_hll_release(&shard[s]);
	}
	assert_same(&all, &u);
	hc_hll_release(&all);
	hc_hll_release(&u);
}
END_TEST

START_TEST(merge_rejects_other_p)
{
	struct hc_hll a, b, copy;
	struct hc_err err = {0};

	init_ok(&a, 12);
	init_ok(&b, 14);
	init_ok(&copy, 12);
	feed(&a, 1, 1000);
	feed(&copy, 1, 1000);
	feed(&b, 1, 5000);
	ck_assert_int_eq(hc_hll_merge(&a, &b, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, "cannot merge hyperloglog sketches of precision 12 and 14");
	assert_same(&a, &copy);
	hc_hll_release(&a);
	hc_hll_release(&b);
	hc_hll_release(&copy);
}
END_TEST

/* ------------------------------------------------------------------------
 * Serialisation
 * ------------------------------------------------------------------------ */

/* A serialised p sketch of n values, in b. */
static void serialized(struct hc_buf *b, unsigned p, uint64_t n)
{
	struct hc_hll h;

	init_ok(&h, p);
	feed(&h, 1, n);
	hc_buf_init(b);
	ck_assert_int_eq(hc_hll_serialize(&h, b), 0);
	hc_hll_release(&h);
}

/* Deserialising data[0..len) must fail with HC_ERR_DATA and leave h
 * empty; returns nothing, checks the message when msg is not NULL. */
static void assert_corrupt(const void *data, size_t len, const char *msg)
{
	struct hc_hll h;
	struct hc_cursor c;
	struct hc_err err = {0};

	hc_cursor_init(&c, data, len);
	ck_assert_int_eq(hc_hll_deserialize(&h, &c, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_ptr_null(h.reg);
	if (msg)
		ck_assert_str_eq(err.msg, msg);
}

START_TEST(serialize_round_trip)
{
	static const unsigned ps[] = {4, 9, 14, 18};

	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		struct hc_hll h, back;
		struct hc_buf b;
		struct hc_cursor c;
		struct hc_err err = {0};
		size_t m = (size_t)1 << ps[i];

		init_ok(&h, ps[i]);
		feed(&h, 1, 30000);
		hc_hll_add_hash(&h, 0); /* a saturated register */
		hc_buf_init(&b);
		ck_assert_int_eq(hc_hll_serialize(&h, &b), 0);
		ck_assert_int_eq(hc_buf_put_u8(&b, 0xAB), 0); /* what follows */
		ck_assert_uint_eq(b.len, 1 + m + 1);
		ck_assert_uint_eq(b.data[0], ps[i]);
		hc_cursor_init(&c, b.data, b.len);
		ck_assert_int_eq(hc_hll_deserialize(&back, &c, &err), 0);
		assert_same(&h, &back);
		ck_assert_uint_eq(hc_cursor_left(&c), 1);
		ck_assert_uint_eq(*c.p, 0xAB);
		hc_hll_release(&h);
		hc_hll_release(&back);
		hc_buf_release(&b);
	}
}
END_TEST

START_TEST(corrupt_short)
{
	struct hc_buf b;

	serialized(&b, 8, 1000);
	ck_assert_uint_eq(b.len, 257);
	assert_corrupt(b.data, 0, "hyperloglog sketch: truncated");
	assert_corrupt(b.data, 1, "hyperloglog sketch: truncated (0 of 256 register bytes)");
	for (size_t len = 2; len < b.len; len++)
		assert_corrupt(b.data, len, NULL);
	hc_buf_release(&b);
}
END_TEST

START_TEST(corrupt_p)
{
	static const uint8_t bad[] = {0, 3, 19, 64, 255};
	struct hc_buf b;

	serialized(&b, 8, 1000);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b.data[0] = bad[i];
		assert_corrupt(b.data, b.len, NULL);
	}
	b.data[0] = 19;
	assert_corrupt(b.data, b.len, "hyperloglog sketch: precision 19 is not between 4 and 18");
	/* p = 9 claims 512 registers: 256 are there */
	b.data[0] = 9;
	assert_corrupt(b.data, b.len, "hyperloglog sketch: truncated (256 of 512 register bytes)");
	hc_buf_release(&b);
}
END_TEST

/* A p = 8 register holds at most 57; 58 and above are corruption wherever
 * they are. */
START_TEST(corrupt_register)
{
	static const size_t at[] = {0, 1, 128, 255};
	struct hc_buf b;
	struct hc_hll h;
	struct hc_cursor c;
	struct hc_err err = {0};

	serialized(&b, 8, 1000);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		uint8_t keep = b.data[1 + at[i]];

		b.data[1 + at[i]] = 58;
		assert_corrupt(b.data, b.len, NULL);
		b.data[1 + at[i]] = 255;
		assert_corrupt(b.data, b.len, NULL);
		b.data[1 + at[i]] = 57;
		hc_cursor_init(&c, b.data, b.len);
		ck_assert_int_eq(hc_hll_deserialize(&h, &c, &err), 0);
		hc_hll_release(&h);
		b.data[1 + at[i]] = keep;
	}
	b.data[1 + 255] = 58;
	assert_corrupt(b.data, b.len, "hyperloglog sketch: register 255 holds 58, above 57");
	hc_buf_release(&b);
}
END_TEST

/* Random bytes overwritten and random truncations: a clean error or a
 * valid sketch, never a crash or an out-of-range register. */
START_TEST(corrupt_byte_flips)
{
	struct hc_buf b;
	uint64_t rng = 12345;

	serialized(&b, 6, 500);
	ck_assert_uint_eq(b.len, 65);
	for (int iter = 0; iter < 5000; iter++) {
		unsigned char copy[65];
		size_t len = sizeof(copy);
		struct hc_hll h;
		struct hc_cursor c;
		struct hc_err err = {0};
		int flips;

		memcpy(copy, b.data, sizeof(copy));
		rng = hash_int(iter, rng);
		flips = 1 + (int)(rng % 3);
		for (int f = 0; f < flips; f++)
			copy[(rng >> (8 + 8 * f)) % sizeof(copy)] = (unsigned char)(rng >> (32 + 8 * f));
		if (rng >> 63)
			len = (rng >> 40) % sizeof(copy);
		hc_cursor_init(&c, copy, len);
		if (hc_hll_deserialize(&h, &c, &err) != 0) {
			if (err.kind != HC_ERR_DATA)
				ck_abort_msg("iteration %d: %s", iter, err.msg);
			continue;
		}
		if (regs_above(&h, 65 - h.p) != 0 || isnan(hc_hll_estimate(&h)))
			ck_abort_msg("iteration %d: a bad sketch accepted", iter);
		hc_hll_release(&h);
	}
	hc_buf_release(&b);
}
END_TEST

START_TEST(deserialize_out_of_memory)
{
	struct hc_buf b;
	struct hc_hll h;
	struct hc_cursor c;
	struct hc_err err = {0};

	serialized(&b, 8, 1000);
	hc_cursor_init(&c, b.data, b.len);
	setenv("HICARD_FAIL_ALLOC", "1", 1);
	hc_mem_init_from_env();
	ck_assert_int_eq(hc_hll_deserialize(&h, &c, &err), -1);
	setenv("HICARD_FAIL_ALLOC", "0", 1);
	hc_mem_init_from_env();
	ck_assert_int_eq(err.kind, HC_ERR_NOMEM);
	ck_assert_ptr_null(h.reg);
	hc_buf_release(&b);
}
END_TEST

Suite *suite_hll(void)
{
	Suite *s = suite_create("hll");
	TCase *tc;

	tc = tcase_create("basics");
	tcase_add_test(tc, init_rejects_bad_p);
	tcase_add_test(tc, init_every_p);
	tcase_add_test(tc, add_index_and_rank);
	tcase_add_test(tc, init_out_of_memory);
	suite_add_tcase(s, tc);

	tc = tcase_create("accuracy");
	tcase_add_test(tc, tiny_counts_exact);
	tcase_add_test(tc, checkpoints_to_ten_million);
	tcase_add_test(tc, every_p_within_bound);
	tcase_add_test(tc, rmse_and_bias_over_seeds);
	suite_add_tcase(s, tc);

	tc = tcase_create("merge");
	tcase_add_test(tc, merge_equals_union);
	tcase_add_test(tc, merge_shards);
	tcase_add_test(tc, merge_rejects_other_p);
	suite_add_tcase(s, tc);

	tc = tcase_create("serialise");
	tcase_add_test(tc, serialize_round_trip);
	tcase_add_test(tc, corrupt_short);
	tcase_add_test(tc, corrupt_p);
	tcase_add_test(tc, corrupt_register);
	tcase_add_test(tc, corrupt_byte_flips);
	tcase_add_test(tc, deserialize_out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}
