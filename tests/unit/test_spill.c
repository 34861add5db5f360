/* test_spill.c - the scratch file: what is written comes back, across the
 * buffer's edge, and reading past the end or a missing folder fail */
#include <stdlib.h>
#include <string.h>

#include "lib/spill.h"
#include "suites.h"

START_TEST(round_trip_across_buffer)
{
	struct hc_err err;
	struct hc_spill *s = hc_spill_open(&err);
	static uint32_t a[700000], b[700000];
	uint64_t n = 12345, m = 0;

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < 700000; i++)
		a[i] = (uint32_t)(i * 2654435761u);
	ck_assert_int_eq(hc_spill_write(s, &n, sizeof(n), &err), 0);
	/* 2.8 MB in uneven pieces: some cross the 1 MiB buffer */
	for (size_t i = 0; i < 700000; i += 70001)
		ck_assert_int_eq(hc_spill_write(s, a + i, (i + 70001 < 700000 ? 70001 : 700000 - i) * 4, &err), 0);
	ck_assert_uint_eq(hc_spill_bytes(s), 8 + 2800000);
	ck_assert_int_eq(hc_spill_rewind(s, &err), 0);
	ck_assert_int_eq(hc_spill_read(s, &m, sizeof(m), &err), 0);
	ck_assert_uint_eq(m, 12345);
	ck_assert_int_eq(hc_spill_read(s, b, 3, &err), 0);
	ck_assert_int_eq(hc_spill_read(s, (char *)b + 3, sizeof(b) - 3, &err), 0);
	ck_assert(memcmp(a, b, sizeof(a)) == 0);
	ck_assert_int_eq(hc_spill_read(s, &m, 1, &err), -1);
	ck_assert_str_eq(err.msg + strlen(err.msg) - strlen("ended early"), "ended early");
	hc_spill_close(s);
	hc_spill_close(NULL);
}
END_TEST

START_TEST(missing_folder)
{
	struct hc_err err;
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	struct hc_spill *s;

	setenv("TMPDIR", "/nonexistent-hicard-dir", 1);
	s = hc_spill_open(&err);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(err.kind, HC_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "scratch file in /nonexistent-hicard-dir: cannot create"));
}
END_TEST

Suite *suite_spill(void)
{
	Suite *s = suite_create("spill");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, round_trip_across_buffer);
	tcase_add_test(tc, missing_folder);
	suite_add_tcase(s, tc);
	return s;
}
