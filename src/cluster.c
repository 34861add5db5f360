/* cluster.c - methods, the resolution search, per-side numbering, the map
 *
 * Implements cluster.h except the igraph calls (cluster_igraph.c).
 *
 * The map's order is a contract with `hicard hash --scheme graph`: all
 * user rows, then all item rows; within a side by cluster number, then by
 * value bytes.  Cluster numbers are dense per side and depend only on the
 * partition and the values' text (not on input order or hash seeds):
 * larger clusters first, ties by their smallest member's bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csv_write.h"
#include "lib/mem.h"
#include "src/bimod.h"
#include "src/cluster.h"

static const char *const method_names[] = {
	[HC_CLUSTER_LOUVAIN] = "louvain",
	[HC_CLUSTER_LEIDEN] = "leiden",
	[HC_CLUSTER_BIPARTITE] = "bipartite",
	[HC_CLUSTER_STANDARD] = "standard",
	[HC_CLUSTER_LOUVAIN_NATIVE] = "louvain-native",
};

const char *hc_cluster_method_name(enum hc_cluster_method m)
{
	return method_names[m];
}

int hc_cluster_method_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(method_names) / sizeof(*method_names); i++)
		if (strcmp(s, method_names[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- clustering ------------------------------------------------------ */

int hc_cluster_run(const struct hc_bigraph *g,
		   const struct hc_cluster_opts *o, uint32_t *labels,
		   double *objective, struct hc_err *err)
{
	double q = NAN;

	if (o->method == HC_CLUSTER_BIPARTITE || o->method == HC_CLUSTER_STANDARD ||
	    o->method == HC_CLUSTER_LOUVAIN_NATIVE) {
		/* louvain-native: igraph's rules, a pass or a level that gains
		 * nothing is the last; "nothing" is 1e-12 rather than 0, so that
		 * moves whose gains are rounding errors cannot cycle forever (as
		 * igraph's multilevel could: its issue 2650) */
		struct hc_bimod_opts bo = {.resolution = o->resolution,
					   .standard = o->method != HC_CLUSTER_BIPARTITE,
					   .tol = o->method == HC_CLUSTER_LOUVAIN_NATIVE ? 1e-12 : HC_BIMOD_TOL,
					   .progress = o->progress,
					   .progress_arg = o->progress_arg};

		if (hc_bimod_louvain(g, &bo, labels, &q, NULL, err) != 0)
			return -1;
	} else {
		if (hc_cluster_igraph(g, o, labels, NULL, err) != 0)
			return -1;
		q = hc_modularity_standard(g, labels, o->resolution);
	}
	if (objective)
		*objective = q;
	return 0;
}

void hc_cluster_count(const struct hc_bigraph *g, const uint32_t *labels,
		      unsigned char *scratch, uint32_t *users,
		      uint32_t *items)
{
	size_t n = hc_bigraph_nodes(g);
	uint32_t k = 0;

	memset(scratch, 0, n);
	for (size_t i = 0; i < g->nusers; i++)
		if (!scratch[labels[i]]) {
			scratch[labels[i]] = 1;
			k++;
		}
	*users = k;
	memset(scratch, 0, n);
	k = 0;
	for (size_t i = g->nusers; i < n; i++)
		if (!scratch[labels[i]]) {
			scratch[labels[i]] = 1;
			k++;
		}
	*items = k;
}

/* ---- the resolution search ------------------------------------------- */

struct probe {
	double res;
	uint64_t count;
};

static uint64_t side_count(const struct hc_bigraph *g, const uint32_t *lab,
			   unsigned char *scratch, enum hc_cluster_side side)
{
	uint32_t ku, ki;

	hc_cluster_count(g, lab, scratch, &ku, &ki);
	return side == HC_SIDE_USERS ? ku : side == HC_SIDE_ITEMS ? ki
				     : (uint64_t)ku + ki;
}

/* The next resolution to try inside the bracket (lo below the target, hi
 * above): where a power law through both ends meets the target, kept off
 * the ends (within the middle 80% of the log interval), else the log
 * midpoint. */
static double next_res(struct probe lo, struct probe hi, uint64_t target)
{
	double llo = log(lo.res), lhi = log(hi.res), x;

	if (lo.count > 0 && hi.count > lo.count) {
		double t = (log((double)target) - log((double)lo.count)) /
			   (log((double)hi.count) - log((double)lo.count));
		if (t > 0.1 && t < 0.9) {
			x = llo + t * (lhi - llo);
			return exp(x);
		}
	}
	return exp((llo + lhi) / 2);
}

/* The factor to the next resolution before the target is bracketed:
 * counts grow about linearly with the resolution, so the ratio of target
 * to count, kept within [1.25, 64] (or its inverse) so that every try
 * moves and none overshoots wildly where counts are far from linear
 * (near the number of connected parts, or of nodes). */
static double step(uint64_t count, uint64_t target)
{
	double r = count ? (double)target / (double)count : 64;

	if (r >= 1)
		return r < 1.25 ? 1.25 : r > 64 ? 64 : r;
	return r > 0.8 ? 0.8 : r < 1.0 / 64 ? 1.0 / 64 : r;
}

/* One clustering at res; keeps it in best if closer to the target. */
static int try_res(const struct hc_bigraph *g, struct hc_cluster_opts *o,
		   struct hc_cluster_search *s, uint32_t *labels, uint32_t *cur,
		   unsigned char *scratch, double *objective, double res,
		   struct probe *p, struct hc_err *err)
{
	double q;
	uint64_t c, dc, db;

	o->resolution = res;
	if (hc_cluster_run(g, o, cur, &q, err) != 0)
		return -1;
	c = side_count(g, cur, scratch, s->side);
	s->tries++;
	dc = c > s->target ? c - s->target : s->target - c;
	db = s->found > s->target ? s->found - s->target : s->target - s->found;
	if (s->tries == 1 || dc < db) {
		memcpy(labels, cur, hc_bigraph_nodes(g) * sizeof(*labels));
		s->found = c;
		s->resolution = res;
		if (objective)
			*objective = q;
	}
	p->res = res;
	p->count = c;
	return 0;
}

int hc_cluster_search_check(const struct hc_bigraph *g,
			    const struct hc_cluster_search *s,
			    struct hc_err *err)
{
	static const char *const opt[] = {"--buckets", "--user-buckets", "--item-buckets"};
	static const char *const what[] = {"users and items", "users", "items"};
	uint64_t most = s->side == HC_SIDE_USERS ? g->nusers
			: s->side == HC_SIDE_ITEMS ? g->nitems
						   : hc_bigraph_nodes(g);

	if (s->target > most)
		return hc_err_set(err, HC_ERR_DATA,
				  "%s %llu: there are only %llu %s, so at most %llu clusters",
				  opt[s->side], (unsigned long long)s->target,
				  (unsigned long long)most, what[s->side],
				  (unsigned long long)most);
	return 0;
}

static int within(uint64_t c, uint64_t target)
{
	double d = fabs((double)c - (double)target);

	return d <= HC_CLUSTER_SEARCH_TOL * (double)target;
}

int hc_cluster_search(const struct hc_bigraph *g,
		      const struct hc_cluster_opts *o,
		      struct hc_cluster_search *s, uint32_t *labels,
		      double *objective, struct hc_err *err)
{
	struct hc_cluster_opts oo = *o;
	size_t n = hc_bigraph_nodes(g);
	uint32_t *cur = hc_mallocarray(n ? n : 1, sizeof(*cur));
	unsigned char *scratch = hc_malloc(n ? n : 1);
	struct probe p, lo = {0, 0}, hi = {0, 0};
	int have_lo = 0, have_hi = 0, rc = -1;
	double res = o->resolution;

	s->tries = 0;
	s->found = 0;
	s->reached = 0;
	if (!cur || !scratch) {
		hc_err_nomem(err);
		goto done;
	}
	while (s->tries < HC_CLUSTER_SEARCH_TRIES) {
		if (try_res(g, &oo, s, labels, cur, scratch, objective, res, &p,
			    err) != 0)
			goto done;
		if (within(p.count, s->target)) {
			s->reached = 1;
			break;
		}
		if (p.count < s->target && (!have_lo || p.res > lo.res)) {
			lo = p;
			have_lo = 1;
		} else if (p.count > s->target && (!have_hi || p.res < hi.res)) {
			hi = p;
			have_hi = 1;
		}
		if (have_lo && have_hi && hi.res > lo.res)
			res = next_res(lo, hi, s->target);
		else
			res = p.res * step(p.count, s->target);
		if (res > HC_CLUSTER_RES_MAX || res < HC_CLUSTER_RES_MIN ||
		    (have_lo && have_hi && hi.res / lo.res < 1 + HC_CLUSTER_RES_STEP))
			break;
	}
	rc = 0;
done:
	hc_free(cur);
	hc_free(scratch);
	return rc;
}

/* ---- numbering and sizes --------------------------------------------- */

/* memcmp order, a prefix before the longer string. */
static int bytes_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	if (c != 0)
		return c;
	return (la > lb) - (la < lb);
}

struct cl_key {
	uint32_t label;
	uint32_t size;
	uint32_t first;  /* node id of the smallest member */
	const char *s;
	size_t len;
};

static int cl_key_cmp(const void *pa, const void *pb)
{
	const struct cl_key *a = pa, *b = pb;

	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return bytes_cmp(a->s, a->len, b->s, b->len);
}

int hc_cluster_number(const uint32_t *labels, size_t n, size_t range,
		      const struct hc_strmap *values, uint32_t *out,
		      uint32_t *k, struct hc_err *err)
{
	uint32_t *slot = hc_mallocarray(range ? range : 1, sizeof(*slot));
	struct cl_key *keys = hc_mallocarray(n ? n : 1, sizeof(*keys));
	uint32_t nk = 0;

	if (!slot || !keys) {
		hc_free(slot);
		hc_free(keys);
		return hc_err_nomem(err);
	}
	for (size_t c = 0; c < range; c++)
		slot[c] = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *s = hc_strmap_key(values, i, &len);
		uint32_t c = labels[i];
		struct cl_key *key;

		if (slot[c] == UINT32_MAX) {
			slot[c] = nk;
			keys[nk++] = (struct cl_key){c, 0, (uint32_t)i, s, len};
		}
		key = &keys[slot[c]];
		key->size++;
		if (bytes_cmp(s, len, key->s, key->len) < 0) {
			key->s = s;
			key->len = len;
			key->first = (uint32_t)i;
		}
	}
	qsort(keys, nk, sizeof(*keys), cl_key_cmp);
	for (uint32_t j = 0; j < nk; j++)
		slot[keys[j].label] = j;
	for (size_t i = 0; i < n; i++)
		out[i] = slot[labels[i]];
	*k = nk;
	hc_free(slot);
	hc_free(keys);
	return 0;
}

int hc_cluster_sizes(const uint32_t *num, const double *deg, size_t n,
		     uint32_t k, struct hc_cluster_sizes *s,
		     struct hc_err *err)
{
	uint32_t *size = hc_calloc(k ? k : 1, sizeof(*size));

	if (!size)
		return hc_err_nomem(err);
	memset(s, 0, sizeof(*s));
	s->nodes = (uint32_t)n;
	s->clusters = k;
	for (size_t i = 0; i < n; i++) {
		size[num[i]]++;
		if (deg[i] == 0)
			s->isolated++;
	}
	/* Numbers go by size, larger first: the sizes are sorted already. */
	for (uint32_t c = 0; c < k; c++)
		if (size[c] == 1)
			s->singletons++;
	if (k > 0) {
		s->max = size[0];
		s->min = size[k - 1];
		s->median = size[k / 2];
		s->largest_share = n ? (double)size[0] / (double)n : 0;
	}
	hc_free(size);
	return 0;
}

/* ---- the map --------------------------------------------------------- */

struct map_row {
	const char *s;
	uint32_t len;
	uint32_t num;
};

static int map_row_cmp(const void *pa, const void *pb)
{
	const struct map_row *a = pa, *b = pb;

	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return bytes_cmp(a->s, a->len, b->s, b->len);
}

static int write_side(struct hc_csv_writer *w, const char *col,
		      const struct hc_strmap *values, const uint32_t *num,
		      struct hc_err *err)
{
	size_t n = hc_strmap_count(values);
	struct map_row *rows = hc_mallocarray(n ? n : 1, sizeof(*rows));
	int rc = 0;

	if (!rows)
		return hc_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		size_t len;

		rows[i].s = hc_strmap_key(values, i, &len);
		rows[i].len = (uint32_t)len;
		rows[i].num = num[i];
	}
	qsort(rows, n, sizeof(*rows), map_row_cmp);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = hc_csv_write_str(w, col) != 0 ||
		     hc_csv_write_field(w, rows[i].s, rows[i].len) != 0 ||
		     hc_csv_write_u64(w, rows[i].num) != 0 ||
		     hc_csv_end_row(w) != 0 ? -1 : 0;
	hc_free(rows);
	if (rc != 0)
		*err = w->out->err;
	return rc;
}

int hc_cluster_write_map(struct hc_out *out, const char *ucol,
			 const struct hc_strmap *users, const uint32_t *unum,
			 const char *icol, const struct hc_strmap *items,
			 const uint32_t *inum, struct hc_err *err)
{
	static const char *const header[] = {"column", "value", "cluster"};
	struct hc_csv_writer w;

	hc_csv_writer_init(&w, out, ',');
	if (hc_csv_write_row(&w, header, 3) != 0) {
		*err = out->err;
		return -1;
	}
	if (write_side(&w, ucol, users, unum, err) != 0)
		return -1;
	return write_side(&w, icol, items, inum, err);
}
