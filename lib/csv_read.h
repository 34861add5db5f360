/* csv_read.h - streaming CSV reader over libcsv, in batches of rows
 *
 * Reads a file or stdin in 1 MiB chunks through libcsv and hands out rows.
 * What it guarantees, beyond libcsv:
 *   - fields keep their spaces (libcsv trims unquoted fields by default);
 *   - a UTF-8 byte-order mark at the start is dropped; CRLF, LF and CR ends;
 *   - blank lines are skipped (but counted), so a one-column file writes an
 *     empty value as "";
 *   - strict quoting: a quote inside an unquoted field, text after a closing
 *     quote and a quote left open at the end of input are errors;
 *   - every row has as many fields as the first row (ragged rows are errors);
 *   - no field is over HC_CSV_FIELD_MAX bytes, no NUL byte appears;
 *   - line numbers are physical lines (a quoted newline counts), and errors
 *     read "FILE:LINE: column 'NAME' (N): what is wrong".
 *
 * Rows come in batches (all the rows that one chunk completed; a chunk is a
 * whole 1 MiB even from a pipe, so batches do not depend on how the input
 * arrives) so that a
 * consumer can hand whole batches to threads; hc_csv_next walks them one row
 * at a time for everyone else.  A batch stays valid until the second call
 * that reads after the one that returned it (two batches are filled in
 * turn), so that threads can work on one batch while the next is read; a
 * row from hc_csv_next is likewise valid until the second next batch.
 */
#ifndef HC_CSV_READ_H
#define HC_CSV_READ_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Largest field accepted.  Bounds the memory one malformed file (an opening
 * quote never closed) can take before it is reported. */
#define HC_CSV_FIELD_MAX ((size_t)64 << 20)
/* Most columns a file may have: far beyond any real table, small enough
 * that per-column state in a subcommand stays bounded. */
#define HC_CSV_MAX_COLS ((size_t)1 << 20)

struct hc_csv_opts {
	char delim;     /* ',' by default; '\t' for -t */
	int no_header;  /* -n: the first row is data; columns are named 1..N */
};

/* Rows of a batch: row i has fields [i*ncols, (i+1)*ncols).  Field k is
 * buf + off[k], len[k] bytes long and NUL-terminated. */
struct hc_csv_batch {
	size_t nrows, ncols;
	char *buf;
	size_t buf_len, buf_cap;
	uint32_t *off, *len;
	size_t nfields, fields_cap;
	uint64_t *line;  /* physical line where row i starts */
	size_t line_cap;
};

struct hc_csv_row {
	const char *buf;
	const uint32_t *off;
	const uint32_t *len;
	size_t nfields;
	uint64_t line;
};

static inline const char *hc_csv_field(const struct hc_csv_row *r, size_t j)
{
	return r->buf + r->off[j];
}

static inline size_t hc_csv_field_len(const struct hc_csv_row *r, size_t j)
{
	return r->len[j];
}

struct hc_csv_reader;

/* Opens path (NULL or "-": stdin) and reads the header row (or, with
 * no_header, looks ahead to count the columns).  An empty input is an error
 * with a header, zero columns without.  NULL with err set on failure. */
struct hc_csv_reader *hc_csv_open(const char *path,
				  const struct hc_csv_opts *opts,
				  struct hc_err *err);

size_t hc_csv_ncols(const struct hc_csv_reader *r);
/* Column name j (0-based): the header's field, or "1".."N" without one. */
const char *hc_csv_colname(const struct hc_csv_reader *r, size_t j);
const char *const *hc_csv_colnames(const struct hc_csv_reader *r);
/* The input's name as given, or "stdin". */
const char *hc_csv_name(const struct hc_csv_reader *r);
/* Bytes read so far and total size (0 when unknown), for progress. */
uint64_t hc_csv_bytes_read(const struct hc_csv_reader *r);
uint64_t hc_csv_bytes_total(const struct hc_csv_reader *r);

/* Next row: 1 with *row filled, 0 at end of input, -1 with err set. */
int hc_csv_next(struct hc_csv_reader *r, struct hc_csv_row *row,
		struct hc_err *err);

/* Next batch (at least one row): 1, 0 at end of input, -1 with err set.
 * The batch belongs to the reader.  Not to be mixed with hc_csv_next. */
int hc_csv_next_batch(struct hc_csv_reader *r,
		      const struct hc_csv_batch **batch, struct hc_err *err);

/* Writes "FILE:LINE: column 'NAME' (N): " style position text for column j
 * (0-based) of a row at line into buf; used by callers reporting bad values
 * so every message names its place the same way. */
void hc_csv_where(const struct hc_csv_reader *r, uint64_t line, size_t j,
		  char *buf, size_t cap);

void hc_csv_close(struct hc_csv_reader *r);

#endif
