/* suites.h - every Check suite of the unit tests, run by main.c
 *
 * Adding a suite: write tests/unit/test_<name>.c exporting
 * `Suite *suite_<name>(void)`, declare it here and list it in main.c.
 */
#ifndef HC_TEST_SUITES_H
#define HC_TEST_SUITES_H

#include <check.h>

Suite *suite_csv_read(void);
Suite *suite_csv_write(void);
Suite *suite_select(void);
Suite *suite_spill(void);
Suite *suite_strmap(void);
Suite *suite_parse(void);
Suite *suite_out(void);
Suite *suite_opts(void);
Suite *suite_crc32c(void);
Suite *suite_frame(void);
Suite *suite_buf(void);
Suite *suite_hash(void);
Suite *suite_hll(void);
Suite *suite_quantile(void);
Suite *suite_topk(void);
Suite *suite_profile(void);
Suite *suite_rank(void);
Suite *suite_cluster(void);
Suite *suite_encode_codes(void);
Suite *suite_encode(void);
Suite *suite_encode_fast(void);
Suite *suite_encode_num(void);
Suite *suite_encode_classes(void);
Suite *suite_utf8(void);
Suite *suite_corrupt(void);
Suite *suite_metrics(void);
Suite *suite_model(void);
Suite *suite_stream(void);
Suite *suite_team(void);
Suite *suite_statefile(void);

#endif
