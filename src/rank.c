/* rank.c - top-k selection and a radix sort of counts; see rank.h
 *
 * The selection keeps the k best items seen so far in a heap whose root is
 * the worst of them: a later item enters only if it beats the root, and
 * on skewed or tied counts most items are turned away by their count
 * alone (the comparison reads a value's bytes only for equal counts).
 */
#include "src/rank.h"

#include <stdlib.h>
#include <string.h>

void hc_rank_counts_desc(uint64_t *v, uint64_t *tmp, size_t n)
{
	uint64_t max = 0, *src = v, *dst = tmp;
	unsigned passes = 0;

	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	while (passes < 8 && max >> (8 * passes))
		passes++;
	for (unsigned p = 0; p < passes; p++) {
		size_t pos[256] = {0}, sum = 0;
		unsigned shift = 8 * p;

		/* Digits are complemented, so ascending digits give
		 * descending counts; the pass is stable, as LSD needs. */
		for (size_t i = 0; i < n; i++)
			pos[255 - ((src[i] >> shift) & 255)]++;
		for (unsigned d = 0; d < 256; d++) {
			size_t c = pos[d];
			pos[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[pos[255 - ((src[i] >> shift) & 255)]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

/* Restores the heap (root = the item that sorts last) below slot i. */
static void sift_down(struct hc_topk_item *h, size_t i, size_t n,
		      int (*cmp)(const void *, const void *))
{
	struct hc_topk_item x = h[i];

	for (size_t c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && cmp(&h[c + 1], &h[c]) > 0)
			c++;
		if (cmp(&h[c], &x) <= 0)
			break;
		h[i] = h[c];
	}
	h[i] = x;
}

size_t hc_rank_top(const struct hc_topk_item *items, size_t n, size_t k,
		   int (*cmp)(const void *, const void *),
		   struct hc_topk_item *out)
{
	size_t m = k < n ? k : n;

	if (m == 0)
		return 0;
	memcpy(out, items, m * sizeof(*out));
	for (size_t i = m / 2; i-- > 0;)
		sift_down(out, i, m, cmp);
	for (size_t i = m; i < n; i++)
		if (cmp(&items[i], &out[0]) < 0) {
			out[0] = items[i];
			sift_down(out, 0, m, cmp);
		}
	qsort(out, m, sizeof(*out), cmp);
	return m;
}

/* Restores the heap above slot i (a new item at the end). */
static void sift_up(struct hc_topk_item *h, size_t i,
		    int (*cmp)(const void *, const void *))
{
	struct hc_topk_item x = h[i];

	for (size_t up; i > 0 && cmp(&h[up = (i - 1) / 2], &x) < 0; i = up)
		h[i] = h[up];
	h[i] = x;
}

void hc_rank_offer(struct hc_topk_item *heap, size_t *m, size_t k,
		   const struct hc_topk_item *it,
		   int (*cmp)(const void *, const void *))
{
	if (*m < k) {
		heap[*m] = *it;
		sift_up(heap, (*m)++, cmp);
	} else if (k && cmp(it, &heap[0]) < 0) {
		heap[0] = *it;
		sift_down(heap, 0, k, cmp);
	}
}

void hc_rank_offer_end(struct hc_topk_item *heap, size_t m,
		       int (*cmp)(const void *, const void *))
{
	qsort(heap, m, sizeof(*heap), cmp);
}
