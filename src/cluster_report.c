/* cluster_report.c - the --report JSON and the stderr summary of a run
 *
 * Implements hc_cluster_report and hc_cluster_summary (cluster.h).  The
 * report is for machines (a Makefile records the table size from it);
 * the summary for a person watching the run.  Both say the same things:
 * what ran, how good the partition is, how big the tables are, how the
 * sizes spread, and where the time went.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/cluster.h"

/* 6 significant digits, as profile's report (more would be noise);
 * whole numbers in full. */
static double r6(double v)
{
	char buf[32];

	if (v == floor(v))
		return v;
	snprintf(buf, sizeof(buf), "%.6g", v);
	return strtod(buf, NULL);
}

static int num(cJSON *o, const char *k, double v)
{
	cJSON *r = isfinite(v) ? cJSON_AddNumberToObject(o, k, r6(v))
			       : cJSON_AddNullToObject(o, k);
	return r ? 0 : -1;
}

static int side(cJSON *doc, const char *k, const struct hc_cluster_sizes *s)
{
	cJSON *o = cJSON_AddObjectToObject(doc, k);

	if (!o)
		return -1;
	return num(o, "nodes", s->nodes) | num(o, "clusters", s->clusters) |
	       num(o, "size_min", s->min) | num(o, "size_median", s->median) |
	       num(o, "size_max", s->max) |
	       num(o, "largest_share", s->largest_share) |
	       num(o, "singletons", s->singletons) |
	       num(o, "isolated", s->isolated);
}

static int search(cJSON *doc, const struct hc_cluster_search *s)
{
	static const char *const sides[] = {"both", "users", "items"};
	cJSON *o = cJSON_AddObjectToObject(doc, "search");

	if (!o || !cJSON_AddStringToObject(o, "side", sides[s->side]) ||
	    !cJSON_AddBoolToObject(o, "reached", s->reached))
		return -1;
	return num(o, "target", (double)s->target) |
	       num(o, "found", (double)s->found) |
	       num(o, "tolerance", HC_CLUSTER_SEARCH_TOL) |
	       num(o, "tries", s->tries);
}

cJSON *hc_cluster_report(const struct hc_cluster_result *r,
			 struct hc_err *err)
{
	cJSON *doc = cJSON_CreateObject(), *q, *t;
	double total = (double)r->users.nodes + r->items.nodes;
	double rows = (double)r->users.clusters + r->items.clusters;
	int bad;

	if (!doc)
		goto nomem;
	bad = !cJSON_AddStringToObject(doc, "method",
				       hc_cluster_method_name(r->method));
	bad |= num(doc, "resolution", r->resolution);
	bad |= num(doc, "seed", (double)r->seed);
	bad |= num(doc, "objective", r->objective);
	if (bad || !(q = cJSON_AddObjectToObject(doc, "modularity")))
		goto nomem;
	bad = num(q, "standard", r->q_standard) |
	      num(q, "bipartite", r->q_bipartite);
	bad |= num(doc, "rows", (double)r->rows) |
	       num(doc, "rows_without_edge", (double)r->skipped) |
	       num(doc, "edges", (double)r->edges) |
	       num(doc, "weight", r->weight);
	bad |= !cJSON_AddBoolToObject(doc, "binary", r->binary);
	bad |= side(doc, "users", &r->users) | side(doc, "items", &r->items);
	bad |= num(doc, "table_rows", rows) |
	       num(doc, "table_share", total > 0 ? rows / total : 0);
	if (bad || (r->search && search(doc, r->search) != 0))
		goto nomem;
	if (!(t = cJSON_AddObjectToObject(doc, "seconds")))
		goto nomem;
	if (num(t, "read", r->seconds_read) | num(t, "build", r->seconds_build) |
	    num(t, "cluster", r->seconds_cluster) |
	    num(t, "write", r->seconds_write))
		goto nomem;
	return doc;
nomem:
	cJSON_Delete(doc);
	hc_err_nomem(err);
	return NULL;
}

void hc_cluster_summary(const struct hc_cluster_result *r, char *buf,
			size_t cap)
{
	double total = (double)r->users.nodes + r->items.nodes;
	double rows = (double)r->users.clusters + r->items.clusters;

	snprintf(buf, cap,
		 "%lu users, %lu items, %zu edges; %s at resolution %.6g: %lu user + %lu item clusters (%.0f table rows, %.1f%% smaller)\n"
		 "modularity %.4f standard, %.4f bipartite; largest cluster %.1f%% of users, %.1f%% of items; %lu + %lu singletons\n"
		 "%.2f s reading, %.2f s building, %.2f s clustering, %.2f s writing\n",
		 (unsigned long)r->users.nodes, (unsigned long)r->items.nodes,
		 r->edges, hc_cluster_method_name(r->method), r->resolution,
		 (unsigned long)r->users.clusters, (unsigned long)r->items.clusters,
		 rows, total > 0 ? 100 * (1 - rows / total) : 0, r->q_standard,
		 r->q_bipartite, 100 * r->users.largest_share,
		 100 * r->items.largest_share, (unsigned long)r->users.singletons,
		 (unsigned long)r->items.singletons, r->seconds_read,
		 r->seconds_build, r->seconds_cluster, r->seconds_write);
}
