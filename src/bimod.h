/* bimod.h - modularity of a user-item partition, and Louvain on Barber's
 *
 * A partition gives every node of a struct hc_bigraph (users first, then
 * items: bigraph.h) a label below hc_bigraph_nodes(g); a label may hold
 * users and items together.  With m the total weight, L_c the weight of
 * the edges inside cluster c, U_c the summed degrees of its users and I_c
 * those of its items, at resolution gamma:
 *
 *   standard (Newman's, the graph taken as an ordinary undirected one):
 *       Q   = sum_c  L_c / m  -  gamma ((U_c + I_c) / 2m)^2
 *   bipartite (Barber's: the null model pairs users with items only):
 *       Q_B = sum_c  L_c / m  -  gamma  U_c I_c / m^2
 *
 * Q_B is what scikit-network's Louvain maximises with force_bipartite=True
 * (its default "dugue" modularity of the directed graph user -> item), so
 * the resolutions of the two tools mean the same thing.
 */
#ifndef HC_BIMOD_H
#define HC_BIMOD_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "src/bigraph.h"

/* The two modularities of labels at resolution gamma; NaN for a graph
 * without edges, or when out of memory (the sums take one array of
 * doubles per node). */
double hc_modularity_standard(const struct hc_bigraph *g,
			      const uint32_t *labels, double gamma);
double hc_modularity_bipartite(const struct hc_bigraph *g,
			       const uint32_t *labels, double gamma);

/* Tolerances of scikit-network's Louvain (tol_optimization and
 * tol_aggregation): local moving stops after a pass that gains at most
 * this much Q_B, and a level whose passes gained at most this much is
 * the last.  Kept equal so that cluster counts at a given resolution come
 * out close to the reference's. */
#define HC_BIMOD_TOL 1e-3

struct hc_bimod_opts {
	double resolution; /* gamma > 0 */
	int standard;      /* maximise Q instead of Q_B (see below) */
	double tol;        /* HC_BIMOD_TOL unless a caller knows better */
	unsigned max_levels; /* 0: no limit */
	/* If not NULL, called after every pass with the level (1 for the
	 * first), the pass within it (1 for the first) and Q_B (or Q) at the
	 * resolution, kept up to date from the gains. */
	void (*progress)(void *arg, unsigned level, unsigned pass, double q);
	void *progress_arg;
};

/* Q_B (or Q) after every local-moving pass, for tests and reports. */
struct hc_bimod_trace {
	double *q;
	size_t n, cap;
	unsigned levels;   /* aggregation levels kept */
};

/* With opts->standard, the same Louvain maximises the standard Q: Q is
 * Q_B with every node's degree counted half as a user's and half as an
 * item's (U_c = I_c = (U_c + I_c) / 2), so one code serves both.
 *
 * Louvain on Q_B: local moving (nodes visited in id order, each moved to
 * the neighbouring cluster of largest gain, ties to the smaller label)
 * until a pass gains at most opts->tol, then aggregation into a graph of
 * clusters, again until a level gains at most opts->tol (that level's
 * moves are kept).  Deterministic.
 * labels (hc_bigraph_nodes(g) of them) get the partition; a node without
 * edges keeps a cluster of its own.  *q (if not NULL) gets Q_B (or Q) at
 * the resolution; trace (if not NULL, zeroed by the caller, freed with
 * hc_bimod_trace_release) records it after every pass.  0, or -1 with
 * err set (memory). */
int hc_bimod_louvain(const struct hc_bigraph *g,
		     const struct hc_bimod_opts *opts, uint32_t *labels,
		     double *q, struct hc_bimod_trace *trace,
		     struct hc_err *err);
void hc_bimod_trace_release(struct hc_bimod_trace *t);

#endif
