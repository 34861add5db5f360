/* encode.c - `hicard encode`: categorical columns to model-ready numbers
 *
 * Wiring only: the option table, the checks between options, and the
 * dispatch to the modes (cmd/encode_run.c), which join the CSV reader,
 * the state (src/encode_state.c), the passes (src/encode_scan.c) and the
 * writers (src/encode_emit.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/encode.h"
#include "lib/parse.h"
#include "src/encode_target.h"

static const char *const usage[] = {
	"hicard encode fit ENCODERS [--target COL [--classes LIST]] [--smooth A|auto] [--min-count N] [--max-categories K] [--order freq|first] [--signed-bits] [--nbins SPEC] -o STATE [FILE]",
	"hicard encode apply --state STATE [--keep COLS] [--weight COL] [--format csv|libsvm|hcb] [-o FILE] [FILE]",
	"hicard encode fit-apply ENCODERS [--target COL [--classes LIST]] [--nbins SPEC] [--folds K|--ordered] [--memory SIZE] [--save-state STATE] [--keep COLS] [--weight COL] [--format csv|libsvm|hcb] [-o FILE] [FILE]",
	"hicard encode merge -o STATE STATE...",
	"hicard encode decode --state STATE [-o FILE] [FILE]",
	NULL,
};

static const char about[] =
	"Turns categorical columns into numbers.  ENCODERS name columns per\n"
	"encoder (e.g. --onehot device --target-encode user_id,item_id --count\n"
	"site_id).  fit learns a state (vocabularies, counts, target sums);\n"
	"apply encodes any file with it, streaming; fit-apply does both on the\n"
	"training file, encoding target statistics out of fold (K-fold cross\n"
	"fitting, or ordered statistics) so that the output is safe to train\n"
	"on; merge adds states fitted on shards; decode maps binary and resbit\n"
	"bits (real-valued too) back to categories.  --hash gives the ids of\n"
	"hicard hash's schemes.  --classes makes the target a label: each\n"
	"--target-encode column gets one smoothed mean per class (one-vs-rest).\n"
	"Unseen values: the prior (target), 0 (woe,\n"
	"count, freq), code K (onehot other, ordinal, bits).  Numeric columns:\n"
	"--standardize, --log1p, --bins (quantile bins from a sketch),\n"
	"--passthrough (the number as it is); an empty field is a missing\n"
	"number, any other must be a number.  --weight carries a row weight\n"
	"(0 to 1e38 on every row) into csv and hcb output, not into the state.";

static int parse_smooth(struct encode_opts *o)
{
	double a;

	if (!o->smooth || strcmp(o->smooth, "auto") == 0) {
		o->plan.p.smooth = HC_TE_SMOOTH_AUTO;
		return 0;
	}
	if (hc_parse_double(o->smooth, strlen(o->smooth), &a) != 0 ||
	    !(a >= 0 && a <= 1e12))
		return hc_cmd_usage("encode", "--smooth takes 'auto' or a number from 0 to 1e12, not '%s'", o->smooth);
	o->plan.p.smooth = a;
	return 0;
}

static int parse_choices(struct encode_opts *o)
{
	struct hc_err err = {0};

	if (!o->format || strcmp(o->format, "csv") == 0)
		o->fmt = HC_ENC_FMT_CSV;
	else if (strcmp(o->format, "libsvm") == 0)
		o->fmt = HC_ENC_FMT_LIBSVM;
	else if (strcmp(o->format, "hcb") == 0)
		o->fmt = HC_ENC_FMT_HCB;
	else
		return hc_cmd_usage("encode", "--format takes csv, libsvm or hcb, not '%s'", o->format);
	if (o->hash_scheme && hc_scheme_parse(o->hash_scheme, &o->plan.scheme, &err) != 0)
		return hc_cmd_usage("encode", "%s", err.msg);
	if (o->hash_scheme && hc_scheme_graph(o->plan.scheme))
		return hc_cmd_usage("encode", "--hash-scheme %s needs a cluster map: use hicard hash --map", o->hash_scheme);
	if (!o->order || strcmp(o->order, "freq") == 0)
		o->plan.p.order = HC_ENC_ORDER_FREQ;
	else if (strcmp(o->order, "first") == 0)
		o->plan.p.order = HC_ENC_ORDER_FIRST;
	else
		return hc_cmd_usage("encode", "--order takes freq or first, not '%s'", o->order);
	o->plan.p.min_count = o->min_count;
	o->plan.p.max_categories = o->max_categories;
	o->plan.p.signed_bits = o->signed_bits;
	return parse_smooth(o);
}

/* Which options go with which mode. */
static int check_mode(const struct encode_opts *o, const char *mode, int nargs)
{
	int fitting = !strcmp(mode, "fit") || !strcmp(mode, "fit-apply");
	int any = 0, tgt = o->plan.cols[HC_ENC_TARGET] || o->plan.cols[HC_ENC_WOE];

	for (int k = 0; k < HC_ENC_NKINDS; k++)
		any |= o->plan.cols[k] != NULL;
	if (fitting && !any)
		return hc_cmd_usage("encode", "%s needs at least one encoder (--onehot, --ordinal, --count, --freq, --target-encode, --woe, --binary, --resbit, --hash, --standardize, --log1p, --bins, --passthrough)", mode);
	if (!fitting && (any || o->plan.target || o->plan.classes || o->plan.nbins || o->smooth || o->min_count || o->max_categories || o->order || o->signed_bits))
		return hc_cmd_usage("encode", "%s takes the encoders and their options from the state", mode);
	if (fitting && o->plan.cols[HC_ENC_HASH] && !o->plan.buckets &&
	    !(o->hash_scheme && o->plan.scheme == HC_SCHEME_VOCAB))
		return hc_cmd_usage("encode", "--hash needs --buckets (every scheme but vocab)");
	if (!o->plan.cols[HC_ENC_BINS] && o->plan.nbins)
		return hc_cmd_usage("encode", "--nbins goes with --bins");
	if (!o->plan.cols[HC_ENC_HASH] && o->plan.buckets)
		return hc_cmd_usage("encode", "--buckets goes with --hash");
	if (!o->plan.cols[HC_ENC_HASH] && (o->hash_scheme || o->probes || o->plan.cutoff >= 0))
		return hc_cmd_usage("encode", "--hash-scheme, --probes and --cutoff go with --hash");
	if (fitting && tgt && !o->plan.target)
		return hc_cmd_usage("encode", "--target-encode and --woe need --target COL (the label column)");
	if (o->plan.classes && (!o->plan.target || !o->plan.cols[HC_ENC_TARGET]))
		return hc_cmd_usage("encode", "--classes goes with --target COL and --target-encode");
	if (o->plan.classes && o->plan.cols[HC_ENC_WOE])
		return hc_cmd_usage("encode", "--woe needs a 0/1 target: with --classes, use --target-encode (one column per class)");
	if (o->plan.cols[HC_ENC_WOE] && o->plan.p.smooth == 0)
		return hc_cmd_usage("encode", "--woe needs --smooth auto or a weight above 0 (with 0, a value seen in one class only has an infinite woe)");
	if (strcmp(mode, "fit-apply") && (o->folds || o->ordered || o->save_state || o->memory))
		return hc_cmd_usage("encode", "--folds, --ordered, --memory and --save-state go with fit-apply");
	if (o->folds && o->ordered)
		return hc_cmd_usage("encode", "--folds and --ordered go one at a time");
	if ((!strcmp(mode, "apply") || !strcmp(mode, "decode")) != (o->state != NULL))
		return hc_cmd_usage("encode", "--state goes with apply and decode, and they need it");
	if ((!strcmp(mode, "fit") || !strcmp(mode, "merge")) && !o->c.output)
		return hc_cmd_usage("encode", "%s writes a state: give -o STATE", mode);
	if ((!strcmp(mode, "fit") || !strcmp(mode, "merge") || !strcmp(mode, "decode")) && (o->format || o->keep))
		return hc_cmd_usage("encode", "--format and --keep go with apply and fit-apply");
	/* fit would only ignore it: its statistics are not weighted */
	if ((!strcmp(mode, "fit") || !strcmp(mode, "merge") || !strcmp(mode, "decode")) && o->weight)
		return hc_cmd_usage("encode", "--weight goes with apply and fit-apply (fitted statistics are not weighted)");
	if (o->weight && o->fmt == HC_ENC_FMT_LIBSVM)
		return hc_cmd_usage("encode", "--weight: libsvm has no place for a row weight (use --format csv or hcb)");
	if (!strcmp(mode, "merge") ? nargs < 1 : nargs > 1)
		return hc_cmd_usage("encode", !strcmp(mode, "merge") ? "merge needs one or more STATE files" : "one FILE at most");
	return 0;
}

int cmd_encode(int argc, char **argv)
{
	struct encode_opts o = {.plan.cutoff = -1};
	const struct hc_opt opts[] = {
		HC_OPT_GROUP("Encoders (COLS: names, indices, ranges, as for -s):"),
		HC_OPT_STR(0, "onehot", &o.plan.cols[HC_ENC_ONEHOT], "COLS", "one 0/1 column per value (sparse in libsvm and hcb)"),
		HC_OPT_STR(0, "ordinal", &o.plan.cols[HC_ENC_ORDINAL], "COLS", "the value's code 0..K-1; K for other and unseen"),
		HC_OPT_STR(0, "count", &o.plan.cols[HC_ENC_COUNT], "COLS", "rows with the value in the fitted data"),
		HC_OPT_STR(0, "freq", &o.plan.cols[HC_ENC_FREQ], "COLS", "share of rows with the value"),
		HC_OPT_STR(0, "target-encode", &o.plan.cols[HC_ENC_TARGET], "COLS", "smoothed mean target of the value's rows"),
		HC_OPT_STR(0, "woe", &o.plan.cols[HC_ENC_WOE], "COLS", "weight of evidence (0/1 target), smoothed"),
		HC_OPT_STR(0, "binary", &o.plan.cols[HC_ENC_BINARY], "COLS", "the code in ceil(log2(K+1)) bits"),
		HC_OPT_STR(0, "resbit", &o.plan.cols[HC_ENC_RESBIT], "COLS", "residual bit code: every pattern is a category"),
		HC_OPT_STR(0, "hash", &o.plan.cols[HC_ENC_HASH], "COLS", "bucket ids by a scheme of hicard hash"),
		HC_OPT_STR(0, "standardize", &o.plan.cols[HC_ENC_STANDARDIZE], "COLS", "numbers: (x - mean) / sd"),
		HC_OPT_STR(0, "log1p", &o.plan.cols[HC_ENC_LOG1P], "COLS", "numbers: log(1 + x), x above -1"),
		HC_OPT_STR(0, "bins", &o.plan.cols[HC_ENC_BINS], "COLS", "numbers: quantile bin 0..N-1 (N: --nbins)"),
		HC_OPT_STR(0, "passthrough", &o.plan.cols[HC_ENC_PASSTHROUGH], "COLS", "numbers: the number as it is (empty: missing)"),
		HC_OPT_GROUP("Fitting:"),
		HC_OPT_STR(0, "target", &o.plan.target, "COL", "the label column (numeric; empty = missing)"),
		HC_OPT_STR(0, "classes", &o.plan.classes, "LIST", "the target is one of these labels (A,B,...; at most 64), or auto: one-vs-rest"),
		HC_OPT_STR(0, "smooth", &o.smooth, "A|auto", "m-estimate weight A, or empirical Bayes (default auto)"),
		HC_OPT_U64(0, "min-count", &o.min_count, "N", 0, UINT64_MAX, "code encoders: values seen fewer times are other"),
		HC_OPT_U64(0, "max-categories", &o.max_categories, "K", 0, UINT32_MAX - 1, "code encoders: the K most frequent values (0: all)"),
		HC_OPT_STR(0, "order", &o.order, "freq|first", "codes by descending count (default) or first seen"),
		HC_OPT_FLAG(0, "signed-bits", &o.signed_bits, "binary and resbit bits as -1/+1 instead of 0/1"),
		HC_OPT_STR(0, "hash-scheme", &o.hash_scheme, "SCHEME", "hash: mod (default), multiplex, double, frequency, double-frequency, vocab, modulo"),
		HC_OPT_STR(0, "buckets", &o.plan.buckets, "SPEC", "hash: ids per column: N, or NAME=N,... (as hicard hash)"),
		HC_OPT_U64(0, "probes", &o.probes, "K", 1, HC_HASH_PROBES_MAX, "hash: multiplex ids per value (default 1)"),
		HC_OPT_DBL(0, "cutoff", &o.plan.cutoff, "F", 0, 1, "hash: frequency share of buckets for frequent values (default 0.5)"),
		HC_OPT_STR(0, "nbins", &o.plan.nbins, "SPEC", "bins: N per column, or NAME=N,... (default 10; 2 to 1000)"),
		HC_OPT_U64(0, "folds", &o.folds, "K", 2, HC_TE_FOLDS_MAX, "fit-apply: K-fold cross fitting (default 5)"),
		HC_OPT_FLAG(0, "ordered", &o.ordered, "fit-apply: ordered statistics over a seeded permutation"),
		HC_OPT_SIZE(0, "memory", &o.memory, "SIZE", "fit-apply: keep rows in memory up to SIZE, then read FILE twice (default: 1G from stdin or with --ordered; K-fold from a FILE reads it twice)"),
		HC_OPT_STR(0, "save-state", &o.save_state, "STATE", "fit-apply: also write the fitted state"),
		HC_OPT_GROUP("Applying:"),
		HC_OPT_STR(0, "state", &o.state, "STATE", "a state written by fit, fit-apply or merge"),
		HC_OPT_STR(0, "keep", &o.keep, "COLS", "columns to pass through, in front"),
		HC_OPT_STR(0, "weight", &o.weight, "COL", "a row weight (0 to 1e38), written after the target (csv, hcb)"),
		HC_OPT_STR(0, "format", &o.format, "FMT", "csv (default, dense), libsvm (sparse) or hcb (frame)"),
		HC_OPT_GROUP("Common:"),
		HC_OPTS_CSV(&o.c),
		HC_OPTS_OUTPUT(&o.c),
		HC_OPTS_SEED(&o.c),
		HC_OPTS_END(&o.c),
	};
	struct hc_err err = {0};
	const char *mode;
	int nargs, status, rc;

	o.argc = argc;
	o.argv = argv;
	if (hc_cmd_parse("encode", usage, about, opts, &o.c, argc, argv, &nargs,
			 &status) == HC_PARSE_EXIT)
		return status;
	if (nargs < 1)
		return hc_cmd_usage("encode", "missing mode: fit, apply, fit-apply, merge or decode");
	mode = argv[1];
	if (strcmp(mode, "fit") && strcmp(mode, "apply") && strcmp(mode, "fit-apply") &&
	    strcmp(mode, "merge") && strcmp(mode, "decode"))
		return hc_cmd_usage("encode", "unknown mode '%s' (fit, apply, fit-apply, merge, decode)", mode);
	if ((status = parse_choices(&o)) != 0 ||
	    (status = check_mode(&o, mode, nargs - 1)) != 0)
		return status;
	o.plan.probes = o.probes ? (uint32_t)o.probes : 1;
	o.plan.cutoff = o.plan.cutoff >= 0 ? o.plan.cutoff : 0.5;
	o.plan.seed = o.c.seed;
	if (!o.folds)
		o.folds = 5;
	if (!strcmp(mode, "fit"))
		rc = encode_fit(&o, nargs > 1 ? argv[2] : NULL, &err);
	else if (!strcmp(mode, "apply"))
		rc = encode_apply(&o, nargs > 1 ? argv[2] : NULL, &err);
	else if (!strcmp(mode, "fit-apply"))
		rc = encode_fit_apply(&o, nargs > 1 ? argv[2] : NULL, &err);
	else if (!strcmp(mode, "merge"))
		rc = encode_merge(&o, nargs - 1, argv + 2, &err);
	else
		rc = encode_decode(&o, nargs > 1 ? argv[2] : NULL, &err);
	return rc == 0 ? HC_EXIT_OK : hc_cmd_fail("encode", &err);
}
