/* hash_stats.h - how a hashing scheme treated a column's values (--stats)
 *
 * Per column: rows, distinct values, the buckets they used, the share of
 * distinct values whose ids are also another value's ids (a collision:
 * their embeddings will be shared), the share of rows carrying such a
 * value, and what uniform hashing of the same distinct values into the
 * same number of buckets with one id would give, the baseline every
 * scheme is compared with.  For graph schemes, the share of distinct
 * values and of rows found in the map.
 *
 * Exact: one entry per distinct value (its ids and row count), so --stats
 * costs memory in proportion to the distinct values, which the manual
 * says.
 */
#ifndef HC_HASH_STATS_H
#define HC_HASH_STATS_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/strmap.h"
#include "src/hash_scheme.h"

struct hc_hash_stats {
	struct hc_strmap values;  /* value -> rows (value slot) */
	uint32_t *ids;            /* per value: stride ids, unused = UINT32_MAX */
	uint8_t *nids;            /* per value: its number of ids */
	size_t cap;
	uint32_t stride;          /* most ids one value gets */
	uint64_t rows;
	uint64_t found_rows;      /* graph: rows whose value is in the map */
};

void hc_hash_stats_init(struct hc_hash_stats *s, uint32_t stride);
void hc_hash_stats_release(struct hc_hash_stats *s);

/* Records one row's value and its ids.  0, or -1 (out of memory). */
int hc_hash_stats_add(struct hc_hash_stats *s, const struct hc_col_hasher *h,
		      const char *v, size_t len, const uint32_t *ids,
		      size_t n, struct hc_err *err);

/* The column's figures as a JSON object (NULL when out of memory). */
cJSON *hc_hash_stats_json(const struct hc_hash_stats *s,
			  const struct hc_col_hasher *h, const char *column);

/* Uniform hashing of n values into m buckets: expected buckets used, and
 * the expected share of values that share their bucket. */
double hc_uniform_used(double n, double m);
double hc_uniform_shared(double n, double m);

#endif
