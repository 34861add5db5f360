/* rank.h - ordering many counted values when only the first few need their
 * full order
 *
 * A column's report ranks every distinct value by count, but only the top
 * k are printed with their values; coverage, entropy and the Zipf fit read
 * the counts in decreasing order and nothing else.  Sorting a million
 * values with a comparison that reads their bytes (ties are broken by
 * value) took most of the report's time, on one thread after the scan.
 * These two do the same job in O(n log k) and O(n) instead: a selection of
 * the top k, and a radix sort of the counts alone.  The result is the same
 * as a full sort: for any order in which ties are fully broken, the first
 * k items and the sequence of counts are determined.
 */
#ifndef HC_RANK_H
#define HC_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "src/topk.h"

/* Sorts v[0..n) into decreasing order, in place (MSD radix sort on bytes,
 * from the highest byte the largest value uses; no scratch array, which
 * for a million counts was 8 MB at the report's memory peak). */
void hc_rank_counts_desc(uint64_t *v, size_t n);

/* The first min(k, n) items of items[0..n) in the order of cmp (a total
 * order: no two items compare equal), sorted, into out.  Returns their
 * number.  items is not changed. */
size_t hc_rank_top(const struct hc_topk_item *items, size_t n, size_t k,
		   int (*cmp)(const void *, const void *),
		   struct hc_topk_item *out);

/* hc_rank_top with the items offered one at a time, for a caller that
 * has no array of them all (an exact column's million values come from
 * its map; an array of them took 32 bytes each at the report's memory
 * peak).  heap has room for k items; *m (0 at first) counts those it
 * holds.  After the last offer, hc_rank_offer_end sorts heap[0..m): the
 * same items in the same order as hc_rank_top. */
void hc_rank_offer(struct hc_topk_item *heap, size_t *m, size_t k,
		   const struct hc_topk_item *it,
		   int (*cmp)(const void *, const void *));
void hc_rank_offer_end(struct hc_topk_item *heap, size_t m,
		       int (*cmp)(const void *, const void *));

#endif
