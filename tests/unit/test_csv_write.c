/* test_csv_write.c - CSV writer: quoting rules, the "" row, numbers, round trip
 *
 * What the writer emits is read back by hicard itself and by every other
 * CSV tool, so each quoting rule is pinned to exact bytes, and random
 * fields made of the awkward characters (quotes, delimiters, CR, LF,
 * spaces) must come back unchanged, with the right line numbers, through
 * the reader.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/csv_read.h"
#include "lib/csv_write.h"
#include "lib/out.h"
#include "suites.h"

/* A writer onto a new file in a temporary directory. */
struct wfile {
	char *dir, *path;
	struct hc_out *out;
	struct hc_csv_writer w;
};

static void wf_open(struct wfile *f, char delim)
{
	struct hc_err err = { 0 };

	f->dir = th_tmp_dir();
	f->path = th_path_join(f->dir, "out.csv");
	f->out = hc_out_open(f->path, &err);
	ck_assert_msg(f->out != NULL, "%s", err.msg);
	hc_csv_writer_init(&f->w, f->out, delim);
}

/* Closes the output and returns what was written (malloc'd). */
static char *wf_close(struct wfile *f, size_t *len)
{
	struct hc_err err = { 0 };
	char *text;

	ck_assert_msg(hc_out_close(f->out, &err) == 0, "%s", err.msg);
	text = th_read_file(f->path, len);
	ck_assert_ptr_nonnull(text);
	th_rm_dir(f->dir);
	free(f->dir);
	free(f->path);
	return text;
}

/* ---- quoting ---------------------------------------------------------- */

struct qcase {
	const char *field;
	char delim;
	const char *want; /* the row "FIELD<delim>z\n" */
};

static const struct qcase qcases[] = {
	{ "plain", ',', "plain,z\n" },
	{ "", ',', ",z\n" },
	{ " sp ", ',', " sp ,z\n" },
	{ "a,b", ',', "\"a,b\",z\n" },
	{ "say \"hi\"", ',', "\"say \"\"hi\"\"\",z\n" },
	{ "\"", ',', "\"\"\"\",z\n" },
	{ "\"\"", ',', "\"\"\"\"\"\",z\n" },
	{ "a\nb", ',', "\"a\nb\",z\n" },
	{ "a\rb", ',', "\"a\rb\",z\n" },
	{ "x\r\n", ',', "\"x\r\n\",z\n" },
	{ "a;b", ',', "a;b,z\n" },
	{ "t\tab", ',', "t\tab,z\n" },
	{ "a;b", ';', "\"a;b\";z\n" },
	{ "a,b", ';', "a,b;z\n" },
	{ "q\"", ';', "\"q\"\"\";z\n" },
	{ "a\tb", '\t', "\"a\tb\"\tz\n" },
	{ "a b,c", '\t', "a b,c\tz\n" },
};

START_TEST(test_quoting)
{
	const struct qcase *c = &qcases[_i];
	struct wfile f;
	char *got;

	wf_open(&f, c->delim);
	ck_assert_int_eq(hc_csv_write_str(&f.w, c->field), 0);
	ck_assert_int_eq(hc_csv_write_str(&f.w, "z"), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	got = wf_close(&f, NULL);
	ck_assert_str_eq(got, c->want);
	free(got);
}
END_TEST

/* hc_csv_write_field takes (ptr, len): only len bytes, quoted as needed. */
START_TEST(test_field_len)
{
	struct wfile f;
	char *got;

	wf_open(&f, ',');
	ck_assert_int_eq(hc_csv_write_field(&f.w, "abc,def", 3), 0);
	ck_assert_int_eq(hc_csv_write_field(&f.w, "x,yz", 3), 0);
	ck_assert_int_eq(hc_csv_write_field(&f.w, "\"q\"rest", 3), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	got = wf_close(&f, NULL);
	ck_assert_str_eq(got, "abc,\"x,y\",\"\"\"q\"\"\"\n");
	free(got);
}
END_TEST

/* A row of one empty field is "" (a blank line would be skipped on
 * reading); more fields, or numbers, need no quotes. */
START_TEST(test_empty_rows)
{
	static const char *const one_empty[] = { "" };
	static const char *const two_empty[] = { "", "" };
	static const char *const abc[] = { "a", "b", "c" };
	struct wfile f;
	char *got;

	wf_open(&f, ',');
	ck_assert_int_eq(hc_csv_write_row(&f.w, one_empty, 1), 0);
	ck_assert_int_eq(hc_csv_write_row(&f.w, two_empty, 2), 0);
	ck_assert_int_eq(hc_csv_write_row(&f.w, abc, 3), 0);
	ck_assert_int_eq(hc_csv_write_field(&f.w, "", 0), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	ck_assert_int_eq(hc_csv_write_u64(&f.w, 0), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	ck_assert_int_eq(hc_csv_write_str(&f.w, ""), 0);
	ck_assert_int_eq(hc_csv_write_u64(&f.w, 7), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	ck_assert_int_eq(hc_csv_write_u64(&f.w, 7), 0);
	ck_assert_int_eq(hc_csv_write_str(&f.w, ""), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	ck_assert_int_eq(hc_csv_write_row(&f.w, one_empty, 1), 0);
	got = wf_close(&f, NULL);
	ck_assert_str_eq(got, "\"\"\n,\na,b,c\n\"\"\n0\n,7\n7,\n\"\"\n");
	free(got);
}
END_TEST

/* delim 0 means ',' */
START_TEST(test_default_delim)
{
	static const char *const row[] = { "a,b", "c;d" };
	struct wfile f;
	char *got;

	wf_open(&f, 0);
	ck_assert_int_eq(f.w.delim, ',');
	ck_assert_int_eq(hc_csv_write_row(&f.w, row, 2), 0);
	got = wf_close(&f, NULL);
	ck_assert_str_eq(got, "\"a,b\",c;d\n");
	free(got);
}
END_TEST

START_TEST(test_numbers)
{
	struct wfile f;
	char *got, *end;
	float back;

	wf_open(&f, ';');
	ck_assert_int_eq(hc_csv_write_u64(&f.w, 0), 0);
	ck_assert_int_eq(hc_csv_write_u64(&f.w, 18446744073709551615ull), 0);
	ck_assert_int_eq(hc_csv_write_float(&f.w, 0.1f), 0);
	ck_assert_int_eq(hc_csv_write_float(&f.w, 3.0f), 0);
	ck_assert_int_eq(hc_csv_write_float(&f.w, -2.5f), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	ck_assert_int_eq(hc_csv_write_float(&f.w, 1e-8f), 0);
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	got = wf_close(&f, NULL);
	ck_assert_msg(strncmp(got, "0;18446744073709551615;0.1;3;-2.5\n", 34) ==
			      0,
		      "got '%s'", got);
	back = strtof(got + 34, &end);
	ck_assert_msg(back == 1e-8f, "1e-8f wrote '%s'", got + 34);
	ck_assert_str_eq(end, "\n");
	free(got);
}
END_TEST

/* ---- round trip through the reader ------------------------------------ */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: fixed seeds, the same fields on every run */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

#define RT_ROWS 3000
#define RT_LEN 12

/* A random field of 0..RT_LEN bytes from the characters that need care. */
static size_t rand_field(char *buf)
{
	static const char alphabet[] = "ab ,;\t\"\n\r\xc3\xa9";
	size_t n = rng() % (RT_LEN + 1);

	for (size_t k = 0; k < n; k++)
		buf[k] = alphabet[rng() % (sizeof(alphabet) - 1)];
	buf[n] = '\0';
	return n;
}

/* _i: 1..4 columns (_i % 4 + 1), delimiter ',' ';' or tab (_i / 4). */
START_TEST(test_round_trip)
{
	size_t ncols = (size_t)_i % 4 + 1;
	char delim = ",;\t"[_i / 4];
	static char fields[RT_ROWS][4][RT_LEN + 1];
	static size_t lens[RT_ROWS][4];
	uint64_t line = 2;
	struct wfile f;
	struct hc_csv_opts o = { .delim = delim };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	struct hc_csv_row row;
	char *dir, *path;
	size_t nrows = 0;
	int rc;

	rng_state = 0x9E3779B97F4A7C15ull + (uint64_t)_i;
	wf_open(&f, delim);
	for (size_t j = 0; j < ncols; j++) {
		char name[24];
		snprintf(name, sizeof(name), "c%zu", j + 1);
		ck_assert_int_eq(hc_csv_write_str(&f.w, name), 0);
	}
	ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	for (size_t i = 0; i < RT_ROWS; i++) {
		for (size_t j = 0; j < ncols; j++) {
			lens[i][j] = rand_field(fields[i][j]);
			ck_assert_int_eq(hc_csv_write_field(&f.w, fields[i][j],
							    lens[i][j]),
					 0);
		}
		ck_assert_int_eq(hc_csv_end_row(&f.w), 0);
	}
	ck_assert_int_eq(hc_out_close(f.out, &err), 0);

	/* read it back */
	dir = f.dir;
	path = f.path;
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_uint_eq(hc_csv_ncols(r), ncols);
	while ((rc = hc_csv_next(r, &row, &err)) == 1) {
		ck_assert_uint_lt(nrows, RT_ROWS);
		if (row.line != line)
			ck_abort_msg("row %zu: line %llu, want %llu", nrows,
				     (unsigned long long)row.line,
				     (unsigned long long)line);
		for (size_t j = 0; j < ncols; j++) {
			size_t len = hc_csv_field_len(&row, j);
			const char *s = hc_csv_field(&row, j);
			if (len != lens[nrows][j] ||
			    memcmp(s, fields[nrows][j], len) != 0)
				ck_abort_msg("row %zu field %zu: read back '%.*s', wrote '%s'",
					     nrows, j, (int)len, s,
					     fields[nrows][j]);
			/* the writer ends rows with LF; only LF counts */
			for (size_t k = 0; k < len; k++)
				line += s[k] == '\n';
		}
		line++;
		nrows++;
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(nrows, RT_ROWS);
	hc_csv_close(r);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

Suite *suite_csv_write(void)
{
	Suite *s = suite_create("csv_write");
	TCase *tc = tcase_create("write");

	tcase_add_loop_test(tc, test_quoting, 0,
			    (int)(sizeof(qcases) / sizeof(qcases[0])));
	tcase_add_test(tc, test_field_len);
	tcase_add_test(tc, test_empty_rows);
	tcase_add_test(tc, test_default_delim);
	tcase_add_test(tc, test_numbers);
	tcase_add_loop_test(tc, test_round_trip, 0, 12);
	suite_add_tcase(s, tc);
	return s;
}
