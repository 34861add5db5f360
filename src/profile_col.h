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
#include "src/quantile.h"
#include "src/topk.h"

struct hc_colprof {
	char *name;
	uint64_t rows, nulls;
	uint64_t type_count[HC_TYPE_COUNT];

	int exact;                /* the map below is complete */
	struct hc_strmap map;     /* exact: value -> id */
	uint64_t *cnt;            /* exact: per id, rows */
	double *tsum;             /* exact, with a target: per id, target sum */
	uint64_t *tcnt;           /* exact, with a target: rows with a target */
	size_t cap;               /* of cnt, tsum, tcnt */

	struct hc_hll hll;        /* always */
	struct hc_topk *topk;     /* approximate only */
	struct hc_quantile *q;    /* numeric values */

	uint64_t nnum;            /* numeric values: Welford moments */
	double mean, m2, min, max;
	uint64_t len_min, len_max, len_sum;
};

struct hc_profile {
	struct hc_profile_opts o;
	char **nulls;             /* owned copies of o.nulls */
	size_t ncols;
	struct hc_colprof *cols;
	uint64_t rows;
	uint64_t target_rows;     /* rows with a target value */
	double target_sum, target_sum2;
	int target_binary;        /* every target seen is 0 or 1 */
};

/* Bytes an exact column holds (for the memory budget). */
size_t hc_colprof_bytes(const struct hc_colprof *c);

#endif
