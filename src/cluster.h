/* cluster.h - GraphHash bucket maps: cluster the user-item graph, number
 * the clusters of each side, search the resolution for a table size
 *
 * The core of `hicard cluster` (see GraphHash in docs/papers.md): a
 * partition of the bipartite graph (bigraph.h) by one of three methods,
 * then a dense, deterministic numbering of the clusters seen by each side,
 * which `hicard hash --scheme graph` uses as bucket ids.
 *
 *   louvain    igraph_community_multilevel, standard modularity
 *   leiden     igraph_community_leiden, the modularity objective (node
 *              weights = degrees, resolution / 2m, as igraph documents)
 *   bipartite  bimod.h's Louvain on Barber's bipartite modularity (the
 *              GraphHash reference's objective)
 *   standard   bimod.h's Louvain on the standard modularity: louvain's
 *              objective with bipartite's stopping rules, 10 to 20 times
 *              faster than igraph's at the resolutions GraphHash uses
 *   louvain-native
 *              the same Louvain on the standard modularity with igraph's
 *              stopping rules (passes until one gains nothing, levels
 *              until one merges nothing): louvain's objective and rules,
 *              nodes visited in id order instead of igraph's shuffle;
 *              on Gowalla within 1% of igraph's Q and cluster counts, in
 *              a tenth of its time (igraph's multilevel sorts each node's
 *              links at every visit, through 40 to 70 passes)
 *
 * igraph's random numbers come from its default generator, which is state
 * global to the process; hc_cluster_run seeds it from opts->seed on every
 * call, so a run (and each try of a resolution search) is reproducible.
 * igraph's error and warning handlers are replaced for the duration of
 * the call (igraph's default aborts) and restored after.  igraph allocates
 * through its own malloc, outside lib/mem.h's failure injection.
 */
#ifndef HC_CLUSTER_H
#define HC_CLUSTER_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/out.h"
#include "lib/strmap.h"
#include "src/bigraph.h"

enum hc_cluster_method {
	HC_CLUSTER_LOUVAIN,
	HC_CLUSTER_LEIDEN,
	HC_CLUSTER_BIPARTITE,
	HC_CLUSTER_STANDARD,
	HC_CLUSTER_LOUVAIN_NATIVE,
};

/* "louvain", "leiden", "bipartite", "standard", "louvain-native"; and
 * back (-1 if unknown). */
const char *hc_cluster_method_name(enum hc_cluster_method m);
int hc_cluster_method_parse(const char *s);

struct hc_cluster_opts {
	enum hc_cluster_method method;
	double resolution;   /* > 0 */
	double beta;         /* leiden's randomness (igraph: 0.01) */
	int64_t iterations;  /* leiden's iterations; negative: until stable */
	uint64_t seed;
	/* If not NULL, called as the clustering goes: after every local-moving
	 * pass of hicard's methods, with the level, the pass within it and the
	 * objective so far; for igraph's methods at every point where igraph
	 * allows an interruption (a pass of louvain), with level 0, the count
	 * of such points and NaN (igraph says no more).  For a progress meter:
	 * it must not fail. */
	void (*progress)(void *arg, unsigned level, unsigned pass, double q);
	void *progress_arg;
};

/* Partitions g: labels (hc_bigraph_nodes(g) of them, users first) get
 * cluster labels below hc_bigraph_nodes(g), shared by both sides.
 * *objective gets what the method maximised, at its resolution (Q for
 * louvain, leiden and standard, Q_B for bipartite).  0, or -1 with err
 * set. */
int hc_cluster_run(const struct hc_bigraph *g,
		   const struct hc_cluster_opts *o, uint32_t *labels,
		   double *objective, struct hc_err *err);

/* igraph's two methods, for hc_cluster_run. */
int hc_cluster_igraph(const struct hc_bigraph *g,
		      const struct hc_cluster_opts *o, uint32_t *labels,
		      double *objective, struct hc_err *err);

/* Distinct labels among the users (labels[0..nusers)) and among the
 * items.  scratch holds hc_bigraph_nodes(g) bytes. */
void hc_cluster_count(const struct hc_bigraph *g, const uint32_t *labels,
		      unsigned char *scratch, uint32_t *users,
		      uint32_t *items);

/* What a resolution search aims at. */
enum hc_cluster_side {
	HC_SIDE_BOTH,   /* user clusters + item clusters */
	HC_SIDE_USERS,
	HC_SIDE_ITEMS,
};

/* The search's tolerance: |clusters - target| <= 2% of the target. */
#define HC_CLUSTER_SEARCH_TOL 0.02
/* At most this many clusterings, and resolutions within these bounds:
 * counts grow roughly linearly with the resolution, so 40 tries on a log
 * scale reach any target that the graph allows. */
#define HC_CLUSTER_SEARCH_TRIES 40
#define HC_CLUSTER_RES_MIN 1e-6
#define HC_CLUSTER_RES_MAX 1e9
/* A bracket narrower than this (relative) holds a jump in the count that
 * no resolution splits: seen on graphs of a few hundred nodes, where one
 * merge more or less moves the count by 10% or more. */
#define HC_CLUSTER_RES_STEP 1e-5

struct hc_cluster_search {
	enum hc_cluster_side side;
	uint64_t target;
	/* Filled in: */
	double resolution;   /* of the partition returned */
	uint64_t found;      /* its count on the side searched */
	unsigned tries;
	int reached;         /* within HC_CLUSTER_SEARCH_TOL */
};

/* Checks that s->target can be made at all: at most as many clusters as
 * nodes on the side searched.  0, or -1 with err set (HC_ERR_DATA, the
 * message naming the option: --buckets, --user-buckets, --item-buckets). */
int hc_cluster_search_check(const struct hc_bigraph *g,
			    const struct hc_cluster_search *s,
			    struct hc_err *err);

/* Searches o->resolution (the starting point; *o is not changed) so that
 * the clusters of s->side number s->target within the tolerance: steps
 * of target / count (clusters grow about linearly with the resolution;
 * each step within a factor of 1.25 to 64) until the target is
 * bracketed, then interpolation in log-log (clusters ~ resolution^k),
 * falling back to halving the log interval.  labels get the partition closest to the target (the first
 * one found at that distance); if none is within the tolerance, s->reached
 * is 0 and the closest is returned.  0, or -1 with err set. */
int hc_cluster_search(const struct hc_bigraph *g,
		      const struct hc_cluster_opts *o,
		      struct hc_cluster_search *s, uint32_t *labels,
		      double *objective, struct hc_err *err);

/* The dense numbering of one side: the clusters its n nodes fall in
 * (labels[0..n), each below `range`) numbered 0..K-1 by size, larger
 * first, then by smallest member in value byte order (memcmp, a prefix
 * before the longer value).  values holds node i's text as id i.  out[i]
 * gets node i's number, *k the count.  0, or -1 with err set (memory). */
int hc_cluster_number(const uint32_t *labels, size_t n, size_t range,
		      const struct hc_strmap *values, uint32_t *out,
		      uint32_t *k, struct hc_err *err);

/* Sizes of the K clusters of a numbered side (hc_cluster_number). */
struct hc_cluster_sizes {
	uint32_t nodes, clusters;
	uint32_t min, median, max;  /* members per cluster */
	uint32_t singletons;        /* clusters of one member */
	uint32_t isolated;          /* nodes without edges */
	double largest_share;       /* max / nodes */
};

/* deg is the side's degrees (an isolated node has 0). */
int hc_cluster_sizes(const uint32_t *num, const double *deg, size_t n,
		     uint32_t k, struct hc_cluster_sizes *s,
		     struct hc_err *err);

/* Writes the map: the header "column,value,cluster", then one row per
 * user (column ucol), then one per item (column icol), each side sorted
 * by cluster number, then by value bytes.  Errors are out's. */
int hc_cluster_write_map(struct hc_out *out, const char *ucol,
			 const struct hc_strmap *users, const uint32_t *unum,
			 const char *icol, const struct hc_strmap *items,
			 const uint32_t *inum, struct hc_err *err);

/* Everything the report and the summary say about one run. */
struct hc_cluster_result {
	enum hc_cluster_method method;
	double resolution;
	uint64_t seed;
	double objective;                /* at the resolution */
	double q_standard, q_bipartite;  /* at resolution 1 */
	uint64_t rows, skipped;
	size_t edges;                    /* distinct pairs */
	double weight;                   /* their total weight */
	int binary;
	struct hc_cluster_sizes users, items;
	const struct hc_cluster_search *search;  /* NULL: no search */
	double seconds_read, seconds_build, seconds_cluster, seconds_write;
};

/* The --report document (JSON); NULL with err set (memory). */
cJSON *hc_cluster_report(const struct hc_cluster_result *r,
			 struct hc_err *err);

/* The one-paragraph summary for stderr, into buf. */
void hc_cluster_summary(const struct hc_cluster_result *r, char *buf,
			size_t cap);

#endif
