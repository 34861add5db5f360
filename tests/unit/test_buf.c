/* test_buf.c - byte buffers and cursors: round trips, and reads past the
 * end failing instead of overreading */
#include <math.h>
#include <string.h>

#include "lib/buf.h"
#include "suites.h"

START_TEST(round_trip)
{
	struct hc_buf b;
	struct hc_cursor c;
	uint8_t u8;
	uint32_t u32;
	uint64_t u64;
	double d;
	const char *s;
	size_t len;

	hc_buf_init(&b);
	ck_assert_int_eq(hc_buf_put_u8(&b, 0xAB), 0);
	ck_assert_int_eq(hc_buf_put_u32(&b, 0xDEADBEEF), 0);
	ck_assert_int_eq(hc_buf_put_u64(&b, 0x0123456789ABCDEFull), 0);
	ck_assert_int_eq(hc_buf_put_f64(&b, -2.5), 0);
	ck_assert_int_eq(hc_buf_put_str(&b, "a\0b", 3), 0);
	ck_assert_uint_eq(b.len, 1 + 4 + 8 + 8 + 4 + 3);
	/* little-endian on every host */
	ck_assert_uint_eq(b.data[1], 0xEF);
	ck_assert_uint_eq(b.data[4], 0xDE);
	hc_cursor_init(&c, b.data, b.len);
	ck_assert_int_eq(hc_get_u8(&c, &u8), 0);
	ck_assert_uint_eq(u8, 0xAB);
	ck_assert_int_eq(hc_get_u32(&c, &u32), 0);
	ck_assert_uint_eq(u32, 0xDEADBEEF);
	ck_assert_int_eq(hc_get_u64(&c, &u64), 0);
	ck_assert(u64 == 0x0123456789ABCDEFull);
	ck_assert_int_eq(hc_get_f64(&c, &d), 0);
	ck_assert(d == -2.5);
	ck_assert_int_eq(hc_get_str(&c, &s, &len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(s, "a\0b", 3), 0);
	ck_assert_uint_eq(hc_cursor_left(&c), 0);
	ck_assert_int_eq(c.bad, 0);
	hc_buf_release(&b);
}
END_TEST

START_TEST(reads_past_end_fail)
{
	unsigned char data[6] = {5, 0, 0, 0, 'a', 'b'};
	struct hc_cursor c;
	const char *s;
	size_t len;
	uint64_t u64;
	uint32_t u32;

	/* a string whose length says 5 with 2 bytes left */
	hc_cursor_init(&c, data, sizeof(data));
	ck_assert_int_eq(hc_get_str(&c, &s, &len), -1);
	ck_assert_int_eq(c.bad, 1);
	/* once bad, every later get fails too */
	ck_assert_int_eq(hc_get_u32(&c, &u32), -1);
	hc_cursor_init(&c, data, 4);
	ck_assert_int_eq(hc_get_u64(&c, &u64), -1);
	hc_cursor_init(&c, data, 0);
	ck_assert_int_eq(hc_get_u32(&c, &u32), -1);
}
END_TEST

START_TEST(nan_survives)
{
	struct hc_buf b;
	struct hc_cursor c;
	double d;

	hc_buf_init(&b);
	hc_buf_put_f64(&b, NAN);
	hc_cursor_init(&c, b.data, b.len);
	ck_assert_int_eq(hc_get_f64(&c, &d), 0);
	ck_assert(isnan(d));
	hc_buf_release(&b);
}
END_TEST

Suite *suite_buf(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("buf");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, reads_past_end_fail);
	tcase_add_test(tc, nan_survives);
	suite_add_tcase(s, tc);
	return s;
}
