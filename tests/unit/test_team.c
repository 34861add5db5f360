/* test_team.c - the worker team: every item of a task is claimed once
 *
 * Workers claim from the front and the calling thread from the back
 * (hc_team_next_back, as profile's reading thread does); whatever the
 * interleaving, each item goes to exactly one claimant, the front ones in
 * increasing order and the back ones in decreasing order.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "lib/team.h"
#include "suites.h"

#define ITEMS 5000

struct claims {
	size_t n;
	unsigned char owner[ITEMS]; /* 0 unclaimed, 1 a worker, 2 the caller */
	int out_of_order;
};

static void take_front(void *arg, struct hc_team *t)
{
	struct claims *c = arg;
	size_t i, last = 0;
	int first = 1;

	while ((i = hc_team_next(t)) < c->n) {
		if (!first && i <= last)
			__atomic_store_n(&c->out_of_order, 1, __ATOMIC_RELAXED);
		first = 0;
		last = i;
		__atomic_fetch_add(&c->owner[i], 1, __ATOMIC_RELAXED);
	}
}

START_TEST(test_front_and_back)
{
	struct hc_err err;
	struct hc_team *t = hc_team_new(3, &err);

	ck_assert_ptr_nonnull(t);
	for (size_t n = 0; n <= ITEMS; n = n * 4 + 1) {
		for (int round = 0; round < 20; round++) {
			static struct claims c;
			size_t i, last = SIZE_MAX, mine = 0, workers = 0;

			memset(&c, 0, sizeof(c));
			c.n = n;
			hc_team_start(t, take_front, &c, n);
			while ((i = hc_team_next_back(t)) < n) {
				ck_assert_uint_lt(i, last);
				last = i;
				mine++;
				__atomic_fetch_add(&c.owner[i], 2, __ATOMIC_RELAXED);
			}
			hc_team_wait(t);
			ck_assert_int_eq(c.out_of_order, 0);
			for (i = 0; i < n; i++) {
				ck_assert_msg(c.owner[i] == 1 || c.owner[i] == 2,
					      "n %zu: item %zu claimed as %d", n, i, c.owner[i]);
				workers += c.owner[i] == 1;
			}
			ck_assert_uint_eq(workers + mine, n);
			/* the caller's items are a suffix */
			for (i = n - mine; i < n; i++)
				ck_assert_int_eq(c.owner[i], 2);
		}
	}
	hc_team_free(t);
}
END_TEST

Suite *suite_team(void)
{
	Suite *s = suite_create("team");
	TCase *tc = tcase_create("claims");

	tcase_add_test(tc, test_front_and_back);
	suite_add_tcase(s, tc);
	return s;
}
