/* frame_text.h - frame rows to and from text: CSV fields, CSV rows, libsvm
 *
 * Shared by `show` (both ways) and by hash/encode, which carry label and
 * numeric columns of a CSV into a frame unchanged.
 *
 * Text forms: a cat value is its id in decimal; several ids (fixed arity
 * above 1, or variable) are joined by '|' ("3|17|42"; "" is zero ids); a
 * label, weight or num value is a decimal number as strtod reads it, and is
 * written in the shortest form that reads back to the same binary32.
 *
 * libsvm: "LABEL INDEX:VALUE ..." with 1-based indices in increasing order.
 * Column j's features start after all earlier columns' (a cat column takes
 * its id space, a num column one index); a cat id i of column j is index
 * offset_j + i + 1 with value 1 (summed where ids repeat).  Weight columns
 * are left out (libsvm has no place for them), and so are NaN numbers (a
 * missing value is an absent feature); without a label, 0.
 */
#ifndef HC_FRAME_TEXT_H
#define HC_FRAME_TEXT_H

#include "csv_write.h"
#include "frame.h"

#define HC_FRAME_TEXT_IDS_MAX 1024 /* ids one text field may hold */

/* Parses the text of one field for column col and puts it in the current
 * row.  0, or -1 with err set: the message says what is wrong with the
 * value, and the caller puts the position (hc_csv_where) in front. */
int hc_frame_put_text(struct hc_frame_writer *w,
		      const struct hc_frame_schema *s, size_t col,
		      const char *text, size_t len, struct hc_err *err);

/* Writes n ids as one CSV field in the text form above. */
int hc_csv_write_ids(struct hc_csv_writer *cw, const uint32_t *ids, size_t n);

/* Writes row i of block b as CSV fields (no row end). */
int hc_frame_row_to_csv(struct hc_csv_writer *cw,
			const struct hc_frame_schema *s,
			const struct hc_frame_block *b, size_t i);

struct hc_libsvm {
	uint64_t *offset;      /* per column: first feature index - 1 */
	struct { uint64_t idx; float val; } *feat;
	size_t feat_cap;
};

/* Prepares column offsets.  0, or -1 (out of memory). */
int hc_libsvm_init(struct hc_libsvm *l, const struct hc_frame_schema *s,
		   struct hc_err *err);
/* Writes row i of block b as one libsvm line.  0, or -1 (out's error). */
int hc_libsvm_write_row(struct hc_libsvm *l, struct hc_out *out,
			const struct hc_frame_schema *s,
			const struct hc_frame_block *b, size_t i,
			struct hc_err *err);
void hc_libsvm_release(struct hc_libsvm *l);

#endif
