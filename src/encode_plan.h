/* encode_plan.h - the state a fit starts from: encoders per column
 *
 * Ownership: the plan holds the caller's strings; the state returned owns
 * copies of what it keeps.
 */
#ifndef HC_ENCODE_PLAN_H
#define HC_ENCODE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "src/encode_state.h"
#include "src/hash_scheme.h"

/* The fitting options of a run. */
struct hc_enc_plan {
	const char *cols[HC_ENC_NKINDS]; /* per encoder: a -s style list or NULL */
	const char *target;              /* the label column, or NULL */
	struct hc_enc_params p;
	/* the hash encoder */
	enum hc_scheme scheme;
	const char *buckets;             /* N, or NAME=N,...; NULL: 1 each (vocab) */
	uint32_t probes;
	double cutoff;
	uint64_t seed;
	/* the bins encoder: N, or NAME=N,... (as --buckets); NULL: 10 each */
	const char *nbins;
	/* a multiclass target: its labels, comma-separated; NULL: numeric
	 * ("auto" is the caller's: hc_enc_auto_classes) */
	const char *classes;
};

/* A new, empty state for the columns of a CSV header (names, n) that the
 * plan's lists select, in file order, each with the union of its
 * encoders; binned columns get their --nbins and a sketch seed (the
 * plan's seed plus the column's place in the state).  NULL with err set
 * (HC_ERR_USAGE for an unknown column or a bad --buckets or --nbins). */
struct hc_enc_state *hc_enc_plan_state(const struct hc_enc_plan *o,
				       const char *const *names, size_t n,
				       struct hc_err *err);

#endif
