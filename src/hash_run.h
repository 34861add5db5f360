/* hash_run.h - hashing a CSV stream, batch by batch, into CSV, a frame,
 * libsvm or Vowpal Wabbit text
 *
 * Each batch of rows is turned into a frame block in memory (the ids of
 * every hashed column, keys, label, weight and numeric values, as
 * frame.h's column views) and then written in the chosen format, so that
 * every format is written from the same ids.  With two threads or more, one
 * worker hashes and writes batch k while this thread parses batch k + 1;
 * the output does not depend on the number of threads.
 *
 * Frame columns, in order: the label, the weight, the hashed columns (in
 * selection order), with --keys one key column per hashed column
 * (NAME.key), then the numeric columns.
 */
#ifndef HC_HASH_RUN_H
#define HC_HASH_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "lib/csv_read.h"
#include "lib/frame.h"
#include "lib/out.h"
#include "lib/progress.h"
#include "src/hash_scheme.h"
#include "src/hash_stats.h"

enum hc_hash_format { HC_HASH_CSV, HC_HASH_HCB, HC_HASH_LIBSVM, HC_HASH_VW };

struct hc_hash_job {
	struct hc_csv_reader *csv;
	enum hc_hash_format format;
	int header;                    /* CSV output: write the header row */
	char delim;                    /* CSV output delimiter */
	size_t nhash;
	const size_t *hcols;           /* the CSV column of each hashed column */
	const struct hc_col_hasher *h; /* nhash hashers */
	struct hc_hash_stats *stats;   /* nhash, or NULL */
	long label, weight;            /* CSV columns, or -1 */
	size_t nnum;
	const size_t *ncols;           /* CSV columns carried as numbers */
	int keys, skip_empty;
	unsigned threads;
	struct hc_progress *prog;      /* or NULL */
};

/* The frame schema of the job's output, with each hashed column's scheme,
 * hash function and seed recorded.  0, or -1 with err set. */
int hc_hash_schema(const struct hc_hash_job *j, uint64_t seed,
		   struct hc_frame_schema *s, struct hc_err *err);

/* Reads every row of j->csv and writes the output to out (the caller
 * opened it and closes it).  0, or -1 with err set (bad data names its
 * file, line and column). */
int hc_hash_run(const struct hc_hash_job *j, const struct hc_frame_schema *s,
		struct hc_out *out, struct hc_err *err);

#endif
