/* test_profile.c - the profile core: type inference, exact statistics,
 * the switch to sketches past the memory budget, merge equal to the whole,
 * state round trips and corrupted states, target statistics and advice */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/csv_read.h"
#include "lib/mem.h"
#include "lib/memeq.h"
#include "lib/report.h"
#include "lib/team.h"
#include "src/coltype.h"
#include "src/hll.h"
#include "src/profile.h"
#include "src/profile_stage.h"
#include "helpers.h"
#include "suites.h"

/* ---- helpers ----------------------------------------------------------- */

/* A batch of nrows x ncols cells given row by row. */
static void make_batch(struct hc_csv_batch *b, size_t nrows, size_t ncols,
		       const char *const *cells)
{
	size_t n = nrows * ncols, at = 0;

	memset(b, 0, sizeof(*b));
	b->nrows = nrows;
	b->ncols = ncols;
	b->nfields = n;
	b->off = calloc(n + 1, sizeof(*b->off));
	b->len = calloc(n + 1, sizeof(*b->len));
	b->line = calloc(nrows + 1, sizeof(*b->line));
	for (size_t i = 0; i < n; i++)
		b->buf_len += strlen(cells[i]) + 1;
	b->buf = malloc(b->buf_len + 1);
	ck_assert_ptr_nonnull(b->buf);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(cells[i]);
		memcpy(b->buf + at, cells[i], l + 1);
		b->off[i] = (uint32_t)at;
		b->len[i] = (uint32_t)l;
		at += l + 1;
	}
	for (size_t i = 0; i < nrows; i++)
		b->line[i] = i + 2;
}

static void free_batch(struct hc_csv_batch *b)
{
	free(b->buf);
	free(b->off);
	free(b->len);
	free(b->line);
}

static const size_t ident[] = {0, 1, 2, 3, 4, 5, 6, 7};
static const char *const default_nulls[] = {"NA", "NULL", "\\N", "NaN"};

static struct hc_profile_opts opts(void)
{
	struct hc_profile_opts o = {
		.memory = 512u << 20, .hll_p = 14, .k = 5, .nulls = default_nulls,
		.nnulls = 4, .target = -1, .collision = 0.01, .seed = 1,
	};
	return o;
}

static const cJSON *col_of(const cJSON *doc, size_t j)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "columns"), (int)j);
}

static double num_at(const cJSON *col, const char *path)
{
	const cJSON *v = hc_report_get(col, path);

	ck_assert_msg(cJSON_IsNumber(v), "no number at %s", path);
	return v->valuedouble;
}

static const char *str_at(const cJSON *col, const char *path)
{
	const cJSON *v = hc_report_get(col, path);

	ck_assert_msg(cJSON_IsString(v), "no string at %s", path);
	return v->valuestring;
}

static unsigned skewed(uint64_t *s, unsigned n)
{
	double u = (double)(th_rand(s) >> 11) / 9007199254740992.0;
	return (unsigned)(pow((double)n + 1, u)) - 1; /* log-uniform */
}

/* Feeds rows [from, to) of a generated 3-column table (id, number, tag). */
static void feed(struct hc_profile *p, unsigned from, unsigned to,
		 unsigned distinct)
{
	size_t n = to - from;
	char (*cells)[24] = calloc(n * 3, 24);
	const char **ptr = calloc(n * 3, sizeof(*ptr));
	struct hc_csv_batch b;
	struct hc_err err = {0};
	uint64_t s = 42;

	for (unsigned i = 0; i < from; i++) /* keep the stream the same */
		(void)skewed(&s, distinct);
	for (size_t i = 0; i < n; i++) {
		unsigned v = skewed(&s, distinct);
		snprintf(cells[i * 3], 24, "u%u", v);
		snprintf(cells[i * 3 + 1], 24, "%u.5", (from + (unsigned)i) % 1000);
		snprintf(cells[i * 3 + 2], 24, "%s", (from + i) % 7 == 0 ? "" : (from + i) % 2 ? "x" : "y");
		for (int k = 0; k < 3; k++)
			ptr[i * 3 + k] = cells[i * 3 + k];
	}
	make_batch(&b, n, 3, ptr);
	ck_assert_int_eq(hc_profile_add_batch(p, &b, ident, NULL, &err), 0);
	free_batch(&b);
	free(ptr);
	free(cells);
}

static const char *const names3[] = {"id", "num", "tag"};

/* The whole report as text: while exact, even the numeric statistics are
 * computed from the exact counts, so shards merged equal the whole. */
static char *report_text(const struct hc_profile *p)
{
	struct hc_err err = {0};
	cJSON *doc = hc_profile_report(p, &err);
	char *t;

	ck_assert_ptr_nonnull(doc);
	t = cJSON_Print(doc);
	cJSON_Delete(doc);
	return t;
}

/* ---- tests ------------------------------------------------------------- */

START_TEST(types_of_values)
{
	static const struct {
		const char *s;
		enum hc_coltype t;
	} cases[] = {
		{"0", HC_TYPE_INT},          {"-12", HC_TYPE_INT},
		{"+7", HC_TYPE_INT},         {"123456789012345678", HC_TYPE_INT},
		{"1234567890123456789", HC_TYPE_FLOAT},
		{"1.5", HC_TYPE_FLOAT},      {".5", HC_TYPE_FLOAT},
		{"5.", HC_TYPE_FLOAT},       {"1e10", HC_TYPE_FLOAT},
		{"-2.5E-3", HC_TYPE_FLOAT},  {"1e", HC_TYPE_STRING},
		{".", HC_TYPE_STRING},       {"-", HC_TYPE_STRING},
		{"1.2.3", HC_TYPE_STRING},   {" 1", HC_TYPE_STRING},
		{"1 ", HC_TYPE_STRING},      {"nan", HC_TYPE_STRING},
		{"inf", HC_TYPE_STRING},     {"true", HC_TYPE_BOOL},
		{"FALSE", HC_TYPE_BOOL},     {"yes", HC_TYPE_STRING},
		{"2024-02-29", HC_TYPE_DATE}, {"2024-13-01", HC_TYPE_STRING},
		{"2024-1-01", HC_TYPE_STRING},
		{"2024-02-29T12:30", HC_TYPE_DATETIME},
		{"2024-02-29 12:30:59.123Z", HC_TYPE_DATETIME},
		{"2024-02-29T12:30:59+05:30", HC_TYPE_DATETIME},
		{"2024-02-29T25:00", HC_TYPE_STRING},
		{"2024-02-29T12:30:59+0530", HC_TYPE_STRING},
		{"u123", HC_TYPE_STRING},    {"", HC_TYPE_STRING},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = 0;
		enum hc_coltype t = hc_coltype_of(cases[i].s, strlen(cases[i].s), &v);
		ck_assert_msg(t == cases[i].t, "'%s': got %s, expected %s", cases[i].s,
			      hc_coltype_name(t), hc_coltype_name(cases[i].t));
	}
	{
		double v = 0;
		hc_coltype_of("-2.5E-3", 7, &v);
		ck_assert(v == -2.5e-3);
		hc_coltype_of("-12", 3, &v);
		ck_assert(v == -12);
	}
}
END_TEST

/* The float fast path (coltype.c) gives strtod's double, bit for bit:
 * edge cases around 2^53 and 10^22, signed zeros, long digit strings
 * (strtod's path), and random decimals of 1 to 20 digits with a point
 * anywhere and an exponent or none. */
static void float_agrees(const char *s)
{
	double v = 0, w = strtod(s, NULL);
	enum hc_coltype t = hc_coltype_of(s, strlen(s), &v);

	ck_assert_msg(t == HC_TYPE_FLOAT, "'%s' is %s", s, hc_coltype_name(t));
	ck_assert_msg(memcmp(&v, &w, sizeof(v)) == 0, "'%s': %.17g, strtod %.17g",
		      s, v, w);
}

START_TEST(floats_like_strtod)
{
	static const char *const edge[] = {
		"9007199254740992.0", "9007199254740993.0", "9007199254740994.5",
		"9007199254740993e1", "1e22", "1e23", "1.5e-22", "1e-23", "-0.0",
		"+0.", ".0e5", "0e1000", "4.48", "-1.204", "46.4", "0.1", "0.3",
		"123456789.123456789", "1.7976931348623157e308", "4.9e-324",
		"2.2250738585072011e-308", "-00000000000000000000000001.5",
		"1234567890123456789012", "1.00000000000000000000000000001",
	};
	uint64_t rng = 5;
	char buf[64];

	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		float_agrees(edge[i]);
	for (int i = 0; i < 200000; i++) {
		uint64_t r = th_rand(&rng), m = th_rand(&rng);
		int digits = 1 + (int)(r % 20), point = (int)((r >> 8) % (digits + 1));
		size_t at = 0;

		if ((r >> 16) & 1)
			buf[at++] = '-';
		for (int d = 0; d < digits; d++) {
			if (d == point)
				buf[at++] = '.';
			buf[at++] = (char)('0' + (d == 0 && (r >> 17) % 4 ? 1 + m % 9 : m % 10));
			m /= 10;
			if (m == 0)
				m = th_rand(&rng);
		}
		if (point == digits)
			buf[at++] = '.';
		buf[at] = '\0';
		if ((r >> 20) % 3 == 0)
			snprintf(buf + at, sizeof(buf) - at, "e%d", (int)((r >> 24) % 61) - 30);
		float_agrees(buf);
	}
}
END_TEST

START_TEST(exact_small)
{
	static const char *const cells[] = {
		"a", "1",  "a", "2",  "b", "3",  "", "4",  "NA", "5",
		"a", "6",  "c", "7",  "c", "8",  "a", "9",  "d", "x",
	};
	static const char *const names[] = {"s", "n"};
	struct hc_profile_opts o = opts();
	struct hc_err err = {0};
	struct hc_profile *p = hc_profile_new(&o, 2, names, &err);
	struct hc_csv_batch b;
	cJSON *doc;
	const cJSON *s, *n;

	ck_assert_ptr_nonnull(p);
	make_batch(&b, 10, 2, cells);
	ck_assert_int_eq(hc_profile_add_batch(p, &b, ident, NULL, &err), 0);
	doc = hc_profile_report(p, &err);
	ck_assert_ptr_nonnull(doc);
	s = col_of(doc, 0);
	n = col_of(doc, 1);
	ck_assert_str_eq(str_at(s, "type"), "string");
	ck_assert(num_at(s, "rows") == 10);
	ck_assert(num_at(s, "nulls") == 2);
	ck_assert(num_at(s, "distinct.count") == 4);
	ck_assert(cJSON_IsTrue(hc_report_get(s, "distinct.exact")));
	ck_assert_str_eq(str_at(s, "top.0.value"), "a");
	ck_assert(num_at(s, "top.0.count") == 4);
	ck_assert(num_at(s, "top.0.share") == 0.5);
	ck_assert_str_eq(str_at(s, "top.1.value"), "c");
	/* b and d tie at 1: ordered by value bytes */
	ck_assert_str_eq(str_at(s, "top.2.value"), "b");
	ck_assert_str_eq(str_at(s, "top.3.value"), "d");
	ck_assert(num_at(s, "singletons.count") == 2);
	ck_assert(num_at(s, "singletons.row_share") == 0.25);
	/* entropy of (4,2,1,1)/8 = 1.75 bits */
	ck_assert(fabs(num_at(s, "entropy_bits") - 1.75) < 1e-9);
	ck_assert(fabs(num_at(s, "entropy_normalized") - 0.875) < 1e-9);
	ck_assert(num_at(s, "coverage.top_10") == 1);
	/* 9 of 10 values are integers: 90% fit the integer type */
	ck_assert_str_eq(str_at(n, "type"), "integer");
	ck_assert(fabs(num_at(n, "type_mismatch_share") - 0.1) < 1e-9);
	ck_assert(num_at(n, "numeric.min") == 1);
	ck_assert(num_at(n, "numeric.max") == 9);
	ck_assert(num_at(n, "numeric.mean") == 5);
	ck_assert(fabs(num_at(n, "numeric.stddev") - sqrt(7.5)) < 1e-5);
	ck_assert(num_at(n, "numeric.p50") == 5);
	ck_assert(num_at(n, "length.max") == 1);
	cJSON_Delete(doc);
	free_batch(&b);
	hc_profile_free(p);
}
END_TEST

START_TEST(merge_equals_whole)
{
	struct hc_profile_opts o = opts();
	struct hc_err err = {0};
	struct hc_profile *whole = hc_profile_new(&o, 3, names3, &err);
	struct hc_profile *a = hc_profile_new(&o, 3, names3, &err);
	struct hc_profile *b = hc_profile_new(&o, 3, names3, &err);
	char *tw, *tm;

	feed(whole, 0, 30000, 5000);
	feed(a, 0, 12345, 5000);
	feed(b, 12345, 30000, 5000);
	ck_assert_int_eq(hc_profile_merge(a, b, &err), 0);
	tw = report_text(whole);
	tm = report_text(a);
	ck_assert_str_eq(tm, tw);
	free(tw);
	free(tm);
	hc_profile_free(whole);
	hc_profile_free(a);
	hc_profile_free(b);
}
END_TEST

START_TEST(state_round_trip)
{
	struct hc_profile_opts o = opts();
	struct hc_err err = {0};
	struct hc_profile *p = hc_profile_new(&o, 3, names3, &err), *q;
	struct hc_buf buf;
	struct hc_cursor c;
	char *t1, *t2;

	feed(p, 0, 5000, 800);
	hc_buf_init(&buf);
	ck_assert_int_eq(hc_profile_serialize(p, &buf), 0);
	hc_cursor_init(&c, buf.data, buf.len);
	q = hc_profile_deserialize(&c, 512u << 20, &err);
	ck_assert_msg(q != NULL, "%s", err.msg);
	t1 = report_text(p);
	t2 = report_text(q);
	ck_assert_str_eq(t2, t1);
	/* every truncation is a clean error */
	for (size_t len = 0; len < buf.len; len += 1 + len / 50) {
		struct hc_profile *r;
		hc_cursor_init(&c, buf.data, len);
		err.kind = HC_ERR_NONE;
		r = hc_profile_deserialize(&c, 512u << 20, &err);
		ck_assert_msg(r == NULL, "truncated at %zu of %zu accepted", len, buf.len);
		ck_assert_int_eq(err.kind, HC_ERR_DATA);
	}
	free(t1);
	free(t2);
	hc_buf_release(&buf);
	hc_profile_free(p);
	hc_profile_free(q);
}
END_TEST

START_TEST(budget_switches_to_sketches)
{
	struct hc_profile_opts o = opts();
	struct hc_err err = {0};
	struct hc_profile *exact = hc_profile_new(&o, 3, names3, &err), *approx;
	cJSON *de, *da;
	double d_true, d_est;

	o.memory = 64 << 10; /* far less than 200k distinct values need */
	approx = hc_profile_new(&o, 3, names3, &err);
	feed(exact, 0, 400000, 200000);
	feed(approx, 0, 400000, 200000);
	de = hc_profile_report(exact, &err);
	da = hc_profile_report(approx, &err);
	ck_assert(cJSON_IsTrue(hc_report_get(col_of(de, 0), "distinct.exact")));
	ck_assert(cJSON_IsFalse(hc_report_get(col_of(da, 0), "distinct.exact")));
	d_true = num_at(col_of(de, 0), "distinct.count");
	d_est = num_at(col_of(da, 0), "distinct.count");
	/* within 4 standard errors of HyperLogLog at p = 14 (0.81%) */
	ck_assert_msg(fabs(d_est - d_true) <= 4 * 0.0081 * d_true,
		      "estimate %.0f, truth %.0f", d_est, d_true);
	/* the heaviest value is found, its count within the bound N/10000 */
	ck_assert_str_eq(str_at(col_of(da, 0), "top.0.value"),
			 str_at(col_of(de, 0), "top.0.value"));
	ck_assert(num_at(col_of(da, 0), "top.0.count") >= num_at(col_of(de, 0), "top.0.count"));
	ck_assert(num_at(col_of(da, 0), "top.0.count") - num_at(col_of(da, 0), "top.0.error") <=
		  num_at(col_of(de, 0), "top.0.count"));
	ck_assert(num_at(col_of(da, 0), "top.0.error") <= 400000 / HC_PROFILE_TOPK_CAPACITY);
	/* the small column stays exact: only what does not fit moves */
	ck_assert(cJSON_IsTrue(hc_report_get(col_of(da, 2), "distinct.exact")));
	cJSON_Delete(de);
	cJSON_Delete(da);
	hc_profile_free(exact);
	hc_profile_free(approx);
}
END_TEST

START_TEST(target_and_advice)
{
	/* copy: the label itself; noise: a new value on every row */
	enum { N = 400 };
	static char cells[N * 3][16];
	const char *ptr[N * 3];
	static const char *const names[] = {"label", "copy", "noise"};
	struct hc_profile_opts o = opts();
	struct hc_err err = {0};
	struct hc_profile *p;
	struct hc_csv_batch b;
	double t[N];
	cJSON *doc;
	const cJSON *copy, *noise;

	o.target = 0;
	p = hc_profile_new(&o, 3, names, &err);
	for (int i = 0; i < N; i++) {
		t[i] = i % 2;
		snprintf(cells[i * 3], 16, "%d", i % 2);
		snprintf(cells[i * 3 + 1], 16, "%s", i % 2 ? "yes" : "no");
		snprintf(cells[i * 3 + 2], 16, "n%d", i);
		for (int k = 0; k < 3; k++)
			ptr[i * 3 + k] = cells[i * 3 + k];
	}
	make_batch(&b, N, 3, ptr);
	ck_assert_int_eq(hc_profile_add_batch(p, &b, ident, t, &err), 0);
	doc = hc_profile_report(p, &err);
	copy = col_of(doc, 1);
	noise = col_of(doc, 2);
	/* a copy of a balanced binary label carries all of its 1 bit */
	ck_assert(fabs(num_at(copy, "target.mutual_information_bits") - 1.0) < 1e-6);
	ck_assert(cJSON_IsFalse(hc_report_get(copy, "target.leakage_warning")));
	ck_assert_str_eq(str_at(copy, "advice.treatment"), "onehot");
	/* every noise value is seen once: the leak naive encoding would have */
	ck_assert(num_at(noise, "target.rare_value_row_share") == 1);
	ck_assert(cJSON_IsTrue(hc_report_get(noise, "target.leakage_warning")));
	ck_assert_str_eq(str_at(noise, "advice.treatment"), "drop");
	ck_assert_ptr_null(hc_report_get(col_of(doc, 0), "target"));
	cJSON_Delete(doc);
	free_batch(&b);
	hc_profile_free(p);
}
END_TEST

START_TEST(merge_mismatch)
{
	static const char *const other[] = {"id", "num", "other"};
	struct hc_profile_opts o = opts();
	struct hc_err err = {0};
	struct hc_profile *a = hc_profile_new(&o, 3, names3, &err);
	struct hc_profile *b = hc_profile_new(&o, 3, other, &err);

	ck_assert_int_eq(hc_profile_merge(a, b, &err), -1);
	ck_assert_str_eq(err.msg, "column 3 is 'tag' in one profile and 'other' in the other");
	hc_profile_free(a);
	hc_profile_free(b);
}
END_TEST

/* ---- a batch's distinct values (profile_stage.h) ----------------------- */

/* hc_memeq against memcmp: every length to 40, a difference at every
 * position (the overlapping loads must cover each byte). */
START_TEST(memeq_every_byte)
{
	unsigned char a[48], b[48];

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (unsigned char)(i * 37 + 1);
	for (size_t n = 0; n <= 40; n++) {
		ck_assert(hc_memeq(a, b, n));
		for (size_t k = 0; k < n; k++) {
			b[k] ^= 0x80;
			ck_assert_msg(!hc_memeq(a, b, n), "n %zu, byte %zu", n, k);
			b[k] ^= 0x80;
		}
		b[n] ^= 1; /* a byte past n does not count */
		ck_assert(hc_memeq(a, b, n));
		b[n] ^= 1;
	}
}
END_TEST

/* Distinct values in order of first row with their counts, values past
 * the 16 bytes kept in an entry (and sharing those 16), the empty value;
 * then a second, smaller batch into the same stage (cleared slot by slot)
 * and a large one (cleared at once). */
START_TEST(stage_counts)
{
	static const char *const cells[] = {
		"b", "a", "b", "", "0123456789abcdefX", "0123456789abcdefY",
		"a", "0123456789abcdefX", "", "b", "0123456789abcdef",
	};
	static const char *const want[] = {
		"b", "a", "", "0123456789abcdefX", "0123456789abcdefY",
		"0123456789abcdef",
	};
	static const uint32_t want_n[] = {3, 2, 2, 2, 1, 1};
	struct hc_stage st = {0};
	struct hc_csv_batch b;
	const char *two[] = {"x", "skip", "x", "skip"};
	char (*many)[16] = calloc(5000, 16);
	const char **ptr = calloc(5000, sizeof(*ptr));

	make_batch(&b, 11, 1, cells);
	ck_assert_int_eq(hc_stage_fill(&st, &b, 0, 0, 11), 0);
	ck_assert_uint_eq(st.n, 6);
	for (size_t e = 0; e < st.n; e++) {
		ck_assert_uint_eq(st.ent[e].len, strlen(want[e]));
		ck_assert_mem_eq(b.buf + st.ent[e].off, want[e], st.ent[e].len);
		ck_assert_uint_eq(st.ent[e].count, want_n[e]);
	}
	free_batch(&b);

	make_batch(&b, 2, 2, two); /* column 0 of 2 */
	ck_assert_int_eq(hc_stage_fill(&st, &b, 0, 0, 2), 0);
	ck_assert_uint_eq(st.n, 1);
	ck_assert_uint_eq(st.ent[0].count, 2);
	ck_assert_int_eq(hc_stage_fill(&st, &b, 1, 1, 1), 0); /* row 1 only */
	ck_assert_uint_eq(st.n, 1);
	ck_assert_uint_eq(st.ent[0].count, 1);
	ck_assert_mem_eq(b.buf + st.ent[0].off, "skip", 4);
	free_batch(&b);

	ck_assert_ptr_nonnull(many);
	for (size_t i = 0; i < 5000; i++) {
		snprintf(many[i], 16, "v%zu", i % 1700);
		ptr[i] = many[i];
	}
	make_batch(&b, 5000, 1, ptr);
	ck_assert_int_eq(hc_stage_fill(&st, &b, 0, 0, 5000), 0);
	ck_assert_uint_eq(st.n, 1700);
	for (size_t e = 0; e < st.n; e++)
		ck_assert_uint_eq(st.ent[e].count, e < 5000 - 2 * 1700 ? 3 : 2);
	ck_assert_int_eq(hc_stage_fill(&st, &b, 0, 0, 5000), 0); /* memset */
	ck_assert_uint_eq(st.n, 1700);
	ck_assert_uint_eq(st.ent[0].count, 3);
	free_batch(&b);
	hc_stage_release(&st);
	free(ptr);
	free(many);
}
END_TEST

/* An approximate profile of fewer distinct values than the top-k sketch's
 * capacity, fed a batch at a time (each collapsed to weighted values),
 * reports the exact profile's counts, nulls, types, lengths and moments. */
START_TEST(approx_weighted_equals_exact)
{
	struct hc_profile_opts o = opts();
	struct hc_profile *pe, *pa;
	struct hc_err err = {0};
	cJSON *de, *da;
	static const char *const paths[] = {
		"rows", "nulls", "type_mismatch_share", "length.min", "length.mean",
		"length.max", "numeric.min", "numeric.max", "numeric.mean",
		"top.0.count", "top.1.count", "top.2.count", "top.3.count",
		"top.4.count", "top.0.error", "top.4.error",
	};

	pe = hc_profile_new(&o, 3, (const char *const *)names3, &err);
	o.approx = 1;
	pa = hc_profile_new(&o, 3, (const char *const *)names3, &err);
	ck_assert_ptr_nonnull(pe);
	ck_assert_ptr_nonnull(pa);
	/* batches of 7500 rows, then one past HC_STAGE_MAX_ROWS (cut) */
	for (unsigned from = 0; from < 15000; from += 7500) {
		feed(pe, from, from + 7500, 500);
		feed(pa, from, from + 7500, 500);
	}
	feed(pe, 15000, 15000 + HC_STAGE_MAX_ROWS + 1000, 500);
	feed(pa, 15000, 15000 + HC_STAGE_MAX_ROWS + 1000, 500);
	de = hc_profile_report(pe, &err);
	da = hc_profile_report(pa, &err);
	ck_assert_ptr_nonnull(de);
	ck_assert_ptr_nonnull(da);
	for (size_t j = 0; j < 3; j++) {
		for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
			const cJSON *ve = hc_report_get(col_of(de, j), paths[i]);
			const cJSON *va = hc_report_get(col_of(da, j), paths[i]);
			if (!ve || !cJSON_IsNumber(ve)) {
				ck_assert_msg(!va || !cJSON_IsNumber(va),
					      "column %zu: %s", j, paths[i]);
				continue;
			}
			ck_assert_msg(va && cJSON_IsNumber(va) &&
					      fabs(va->valuedouble - ve->valuedouble) <=
						      1e-9 * fabs(ve->valuedouble),
				      "column %zu: %s", j, paths[i]);
		}
		ck_assert_str_eq(str_at(col_of(da, j), "top.0.value"),
				 str_at(col_of(de, j), "top.0.value"));
	}
	cJSON_Delete(de);
	cJSON_Delete(da);
	hc_profile_free(pe);
	hc_profile_free(pa);
}
END_TEST

START_TEST(order_by_cost)
{
	const double cost[] = {0.5, 3.0, 0.5, 9.0, 0.0, 3.0};
	const size_t want[] = {3, 1, 5, 0, 2, 4};
	size_t order[6];

	hc_profile_order_by_cost(cost, 6, order);
	for (size_t i = 0; i < 6; i++)
		ck_assert_uint_eq(order[i], want[i]);
}
END_TEST

/* The JSON report of a CSV file scanned with a team of workers (or none). */
static char *scan_json(const char *path, unsigned workers)
{
	static const char *const names[] = {"a", "b", "c"};
	static const size_t cols[] = {0, 1, 2};
	struct hc_profile_opts o = {.memory = 1 << 20, .hll_p = 10, .k = 5,
				    .target = -1, .collision = 0.01};
	struct hc_csv_opts copts = {.delim = ','};
	struct hc_err err = {0};
	struct hc_csv_reader *csv = hc_csv_open(path, &copts, &err);
	struct hc_profile *p = hc_profile_new(&o, 3, names, &err);
	struct hc_team *team = workers ? hc_team_new(workers, &err) : NULL;
	cJSON *doc;
	char *text;

	ck_assert_ptr_nonnull(csv);
	ck_assert_ptr_nonnull(p);
	ck_assert(!workers || team);
	ck_assert_int_eq(hc_profile_scan(p, csv, cols, -1, team, NULL, &err), 0);
	doc = hc_profile_report(p, &err);
	ck_assert_ptr_nonnull(doc);
	text = cJSON_PrintUnformatted(doc);
	ck_assert_ptr_nonnull(text);
	cJSON_Delete(doc);
	hc_team_free(team);
	hc_profile_free(p);
	hc_csv_close(csv);
	return text;
}

/* This thread counts columns along with the team's workers: the report
 * is the same with any number of them, over many batches. */
START_TEST(scan_team_same)
{
	size_t rows = 150000, len = 0;
	char *data = malloc(rows * 24 + 16), *path, *one, *two, *three;

	ck_assert_ptr_nonnull(data);
	len += (size_t)sprintf(data, "a,b,c\n");
	for (size_t i = 0; i < rows; i++)
		len += (size_t)sprintf(data + len, "%zu,x%zu,%zu\n",
				       i % 7, (i * 2654435761u) % 50000, i);
	path = th_tmp_str(data);
	one = scan_json(path, 0);
	two = scan_json(path, 1);
	three = scan_json(path, 2);
	ck_assert_str_eq(two, one);
	ck_assert_str_eq(three, one);
	cJSON_free(one);
	cJSON_free(two);
	cJSON_free(three);
	unlink(path);
	free(path);
	free(data);
}
END_TEST

Suite *suite_profile(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");

	tcase_add_test(tc, types_of_values);
	tcase_add_test(tc, floats_like_strtod);
	tcase_add_test(tc, exact_small);
	tcase_add_test(tc, merge_equals_whole);
	tcase_add_test(tc, state_round_trip);
	tcase_add_test(tc, budget_switches_to_sketches);
	tcase_add_test(tc, target_and_advice);
	tcase_add_test(tc, merge_mismatch);
	tcase_add_test(tc, memeq_every_byte);
	tcase_add_test(tc, stage_counts);
	tcase_add_test(tc, approx_weighted_equals_exact);
	tcase_add_test(tc, order_by_cost);
	tcase_add_test(tc, scan_team_same);
	suite_add_tcase(s, tc);
	return s;
}
