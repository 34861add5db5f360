/* profile.c - `hicard profile`: what is in the columns, at any size
 *
 * Wiring: CSV batches (lib/csv_read.c) into column profiles
 * (src/profile.c), the report out as JSON, CSV or a table (lib/report.c),
 * the state out to a file for merging (lib/statefile.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "lib/csv_read.h"
#include "lib/in.h"
#include "lib/mem.h"
#include "lib/progress.h"
#include "lib/report.h"
#include "lib/select.h"
#include "lib/statefile.h"
#include "lib/team.h"
#include "src/hll.h"
#include "src/profile.h"

#define STATE_MAGIC "\x89HCP\r\n\x1a\n"
#define STATE_VERSION 1
#define NULLS_DEFAULT "NA,NULL,\\N,NaN"
#define NULLS_MAX 64
#define APPROX_HLL_P 16

static const char *const usage[] = {
	"hicard profile [-s COLS] [-k N] [--target COL] [--memory SIZE] [--approx] [--json|--csv|--table] [--sketch-out FILE] [FILE...]",
	"hicard profile --merge [--json|--csv|--table] [--sketch-out FILE] STATE...",
	NULL,
};

static const char about[] =
	"Reads CSV once and reports, per column: type, nulls, distinct count\n"
	"(exact while the columns fit --memory, then HyperLogLog), top values\n"
	"(exact, then Misra-Gries with error bounds), singletons, coverage,\n"
	"entropy, a Zipf exponent, numeric quantiles, lengths, how the target\n"
	"varies across values, and a suggested encoding.  A table on a\n"
	"terminal, JSON otherwise.  --sketch-out saves the state; --merge\n"
	"reports the union of saved states (profile shards apart, merge after).";

struct profile_opts {
	struct hc_common c;
	uint64_t k, memory, hll_p;
	int approx, json, csv, table, merge;
	const char *target, *nulls, *sketch_out;
	double collision;
};

static const struct hc_report_field table_fields[] = {
	{"column", "name"},          {"type", "type"},
	{"nulls", "null_share"},     {"distinct", "distinct.count"},
	{"exact", "distinct.exact"}, {"top value", "top.0.value"},
	{"top share", "top.0.share"}, {"entropy", "entropy_normalized"},
	{"advice", "advice.treatment"},
};

static const struct hc_report_field csv_fields[] = {
	{"name", "name"}, {"index", "index"}, {"type", "type"},
	{"type_mismatch_share", "type_mismatch_share"}, {"rows", "rows"},
	{"nulls", "nulls"}, {"null_share", "null_share"},
	{"distinct", "distinct.count"}, {"distinct_exact", "distinct.exact"},
	{"distinct_stderr", "distinct.stderr"},
	{"singletons", "singletons.count"},
	{"singleton_row_share", "singletons.row_share"},
	{"top1_value", "top.0.value"}, {"top1_count", "top.0.count"},
	{"top1_share", "top.0.share"},
	{"coverage_top_1pct", "coverage.top_1pct"},
	{"coverage_top_10", "coverage.top_10"},
	{"coverage_top_1000", "coverage.top_1000"},
	{"entropy_bits", "entropy_bits"},
	{"entropy_normalized", "entropy_normalized"},
	{"zipf_exponent", "zipf_exponent"},
	{"min", "numeric.min"}, {"max", "numeric.max"}, {"mean", "numeric.mean"},
	{"stddev", "numeric.stddev"}, {"p1", "numeric.p1"}, {"p25", "numeric.p25"},
	{"p50", "numeric.p50"}, {"p75", "numeric.p75"}, {"p99", "numeric.p99"},
	{"length_min", "length.min"}, {"length_mean", "length.mean"},
	{"length_max", "length.max"},
	{"target_mutual_information_bits", "target.mutual_information_bits"},
	{"target_information_value", "target.information_value"},
	{"target_eta_squared", "target.eta_squared"},
	{"target_leakage_warning", "target.leakage_warning"},
	{"advice", "advice.treatment"}, {"advice_buckets", "advice.buckets"},
};

#define NFIELDS(a) (sizeof(a) / sizeof(a[0]))

/* ---- output ----------------------------------------------------------- */

static int write_report(const struct profile_opts *o, const struct hc_profile *p,
			struct hc_err *err)
{
	cJSON *doc = hc_profile_report(p, err);
	const cJSON *cols;
	struct hc_out *out;
	char *text = NULL;
	int rc = -1;

	if (!doc)
		return -1;
	cols = cJSON_GetObjectItemCaseSensitive(doc, "columns");
	out = hc_out_open(o->c.output, err);
	if (!out)
		goto done;
	if (o->csv) {
		rc = hc_report_csv(out, cols, csv_fields, NFIELDS(csv_fields), err);
	} else if (o->table || (!o->json && !o->c.output && isatty(1))) {
		hc_out_printf(out, "%.0f rows\n", (double)hc_profile_rows(p));
		rc = hc_report_table(out, cols, table_fields, NFIELDS(table_fields), err);
	} else if (!(text = cJSON_Print(doc))) {
		rc = hc_err_nomem(err);
	} else {
		rc = hc_out_puts(out, text) != 0 || hc_out_putc(out, '\n') != 0
			     ? (*err = out->err, -1)
			     : 0;
	}
	if (rc == 0)
		rc = hc_out_close(out, err);
	else
		hc_out_abort(out);
done:
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}

/* Writes the state into a temporary file and returns it still open: the
 * caller commits it (hc_out_close) only once the report is written too,
 * so that a failed run leaves neither output behind.  NULL with err set. */
static struct hc_out *start_state(const char *path, const struct hc_profile *p,
				  struct hc_err *err)
{
	struct hc_buf b;
	struct hc_out *out = NULL;

	hc_buf_init(&b);
	if (hc_profile_serialize(p, &b) != 0)
		hc_err_nomem(err);
	else if ((out = hc_out_open(path, err)) &&
		 hc_statefile_write(out, STATE_MAGIC, STATE_VERSION, &b, err) != 0) {
		hc_out_abort(out);
		out = NULL;
	}
	hc_buf_release(&b);
	return out;
}

/* ---- profiling a CSV file --------------------------------------------- */

/* Duplicate names are kept apart by position (the report's "index"); a
 * person should still hear of them. */
static void warn_duplicates(const struct profile_opts *o,
			    struct hc_csv_reader *csv)
{
	size_t n = hc_csv_ncols(csv);

	for (size_t j = 0; j < n && !o->c.quiet && !o->c.no_header; j++)
		for (size_t i = 0; i < j; i++)
			if (strcmp(hc_csv_colname(csv, i), hc_csv_colname(csv, j)) == 0) {
				fprintf(stderr, "hicard profile: warning: %s: columns %zu and %zu are both named '%s' (reported apart by index)\n",
					hc_csv_name(csv), i + 1, j + 1, hc_csv_colname(csv, j));
				break;
			}
}

/* The columns to profile (the target always among them) and the nulls. */
static int plan(const struct profile_opts *o, struct hc_csv_reader *csv,
		struct hc_selection *sel, struct hc_profile_opts *po,
		struct hc_err *err)
{
	const char *const *names = hc_csv_colnames(csv);
	size_t n = hc_csv_ncols(csv);
	long t;

	if (hc_select_parse(o->c.select, names, n, sel, err) != 0)
		return -1;
	po->target = -1;
	if (!o->target)
		return 0;
	if ((t = hc_select_one(o->target, names, n, err)) < 0)
		return -1;
	for (size_t j = 0; j < sel->n; j++)
		if (sel->idx[j] == (size_t)t)
			po->target = (long)j;
	if (po->target < 0) {
		size_t *idx = hc_reallocarray(sel->idx, sel->n + 1, sizeof(*idx));
		if (!idx)
			return hc_err_nomem(err);
		sel->idx = idx;
		idx[sel->n] = (size_t)t;
		po->target = (long)sel->n++;
	}
	return 0;
}

/* A FILE after the first must have the first's header, so that the
 * selection and the columns mean the same in all of them. */
static int same_header(struct hc_csv_reader *first, struct hc_csv_reader *csv,
		       struct hc_err *err)
{
	size_t n = hc_csv_ncols(first);

	if (hc_csv_ncols(csv) != n)
		return hc_err_set(err, HC_ERR_DATA,
				  "%s: %zu columns, but %s has %zu (the FILEs are profiled as one table)",
				  hc_csv_name(csv), hc_csv_ncols(csv), hc_csv_name(first), n);
	for (size_t j = 0; j < n; j++)
		if (strcmp(hc_csv_colname(first, j), hc_csv_colname(csv, j)) != 0)
			return hc_err_set(err, HC_ERR_DATA,
					  "%s: column %zu is '%s', but '%s' in %s (the FILEs are profiled as one table)",
					  hc_csv_name(csv), j + 1, hc_csv_colname(csv, j),
					  hc_csv_colname(first, j), hc_csv_name(first));
	return 0;
}

/* Profiles the rows of every path (NULL: stdin) as one table. */
static int profile_files(const struct profile_opts *o, struct hc_profile_opts *po,
			 int npaths, char **paths, struct hc_profile **out,
			 struct hc_err *err)
{
	struct hc_csv_opts copts;
	struct hc_csv_reader *first, *csv = NULL;
	struct hc_selection sel = {0};
	struct hc_profile *p = NULL;
	struct hc_team *team = NULL;
	const char **names = NULL;
	unsigned threads = o->c.threads ? (unsigned)o->c.threads : hc_ncpus();
	int rc = -1;

	if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(first = hc_csv_open(npaths ? paths[0] : NULL, &copts, err)))
		return -1;
	warn_duplicates(o, first);
	if (plan(o, first, &sel, po, err) != 0)
		goto done;
	if (!(names = hc_calloc(sel.n + 1, sizeof(*names)))) {
		hc_err_nomem(err);
		goto done;
	}
	for (size_t j = 0; j < sel.n; j++)
		names[j] = hc_csv_colname(first, sel.idx[j]);
	if (!(p = hc_profile_new(po, sel.n, names, err)))
		goto done;
	for (size_t j = 0; j < sel.n; j++)
		hc_profile_set_position(p, j, sel.idx[j]);
	/* This thread counts too, once it has read the next batch. */
	if (threads > 1 && !(team = hc_team_new(threads - 1, err)))
		goto done;
	for (int i = 0; i < (npaths ? npaths : 1); i++) {
		struct hc_progress prog;

		if (i > 0 && (!(csv = hc_csv_open(paths[i], &copts, err)) ||
			      same_header(first, csv, err) != 0)) {
			rc = -1;
			goto done;
		}
		hc_progress_start(&prog, "profile", hc_csv_bytes_total(i ? csv : first),
				  o->c.quiet);
		rc = hc_profile_scan(p, i ? csv : first, sel.idx,
				     po->target >= 0 ? (long)sel.idx[po->target] : -1,
				     team, &prog, err);
		hc_progress_end(&prog);
		hc_csv_close(csv);
		csv = NULL;
		if (rc != 0)
			goto done;
	}
done:
	if (rc == 0) {
		*out = p;
		p = NULL;
	}
	hc_csv_close(csv);
	hc_team_free(team);
	hc_profile_free(p);
	hc_free(names);
	hc_selection_release(&sel);
	hc_csv_close(first);
	return rc;
}

/* ---- merging saved states --------------------------------------------- */

/* An input of --merge holds one state or several written one after the
 * other (`cat a.st b.st`, the states of many jobs on one stream), read in
 * turn by hc_statefile_next, one state's bytes held at a time. */

/* Decodes the states of one input in turn and merges each into *acc (the
 * first one becomes it).  0, or -1 with err set. */
static int merge_input(const struct profile_opts *o, const char *path,
		       struct hc_profile **acc, struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	int rc = -1;

	if (!in)
		return -1;
	for (unsigned idx = 0;; idx++) {
		unsigned char *data = NULL;
		size_t len = 0;
		uint64_t start = in->pos;
		struct hc_cursor cur;
		struct hc_profile *p;
		int got = hc_statefile_next(in, STATE_MAGIC, STATE_VERSION,
					    "hicard profile state", idx, &data,
					    &len, err);

		if (got <= 0) {
			rc = got;
			break;
		}
		hc_cursor_init(&cur, data, len);
		p = hc_profile_deserialize(&cur, o->memory, err);
		hc_free(data);
		if (p && !*acc) {
			*acc = p;
			continue;
		}
		if (p && hc_profile_merge(*acc, p, err) == 0) {
			hc_profile_free(p);
			continue;
		}
		hc_profile_free(p);
		if (idx == 0)
			hc_err_prefix(err, "%s", in->name);
		else
			hc_err_prefix(err, "%s: state %u (from byte %llu)", in->name,
				      idx + 1, (unsigned long long)start);
		break;
	}
	hc_in_close(in);
	return rc;
}

static int merge_states(const struct profile_opts *o, int n, char **paths,
			struct hc_profile **out, struct hc_err *err)
{
	struct hc_profile *acc = NULL;

	for (int i = 0; i < n; i++)
		if (merge_input(o, paths[i], &acc, err) != 0) {
			hc_profile_free(acc);
			return -1;
		}
	*out = acc;
	return 0;
}

/* ---- options ------------------------------------------------------------ */

/* Splits the --nulls list in place into at most NULLS_MAX tokens. */
static size_t split_nulls(char *s, const char **tok)
{
	size_t n = 0;

	while (s && *s && n < NULLS_MAX) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		tok[n++] = s;
		s = comma ? comma + 1 : NULL;
	}
	return n;
}

static int is_stdout(const char *path)
{
	return !path || strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0;
}

static int check_opts(const struct profile_opts *o, int nargs)
{
	if (o->json + o->csv + o->table > 1)
		return hc_cmd_usage("profile", "--json, --csv and --table go one at a time");
	if (o->merge && nargs == 0)
		return hc_cmd_usage("profile", "--merge needs one or more STATE files");
	if (o->merge && (o->target || o->c.select || o->approx))
		return hc_cmd_usage("profile", "--merge takes the columns and --target of its states; -s, --target and --approx do not apply");
	/* A state and a report on one stream could not be told apart. */
	if (o->sketch_out && is_stdout(o->sketch_out) && is_stdout(o->c.output))
		return hc_cmd_usage("profile", "--sketch-out %s writes the state to stdout: send the report elsewhere with -o FILE (-o /dev/null to drop it)", o->sketch_out);
	return 0;
}

int cmd_profile(int argc, char **argv)
{
	struct profile_opts o = {.k = 10, .memory = 512ull << 20,
				 .collision = 0.01, .nulls = NULLS_DEFAULT};
	const struct hc_opt opts[] = {
		HC_OPT_U64('k', "top", &o.k, "N", 0, 100000, "top values per column (default 10)"),
		HC_OPT_STR(0, "target", &o.target, "COL", "a label column: how it varies across each column's values"),
		HC_OPT_STR(0, "nulls", &o.nulls, "LIST", "null tokens besides the empty value (default NA,NULL,\\N,NaN)"),
		HC_OPT_SIZE(0, "memory", &o.memory, "SIZE", "memory for exact distinct counts (default 512M)"),
		HC_OPT_FLAG(0, "approx", &o.approx, "sketches from the first row: faster, bounded error"),
		HC_OPT_U64(0, "hll-precision", &o.hll_p, "P", HC_HLL_P_MIN, HC_HLL_P_MAX, "HyperLogLog registers 2^P (default 14: 0.81% error; 16 with --approx)"),
		HC_OPT_DBL(0, "collision", &o.collision, "RATE", 1e-9, 0.999, "collision rate for the hashing advice (default 0.01)"),
		HC_OPT_GROUP("Output:"),
		HC_OPT_FLAG(0, "json", &o.json, "JSON (the default when stdout is not a terminal)"),
		HC_OPT_FLAG(0, "csv", &o.csv, "one CSV row per column"),
		HC_OPT_FLAG(0, "table", &o.table, "a table (the default on a terminal)"),
		HC_OPT_STR(0, "sketch-out", &o.sketch_out, "FILE", "also save the profiling state, for --merge (- for stdout, with -o)"),
		HC_OPT_FLAG(0, "merge", &o.merge, "report the union of saved states (a STATE may hold several; - reads stdin)"),
		HC_OPT_GROUP("Common:"),
		HC_OPTS_CSV(&o.c),
		HC_OPTS_SELECT(&o.c),
		HC_OPTS_OUTPUT(&o.c),
		HC_OPTS_SEED(&o.c),
		HC_OPTS_THREADS(&o.c),
		HC_OPTS_END(&o.c),
	};
	const char *nulls[NULLS_MAX];
	char *nulls_copy = NULL;
	struct hc_profile_opts po = {0};
	struct hc_profile *p = NULL;
	struct hc_out *state = NULL;
	struct hc_err err = {0};
	int nargs, status, rc;

	if (hc_cmd_parse("profile", usage, about, opts, &o.c, argc, argv, &nargs,
			 &status) == HC_PARSE_EXIT)
		return status;
	if ((status = check_opts(&o, nargs)) != 0)
		return status;
	po.memory = o.memory;
	/* --approx answers every distinct count from the sketch, so it gets
	 * the precision that keeps them within 1% (0.41% standard error,
	 * 64 KiB a column); exact mode needs the sketch only past --memory. */
	po.hll_p = o.hll_p ? (unsigned)o.hll_p : o.approx ? APPROX_HLL_P : HC_HLL_P_DEFAULT;
	po.k = o.k;
	po.approx = o.approx;
	po.collision = o.collision;
	po.seed = o.c.seed;
	po.nulls = nulls;
	if (!(nulls_copy = hc_strdup(o.nulls))) {
		hc_err_nomem(&err);
		return hc_cmd_fail("profile", &err);
	}
	po.nnulls = split_nulls(nulls_copy, nulls);
	if (o.merge)
		rc = merge_states(&o, nargs, argv + 1, &p, &err);
	else
		rc = profile_files(&o, &po, nargs, argv + 1, &p, &err);
	if (rc == 0 && o.sketch_out && !(state = start_state(o.sketch_out, p, &err)))
		rc = -1;
	if (rc == 0)
		rc = write_report(&o, p, &err);
	if (state && rc == 0)
		rc = hc_out_close(state, &err);
	else if (state)
		hc_out_abort(state);
	hc_profile_free(p);
	hc_free(nulls_copy);
	return rc == 0 ? HC_EXIT_OK : hc_cmd_fail("profile", &err);
}
