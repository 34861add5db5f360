/* profile_scan.c - reading a whole CSV stream into a profile, in parallel
 *
 * The batch pipeline of `hicard profile`: with a team, the workers count
 * batch k (each column by one thread, handed out through the team's
 * counter) while this thread reads and parses batch k + 1; the CSV reader
 * keeps both batches valid.  hc_profile_end_batch runs between batches, so
 * the report does not depend on the number of threads.
 *
 * Columns are handed out heaviest first, by their time in the previous
 * batch (longest processing time first, Graham 1969): with 12 columns of
 * very different costs on 2 workers, a heavy column taken last kept one
 * worker busy alone at the end of every batch.  The order changes only
 * which thread counts a column, never what is counted.
 */
#include <math.h>
#include <time.h>

#include "lib/mem.h"
#include "lib/parse.h"
#include "src/profile.h"

/* Parses the target field of every row of a batch into t (NaN if empty);
 * a value that is not a finite number is an error naming its place. */
static int parse_target(struct hc_csv_reader *csv, const struct hc_csv_batch *b,
			size_t col, double *t, struct hc_err *err)
{
	for (size_t i = 0; i < b->nrows; i++) {
		size_t f = i * b->ncols + col;
		const char *s = b->buf + b->off[f];
		char where[512];

		t[i] = NAN;
		if (b->len[f] == 0)
			continue;
		if (hc_parse_double(s, b->len[f], &t[i]) == 0 && isfinite(t[i]))
			continue;
		hc_csv_where(csv, b->line[i], col, where, sizeof(where));
		return hc_err_set(err, HC_ERR_DATA,
				  "%s: target '%.40s' is not a finite number", where, s);
	}
	return 0;
}

/* The target values of batch b into *t (grown as needed). */
static int batch_target(struct hc_csv_reader *csv, long target_col,
			const struct hc_csv_batch *b, double **t, size_t *cap,
			struct hc_err *err)
{
	void *q = *t;

	if (target_col < 0)
		return 0;
	if (hc_grow(&q, cap, b->nrows, sizeof(**t)) != 0)
		return hc_err_nomem(err);
	*t = q;
	return parse_target(csv, b, (size_t)target_col, *t, err);
}

/* What the workers of one batch share. */
struct batch_task {
	struct hc_profile *p;
	const struct hc_csv_batch *b;
	const size_t *cols;
	const double *target;
	const size_t *order; /* columns, heaviest first */
	double *cost;        /* seconds each took, by column */
	int failed;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void count_columns(void *arg, struct hc_team *t)
{
	struct batch_task *bt = arg;
	size_t n = hc_profile_ncols(bt->p), i;

	while ((i = hc_team_next(t)) < n) {
		size_t j = bt->order[i];
		double t0 = now();
		if (hc_profile_add_column(bt->p, j, bt->b, bt->cols[j], bt->target) != 0)
			__atomic_store_n(&bt->failed, 1, __ATOMIC_RELAXED);
		bt->cost[j] = now() - t0;
	}
}

/* order[0..n) by decreasing cost (insertion sort: n is the column count,
 * and the order changes little from batch to batch). */
static void order_by_cost(size_t *order, const double *cost, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		size_t x = order[i], j = i;
		for (; j > 0 && cost[order[j - 1]] < cost[x]; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
}

int hc_profile_scan(struct hc_profile *p, struct hc_csv_reader *csv,
		    const size_t *cols, long target_col, struct hc_team *team,
		    struct hc_progress *prog, struct hc_err *err)
{
	double *t[2] = {NULL, NULL}, *cost = NULL;
	size_t cap[2] = {0, 0}, *order = NULL, ncols = hc_profile_ncols(p);
	const struct hc_csv_batch *b, *next;
	int cur = 0, rc, rc2;

	if (team) {
		order = hc_mallocarray(ncols ? ncols : 1, sizeof(*order));
		cost = hc_calloc(ncols ? ncols : 1, sizeof(*cost));
		if (!order || !cost) {
			hc_free(order);
			hc_free(cost);
			return hc_err_nomem(err);
		}
		for (size_t j = 0; j < ncols; j++)
			order[j] = j;
	}
	rc = hc_csv_next_batch(csv, &b, err);
	if (rc == 1)
		rc = batch_target(csv, target_col, b, &t[cur], &cap[cur], err) == 0 ? 1 : -1;
	while (rc == 1) {
		const double *tt = target_col >= 0 ? t[cur] : NULL;
		struct batch_task bt = {p, b, cols, tt, order, cost, 0};

		if (team)
			hc_team_start(team, count_columns, &bt, hc_profile_ncols(p));
		else if (hc_profile_add_batch(p, b, cols, tt, err) != 0)
			break;
		rc2 = hc_csv_next_batch(csv, &next, err);
		if (rc2 == 1 && batch_target(csv, target_col, next, &t[cur ^ 1],
					     &cap[cur ^ 1], err) != 0)
			rc2 = -1;
		if (team) {
			hc_team_wait(team);
			if (bt.failed) {
				rc = hc_err_nomem(err);
				break;
			}
			if (hc_profile_end_batch(p, b, tt, err) != 0) {
				rc = -1;
				break;
			}
			order_by_cost(order, cost, ncols);
		}
		if (prog)
			hc_progress_update(prog, hc_csv_bytes_read(csv), hc_profile_rows(p));
		b = next;
		cur ^= 1;
		rc = rc2;
	}
	hc_free(t[0]);
	hc_free(t[1]);
	hc_free(order);
	hc_free(cost);
	return rc == 0 ? 0 : -1;
}
