/* hll.h - HyperLogLog distinct-count sketch
 *
 * Flajolet, Fusy, Gandouet, Meunier (2007), with Ertl's improved raw
 * estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", 2017), which is unbiased from 0 to far beyond 2^32 without
 * the empirical bias tables of HLL++, so small counts need no special case.
 * 2^p one-byte registers; relative standard error about 1.04 / sqrt(2^p)
 * (p = 14: 0.81% in 16 KiB).  Merge is the register-wise maximum, so
 * shards sketched apart and merged equal one sketch of the whole.
 *
 * Callers pass 64-bit hashes (XXH3 of the value), so one hash can feed
 * several structures.  The register index is the top p bits of the hash;
 * the rank is counted in the remaining 64 - p bits.
 */
#ifndef HC_HLL_H
#define HC_HLL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/err.h"

#define HC_HLL_P_MIN 4
#define HC_HLL_P_MAX 18
#define HC_HLL_P_DEFAULT 14

struct hc_hll {
	unsigned p;
	uint8_t *reg; /* 2^p registers */
};

/* 0, or -1 with err set (p out of range: HC_ERR_USAGE; out of memory). */
int hc_hll_init(struct hc_hll *h, unsigned p, struct hc_err *err);
void hc_hll_release(struct hc_hll *h);
void hc_hll_clear(struct hc_hll *h);

static inline void hc_hll_add_hash(struct hc_hll *h, uint64_t hash)
{
	uint64_t idx = hash >> (64 - h->p);
	/* rank = leading zeros of the remaining bits + 1; a sentinel bit
	 * caps it at 64 - p + 1 when they are all zero */
	uint64_t rest = (hash << h->p) | ((uint64_t)1 << (h->p - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);

	if (rank > h->reg[idx])
		h->reg[idx] = rank;
}

/* Starts loading the register hash would update (for loops over many
 * values: the add some iterations later then finds it in cache). */
static inline void hc_hll_prefetch(const struct hc_hll *h, uint64_t hash)
{
	__builtin_prefetch(&h->reg[hash >> (64 - h->p)], 1);
}

/* The cardinality estimate. */
double hc_hll_estimate(const struct hc_hll *h);
/* The relative standard error, 1.04 / sqrt(2^p). */
double hc_hll_rse(const struct hc_hll *h);
/* dst = dst ∪ src.  Both must have the same p: -1 with err set if not. */
int hc_hll_merge(struct hc_hll *dst, const struct hc_hll *src,
		 struct hc_err *err);

/* Serialised form: u8 p, then 2^p register bytes.  0, or -1 when b's
 * allocation failed. */
int hc_hll_serialize(const struct hc_hll *h, struct hc_buf *b);
/* Reads what hc_hll_serialize wrote (h must be unused): -1 with err set
 * (HC_ERR_DATA) on a bad p, a short buffer or a register above 64 - p + 1. */
int hc_hll_deserialize(struct hc_hll *h, struct hc_cursor *c,
		       struct hc_err *err);

#endif
