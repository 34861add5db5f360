/* test_utf8.c - UTF-8 validation and repair: what is valid passes through,
 * each bad byte becomes one U+FFFD and the rest survives */
#include <string.h>

#include "lib/mem.h"
#include "lib/utf8.h"
#include "suites.h"

#define V(s) hc_utf8_valid(s, sizeof(s) - 1)

START_TEST(valid)
{
	ck_assert(V(""));
	ck_assert(V("plain ascii"));
	ck_assert(V("caf\xc3\xa9"));               /* é */
	ck_assert(V("\xe2\x82\xac"));              /* € */
	ck_assert(V("\xf0\x9f\x98\x80"));          /* U+1F600 */
	ck_assert(V("\xf4\x8f\xbf\xbf"));          /* U+10FFFF */
}
END_TEST

START_TEST(invalid)
{
	ck_assert(!V("\xff"));
	ck_assert(!V("\xc3"));                     /* cut short */
	ck_assert(!V("\xc0\xaf"));                 /* overlong '/' */
	ck_assert(!V("\xe0\x80\xaf"));             /* overlong */
	ck_assert(!V("\xed\xa0\x80"));             /* a surrogate */
	ck_assert(!V("\xf4\x90\x80\x80"));         /* past U+10FFFF */
	ck_assert(!V("a\x80z"));                   /* a lone continuation */
}
END_TEST

START_TEST(repair)
{
	char *s = hc_utf8_repair("a\xff\xfe" "b\xc3", 5);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "a\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd");
	ck_assert(hc_utf8_valid(s, strlen(s)));
	hc_free(s);
	s = hc_utf8_repair("caf\xc3\xa9", 5);
	ck_assert_str_eq(s, "caf\xc3\xa9");
	hc_free(s);
}
END_TEST

Suite *suite_utf8(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");

	tcase_add_test(tc, valid);
	tcase_add_test(tc, invalid);
	tcase_add_test(tc, repair);
	suite_add_tcase(s, tc);
	return s;
}
