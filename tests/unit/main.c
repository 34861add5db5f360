/* main.c - runs every Check suite; the exit status is 0 only if all pass
 *
 * CK_RUN_SUITE=name runs one suite, as Check documents.  Check's default
 * 4-second limit per test is switched off (0): under valgrind or on a busy
 * CI machine it would fail tests for being slow, and speed belongs to
 * `make bench`, not to tests.  CK_DEFAULT_TIMEOUT set by the caller wins.
 */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	/* One suite a line, so that subcommands added apart merge cleanly. */
	Suite *(*const suites[])(void) = {
		suite_csv_read,
		suite_csv_write,
		suite_select,
		suite_spill,
		suite_strmap,
		suite_parse,
		suite_out,
		suite_opts,
		suite_crc32c,
		suite_frame,
		suite_buf,
		suite_hash,
		suite_hll,
		suite_quantile,
		suite_topk,
		suite_profile,
		suite_rank,
		suite_cluster,
		suite_encode_codes,
		suite_encode,
		suite_encode_fast,
		suite_encode_num,
		suite_encode_classes,
		suite_utf8,
		suite_corrupt,
		suite_metrics,
		suite_model,
		suite_stream,
	};
	SRunner *sr;
	int failed;

	/* Before any suite is made: test cases read it when created. */
	setenv("CK_DEFAULT_TIMEOUT", "0", 0);
	sr = srunner_create(suites[0]());
	for (size_t i = 1; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
