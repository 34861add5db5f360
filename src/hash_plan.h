/* hash_plan.h - which columns `hicard hash` hashes, with how many buckets
 *
 * Kept apart from cmd/hash.c so that the rules (a column is hashed, or the
 * label, or carried as a number, never two of these; every hashed column
 * has a bucket count) are unit-tested without argv.
 */
#ifndef HC_HASH_PLAN_H
#define HC_HASH_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/select.h"

/* The columns of a run, as 0-based CSV column indices. */
struct hc_hash_cols {
	long label, weight;         /* or -1 */
	struct hc_selection hashed; /* in selection order */
	struct hc_selection num;
};

/* Resolves the column options against the CSV's names: select (NULL: every
 * column that is not the label, the weight or numeric), label, weight and
 * num (each may be NULL).  0, or -1 with err set (HC_ERR_USAGE). */
int hc_hash_cols_plan(struct hc_hash_cols *c, const char *const *names,
		      size_t ncols, const char *select, const char *label,
		      const char *weight, const char *num, struct hc_err *err);
void hc_hash_cols_release(struct hc_hash_cols *c);

/* Bucket counts from a --buckets SPEC for the n hashed columns named
 * names[]: "N" for all, "NAME=N,..." per column, or both ("N,NAME=M": N
 * for the columns not named).  Counts are 1 to 2^32.  0, or -1 with err
 * set (HC_ERR_USAGE): a bad number, an unknown or repeated name, a column
 * left without a count. */
int hc_buckets_parse(const char *spec, const char *const *names, size_t n,
		     uint64_t *m, struct hc_err *err);

#endif
