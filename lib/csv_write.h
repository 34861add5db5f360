/* csv_write.h - RFC 4180 CSV rows onto an hc_out
 *
 * A field is quoted when it holds the delimiter, a quote, CR or LF (quotes
 * doubled inside).  A row whose only field is empty is written as "" so
 * that it does not read back as a blank line (which readers skip).
 * Errors are those of the hc_out underneath: each call returns 0 or -1.
 */
#ifndef HC_CSV_WRITE_H
#define HC_CSV_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "out.h"

struct hc_csv_writer {
	struct hc_out *out;
	char delim;
	size_t col;       /* fields written in the current row */
	int only_empty;   /* the row so far is one empty field */
};

void hc_csv_writer_init(struct hc_csv_writer *w, struct hc_out *out,
			char delim);
int hc_csv_write_field(struct hc_csv_writer *w, const char *s, size_t len);
int hc_csv_write_str(struct hc_csv_writer *w, const char *s);
int hc_csv_write_u64(struct hc_csv_writer *w, uint64_t v);
int hc_csv_write_float(struct hc_csv_writer *w, float v);
int hc_csv_end_row(struct hc_csv_writer *w);
/* Writes n fields and ends the row. */
int hc_csv_write_row(struct hc_csv_writer *w, const char *const *fields,
		     size_t n);

#endif
