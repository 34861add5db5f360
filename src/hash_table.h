/* hash_table.h - what counting and graph schemes learn before hashing:
 * value counts and cluster maps, read, counted and written
 *
 * Counts file (`--counts`, `--write-counts`): CSV with the header
 * `column,value,count`, one row per distinct value of a column, count a
 * whole number >= 1.  Rows of a column are written most frequent first,
 * ties by value bytes; readers accept any order.
 *
 * Map file (`hicard cluster`'s output, `--map`): CSV with the header
 * `column,value,cluster`, cluster a whole number below 2^32.  Rows of
 * columns not asked for are skipped; a column asked for but absent is an
 * error naming the columns the map has, so that a map made for other
 * columns is caught.
 */
#ifndef HC_HASH_TABLE_H
#define HC_HASH_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/csv_read.h"
#include "lib/csv_write.h"
#include "lib/err.h"
#include "lib/strmap.h"

/* Per column a strmap from value to count (its value slot), at most
 * HC_COUNT_MAX. */
#define HC_COUNT_MAX (UINT64_MAX / 2)
struct hc_counts {
	size_t ncols;
	struct hc_strmap *maps;
};

/* 0, or -1 (out of memory). */
int hc_counts_init(struct hc_counts *c, size_t ncols, struct hc_err *err);
void hc_counts_release(struct hc_counts *c);

/* Counts the fields of batch column cols[j] into maps[j]. */
int hc_counts_add_batch(struct hc_counts *c, const struct hc_csv_batch *b,
			const size_t *cols, struct hc_err *err);

/* Reads a counts file: maps[j] gets the rows whose column is names[j].
 * Errors name the file, line and column of the bad field. */
int hc_counts_read(struct hc_counts *c, struct hc_csv_reader *csv,
		   const char *const *names, struct hc_err *err);

/* Writes a counts file (header and rows) for names[0..ncols). */
int hc_counts_write(const struct hc_counts *c, const char *const *names,
		    struct hc_csv_writer *w, struct hc_err *err);

/* A value and its count, for ranking. */
struct hc_ranked {
	uint64_t count;
	const char *key;
	size_t len;
};

/* The values of m (value slots = counts) with count >= min_count, most
 * frequent first, ties by value bytes (a prefix before the longer value):
 * the order every rank in hicard follows.  *n gets their number; NULL when
 * out of memory.  The keys point into m. */
struct hc_ranked *hc_rank_values(const struct hc_strmap *m,
				 uint64_t min_count, size_t *n);

/* Reads a map file: clusters[j] (initialised here) gets the values of
 * names[j] with their cluster ids, k[j] the largest id + 1.  On error every
 * clusters[j] is released. */
int hc_map_read(struct hc_csv_reader *csv, const char *const *names,
		size_t n, struct hc_strmap *clusters, uint64_t *k,
		struct hc_err *err);

#endif
