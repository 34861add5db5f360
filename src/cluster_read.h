/* cluster_read.h - interactions from CSV rows into a user-item edge list
 *
 * The reading half of `hicard cluster`: user and item values are interned
 * into two string maps (separate id spaces: a user and an item with the
 * same text are two nodes), each row appends one (user, item, weight)
 * triple to an hc_edges list for bigraph.h.
 *
 * An empty user or item value is missing: the row adds no edge (it is
 * counted in `skipped`), but its other value, if not empty, is still
 * interned, so that it gets a cluster of its own if it has no edges at all
 * (an isolated id).  A weight must be a finite number above zero.
 */
#ifndef HC_CLUSTER_READ_H
#define HC_CLUSTER_READ_H

#include <stddef.h>
#include <stdint.h>

#include "lib/csv_read.h"
#include "lib/err.h"
#include "lib/progress.h"
#include "lib/strmap.h"
#include "src/bigraph.h"

struct hc_interactions {
	struct hc_strmap users, items;
	struct hc_edges edges;
	uint64_t rows;     /* data rows read */
	uint64_t skipped;  /* rows without an edge (an empty user or item) */
};

void hc_interactions_init(struct hc_interactions *in);
void hc_interactions_release(struct hc_interactions *in);

/* One row: the two values and the weight (> 0).  0, or -1 with err set
 * (memory, or more ids than a graph can hold). */
int hc_interactions_add(struct hc_interactions *in, const char *u,
			size_t ulen, const char *v, size_t vlen, double w,
			struct hc_err *err);

/* Every row of csv: user column ucol, item column icol, weight column
 * wcol (-1: every row weighs 1).  A bad weight is an error naming its
 * file, line and column.  prog is updated once per batch.  0, or -1 with
 * err set. */
int hc_interactions_read(struct hc_interactions *in,
			 struct hc_csv_reader *csv, size_t ucol, size_t icol,
			 long wcol, struct hc_progress *prog,
			 struct hc_err *err);

#endif
