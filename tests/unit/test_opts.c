/* test_opts.c - option tables: every spelling, positional order, each error text
 *
 * Every subcommand parses its command line through hc_opts_parse and prints
 * --help from the same table, so a spelling that parses wrongly, an
 * argument taken for an option, or a vague error would show up in every
 * subcommand at once.  One table (the shared options plus one of each
 * type) is parsed with each accepted form, and each error message is
 * compared byte for byte; --help is compared as a whole text.
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lib/opts.h"
#include "lib/out.h"
#include "suites.h"

static struct hc_common c;
static uint64_t top;
static double alpha;
static uint64_t mem;
static int verbose;

static const struct hc_opt opts[] = {
	HC_OPTS_CSV(&c),
	HC_OPTS_SELECT(&c),
	HC_OPT_U64('k', "top", &top, "N", 1, 1000, "how many to keep"),
	HC_OPT_DBL(0, "alpha", &alpha, "A", 0.0, 1.0, "smoothing"),
	HC_OPT_SIZE('m', "memory", &mem, "SIZE", "memory budget"),
	HC_OPT_FLAG('v', "verbose", &verbose, "more output"),
	HC_OPTS_OUTPUT(&c),
	HC_OPTS_SEED(&c),
	HC_OPTS_THREADS(&c),
	HC_OPTS_END(&c),
};

static char *av[64];
static int nargs;
static struct hc_err err;

/* Parses "cmd" followed by the NULL-terminated arguments, from zeroed
 * values; returns hc_opts_parse's result. */
static int run(const char *first, ...)
{
	va_list ap;
	int argc = 1;
	const char *a;

	memset(&c, 0, sizeof(c));
	top = mem = 0;
	alpha = 0;
	verbose = 0;
	nargs = -1;
	hc_err_clear(&err);
	av[0] = (char *)"cmd";
	va_start(ap, first);
	for (a = first; a; a = va_arg(ap, const char *)) {
		ck_assert_int_lt(argc, 63);
		av[argc++] = (char *)a;
	}
	va_end(ap);
	av[argc] = NULL;
	return hc_opts_parse(opts, argc, av, &nargs, &err);
}

/* Expects run(...) to have failed with HC_ERR_USAGE and message want. */
static void expect_err(int rc, const char *want)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg, want);
}

START_TEST(test_forms)
{
	ck_assert_int_eq(run("-n", "file.csv", "--select", "a,b", "-k5",
			     "--alpha=0.5", "-m", "2G", "x.csv", "--seed", "42",
			     "-d;", "-q", "--threads=8", "-o", "out.csv",
			     "--memory=512M", "--version", "-h", NULL),
			 0);
	ck_assert_int_eq(nargs, 2);
	ck_assert_str_eq(av[1], "file.csv");
	ck_assert_str_eq(av[2], "x.csv");
	ck_assert_int_eq(c.no_header, 1);
	ck_assert_str_eq(c.select, "a,b");
	ck_assert_uint_eq(top, 5);
	ck_assert(alpha == 0.5);
	ck_assert_uint_eq(mem, 512ull << 20); /* the last one given */
	ck_assert_uint_eq(c.seed, 42);
	ck_assert_int_eq(c.delim, ';');
	ck_assert_int_eq(c.quiet, 1);
	ck_assert_uint_eq(c.threads, 8);
	ck_assert_str_eq(c.output, "out.csv");
	ck_assert_int_eq(c.version, 1);
	ck_assert_int_eq(c.help, 1);
	ck_assert_int_eq(c.tsv, 0);
	ck_assert_int_eq(verbose, 0);

	ck_assert_int_eq(run("--tsv", "--no-header", "--quiet", "--verbose",
			     "--help", "--top", "1000", "--output=o", NULL),
			 0);
	ck_assert_int_eq(nargs, 0);
	ck_assert_int_eq(c.tsv, 1);
	ck_assert_int_eq(c.no_header, 1);
	ck_assert_int_eq(c.quiet, 1);
	ck_assert_int_eq(verbose, 1);
	ck_assert_int_eq(c.help, 1);
	ck_assert_uint_eq(top, 1000);
	ck_assert_str_eq(c.output, "o");
}
END_TEST

START_TEST(test_bundled)
{
	ck_assert_int_eq(run("-nqv", NULL), 0);
	ck_assert_int_eq(c.no_header + c.quiet + verbose, 3);
	ck_assert_int_eq(c.tsv, 0);

	/* a value after bundled flags: attached, or the next argument */
	ck_assert_int_eq(run("-nk7", "f", NULL), 0);
	ck_assert_int_eq(c.no_header, 1);
	ck_assert_uint_eq(top, 7);
	ck_assert_int_eq(nargs, 1);
	ck_assert_int_eq(run("-tnk", "9", "f", NULL), 0);
	ck_assert_int_eq(c.tsv + c.no_header, 2);
	ck_assert_uint_eq(top, 9);
	ck_assert_int_eq(nargs, 1);
	ck_assert_str_eq(av[1], "f");
	/* everything after the option letter is its value, flags included */
	ck_assert_int_eq(run("-qsnv", NULL), 0);
	ck_assert_int_eq(c.quiet, 1);
	ck_assert_str_eq(c.select, "nv");
	ck_assert_int_eq(c.no_header + verbose, 0);
}
END_TEST

START_TEST(test_values)
{
	ck_assert_int_eq(run("--select=", NULL), 0);
	ck_assert_str_eq(c.select, "");
	ck_assert_int_eq(run("--select=a=b", NULL), 0);
	ck_assert_str_eq(c.select, "a=b");
	/* a value is taken as is, even when it looks like an option */
	ck_assert_int_eq(run("-s", "-n", NULL), 0);
	ck_assert_str_eq(c.select, "-n");
	ck_assert_int_eq(c.no_header, 0);
	ck_assert_int_eq(run("--select", "--", "x", NULL), 0);
	ck_assert_str_eq(c.select, "--");
	ck_assert_int_eq(nargs, 1);
	ck_assert_str_eq(av[1], "x");
	ck_assert_int_eq(run("-s-", NULL), 0);
	ck_assert_str_eq(c.select, "-");
	ck_assert_int_eq(run("--output", "-", NULL), 0);
	ck_assert_str_eq(c.output, "-");
	ck_assert_int_eq(nargs, 0);
	/* the values point into argv */
	ck_assert_int_eq(run("-s", "keep", NULL), 0);
	ck_assert_ptr_eq(c.select, av[2]);
}
END_TEST

START_TEST(test_positional)
{
	ck_assert_int_eq(run("a", "-", "-n", "b", "--", "-q", "--top", "--", "c",
			     NULL),
			 0);
	ck_assert_int_eq(nargs, 7);
	ck_assert_str_eq(av[1], "a");
	ck_assert_str_eq(av[2], "-");
	ck_assert_str_eq(av[3], "b");
	ck_assert_str_eq(av[4], "-q");
	ck_assert_str_eq(av[5], "--top");
	ck_assert_str_eq(av[6], "--");
	ck_assert_str_eq(av[7], "c");
	ck_assert_int_eq(c.no_header, 1);
	ck_assert_int_eq(c.quiet, 0);
	ck_assert_uint_eq(top, 0);

	ck_assert_int_eq(run(NULL), 0);
	ck_assert_int_eq(nargs, 0);
	ck_assert_int_eq(run("--", NULL), 0);
	ck_assert_int_eq(nargs, 0);
	ck_assert_int_eq(run("-k", "3", "only", "-v", NULL), 0);
	ck_assert_int_eq(nargs, 1);
	ck_assert_str_eq(av[1], "only");
	ck_assert_uint_eq(top, 3);
	ck_assert_int_eq(verbose, 1);
}
END_TEST

START_TEST(test_unknown)
{
	expect_err(run("--selct", "a", NULL),
		   "unknown option '--selct'; did you mean '--select'?");
	expect_err(run("--selct=a", NULL),
		   "unknown option '--selct'; did you mean '--select'?");
	expect_err(run("--sed", "1", NULL),
		   "unknown option '--sed'; did you mean '--seed'?");
	expect_err(run("--tsvv", NULL),
		   "unknown option '--tsvv'; did you mean '--tsv'?");
	expect_err(run("--zzzzzzzz", NULL), "unknown option '--zzzzzzzz'");
	expect_err(run("--Select", "a", NULL),
		   "unknown option '--Select'; did you mean '--select'?");
	expect_err(run("-z", NULL), "unknown option '-z'");
	expect_err(run("-nz", NULL), "unknown option '-z'");
	expect_err(run("f", "-Q", NULL), "unknown option '-Q'");
}
END_TEST

START_TEST(test_missing_value)
{
	expect_err(run("--select", NULL), "option '--select' needs a value");
	expect_err(run("-s", NULL), "option '-s' needs a value");
	expect_err(run("-nk", NULL), "option '-k' needs a value");
	expect_err(run("f", "--top", NULL), "option '--top' needs a value");
	expect_err(run("--alpha", NULL), "option '--alpha' needs a value");
}
END_TEST

START_TEST(test_u64)
{
	expect_err(run("--top", "0", NULL),
		   "option '--top' takes a whole number from 1 to 1000, not '0'");
	expect_err(run("-k1001", NULL),
		   "option '-k' takes a whole number from 1 to 1000, not '1001'");
	expect_err(run("-k", "abc", NULL),
		   "option '-k' takes a whole number from 1 to 1000, not 'abc'");
	expect_err(run("--top=-1", NULL),
		   "option '--top' takes a whole number from 1 to 1000, not '-1'");
	expect_err(run("--top= 5", NULL),
		   "option '--top' takes a whole number from 1 to 1000, not ' 5'");
	expect_err(run("--top=", NULL),
		   "option '--top' takes a whole number from 1 to 1000, not ''");
	expect_err(run("--seed", "18446744073709551616", NULL),
		   "option '--seed' takes a whole number from 0 to 18446744073709551615, not '18446744073709551616'");
	expect_err(run("--threads", "1025", NULL),
		   "option '--threads' takes a whole number from 0 to 1024, not '1025'");
	ck_assert_int_eq(run("--seed", "18446744073709551615", "--threads=0",
			     NULL),
			 0);
	ck_assert_uint_eq(c.seed, UINT64_MAX);
	ck_assert_uint_eq(c.threads, 0);
	ck_assert_int_eq(run("-k1", NULL), 0);
	ck_assert_uint_eq(top, 1);
}
END_TEST

START_TEST(test_dbl)
{
	expect_err(run("--alpha", "1.5", NULL),
		   "option '--alpha' takes a number from 0 to 1, not '1.5'");
	expect_err(run("--alpha=-0.1", NULL),
		   "option '--alpha' takes a number from 0 to 1, not '-0.1'");
	expect_err(run("--alpha=nan", NULL),
		   "option '--alpha' takes a number from 0 to 1, not 'nan'");
	expect_err(run("--alpha=x", NULL),
		   "option '--alpha' takes a number from 0 to 1, not 'x'");
	expect_err(run("--alpha=0.5x", NULL),
		   "option '--alpha' takes a number from 0 to 1, not '0.5x'");
	ck_assert_int_eq(run("--alpha=1", NULL), 0);
	ck_assert(alpha == 1.0);
	ck_assert_int_eq(run("--alpha", "1e-3", NULL), 0);
	ck_assert(alpha == 1e-3);
	ck_assert_int_eq(run("--alpha", "0", NULL), 0);
	ck_assert(alpha == 0.0);
}
END_TEST

START_TEST(test_size)
{
	expect_err(run("-m", "2X", NULL),
		   "option '-m' takes a size such as 512M or 2G, not '2X'");
	expect_err(run("--memory=1.5G", NULL),
		   "option '--memory' takes a size such as 512M or 2G, not '1.5G'");
	expect_err(run("--memory", "-1", NULL),
		   "option '--memory' takes a size such as 512M or 2G, not '-1'");
	ck_assert_int_eq(run("-m4096", NULL), 0);
	ck_assert_uint_eq(mem, 4096);
	ck_assert_int_eq(run("--memory", "10KB", NULL), 0);
	ck_assert_uint_eq(mem, 10240);
}
END_TEST

START_TEST(test_char)
{
	ck_assert_int_eq(run("-d", "\\t", NULL), 0);
	ck_assert_int_eq(c.delim, '\t');
	ck_assert_int_eq(run("-d", "tab", NULL), 0);
	ck_assert_int_eq(c.delim, '\t');
	ck_assert_int_eq(run("--delimiter=;", NULL), 0);
	ck_assert_int_eq(c.delim, ';');
	ck_assert_int_eq(run("-d|", NULL), 0);
	ck_assert_int_eq(c.delim, '|');
	ck_assert_int_eq(run("-d", "\t", NULL), 0);
	ck_assert_int_eq(c.delim, '\t');
	expect_err(run("-d", "ab", NULL),
		   "option '-d' takes one character, not 'ab'");
	expect_err(run("--delimiter=", NULL),
		   "option '--delimiter' takes one character, not ''");
	expect_err(run("--delimiter", "\\n", NULL),
		   "option '--delimiter' takes one character, not '\\n'");
	expect_err(run("-d", "\"", NULL),
		   "option '-d': '\"' cannot be a delimiter");
	expect_err(run("-d", "\n", NULL),
		   "option '-d': '\n' cannot be a delimiter");
	expect_err(run("-d", "\r", NULL),
		   "option '-d': '\r' cannot be a delimiter");
}
END_TEST

START_TEST(test_flag_value)
{
	expect_err(run("--quiet=1", NULL), "option '--quiet' takes no value");
	expect_err(run("--no-header=", NULL),
		   "option '--no-header' takes no value");
}
END_TEST

START_TEST(test_common_csv)
{
	struct hc_common cc;
	struct hc_csv_opts o;
	struct hc_err e = { 0 };

	memset(&cc, 0, sizeof(cc));
	ck_assert_int_eq(hc_common_csv_opts(&cc, &o, &e), 0);
	ck_assert_int_eq(o.delim, ',');
	ck_assert_int_eq(o.no_header, 0);

	cc.tsv = 1;
	ck_assert_int_eq(hc_common_csv_opts(&cc, &o, &e), 0);
	ck_assert_int_eq(o.delim, '\t');

	cc.delim = '\t'; /* -t -d tab agree */
	ck_assert_int_eq(hc_common_csv_opts(&cc, &o, &e), 0);
	ck_assert_int_eq(o.delim, '\t');

	cc.delim = ';';
	ck_assert_int_eq(hc_common_csv_opts(&cc, &o, &e), -1);
	ck_assert_int_eq(e.kind, HC_ERR_USAGE);
	ck_assert_str_eq(e.msg, "options '-t' and '-d' name different delimiters");

	cc.tsv = 0;
	cc.no_header = 1;
	ck_assert_int_eq(hc_common_csv_opts(&cc, &o, &e), 0);
	ck_assert_int_eq(o.delim, ';');
	ck_assert_int_eq(o.no_header, 1);

	/* the same through the parser */
	ck_assert_int_eq(run("-t", "-d", ";", NULL), 0);
	ck_assert_int_eq(hc_common_csv_opts(&c, &o, &e), -1);
	ck_assert_str_eq(e.msg, "options '-t' and '-d' name different delimiters");
	ck_assert_int_eq(run("-t", "-d", "tab", "-n", NULL), 0);
	ck_assert_int_eq(hc_common_csv_opts(&c, &o, &e), 0);
	ck_assert_int_eq(o.delim, '\t');
	ck_assert_int_eq(o.no_header, 1);
}
END_TEST

/* --help from a small table: groups, a short-only and a long-only option,
 * a left column of exactly 24 characters (one line) and of 25 and more
 * (the help moves to the next line). */
START_TEST(test_usage)
{
	static int f, q;
	static const char *s, *o2;
	static uint64_t u, m, x;
	static const struct hc_opt t[] = {
		HC_OPT_GROUP("Input:"),
		HC_OPT_FLAG('n', "no-header", &f, "the first row is data"),
		HC_OPT_STR('s', "select", &s, "COLS", "columns to read"),
		HC_OPT_SIZE('m', "memory-budget", &m, "SIZE",
			    "memory for the tables"),
		HC_OPT_U64('x', "exactly-25-chars1", &x, "N", 0, 9,
			   "one more than fits"),
		HC_OPT_GROUP("Other:"),
		HC_OPT_U64(0, "seed", &u, "N", 0, 10, "seed for hashing"),
		HC_OPT_STR('o', "output-with-a-long-name", &o2, "FILE",
			   "where to write"),
		HC_OPT_FLAG('q', NULL, &q, "quiet"),
		HC_OPT_END(),
	};
	static const char *const usage[] = { "hicard demo [options] [FILE]",
					     "hicard demo --list", NULL };
	static const char want[] =
		"usage: hicard demo [options] [FILE]\n"
		"   or: hicard demo --list\n"
		"\n"
		"Count things in a file.\n"
		"\n"
		"Input:\n"
		"  -n, --no-header           the first row is data\n"
		"  -s, --select COLS         columns to read\n"
		"  -m, --memory-budget SIZE  memory for the tables\n"
		"  -x, --exactly-25-chars1 N\n"
		"                            one more than fits\n"
		"\n"
		"Other:\n"
		"      --seed N              seed for hashing\n"
		"  -o, --output-with-a-long-name FILE\n"
		"                            where to write\n"
		"  -q                        quiet\n";
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "help.txt");
	struct hc_err e = { 0 };
	struct hc_out *out = hc_out_open(path, &e);
	char *text;

	ck_assert_msg(out != NULL, "%s", e.msg);
	ck_assert_int_eq(hc_opts_usage(out, usage, "Count things in a file.", t),
			 0);
	ck_assert_int_eq(hc_out_close(out, &e), 0);
	text = th_read_file(path, NULL);
	ck_assert_str_eq(text, want);
	free(text);

	/* without the about text */
	out = hc_out_open(path, &e);
	ck_assert_msg(out != NULL, "%s", e.msg);
	ck_assert_int_eq(hc_opts_usage(out, usage + 1, NULL, t + 5), 0);
	ck_assert_int_eq(hc_out_close(out, &e), 0);
	text = th_read_file(path, NULL);
	ck_assert_str_eq(text, "usage: hicard demo --list\n"
			       "\n"
			       "Other:\n"
			       "      --seed N              seed for hashing\n"
			       "  -o, --output-with-a-long-name FILE\n"
			       "                            where to write\n"
			       "  -q                        quiet\n");
	free(text);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

Suite *suite_opts(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("opts");

	tcase_add_test(tc, test_forms);
	tcase_add_test(tc, test_bundled);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_positional);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_missing_value);
	tcase_add_test(tc, test_u64);
	tcase_add_test(tc, test_dbl);
	tcase_add_test(tc, test_size);
	tcase_add_test(tc, test_char);
	tcase_add_test(tc, test_flag_value);
	tcase_add_test(tc, test_common_csv);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}
