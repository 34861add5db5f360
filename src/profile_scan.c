/* profile_scan.c - reading a whole CSV stream into a profile, in parallel
 *
 * The batch pipeline of `hicard profile`: with a team, its workers count
 * batch k (each column by one thread, handed out through the team's
 * counter) while this thread reads and parses batch k + 1 and then counts
 * the columns of batch k still unclaimed; the CSV reader keeps both
 * batches valid.  hc_profile_end_batch runs between batches, so the report
 * does not depend on the number of threads.
 *
 * Why this thread counts too (cmd/profile.c gives the team one worker
 * less than --threads): with as many workers as cores, parsing made one
 * thread more than cores, and the workers were preempted in the middle of
 * a column.  Columns are handed out heaviest first, by the time each took
 * in the batches before (longest processing time first): the two id
 * columns of the 10M-row mixed file take half the counting time, and
 * handed out last (in file order) one thread counted the larger while the
 * other waited.  Measured on that file, 2 cores: see the commit message.
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

void hc_profile_order_by_cost(const double *cost, size_t n, size_t *order)
{
	/* Insertion sort: n is the number of columns, the order changes
	 * little from batch to batch. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && cost[order[j - 1]] < cost[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What the threads counting one batch share.  took[j] is written by the
 * one thread that counts column j and read after hc_team_wait. */
struct batch_task {
	struct hc_profile *p;
	const struct hc_csv_batch *b;
	const size_t *cols;
	const double *target;
	const size_t *order; /* columns, heaviest first */
	double *took;        /* seconds column j took in this batch */
	int failed;
};

/* Counts columns until none are left: the workers heaviest first, this
 * thread (from_back) lightest first, so that each keeps counting mostly
 * the same columns from batch to batch and their maps stay in its cache
 * (both taking heaviest first, a column moved between cores from one batch
 * to the next and 2 threads spent 3.5 CPU s where 1 spent 3.0, on the
 * 10M-row mixed file). */
static void count_some(struct batch_task *bt, struct hc_team *t, int from_back)
{
	size_t n = hc_profile_ncols(bt->p), i;

	while ((i = from_back ? hc_team_next_back(t) : hc_team_next(t)) < n) {
		size_t j = bt->order[i];
		double t0 = seconds();
		if (hc_profile_add_column(bt->p, j, bt->b, bt->cols[j], bt->target) != 0)
			__atomic_store_n(&bt->failed, 1, __ATOMIC_RELAXED);
		bt->took[j] = seconds() - t0;
	}
}

static void count_columns(void *arg, struct hc_team *t)
{
	count_some(arg, t, 0);
}

/* The columns' costs after a batch: the time each took, with the batches
 * before weighing less and less (a column turning approximate changes
 * its cost). */
static void update_costs(double *cost, const double *took, size_t n)
{
	for (size_t j = 0; j < n; j++)
		cost[j] = 0.5 * cost[j] + took[j];
}

int hc_profile_scan(struct hc_profile *p, struct hc_csv_reader *csv,
		    const size_t *cols, long target_col, struct hc_team *team,
		    struct hc_progress *prog, struct hc_err *err)
{
	double *t[2] = {NULL, NULL};
	size_t cap[2] = {0, 0};
	const struct hc_csv_batch *b, *next;
	size_t n = hc_profile_ncols(p);
	size_t *order = hc_calloc(n + 1, sizeof(*order));
	double *cost = hc_calloc(2 * n + 1, sizeof(*cost)), *took = cost + n;
	int cur = 0, rc, rc2;

	if (!order || !cost) {
		hc_free(order);
		hc_free(cost);
		return hc_err_nomem(err);
	}
	hc_profile_order_by_cost(cost, n, order);
	rc = hc_csv_next_batch(csv, &b, err);
	if (rc == 1)
		rc = batch_target(csv, target_col, b, &t[cur], &cap[cur], err) == 0 ? 1 : -1;
	while (rc == 1) {
		const double *tt = target_col >= 0 ? t[cur] : NULL;
		struct batch_task bt = {p, b, cols, tt, order, took, 0};

		if (team) {
			hc_team_start(team, count_columns, &bt, n);
		} else {
			/* Column by column: each column's state stays in
			 * cache. */
			for (size_t j = 0; j < n && !bt.failed; j++)
				bt.failed = hc_profile_add_column(p, j, b, cols[j], tt) != 0;
		}
		rc2 = hc_csv_next_batch(csv, &next, err);
		if (rc2 == 1 && batch_target(csv, target_col, next, &t[cur ^ 1],
					     &cap[cur ^ 1], err) != 0)
			rc2 = -1;
		if (team) {
			count_some(&bt, team, 1);
			hc_team_wait(team);
			update_costs(cost, took, n);
			hc_profile_order_by_cost(cost, n, order);
		}
		if (bt.failed) {
			rc = hc_err_nomem(err);
			break;
		}
		/* After the next batch is read: the budget makes room for
		 * what it will bring. */
		if (hc_profile_end_batch(p, b, tt, rc2 == 1 ? next->nrows : 0,
					 err) != 0) {
			rc = -1;
			break;
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
