/* bimod.c - Barber's bipartite modularity, and a Louvain that maximises it
 *
 * Implements bimod.h.  The method is Blondel et al.'s Louvain ("Fast
 * unfolding of communities in large networks", 2008) with the null model
 * of Barber ("Modularity and community detection in bipartite networks",
 * 2007), in the form scikit-network uses for force_bipartite=True: the
 * directed graph user -> item, whose out-degrees are the users' and
 * in-degrees the items'.  Every node of a level carries
 *
 *   a  the summed degrees of the users inside it (0 for an item),
 *   b  the summed degrees of its items (0 for a user),
 *   s  the weight of the edges inside it (0 at the first level),
 *
 * and with A_c, B_c the sums of a and b over cluster c, moving node i out
 * of its cluster D (D' = D without i) into cluster C changes Q_B by
 *
 *   ( w(i,C) - w(i,D') - gamma (a_i (B_C - B_D') + b_i (A_C - A_D')) / m ) / m
 *
 * where w(i,X) is the weight of the edges between i and X.  That is the
 * whole of local moving; aggregation turns clusters into nodes (a, b and s
 * summed, edges between clusters summed), so Q_B of the partition of the
 * small graph equals Q_B of the partition it stands for in the original.
 *
 * As in scikit-network: nodes are visited in id order, only the clusters
 * of a node's neighbours are candidates, a move needs a strictly positive
 * gain and among equal gains the smallest label wins; passes stop after
 * one that gains at most tol; a level that gains at most tol in all ends
 * the run (its moves are kept); the clusters of a level become the nodes
 * of the next in ascending order of their labels.  Sums are in double
 * precision (scikit-network's core uses single), so the two may break
 * near-ties differently: on Gowalla the cluster counts at resolutions 50
 * to 300 come within 1.1% of scikit-network 0.32.1's (single precision
 * here gave within 0.7%; dropping the last level, as some versions of
 * scikit-network's code read, gave 17% more clusters at resolution 50).
 */
#include <math.h>
#include <string.h>

#include "lib/mem.h"
#include "src/bimod.h"

/* ---- modularity of a partition of the whole graph ------------------- */

/* Per-cluster sums: L (inside weight), U (user degrees), I (item degrees). */
static int cluster_sums(const struct hc_bigraph *g, const uint32_t *lab,
			double **L, double **U, double **I)
{
	size_t n = hc_bigraph_nodes(g);

	*L = hc_calloc(n ? n : 1, sizeof(double));
	*U = hc_calloc(n ? n : 1, sizeof(double));
	*I = hc_calloc(n ? n : 1, sizeof(double));
	if (!*L || !*U || !*I) {
		hc_free(*L);
		hc_free(*U);
		hc_free(*I);
		return -1;
	}
	for (uint32_t u = 0; u < g->nusers; u++) {
		uint32_t c = lab[u];

		(*U)[c] += g->udeg[u];
		for (size_t k = g->uoff[u]; k < g->uoff[u + 1]; k++)
			if (lab[(size_t)g->nusers + g->uadj[k]] == c)
				(*L)[c] += g->uw[k];
	}
	for (uint32_t v = 0; v < g->nitems; v++)
		(*I)[lab[(size_t)g->nusers + v]] += g->ideg[v];
	return 0;
}

static double modularity(const struct hc_bigraph *g, const uint32_t *lab,
			 double gamma, int bipartite)
{
	double *L, *U, *I, q = 0, m = g->total;
	size_t n = hc_bigraph_nodes(g);

	if (!(m > 0) || cluster_sums(g, lab, &L, &U, &I) != 0)
		return NAN;
	for (size_t c = 0; c < n; c++) {
		double t = U[c] + I[c];

		if (bipartite)
			q += L[c] / m - gamma * U[c] * I[c] / (m * m);
		else
			q += L[c] / m - gamma * (t / (2 * m)) * (t / (2 * m));
	}
	hc_free(L);
	hc_free(U);
	hc_free(I);
	return q;
}

double hc_modularity_standard(const struct hc_bigraph *g,
			      const uint32_t *labels, double gamma)
{
	return modularity(g, labels, gamma, 0);
}

double hc_modularity_bipartite(const struct hc_bigraph *g,
			       const uint32_t *labels, double gamma)
{
	return modularity(g, labels, gamma, 1);
}

/* ---- levels ----------------------------------------------------------- */

/* A graph of (aggregated) nodes: symmetric rows without self entries. */
struct level {
	uint32_t n;
	size_t *off;
	uint32_t *adj;
	double *w;
	double *a, *b, *s;
};

static void level_release(struct level *L)
{
	hc_free(L->off);
	hc_free(L->adj);
	hc_free(L->w);
	hc_free(L->a);
	hc_free(L->b);
	hc_free(L->s);
	memset(L, 0, sizeof(*L));
}

static int level_alloc(struct level *L, uint32_t n, size_t nadj)
{
	memset(L, 0, sizeof(*L));
	L->n = n;
	L->off = hc_mallocarray((size_t)n + 1, sizeof(*L->off));
	L->adj = hc_mallocarray(nadj ? nadj : 1, sizeof(*L->adj));
	L->w = hc_mallocarray(nadj ? nadj : 1, sizeof(*L->w));
	L->a = hc_calloc((size_t)n + 1, sizeof(*L->a));
	L->b = hc_calloc((size_t)n + 1, sizeof(*L->b));
	L->s = hc_calloc((size_t)n + 1, sizeof(*L->s));
	if (!L->off || !L->adj || !L->w || !L->a || !L->b || !L->s) {
		level_release(L);
		return -1;
	}
	return 0;
}

/* The first level: users 0..U-1, then items, each row as in g.  For the
 * standard Q, a node's degree is split evenly between a and b. */
static int level_first(struct level *L, const struct hc_bigraph *g,
		       int standard)
{
	uint32_t nu = g->nusers;
	size_t k = 0;

	if (level_alloc(L, nu + g->nitems, 2 * g->nedges) != 0)
		return -1;
	for (uint32_t u = 0; u < nu; u++) {
		L->off[u] = k;
		L->a[u] = standard ? g->udeg[u] / 2 : g->udeg[u];
		L->b[u] = standard ? g->udeg[u] / 2 : 0;
		for (size_t e = g->uoff[u]; e < g->uoff[u + 1]; e++, k++) {
			L->adj[k] = nu + g->uadj[e];
			L->w[k] = g->uw[e];
		}
	}
	for (uint32_t v = 0; v < g->nitems; v++) {
		L->off[nu + v] = k;
		L->a[nu + v] = standard ? g->ideg[v] / 2 : 0;
		L->b[nu + v] = standard ? g->ideg[v] / 2 : g->ideg[v];
		for (size_t e = g->ioff[v]; e < g->ioff[v + 1]; e++, k++) {
			L->adj[k] = g->iadj[e];
			L->w[k] = g->iw[e];
		}
	}
	L->off[L->n] = k;
	return 0;
}

/* Scratch shared by the passes of a level: per-cluster sums and the
 * weights from the current node to each neighbouring cluster. */
struct work {
	uint32_t *lab;
	double *A, *B;
	double *nbw;
	uint32_t *touched;
};

/* Q_B of lab on level L (O(edges)); for the trace. */
static double level_q(const struct level *L, const struct work *wk,
		      double gamma, double m)
{
	double q = 0;

	/* nbw is all zeros between nodes; borrow it for the inside weights. */
	for (uint32_t i = 0; i < L->n; i++) {
		uint32_t c = wk->lab[i];

		wk->nbw[c] += L->s[i];
		for (size_t k = L->off[i]; k < L->off[i + 1]; k++)
			if (wk->lab[L->adj[k]] == c)
				wk->nbw[c] += L->w[k] / 2;
	}
	for (uint32_t c = 0; c < L->n; c++) {
		q += wk->nbw[c] / m - gamma * wk->A[c] * wk->B[c] / (m * m);
		wk->nbw[c] = 0;
	}
	return q;
}

static int trace_add(struct hc_bimod_trace *t, double q)
{
	void *p = t->q;

	if (hc_grow(&p, &t->cap, t->n + 1, sizeof(*t->q)) != 0)
		return -1;
	t->q = p;
	t->q[t->n++] = q;
	return 0;
}

/* One pass of local moving over every node; returns the gain in Q_B. */
static double move_pass(const struct level *L, struct work *wk, double gamma,
			double m)
{
	double k = gamma / m, gain = 0;

	for (uint32_t i = 0; i < L->n; i++) {
		uint32_t own = wk->lab[i], best = own;
		double ai = L->a[i], bi = L->b[i], exit, best_d = 0;
		size_t nt = 0;

		for (size_t e = L->off[i]; e < L->off[i + 1]; e++) {
			uint32_t c = wk->lab[L->adj[e]];

			if (wk->nbw[c] == 0)
				wk->touched[nt++] = c;
			wk->nbw[c] += L->w[e];
		}
		exit = wk->nbw[own] -
		       k * (ai * (wk->B[own] - bi) + bi * (wk->A[own] - ai));
		for (size_t t = 0; t < nt; t++) {
			uint32_t c = wk->touched[t];
			double d;

			if (c == own)
				continue;
			d = wk->nbw[c] - k * (ai * wk->B[c] + bi * wk->A[c]) - exit;
			if (d > best_d || (d == best_d && best != own && c < best)) {
				best_d = d;
				best = c;
			}
		}
		for (size_t t = 0; t < nt; t++)
			wk->nbw[wk->touched[t]] = 0;
		if (best == own)
			continue;
		wk->A[own] -= ai;
		wk->B[own] -= bi;
		wk->A[best] += ai;
		wk->B[best] += bi;
		wk->lab[i] = best;
		gain += best_d / m;
	}
	return gain;
}

/* Local moving on L from singletons until a pass gains at most tol;
 * returns the gain of all passes, or NaN when the trace runs out of
 * memory.  *q (Q at the start of the level) is kept up to date for the
 * progress callback. */
static double move_nodes(const struct level *L, struct work *wk,
			 const struct hc_bimod_opts *o, double m,
			 struct hc_bimod_trace *trace, unsigned level,
			 double *q)
{
	double pass, total = 0;
	unsigned npass = 0;

	for (uint32_t i = 0; i < L->n; i++) {
		wk->lab[i] = i;
		wk->A[i] = L->a[i];
		wk->B[i] = L->b[i];
	}
	do {
		pass = move_pass(L, wk, o->resolution, m);
		total += pass;
		*q += pass;
		if (o->progress)
			o->progress(o->progress_arg, level, ++npass, *q);
		if (trace && trace_add(trace, level_q(L, wk, o->resolution, m)) != 0)
			return NAN;
	} while (pass > o->tol);
	return total;
}

/* Renumbers wk->lab densely in ascending order of label; returns the
 * number of clusters.  wk->touched serves as the label -> rank table. */
static uint32_t renumber(const struct level *L, struct work *wk)
{
	uint32_t *rank = wk->touched, k = 0;

	for (uint32_t i = 0; i < L->n; i++)
		rank[i] = UINT32_MAX;
	for (uint32_t i = 0; i < L->n; i++)
		rank[wk->lab[i]] = 0;
	for (uint32_t c = 0; c < L->n; c++)
		if (rank[c] == 0)
			rank[c] = k++;
	for (uint32_t i = 0; i < L->n; i++)
		wk->lab[i] = rank[wk->lab[i]];
	return k;
}

/* The graph of the K clusters of wk->lab (dense) on L, into *next. */
static int aggregate(const struct level *L, struct work *wk, uint32_t K,
		     struct level *next)
{
	size_t *moff = hc_calloc((size_t)K + 1, sizeof(*moff));
	uint32_t *members = hc_mallocarray(L->n ? L->n : 1, sizeof(*members));
	size_t out = 0;

	if (!moff || !members || level_alloc(next, K, L->off[L->n]) != 0) {
		hc_free(moff);
		hc_free(members);
		return -1;
	}
	for (uint32_t i = 0; i < L->n; i++)
		moff[wk->lab[i] + 1]++;
	for (uint32_t c = 0; c < K; c++)
		moff[c + 1] += moff[c];
	for (uint32_t i = 0; i < L->n; i++)
		members[moff[wk->lab[i]]++] = i;
	for (uint32_t c = K; c > 0; c--)
		moff[c] = moff[c - 1];
	moff[0] = 0;
	for (uint32_t c = 0; c < K; c++) {
		double inside = 0;
		size_t nt = 0;

		next->off[c] = out;
		for (size_t x = moff[c]; x < moff[c + 1]; x++) {
			uint32_t i = members[x];

			next->a[c] += L->a[i];
			next->b[c] += L->b[i];
			next->s[c] += L->s[i];
			for (size_t e = L->off[i]; e < L->off[i + 1]; e++) {
				uint32_t d = wk->lab[L->adj[e]];

				if (d == c) {
					inside += L->w[e];
					continue;
				}
				if (wk->nbw[d] == 0)
					wk->touched[nt++] = d;
				wk->nbw[d] += L->w[e];
			}
		}
		/* Each inside edge was seen from both of its ends. */
		next->s[c] += inside / 2;
		for (size_t t = 0; t < nt; t++, out++) {
			next->adj[out] = wk->touched[t];
			next->w[out] = wk->nbw[wk->touched[t]];
			wk->nbw[wk->touched[t]] = 0;
		}
	}
	next->off[K] = out;
	hc_free(moff);
	hc_free(members);
	return 0;
}

static void work_release(struct work *wk)
{
	hc_free(wk->lab);
	hc_free(wk->A);
	hc_free(wk->B);
	hc_free(wk->nbw);
	hc_free(wk->touched);
	memset(wk, 0, sizeof(*wk));
}

static int work_alloc(struct work *wk, size_t n)
{
	n = n ? n : 1;
	wk->lab = hc_mallocarray(n, sizeof(*wk->lab));
	wk->A = hc_mallocarray(n, sizeof(*wk->A));
	wk->B = hc_mallocarray(n, sizeof(*wk->B));
	wk->nbw = hc_calloc(n, sizeof(*wk->nbw));
	wk->touched = hc_mallocarray(n, sizeof(*wk->touched));
	if (!wk->lab || !wk->A || !wk->B || !wk->nbw || !wk->touched) {
		work_release(wk);
		return -1;
	}
	return 0;
}

int hc_bimod_louvain(const struct hc_bigraph *g,
		     const struct hc_bimod_opts *opts, uint32_t *labels,
		     double *q, struct hc_bimod_trace *trace,
		     struct hc_err *err)
{
	struct level L, next;
	struct work wk = {0};
	size_t n = hc_bigraph_nodes(g);
	unsigned levels = 0;
	double qrun = 0;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		labels[i] = (uint32_t)i;
	if (level_first(&L, g, opts->standard) != 0)
		return hc_err_nomem(err);
	if (work_alloc(&wk, n) != 0)
		goto done;
	if (opts->progress && g->total > 0)
		qrun = opts->standard ? hc_modularity_standard(g, labels, opts->resolution)
				      : hc_modularity_bipartite(g, labels, opts->resolution);
	while (g->total > 0 && L.n > 1) {
		double gain;
		uint32_t K;

		gain = move_nodes(&L, &wk, opts, g->total, trace, levels + 1, &qrun);

		if (isnan(gain))
			goto done;
		if (!(gain > 0))
			break;
		K = renumber(&L, &wk);
		for (size_t i = 0; i < n; i++)
			labels[i] = wk.lab[labels[i]];
		levels++;
		if (gain <= opts->tol || K == 1 ||
		    (opts->max_levels && levels == opts->max_levels))
			break;
		if (aggregate(&L, &wk, K, &next) != 0)
			goto done;
		level_release(&L);
		L = next;
	}
	if (trace)
		trace->levels = levels;
	if (q)
		*q = opts->standard ? hc_modularity_standard(g, labels, opts->resolution)
				    : hc_modularity_bipartite(g, labels, opts->resolution);
	rc = 0;
done:
	level_release(&L);
	work_release(&wk);
	return rc == 0 ? 0 : hc_err_nomem(err);
}

void hc_bimod_trace_release(struct hc_bimod_trace *t)
{
	hc_free(t->q);
	memset(t, 0, sizeof(*t));
}
