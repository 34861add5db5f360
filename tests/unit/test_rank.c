/* test_rank.c - the report's ranking shortcuts (src/rank.h) give what a
 * full sort gives: the same first k items and the same count sequence,
 * with many ties, prefixes of one another among the values, and counts
 * needing one to eight radix passes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/rank.h"
#include "helpers.h"
#include "suites.h"

/* Count down, then bytes up, a prefix first: a total order on distinct
 * values, as the report's. */
static int cmp(const void *a, const void *b)
{
	const struct hc_topk_item *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	c = memcmp(x->value, y->value, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int cmp_u64_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y) - (x > y);
}

START_TEST(counts_like_qsort)
{
	uint64_t rng = 7;
	const uint64_t spans[] = {1, 3, 255, 256, 70000, 1ULL << 40, UINT64_MAX};

	for (size_t s = 0; s < sizeof(spans) / sizeof(spans[0]); s++)
		for (size_t n = 0; n < 3000; n = n * 3 + 1) {
			uint64_t *v = malloc((n + 1) * sizeof(*v));
			uint64_t *w = malloc((n + 1) * sizeof(*w));

			ck_assert_ptr_nonnull(v);
			ck_assert_ptr_nonnull(w);
			for (size_t i = 0; i < n; i++) {
				uint64_t r = th_rand(&rng);
				v[i] = w[i] = spans[s] == UINT64_MAX ? r : r % (spans[s] + 1);
			}
			qsort(w, n, sizeof(*w), cmp_u64_desc);
			hc_rank_counts_desc(v, n);
			for (size_t i = 0; i < n; i++)
				ck_assert_uint_eq(v[i], w[i]);
			free(v);
			free(w);
		}
}
END_TEST

/* hc_rank_top and hc_rank_offer against a full sort: n distinct values "v<number>" (some prefixes of others: v1, v12, ...)
 * with counts from a few levels, so that ties straddle the k-th place. */
START_TEST(top_like_full_sort)
{
	const size_t ns[] = {0, 1, 5, 100, 5000};
	const size_t ks[] = {0, 1, 3, 10, 100, 1000, 6000};
	uint64_t rng = 11;

	for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
		size_t n = ns[a];
		struct hc_topk_item *items = calloc(n + 1, sizeof(*items));
		struct hc_topk_item *full = calloc(n + 1, sizeof(*full));
		struct hc_topk_item *top = calloc(n + 1, sizeof(*top));
		char *names = calloc(n + 1, 16);

		ck_assert_ptr_nonnull(items);
		ck_assert_ptr_nonnull(full);
		ck_assert_ptr_nonnull(top);
		ck_assert_ptr_nonnull(names);
		for (size_t i = 0; i < n; i++) {
			char *v = names + 16 * i;
			uint64_t r = th_rand(&rng);

			/* distinct (7919 is prime to every n here), in no
			 * particular order, many prefixes of others */
			snprintf(v, 16, "v%zu", i * 7919 % n + (i % 3 ? 0 : n));
			items[i].value = v;
			items[i].len = strlen(v);
			/* mostly singletons, some twos, a few heavy */
			items[i].count = r % 10 < 7 ? 1 : r % 10 < 9 ? 2 : 1 + (r >> 40) % 50;
		}
		memcpy(full, items, n * sizeof(*full));
		qsort(full, n, sizeof(*full), cmp);
		for (size_t b = 0; b < sizeof(ks) / sizeof(ks[0]); b++) {
			size_t k = ks[b], m = hc_rank_top(items, n, k, cmp, top);

			ck_assert_uint_eq(m, k < n ? k : n);
			for (size_t i = 0; i < m; i++) {
				ck_assert_uint_eq(top[i].count, full[i].count);
				ck_assert_uint_eq(top[i].len, full[i].len);
				ck_assert_ptr_eq(top[i].value, full[i].value);
			}
			/* The same, offered one at a time. */
			m = 0;
			for (size_t i = 0; i < n; i++)
				hc_rank_offer(top, &m, k, &items[i], cmp);
			hc_rank_offer_end(top, m, cmp);
			ck_assert_uint_eq(m, k < n ? k : n);
			for (size_t i = 0; i < m; i++)
				ck_assert_ptr_eq(top[i].value, full[i].value);
		}
		free(items);
		free(full);
		free(top);
		free(names);
	}
}
END_TEST

Suite *suite_rank(void)
{
	Suite *s = suite_create("rank");
	TCase *tc = tcase_create("rank");

	tcase_add_test(tc, counts_like_qsort);
	tcase_add_test(tc, top_like_full_sort);
	suite_add_tcase(s, tc);
	return s;
}
