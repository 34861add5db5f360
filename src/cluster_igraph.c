/* cluster_igraph.c - igraph's Louvain and Leiden on the user-item graph
 *
 * Implements hc_cluster_igraph (cluster.h).  The graph goes to igraph as
 * an undirected graph of hc_bigraph_nodes(g) vertices (users first, then
 * items) with one edge per distinct pair, in user-row order, so that g's
 * weight array can be lent to igraph as a vector view without a copy.
 *
 * Resolution: igraph_community_multilevel takes gamma as such; for
 * igraph_community_leiden, modularity is the CPM objective with node
 * weights equal to the degrees and a resolution of gamma / 2m (igraph's
 * documentation of igraph_community_leiden says so), which is what is
 * passed here.  Both visit nodes in an order drawn from igraph's default
 * generator, seeded here from the options.
 *
 * Progress: igraph's multilevel reports nothing, but it allows an
 * interruption after every local-moving pass, and its interruption handler
 * takes no argument; so for the duration of the call a file-scope pointer
 * names the caller's callback, the one piece of mutable state here (igraph's
 * handlers are process-wide already, and swapped the same way).  Not for
 * threads: neither is igraph's default generator.
 */
#include <igraph/igraph.h>
#include <math.h>
#include <string.h>

#include "lib/mem.h"
#include "src/cluster.h"

static const struct hc_cluster_opts *progress_to;
static unsigned progress_ticks;

static igraph_error_t on_interruption(void *data)
{
	(void)data;
	if (progress_to && progress_to->progress)
		progress_to->progress(progress_to->progress_arg, 0,
				      ++progress_ticks, NAN);
	return IGRAPH_SUCCESS;
}

static int fail(struct hc_err *err, const char *what, igraph_error_t rc)
{
	if (rc == IGRAPH_ENOMEM)
		return hc_err_nomem(err);
	return hc_err_set(err, HC_ERR_IO, "igraph: %s: %s", what,
			  igraph_strerror(rc));
}

static igraph_error_t make_graph(igraph_t *ig, const struct hc_bigraph *g)
{
	igraph_vector_int_t edges;
	igraph_integer_t k = 0;
	igraph_error_t rc;

	rc = igraph_vector_int_init(&edges, (igraph_integer_t)(2 * g->nedges));
	if (rc != IGRAPH_SUCCESS)
		return rc;
	for (uint32_t u = 0; u < g->nusers; u++)
		for (size_t e = g->uoff[u]; e < g->uoff[u + 1]; e++) {
			VECTOR(edges)[k++] = u;
			VECTOR(edges)[k++] = (igraph_integer_t)g->nusers + g->uadj[e];
		}
	rc = igraph_create(ig, &edges, (igraph_integer_t)hc_bigraph_nodes(g),
			   IGRAPH_UNDIRECTED);
	igraph_vector_int_destroy(&edges);
	return rc;
}

static igraph_error_t run_leiden(const igraph_t *ig, const igraph_vector_t *w,
				 const struct hc_bigraph *g,
				 const struct hc_cluster_opts *o,
				 igraph_vector_int_t *membership,
				 igraph_real_t *quality)
{
	igraph_vector_t nw;
	igraph_integer_t nclusters;
	igraph_error_t rc;

	rc = igraph_vector_init(&nw, (igraph_integer_t)hc_bigraph_nodes(g));
	if (rc != IGRAPH_SUCCESS)
		return rc;
	for (uint32_t u = 0; u < g->nusers; u++)
		VECTOR(nw)[u] = g->udeg[u];
	for (uint32_t v = 0; v < g->nitems; v++)
		VECTOR(nw)[(size_t)g->nusers + v] = g->ideg[v];
	rc = igraph_community_leiden(ig, w, &nw,
				     o->resolution / (2 * g->total), o->beta,
				     0, (igraph_integer_t)o->iterations,
				     membership, &nclusters, quality);
	igraph_vector_destroy(&nw);
	return rc;
}

int hc_cluster_igraph(const struct hc_bigraph *g,
		      const struct hc_cluster_opts *o, uint32_t *labels,
		      double *objective, struct hc_err *err)
{
	igraph_error_handler_t *old_err;
	igraph_warning_handler_t *old_warn;
	igraph_interruption_handler_t *old_int;
	igraph_t ig;
	igraph_vector_t w, q;
	igraph_vector_int_t membership;
	igraph_real_t quality = 0;
	igraph_error_t rc;
	int ret = -1;
	size_t n = hc_bigraph_nodes(g);

	old_err = igraph_set_error_handler(igraph_error_handler_ignore);
	old_warn = igraph_set_warning_handler(igraph_warning_handler_ignore);
	progress_to = o;
	progress_ticks = 0;
	old_int = igraph_set_interruption_handler(o->progress ? on_interruption : NULL);
	if ((rc = igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)o->seed)) != IGRAPH_SUCCESS) {
		fail(err, "seeding", rc);
		goto restore;
	}
	if ((rc = make_graph(&ig, g)) != IGRAPH_SUCCESS) {
		fail(err, "building the graph", rc);
		goto restore;
	}
	igraph_vector_view(&w, g->uw, (igraph_integer_t)g->nedges);
	if ((rc = igraph_vector_int_init(&membership, 0)) != IGRAPH_SUCCESS) {
		fail(err, "clustering", rc);
		goto graph;
	}
	if (o->method == HC_CLUSTER_LEIDEN) {
		rc = run_leiden(&ig, &w, g, o, &membership, &quality);
	} else if ((rc = igraph_vector_init(&q, 0)) == IGRAPH_SUCCESS) {
		rc = igraph_community_multilevel(&ig, &w, o->resolution,
						 &membership, NULL, &q);
		if (rc == IGRAPH_SUCCESS && igraph_vector_size(&q) > 0)
			quality = igraph_vector_tail(&q);
		igraph_vector_destroy(&q);
	}
	if (rc != IGRAPH_SUCCESS) {
		fail(err, hc_cluster_method_name(o->method), rc);
		goto members;
	}
	for (size_t i = 0; i < n; i++)
		labels[i] = (uint32_t)VECTOR(membership)[i];
	if (objective)
		*objective = quality;
	ret = 0;
members:
	igraph_vector_int_destroy(&membership);
graph:
	igraph_destroy(&ig);
restore:
	igraph_set_error_handler(old_err);
	igraph_set_warning_handler(old_warn);
	igraph_set_interruption_handler(old_int);
	progress_to = NULL;
	return ret;
}
