/* test_metrics.c - metrics against hand-computed values */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "src/metrics.h"
#include "suites.h"

#define EPS 1e-9

static double auc_of(const float *s, const float *y, const float *w, size_t n)
{
	struct hc_err err = {0};
	double a = -1;

	ck_assert_int_eq(hc_metric_auc(s, y, w, n, &a, &err), 0);
	return a;
}

START_TEST(test_auc)
{
	/* 3 of 4 positive-negative pairs ordered right. */
	const float s1[] = {0.1f, 0.4f, 0.35f, 0.8f}, y1[] = {0, 0, 1, 1};
	/* Pairs (pos 0.5, 0.9) x (neg 0.2, 0.5): 1 + 0.5 + 1 + 1 = 3.5 of 4. */
	const float s2[] = {0.2f, 0.5f, 0.5f, 0.9f}, y2[] = {0, 1, 0, 1};
	const float s3[] = {0.5f, 0.5f, 0.5f, 0.5f};
	/* Weight 2 on the 0.4 negative: the same as that row twice:
	 * (pos 0.35, 0.8) x (neg 0.1, 0.4, 0.4): 1+0+0 + 1+1+1 = 4 of 6. */
	const float w1[] = {1, 2, 1, 1};
	const float yone[] = {1, 1, 1, 1};

	ck_assert_double_eq_tol(auc_of(s1, y1, NULL, 4), 0.75, EPS);
	ck_assert_double_eq_tol(auc_of(s2, y2, NULL, 4), 0.875, EPS);
	ck_assert_double_eq_tol(auc_of(s3, y2, NULL, 4), 0.5, EPS);
	ck_assert_double_eq_tol(auc_of(s1, y1, w1, 4), 4.0 / 6.0, EPS);
	ck_assert(isnan(auc_of(s1, yone, NULL, 4)));
	ck_assert(isnan(auc_of(s1, y1, NULL, 0)));
}
END_TEST

START_TEST(test_pointwise)
{
	const float p[] = {0.9f, 0.2f, 0.6f}, y[] = {1, 0, 0};
	const float pred[] = {1, 2, 3}, t[] = {1, 3, 5}, w[] = {1, 1, 2};

	ck_assert_double_eq_tol(hc_metric_logloss(p, y, NULL, 2),
				(-log(0.9f) - log(0.8f)) / 2, 1e-7);
	ck_assert_double_eq_tol(hc_metric_accuracy(p, y, NULL, 3), 2.0 / 3, EPS);
	ck_assert_double_eq_tol(hc_metric_rmse(pred, t, NULL, 3), sqrt(5.0 / 3), EPS);
	ck_assert_double_eq_tol(hc_metric_mae(pred, t, NULL, 3), 1.0, EPS);
	/* Weighted: (0 + 1 + 2*4) / 4 and (0 + 1 + 2*2) / 4. */
	ck_assert_double_eq_tol(hc_metric_rmse(pred, t, w, 3), sqrt(9.0 / 4), EPS);
	ck_assert_double_eq_tol(hc_metric_mae(pred, t, w, 3), 5.0 / 4, EPS);
	/* Clipping keeps a confident miss finite. */
	const float p0[] = {0.0f}, y1[] = {1};
	ck_assert_double_eq_tol(hc_metric_logloss(p0, y1, NULL, 1), -log(1e-15), 1e-6);
	ck_assert(isnan(hc_metric_rmse(pred, t, NULL, 0)));
}
END_TEST

START_TEST(test_rank)
{
	struct hc_rank_acc a, b;
	const uint32_t top1[] = {5, 2, 9}, test1[] = {2, 7};
	const uint32_t top2[] = {1, 2, 3}, test2[] = {1, 2, 3, 4, 5};
	double g = 1.0 / log2(3.0), g3 = 1.0 / log2(4.0);

	hc_rank_acc_init(&a, 3);
	ck_assert(isnan(hc_rank_recall(&a)));
	/* User 1: one hit at rank 2 of 2 test items. */
	hc_rank_acc_add(&a, top1, 3, test1, 2);
	ck_assert_double_eq_tol(hc_rank_recall(&a), 0.5, EPS);
	ck_assert_double_eq_tol(hc_rank_recall_gh(&a), 0.5, EPS);
	ck_assert_double_eq_tol(hc_rank_ndcg(&a), g / (1 + g), EPS);
	ck_assert_double_eq_tol(hc_rank_hitrate(&a), 1.0, EPS);
	/* User 2: 3 hits of 5: recall 0.6, GraphHash's 3/min(3,5) = 1. */
	hc_rank_acc_init(&b, 3);
	hc_rank_acc_add(&b, top2, 3, test2, 5);
	/* A user without test items is not counted. */
	hc_rank_acc_add(&b, top2, 3, test2, 0);
	ck_assert_uint_eq(b.users, 1);
	ck_assert_double_eq_tol(hc_rank_ndcg(&b), 1.0, EPS);
	hc_rank_acc_merge(&a, &b);
	ck_assert_double_eq_tol(hc_rank_recall(&a), (0.5 + 0.6) / 2, EPS);
	ck_assert_double_eq_tol(hc_rank_recall_gh(&a), (0.5 + 1.0) / 2, EPS);
	ck_assert_double_eq_tol(hc_rank_ndcg(&a), (g / (1 + g) + 1) / 2, EPS);
	/* A miss everywhere, and a short list. */
	hc_rank_acc_init(&b, 3);
	hc_rank_acc_add(&b, top1 + 2, 1, test2, 5);
	ck_assert_double_eq_tol(hc_rank_hitrate(&b), 0.0, EPS);
	hc_rank_acc_init(&b, 3);
	hc_rank_acc_add(&b, top2 + 2, 1, test2, 5);
	ck_assert_double_eq_tol(hc_rank_ndcg(&b), 1.0 / (1 + g + g3), EPS);
}
END_TEST

START_TEST(test_topk)
{
	const float s[] = {0.5f, 0.9f, 0.5f, -INFINITY, 0.7f, 0.1f};
	uint32_t top[10], hi[10];
	float hs[10];

	ck_assert_uint_eq(hc_topk_scores(s, 6, 3, top, hs, hi), 3);
	ck_assert_uint_eq(top[0], 1);
	ck_assert_uint_eq(top[1], 4);
	ck_assert_uint_eq(top[2], 0);
	/* More room than items: the masked one is left out, ties by index. */
	ck_assert_uint_eq(hc_topk_scores(s, 6, 10, top, hs, hi), 5);
	ck_assert_uint_eq(top[2], 0);
	ck_assert_uint_eq(top[3], 2);
	ck_assert_uint_eq(top[4], 5);
	ck_assert_uint_eq(hc_topk_scores(s, 6, 0, top, hs, hi), 0);
	/* Many equal scores: the lowest indices win. */
	float e[100];
	for (int i = 0; i < 100; i++)
		e[i] = 1.0f;
	ck_assert_uint_eq(hc_topk_scores(e, 100, 4, top, hs, hi), 4);
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_uint_eq(top[i], i);
}
END_TEST

Suite *suite_metrics(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_auc);
	tcase_add_test(tc, test_pointwise);
	tcase_add_test(tc, test_rank);
	tcase_add_test(tc, test_topk);
	suite_add_tcase(s, tc);
	return s;
}
