/* hash_scheme.h - value -> bucket ids, by the hashing schemes of the research
 *
 * One column's hasher turns a value's bytes into one or more u32 ids below
 * the column's id space.  The formulas (man/hicard-hash.1 states them for
 * users), with H(s, v) = XXH3_64bits_withSeed(v, s) and, for a column named
 * c and the run's seed, the per-probe salts s_p = H(seed + p, c):
 *
 *   mod               H(s_0, v) mod m
 *   multiplex         H(s_p, v) mod m for p = 0..k-1; one m for all columns
 *   double            H(s_0, v) mod m, H(s_1, v) mod m
 *   frequency         the F = min(floor(cutoff * m), distinct) most frequent
 *                     values: their rank 0..F-1; others F + H(s_0, v) mod (m-F)
 *   double-frequency  frequent: their rank (one id); others two ids,
 *                     F + H(s_0, v) mod (m-F) and F + H(s_1, v) mod (m-F)
 *   graph             the value's cluster 0..K-1 from the map; values not in
 *                     it K + H(s_0, v) mod o (o overflow buckets)
 *   double-graph      the graph id, then H(s_1, v) mod (K + o)
 *   vocab             the value's rank 0..V-1 among values seen at least
 *                     min-count times; others V (one out-of-vocabulary id)
 *   modulo            the value read as a whole number n >= 0: n mod m
 *
 * Ranks order values by count, most frequent first, ties by value bytes:
 * the same counts give the same ids on any machine.  XXH3 is specified
 * byte for byte, so ids are too.  The key of a value (frame key columns)
 * is H(0, v): seedless and column-less, the same in every file.
 */
#ifndef HC_HASH_SCHEME_H
#define HC_HASH_SCHEME_H

#include <stddef.h>
#include <stdint.h>
#include <xxhash.h>

#include "lib/err.h"
#include "lib/strmap.h"

#define HC_HASH_PROBES_MAX 16 /* ids one value may get */

enum hc_scheme {
	HC_SCHEME_MOD,
	HC_SCHEME_MULTIPLEX,
	HC_SCHEME_DOUBLE,
	HC_SCHEME_FREQUENCY,
	HC_SCHEME_DOUBLE_FREQUENCY,
	HC_SCHEME_GRAPH,
	HC_SCHEME_DOUBLE_GRAPH,
	HC_SCHEME_VOCAB,
	HC_SCHEME_MODULO,
};

const char *hc_scheme_name(enum hc_scheme s);
/* 0, or -1 with err set (HC_ERR_USAGE, naming the schemes). */
int hc_scheme_parse(const char *name, enum hc_scheme *s, struct hc_err *err);
/* Whether the scheme ranks values by count (frequency, double-frequency,
 * vocab) or reads a cluster map (graph, double-graph). */
int hc_scheme_counts(enum hc_scheme s);
int hc_scheme_graph(enum hc_scheme s);

static inline uint64_t hc_hash64(uint64_t seed, const void *v, size_t len)
{
	return XXH3_64bits_withSeed(v, len, seed);
}

/* The key of a value: H(0, v). */
static inline uint64_t hc_hash_key(const void *v, size_t len)
{
	return XXH3_64bits(v, len);
}

/* One column's hasher. */
struct hc_col_hasher {
	enum hc_scheme scheme;
	uint64_t m;          /* buckets (mod, multiplex, double, frequency, modulo) */
	uint32_t probes;     /* ids per value (multiplex) */
	uint64_t salt[HC_HASH_PROBES_MAX];
	/* Ranked and mapped values: the strmap's value slot holds the id. */
	struct hc_strmap table;
	int has_table;
	uint64_t ntable;     /* F (frequency), V (vocab), K (graph) */
	uint64_t overflow;   /* graph: o */
	uint64_t space;      /* every id is below it */
	uint32_t arity;      /* ids per value; 0 = variable (double-frequency) */
};

/* Starts a hasher for column name: salts from seed, m and probes as the
 * scheme uses them.  Counting and graph schemes then need
 * hc_col_hasher_rank or hc_col_hasher_map before use. */
void hc_col_hasher_init(struct hc_col_hasher *h, enum hc_scheme scheme,
			const char *name, uint64_t seed, uint64_t m,
			uint32_t probes);
void hc_col_hasher_release(struct hc_col_hasher *h);

/* Counting schemes: ranks the values of counts (a strmap whose value slots
 * hold counts) and builds the table.  frequency: F = min(floor(cutoff*m),
 * distinct, m - 1); vocab: values with count >= min_count.  0, or -1 with
 * err set (out of memory). */
int hc_col_hasher_rank(struct hc_col_hasher *h, const struct hc_strmap *counts,
		       double cutoff, uint64_t min_count, struct hc_err *err);

/* Graph schemes: takes clusters (a strmap whose value slots hold cluster
 * ids below k; moved into h and left empty) and the overflow size. */
void hc_col_hasher_map(struct hc_col_hasher *h, struct hc_strmap *clusters,
		       uint64_t k, uint64_t overflow);

/* The ids of value v into ids[HC_HASH_PROBES_MAX]: their count (>= 1), or
 * -1 for modulo when v is not a whole number from 0 to 2^64-1. */
int hc_col_hash(const struct hc_col_hasher *h, const char *v, size_t len,
		uint32_t *ids);

#endif
