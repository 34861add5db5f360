/* test_parse.c - strict number parsing: the whole text, in range, or nothing
 *
 * These parse option values and data fields, where "12x", " 5" or an
 * overflow silently read as a number would turn a typo into a wrong
 * result.  Each case is a text and either its exact value or a rejection;
 * a rejection must leave *out untouched (parse.h).
 */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lib/parse.h"
#include "suites.h"

#define UNTOUCHED 777

/* ---- u64 -------------------------------------------------------------- */

struct ucase {
	const char *s;
	uint64_t max;
	int ok;
	uint64_t want;
};

static const struct ucase ucases[] = {
	{ "0", UINT64_MAX, 1, 0 },
	{ "7", UINT64_MAX, 1, 7 },
	{ "0042", UINT64_MAX, 1, 42 },
	{ "18446744073709551615", UINT64_MAX, 1, UINT64_MAX },
	{ "18446744073709551614", UINT64_MAX, 1, UINT64_MAX - 1 },
	{ "18446744073709551616", UINT64_MAX, 0, 0 },
	{ "18446744073709551620", UINT64_MAX, 0, 0 },
	{ "99999999999999999999", UINT64_MAX, 0, 0 },
	{ "184467440737095516150", UINT64_MAX, 0, 0 },
	/* leading zeros are still digits only: the value decides */
	{ "000000000000000000001", UINT64_MAX, 1, 1 },
	{ "00000000000000000000000000018446744073709551615", UINT64_MAX, 1,
	  UINT64_MAX },
	{ "10", 10, 1, 10 },
	{ "11", 10, 0, 0 },
	{ "0", 0, 1, 0 },
	{ "1", 0, 0, 0 },
	{ "", UINT64_MAX, 0, 0 },
	{ "+5", UINT64_MAX, 0, 0 },
	{ "-1", UINT64_MAX, 0, 0 },
	{ "-0", UINT64_MAX, 0, 0 },
	{ " 5", UINT64_MAX, 0, 0 },
	{ "5 ", UINT64_MAX, 0, 0 },
	{ "12x", UINT64_MAX, 0, 0 },
	{ "0x10", UINT64_MAX, 0, 0 },
	{ "1e3", UINT64_MAX, 0, 0 },
	{ "1.0", UINT64_MAX, 0, 0 },
	{ "1,000", UINT64_MAX, 0, 0 },
	{ "\xd9\xa3", UINT64_MAX, 0, 0 }, /* ARABIC-INDIC DIGIT THREE */
};

START_TEST(test_u64)
{
	const struct ucase *c = &ucases[_i];
	uint64_t v = UNTOUCHED;
	int rc = hc_parse_u64(c->s, strlen(c->s), c->max, &v);

	if (c->ok) {
		ck_assert_msg(rc == 0, "'%s' (max %llu) rejected", c->s,
			      (unsigned long long)c->max);
		ck_assert_uint_eq(v, c->want);
	} else {
		ck_assert_msg(rc == -1, "'%s' (max %llu) accepted as %llu", c->s,
			      (unsigned long long)c->max, (unsigned long long)v);
		ck_assert_uint_eq(v, UNTOUCHED);
	}
}
END_TEST

/* (ptr, len): only len bytes are read, so fields need no terminator. */
START_TEST(test_u64_len)
{
	uint64_t v = UNTOUCHED;

	ck_assert_int_eq(hc_parse_u64("123abc", 3, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 123);
	ck_assert_int_eq(hc_parse_u64("123abc", 4, UINT64_MAX, &v), -1);
	ck_assert_int_eq(hc_parse_u64("1\0002", 3, UINT64_MAX, &v), -1);
	ck_assert_int_eq(hc_parse_u64("9", 0, UINT64_MAX, &v), -1);
	ck_assert_uint_eq(v, 123);
}
END_TEST

/* ---- double ----------------------------------------------------------- */

enum dkind { D_NO, D_VAL, D_NAN };

struct dcase {
	const char *s;
	enum dkind kind;
	double want;
};

static const struct dcase dcases[] = {
	{ "0", D_VAL, 0.0 },
	{ "1.5", D_VAL, 1.5 },
	{ "-2e3", D_VAL, -2000.0 },
	{ "+4", D_VAL, 4.0 },
	{ ".5", D_VAL, 0.5 },
	{ "5.", D_VAL, 5.0 },
	{ "1E2", D_VAL, 100.0 },
	{ "0.1", D_VAL, 0.1 },
	{ "1e308", D_VAL, 1e308 },
	{ "1.7976931348623157e308", D_VAL, DBL_MAX },
	{ "4.9e-324", D_VAL, 4.9e-324 },
	{ "1e-400", D_VAL, 0.0 }, /* underflow reads as 0: fine */
	{ "inf", D_VAL, INFINITY },
	{ "-inf", D_VAL, -INFINITY },
	{ "Infinity", D_VAL, INFINITY },
	{ "nan", D_NAN, 0 },
	{ "NaN", D_NAN, 0 },
	{ "1e999", D_NO, 0 },
	{ "-1e999", D_NO, 0 },
	{ "", D_NO, 0 },
	{ " 1", D_NO, 0 },
	{ "\t1", D_NO, 0 },
	{ "\n1", D_NO, 0 },
	{ "\r1", D_NO, 0 },
	{ "\v1", D_NO, 0 },
	{ "\f1", D_NO, 0 },
	{ "1 ", D_NO, 0 },
	{ "1x", D_NO, 0 },
	{ "abc", D_NO, 0 },
	{ "1,5", D_NO, 0 },
	{ "--1", D_NO, 0 },
	{ "e5", D_NO, 0 },
	{ "1e", D_NO, 0 },
	{ "infx", D_NO, 0 },
};

START_TEST(test_double)
{
	const struct dcase *c = &dcases[_i];
	double v = UNTOUCHED;
	int rc = hc_parse_double(c->s, strlen(c->s), &v);

	switch (c->kind) {
	case D_VAL:
		ck_assert_msg(rc == 0, "'%s' rejected", c->s);
		ck_assert_msg(v == c->want && signbit(v) == signbit(c->want),
			      "'%s' read as %.17g, want %.17g", c->s, v, c->want);
		break;
	case D_NAN:
		ck_assert_msg(rc == 0, "'%s' rejected", c->s);
		ck_assert_msg(isnan(v), "'%s' read as %.17g", c->s, v);
		break;
	case D_NO:
		ck_assert_msg(rc == -1, "'%s' accepted as %.17g", c->s, v);
		ck_assert_msg(v == UNTOUCHED, "'%s' changed *out", c->s);
		break;
	}
}
END_TEST

START_TEST(test_double_len)
{
	double v = UNTOUCHED;

	ck_assert_int_eq(hc_parse_double("2.5xyz", 3, &v), 0);
	ck_assert(v == 2.5);
	ck_assert_int_eq(hc_parse_double("2.5xyz", 4, &v), -1);
	ck_assert_int_eq(hc_parse_double("7", 0, &v), -1);
	ck_assert_int_eq(hc_parse_double("1\0002", 3, &v), -1);
	ck_assert(v == 2.5);
}
END_TEST

/* ---- size ------------------------------------------------------------- */

static const struct ucase scases[] = {
	{ "4096", 0, 1, 4096 },
	{ "0", 0, 1, 0 },
	{ "0G", 0, 1, 0 },
	{ "1k", 0, 1, 1024 },
	{ "1K", 0, 1, 1024 },
	{ "10KB", 0, 1, 10240 },
	{ "10kb", 0, 1, 10240 },
	{ "512M", 0, 1, 512ull << 20 },
	{ "2G", 0, 1, 2ull << 30 },
	{ "3T", 0, 1, 3ull << 40 },
	{ "7B", 0, 1, 7 },
	{ "7b", 0, 1, 7 },
	{ "18446744073709551615", 0, 1, UINT64_MAX },
	{ "16777215T", 0, 1, 16777215ull << 40 },
	{ "16777216T", 0, 0, 0 },
	{ "17179869184G", 0, 0, 0 },
	{ "18446744073709551616", 0, 0, 0 },
	{ "", 0, 0, 0 },
	{ "M", 0, 0, 0 },
	{ "B", 0, 0, 0 },
	{ "1.5G", 0, 0, 0 },
	{ "12X", 0, 0, 0 },
	{ "1MBB", 0, 0, 0 },
	{ "1MiB", 0, 0, 0 },
	{ "1BM", 0, 0, 0 },
	{ " 1M", 0, 0, 0 },
	{ "1 M", 0, 0, 0 },
	{ "1M ", 0, 0, 0 },
	{ "-1M", 0, 0, 0 },
	{ "+1M", 0, 0, 0 },
};

START_TEST(test_size)
{
	const struct ucase *c = &scases[_i];
	uint64_t v = UNTOUCHED;
	int rc = hc_parse_size(c->s, &v);

	if (c->ok) {
		ck_assert_msg(rc == 0, "'%s' rejected", c->s);
		ck_assert_uint_eq(v, c->want);
	} else {
		ck_assert_msg(rc == -1, "'%s' accepted as %llu", c->s,
			      (unsigned long long)v);
		ck_assert_uint_eq(v, UNTOUCHED);
	}
}
END_TEST

Suite *suite_parse(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_u64, 0,
			    (int)(sizeof(ucases) / sizeof(ucases[0])));
	tcase_add_test(tc, test_u64_len);
	tcase_add_loop_test(tc, test_double, 0,
			    (int)(sizeof(dcases) / sizeof(dcases[0])));
	tcase_add_test(tc, test_double_len);
	tcase_add_loop_test(tc, test_size, 0,
			    (int)(sizeof(scases) / sizeof(scases[0])));
	suite_add_tcase(s, tc);
	return s;
}
