/* hash_tables.c - the files around `hicard hash`'s run: counting values
 * (a first pass over --fit or the input), counts and map files, and the
 * --stats outputs */
#include <string.h>

#include "cmd/hash.h"
#include "lib/csv_write.h"
#include "lib/mem.h"
#include "lib/report.h"
#include "lib/select.h"
#include "src/hash_table.h"

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

int hash_learn(const struct hash_opts *o, const char *input,
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

/* ---- statistics ------------------------------------------------------- */

int hash_write_stats(const struct hash_opts *o, const struct hc_hash_job *j,
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
