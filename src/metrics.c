/* metrics.c - evaluation metrics; see metrics.h
 *
 * AUC is computed exactly by sorting once and walking groups of equal
 * scores: a positive beats every negative below its group and half of the
 * negatives inside it (the Mann-Whitney form), so ties cost nothing extra
 * and the result does not depend on how the sort orders equal scores.
 * Sums are in double: with 1e9 rows of weight 1 a float sum would stop
 * moving.
 */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>

#include "lib/mem.h"

#define LOGLOSS_EPS 1e-15

struct scored {
	float s;
	uint32_t pad;
	double wpos, wneg;
};

static int cmp_scored(const void *a, const void *b)
{
	float x = ((const struct scored *)a)->s, y = ((const struct scored *)b)->s;

	return (x > y) - (x < y);
}

int hc_metric_auc(const float *score, const float *y, const float *w,
		  size_t n, double *auc, struct hc_err *err)
{
	struct scored *v = hc_mallocarray(n ? n : 1, sizeof(*v));
	double neg_below = 0, num = 0, P = 0, N = 0;

	if (!v)
		return hc_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		int pos = y[i] > 0.5f;

		v[i].s = score[i];
		v[i].wpos = pos ? wi : 0;
		v[i].wneg = pos ? 0 : wi;
		P += v[i].wpos;
		N += v[i].wneg;
	}
	qsort(v, n, sizeof(*v), cmp_scored);
	for (size_t i = 0; i < n;) {
		double gp = 0, gn = 0;
		size_t j = i;

		for (; j < n && v[j].s == v[i].s; j++) {
			gp += v[j].wpos;
			gn += v[j].wneg;
		}
		num += gp * neg_below + 0.5 * gp * gn;
		neg_below += gn;
		i = j;
	}
	hc_free(v);
	*auc = P > 0 && N > 0 ? num / (P * N) : NAN;
	return 0;
}

double hc_metric_logloss(const float *p, const float *y, const float *w,
			 size_t n)
{
	double sum = 0, wsum = 0;

	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		double q = p[i];

		if (q < LOGLOSS_EPS)
			q = LOGLOSS_EPS;
		if (q > 1 - LOGLOSS_EPS)
			q = 1 - LOGLOSS_EPS;
		sum -= wi * (y[i] > 0.5f ? log(q) : log1p(-q));
		wsum += wi;
	}
	return wsum > 0 ? sum / wsum : NAN;
}

double hc_metric_accuracy(const float *p, const float *y, const float *w,
			  size_t n)
{
	double ok = 0, wsum = 0;

	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;

		ok += (p[i] > 0.5f) == (y[i] > 0.5f) ? wi : 0;
		wsum += wi;
	}
	return wsum > 0 ? ok / wsum : NAN;
}

double hc_metric_rmse(const float *pred, const float *y, const float *w,
		      size_t n)
{
	double sum = 0, wsum = 0;

	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0, d = (double)pred[i] - y[i];

		sum += wi * d * d;
		wsum += wi;
	}
	return wsum > 0 ? sqrt(sum / wsum) : NAN;
}

double hc_metric_mae(const float *pred, const float *y, const float *w,
		     size_t n)
{
	double sum = 0, wsum = 0;

	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;

		sum += wi * fabs((double)pred[i] - y[i]);
		wsum += wi;
	}
	return wsum > 0 ? sum / wsum : NAN;
}

/* ---- retrieval ------------------------------------------------------- */

void hc_rank_acc_init(struct hc_rank_acc *a, size_t k)
{
	a->k = k;
	a->users = 0;
	a->recall = a->recall_gh = a->ndcg = a->hitrate = 0;
}

static int sorted_has(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

void hc_rank_acc_add(struct hc_rank_acc *a, const uint32_t *top, size_t ntop,
		     const uint32_t *test, size_t ntest)
{
	double dcg = 0, idcg = 0;
	size_t hits = 0, ideal = ntest < a->k ? ntest : a->k;

	if (ntest == 0)
		return;
	if (ntop > a->k)
		ntop = a->k;
	for (size_t r = 0; r < ntop; r++)
		if (sorted_has(test, ntest, top[r])) {
			hits++;
			dcg += 1.0 / log2((double)r + 2.0);
		}
	for (size_t r = 0; r < ideal; r++)
		idcg += 1.0 / log2((double)r + 2.0);
	a->users++;
	a->recall += (double)hits / (double)ntest;
	a->recall_gh += (double)hits / (double)ideal;
	a->ndcg += dcg / idcg;
	a->hitrate += hits > 0;
}

void hc_rank_acc_merge(struct hc_rank_acc *a, const struct hc_rank_acc *b)
{
	a->users += b->users;
	a->recall += b->recall;
	a->recall_gh += b->recall_gh;
	a->ndcg += b->ndcg;
	a->hitrate += b->hitrate;
}

static double mean(double sum, uint64_t n)
{
	return n ? sum / (double)n : NAN;
}

double hc_rank_recall(const struct hc_rank_acc *a) { return mean(a->recall, a->users); }
double hc_rank_recall_gh(const struct hc_rank_acc *a) { return mean(a->recall_gh, a->users); }
double hc_rank_ndcg(const struct hc_rank_acc *a) { return mean(a->ndcg, a->users); }
double hc_rank_hitrate(const struct hc_rank_acc *a) { return mean(a->hitrate, a->users); }

/* ---- top k ------------------------------------------------------------ */

/* A min-heap of the k best so far, its root the worst of them.  Items come
 * in increasing index, so a later item with an equal score is worse than
 * every kept item of that score: "better" is a strictly higher score while
 * scanning, and (score desc, index asc) when sorting the result. */
static int worse(float sa, uint32_t ia, float sb, uint32_t ib)
{
	return sa < sb || (sa == sb && ia > ib);
}

static void sift_down(float *hs, uint32_t *hi, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && worse(hs[l], hi[l], hs[m], hi[m]))
			m = l;
		if (r < n && worse(hs[r], hi[r], hs[m], hi[m]))
			m = r;
		if (m == i)
			return;
		float ts = hs[i];
		uint32_t ti = hi[i];
		hs[i] = hs[m];
		hi[i] = hi[m];
		hs[m] = ts;
		hi[m] = ti;
		i = m;
	}
}

static void sift_up(float *hs, uint32_t *hi, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!worse(hs[i], hi[i], hs[p], hi[p]))
			return;
		float ts = hs[i];
		uint32_t ti = hi[i];
		hs[i] = hs[p];
		hi[i] = hi[p];
		hs[p] = ts;
		hi[p] = ti;
		i = p;
	}
}

void hc_topk_push_slow(struct hc_topk_heap *h, float s, uint32_t i)
{
	if (h->k == 0 || s == -INFINITY || s != s)
		return;
	if (h->m < h->k) {
		h->s[h->m] = s;
		h->i[h->m] = i;
		sift_up(h->s, h->i, h->m++);
		return;
	}
	h->s[0] = s;
	h->i[0] = i;
	sift_down(h->s, h->i, h->m, 0);
}

size_t hc_topk_finish(struct hc_topk_heap *h, uint32_t *top)
{
	size_t m = h->m;

	/* Pop worst first into the back of top. */
	for (size_t left = m; left > 0; left--) {
		top[left - 1] = h->i[0];
		h->s[0] = h->s[left - 1];
		h->i[0] = h->i[left - 1];
		sift_down(h->s, h->i, left - 1, 0);
	}
	h->m = 0;
	return m;
}

size_t hc_topk_scores(const float *score, size_t n, size_t k, uint32_t *top,
		      float *hs, uint32_t *hi)
{
	struct hc_topk_heap h = {k, 0, hs, hi};

	for (size_t i = 0; i < n; i++)
		hc_topk_push(&h, score[i], (uint32_t)i);
	return hc_topk_finish(&h, top);
}
