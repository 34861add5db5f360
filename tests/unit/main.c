/* main.c - runs every Check suite; the exit status is 0 only if all pass
 *
 * CK_RUN_SUITE=name runs one suite, as Check documents.  For the parallel
 * runner (tests/run.sh), `unit-tests --count` prints how many suites the
 * table holds and `unit-tests I` runs the I-th (from 0) alone, so that a
 * suite added to the table is run there without being named anywhere else.
 * Check's default
 * 4-second limit per test is switched off (0): under valgrind or on a busy
 * CI machine it would fail tests for being slow, and speed belongs to
 * `make bench`, not to tests.  CK_DEFAULT_TIMEOUT set by the caller wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

int main(int argc, char **argv)
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
		suite_statefile,
		suite_metrics,
		suite_model,
		suite_stream,
		suite_team,
	};
	const size_t n = sizeof(suites) / sizeof(suites[0]);
	size_t first = 0, end = n;
	SRunner *sr;
	int failed;

	if (argc == 2 && strcmp(argv[1], "--count") == 0) {
		printf("%zu\n", n);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	if (argc == 2) {
		char *e;
		unsigned long i = strtoul(argv[1], &e, 10);

		if (e == argv[1] || *e != '\0' || i >= n) {
			fprintf(stderr, "usage: unit-tests [--count | I], I < %zu\n", n);
			return 2;
		}
		first = i;
		end = i + 1;
	} else if (argc > 2) {
		fprintf(stderr, "usage: unit-tests [--count | I], I < %zu\n", n);
		return 2;
	}
	/* Before any suite is made: test cases read it when created. */
	setenv("CK_DEFAULT_TIMEOUT", "0", 0);
	sr = srunner_create(suites[first]());
	for (size_t i = first + 1; i < end; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
