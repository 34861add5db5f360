/* rank.c - top-k selection and an in-place radix sort of counts; see rank.h
 *
 * The selection keeps the k best items seen so far in a heap whose root is
 * the worst of them: a later item enters only if it beats the root, and
 * on skewed or tied counts most items are turned away by their count
 * alone (the comparison reads a value's bytes only for equal counts).
 */
#include "src/rank.h"

#include <stdlib.h>
#include <string.h>

/* Digits are complemented, so that ascending digits give descending
 * values. */
static unsigned digit(uint64_t x, unsigned shift)
{
	return 255 - (unsigned)((x >> shift) & 255);
}

/* American flag sort: each byte, from the highest one in use, deals the
 * values into 256 buckets in place (every value is moved straight to its
 * bucket's next free place, displacing the one there), then each bucket
 * is sorted on the next byte; short buckets by insertion. */
static void flag_sort(uint64_t *v, size_t n, unsigned shift)
{
	size_t cnt[256] = {0}, next[256], end[256], sum = 0;

	if (n < 32) {
		for (size_t i = 1; i < n; i++) {
			uint64_t x = v[i];
			size_t j = i;
			for (; j > 0 && v[j - 1] < x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		cnt[digit(v[i], shift)]++;
	for (unsigned d = 0; d < 256; d++) {
		next[d] = sum;
		sum += cnt[d];
		end[d] = sum;
	}
	for (unsigned d = 0; d < 256; d++)
		while (next[d] < end[d]) {
			uint64_t x = v[next[d]];
			unsigned dx;
			while ((dx = digit(x, shift)) != d) {
				uint64_t y = v[next[dx]];
				v[next[dx]++] = x;
				x = y;
			}
			v[next[d]++] = x;
		}
	if (shift == 0)
		return;
	for (unsigned d = 0; d < 256; d++)
		if (cnt[d] > 1)
			flag_sort(v + end[d] - cnt[d], cnt[d], shift - 8);
}

void hc_rank_counts_desc(uint64_t *v, size_t n)
{
	uint64_t max = 0;
	unsigned shift = 0;

	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	while (shift < 56 && max >> (shift + 8))
		shift += 8;
	flag_sort(v, n, shift);
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
