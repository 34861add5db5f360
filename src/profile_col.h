/* profile_col.h - internal: one column's profiling state
 *
 * Shared by profile.c (adding, merging, serialising) and profile_report.c
 * (turning the state into numbers); not for use outside src/profile*.
 */
#ifndef HC_PROFILE_COL_H
#define HC_PROFILE_COL_H

#include <stdint.h>

#include "lib/strmap.h"
#include "src/coltype.h"
#include "src/hll.h"
#include "src/profile.h"
#include "src/profile_stage.h"
#include "src/quantile.h"
#include "src/topk.h"

/* An exact column holds only its map: value -> count (the map's inline
 * value), null tokens and the empty value included, and per-value target
 * sums.  Everything else (nulls, types, lengths, numbers, the sketches)
 * is a function of the value, derived once per distinct value when it is
 * needed (hc_colprof_derive) instead of once per row.  An approximate
 * column keeps those statistics row by row, with its sketches. */
struct hc_colprof {
	char *name;
	size_t position;          /* 0-based column of the file (the report's index) */
	uint64_t rows;

	int exact;                /* the map below is complete */
	struct hc_strmap map;     /* exact: value -> count */
	size_t keys_before;       /* exact: values in the map a batch ago */
	double *tsum;             /* exact, with a target: per id, target sum */
	uint64_t *tcnt;           /* exact, with a target: rows with a target */
	size_t cap;               /* of tsum and tcnt */

	/* approximate only (derived on demand while exact) */
	uint64_t nulls;
	uint64_t type_count[HC_TYPE_COUNT];
	uint64_t nnum;            /* numeric values: weighted Welford moments */
	double mean, m2, min, max;
	uint64_t len_min, len_max, len_sum;
	struct hc_hll hll;
	struct hc_topk *topk;
	struct hc_quantile *q;
	struct hc_stage stage;    /* a batch's distinct values (add_column) */
};

struct hc_profile {
	struct hc_profile_opts o;
	char **nulls;             /* owned copies of o.nulls */
	size_t *nlen;             /* their lengths */
	size_t ncols;
	struct hc_colprof *cols;
	uint64_t rows;
	uint64_t target_rows;     /* rows with a target value */
	double target_sum, target_sum2;
	int target_binary;        /* every target seen is 0 or 1 */
};

/* Bytes an exact column would hold (for the memory budget) once `more`
 * new values are in: 0 for none. */
size_t hc_colprof_bytes(const struct hc_colprof *c, size_t more);
/* Whether value s is null (empty, or one of the null tokens). */
int hc_profile_is_null(const struct hc_profile *p, const char *s, size_t len);
/* The approximate-mode statistics of an exact column (nulls, types,
 * lengths, numeric count, min and max) computed from its map into d. */
void hc_colprof_derive(const struct hc_profile *p, const struct hc_colprof *c,
		       struct hc_colprof *d);

#endif
