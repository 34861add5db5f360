/* fuzz_csv.c - libFuzzer target: the CSV reader (lib/csv_read.h)
 *
 * Input: one option byte, then the CSV text.  The option byte picks the
 * delimiter (bits 0-1: , TAB ; |), no header (bit 2), rows one at a time
 * or by batch (bit 3), and the source (bit 4: a memory file; otherwise
 * stdin in pieces of 1 + bits 5-7 * 9 bytes, so that fields, quotes, CRLF
 * pairs and the BOM are cut across reads).  Every row is walked and the
 * reader's promises checked: as many fields as columns, each
 * NUL-terminated with no NUL inside, at most HC_CSV_FIELD_MAX bytes, line
 * numbers never going back.
 */
#include <string.h>

#include "fuzz.h"
#include "lib/csv_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *f, size_t len)
{
	FZ_CHECK(f[len] == '\0');
	FZ_CHECK(len <= HC_CSV_FIELD_MAX);
	FZ_CHECK(memchr(f, '\0', len) == NULL);
}

static void walk_rows(struct hc_csv_reader *r, size_t ncols)
{
	struct hc_csv_row row;
	struct hc_err err = {0};
	uint64_t last = 0;
	int rc;

	while ((rc = hc_csv_next(r, &row, &err)) == 1) {
		FZ_CHECK(row.nfields == ncols);
		FZ_CHECK(row.line >= last);
		last = row.line;
		for (size_t j = 0; j < ncols; j++)
			check_field(hc_csv_field(&row, j), hc_csv_field_len(&row, j));
	}
	FZ_CHECK(rc == 0 || err.msg[0]);
}

static void walk_batches(struct hc_csv_reader *r, size_t ncols)
{
	const struct hc_csv_batch *b;
	struct hc_err err = {0};
	char where[512];
	int rc;

	while ((rc = hc_csv_next_batch(r, &b, &err)) == 1) {
		FZ_CHECK(b->nrows > 0 && b->ncols == ncols);
		/* nfields also counts a row still being read (carried over). */
		FZ_CHECK(b->nfields >= b->nrows * ncols);
		for (size_t k = 0; k < b->nrows * ncols; k++) {
			FZ_CHECK(b->off[k] + (size_t)b->len[k] < b->buf_len + 1);
			check_field(b->buf + b->off[k], b->len[k]);
		}
		hc_csv_where(r, b->line[b->nrows - 1], ncols - 1, where, sizeof(where));
	}
	FZ_CHECK(rc == 0 || err.msg[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = {',', '\t', ';', '|'};
	struct hc_csv_opts o = {0};
	struct hc_csv_reader *r;
	struct hc_err err = {0};
	struct fz_input in;
	uint8_t opt;
	size_t ncols;

	if (size < 1)
		return 0;
	opt = data[0];
	data++;
	size--;
	o.delim = delims[opt & 3];
	o.no_header = (opt >> 2) & 1;
	if ((opt & 16) ? fz_memfile(&in, data, size)
		       : fz_stdin(&in, data, size, 1 + (size_t)(opt >> 5) * 9))
		return 0;
	r = hc_csv_open(in.path, &o, &err);
	if (!r) {
		FZ_CHECK(err.msg[0]);
		fz_done(&in);
		return 0;
	}
	ncols = hc_csv_ncols(r);
	FZ_CHECK(ncols <= HC_CSV_MAX_COLS);
	for (size_t j = 0; j < ncols; j++)
		FZ_CHECK(hc_csv_colname(r, j) != NULL);
	if (ncols > 0) {
		if (opt & 8)
			walk_batches(r, ncols);
		else
			walk_rows(r, ncols);
	}
	hc_csv_close(r);
	fz_done(&in);
	return 0;
}
