/* cluster.c - `hicard cluster`: GraphHash bucket maps from interactions
 *
 * Wiring: CSV rows (lib/csv_read.c) into an edge list (src/cluster_read.c),
 * the user-item graph (src/bigraph.c), a partition (src/cluster.c: igraph
 * or src/bimod.c), per-side cluster numbers, then the map (CSV), the
 * --report (JSON) and a summary on stderr.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "lib/csv_read.h"
#include "lib/mem.h"
#include "lib/progress.h"
#include "lib/select.h"
#include "src/bimod.h"
#include "src/cluster.h"
#include "src/cluster_read.h"

static const char *const usage[] = {
	"hicard cluster --user COL --item COL [--weight COL|--binary] [--method louvain|leiden|bipartite|standard|louvain-native] [--resolution R] [--buckets N|--user-buckets N|--item-buckets N] [--report FILE] [-o FILE] [FILE]",
	NULL,
};

static const char about[] =
	"Reads user-item interactions (one row per event), clusters the\n"
	"bipartite graph by modularity and writes a map from every user and\n"
	"every item to a cluster number, dense per side (0..K-1), for\n"
	"`hicard hash --scheme graph` (GraphHash).  The map is CSV:\n"
	"column,value,cluster; users first, then items.  --buckets searches\n"
	"the resolution that gives a table of N rows (users plus items).";

struct cluster_opts {
	struct hc_common c;
	const char *user, *item, *weight, *method, *report;
	int binary;
	double resolution, beta;
	uint64_t buckets, user_buckets, item_buckets, iterations;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The clustering's meter: levels, passes and modularity on a terminal
 * (lib/progress.h's rules: not under -q, after a second, 4 times a
 * second at most), cleared before the summary. */
struct meter {
	int on, shown;
	const char *method;
	double start, last;
};

static void on_pass(void *arg, unsigned level, unsigned pass, double q)
{
	struct meter *m = arg;
	double t;

	if (!m->on)
		return;
	t = now();
	if (t - m->start < 1.0 || t - m->last < 0.25)
		return;
	m->last = t;
	m->shown = 1;
	if (level)
		fprintf(stderr, "\rcluster: %s: level %u, pass %u, modularity %.6f ",
			m->method, level, pass, q);
	else
		fprintf(stderr, "\rcluster: %s: pass %u, %.0f s ", m->method, pass,
			t - m->start);
}

static int check_opts(const struct cluster_opts *o, int nargs)
{
	if (!o->user || !o->item)
		return hc_cmd_usage("cluster", "--user and --item are required");
	if (o->binary && o->weight)
		return hc_cmd_usage("cluster", "--binary counts each pair once; it does not go with --weight");
	if (hc_cluster_method_parse(o->method) < 0)
		return hc_cmd_usage("cluster", "unknown method '%s' (louvain, leiden, bipartite, standard or louvain-native)", o->method);
	if (!!o->buckets + !!o->user_buckets + !!o->item_buckets > 1)
		return hc_cmd_usage("cluster", "--buckets, --user-buckets and --item-buckets go one at a time");
	if (nargs > 1)
		return hc_cmd_usage("cluster", "one FILE at most, not %d", nargs);
	return 0;
}

/* The three columns; -1 (err set) for a missing or doubled one. */
static int columns(const struct cluster_opts *o, struct hc_csv_reader *csv,
		   long col[3], struct hc_err *err)
{
	const char *const *names = hc_csv_colnames(csv);
	size_t n = hc_csv_ncols(csv);

	col[2] = -1;
	if ((col[0] = hc_select_one(o->user, names, n, err)) < 0 ||
	    (col[1] = hc_select_one(o->item, names, n, err)) < 0 ||
	    (o->weight && (col[2] = hc_select_one(o->weight, names, n, err)) < 0))
		return -1;
	if (col[0] == col[1] || col[2] == col[0] || col[2] == col[1])
		return hc_err_set(err, HC_ERR_USAGE, "--user, --item and --weight must name different columns");
	return 0;
}

/* Numbers both sides, measures them, writes the map. */
static int finish(const struct cluster_opts *o, struct hc_interactions *in,
		  const struct hc_bigraph *g, const uint32_t *labels,
		  const char *ucol, const char *icol,
		  struct hc_cluster_result *r, struct hc_err *err)
{
	size_t n = hc_bigraph_nodes(g);
	uint32_t *num = hc_mallocarray(n ? n : 1, sizeof(*num));
	uint32_t ku, ki;
	struct hc_out *out = NULL;
	double t0;
	int rc = -1;

	if (!num)
		return hc_err_nomem(err);
	if (hc_cluster_number(labels, g->nusers, n, &in->users, num, &ku, err) != 0 ||
	    hc_cluster_number(labels + g->nusers, g->nitems, n, &in->items,
			      num + g->nusers, &ki, err) != 0 ||
	    hc_cluster_sizes(num, g->udeg, g->nusers, ku, &r->users, err) != 0 ||
	    hc_cluster_sizes(num + g->nusers, g->ideg, g->nitems, ki, &r->items, err) != 0)
		goto done;
	r->q_standard = hc_modularity_standard(g, labels, 1);
	r->q_bipartite = hc_modularity_bipartite(g, labels, 1);
	t0 = now();
	if (!(out = hc_out_open(o->c.output, err)))
		goto done;
	if (hc_cluster_write_map(out, ucol, &in->users, num, icol, &in->items,
				 num + g->nusers, err) != 0) {
		hc_out_abort(out);
		goto done;
	}
	rc = hc_out_close(out, err);
	r->seconds_write = now() - t0;
done:
	hc_free(num);
	return rc;
}

static int write_report(const char *path, const struct hc_cluster_result *r,
			struct hc_err *err)
{
	cJSON *doc = hc_cluster_report(r, err);
	char *text = doc ? cJSON_Print(doc) : NULL;
	struct hc_out *out = NULL;
	int rc = -1;

	if (!text)
		goto done;
	if (!(out = hc_out_open(path, err)))
		goto done;
	if (hc_out_puts(out, text) != 0 || hc_out_putc(out, '\n') != 0) {
		*err = out->err;
		hc_out_abort(out);
		goto done;
	}
	rc = hc_out_close(out, err);
done:
	if (doc && !text)
		hc_err_nomem(err);
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}

/* Clusters g at the resolution, or searches one for a table size. */
static int partition(const struct cluster_opts *o, const struct hc_bigraph *g,
		     struct hc_cluster_opts *co, struct hc_cluster_search *s,
		     struct hc_cluster_result *r, uint32_t *labels,
		     struct hc_err *err)
{
	s->target = o->buckets ? o->buckets : o->user_buckets ? o->user_buckets
							     : o->item_buckets;
	s->side = o->user_buckets ? HC_SIDE_USERS : o->item_buckets ? HC_SIDE_ITEMS
								    : HC_SIDE_BOTH;
	if (!s->target)
		return hc_cluster_run(g, co, labels, &r->objective, err);
	if (hc_cluster_search_check(g, s, err) != 0 ||
	    hc_cluster_search(g, co, s, labels, &r->objective, err) != 0)
		return -1;
	co->resolution = s->resolution;
	r->search = s;
	if (!s->reached)
		fprintf(stderr, "hicard cluster: warning: no resolution gives %llu clusters within %.0f%%; the closest, %llu at resolution %.6g, is used\n",
			(unsigned long long)s->target, 100 * HC_CLUSTER_SEARCH_TOL,
			(unsigned long long)s->found, s->resolution);
	return 0;
}

static int run(const struct cluster_opts *o, const char *path, struct hc_err *err)
{
	struct hc_cluster_opts co = {.method = hc_cluster_method_parse(o->method),
				     .resolution = o->resolution, .beta = o->beta,
				     .iterations = o->iterations ? (int64_t)o->iterations : -1,
				     .seed = o->c.seed};
	struct hc_cluster_result r = {.method = co.method, .seed = o->c.seed,
				      .binary = o->binary};
	struct hc_cluster_search s = {0};
	struct hc_csv_opts copts;
	struct hc_csv_reader *csv;
	struct hc_interactions in;
	struct hc_bigraph g = {0};
	struct hc_progress prog;
	struct meter meter = {.method = o->method};
	uint32_t *labels = NULL;
	long col[3];
	double t0 = now();
	char *names[2] = {NULL, NULL};
	int rc = -1;

	hc_interactions_init(&in);
	if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(csv = hc_csv_open(path, &copts, err)))
		return -1;
	if (columns(o, csv, col, err) != 0)
		goto done;
	if (!(names[0] = hc_strdup(hc_csv_colname(csv, (size_t)col[0]))) ||
	    !(names[1] = hc_strdup(hc_csv_colname(csv, (size_t)col[1])))) {
		hc_err_nomem(err);
		goto done;
	}
	hc_progress_start(&prog, "cluster", hc_csv_bytes_total(csv), o->c.quiet);
	rc = hc_interactions_read(&in, csv, (size_t)col[0], (size_t)col[1],
				  col[2], &prog, err);
	hc_progress_end(&prog);
	if (rc != 0)
		goto done;
	rc = -1;
	if (in.edges.n == 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: no interactions: no row has both a user and an item",
			   hc_csv_name(csv));
		goto done;
	}
	r.seconds_read = now() - t0;
	t0 = now();
	if (hc_bigraph_build(&g, &in.edges, (uint32_t)hc_strmap_count(&in.users),
			     (uint32_t)hc_strmap_count(&in.items), o->binary, err) != 0)
		goto done;
	hc_edges_release(&in.edges);
	r.rows = in.rows;
	r.skipped = in.skipped;
	r.edges = g.nedges;
	r.weight = g.total;
	r.seconds_build = now() - t0;
	if (!(labels = hc_mallocarray(hc_bigraph_nodes(&g), sizeof(*labels)))) {
		hc_err_nomem(err);
		goto done;
	}
	t0 = now();
	meter.on = !o->c.quiet && isatty(2);
	meter.start = meter.last = t0;
	co.progress = on_pass;
	co.progress_arg = &meter;
	rc = partition(o, &g, &co, &s, &r, labels, err);
	if (meter.shown)
		fprintf(stderr, "\r\033[K");
	if (rc != 0)
		goto done;
	rc = -1;
	r.resolution = co.resolution;
	r.seconds_cluster = now() - t0;
	if (finish(o, &in, &g, labels, names[0], names[1], &r, err) != 0 ||
	    (o->report && write_report(o->report, &r, err) != 0))
		goto done;
	if (!o->c.quiet) {
		char buf[1024];

		hc_cluster_summary(&r, buf, sizeof(buf));
		fprintf(stderr, "%s", buf);
	}
	rc = 0;
done:
	hc_free(names[0]);
	hc_free(names[1]);
	hc_free(labels);
	hc_bigraph_release(&g);
	hc_interactions_release(&in);
	hc_csv_close(csv);
	return rc;
}

int cmd_cluster(int argc, char **argv)
{
	struct cluster_opts o = {.method = "louvain", .resolution = 1,
				 .beta = 0.01, .iterations = 2};
	const struct hc_opt opts[] = {
		HC_OPT_STR(0, "user", &o.user, "COL", "the user column (a name or 1-based index)"),
		HC_OPT_STR(0, "item", &o.item, "COL", "the item column"),
		HC_OPT_STR(0, "weight", &o.weight, "COL", "a positive weight per row (default: each row weighs 1)"),
		HC_OPT_FLAG(0, "binary", &o.binary, "count a repeated user-item pair once (default: weights add up)"),
		HC_OPT_GROUP("Clustering:"),
		HC_OPT_STR(0, "method", &o.method, "NAME", "louvain (default: igraph), leiden (igraph), bipartite (Barber's modularity, as GraphHash) standard (louvain's objective, hicard's faster Louvain) or louvain-native (louvain's objective and stopping rules, hicard's Louvain)"),
		HC_OPT_DBL(0, "resolution", &o.resolution, "R", 1e-6, 1e9, "modularity resolution: higher, more and smaller clusters (default 1; GraphHash: 200)"),
		HC_OPT_U64(0, "buckets", &o.buckets, "N", 2, UINT32_MAX, "search the resolution for N user plus item clusters (within 2%)"),
		HC_OPT_U64(0, "user-buckets", &o.user_buckets, "N", 1, UINT32_MAX, "... for N user clusters"),
		HC_OPT_U64(0, "item-buckets", &o.item_buckets, "N", 1, UINT32_MAX, "... for N item clusters"),
		HC_OPT_DBL(0, "beta", &o.beta, "B", 0, 1e3, "leiden's randomness in refinement (default 0.01)"),
		HC_OPT_U64(0, "iterations", &o.iterations, "N", 0, 1000000, "leiden's iterations (default 2; 0: until stable)"),
		HC_OPT_GROUP("Output:"),
		HC_OPT_STR(0, "report", &o.report, "FILE", "also write a JSON report of the run to FILE"),
		HC_OPT_GROUP("Common:"),
		HC_OPTS_CSV(&o.c),
		HC_OPTS_OUTPUT(&o.c),
		HC_OPTS_SEED(&o.c),
		HC_OPTS_END(&o.c),
	};
	struct hc_err err = {0};
	int nargs, status;

	if (hc_cmd_parse("cluster", usage, about, opts, &o.c, argc, argv, &nargs,
			 &status) == HC_PARSE_EXIT)
		return status;
	if ((status = check_opts(&o, nargs)) != 0)
		return status;
	if (run(&o, nargs ? argv[1] : NULL, &err) != 0)
		return hc_cmd_fail("cluster", &err);
	return HC_EXIT_OK;
}
