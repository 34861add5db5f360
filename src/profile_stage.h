/* profile_stage.h - internal: one batch column's distinct values, counted
 *
 * An approximate column does not feed its sketches row by row: it first
 * collapses the batch's column into its distinct values with their counts
 * (in the order first seen), then feeds each once with its count as the
 * weight.  The per-value work (null and type checks, the top-k
 * update, the HyperLogLog register) then runs once per distinct value of
 * the batch instead of once per row: on the 10M-row mixed benchmark file
 * about a third as often.  The sketches' guarantees hold for weighted
 * adds; the values stay in the batch (nothing is copied).
 */
#ifndef HC_PROFILE_STAGE_H
#define HC_PROFILE_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/csv_read.h"

struct hc_stage_ent {
	uint64_t hash;  /* XXH3_64bits of the value */
	unsigned char key[16]; /* its first min(len, 16) bytes */
	uint32_t off;   /* the value: b->buf + off, len bytes (its first row) */
	uint32_t len;
	uint32_t count; /* rows of the batch with this value */
	uint32_t slot;  /* its index slot, to clear the index quickly */
};

struct hc_stage {
	uint32_t *slot;          /* open addressing: entry + 1, 0 = empty */
	size_t mask;             /* slots - 1 */
	struct hc_stage_ent *ent; /* ent[0..n), in order of first row */
	size_t n, cap;
};

/* Rows a stage takes at once: callers cut larger batches (a 1 MiB batch
 * of one-byte fields has half a million rows) into pieces of this many,
 * so a stage holds at most 40 bytes of entries and 8 of index per row of
 * it, about 800 KB; the benchmark file's batches (12500 rows) stay
 * whole. */
#define HC_STAGE_MAX_ROWS 16384

/* Fills s with the distinct values of column col of rows [first, first +
 * n) of batch b, n <= HC_STAGE_MAX_ROWS (s's previous contents dropped).
 * 0, or -1 (out of memory; s is then empty). */
int hc_stage_fill(struct hc_stage *s, const struct hc_csv_batch *b,
		  size_t col, size_t first, size_t n);
void hc_stage_release(struct hc_stage *s);

#endif
