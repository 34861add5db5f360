/* encode_target.h - target statistics: smoothed means, weight of evidence,
 * K-fold cross fitting and ordered (CatBoost-style) statistics
 *
 * A value's statistics are n (rows with a target), s (sum of targets) and
 * s2 (sum of squares); the prior comes from the same sums over all rows.
 *
 *   m-estimate (smooth = a >= 0):  (s + a * prior) / (n + a)
 *   auto (smooth = HC_TE_SMOOTH_AUTO), scikit-learn's TargetEncoder:
 *       lambda = n * var / (n * var + var_v)
 *       te = lambda * s / n + (1 - lambda) * prior
 *     with var the population variance of all targets and var_v that of
 *     the value's rows; te = prior when n = 0 or both variances are 0.
 *   woe (binary targets), with a the m-estimate weight (1 under auto):
 *       ln((s + a * p) / (n - s + a * (1 - p))) - ln(p / (1 - p))
 *     0 when p is 0 or 1.
 *
 * Out of fold: row r belongs to fold hc_fold_of(seed, r, k) (a hash of
 * the row number, so folds need no second look at the data) and is
 * encoded from the sums of the other folds, prior included, as
 * scikit-learn does.  Ordered: rows in a seeded random order, each encoded
 * from the rows before it (CatBoost), with the prior of all rows.
 */
#ifndef HC_ENCODE_TARGET_H
#define HC_ENCODE_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define HC_TE_SMOOTH_AUTO (-1.0)
/* Bounds that keep every sum and encoding finite: a target is at most
 * HC_TE_TARGET_MAX in size (so squares and sums over 2^64 rows stay
 * below 1e220) and a fixed smoothing at most HC_TE_SMOOTH_MAX. */
#define HC_TE_TARGET_MAX 1e100
#define HC_TE_SMOOTH_MAX 1e12
/* Most folds: each value keeps sums per fold. */
#define HC_TE_FOLDS_MAX 100

/* Prior and variance of a set of targets. */
struct hc_te_global {
	double prior, var;
};

void hc_te_global_init(struct hc_te_global *g, double n, double s, double s2);
double hc_te_value(double n, double s, double s2, const struct hc_te_global *g,
		   double smooth);
double hc_woe_value(double n, double s, const struct hc_te_global *g,
		    double smooth);

/* Fold of row (0-based) among k, from a keyed hash. */
uint32_t hc_fold_of(uint64_t seed, uint64_t row, uint32_t k);

/* Per-value, per-fold target sums for cross fitting.  s2 is kept only for
 * auto smoothing, and only once a target other than 0 or 1 arrives (for
 * 0/1 targets s2 = s, so it is made from s then).  While every target is
 * 0 or 1, a value's sum in a fold is a count too: the cells are then two
 * 32-bit counts (8 bytes, b), and become (s, n) cells of a double and a
 * count (12 bytes, c) at the first other target.  The sums, and so every
 * encoding, are the same either way (whole numbers below 2^53 add up
 * exactly in doubles). */
/* A value's rows and target sum in one fold; packed so that the K folds
 * of a value share one or two cache lines (12 bytes each). */
struct hc_te_cell {
	double s;
	uint32_t n;
} __attribute__((packed));

/* The same for 0/1 targets: rows, and rows with target 1. */
struct hc_te_bcell {
	uint32_t n, s;
};

/* Cells come in chunks of HC_TE_CHUNK values, allocated zeroed as ids
 * reach them: growing neither copies nor clears what is there, and only
 * the chunks of values seen are ever touched (a first touch of a page is
 * what costs, in a virtual machine above all). */
#define HC_TE_CHUNK_BITS 14
#define HC_TE_CHUNK ((size_t)1 << HC_TE_CHUNK_BITS)

struct hc_te_folds {
	uint32_t k;
	int need_s2;
	size_t nvals, cap;     /* cap: values with cells (whole chunks) */
	size_t nchunks, chunks_cap;
	/* per chunk: [(id % HC_TE_CHUNK) * k + fold] */
	struct hc_te_bcell **b; /* while every target is 0/1; then NULL */
	struct hc_te_cell **c;  /* after */
	double **s2;
	double *gn, *gs, *gs2; /* per fold, all values */
	int nonbinary;
};

/* 0, or -1 with err set. */
int hc_te_folds_init(struct hc_te_folds *f, uint32_t k, int need_s2,
		     struct hc_err *err);
void hc_te_folds_release(struct hc_te_folds *f);
/* The count and target sum of value id (below f->cap) in fold. */
void hc_te_folds_cell(const struct hc_te_folds *f, uint32_t id, uint32_t fold,
		      uint32_t *n, double *s);
/* Adds target y of a row of value id in fold.  0, or -1 (out of memory). */
int hc_te_folds_add(struct hc_te_folds *f, uint32_t id, uint32_t fold,
		    double y, struct hc_err *err);
/* The out-of-fold encoding of value id (or UINT32_MAX: a value with no
 * target row) for a row of fold; woe selects the weight of evidence. */
double hc_te_folds_value(const struct hc_te_folds *f, uint32_t id,
			 uint32_t fold, double smooth, int woe);

/* Batch forms: rows with value ids[i], target y[i] (NaN: none) and fold
 * fold[i] (below f->k; a caller with several columns draws the folds of
 * a batch once, hc_fold_rows); the cache lines of values some rows ahead
 * are prefetched.  add: 0, or -1 with err set.  values: out[i] gets row
 * i's out-of-fold encoding. */
int hc_te_folds_add_folded(struct hc_te_folds *f, const uint32_t *ids,
			   const double *y, const uint8_t *fold, size_t n,
			   struct hc_err *err);
void hc_te_folds_values_folded(const struct hc_te_folds *f,
			       const uint32_t *ids, const uint8_t *fold,
			       size_t n, double smooth, int woe, double *out);
/* fold[i] = hc_fold_of(seed, row0 + i, k) for i < n; k at most
 * HC_TE_FOLDS_MAX. */
void hc_fold_rows(uint64_t seed, uint64_t row0, uint32_t k, size_t n,
		  uint8_t *fold);
/* Room for values 0 .. nvals - 1 (zeroed; whole chunks).  0, or -1 with
 * err set. */
int hc_te_folds_reserve(struct hc_te_folds *f, size_t nvals,
			struct hc_err *err);

/* Ordered statistics.  ids[r] is row r's value id (below nvals), y[r] its
 * target (NaN: none; such a row is encoded but adds nothing).  out[r] gets
 * the encoding of row r from the rows before it in a permutation drawn
 * from seed.  0, or -1 with err set. */
int hc_te_ordered(const uint32_t *ids, const double *y, size_t nrows,
		  size_t nvals, const struct hc_te_global *g, double smooth,
		  int woe, uint64_t seed, float *out, struct hc_err *err);

#endif
