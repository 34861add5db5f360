/* hicard.c - the dispatcher: main(), the command table, help and version
 *
 * The command table is the one list of subcommands (git's `commands[]`):
 * `hicard NAME ...` runs cmd_NAME(argc - 1, argv + 1); an unknown name is a
 * usage error that suggests the closest known one.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/mem.h"
#include "lib/strdist.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Sorted by name. */
static const struct command commands[] = {
	{"cluster", cmd_cluster, "cluster the user-item graph: a bucket map for GraphHash"},
	{"encode", cmd_encode, "categorical columns to numbers: one-hot, counts, target statistics, bit codes"},
	{"hash", cmd_hash, "values to bucket ids: hashing trick, multiplexing, frequency, graph"},
	{"help", cmd_help, "show help for hicard or for one subcommand"},
	{"predict", cmd_predict, "score frame rows with a trained model; metrics, top-K lists"},
	{"profile", cmd_profile, "types, nulls, distinct counts, top values, advice per column"},
	{"show", cmd_show, "look inside a binary frame, or make one from CSV"},
	{"train", cmd_train, "fit logreg, fm or mf (BPR) on a binary frame"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char overview[] =
	"usage: hicard SUBCOMMAND [OPTIONS] [FILE...]\n"
	"       hicard help SUBCOMMAND | hicard --version\n"
	"\n"
	"hicard prepares tabular data with high-cardinality categorical columns\n"
	"(user, item, device, ad ids) for CTR and recommendation models: it\n"
	"streams CSV of any size in bounded memory and writes CSV or binary\n"
	"frames (.hcb) for the next step of a pipeline.\n"
	"\n"
	"Subcommands:\n";

static const char overview_tail[] =
	"\n"
	"Every subcommand reads FILE or stdin (no FILE, or -) and writes stdout\n"
	"(or -o FILE).  Exit status: 0 success, 1 bad data or a run-time\n"
	"failure, 2 bad usage.  See hicard(1) and hicard-SUBCOMMAND(1).\n";

static void print_overview(FILE *f)
{
	fputs(overview, f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs(overview_tail, f);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *names[NCOMMANDS];
	const char *best;

	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	best = hc_closest(name, names, NCOMMANDS);
	if (best)
		fprintf(stderr, "hicard: '%s' is not a hicard subcommand; did you mean '%s'?\n",
			name, best);
	else
		fprintf(stderr, "hicard: '%s' is not a hicard subcommand; see 'hicard --help'\n",
			name);
	return HC_EXIT_USAGE;
}

int cmd_help(int argc, char **argv)
{
	const struct command *c;
	char help_flag[] = "--help";
	char *sub_argv[3];

	if (argc < 2) {
		print_overview(stdout);
		return fflush(stdout) == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
	}
	c = find_command(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	if (c->fn == cmd_help)
		return cmd_help(1, argv);
	sub_argv[0] = argv[1];
	sub_argv[1] = help_flag;
	sub_argv[2] = NULL;
	return c->fn(2, sub_argv);
}

enum hc_parse_result hc_cmd_parse(const char *cmd, const char *const *usage,
				  const char *about, const struct hc_opt *opts,
				  const struct hc_common *c, int argc,
				  char **argv, int *nargs, int *status)
{
	struct hc_err err = {0};
	struct hc_out *out;

	if (hc_opts_parse(opts, argc, argv, nargs, &err) != 0) {
		*status = hc_cmd_usage(cmd, "%s", err.msg);
		return HC_PARSE_EXIT;
	}
	if (c->version) {
		printf("hicard %s\n", HC_VERSION);
		*status = fflush(stdout) == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
		return HC_PARSE_EXIT;
	}
	if (!c->help)
		return HC_PARSE_RUN;
	out = hc_out_open(NULL, &err);
	if (!out || hc_opts_usage(out, usage, about, opts) != 0 ||
	    hc_out_close(out, &err) != 0) {
		if (out)
			hc_out_abort(out);
		*status = hc_cmd_fail(cmd, &err);
		return HC_PARSE_EXIT;
	}
	*status = HC_EXIT_OK;
	return HC_PARSE_EXIT;
}

int hc_cmd_fail(const char *cmd, const struct hc_err *err)
{
	if (err->kind != HC_ERR_PIPE)
		fprintf(stderr, "hicard %s: %s\n", cmd, err->msg);
	if (err->kind == HC_ERR_USAGE)
		fprintf(stderr, "hicard %s: see 'hicard %s --help'\n", cmd, cmd);
	return hc_err_exit_status(err);
}

int hc_cmd_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hicard %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nhicard %s: see 'hicard %s --help'\n", cmd, cmd);
	return HC_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct command *c;

	/* A closed stdout must show up as EPIPE from write(), so that it
	 * ends the run quietly with status 0 instead of killing it. */
	signal(SIGPIPE, SIG_IGN);
	hc_mem_init_from_env();
	if (argc < 2) {
		print_overview(stderr);
		return HC_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv + 1);
	if (strcmp(argv[1], "--version") == 0) {
		printf("hicard %s\n", HC_VERSION);
		return fflush(stdout) == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "hicard: unknown option '%s'; options go after the subcommand (see 'hicard --help')\n",
			argv[1]);
		return HC_EXIT_USAGE;
	}
	c = find_command(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	return c->fn(argc - 1, argv + 1);
}
