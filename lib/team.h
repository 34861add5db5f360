/* team.h - a fork-join team of worker threads
 *
 * A subcommand starts a task on every worker (hc_team_start), does its own
 * work meanwhile (reading the next batch, say) and waits (hc_team_wait).
 * Tasks hand out work items through hc_team_next, an atomic counter, so a
 * slow item does not hold up the rest.  Which thread does which item
 * varies from run to run; callers keep results deterministic by giving
 * each item to exactly one thread and making items independent.
 */
#ifndef HC_TEAM_H
#define HC_TEAM_H

#include <stddef.h>

#include "err.h"

struct hc_team;

typedef void (*hc_team_fn)(void *arg, struct hc_team *t);

/* A team of n workers (n >= 1).  NULL with err set. */
struct hc_team *hc_team_new(unsigned n, struct hc_err *err);
/* Runs fn(arg, t) on every worker, returning at once.  The previous task
 * must have been waited for. */
void hc_team_start(struct hc_team *t, hc_team_fn fn, void *arg,
		   size_t nitems);
/* Waits until every worker has returned from the current task. */
void hc_team_wait(struct hc_team *t);
/* The next unclaimed item of the current task, or nitems when none are
 * left; nitems is at most 2^32 - 1. */
size_t hc_team_next(struct hc_team *t);
/* The same from the other end: the last unclaimed item.  A thread that
 * takes from the back while the workers take from the front, with items in
 * an order that changes little between tasks, gets mostly the same items
 * every task, and so does each worker (what an item touches stays in that
 * core's cache), while the point where they meet still balances the load. */
size_t hc_team_next_back(struct hc_team *t);
void hc_team_free(struct hc_team *t);

/* The number of online processors (at least 1). */
unsigned hc_ncpus(void);

#endif
