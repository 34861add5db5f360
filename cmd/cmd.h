/* cmd.h - the subcommands of hicard, and what every one of them shares
 *
 * Adding a subcommand NAME, the checklist:
 *   1. cmd/NAME.c with `int cmd_NAME(int argc, char **argv)`: usage lines,
 *      an option table (lib/opts.h), one hc_cmd_parse call, conflict
 *      checks, then calls into src/.  The return value is the exit status.
 *      Past about 300 lines, logic has leaked out of src/.
 *   2. A row in the command table of cmd/hicard.c (kept sorted).
 *   3. Nothing in the Makefile: it builds every cmd/, src/ and lib/ file.
 *   4. man/hicard-NAME.1 whose SYNOPSIS matches the usage lines (the
 *      command-line tests compare them).
 *   5. Unit tests for its src/ modules in tests/unit/, command-line cases
 *      in tests/cli/NAME.test.
 */
#ifndef HC_CMD_H
#define HC_CMD_H

#include "lib/err.h"
#include "lib/opts.h"

int cmd_cluster(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_hash(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_train(int argc, char **argv);

/* What a subcommand's option parsing concluded. */
enum hc_parse_result {
	HC_PARSE_RUN,  /* go on */
	HC_PARSE_EXIT, /* stop with *status: help shown, or a usage error */
};

/* Parses argv with opts (which should end with HC_OPTS_END(c)), handles
 * --help and --version, and reports usage errors.  *nargs gets the count
 * of positional arguments, moved to argv[1..]. */
enum hc_parse_result hc_cmd_parse(const char *cmd, const char *const *usage,
				  const char *about, const struct hc_opt *opts,
				  const struct hc_common *c, int argc,
				  char **argv, int *nargs, int *status);

/* Reports err as "hicard CMD: MESSAGE" on stderr (nothing for a closed
 * pipe) and returns the exit status that fits it. */
int hc_cmd_fail(const char *cmd, const struct hc_err *err);

/* Reports a usage error with a pointer to --help; returns 2. */
int hc_cmd_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
