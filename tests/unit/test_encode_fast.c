/* test_encode_fast.c - the fast paths of encode give the very same numbers
 * as the plain ones: numbers formatted as before (and read back within
 * 7 significant digits), folds drawn per batch, fold sums added in batches,
 * sized once up front or grown, and out-of-fold values from precomputed
 * folds; huge page advice leaves memory as it was
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lib/hugepage.h"
#include "lib/mem.h"
#include "src/encode_emit.h"
#include "src/encode_target.h"
#include "suites.h"

/* hc_enc_put_real as it was before hc_enc_format_real (llround, a
 * division by the power of ten, digits by remainder): the output of
 * encode must not change by a byte. */
static size_t format_before(char *out, double v)
{
	static const double p10[] = {
		1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	};
	static const uint64_t u10[] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
		1000000000, 10000000000ull,
	};
	char buf[40], *p = buf + sizeof(buf);
	double a = fabs(v);
	uint64_t m, ip, fp;
	int e, d, neg = v < 0;
	size_t n;

	if (v == 0)
		return (size_t)sprintf(out, "0");
	if (!(a >= 1e-4 && a < 1e15))
		return (size_t)snprintf(out, 40, "%.7g", v);
	if (a >= 1e6)
		return (size_t)sprintf(out, "%s%llu", neg ? "-" : "",
				       (unsigned long long)(uint64_t)(a + 0.5));
	for (e = 5; e > -4 && a < p10[e + 4]; e--)
		;
	d = 6 - e;
	m = (uint64_t)llround(a * (double)u10[d]);
	ip = m / u10[d];
	fp = m % u10[d];
	while (d > 0 && fp % 10 == 0) {
		fp /= 10;
		d--;
	}
	if (d > 0) {
		for (int i = 0; i < d; i++, fp /= 10)
			*--p = (char)('0' + fp % 10);
		*--p = '.';
	}
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	if (neg)
		*--p = '-';
	n = (size_t)(buf + sizeof(buf) - p);
	memcpy(out, p, n);
	return n;
}

/* v formats as before and reads back within half a unit of the 7th
 * significant digit (in the fixed range). */
static void check_real(double v)
{
	char a[HC_ENC_REAL_MAX + 1], b[64];
	size_t na = hc_enc_format_real(a, v), nb = format_before(b, v);
	double back, av = fabs(v);

	a[na] = '\0';
	b[nb] = '\0';
	if (na != nb || memcmp(a, b, na) != 0)
		ck_abort_msg("%.17g: '%s', was '%s'", v, a, b);
	back = strtod(a, NULL);
	if (av >= 1e-4 && av < 1e6)
		ck_assert_msg(fabs(back - v) <= 5.000001e-7 * av, "%.17g: '%s'", v, a);
	else if (av >= 1e6 && av < 1e15)
		ck_assert_msg(fabs(back - v) <= 0.5 + 1e-9 * av, "%.17g: '%s'", v, a);
}

START_TEST(reals_format_as_before)
{
	uint64_t rs = 99;
	static const double edge[] = {
		0.0, -0.0, 1e-4, 9.99999e-5, 0.00012345675, 0.99999995,
		0.999999949, 9.9999995, 999999.5, 999999.49, 1e6, 1e15,
		999999999999999.9, 0.5, 0.1, 0.3, 2.0 / 3.0, 1234567.5, 7e-5,
		1e300, -1e-300, 4.9e-324, 0.0000999999995,
	};

	for (size_t i = 0; i < sizeof(edge) / sizeof(*edge); i++) {
		check_real(edge[i]);
		check_real(-edge[i]);
	}
	check_real(NAN);
	check_real(INFINITY);
	check_real(-INFINITY);
	/* random digits times powers of ten, from 1e-7 to 1e16 */
	for (int i = 0; i < 500000; i++) {
		double mant = (double)(th_rand(&rs) % 100000000000ull) / 1e10;
		int k = (int)(th_rand(&rs) % 24) - 7;
		double v = mant * pow(10, k);

		check_real(th_rand(&rs) & 1 ? -v : v);
	}
	/* halfway cases: 7 digits and a 5 */
	for (int i = 0; i < 200000; i++) {
		double v = ((double)(th_rand(&rs) % 9000000 + 1000000) + 0.5) *
			   pow(10, (int)(th_rand(&rs) % 10) - 10);

		check_real(v);
	}
	/* random bit patterns: every exponent, NaNs, subnormals */
	for (int i = 0; i < 100000; i++) {
		uint64_t bits = th_rand(&rs);
		double v;

		memcpy(&v, &bits, sizeof(v));
		check_real(v);
	}
	/* the encodings of 0/1 targets: shares m/n */
	for (int n = 1; n <= 300; n++)
		for (int m = 0; m <= n; m++)
			check_real((double)m / n);
}
END_TEST

START_TEST(fold_rows_match_fold_of)
{
	uint8_t fold[3000];

	for (uint32_t k = 2; k <= HC_TE_FOLDS_MAX; k += 7) {
		hc_fold_rows(11, 123456789, k, 3000, fold);
		for (size_t i = 0; i < 3000; i++) {
			ck_assert_uint_eq(fold[i], hc_fold_of(11, 123456789 + i, k));
			ck_assert_uint_lt(fold[i], k);
		}
	}
}
END_TEST

#define NROWS 20000
#define NVALS 3000

/* Same bits, NaN included. */
static int same(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Random rows: ids below NVALS, targets 0/1 (binary) or otherwise some
 * other numbers from row 12000 on, and some rows without a target. */
static void rows(uint32_t *ids, double *y, int binary, uint64_t seed)
{
	uint64_t rs = seed;

	for (size_t i = 0; i < NROWS; i++) {
		ids[i] = (uint32_t)(th_rand(&rs) % NVALS);
		y[i] = (double)(th_rand(&rs) & 1);
		if (!binary && i >= 12000)
			y[i] = (double)(th_rand(&rs) % 1000) / 7.0;
		if (th_rand(&rs) % 50 == 0)
			y[i] = NAN;
	}
}

/* f (row by row) and g (batches) hold the same sums and give the same
 * out-of-fold values, bit for bit. */
static void check_same(const struct hc_te_folds *f, const struct hc_te_folds *g,
		       const uint32_t *ids, const uint8_t *fold)
{
	static double a[NROWS], b[NROWS];
	const double smooth[] = {HC_TE_SMOOTH_AUTO, 0, 2.5};

	ck_assert_uint_eq(f->nvals, g->nvals);
	ck_assert_int_eq(f->nonbinary, g->nonbinary);
	ck_assert_int_eq(!f->b, !g->b);
	for (size_t i = 0; i < f->nvals * f->k; i++) {
		uint32_t fn, gn;
		double fs, gs;

		hc_te_folds_cell(f, (uint32_t)(i / f->k), (uint32_t)(i % f->k), &fn, &fs);
		hc_te_folds_cell(g, (uint32_t)(i / f->k), (uint32_t)(i % f->k), &gn, &gs);
		ck_assert_uint_eq(fn, gn);
		ck_assert(same(fs, gs));
	}
	for (uint32_t j = 0; j < f->k; j++)
		ck_assert(same(f->gn[j], g->gn[j]) && same(f->gs[j], g->gs[j]) &&
			  same(f->gs2[j], g->gs2[j]));
	for (size_t s = 0; s < sizeof(smooth) / sizeof(*smooth); s++)
		for (int woe = 0; woe < 2; woe++) {
			hc_te_folds_values_folded(g, ids, fold, NROWS, smooth[s], woe, b);
			for (size_t i = 0; i < NROWS; i++) {
				a[i] = hc_te_folds_value(f, ids[i], fold[i], smooth[s], woe);
				ck_assert(same(a[i], b[i]));
			}
		}
}

/* Batch adds, into grown or reserved sums, equal row-by-row adds. */
static void batches_match_rows(int binary, int reserve)
{
	static uint32_t ids[NROWS];
	static double y[NROWS];
	static uint8_t fold[NROWS];
	struct hc_te_folds f, g;
	struct hc_err err;
	const uint32_t k = 5;

	rows(ids, y, binary, binary ? 17 : 18);
	hc_fold_rows(5, 0, k, NROWS, fold);
	ck_assert_int_eq(hc_te_folds_init(&f, k, 1, &err), 0);
	ck_assert_int_eq(hc_te_folds_init(&g, k, 1, &err), 0);
	for (size_t i = 0; i < NROWS; i++)
		if (y[i] == y[i])
			ck_assert_int_eq(hc_te_folds_add(&f, ids[i], fold[i], y[i], &err), 0);
	if (reserve) {
		ck_assert_int_eq(hc_te_folds_reserve(&g, NVALS, &err), 0);
		ck_assert_uint_ge(g.cap, NVALS);
		ck_assert_uint_lt(g.cap, NVALS + HC_TE_CHUNK);
	}
	/* uneven batches */
	ck_assert_int_eq(hc_te_folds_add_folded(&g, ids, y, fold, 777, &err), 0);
	for (size_t i = 777; i < NROWS; i += 3001) {
		size_t n = NROWS - i < 3001 ? NROWS - i : 3001;

		ck_assert_int_eq(hc_te_folds_add_folded(&g, ids + i, y + i, fold + i, n, &err), 0);
	}
	if (reserve)
		ck_assert_uint_lt(g.cap, NVALS + HC_TE_CHUNK); /* no growth past a reservation */
	check_same(&f, &g, ids, fold);
	hc_te_folds_release(&f);
	hc_te_folds_release(&g);
}

START_TEST(batch_sums_binary_grown)
{
	batches_match_rows(1, 0);
}
END_TEST

START_TEST(batch_sums_numeric_grown)
{
	batches_match_rows(0, 0);
}
END_TEST

START_TEST(batch_sums_binary_reserved)
{
	batches_match_rows(1, 1);
}
END_TEST

START_TEST(batch_sums_numeric_reserved)
{
	batches_match_rows(0, 1);
}
END_TEST

START_TEST(reserve_after_growth_and_no_op)
{
	struct hc_te_folds f;
	struct hc_err err;
	uint32_t n;
	double s;

	ck_assert_int_eq(hc_te_folds_init(&f, 3, 0, &err), 0);
	ck_assert_int_eq(hc_te_folds_add(&f, 5, 1, 1.0, &err), 0);
	ck_assert_uint_eq(f.cap, HC_TE_CHUNK);
	ck_assert_int_eq(hc_te_folds_reserve(&f, 10, &err), 0); /* has room */
	ck_assert_uint_eq(f.cap, HC_TE_CHUNK);
	ck_assert_int_eq(hc_te_folds_reserve(&f, 5 * HC_TE_CHUNK + 1, &err), 0);
	ck_assert_uint_eq(f.cap, 6 * HC_TE_CHUNK);
	hc_te_folds_cell(&f, 5, 1, &n, &s);
	ck_assert_uint_eq(n, 1);
	ck_assert(s == 1.0);
	hc_te_folds_cell(&f, 5 * HC_TE_CHUNK, 2, &n, &s);
	ck_assert_uint_eq(n, 0);
	hc_te_folds_release(&f);
}
END_TEST

START_TEST(huge_advice_keeps_contents)
{
	size_t n = (size_t)9 << 20, got;
	unsigned char *p = hc_malloc(n);

	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < n; i += 4093)
		p[i] = (unsigned char)(i * 7);
	got = hc_mem_advise_huge(p, n);
	ck_assert_uint_le(got, n);
	ck_assert_uint_eq(got % ((size_t)2 << 20), 0);
	for (size_t i = 0; i < n; i += 4093)
		ck_assert_uint_eq(p[i], (unsigned char)(i * 7));
	ck_assert_uint_eq(hc_mem_advise_huge(p, HC_HUGEPAGE_MIN - 1), 0);
	ck_assert_uint_eq(hc_mem_advise_huge(NULL, n), 0);
	hc_free(p);
}
END_TEST

Suite *suite_encode_fast(void)
{
	Suite *s = suite_create("encode_fast");
	TCase *tc = tcase_create("fast");

	tcase_add_test(tc, reals_format_as_before);
	tcase_add_test(tc, fold_rows_match_fold_of);
	tcase_add_test(tc, batch_sums_binary_grown);
	tcase_add_test(tc, batch_sums_numeric_grown);
	tcase_add_test(tc, batch_sums_binary_reserved);
	tcase_add_test(tc, batch_sums_numeric_reserved);
	tcase_add_test(tc, reserve_after_growth_and_no_op);
	tcase_add_test(tc, huge_advice_keeps_contents);
	suite_add_tcase(s, tc);
	return s;
}
