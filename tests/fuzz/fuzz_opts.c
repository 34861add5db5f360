/* fuzz_opts.c - libFuzzer target: every subcommand's option parsing
 *
 * Input: NUL-separated words: a subcommand's name (anything else picks
 * one by its first byte), then its arguments.  The subcommand's own cmd_NAME runs, with its real option
 * table, up to its hc_cmd_parse call: this file replaces cmd/hicard.c
 * (which is not linked in) with an hc_cmd_parse that parses, checks what
 * opts.h promises, prints --help into /dev/null, and always answers
 * HC_PARSE_EXIT, so nothing after option parsing runs: no file is opened,
 * stdin is never read, nothing is written.  Adding a subcommand: one row
 * in commands[] below (every cmd/NAME.c is linked by the Makefile).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "fuzz.h"
#include "lib/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{"cluster", cmd_cluster},
	{"encode", cmd_encode},
	{"hash", cmd_hash},
	{"predict", cmd_predict},
	{"profile", cmd_profile},
	{"show", cmd_show},
	{"train", cmd_train},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))
#define MAX_ARGS 64

/* The argument pointers of the current run, to check the permutation. */
struct run {
	char *before[MAX_ARGS + 1];
	int argc;
};

static struct run *current; /* set for the duration of one input */

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (char *const *)a;
	uintptr_t y = (uintptr_t) * (char *const *)b;

	return x < y ? -1 : x > y;
}

enum hc_parse_result hc_cmd_parse(const char *cmd, const char *const *usage,
				  const char *about, const struct hc_opt *opts,
				  const struct hc_common *c, int argc,
				  char **argv, int *nargs, int *status)
{
	struct hc_err err = {0};
	char *after[MAX_ARGS + 1];

	(void)cmd;
	FZ_CHECK(current && argc == current->argc);
	if (hc_opts_parse(opts, argc, argv, nargs, &err) != 0) {
		FZ_CHECK(err.kind == HC_ERR_USAGE && err.msg[0]);
		*status = HC_EXIT_USAGE;
		return HC_PARSE_EXIT;
	}
	/* Nothing lost: argv[1..] is a permutation of what was given. */
	FZ_CHECK(*nargs >= 0 && *nargs <= argc - 1);
	memcpy(after, argv, (size_t)argc * sizeof(*argv));
	qsort(after + 1, (size_t)argc - 1, sizeof(*after), cmp_ptr);
	qsort(current->before + 1, (size_t)argc - 1, sizeof(*after), cmp_ptr);
	FZ_CHECK(memcmp(after + 1, current->before + 1,
			((size_t)argc - 1) * sizeof(*after)) == 0);
	if (c->help) {
		struct hc_out *out = hc_out_open("/dev/null", &err);
		FZ_CHECK(out != NULL);
		FZ_CHECK(hc_opts_usage(out, usage, about, opts) == 0);
		FZ_CHECK(hc_out_close(out, &err) == 0);
	}
	*status = HC_EXIT_OK;
	return HC_PARSE_EXIT;
}

/* Never reached (hc_cmd_parse always ends the run), but linked. */
int hc_cmd_fail(const char *cmd, const struct hc_err *err)
{
	(void)cmd;
	return hc_err_exit_status(err);
}

int hc_cmd_usage(const char *cmd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	(void)cmd;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return HC_EXIT_USAGE;
}

static size_t pick(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return i;
	return (unsigned char)name[0] % NCOMMANDS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run run;
	char *argv[MAX_ARGS + 1];
	char *text;
	size_t at, cmd;
	int argc = 1, status;

	if (size < 1)
		return 0;
	/* A copy whose last byte becomes a NUL, so every word ends. */
	if (!(text = malloc(size)))
		return 0;
	memcpy(text, data, size);
	text[size - 1] = '\0';
	cmd = pick(text);
	at = strlen(text) + 1;
	argv[0] = (char *)commands[cmd].name;
	while (at < size && argc < MAX_ARGS) {
		argv[argc++] = text + at;
		at += strlen(text + at) + 1;
	}
	argv[argc] = NULL;
	memcpy(run.before, argv, sizeof(argv));
	run.argc = argc;
	current = &run;
	status = commands[cmd].fn(argc, argv);
	current = NULL;
	FZ_CHECK(status == HC_EXIT_OK || status == HC_EXIT_USAGE);
	free(text);
	return 0;
}
