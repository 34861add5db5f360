/* test_encode_fast.c - the fast paths of encode give the very same numbers
 * as the plain ones: folds drawn per batch, fold sums added in batches,
 * sized once up front or grown, and out-of-fold values from precomputed
 * folds; huge page advice leaves memory as it was
 */
#include <math.h>
#include <string.h>

#include "helpers.h"
#include "lib/hugepage.h"
#include "lib/mem.h"
#include "src/encode_target.h"
#include "suites.h"

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
	ck_assert_int_eq(!f->s2, !g->s2);
	for (size_t i = 0; i < f->nvals * f->k; i++) {
		ck_assert_uint_eq(f->c[i].n, g->c[i].n);
		ck_assert(same(f->c[i].s, g->c[i].s));
		ck_assert(!f->s2 || same(f->s2[i], g->s2[i]));
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
			hc_te_folds_values(g, ids, NROWS, 0, 5, smooth[s], woe, b);
			for (size_t i = 0; i < NROWS; i++)
				ck_assert(same(a[i], b[i]));
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
		ck_assert_uint_eq(g.cap, NVALS);
	}
	/* uneven batches, the first folded, the rest drawn from the seed */
	ck_assert_int_eq(hc_te_folds_add_folded(&g, ids, y, fold, 777, &err), 0);
	for (size_t i = 777; i < NROWS; i += 3001) {
		size_t n = NROWS - i < 3001 ? NROWS - i : 3001;

		ck_assert_int_eq(hc_te_folds_add_rows(&g, ids + i, y + i, n, i, 5, &err), 0);
	}
	if (reserve)
		ck_assert_uint_eq(g.cap, NVALS); /* no growth past a reservation */
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

	ck_assert_int_eq(hc_te_folds_init(&f, 3, 0, &err), 0);
	ck_assert_int_eq(hc_te_folds_add(&f, 5, 1, 1.0, &err), 0);
	ck_assert_uint_eq(f.cap, 1024);
	ck_assert_int_eq(hc_te_folds_reserve(&f, 10, &err), 0); /* has room */
	ck_assert_uint_eq(f.cap, 1024);
	ck_assert_int_eq(hc_te_folds_reserve(&f, 5000, &err), 0);
	ck_assert_uint_ge(f.cap, 5000);
	ck_assert_uint_eq(f.c[5 * 3 + 1].n, 1);
	ck_assert_uint_eq(f.c[4999 * 3 + 2].n, 0);
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
