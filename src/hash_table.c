/* hash_table.c - counting values, and reading and writing counts and
 * cluster maps (formats in hash_table.h)
 *
 * Rows of a counts file for the same value add up, so that counts files of
 * shards can simply be concatenated (less their headers) and read as one.
 */
#include "src/hash_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/parse.h"
#include "src/hash_scheme.h"

int hc_counts_init(struct hc_counts *c, size_t ncols, struct hc_err *err)
{
	c->ncols = ncols;
	c->maps = hc_calloc(ncols ? ncols : 1, sizeof(*c->maps));
	if (!c->maps)
		return hc_err_nomem(err);
	for (size_t j = 0; j < ncols; j++)
		hc_strmap_init(&c->maps[j]);
	return 0;
}

void hc_counts_release(struct hc_counts *c)
{
	for (size_t j = 0; c->maps && j < c->ncols; j++)
		hc_strmap_release(&c->maps[j]);
	hc_free(c->maps);
	memset(c, 0, sizeof(*c));
}

static int add(struct hc_strmap *m, const char *v, size_t len, uint64_t n,
	       struct hc_err *err)
{
	int added;
	uint64_t *p = hc_strmap_upsert_hashed(m, v, len, hc_hash_key(v, len),
					      &added, NULL);

	if (!p)
		return hc_err_nomem(err);
	/* A counts file may repeat a value: its counts add up, saturating at
	 * 2^63 so that no sum wraps round to a small count. */
	*p = *p + n > HC_COUNT_MAX ? HC_COUNT_MAX : *p + n;
	return 0;
}

int hc_counts_add_batch(struct hc_counts *c, const struct hc_csv_batch *b,
			const size_t *cols, struct hc_err *err)
{
	for (size_t j = 0; j < c->ncols; j++)
		for (size_t i = 0; i < b->nrows; i++) {
			size_t f = i * b->ncols + cols[j];
			if (add(&c->maps[j], b->buf + b->off[f], b->len[f], 1,
				err) != 0)
				return -1;
		}
	return 0;
}

/* The 0-based indices of the header columns "column", "value" and third
 * (count or cluster) into cols; -1 with err saying what the file should
 * look like. */
static int header_cols(struct hc_csv_reader *csv, const char *what,
		       const char *third, long *cols, struct hc_err *err)
{
	const char *const want[3] = { "column", "value", third };

	for (int k = 0; k < 3; k++) {
		cols[k] = -1;
		for (size_t j = 0; j < hc_csv_ncols(csv) && cols[k] < 0; j++)
			if (strcmp(hc_csv_colname(csv, j), want[k]) == 0)
				cols[k] = (long)j;
		if (cols[k] < 0)
			return hc_err_set(err, HC_ERR_DATA,
					  "%s: not a %s file: its header must be column,value,%s (no column '%s')",
					  hc_csv_name(csv), what, third, want[k]);
	}
	return 0;
}

static long find_name(const char *const *names, size_t n, const char *s,
		      size_t len)
{
	for (size_t j = 0; j < n; j++)
		if (strlen(names[j]) == len && memcmp(names[j], s, len) == 0)
			return (long)j;
	return -1;
}

/* Reads the third field of a row as a whole number within [lo, max]. */
static int row_number(struct hc_csv_reader *csv, const struct hc_csv_row *r,
		      long col, uint64_t lo, uint64_t max, const char *what,
		      uint64_t *v, struct hc_err *err)
{
	char where[512];

	if (hc_parse_u64(hc_csv_field(r, (size_t)col),
			 hc_csv_field_len(r, (size_t)col), max, v) == 0 &&
	    *v >= lo)
		return 0;
	hc_csv_where(csv, r->line, (size_t)col, where, sizeof(where));
	return hc_err_set(err, HC_ERR_DATA, "%s: '%.40s' is not %s", where,
			  hc_csv_field(r, (size_t)col), what);
}

int hc_counts_read(struct hc_counts *c, struct hc_csv_reader *csv,
		   const char *const *names, struct hc_err *err)
{
	long hc[3], cc, cv, cn;
	struct hc_csv_row r;
	int rc;

	if (header_cols(csv, "counts", "count", hc, err) != 0)
		return -1;
	cc = hc[0], cv = hc[1], cn = hc[2];
	while ((rc = hc_csv_next(csv, &r, err)) == 1) {
		long j = find_name(names, c->ncols, hc_csv_field(&r, (size_t)cc),
				   hc_csv_field_len(&r, (size_t)cc));
		uint64_t n;
		if (j < 0)
			continue;
		if (row_number(csv, &r, cn, 1, HC_COUNT_MAX, "a count (1 or more)",
			       &n, err) != 0 ||
		    add(&c->maps[j], hc_csv_field(&r, (size_t)cv),
			hc_csv_field_len(&r, (size_t)cv), n, err) != 0)
			return -1;
	}
	return rc;
}

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct hc_ranked *a = pa, *b = pb;
	int c;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	c = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

struct hc_ranked *hc_rank_values(const struct hc_strmap *m,
				 uint64_t min_count, size_t *n)
{
	size_t all = hc_strmap_count(m), k = 0;
	struct hc_ranked *r = hc_calloc(all ? all : 1, sizeof(*r));

	if (!r)
		return NULL;
	for (size_t id = 0; id < all; id++) {
		uint64_t c = *hc_strmap_valuep(m, id);
		if (c < min_count)
			continue;
		r[k].count = c;
		r[k].key = hc_strmap_key(m, id, &r[k].len);
		k++;
	}
	qsort(r, k, sizeof(*r), cmp_ranked);
	*n = k;
	return r;
}

static int write_column(const struct hc_strmap *m, const char *name,
			struct hc_csv_writer *w, struct hc_err *err)
{
	size_t n;
	struct hc_ranked *r = hc_rank_values(m, 0, &n);
	int rc = 0;

	if (!r)
		return hc_err_nomem(err);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (hc_csv_write_str(w, name) != 0 ||
		    hc_csv_write_field(w, r[i].key, r[i].len) != 0 ||
		    hc_csv_write_u64(w, r[i].count) != 0 ||
		    hc_csv_end_row(w) != 0) {
			*err = w->out->err;
			rc = -1;
		}
	hc_free(r);
	return rc;
}

int hc_counts_write(const struct hc_counts *c, const char *const *names,
		    struct hc_csv_writer *w, struct hc_err *err)
{
	static const char *const header[] = { "column", "value", "count" };

	if (hc_csv_write_row(w, header, 3) != 0) {
		*err = w->out->err;
		return -1;
	}
	for (size_t j = 0; j < c->ncols; j++)
		if (write_column(&c->maps[j], names[j], w, err) != 0)
			return -1;
	return 0;
}

/* "a, b, c": the columns a map file has, for the error on a missing one. */
static void missing_column(struct hc_csv_reader *csv, const char *name,
			   const struct hc_strmap *seen, struct hc_err *err)
{
	char list[256] = "";
	size_t at = 0;

	for (size_t i = 0; i < hc_strmap_count(seen) && at < sizeof(list) - 1; i++)
		at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
				       i ? ", " : "", hc_strmap_key(seen, i, NULL));
	hc_err_set(err, HC_ERR_DATA,
		   "%s: the map has no values of column '%s' (it has %s): was it made for other columns?",
		   hc_csv_name(csv), name, at ? list : "no rows");
}

static int read_map_rows(struct hc_csv_reader *csv, const char *const *names,
			 size_t n, struct hc_strmap *clusters, uint64_t *k,
			 struct hc_strmap *seen, struct hc_err *err)
{
	long hc[3], cc, cv, cn;
	struct hc_csv_row r;
	int rc;

	if (header_cols(csv, "map", "cluster", hc, err) != 0)
		return -1;
	cc = hc[0], cv = hc[1], cn = hc[2];
	while ((rc = hc_csv_next(csv, &r, err)) == 1) {
		const char *col = hc_csv_field(&r, (size_t)cc);
		size_t clen = hc_csv_field_len(&r, (size_t)cc);
		long j = find_name(names, n, col, clen);
		int added;
		uint64_t id, *slot;
		char where[512];

		if (hc_strmap_intern(seen, col, clen, &added) < 0)
			return hc_err_nomem(err);
		if (j < 0)
			continue;
		if (row_number(csv, &r, cn, 0, UINT32_MAX - 1, "a cluster id (0 to 2^32-2)",
			       &id, err) != 0)
			return -1;
		slot = hc_strmap_upsert_hashed(&clusters[j], hc_csv_field(&r, (size_t)cv),
					       hc_csv_field_len(&r, (size_t)cv),
					       hc_hash_key(hc_csv_field(&r, (size_t)cv),
							   hc_csv_field_len(&r, (size_t)cv)),
					       &added, NULL);
		if (!slot)
			return hc_err_nomem(err);
		if (!added) {
			hc_csv_where(csv, r.line, (size_t)cv, where, sizeof(where));
			return hc_err_set(err, HC_ERR_DATA,
					  "%s: value '%.40s' of column '%s' is in the map twice",
					  where, hc_csv_field(&r, (size_t)cv), names[j]);
		}
		*slot = id;
		if (id + 1 > k[j])
			k[j] = id + 1;
	}
	if (rc != 0)
		return -1;
	for (size_t j = 0; j < n; j++)
		if (hc_strmap_count(&clusters[j]) == 0) {
			missing_column(csv, names[j], seen, err);
			return -1;
		}
	return 0;
}

int hc_map_read(struct hc_csv_reader *csv, const char *const *names,
		size_t n, struct hc_strmap *clusters, uint64_t *k,
		struct hc_err *err)
{
	struct hc_strmap seen;
	int rc;

	hc_strmap_init(&seen);
	for (size_t j = 0; j < n; j++) {
		hc_strmap_init(&clusters[j]);
		k[j] = 0;
	}
	rc = read_map_rows(csv, names, n, clusters, k, &seen, err);
	hc_strmap_release(&seen);
	if (rc != 0)
		for (size_t j = 0; j < n; j++)
			hc_strmap_release(&clusters[j]);
	return rc;
}
