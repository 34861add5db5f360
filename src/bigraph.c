/* bigraph.c - interactions to a deduplicated biadjacency in compressed rows
 *
 * Implements bigraph.h.  The triples are sorted by (user, item) with two
 * stable counting sorts (by item, then by user: an LSD radix sort with one
 * digit per side), O(n + users + items) and no comparisons, so 10M
 * interactions sort in well under a second; repeats are then adjacent
 * within a user's row and are merged in place.  The item-side rows come
 * from one more counting pass over the user rows, which leaves every item
 * row ascending by user.
 *
 * Memory at the peak (during the second sort): 12 bytes per interaction
 * for the by-item copy plus 12 for the rows, besides the input's 16.
 */
#include <string.h>

#include "lib/mem.h"
#include "src/bigraph.h"

void hc_edges_init(struct hc_edges *e)
{
	memset(e, 0, sizeof(*e));
}

int hc_edges_add(struct hc_edges *e, uint32_t u, uint32_t v, double w)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 4096;
		uint32_t *nu = hc_reallocarray(e->u, cap, sizeof(*nu));
		uint32_t *nv;
		double *nw;

		if (!nu)
			return -1;
		e->u = nu;
		if (!(nv = hc_reallocarray(e->v, cap, sizeof(*nv))))
			return -1;
		e->v = nv;
		if (!(nw = hc_reallocarray(e->w, cap, sizeof(*nw))))
			return -1;
		e->w = nw;
		e->cap = cap;
	}
	e->u[e->n] = u;
	e->v[e->n] = v;
	e->w[e->n] = w;
	e->n++;
	return 0;
}

void hc_edges_release(struct hc_edges *e)
{
	hc_free(e->u);
	hc_free(e->v);
	hc_free(e->w);
	hc_edges_init(e);
}

void hc_bigraph_release(struct hc_bigraph *g)
{
	hc_free(g->uoff);
	hc_free(g->uadj);
	hc_free(g->uw);
	hc_free(g->ioff);
	hc_free(g->iadj);
	hc_free(g->iw);
	hc_free(g->udeg);
	hc_free(g->ideg);
	memset(g, 0, sizeof(*g));
}

/* off[0..n] = exclusive prefix sums of the counts in off[1..n]. */
static void prefix(size_t *off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		off[i + 1] += off[i];
}

/* Sorts the triples by (user, item) into g's user rows, unmerged. */
static int sort_rows(struct hc_bigraph *g, const struct hc_edges *e)
{
	size_t *ioff = hc_calloc((size_t)g->nitems + 1, sizeof(*ioff));
	size_t *fill = hc_mallocarray((size_t)g->nitems + 1, sizeof(*fill));
	uint32_t *bu = hc_mallocarray(e->n ? e->n : 1, sizeof(*bu));
	double *bw = hc_mallocarray(e->n ? e->n : 1, sizeof(*bw));
	int rc = -1;

	g->uoff = hc_calloc((size_t)g->nusers + 1, sizeof(*g->uoff));
	g->uadj = hc_mallocarray(e->n ? e->n : 1, sizeof(*g->uadj));
	g->uw = hc_mallocarray(e->n ? e->n : 1, sizeof(*g->uw));
	if (!ioff || !fill || !bu || !bw || !g->uoff || !g->uadj || !g->uw)
		goto done;
	/* By item, keeping each triple's user and weight. */
	for (size_t k = 0; k < e->n; k++)
		ioff[e->v[k] + 1]++;
	prefix(ioff, g->nitems);
	memcpy(fill, ioff, ((size_t)g->nitems + 1) * sizeof(*fill));
	for (size_t k = 0; k < e->n; k++) {
		size_t p = fill[e->v[k]]++;
		bu[p] = e->u[k];
		bw[p] = e->w[k];
	}
	/* Then by user, stably: items come out ascending in each row. */
	for (size_t k = 0; k < e->n; k++)
		g->uoff[e->u[k] + 1]++;
	prefix(g->uoff, g->nusers);
	hc_free(fill);
	if (!(fill = hc_mallocarray((size_t)g->nusers + 1, sizeof(*fill))))
		goto done;
	memcpy(fill, g->uoff, ((size_t)g->nusers + 1) * sizeof(*fill));
	for (uint32_t v = 0; v < g->nitems; v++)
		for (size_t k = ioff[v]; k < ioff[v + 1]; k++) {
			size_t p = fill[bu[k]]++;
			g->uadj[p] = v;
			g->uw[p] = bw[k];
		}
	rc = 0;
done:
	hc_free(ioff);
	hc_free(fill);
	hc_free(bu);
	hc_free(bw);
	return rc;
}

/* Merges repeated items within each user row, in place; fills nedges. */
static void merge_repeats(struct hc_bigraph *g, int binary)
{
	size_t out = 0, start = 0;

	for (uint32_t u = 0; u < g->nusers; u++) {
		size_t end = g->uoff[u + 1];

		g->uoff[u] = out;
		for (size_t k = start; k < end; k++) {
			if (out > g->uoff[u] && g->uadj[out - 1] == g->uadj[k]) {
				g->uw[out - 1] += g->uw[k];
				continue;
			}
			g->uadj[out] = g->uadj[k];
			g->uw[out] = g->uw[k];
			out++;
		}
		start = end;
	}
	g->uoff[g->nusers] = out;
	g->nedges = out;
	if (binary)
		for (size_t k = 0; k < out; k++)
			g->uw[k] = 1;
}

/* The item rows and the degrees, from the user rows. */
static int transpose(struct hc_bigraph *g)
{
	size_t ne = g->nedges ? g->nedges : 1;
	size_t *fill;

	g->ioff = hc_calloc((size_t)g->nitems + 1, sizeof(*g->ioff));
	g->iadj = hc_mallocarray(ne, sizeof(*g->iadj));
	g->iw = hc_mallocarray(ne, sizeof(*g->iw));
	g->udeg = hc_calloc((size_t)g->nusers + 1, sizeof(*g->udeg));
	g->ideg = hc_calloc((size_t)g->nitems + 1, sizeof(*g->ideg));
	fill = hc_mallocarray((size_t)g->nitems + 1, sizeof(*fill));
	if (!g->ioff || !g->iadj || !g->iw || !g->udeg || !g->ideg || !fill) {
		hc_free(fill);
		return -1;
	}
	for (size_t k = 0; k < g->nedges; k++)
		g->ioff[g->uadj[k] + 1]++;
	prefix(g->ioff, g->nitems);
	memcpy(fill, g->ioff, ((size_t)g->nitems + 1) * sizeof(*fill));
	g->total = 0;
	for (uint32_t u = 0; u < g->nusers; u++)
		for (size_t k = g->uoff[u]; k < g->uoff[u + 1]; k++) {
			uint32_t v = g->uadj[k];
			size_t p = fill[v]++;

			g->iadj[p] = u;
			g->iw[p] = g->uw[k];
			g->udeg[u] += g->uw[k];
			g->ideg[v] += g->uw[k];
			g->total += g->uw[k];
		}
	hc_free(fill);
	return 0;
}

int hc_bigraph_build(struct hc_bigraph *g, const struct hc_edges *e,
		     uint32_t nusers, uint32_t nitems, int binary,
		     struct hc_err *err)
{
	memset(g, 0, sizeof(*g));
	if ((size_t)nusers + nitems > HC_BIGRAPH_MAX_NODES)
		return hc_err_set(err, HC_ERR_DATA,
				  "too many nodes: %lu users and %lu items (at most %zu in all)",
				  (unsigned long)nusers, (unsigned long)nitems,
				  HC_BIGRAPH_MAX_NODES);
	g->nusers = nusers;
	g->nitems = nitems;
	if (sort_rows(g, e) != 0)
		goto nomem;
	merge_repeats(g, binary);
	if (transpose(g) != 0)
		goto nomem;
	return 0;
nomem:
	hc_bigraph_release(g);
	return hc_err_nomem(err);
}
