/* test_select.c - column selection (-s): every item form and every error text
 *
 * A selection decides which columns a subcommand reads, so a spec that
 * resolves to the wrong columns corrupts results silently.  Each case is a
 * spec, the column names, and either the exact 1-based result ("2,3,4") or
 * the exact error message; usage errors must be HC_ERR_USAGE (exit 2).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/select.h"
#include "suites.h"

static const char *const abcde[] = { "a", "b", "c", "d", "e" };
/* a column literally named "2", and names with a dash */
static const char *const odd[] = { "a", "2", "c-d", "x y", "" };

struct scase {
	const char *spec;
	const char *const *names;
	size_t ncols;
	const char *want; /* "1,2,3" (1-based) or "!error message" */
};

#define ABCDE abcde, 5
#define ODD odd, 5
#define UNKNOWN_ABCDE(x) "!unknown column '" x "' (columns: a, b, c, d, e)"

static const struct scase cases[] = {
	/* every column */
	{ "", ABCDE, "1,2,3,4,5" },
	{ NULL, ABCDE, "1,2,3,4,5" },
	/* names and indices */
	{ "b", ABCDE, "2" },
	{ "2", ABCDE, "2" },
	{ "e,a", ABCDE, "5,1" },
	{ "1,5", ABCDE, "1,5" },
	/* ranges */
	{ "2-4", ABCDE, "2,3,4" },
	{ "3-", ABCDE, "3,4,5" },
	{ "-2", ABCDE, "1,2" },
	{ "b-d", ABCDE, "2,3,4" },
	{ "b-", ABCDE, "2,3,4,5" },
	{ "-b", ABCDE, "1,2" },
	{ "2-2", ABCDE, "2" },
	{ "a-3", ABCDE, "1,2,3" },
	{ "1-5", ABCDE, "1,2,3,4,5" },
	/* exclusions */
	{ "!b", ABCDE, "1,3,4,5" },
	{ "!b,!d", ABCDE, "1,3,5" },
	{ "!2-4", ABCDE, "1,5" },
	{ "!a,!b,!c,!d,!e", ABCDE, "" },
	{ "a-d,!c", ABCDE, "1,2,4" },
	{ "!c,a-d", ABCDE, "1,2,4" },
	{ "c,a,c,!c", ABCDE, "1" },
	/* duplicates kept, in order */
	{ "c,a,c", ABCDE, "3,1,3" },
	{ "b-c,a-c", ABCDE, "2,3,1,2,3" },
	/* an exact name wins over an index and over a range */
	{ "2", ODD, "2" },
	{ "3", ODD, "3" },
	{ "1-2", ODD, "1,2" },
	{ "c-d", ODD, "3" },
	{ "x y", ODD, "4" },
	{ "!2", ODD, "1,3,4,5" },
	/* unknown columns list what there is */
	{ "x", ABCDE, UNKNOWN_ABCDE("x") },
	{ "a,x", ABCDE, UNKNOWN_ABCDE("x") },
	{ "!x", ABCDE, UNKNOWN_ABCDE("x") },
	{ "0", ABCDE, UNKNOWN_ABCDE("0") },
	{ "6", ABCDE, UNKNOWN_ABCDE("6") },
	{ "B", ABCDE, UNKNOWN_ABCDE("B") },
	{ " a", ABCDE, UNKNOWN_ABCDE(" a") },
	{ "2-9", ABCDE, UNKNOWN_ABCDE("2-9") },
	{ "a-z", ABCDE, UNKNOWN_ABCDE("a-z") },
	{ "+1", ABCDE, UNKNOWN_ABCDE("+1") },
	{ "zz", ODD, "!unknown column 'zz' (columns: a, 2, c-d, x y, )" },
	/* backwards ranges */
	{ "4-2", ABCDE, "!column range '4-2' runs backwards" },
	{ "d-b", ABCDE, "!column range 'd-b' runs backwards" },
	{ "!d-b", ABCDE, "!column range 'd-b' runs backwards" },
	/* empty items */
	{ "a,,b", ABCDE, "!empty or overlong item in column selection 'a,,b'" },
	{ ",a", ABCDE, "!empty or overlong item in column selection ',a'" },
	{ "a,", ABCDE, "!empty or overlong item in column selection 'a,'" },
	{ ",", ABCDE, "!empty or overlong item in column selection ','" },
	{ "!", ABCDE, "!empty or overlong item in column selection '!'" },
	{ "a,!", ABCDE, "!empty or overlong item in column selection 'a,!'" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

START_TEST(test_cases)
{
	const struct scase *c = &cases[_i];
	struct hc_selection sel = { 0, NULL };
	struct hc_err err = { 0 };
	char got[1200];
	size_t n = 0;
	int rc = hc_select_parse(c->spec, c->names, c->ncols, &sel, &err);

	got[0] = '\0';
	if (rc != 0) {
		ck_assert_int_eq(rc, -1);
		ck_assert_msg(err.kind == HC_ERR_USAGE, "spec '%s': kind %d",
			      c->spec, err.kind);
		snprintf(got, sizeof(got), "!%s", err.msg);
		ck_assert_uint_eq(sel.n, 0);
		ck_assert_ptr_null(sel.idx);
	} else {
		for (size_t k = 0; k < sel.n; k++)
			n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%zu",
					      k ? "," : "", sel.idx[k] + 1);
	}
	ck_assert_msg(strcmp(got, c->want) == 0, "spec '%s': got '%s', want '%s'",
		      c->spec ? c->spec : "(null)", got, c->want);
	hc_selection_release(&sel);
	ck_assert_uint_eq(sel.n, 0);
	ck_assert_ptr_null(sel.idx);
}
END_TEST

/* Past 20 columns the list is cut: ", ... (N in all)". */
START_TEST(test_unknown_many)
{
	char *names[25];
	char want[400];
	size_t n = 0;
	struct hc_selection sel;
	struct hc_err err = { 0 };

	for (int j = 0; j < 25; j++) {
		names[j] = malloc(16);
		snprintf(names[j], 16, "c%d", j + 1);
	}
	n += (size_t)snprintf(want, sizeof(want), "unknown column 'zz' (columns: ");
	for (int j = 0; j < 20; j++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%sc%d",
				      j ? ", " : "", j + 1);
	snprintf(want + n, sizeof(want) - n, ", ... (25 in all))");
	ck_assert_int_eq(hc_select_parse("c3,zz", (const char *const *)names, 25,
					 &sel, &err),
			 -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg, want);
	/* "25" and "c25" still resolve */
	ck_assert_int_eq(hc_select_parse("25,c25,c24-", (const char *const *)names,
					 25, &sel, &err),
			 0);
	ck_assert_uint_eq(sel.n, 4);
	ck_assert_uint_eq(sel.idx[0], 24);
	ck_assert_uint_eq(sel.idx[1], 24);
	ck_assert_uint_eq(sel.idx[2], 23);
	ck_assert_uint_eq(sel.idx[3], 24);
	hc_selection_release(&sel);
	for (int j = 0; j < 25; j++)
		free(names[j]);
}
END_TEST

/* Very long names: the message is cut to fit, never overflows. */
START_TEST(test_unknown_long_names)
{
	char *names[10];
	struct hc_selection sel;
	struct hc_err err = { 0 };

	for (int j = 0; j < 10; j++) {
		names[j] = malloc(301);
		memset(names[j], 'a' + j, 300);
		names[j][300] = '\0';
	}
	ck_assert_int_eq(hc_select_parse("nope", (const char *const *)names, 10,
					 &sel, &err),
			 -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_msg(strncmp(err.msg, "unknown column 'nope' (columns: aaa", 35) == 0,
		      "%s", err.msg);
	ck_assert_uint_lt(strlen(err.msg), HC_ERR_MSG_MAX);
	for (int j = 0; j < 10; j++)
		free(names[j]);
}
END_TEST

/* An item longer than 4096 bytes is refused, however it would resolve. */
START_TEST(test_overlong_item)
{
	char *spec = malloc(5000);
	struct hc_selection sel;
	struct hc_err err = { 0 };

	memset(spec, 'a', 4097);
	spec[4097] = '\0';
	ck_assert_int_eq(hc_select_parse(spec, abcde, 5, &sel, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_msg(strncmp(err.msg,
			      "empty or overlong item in column selection 'aaaa",
			      48) == 0,
		      "%.80s", err.msg);
	free(spec);
}
END_TEST

/* No columns at all: only the empty selection works. */
START_TEST(test_no_columns)
{
	struct hc_selection sel;
	struct hc_err err = { 0 };

	ck_assert_int_eq(hc_select_parse("", NULL, 0, &sel, &err), 0);
	ck_assert_uint_eq(sel.n, 0);
	hc_selection_release(&sel);
	ck_assert_int_eq(hc_select_parse("1", NULL, 0, &sel, &err), -1);
	ck_assert_str_eq(err.msg, "unknown column '1' (the input has no columns)");
}
END_TEST

START_TEST(test_select_one)
{
	struct hc_err err = { 0 };

	ck_assert_int_eq(hc_select_one("b", abcde, 5, &err), 1);
	ck_assert_int_eq(hc_select_one("5", abcde, 5, &err), 4);
	ck_assert_int_eq(hc_select_one("2", odd, 5, &err), 1);
	ck_assert_int_eq(hc_select_one("3", odd, 5, &err), 2);
	ck_assert_int_eq(hc_select_one("c-d", odd, 5, &err), 2);
	ck_assert_int_eq(hc_select_one("", odd, 5, &err), 4);

	ck_assert_int_eq(hc_select_one("x", abcde, 5, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg, "unknown column 'x' (columns: a, b, c, d, e)");
	/* one column: no ranges, no exclusions, no lists */
	hc_err_clear(&err);
	ck_assert_int_eq(hc_select_one("1-2", abcde, 5, &err), -1);
	ck_assert_str_eq(err.msg, "unknown column '1-2' (columns: a, b, c, d, e)");
	hc_err_clear(&err);
	ck_assert_int_eq(hc_select_one("!a", abcde, 5, &err), -1);
	ck_assert_str_eq(err.msg, "unknown column '!a' (columns: a, b, c, d, e)");
	hc_err_clear(&err);
	ck_assert_int_eq(hc_select_one("a,b", abcde, 5, &err), -1);
	ck_assert_str_eq(err.msg, "unknown column 'a,b' (columns: a, b, c, d, e)");
	hc_err_clear(&err);
	ck_assert_int_eq(hc_select_one("6", abcde, 5, &err), -1);
	ck_assert_str_eq(err.msg, "unknown column '6' (columns: a, b, c, d, e)");
}
END_TEST

Suite *suite_select(void)
{
	Suite *s = suite_create("select");
	TCase *tc = tcase_create("select");

	tcase_add_loop_test(tc, test_cases, 0, (int)NCASES);
	tcase_add_test(tc, test_unknown_many);
	tcase_add_test(tc, test_unknown_long_names);
	tcase_add_test(tc, test_overlong_item);
	tcase_add_test(tc, test_no_columns);
	tcase_add_test(tc, test_select_one);
	suite_add_tcase(s, tc);
	return s;
}
