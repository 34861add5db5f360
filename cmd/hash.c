/* hash.c - `hicard hash`: values to bucket ids, by a research hashing scheme
 *
 * Wiring: the columns and bucket counts (src/hash_plan.c), the hashers
 * (src/hash_scheme.c) with their counts or cluster map (cmd/hash_tables.c
 * over src/hash_table.c), then the batch pipeline (src/hash_run.c) into
 * CSV, a frame, libsvm or VW text, and the collision figures
 * (src/hash_stats.c) on request.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/hash.h"
#include "lib/mem.h"
#include "lib/team.h"
#include "src/hash_plan.h"

static const char *const usage[] = {
	"hicard hash --scheme SCHEME [--buckets SPEC] [--format FORMAT] [-s COLS] [--label COL] [--num COLS] [FILE]",
	NULL,
};

static const char about[] =
	"Replaces the values of the selected columns by bucket ids, row by row.\n"
	"Schemes: mod (the hashing trick), multiplex (one table for all columns,\n"
	"--probes ids each), double (two hashes), frequency and double-frequency\n"
	"(frequent values get ids of their own), graph and double-graph (cluster\n"
	"ids from `hicard cluster`), vocab (one id per value), modulo (integer\n"
	"ids mod m).  Counting schemes count --fit FILE, --counts FILE or the\n"
	"input itself first.  -s picks the columns to hash (default: all but\n"
	"--label, --weight and --num).  Same input, scheme and --seed: the same\n"
	"ids on any machine (man hicard-hash has the formulas).  Example:\n"
	"  hicard hash --scheme double --buckets 100000 -s user,item clicks.csv";


/* ---- the run ---------------------------------------------------------- */

static int run(const struct hash_opts *o, enum hc_scheme scheme,
	       struct hc_hash_job *j, const char *input, uint64_t *m,
	       struct hc_err *err)
{
	const char *const *all = hc_csv_colnames(j->csv);
	const char **names = hc_calloc(j->nhash, sizeof(*names));
	struct hc_col_hasher *h = hc_calloc(j->nhash, sizeof(*h));
	struct hc_frame_schema s = { 0 };
	struct hc_progress prog;
	struct hc_out *out = NULL;
	int rc = -1;

	if (!names || !h || (o->stats_json || o->stats
			     ? !(j->stats = hc_calloc(j->nhash, sizeof(*j->stats)))
			     : 0)) {
		hc_err_nomem(err);
		goto done;
	}
	for (size_t k = 0; k < j->nhash; k++) {
		names[k] = all[j->hcols[k]];
		hc_col_hasher_init(&h[k], scheme, names[k], o->c.seed,
				   m ? m[k] : 1, (uint32_t)o->probes);
		if (j->stats)
			hc_hash_stats_init(&j->stats[k], h[k].arity ? h[k].arity : 2);
	}
	j->h = h;
	if ((hc_scheme_counts(scheme) || hc_scheme_graph(scheme)) &&
	    hash_learn(o, input, names, j->nhash, h, err) != 0)
		goto done;
	if (hc_hash_schema(j, o->c.seed, &s, err) != 0 ||
	    hc_frame_schema_set_producer(&s, o->argc, o->argv, err) != 0 ||
	    !(out = hc_out_open(o->c.output, err)))
		goto done;
	hc_progress_start(&prog, "hash", hc_csv_bytes_total(j->csv), o->c.quiet);
	j->prog = &prog;
	rc = hc_hash_run(j, &s, out, err);
	hc_progress_end(&prog);
	/* The stats first: a failure there must not leave the output. */
	if (rc == 0 && j->stats)
		rc = hash_write_stats(o, j, names, err);
	if (rc == 0) {
		rc = hc_out_close(out, err);
		out = NULL;
	}
done:
	hc_out_abort(out);
	hc_frame_schema_release(&s);
	for (size_t k = 0; h && k < j->nhash; k++) {
		hc_col_hasher_release(&h[k]);
		if (j->stats)
			hc_hash_stats_release(&j->stats[k]);
	}
	hc_free(j->stats);
	hc_free(h);
	hc_free(names);
	return rc;
}

/* ---- options ---------------------------------------------------------- */

static int parse_format(const char *f, enum hc_hash_format *fmt)
{
	static const char *const names[] = { "csv", "hcb", "libsvm", "vw" };

	for (size_t i = 0; i < 4; i++)
		if (strcmp(f, names[i]) == 0) {
			*fmt = (enum hc_hash_format)i;
			return 0;
		}
	return hc_cmd_usage("hash", "unknown --format '%s' (csv, hcb, libsvm, vw)", f);
}

/* Usage rules that need no input: each scheme's own options. */
static int check_opts(const struct hash_opts *o, enum hc_scheme s,
		      const char *input, int nargs)
{
	int counts = hc_scheme_counts(s), graph = hc_scheme_graph(s);
	int stdin_in = !input || strcmp(input, "-") == 0;

	if (nargs > 1)
		return hc_cmd_usage("hash", "one FILE at most, not %d", nargs);
	if ((s == HC_SCHEME_VOCAB || graph) && o->buckets)
		return hc_cmd_usage("hash", "--scheme %s sets its own id space; --buckets does not apply",
				    hc_scheme_name(s));
	if (s != HC_SCHEME_VOCAB && !graph && !o->buckets)
		return hc_cmd_usage("hash", "--scheme %s needs --buckets", hc_scheme_name(s));
	if (s == HC_SCHEME_MULTIPLEX && strchr(o->buckets, '='))
		return hc_cmd_usage("hash", "multiplex shares one table: --buckets takes one count");
	if (o->probes != 1 && s != HC_SCHEME_MULTIPLEX)
		return hc_cmd_usage("hash", "--probes applies to --scheme multiplex");
	if (graph != (o->map != NULL))
		return hc_cmd_usage("hash", graph ? "--scheme %s needs --map FILE (from hicard cluster)"
					      : "--map applies to graph schemes, not %s",
				    hc_scheme_name(s));
	if (!counts && (o->counts || o->fit || o->write_counts))
		return hc_cmd_usage("hash", "--counts, --fit and --write-counts apply to frequency, double-frequency and vocab");
	if (o->counts && o->fit)
		return hc_cmd_usage("hash", "--counts and --fit go one at a time");
	if (counts && !o->counts && !o->fit && stdin_in)
		return hc_cmd_usage("hash", "--scheme %s counts values first: give --fit FILE or --counts FILE when reading stdin",
				    hc_scheme_name(s));
	return 0;
}

static int hash_input(struct hash_opts *o, enum hc_scheme scheme,
		      enum hc_hash_format fmt, const char *input,
		      struct hc_err *err)
{
	struct hc_hash_job j = { 0 };
	struct hc_hash_cols cols;
	struct hc_csv_opts copts;
	uint64_t *m = NULL;
	int rc = -1;

	if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(j.csv = hc_csv_open(input, &copts, err)))
		return -1;
	if (hc_hash_cols_plan(&cols, hc_csv_colnames(j.csv), hc_csv_ncols(j.csv),
			      o->c.select, o->label, o->weight, o->num, err) != 0)
		goto close;
	j.format = fmt;
	j.header = !o->c.no_header;
	j.delim = copts.delim;
	j.nhash = cols.hashed.n;
	j.hcols = cols.hashed.idx;
	j.label = cols.label;
	j.weight = cols.weight;
	j.nnum = cols.num.n;
	j.ncols = cols.num.idx;
	j.keys = o->keys;
	j.skip_empty = o->skip_empty;
	j.threads = o->c.threads ? (unsigned)o->c.threads : hc_ncpus();
	if (o->buckets) {
		const char **names = hc_calloc(j.nhash, sizeof(*names));
		if (!(m = hc_calloc(j.nhash, sizeof(*m))) || !names) {
			hc_free(names);
			hc_err_nomem(err);
			goto done;
		}
		for (size_t k = 0; k < j.nhash; k++)
			names[k] = hc_csv_colname(j.csv, j.hcols[k]);
		rc = hc_buckets_parse(o->buckets, names, j.nhash, m, err);
		hc_free(names);
		if (rc != 0)
			goto done;
	}
	rc = run(o, scheme, &j, input, m, err);
done:
	hc_free(m);
	hc_hash_cols_release(&cols);
close:
	hc_csv_close(j.csv);
	return rc;
}

int cmd_hash(int argc, char **argv)
{
	struct hash_opts o = { .probes = 1, .min_count = 1, .cutoff = 0.5,
			       .argc = argc, .argv = argv };
	const struct hc_opt opts[] = {
		HC_OPT_GROUP("Scheme:"),
		HC_OPT_STR(0, "scheme", &o.scheme, "SCHEME", "mod, multiplex, double, frequency, double-frequency, graph, double-graph, vocab or modulo"),
		HC_OPT_STR(0, "buckets", &o.buckets, "SPEC", "ids per column: N, or NAME=N,... (N,NAME=M: N for the rest)"),
		HC_OPT_U64(0, "probes", &o.probes, "K", 1, HC_HASH_PROBES_MAX, "multiplex: ids per value (default 1)"),
		HC_OPT_DBL(0, "cutoff", &o.cutoff, "F", 0, 1, "frequency: share of buckets for frequent values (default 0.5)"),
		HC_OPT_U64(0, "min-count", &o.min_count, "N", 1, UINT64_MAX, "vocab: values seen fewer times share the out-of-vocabulary id (default 1)"),
		HC_OPT_STR(0, "fit", &o.fit, "FILE", "counting schemes: count the values of this CSV (default: the input)"),
		HC_OPT_STR(0, "counts", &o.counts, "FILE", "counting schemes: read counts (column,value,count) instead"),
		HC_OPT_STR(0, "write-counts", &o.write_counts, "FILE", "also save the counts, for --counts"),
		HC_OPT_STR(0, "map", &o.map, "FILE", "graph schemes: the cluster map of hicard cluster"),
		HC_OPT_U64(0, "overflow", &o.overflow, "N", 1, HC_FRAME_SPACE_MAX / 2, "graph: hashed ids for values not in the map (default 1% of the clusters)"),
		HC_OPT_FLAG(0, "skip-empty", &o.skip_empty, "no id for an empty value (it is hashed like any value otherwise)"),
		HC_OPT_GROUP("Output:"),
		HC_OPT_STR(0, "format", &o.format, "FORMAT", "csv (default), hcb (binary frame), libsvm or vw"),
		HC_OPT_STR(0, "label", &o.label, "COL", "the label column (hcb, libsvm, vw)"),
		HC_OPT_STR(0, "weight", &o.weight, "COL", "a row weight column (hcb, vw)"),
		HC_OPT_STR(0, "num", &o.num, "COLS", "columns carried as numbers (hcb, libsvm, vw)"),
		HC_OPT_FLAG(0, "keys", &o.keys, "hcb: also a key column per hashed column (tells values apart)"),
		HC_OPT_FLAG(0, "stats", &o.stats, "collision figures per column, on stderr"),
		HC_OPT_STR(0, "stats-json", &o.stats_json, "FILE", "the same figures as JSON to FILE"),
		HC_OPT_GROUP("Common:"),
		HC_OPTS_CSV(&o.c),
		HC_OPTS_SELECT(&o.c),
		HC_OPTS_OUTPUT(&o.c),
		HC_OPTS_SEED(&o.c),
		HC_OPTS_THREADS(&o.c),
		HC_OPTS_END(&o.c),
	};
	enum hc_hash_format fmt = HC_HASH_CSV;
	enum hc_scheme scheme;
	struct hc_err err = { 0 };
	const char *input;
	int nargs, status;

	if (hc_cmd_parse("hash", usage, about, opts, &o.c, argc, argv, &nargs,
			 &status) == HC_PARSE_EXIT)
		return status;
	input = nargs ? argv[1] : NULL;
	if (!o.scheme)
		return hc_cmd_usage("hash", "--scheme is required");
	if (hc_scheme_parse(o.scheme, &scheme, &err) != 0)
		return hc_cmd_usage("hash", "%s", err.msg);
	if ((o.format && parse_format(o.format, &fmt) != 0) ||
	    (status = check_opts(&o, scheme, input, nargs)) != 0)
		return 2;
	if (o.keys && fmt != HC_HASH_HCB)
		return hc_cmd_usage("hash", "--keys applies to --format hcb");
	if (fmt == HC_HASH_CSV && (o.label || o.weight || o.num))
		return hc_cmd_usage("hash", "CSV output passes every column through; --label, --weight and --num apply to hcb, libsvm and vw");
	if (hash_input(&o, scheme, fmt, input, &err) != 0)
		return hc_cmd_fail("hash", &err);
	return HC_EXIT_OK;
}
