/* quantile.h - KLL quantile sketch over doubles (Karnin, Lang, Liberty 2016)
 *
 * A mergeable quantile sketch with a bound on rank error that does not
 * depend on the data: with parameter k (default 200) the normalised rank
 * error of a single quantile is within 1.42 / k (0.71%) 99 times in 100,
 * and hc_quantile_rank_error reports 2.5 / k (1.25%), above the largest
 * error measured over 1000 sketches of 10^6 values (see quantile.c).
 * It holds at most 3k + 8H values in H <= log2(n) + 1 levels.
 *
 * Compaction keeps every other item of a sorted level, starting at a
 * random offset: the coin comes from a seeded generator inside the sketch,
 * so the same input and seed give the same sketch and the same answers.
 * NaN values are not to be added (callers count them apart): add ignores
 * them.
 */
#ifndef HC_QUANTILE_H
#define HC_QUANTILE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/err.h"

#define HC_QUANTILE_K_DEFAULT 200

struct hc_quantile; /* opaque */

/* NULL with err set (k below 8 or above 65535: HC_ERR_USAGE; memory). */
struct hc_quantile *hc_quantile_new(unsigned k, uint64_t seed,
				    struct hc_err *err);
void hc_quantile_free(struct hc_quantile *q);

/* Adds one value.  0, or -1 (memory). */
int hc_quantile_add(struct hc_quantile *q, double v);
/* Adds w copies of v: the same sketch, bit for bit, as w calls of
 * hc_quantile_add, without a call per copy.  0, or -1 (memory). */
int hc_quantile_add_n(struct hc_quantile *q, double v, uint64_t w);
uint64_t hc_quantile_count(const struct hc_quantile *q);
/* The value at normalised rank phi in [0, 1] (0: the minimum, 1: the
 * maximum, both exact).  NaN if the sketch is empty. */
double hc_quantile_get(const struct hc_quantile *q, double phi);
/* The normalised rank error the sketch guarantees (for reports): 0 while
 * nothing has been compacted (exact), else the bound for its k. */
double hc_quantile_rank_error(const struct hc_quantile *q);

/* dst = dst ∪ src (same k required).  -1 with err set. */
int hc_quantile_merge(struct hc_quantile *dst, const struct hc_quantile *src,
		      struct hc_err *err);

int hc_quantile_serialize(const struct hc_quantile *q, struct hc_buf *b);
struct hc_quantile *hc_quantile_deserialize(struct hc_cursor *c,
					    struct hc_err *err);

#endif
