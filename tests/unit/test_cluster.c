/* test_cluster.c - the user-item graph, modularity by hand, the bipartite
 * Louvain, igraph's methods, the resolution search, numbering and the map
 *
 * Modularity values are checked against sums worked out by hand on graphs
 * of two to four edges (the working is in the comments), and the standard
 * one also against igraph_modularity on a random graph.  The bipartite
 * Louvain is checked to never lower Q_B from one pass to the next, on
 * planted-community graphs made with th_rand (fixed seeds), and to find
 * the planted communities where they are clear.
 */
#include <igraph/igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/mem.h"
#include "lib/out.h"
#include "lib/strmap.h"
#include "src/bigraph.h"
#include "src/bimod.h"
#include "src/cluster.h"
#include "src/cluster_read.h"
#include "helpers.h"
#include "suites.h"

#define EPS 1e-12

/* A graph from nu users, ni items and n (u, v, w) triples. */
static void graph_of(struct hc_bigraph *g, uint32_t nu, uint32_t ni,
		     const uint32_t *uv, const double *w, size_t n, int binary)
{
	struct hc_edges e;
	struct hc_err err = {0};

	hc_edges_init(&e);
	for (size_t k = 0; k < n; k++)
		ck_assert_int_eq(hc_edges_add(&e, uv[2 * k], uv[2 * k + 1],
					      w ? w[k] : 1), 0);
	ck_assert_msg(hc_bigraph_build(g, &e, nu, ni, binary, &err) == 0, "%s",
		      err.msg);
	hc_edges_release(&e);
}

/* Planted communities: user u and item v belong to community u % c and
 * v % c; each edge stays inside with probability p_in (of 1024). */
static void planted(struct hc_bigraph *g, uint32_t nu, uint32_t ni,
		    uint32_t c, size_t edges, unsigned p_in, uint64_t seed)
{
	struct hc_edges e;
	struct hc_err err = {0};
	uint64_t s = seed;

	hc_edges_init(&e);
	for (uint32_t u = 0; u < nu; u++)  /* no user or item without edges */
		ck_assert_int_eq(hc_edges_add(&e, u, u % ni, 1), 0);
	for (uint32_t v = 0; v < ni; v++)
		ck_assert_int_eq(hc_edges_add(&e, v % nu, v, 1), 0);
	for (size_t k = 0; k < edges; k++) {
		uint32_t u = (uint32_t)(th_rand(&s) % nu), v;

		if (th_rand(&s) % 1024 < p_in) {
			uint32_t per = (ni - u % c + c - 1) / c;
			v = u % c + c * (uint32_t)(th_rand(&s) % per);
		} else {
			v = (uint32_t)(th_rand(&s) % ni);
		}
		ck_assert_int_eq(hc_edges_add(&e, u, v, 1), 0);
	}
	ck_assert_msg(hc_bigraph_build(g, &e, nu, ni, 0, &err) == 0, "%s", err.msg);
	hc_edges_release(&e);
}

/* ---- the graph --------------------------------------------------------- */

START_TEST(build_merges_and_sorts)
{
	/* user 1 -> items 2, 0, 2 (repeat), 0; user 0 -> item 1 */
	const uint32_t uv[] = {1, 2, 0, 1, 1, 0, 1, 2, 1, 0};
	const double w[] = {1, 2, 3, 4, 5};
	struct hc_bigraph g;

	graph_of(&g, 3, 3, uv, w, 5, 0);
	ck_assert_uint_eq(g.nedges, 3);
	ck_assert_uint_eq(g.uoff[0], 0);
	ck_assert_uint_eq(g.uoff[1], 1);
	ck_assert_uint_eq(g.uoff[2], 3);
	ck_assert_uint_eq(g.uoff[3], 3);  /* user 2 has no edges */
	ck_assert_uint_eq(g.uadj[0], 1);
	ck_assert_double_eq(g.uw[0], 2);
	ck_assert_uint_eq(g.uadj[1], 0);
	ck_assert_double_eq(g.uw[1], 3 + 5);
	ck_assert_uint_eq(g.uadj[2], 2);
	ck_assert_double_eq(g.uw[2], 1 + 4);
	ck_assert_double_eq(g.total, 15);
	ck_assert_double_eq(g.udeg[1], 13);
	ck_assert_double_eq(g.udeg[2], 0);
	ck_assert_double_eq(g.ideg[0], 8);
	ck_assert_double_eq(g.ideg[1], 2);
	/* item rows: item 0 <- user 1; item 1 <- user 0; item 2 <- user 1 */
	ck_assert_uint_eq(g.ioff[3], 3);
	ck_assert_uint_eq(g.iadj[g.ioff[1]], 0);
	ck_assert_double_eq(g.iw[g.ioff[2]], 5);
	hc_bigraph_release(&g);

	graph_of(&g, 3, 3, uv, w, 5, 1);
	ck_assert_uint_eq(g.nedges, 3);
	ck_assert_double_eq(g.total, 3);
	ck_assert_double_eq(g.udeg[1], 2);
	hc_bigraph_release(&g);
}
END_TEST

START_TEST(read_empty_values_and_self_pairs)
{
	struct hc_interactions in;
	struct hc_err err = {0};

	hc_interactions_init(&in);
	/* "a" as a user and "a" as an item are two nodes */
	ck_assert_int_eq(hc_interactions_add(&in, "a", 1, "a", 1, 1, &err), 0);
	ck_assert_int_eq(hc_interactions_add(&in, "b", 1, "", 0, 1, &err), 0);
	ck_assert_int_eq(hc_interactions_add(&in, "", 0, "", 0, 1, &err), 0);
	ck_assert_int_eq(hc_interactions_add(&in, "", 0, "c", 1, 2, &err), 0);
	ck_assert_uint_eq(in.rows, 4);
	ck_assert_uint_eq(in.skipped, 3);
	ck_assert_uint_eq(in.edges.n, 1);
	ck_assert_uint_eq(hc_strmap_count(&in.users), 2);  /* a, b */
	ck_assert_uint_eq(hc_strmap_count(&in.items), 2);  /* a, c */
	hc_interactions_release(&in);
}
END_TEST

/* ---- modularity by hand ------------------------------------------------ */

START_TEST(modularity_two_pairs)
{
	/* u0-i0, u1-i1 (m = 2); nodes: u0 u1 i0 i1 */
	const uint32_t uv[] = {0, 0, 1, 1};
	const uint32_t split[] = {0, 1, 0, 1}, one[] = {0, 0, 0, 0};
	const uint32_t alone[] = {0, 1, 2, 3};
	struct hc_bigraph g;

	graph_of(&g, 2, 2, uv, NULL, 2, 0);
	/* {u0,i0},{u1,i1}: L = 1, U = I = 1 each.
	 * Q_B = 2 (1/2 - 1*1/4) = 1/2; Q = 2 (1/2 - (2/4)^2) = 1/2 */
	ck_assert_double_eq_tol(hc_modularity_bipartite(&g, split, 1), 0.5, EPS);
	ck_assert_double_eq_tol(hc_modularity_standard(&g, split, 1), 0.5, EPS);
	/* all in one: L = 2, U = I = 2: Q_B = 1 - 4/4 = 0; Q = 1 - 1 = 0 */
	ck_assert_double_eq_tol(hc_modularity_bipartite(&g, one, 1), 0, EPS);
	ck_assert_double_eq_tol(hc_modularity_standard(&g, one, 1), 0, EPS);
	/* singletons: no inside edges; Q_B = 0 (U_c I_c = 0 for each);
	 * Q = -4 (1/4)^2 = -1/4 */
	ck_assert_double_eq_tol(hc_modularity_bipartite(&g, alone, 1), 0, EPS);
	ck_assert_double_eq_tol(hc_modularity_standard(&g, alone, 1), -0.25, EPS);
	/* resolution 3 on the split: Q_B = 2 (1/2 - 3/4) = -1/2;
	 * Q = 2 (1/2 - 3/4) = -1/2 */
	ck_assert_double_eq_tol(hc_modularity_bipartite(&g, split, 3), -0.5, EPS);
	ck_assert_double_eq_tol(hc_modularity_standard(&g, split, 3), -0.5, EPS);
	hc_bigraph_release(&g);
}
END_TEST

START_TEST(modularity_path_weighted)
{
	/* u0-i0 (w 1), u0-i1 (w 1), u1-i1 (w 2): m = 4; degrees u0 2,
	 * u1 2, i0 1, i1 3.  Nodes: u0 u1 i0 i1. */
	const uint32_t uv[] = {0, 0, 0, 1, 1, 1};
	const double w[] = {1, 1, 2};
	const uint32_t p[] = {0, 1, 0, 0}; /* {u0,i0,i1}, {u1} */
	const uint32_t p2[] = {0, 1, 0, 1}; /* {u0,i0}, {u1,i1} */
	struct hc_bigraph g;

	graph_of(&g, 2, 2, uv, w, 3, 0);
	/* p: c0 L = 2, U = 2, I = 4; c1 L = 0, U = 2, I = 0.
	 * Q_B = 2/4 - 8/16 + 0 - 0 = 0
	 * Q = 2/4 - (6/8)^2 + 0 - (2/8)^2 = 1/2 - 9/16 - 1/16 = -1/8 */
	ck_assert_double_eq_tol(hc_modularity_bipartite(&g, p, 1), 0, EPS);
	ck_assert_double_eq_tol(hc_modularity_standard(&g, p, 1), -0.125, EPS);
	/* p2: c0 L = 1, U = 2, I = 1; c1 L = 2, U = 2, I = 3.
	 * Q_B = 1/4 - 2/16 + 2/4 - 6/16 = 4/16 = 1/4
	 * Q = 1/4 - (3/8)^2 + 2/4 - (5/8)^2 = 3/4 - 34/64 = 14/64 */
	ck_assert_double_eq_tol(hc_modularity_bipartite(&g, p2, 1), 0.25, EPS);
	ck_assert_double_eq_tol(hc_modularity_standard(&g, p2, 1), 14.0 / 64, EPS);
	/* at resolution 0.5: Q_B = 3/4 - 0.5 * 8/16 = 1/2 */
	ck_assert_double_eq_tol(hc_modularity_bipartite(&g, p2, 0.5), 0.5, EPS);
	hc_bigraph_release(&g);
}
END_TEST

START_TEST(modularity_matches_igraph)
{
	struct hc_bigraph g;
	size_t n;
	uint32_t *lab;
	uint64_t s = 99;
	igraph_t ig;
	igraph_vector_int_t edges, memb;
	igraph_vector_t w;
	igraph_real_t q;
	igraph_integer_t k = 0;

	planted(&g, 60, 40, 5, 400, 700, 5);
	n = hc_bigraph_nodes(&g);
	lab = hc_mallocarray(n, sizeof(*lab));
	ck_assert_int_eq(igraph_vector_int_init(&edges, 2 * (igraph_integer_t)g.nedges), 0);
	ck_assert_int_eq(igraph_vector_int_init(&memb, (igraph_integer_t)n), 0);
	for (uint32_t u = 0; u < g.nusers; u++)
		for (size_t e = g.uoff[u]; e < g.uoff[u + 1]; e++) {
			VECTOR(edges)[k++] = u;
			VECTOR(edges)[k++] = g.nusers + g.uadj[e];
		}
	ck_assert_int_eq(igraph_create(&ig, &edges, (igraph_integer_t)n, IGRAPH_UNDIRECTED), 0);
	igraph_vector_view(&w, g.uw, (igraph_integer_t)g.nedges);
	for (size_t i = 0; i < n; i++)
		VECTOR(memb)[i] = lab[i] = (uint32_t)(th_rand(&s) % 7);
	for (double gamma = 0.5; gamma < 4; gamma *= 2) {
		ck_assert_int_eq(igraph_modularity(&ig, &memb, &w, gamma, 0, &q), 0);
		ck_assert_double_eq_tol(hc_modularity_standard(&g, lab, gamma), q, 1e-9);
	}
	igraph_destroy(&ig);
	igraph_vector_int_destroy(&edges);
	igraph_vector_int_destroy(&memb);
	hc_free(lab);
	hc_bigraph_release(&g);
}
END_TEST

/* ---- the bipartite Louvain ------------------------------------------- */

START_TEST(bimod_never_lowers)
{
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct hc_bigraph g;
		struct hc_bimod_opts o = {.resolution = seed < 4 ? 1 : 20,
					  .tol = seed % 2 ? HC_BIMOD_TOL : 0,
					  .standard = seed % 3 == 0};
		struct hc_bimod_trace t = {0};
		struct hc_err err = {0};
		uint32_t *lab, *alone;
		double q, q0;

		planted(&g, 300, 200, 12, 3000, 600, seed);
		lab = hc_mallocarray(hc_bigraph_nodes(&g), sizeof(*lab));
		alone = hc_mallocarray(hc_bigraph_nodes(&g), sizeof(*alone));
		for (size_t i = 0; i < hc_bigraph_nodes(&g); i++)
			alone[i] = (uint32_t)i;
		q0 = o.standard ? hc_modularity_standard(&g, alone, o.resolution)
				: hc_modularity_bipartite(&g, alone, o.resolution);
		ck_assert_int_eq(hc_bimod_louvain(&g, &o, lab, &q, &t, &err), 0);
		ck_assert_uint_gt(t.n, 1);
		ck_assert_double_ge(t.q[0], q0 - 1e-12);
		for (size_t k = 1; k < t.n; k++)
			ck_assert_msg(t.q[k] >= t.q[k - 1] - 1e-12,
				      "seed %lu: pass %zu lowers Q_B: %.15g -> %.15g",
				      (unsigned long)seed, k, t.q[k - 1], t.q[k]);
		ck_assert_double_gt(q, q0);
		ck_assert_double_eq_tol(q, o.standard ? hc_modularity_standard(&g, lab, o.resolution)
						      : hc_modularity_bipartite(&g, lab, o.resolution),
					1e-12);
		ck_assert_uint_ge(t.levels, 1);
		hc_bimod_trace_release(&t);
		hc_free(lab);
		hc_free(alone);
		hc_bigraph_release(&g);
	}
}
END_TEST

START_TEST(bimod_finds_blocks)
{
	/* Three separate blocks, each every user with every item:
	 * users 0-3 x items 0-2, users 4-6 x items 3-6, users 7-8 x items
	 * 7-8; each block must be one cluster holding both sides. */
	uint32_t uv[2 * 64];
	size_t n = 0;
	const uint32_t bu[] = {0, 4, 7, 9}, bi[] = {0, 3, 7, 9};
	struct hc_bigraph g;
	struct hc_bimod_opts o = {.resolution = 1, .tol = 0};
	struct hc_err err = {0};
	uint32_t lab[18];

	for (int b = 0; b < 3; b++)
		for (uint32_t u = bu[b]; u < bu[b + 1]; u++)
			for (uint32_t v = bi[b]; v < bi[b + 1]; v++) {
				uv[n++] = u;
				uv[n++] = v;
			}
	graph_of(&g, 9, 9, uv, NULL, n / 2, 0);
	ck_assert_int_eq(hc_bimod_louvain(&g, &o, lab, NULL, NULL, &err), 0);
	for (int b = 0; b < 3; b++) {
		uint32_t c = lab[bu[b]];

		for (uint32_t u = bu[b]; u < bu[b + 1]; u++)
			ck_assert_uint_eq(lab[u], c);
		for (uint32_t v = bi[b]; v < bi[b + 1]; v++)
			ck_assert_uint_eq(lab[9 + v], c);
		for (int b2 = 0; b2 < b; b2++)
			ck_assert_uint_ne(lab[bu[b2]], c);
	}
	hc_bigraph_release(&g);
}
END_TEST

START_TEST(bimod_isolated_and_empty)
{
	/* user 1 and item 1 have no edges: they stay alone */
	const uint32_t uv[] = {0, 0, 2, 0};
	struct hc_bigraph g;
	struct hc_bimod_opts o = {.resolution = 1, .tol = HC_BIMOD_TOL};
	struct hc_err err = {0};
	uint32_t lab[5];

	graph_of(&g, 3, 2, uv, NULL, 2, 0);
	ck_assert_int_eq(hc_bimod_louvain(&g, &o, lab, NULL, NULL, &err), 0);
	ck_assert_uint_ne(lab[1], lab[0]);
	ck_assert_uint_ne(lab[1], lab[2]);
	ck_assert_uint_ne(lab[4], lab[3]);
	ck_assert_uint_ne(lab[4], lab[1]);
	hc_bigraph_release(&g);
}
END_TEST

/* ---- igraph's methods: seeds, resolution ---------------------------- */

START_TEST(igraph_seeded)
{
	struct hc_bigraph g;
	struct hc_err err = {0};
	size_t n;
	uint32_t *a, *b;

	planted(&g, 400, 300, 20, 4000, 800, 11);
	n = hc_bigraph_nodes(&g);
	a = hc_mallocarray(n, sizeof(*a));
	b = hc_mallocarray(n, sizeof(*b));
	for (int m = HC_CLUSTER_LOUVAIN; m <= HC_CLUSTER_STANDARD; m++) {
		struct hc_cluster_opts o = {.method = m, .resolution = 2,
					    .beta = 0.01, .iterations = -1,
					    .seed = 3};
		double q1, q2;
		uint32_t k1u, k1i, k2u, k2i;
		unsigned char *scratch = hc_malloc(n);

		ck_assert_msg(hc_cluster_run(&g, &o, a, &q1, &err) == 0, "%s", err.msg);
		/* igraph's generator moves on between calls: reseeding is what
		 * makes the second run equal */
		ck_assert_int_eq(hc_cluster_run(&g, &o, b, &q2, &err), 0);
		ck_assert_mem_eq(a, b, n * sizeof(*a));
		ck_assert_double_eq(q1, q2);
		ck_assert_double_gt(q1, 0.1);
		/* a higher resolution gives more clusters */
		hc_cluster_count(&g, a, scratch, &k1u, &k1i);
		o.resolution = 20;
		ck_assert_int_eq(hc_cluster_run(&g, &o, b, NULL, &err), 0);
		hc_cluster_count(&g, b, scratch, &k2u, &k2i);
		ck_assert_uint_gt(k2u + k2i, k1u + k1i);
		hc_free(scratch);
	}
	hc_free(a);
	hc_free(b);
	hc_bigraph_release(&g);
}
END_TEST

START_TEST(standard_close_to_igraph)
{
	/* hicard's Louvain on Q and igraph's reach about the same Q */
	struct hc_bigraph g;
	struct hc_err err = {0};
	uint32_t *lab;

	planted(&g, 2000, 1500, 60, 20000, 600, 17);
	lab = hc_mallocarray(hc_bigraph_nodes(&g), sizeof(*lab));
	for (double gamma = 1; gamma <= 30; gamma *= 5) {
		struct hc_cluster_opts o = {.method = HC_CLUSTER_LOUVAIN,
					    .resolution = gamma, .seed = 1};
		double qi, qs;

		ck_assert_int_eq(hc_cluster_run(&g, &o, lab, &qi, &err), 0);
		o.method = HC_CLUSTER_STANDARD;
		ck_assert_int_eq(hc_cluster_run(&g, &o, lab, &qs, &err), 0);
		ck_assert_msg(fabs(qs - qi) < 0.02 * fabs(qi),
			      "resolution %g: Q %g (hicard) against %g (igraph)",
			      gamma, qs, qi);
	}
	hc_free(lab);
	hc_bigraph_release(&g);
}
END_TEST

START_TEST(native_matches_igraph)
{
	/* louvain-native (igraph's objective and stopping rules, hicard's
	 * code) reaches igraph's Q within 2% on planted graphs of several
	 * mixes and resolutions (seen: -1.9% to +0.4%; igraph's shuffled
	 * order against id order), is repeatable, and a higher resolution gives
	 * it no fewer clusters (and more from the first to the last) */
	static const struct { uint32_t nu, ni, c; size_t e; unsigned p; uint64_t seed; } cases[] = {
		{2000, 1500, 60, 20000, 600, 17},
		{1500, 2500, 40, 15000, 400, 23},
		{800, 600, 10, 12000, 900, 31},
	};

	for (size_t t = 0; t < sizeof(cases) / sizeof(*cases); t++) {
		struct hc_bigraph g;
		struct hc_err err = {0};
		uint32_t *a, *b, prev = 0, first = 0;
		unsigned char *scratch;
		size_t n;

		planted(&g, cases[t].nu, cases[t].ni, cases[t].c, cases[t].e,
			cases[t].p, cases[t].seed);
		n = hc_bigraph_nodes(&g);
		a = hc_mallocarray(n, sizeof(*a));
		b = hc_mallocarray(n, sizeof(*b));
		scratch = hc_malloc(n);
		for (double gamma = 1; gamma <= 30; gamma *= 3) {
			struct hc_cluster_opts o = {.method = HC_CLUSTER_LOUVAIN,
						    .resolution = gamma, .seed = 1};
			double qi, qn, q2;
			uint32_t ku, ki;

			ck_assert_int_eq(hc_cluster_run(&g, &o, a, &qi, &err), 0);
			o.method = HC_CLUSTER_LOUVAIN_NATIVE;
			ck_assert_int_eq(hc_cluster_run(&g, &o, a, &qn, &err), 0);
			ck_assert_msg(fabs(qn - qi) < 0.02 * fabs(qi),
				      "case %zu, resolution %g: Q %g (native) against %g (igraph)",
				      t, gamma, qn, qi);
			ck_assert_double_eq_tol(qn, hc_modularity_standard(&g, a, gamma), 1e-12);
			o.seed = 2;  /* deterministic: the seed plays no part */
			ck_assert_int_eq(hc_cluster_run(&g, &o, b, &q2, &err), 0);
			ck_assert_mem_eq(a, b, n * sizeof(*a));
			hc_cluster_count(&g, a, scratch, &ku, &ki);
			ck_assert_uint_ge(ku + ki, prev);
			prev = ku + ki;
			if (!first)
				first = prev;
		}
		ck_assert_uint_gt(prev, first);
		hc_free(scratch);
		hc_free(a);
		hc_free(b);
		hc_bigraph_release(&g);
	}
}
END_TEST

START_TEST(native_no_worse_than_standard)
{
	/* the same code with the tolerance at zero can only go further */
	struct hc_bigraph g;
	struct hc_err err = {0};
	uint32_t *lab;

	planted(&g, 2000, 1500, 60, 20000, 600, 17);
	lab = hc_mallocarray(hc_bigraph_nodes(&g), sizeof(*lab));
	for (double gamma = 1; gamma <= 100; gamma *= 10) {
		struct hc_cluster_opts o = {.method = HC_CLUSTER_STANDARD,
					    .resolution = gamma};
		double qs, qn;

		ck_assert_int_eq(hc_cluster_run(&g, &o, lab, &qs, &err), 0);
		o.method = HC_CLUSTER_LOUVAIN_NATIVE;
		ck_assert_int_eq(hc_cluster_run(&g, &o, lab, &qn, &err), 0);
		ck_assert_msg(qn >= qs - 1e-3 * fabs(qs), "resolution %g: %g < %g",
			      gamma, qn, qs);
	}
	hc_free(lab);
	hc_bigraph_release(&g);
}
END_TEST

/* What the progress callback saw. */
struct seen {
	unsigned calls, last_level, last_pass, max_level, igraph_calls;
	double last_q;
	int order_ok;
};

static void record(void *arg, unsigned level, unsigned pass, double q)
{
	struct seen *s = arg;

	if (level == 0) {  /* igraph: a count, no modularity */
		if (pass != s->igraph_calls + 1 || !isnan(q))
			s->order_ok = 0;
		s->igraph_calls = pass;
		return;
	}
	/* levels go up from 1, passes from 1 within each; Q never drops */
	if (!(level == s->last_level ? pass == s->last_pass + 1
				     : level == s->last_level + 1 && pass == 1) ||
	    (s->calls && q < s->last_q - 1e-12))
		s->order_ok = 0;
	s->calls++;
	s->last_level = level;
	s->last_pass = pass;
	s->last_q = q;
	if (level > s->max_level)
		s->max_level = level;
}

START_TEST(progress_reports_passes)
{
	struct hc_bigraph g;
	struct hc_err err = {0};
	uint32_t *lab;

	planted(&g, 2000, 1500, 60, 20000, 600, 17);
	lab = hc_mallocarray(hc_bigraph_nodes(&g), sizeof(*lab));
	for (int m = HC_CLUSTER_LOUVAIN; m <= HC_CLUSTER_LOUVAIN_NATIVE; m++) {
		struct seen s = {.order_ok = 1};
		struct hc_cluster_opts o = {.method = m, .resolution = 5,
					    .beta = 0.01, .iterations = -1,
					    .seed = 1, .progress = record,
					    .progress_arg = &s};
		double q;

		ck_assert_int_eq(hc_cluster_run(&g, &o, lab, &q, &err), 0);
		ck_assert_msg(s.order_ok, "method %d", m);
		if (m == HC_CLUSTER_LOUVAIN) {
			/* a pass at least, and none once the call is over */
			ck_assert_uint_gt(s.igraph_calls, 1);
			ck_assert_uint_eq(s.calls, 0);
			s.igraph_calls = 0;
			o.progress = NULL;
			ck_assert_int_eq(hc_cluster_run(&g, &o, lab, &q, &err), 0);
			ck_assert_uint_eq(s.igraph_calls, 0);
		} else if (m != HC_CLUSTER_LEIDEN) {
			/* hicard's methods: every pass, and the Q kept from
			 * the gains ends where the partition's Q is */
			ck_assert_uint_eq(s.igraph_calls, 0);
			ck_assert_uint_gt(s.calls, 2);
			ck_assert_uint_gt(s.max_level, 1);
			ck_assert_double_eq_tol(s.last_q, q, 1e-9);
		}
	}
	hc_free(lab);
	hc_bigraph_release(&g);
}
END_TEST

/* ---- the resolution search -------------------------------------------- */

START_TEST(search_lands_within_tolerance)
{
	struct hc_bigraph g;
	size_t n;
	uint32_t *lab;
	unsigned char *scratch;
	const uint64_t targets[] = {200, 600, 0};

	planted(&g, 3000, 2000, 100, 30000, 700, 21);
	n = hc_bigraph_nodes(&g);
	lab = hc_mallocarray(n, sizeof(*lab));
	scratch = hc_malloc(n);
	for (int m = HC_CLUSTER_LOUVAIN; m <= HC_CLUSTER_STANDARD; m++)
		for (size_t t = 0; t < 3; t++) {
			struct hc_cluster_opts o = {.method = m, .resolution = 1,
						    .beta = 0.01, .iterations = 2};
			struct hc_cluster_search s = {.side = HC_SIDE_BOTH,
						      .target = targets[t]};
			struct hc_err err = {0};
			uint32_t ku, ki;

			if (t == 2)
				s.side = HC_SIDE_ITEMS, s.target = 300;
			ck_assert_int_eq(hc_cluster_search(&g, &o, &s, lab, NULL, &err), 0);
			hc_cluster_count(&g, lab, scratch, &ku, &ki);
			ck_assert_msg(s.reached, "method %d target %lu: %lu after %u tries",
				      m, (unsigned long)s.target,
				      (unsigned long)s.found, s.tries);
			ck_assert_uint_eq(s.found, t == 2 ? ki : ku + ki);
			ck_assert_double_le(fabs((double)s.found - (double)s.target),
					    HC_CLUSTER_SEARCH_TOL * (double)s.target);
		}
	hc_free(lab);
	hc_free(scratch);
	hc_bigraph_release(&g);
}
END_TEST

START_TEST(search_unreachable)
{
	/* Three separate blocks: at any resolution at least 3 user and 3
	 * item clusters, so 2 cannot be reached; the closest comes back. */
	uint32_t uv[2 * 64];
	size_t n = 0;
	const uint32_t bu[] = {0, 4, 7, 9}, bi[] = {0, 3, 7, 9};
	struct hc_bigraph g;
	struct hc_cluster_opts o = {.method = HC_CLUSTER_BIPARTITE,
				    .resolution = 1};
	struct hc_cluster_search s = {.side = HC_SIDE_BOTH, .target = 2};
	struct hc_err err = {0};
	uint32_t lab[18];

	for (int b = 0; b < 3; b++)
		for (uint32_t u = bu[b]; u < bu[b + 1]; u++)
			for (uint32_t v = bi[b]; v < bi[b + 1]; v++) {
				uv[n++] = u;
				uv[n++] = v;
			}
	graph_of(&g, 9, 9, uv, NULL, n / 2, 0);
	ck_assert_int_eq(hc_cluster_search(&g, &o, &s, lab, NULL, &err), 0);
	ck_assert_int_eq(s.reached, 0);
	ck_assert_uint_eq(s.found, 6);
	ck_assert_uint_le(s.tries, HC_CLUSTER_SEARCH_TRIES);
	hc_bigraph_release(&g);
}
END_TEST

/* ---- numbering and the map --------------------------------------------- */

static void intern_all(struct hc_strmap *m, const char *const *v, size_t n)
{
	int added;

	hc_strmap_init(m);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(hc_strmap_intern(m, v[i], strlen(v[i]), &added),
				 (int64_t)i);
}

START_TEST(numbering_by_size_then_smallest)
{
	/* labels: clusters 7 {b, ab}, 3 {a}, 5 {c, z}, 2 {x, y, w} */
	const char *const v[] = {"b", "a", "c", "x", "ab", "y", "z", "w"};
	const uint32_t lab[] = {7, 3, 5, 2, 7, 2, 5, 2};
	struct hc_strmap m;
	struct hc_err err = {0};
	uint32_t num[8], k;

	intern_all(&m, v, 8);
	ck_assert_int_eq(hc_cluster_number(lab, 8, 8, &m, num, &k, &err), 0);
	ck_assert_uint_eq(k, 4);
	/* size 3 first; then {ab, b} (smallest "ab") before {c, z}; then {a} */
	ck_assert_uint_eq(num[3], 0);
	ck_assert_uint_eq(num[0], 1);
	ck_assert_uint_eq(num[4], 1);
	ck_assert_uint_eq(num[2], 2);
	ck_assert_uint_eq(num[1], 3);
	hc_strmap_release(&m);
}
END_TEST

START_TEST(map_order_and_quoting)
{
	const char *const users[] = {"u,2", "u1", "u", "\"q\""};
	const uint32_t unum[] = {0, 1, 0, 0};
	const char *const items[] = {"b", "a"};
	const uint32_t inum[] = {0, 0};
	const char *want = "column,value,cluster\n"
			   "user id,\"\"\"q\"\"\",0\n"
			   "user id,u,0\n"
			   "user id,\"u,2\",0\n"
			   "user id,u1,1\n"
			   "item,a,0\n"
			   "item,b,0\n";
	struct hc_strmap mu, mi;
	struct hc_err err = {0};
	char *dir = th_tmp_dir(), *path = th_path_join(dir, "map.csv"), *text;
	struct hc_out *out;
	size_t len;

	intern_all(&mu, users, 4);
	intern_all(&mi, items, 2);
	out = hc_out_open(path, &err);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(hc_cluster_write_map(out, "user id", &mu, unum, "item",
					      &mi, inum, &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	text = th_read_file(path, &len);
	ck_assert_str_eq(text, want);
	free(text);
	th_rm_dir(dir);
	free(path);
	free(dir);
	hc_strmap_release(&mu);
	hc_strmap_release(&mi);
}
END_TEST

START_TEST(sizes)
{
	const uint32_t num[] = {0, 0, 0, 1, 1, 2};
	const double deg[] = {1, 2, 0, 1, 1, 0};
	struct hc_cluster_sizes s;
	struct hc_err err = {0};

	ck_assert_int_eq(hc_cluster_sizes(num, deg, 6, 3, &s, &err), 0);
	ck_assert_uint_eq(s.max, 3);
	ck_assert_uint_eq(s.min, 1);
	ck_assert_uint_eq(s.median, 2);
	ck_assert_uint_eq(s.singletons, 1);
	ck_assert_uint_eq(s.isolated, 2);
	ck_assert_double_eq_tol(s.largest_share, 0.5, EPS);
}
END_TEST

Suite *suite_cluster(void)
{
	Suite *s = suite_create("cluster");
	TCase *tc = tcase_create("cluster");

	tcase_add_test(tc, build_merges_and_sorts);
	tcase_add_test(tc, read_empty_values_and_self_pairs);
	tcase_add_test(tc, modularity_two_pairs);
	tcase_add_test(tc, modularity_path_weighted);
	tcase_add_test(tc, modularity_matches_igraph);
	tcase_add_test(tc, bimod_never_lowers);
	tcase_add_test(tc, bimod_finds_blocks);
	tcase_add_test(tc, bimod_isolated_and_empty);
	tcase_add_test(tc, igraph_seeded);
	tcase_add_test(tc, standard_close_to_igraph);
	tcase_add_test(tc, native_matches_igraph);
	tcase_add_test(tc, native_no_worse_than_standard);
	tcase_add_test(tc, progress_reports_passes);
	tcase_add_test(tc, search_lands_within_tolerance);
	tcase_add_test(tc, search_unreachable);
	tcase_add_test(tc, numbering_by_size_then_smallest);
	tcase_add_test(tc, map_order_and_quoting);
	tcase_add_test(tc, sizes);
	suite_add_tcase(s, tc);
	return s;
}
