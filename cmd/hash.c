/* hash.c - `hicard hash`: values to bucket ids, by a research hashing scheme
 *
 * Wiring: the columns and bucket counts (src/hash_plan.c), the hashers
 * (src/hash_scheme.c) with their counts or cluster map (src/hash_table.c),
 * then the batch pipeline (src/hash_run.c) into CSV, a frame, libsvm or
 * VW text, and the collision figures (src/hash_stats.c) on request.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/csv_write.h"
#include "lib/mem.h"
#include "lib/report.h"
#include "lib/team.h"
#include "src/hash_plan.h"
#include "src/hash_run.h"
#include "src/hash_table.h"

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

struct hash_opts {
	struct hc_common c;
	const char *scheme, *buckets, *format, *label, *weight, *num;
	const char *counts, *fit, *write_counts, *map, *stats_json;
	uint64_t probes, min_count, overflow;
	double cutoff;
	int keys, skip_empty, stats;
	int argc;
	char **argv;
};

static const struct hc_report_field stats_fields[] = {
	{"column", "column"}, {"scheme", "scheme"}, {"rows", "rows"},
	{"distinct", "distinct"}, {"buckets", "buckets"},
	{"used", "buckets_used"}, {"shared values", "shared_values"},
	{"shared rows", "shared_rows"},
	{"uniform shared", "uniform_shared_values"},
	{"in map", "in_map_values"},
};

/* ---- counts and maps -------------------------------------------------- */

static int count_file(const struct hash_opts *o, const char *path,
		      const char *const *names, struct hc_counts *cnt,
		      struct hc_err *err)
{
	struct hc_csv_opts copts;
	struct hc_csv_reader *csv;
	const struct hc_csv_batch *b;
	size_t *cols = hc_calloc(cnt->ncols, sizeof(*cols));
	int rc = -1;

	if (!cols)
		return hc_err_nomem(err);
	if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(csv = hc_csv_open(path, &copts, err))) {
		hc_free(cols);
		return -1;
	}
	for (size_t j = 0; j < cnt->ncols; j++) {
		long c = hc_select_one(names[j], hc_csv_colnames(csv),
				       hc_csv_ncols(csv), err);
		if (c < 0) { /* the file lacks it: bad data, not bad usage */
			hc_err_prefix(err, "%s", hc_csv_name(csv));
			err->kind = HC_ERR_DATA;
			goto done;
		}
		cols[j] = (size_t)c;
	}
	while ((rc = hc_csv_next_batch(csv, &b, err)) == 1)
		if (hc_counts_add_batch(cnt, b, cols, err) != 0) {
			rc = -1;
			break;
		}
done:
	hc_csv_close(csv);
	hc_free(cols);
	return rc;
}

static int read_table_file(const char *path, int map, const char *const *names,
			   size_t n, struct hc_counts *cnt, uint64_t *k,
			   struct hc_err *err)
{
	struct hc_csv_opts copts = { ',', 0 };
	struct hc_csv_reader *csv = hc_csv_open(path, &copts, err);
	int rc;

	if (!csv)
		return -1;
	rc = map ? hc_map_read(csv, names, n, cnt->maps, k, err)
		 : hc_counts_read(cnt, csv, names, err);
	hc_csv_close(csv);
	return rc;
}

static int write_counts(const char *path, const struct hc_counts *cnt,
			const char *const *names, struct hc_err *err)
{
	struct hc_out *out = hc_out_open(path, err);
	struct hc_csv_writer w;

	if (!out)
		return -1;
	hc_csv_writer_init(&w, out, ',');
	if (hc_counts_write(cnt, names, &w, err) != 0) {
		hc_out_abort(out);
		return -1;
	}
	return hc_out_close(out, err);
}

/* Gives each counting or graph hasher its table. */
static int learn(const struct hash_opts *o, const char *input,
		 const char *const *names, size_t n, struct hc_col_hasher *h,
		 struct hc_err *err)
{
	struct hc_counts cnt;
	uint64_t *k = hc_calloc(n, sizeof(*k));
	int map = hc_scheme_graph(h[0].scheme), rc;

	if (!k || hc_counts_init(&cnt, n, err) != 0) {
		hc_free(k);
		return hc_err_nomem(err);
	}
	if (map || o->counts)
		rc = read_table_file(map ? o->map : o->counts, map, names, n,
				     &cnt, k, err);
	else
		rc = count_file(o, o->fit ? o->fit : input, names, &cnt, err);
	if (rc == 0 && o->write_counts)
		rc = write_counts(o->write_counts, &cnt, names, err);
	for (size_t j = 0; j < n && rc == 0; j++) {
		if (map)
			hc_col_hasher_map(&h[j], &cnt.maps[j], k[j],
					  o->overflow ? o->overflow
						      : (k[j] + 99) / 100);
		else
			rc = hc_col_hasher_rank(&h[j], &cnt.maps[j], o->cutoff,
						o->min_count, err);
	}
	hc_counts_release(&cnt);
	hc_free(k);
	return rc;
}

/* ---- the run ---------------------------------------------------------- */

static int write_stats(const struct hash_opts *o, const struct hc_hash_job *j,
		       const char *const *names, struct hc_err *err)
{
	cJSON *rows = cJSON_CreateArray();
	struct hc_out *out;
	char *text = NULL;
	int rc = -1;

	for (size_t k = 0; rows && k < j->nhash; k++) {
		cJSON *r = hc_hash_stats_json(&j->stats[k], &j->h[k], names[k]);
		if (!r || !cJSON_AddItemToArray(rows, r)) {
			cJSON_Delete(r);
			goto nomem;
		}
	}
	if (!rows)
		goto nomem;
	if (o->stats_json) {
		if (!(text = cJSON_Print(rows)) || !(out = hc_out_open(o->stats_json, err)))
			goto done;
		rc = hc_out_puts(out, text) || hc_out_putc(out, '\n')
			     ? (*err = out->err, hc_out_abort(out), -1)
			     : hc_out_close(out, err);
		if (rc != 0 || !o->stats)
			goto done;
	}
	rc = -1;
	if ((out = hc_out_open_stderr(err))) {
		rc = hc_report_table(out, rows, stats_fields,
				     sizeof(stats_fields) / sizeof(stats_fields[0]), err);
		rc = rc == 0 ? hc_out_close(out, err) : (hc_out_abort(out), -1);
	}
	goto done;
nomem:
	hc_err_nomem(err);
done:
	cJSON_free(text);
	cJSON_Delete(rows);
	return rc;
}

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
	    learn(o, input, names, j->nhash, h, err) != 0)
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
		rc = write_stats(o, j, names, err);
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
