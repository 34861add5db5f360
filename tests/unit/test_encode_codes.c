/* test_encode_codes.c - binary and resbit codes: lengths, round trips of
 * every category for n = 1..1000, every pattern and random real vectors
 * decoding to a valid category (the nearest one, checked by brute force)
 */
#include <math.h>
#include <string.h>

#include "helpers.h"
#include "src/encode_codes.h"
#include "suites.h"

START_TEST(code_lengths)
{
	ck_assert_uint_eq(hc_code_bits(1), 1);
	ck_assert_uint_eq(hc_code_bits(2), 1);
	ck_assert_uint_eq(hc_code_bits(3), 2);
	ck_assert_uint_eq(hc_code_bits(4), 2);
	ck_assert_uint_eq(hc_code_bits(5), 3);
	ck_assert_uint_eq(hc_code_bits(1000), 10);
	ck_assert_uint_eq(hc_code_bits(1024), 10);
	ck_assert_uint_eq(hc_code_bits(1025), 11);
	ck_assert_uint_eq(hc_code_bits((uint64_t)1 << 32), 32);
}
END_TEST

/* Bits as levels: 0/1 or -1/+1. */
static void levels(const uint8_t *bits, unsigned L, int sgn, double *x)
{
	for (unsigned i = 0; i < L; i++)
		x[i] = bits[i] ? 1.0 : (sgn ? -1.0 : 0.0);
}

START_TEST(round_trip_every_category)
{
	uint8_t bits[HC_CODE_BITS_MAX];
	double x[HC_CODE_BITS_MAX];

	for (uint64_t n = 1; n <= 1000; n++) {
		unsigned L = hc_code_bits(n);

		for (uint64_t c = 0; c < n; c++)
			for (int sgn = 0; sgn < 2; sgn++) {
				hc_binary_encode(c, L, bits);
				levels(bits, L, sgn, x);
				ck_assert_uint_eq(hc_binary_decode(x, L, n, sgn), c);
				hc_resbit_encode(c, n, L, bits);
				levels(bits, L, sgn, x);
				ck_assert_uint_eq(hc_resbit_decode(x, L, n, sgn), c);
			}
	}
}
END_TEST

/* resbit: distinct categories have distinct codes, and a power-of-two n
 * gives exactly the binary code. */
START_TEST(resbit_codes_distinct)
{
	uint8_t a[HC_CODE_BITS_MAX], b[HC_CODE_BITS_MAX];

	for (uint64_t n = 2; n <= 64; n++) {
		unsigned L = hc_code_bits(n);

		for (uint64_t c = 0; c < n; c++) {
			hc_resbit_encode(c, n, L, a);
			for (uint64_t d = c + 1; d < n; d++) {
				hc_resbit_encode(d, n, L, b);
				ck_assert(memcmp(a, b, L) != 0);
			}
			if ((n & (n - 1)) == 0) {
				hc_binary_encode(c, L, b);
				ck_assert(memcmp(a, b, L) == 0);
			}
		}
	}
	/* n = 5: [0,5) -> [0,3) [3,5); category 2 is "01" and a pad bit. */
	hc_resbit_encode(2, 5, 3, a);
	ck_assert(a[0] == 0 && a[1] == 1 && a[2] == 0);
	hc_resbit_encode(4, 5, 3, a);
	ck_assert(a[0] == 1 && a[1] == 1 && a[2] == 0);
}
END_TEST

/* Every 0/1 pattern of L bits decodes to a category below n. */
START_TEST(every_pattern_is_valid)
{
	double x[HC_CODE_BITS_MAX];

	for (uint64_t n = 1; n <= 300; n++) {
		unsigned L = hc_code_bits(n);

		for (uint64_t v = 0; v < ((uint64_t)1 << L); v++) {
			for (unsigned i = 0; i < L; i++)
				x[i] = (double)((v >> (L - 1 - i)) & 1);
			ck_assert_uint_lt(hc_binary_decode(x, L, n, 0), n);
			ck_assert_uint_lt(hc_resbit_decode(x, L, n, 0), n);
		}
	}
}
END_TEST

static double dist(const double *x, const uint8_t *bits, unsigned L, int sgn)
{
	double d = 0;

	for (unsigned i = 0; i < L; i++) {
		double lv = bits[i] ? 1.0 : (sgn ? -1.0 : 0.0);
		d += (x[i] - lv) * (x[i] - lv);
	}
	return d;
}

/* Random real vectors: always valid; binary gives the nearest valid code
 * (brute force over all n), resbit the leaf of the rounded bits. */
START_TEST(random_vectors_decode_to_nearest)
{
	uint64_t rs = 42;
	uint8_t bits[HC_CODE_BITS_MAX];
	double x[HC_CODE_BITS_MAX];

	for (int t = 0; t < 20000; t++) {
		uint64_t n = 1 + th_rand(&rs) % 200;
		unsigned L = hc_code_bits(n);
		int sgn = (int)(th_rand(&rs) & 1);
		uint64_t got, best = 0;
		double bd = INFINITY;

		for (unsigned i = 0; i < L; i++)
			x[i] = (double)(th_rand(&rs) >> 11) / 9007199254740992.0 * 3.0 - 1.0;
		got = hc_binary_decode(x, L, n, sgn);
		ck_assert_uint_lt(got, n);
		for (uint64_t c = 0; c < n; c++) {
			hc_binary_encode(c, L, bits);
			if (dist(x, bits, L, sgn) < bd) {
				bd = dist(x, bits, L, sgn);
				best = c;
			}
		}
		hc_binary_encode(got, L, bits);
		ck_assert_msg(fabs(dist(x, bits, L, sgn) - bd) < 1e-12,
			      "n=%llu: decoded %llu, nearest %llu", (unsigned long long)n,
			      (unsigned long long)got, (unsigned long long)best);
		got = hc_resbit_decode(x, L, n, sgn);
		ck_assert_uint_lt(got, n);
		/* The leaf's code agrees with the rounded bits on every bit
		 * the walk reads, so no category is nearer in that metric. */
		hc_resbit_encode(got, n, L, bits);
		for (unsigned i = 0, lo = 0, hi = (unsigned)n; i < L && hi - lo > 1; i++) {
			unsigned mid = lo + (hi - lo + 1) / 2;
			int r = x[i] > (sgn ? 0.0 : 0.5);
			ck_assert_int_eq(bits[i], r);
			if (r)
				lo = mid;
			else
				hi = mid;
		}
	}
}
END_TEST

START_TEST(nan_and_extremes_decode_valid)
{
	double x[4] = {NAN, 1e300, -1e300, NAN};

	ck_assert_uint_lt(hc_binary_decode(x, 3, 5, 0), 5);
	ck_assert_uint_lt(hc_resbit_decode(x, 3, 5, 1), 5);
	ck_assert_uint_lt(hc_binary_decode(x, 4, 9, 1), 9);
}
END_TEST

Suite *suite_encode_codes(void)
{
	Suite *s = suite_create("encode_codes");
	TCase *tc = tcase_create("codes");

	tcase_add_test(tc, code_lengths);
	tcase_add_test(tc, round_trip_every_category);
	tcase_add_test(tc, resbit_codes_distinct);
	tcase_add_test(tc, every_pattern_is_valid);
	tcase_add_test(tc, random_vectors_decode_to_nearest);
	tcase_add_test(tc, nan_and_extremes_decode_valid);
	suite_add_tcase(s, tc);
	return s;
}
