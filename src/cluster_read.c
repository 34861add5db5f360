/* cluster_read.c - interactions from CSV rows into a user-item edge list
 *
 * Implements cluster_read.h.  One pass over the CSV batches; the string
 * maps give dense ids in order of first appearance, which is also the
 * order bimod.h's Louvain visits nodes in.
 */
#include <math.h>
#include <string.h>

#include "lib/parse.h"
#include "src/cluster_read.h"

void hc_interactions_init(struct hc_interactions *in)
{
	memset(in, 0, sizeof(*in));
	hc_strmap_init(&in->users);
	hc_strmap_init(&in->items);
	hc_edges_init(&in->edges);
}

void hc_interactions_release(struct hc_interactions *in)
{
	hc_strmap_release(&in->users);
	hc_strmap_release(&in->items);
	hc_edges_release(&in->edges);
}

static int intern(struct hc_strmap *m, const char *s, size_t len,
		  int64_t *id, struct hc_err *err)
{
	int added;

	*id = -1;
	if (len == 0)
		return 0;
	if ((*id = hc_strmap_intern(m, s, len, &added)) >= 0)
		return 0;
	if (hc_strmap_count(m) >= HC_STRMAP_MAX_KEYS)
		return hc_err_set(err, HC_ERR_DATA, "more than %lu distinct values",
				  (unsigned long)HC_STRMAP_MAX_KEYS);
	return hc_err_nomem(err);
}

int hc_interactions_add(struct hc_interactions *in, const char *u,
			size_t ulen, const char *v, size_t vlen, double w,
			struct hc_err *err)
{
	int64_t ui, vi;

	in->rows++;
	if (intern(&in->users, u, ulen, &ui, err) != 0 ||
	    intern(&in->items, v, vlen, &vi, err) != 0)
		return -1;
	if (ui < 0 || vi < 0) {
		in->skipped++;
		return 0;
	}
	if (hc_strmap_count(&in->users) + hc_strmap_count(&in->items) >
	    HC_BIGRAPH_MAX_NODES)
		return hc_err_set(err, HC_ERR_DATA, "more than %zu users and items in all",
				  HC_BIGRAPH_MAX_NODES);
	if (hc_edges_add(&in->edges, (uint32_t)ui, (uint32_t)vi, w) != 0)
		return hc_err_nomem(err);
	return 0;
}

static int parse_weight(struct hc_csv_reader *csv, const struct hc_csv_batch *b,
			size_t row, size_t col, double *w, struct hc_err *err)
{
	size_t f = row * b->ncols + col;
	const char *s = b->buf + b->off[f];
	char where[512];

	if (hc_parse_double(s, b->len[f], w) == 0 && isfinite(*w) && *w > 0)
		return 0;
	hc_csv_where(csv, b->line[row], col, where, sizeof(where));
	return hc_err_set(err, HC_ERR_DATA,
			  "%s: weight '%.40s' is not a positive number", where, s);
}

int hc_interactions_read(struct hc_interactions *in,
			 struct hc_csv_reader *csv, size_t ucol, size_t icol,
			 long wcol, struct hc_progress *prog,
			 struct hc_err *err)
{
	const struct hc_csv_batch *b;
	int r;

	while ((r = hc_csv_next_batch(csv, &b, err)) == 1) {
		for (size_t i = 0; i < b->nrows; i++) {
			size_t fu = i * b->ncols + ucol, fi = i * b->ncols + icol;
			double w = 1;

			if (wcol >= 0 &&
			    parse_weight(csv, b, i, (size_t)wcol, &w, err) != 0)
				return -1;
			if (hc_interactions_add(in, b->buf + b->off[fu], b->len[fu],
						b->buf + b->off[fi], b->len[fi], w,
						err) != 0)
				return -1;
		}
		if (prog)
			hc_progress_update(prog, hc_csv_bytes_read(csv), in->rows);
	}
	return r;
}
