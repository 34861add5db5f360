/* metrics.h - evaluation metrics: classification, regression, retrieval
 *
 * Pure functions over arrays; nothing here knows of models or files.
 * Weights are optional everywhere (NULL: every row weighs 1).  A metric
 * that is undefined on its input (AUC with one class, anything on zero
 * rows or zero total weight) returns NaN, which callers report as null.
 *
 * Retrieval metrics are accumulated user by user (struct hc_rank_acc) and
 * averaged over the users that have at least one test item:
 *   recall@K     hits / |test items|                  (the usual definition)
 *   recall_gh@K  hits / min(K, |test items|)          (GraphHash's, which
 *                                                       reaches 1 for a user
 *                                                       with more than K)
 *   ndcg@K       DCG / ideal DCG, binary relevance, gain 1/log2(rank + 1)
 *                with ranks from 1; the ideal ranks min(K, |test|) hits first
 *   hitrate@K    1 if any test item is in the top K, else 0
 */
#ifndef HC_METRICS_H
#define HC_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

/* Exact area under the ROC curve for labels y (positive: y > 0.5):
 * the probability that a random positive scores above a random negative,
 * ties counting one half (so it equals the Mann-Whitney U statistic),
 * weighted.  O(n log n); allocates an index.  NaN with one class only;
 * -1 with err set when out of memory. */
int hc_metric_auc(const float *score, const float *y, const float *w,
		  size_t n, double *auc, struct hc_err *err);
/* Mean log loss of probabilities p against 0/1 labels, p clipped to
 * [1e-15, 1 - 1e-15]. */
double hc_metric_logloss(const float *p, const float *y, const float *w,
			 size_t n);
/* Share of rows whose (p > 0.5) equals (y > 0.5). */
double hc_metric_accuracy(const float *p, const float *y, const float *w,
			  size_t n);
double hc_metric_rmse(const float *pred, const float *y, const float *w,
		      size_t n);
double hc_metric_mae(const float *pred, const float *y, const float *w,
		     size_t n);

/* ---- retrieval ------------------------------------------------------- */

struct hc_rank_acc {
	size_t k;
	uint64_t users;  /* users with at least one test item */
	double recall, recall_gh, ndcg, hitrate; /* sums over users */
};

void hc_rank_acc_init(struct hc_rank_acc *a, size_t k);
/* Adds one user: top holds the user's ranked list (best first, at most
 * a->k entries, fewer if fewer items could be ranked), test the user's
 * test items sorted ascending and distinct.  Users with no test item are
 * skipped. */
void hc_rank_acc_add(struct hc_rank_acc *a, const uint32_t *top, size_t ntop,
		     const uint32_t *test, size_t ntest);
/* Adds another accumulator's sums (the same k). */
void hc_rank_acc_merge(struct hc_rank_acc *a, const struct hc_rank_acc *b);
/* Means over users (NaN with no user). */
double hc_rank_recall(const struct hc_rank_acc *a);
double hc_rank_recall_gh(const struct hc_rank_acc *a);
double hc_rank_ndcg(const struct hc_rank_acc *a);
double hc_rank_hitrate(const struct hc_rank_acc *a);

/* An incremental top k: push (score, index) pairs in increasing index,
 * then finish.  s and i have room for k entries (the caller's). */
struct hc_topk_heap {
	size_t k, m;
	float *s;
	uint32_t *i;
};

void hc_topk_push_slow(struct hc_topk_heap *h, float s, uint32_t i);
static inline void hc_topk_push(struct hc_topk_heap *h, float s, uint32_t i)
{
	/* Later items lose ties: only a strictly higher score gets in. */
	if (h->m == h->k && !(s > h->s[0]))
		return;
	hc_topk_push_slow(h, s, i);
}
/* Writes the kept indices best first into top; returns their count and
 * empties h. */
size_t hc_topk_finish(struct hc_topk_heap *h, uint32_t *top);

/* The k best of n scores (ties: the lower index first), best first, into
 * top (room for k); returns how many (min(k, n) minus those with score
 * -INFINITY, which marks masked items).  heap is scratch for k entries. */
size_t hc_topk_scores(const float *score, size_t n, size_t k, uint32_t *top,
		      float *heap_s, uint32_t *heap_i);

#endif
