/* bigraph.h - the user-item graph of `hicard cluster`, in compressed rows
 *
 * Interactions arrive as (user id, item id, weight) triples in any order,
 * repeats included (struct hc_edges).  hc_bigraph_build turns them into
 * the biadjacency matrix B in compressed rows, once by user and once by
 * item: each distinct pair is one edge whose weight is the sum of its
 * repeats (or 1 with `binary`), rows ascending by the other side's id.
 *
 * User ids and item ids are separate spaces (0..nusers-1, 0..nitems-1):
 * a user and an item with the same text are two nodes.  Where a joint node
 * numbering is needed (a partition of the whole graph), users come first:
 * node u is user u, node nusers + v is item v.
 *
 * Ownership: the graph owns its arrays; hc_bigraph_release frees them.
 */
#ifndef HC_BIGRAPH_H
#define HC_BIGRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

/* Most nodes a graph may have, users and items together: node ids are
 * 32-bit and one value is kept free as a marker. */
#define HC_BIGRAPH_MAX_NODES ((size_t)UINT32_MAX - 1)

/* An unsorted list of interactions, as read. */
struct hc_edges {
	uint32_t *u, *v;
	double *w;
	size_t n, cap;
};

void hc_edges_init(struct hc_edges *e);
/* Appends one interaction.  0, or -1 when out of memory. */
int hc_edges_add(struct hc_edges *e, uint32_t u, uint32_t v, double w);
void hc_edges_release(struct hc_edges *e);

struct hc_bigraph {
	uint32_t nusers, nitems;
	size_t nedges;     /* distinct user-item pairs */
	size_t *uoff;      /* nusers + 1: user u's edges are [uoff[u], uoff[u+1]) */
	uint32_t *uadj;    /* the item of each edge, ascending within a row */
	double *uw;        /* its weight */
	size_t *ioff;      /* nitems + 1: the same by item */
	uint32_t *iadj;    /* the user of each edge, ascending within a row */
	double *iw;
	double *udeg;      /* weighted degree of each user */
	double *ideg;      /* ... and of each item */
	double total;      /* sum of all weights (m) */
};

/* Builds g from e (every u < nusers, v < nitems, weights > 0; e is left
 * as it was).  Repeated pairs are summed, or count once with binary.
 * 0, or -1 with err set (memory; more than HC_BIGRAPH_MAX_NODES nodes is
 * HC_ERR_DATA). */
int hc_bigraph_build(struct hc_bigraph *g, const struct hc_edges *e,
		     uint32_t nusers, uint32_t nitems, int binary,
		     struct hc_err *err);
void hc_bigraph_release(struct hc_bigraph *g);

/* Users plus items. */
static inline size_t hc_bigraph_nodes(const struct hc_bigraph *g)
{
	return (size_t)g->nusers + g->nitems;
}

#endif
