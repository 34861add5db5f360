/* topk.h - heavy hitters over strings: Misra-Gries with batched decrements
 *
 * Keeps a floor D and at most 2 * capacity counters, each an upper bound
 * `count` of its value's true count with an `error` (count - error is a
 * lower bound).  A new value starts at D + w with error D; when all
 * counters are in use, the capacity-th largest count - D is subtracted from
 * every counter (D grows by it) and those no longer above D are dropped.
 * Guarantees, for a stream of N items and capacity k: D <= N / k; every
 * value with true count > N / k is among the top k reported; for each held
 * value count - error <= true count <= count, with error <= D.  Updates
 * are O(1) amortised, with no linked lists (see topk.c for the proof).
 *
 * The sketch's logical content, which top, serialisation and merge use,
 * is its k largest counters with floor max(D, the (k+1)-th count).
 *
 * Merge (Agarwal et al., "Mergeable summaries", 2012): counts and errors of
 * equal values add; a value missing from one side is charged that side's
 * floor (as count and as error); the largest `capacity` counters are kept
 * and the floor becomes max(D1 + D2, the next count).  The bound after
 * merging is (N1 + N2) / capacity.
 *
 * Ownership: the sketch owns copies of the values it holds.
 */
#ifndef HC_TOPK_H
#define HC_TOPK_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/err.h"

struct hc_topk; /* opaque */

struct hc_topk_item {
	const char *value; /* owned by the sketch; valid until it changes */
	size_t len;
	uint64_t count;    /* an upper bound of the true count */
	uint64_t error;    /* count - error is a lower bound */
};

/* NULL with err set (capacity 0 or above 2^24: HC_ERR_USAGE; memory). */
struct hc_topk *hc_topk_new(size_t capacity, struct hc_err *err);
void hc_topk_free(struct hc_topk *t);

/* Counts one occurrence (weight w >= 1) of value.  0, or -1 (memory). */
int hc_topk_add(struct hc_topk *t, const char *value, size_t len, uint64_t w);
/* The same for a caller that has the value's XXH3_64bits hash (seed 0)
 * and uses it elsewhere too, so that each value is hashed once. */
int hc_topk_add_hashed(struct hc_topk *t, const char *value, size_t len,
		       uint64_t hash, uint64_t w);
/* For loops over many values, as lib/strmap.h's pair: start loading the
 * index slot a value of this hash probes first, and, some iterations
 * later (when that slot has arrived), the counter it names if its hash
 * matches.  Hints only: nothing changes. */
void hc_topk_prefetch(const struct hc_topk *t, uint64_t hash);
void hc_topk_prefetch_counter(const struct hc_topk *t, uint64_t hash);

/* Items seen in all (the N of the bound) and the bound N/capacity (0
 * while the sketch is exact: fewer distinct values than capacity seen). */
uint64_t hc_topk_total(const struct hc_topk *t);
uint64_t hc_topk_max_error(const struct hc_topk *t);
size_t hc_topk_capacity(const struct hc_topk *t);
/* Bytes of memory the sketch holds (for memory budgets); O(capacity + the
 * bytes of the held values), whatever the number of values seen. */
size_t hc_topk_bytes(const struct hc_topk *t);

/* The top min(k, capacity) held items by count (ties: by smaller error,
 * then by value's bytes), into items[0..n); returns n.  The array is the caller's;
 * value pointers stay valid until the next add or merge. */
size_t hc_topk_top(const struct hc_topk *t, size_t k,
		   struct hc_topk_item *items);

/* dst = merge(dst, src); capacities must be equal.  -1 with err set. */
int hc_topk_merge(struct hc_topk *dst, const struct hc_topk *src,
		  struct hc_err *err);

/* Serialised form (version 2; the Space-Saving form had no floor): u32
 * capacity, u64 total, u64 floor, u32 n <= capacity, then n items of (u32
 * len, bytes, u64 count, u64 error) in hc_topk_top order. */
int hc_topk_serialize(const struct hc_topk *t, struct hc_buf *b);
struct hc_topk *hc_topk_deserialize(struct hc_cursor *c, struct hc_err *err);

#endif
