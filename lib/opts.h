/* opts.h - option tables: declared once, parsed once, --help generated
 *
 * In the style of git's parse-options.h: a subcommand declares an array of
 * struct hc_opt ending with HC_OPT_END(), calls hc_opts_parse once, and
 * prints its help with hc_opts_usage from the same table, so the help can
 * never miss an option.  Options may come before, between or after the
 * positional arguments; "--" ends them; "-" alone is a positional argument
 * (stdin).  Spellings: -x VAL, -xVAL, --long VAL, --long=VAL, and bundled
 * short flags (-nq).
 *
 * Shared options (-d -t -n -s --seed -q --threads -o -h --version) are
 * entries of struct hc_common, added with the HC_OPTS_* macros, so every
 * subcommand spells them the same.
 */
#ifndef HC_OPTS_H
#define HC_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "csv_read.h"
#include "err.h"
#include "out.h"

enum hc_opt_type {
	HC_OPT_T_END = 0,
	HC_OPT_T_GROUP,  /* a heading in --help */
	HC_OPT_T_FLAG,   /* int, set to 1 */
	HC_OPT_T_STR,    /* const char *, the argument as given */
	HC_OPT_T_U64,    /* uint64_t within [min, max] */
	HC_OPT_T_DBL,    /* double within [dmin, dmax] */
	HC_OPT_T_SIZE,   /* uint64_t bytes: 512M, 2G */
	HC_OPT_T_CHAR,   /* char: one byte, or \t / tab */
};

struct hc_opt {
	enum hc_opt_type type;
	int short_name;        /* 0 if none */
	const char *long_name; /* NULL if none */
	void *value;
	const char *argh;      /* the argument's name in --help: N, FILE */
	const char *help;
	uint64_t min, max;
	double dmin, dmax;
};

#define HC_OPT_END() { .type = HC_OPT_T_END }
#define HC_OPT_GROUP(h) { .type = HC_OPT_T_GROUP, .help = (h) }
#define HC_OPT_FLAG(s, l, v, h) \
	{ .type = HC_OPT_T_FLAG, .short_name = (s), .long_name = (l), \
	  .value = (v), .help = (h) }
#define HC_OPT_STR(s, l, v, a, h) \
	{ .type = HC_OPT_T_STR, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h) }
#define HC_OPT_U64(s, l, v, a, lo, hi, h) \
	{ .type = HC_OPT_T_U64, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h), .min = (lo), .max = (hi) }
#define HC_OPT_DBL(s, l, v, a, lo, hi, h) \
	{ .type = HC_OPT_T_DBL, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h), .dmin = (lo), .dmax = (hi) }
#define HC_OPT_SIZE(s, l, v, a, h) \
	{ .type = HC_OPT_T_SIZE, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h) }
#define HC_OPT_CHAR(s, l, v, a, h) \
	{ .type = HC_OPT_T_CHAR, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h) }

/* The options every subcommand shares (a subcommand takes the ones that
 * apply to it through the macros below). */
struct hc_common {
	char delim;
	int tsv;
	int no_header;
	const char *select;
	uint64_t seed;
	int quiet;
	uint64_t threads;
	const char *output;
	int help;
	int version;
};

#define HC_OPTS_CSV(c) \
	HC_OPT_CHAR('d', "delimiter", &(c)->delim, "CHAR", \
		    "field delimiter of CSV input (default ,)"), \
	HC_OPT_FLAG('t', "tsv", &(c)->tsv, "input is tab-separated (-d '\\t')"), \
	HC_OPT_FLAG('n', "no-header", &(c)->no_header, \
		    "the first row is data; columns are named 1..N")
#define HC_OPTS_SELECT(c) \
	HC_OPT_STR('s', "select", &(c)->select, "COLS", \
		   "columns: names, 1-based indices, ranges 2-5, !col to exclude")
#define HC_OPTS_OUTPUT(c) \
	HC_OPT_STR('o', "output", &(c)->output, "FILE", \
		   "write FILE (replaced only when complete) instead of stdout")
#define HC_OPTS_SEED(c) \
	HC_OPT_U64(0, "seed", &(c)->seed, "N", 0, UINT64_MAX, \
		   "seed for hashing and sampling (default 0)")
#define HC_OPTS_THREADS(c) \
	HC_OPT_U64(0, "threads", &(c)->threads, "N", 0, 1024, \
		   "worker threads (default 0: all cores)")
#define HC_OPTS_END(c) \
	HC_OPT_FLAG('q', "quiet", &(c)->quiet, "no progress meter or summary"), \
	HC_OPT_FLAG('h', "help", &(c)->help, "show this help and exit"), \
	HC_OPT_FLAG(0, "version", &(c)->version, "show the version and exit"), \
	HC_OPT_END()

/* Parses argv[1..argc) (argv[0] is the subcommand's name).  Positional
 * arguments are moved to argv[1..*nargs] in order, the options behind them
 * in theirs (GNU getopt's permutation: nothing is lost, so argv can still
 * be recorded as the command line).  0, or -1 with err set (HC_ERR_USAGE). */
int hc_opts_parse(const struct hc_opt *opts, int argc, char **argv,
		  int *nargs, struct hc_err *err);

/* Writes "usage: " lines, the about text and the option table. */
int hc_opts_usage(struct hc_out *out, const char *const *usage,
		  const char *about, const struct hc_opt *opts);

/* CSV reader options from the shared ones: -t and -d together with a
 * delimiter other than tab is a usage error. */
int hc_common_csv_opts(const struct hc_common *c, struct hc_csv_opts *o,
		       struct hc_err *err);

#endif
