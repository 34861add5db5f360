/* profile.h - column profiles: types, nulls, distinct counts, top values
 *
 * The core of `hicard profile`.  Rows arrive in batches (lib/csv_read.h);
 * each column keeps:
 *   - type counts and null count (null tokens are configurable);
 *   - distinct values counted exactly in a string map while all exact
 *     columns together fit the memory budget; past it, the column holding
 *     the most memory switches to a HyperLogLog for its distinct count and
 *     a Misra-Gries top-k sketch (seeded with the exact counts so far, heaviest
 *     first) for its top values.  A HyperLogLog is fed from the first row
 *     either way, so the switch loses nothing;
 *   - Welford moments and a KLL sketch of numeric values, byte lengths;
 *   - with a target, per-value target sums (exact mode only).
 * An approximate column collapses each batch to its distinct values and
 * feeds each to its sketches once, with its count as the weight (see
 * profile_stage.h); the sketches' bounds hold for weighted adds.  The
 * Top-k counts and KLL quantiles then depend on where batches
 * start (as the moment a column leaves exact counting does), which is
 * fixed by the input's bytes alone (lib/csv_read.h reads whole 1 MiB
 * chunks, from a pipe too): the same input gives the same report, however
 * it arrives and whatever the number of threads.
 * Profiles serialise and merge, so shards profiled apart and merged give
 * the whole file's result: exactly while exact, within the sketches'
 * bounds once approximate.
 *
 * The report is a cJSON document whose keys man/hicard-profile.1 lists.
 */
#ifndef HC_PROFILE_H
#define HC_PROFILE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/csv_read.h"
#include "lib/err.h"
#include "lib/progress.h"
#include "lib/team.h"

struct hc_profile_opts {
	uint64_t memory;     /* bytes for exact counting, all columns */
	unsigned hll_p;      /* HyperLogLog precision */
	size_t k;            /* top values reported */
	int approx;          /* sketches from the first row */
	const char *const *nulls; /* null tokens (besides the empty value) */
	size_t nnulls;
	long target;         /* the target column's index, or -1 */
	double collision;    /* collision rate for the hashing advice */
	uint64_t seed;       /* for the quantile sketches' coins */
};

/* Top-k (Misra-Gries) capacity per approximate column: enough to rank the top
 * 1000 values (the coverage report) with an error of at most N/10000. */
#define HC_PROFILE_TOPK_CAPACITY 10000

struct hc_profile;

/* A profile of ncols columns named names (copied).  NULL with err set. */
struct hc_profile *hc_profile_new(const struct hc_profile_opts *o,
				  size_t ncols, const char *const *names,
				  struct hc_err *err);
void hc_profile_free(struct hc_profile *p);
/* Column j is column col (0-based) of the file: the report's "index"
 * (default j; a selection sets it, a merged state keeps its order). */
void hc_profile_set_position(struct hc_profile *p, size_t j, size_t col);

/* Adds the rows of a batch: profile column j reads the batch's field
 * cols[j].  target (NULL without a target column) holds one value per row
 * of the batch, NaN where the row has none.  0, or -1 with err set (out of
 * memory). */
int hc_profile_add_batch(struct hc_profile *p, const struct hc_csv_batch *b,
			 const size_t *cols, const double *target,
			 struct hc_err *err);

/* The same in two steps, for threads: hc_profile_add_column touches only
 * column j's state, so calls for different columns may run at once; then
 * one hc_profile_end_batch counts the rows and enforces the memory budget
 * (always after every column of the batch, so results do not depend on
 * the number of threads), with room for what the next batch, of
 * next_rows rows (0: none), is expected to add.  add_column returns 0, or
 * -1 (out of memory).  hc_profile_add_batch expects no next batch. */
int hc_profile_add_column(struct hc_profile *p, size_t j,
			  const struct hc_csv_batch *b, size_t src_col,
			  const double *target);
int hc_profile_end_batch(struct hc_profile *p, const struct hc_csv_batch *b,
			 const double *target, size_t next_rows,
			 struct hc_err *err);

uint64_t hc_profile_rows(const struct hc_profile *p);
size_t hc_profile_ncols(const struct hc_profile *p);

/* Reads every batch of csv into p (src/profile_scan.c): profile column j
 * is CSV column cols[j]; target_col is the target's CSV column, or -1.
 * With a team, columns are counted on its workers while the next batch is
 * read, and on this thread after that (so a team of one worker less than
 * the threads wanted keeps them all busy); without, on this thread.  prog
 * (may be NULL) is updated per batch.
 * 0, or -1 with err set (a CSV error, a target that is not a finite
 * number, out of memory). */
int hc_profile_scan(struct hc_profile *p, struct hc_csv_reader *csv,
		    const size_t *cols, long target_col, struct hc_team *team,
		    struct hc_progress *prog, struct hc_err *err);

/* Sets order[0..n) to the indices 0..n-1 by decreasing cost, ties by
 * index: the order in which hc_profile_scan hands out columns. */
void hc_profile_order_by_cost(const double *cost, size_t n, size_t *order);

/* The report.  NULL with err set (out of memory). */
cJSON *hc_profile_report(const struct hc_profile *p, struct hc_err *err);

/* dst = dst ∪ src: same columns (by name and order) and options needed. */
int hc_profile_merge(struct hc_profile *dst, const struct hc_profile *src,
		     struct hc_err *err);

/* The whole profiling state, for `--sketch-out` and `--merge`. */
int hc_profile_serialize(const struct hc_profile *p, struct hc_buf *b);
/* o supplies what the state does not fix (the memory budget, k, nulls are
 * taken from the state).  NULL with err set (HC_ERR_DATA: corrupted). */
struct hc_profile *hc_profile_deserialize(struct hc_cursor *c,
					  uint64_t memory,
					  struct hc_err *err);

#endif
