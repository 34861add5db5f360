/* encode_emit.h - encoded rows out as CSV, libsvm or a binary frame
 *
 * The output columns, in order: the kept columns (--keep) as given, the
 * label when the input has the target column, the row weight when there
 * is one (--weight; named after its input column), then per state column, per
 * encoder in the order onehot, ordinal, count, freq, target, woe, binary,
 * resbit, hash, standardize, log1p, bins, passthrough:
 *
 *   onehot   COL=VALUE per code 0..K-1 and COL=__other__ for code K
 *            (frame: one cat column COL of space K + 1; libsvm: one index
 *            per code)
 *   ordinal  COL_ord: the code, 0..K (frame: cat, space K + 1)
 *   count    COL_count       freq  COL_freq      target  COL_te
 *            (a multiclass target: COL_te=CLASS per class, in --classes
 *            order)
 *   woe      COL_woe         binary COL_bin0..   resbit  COL_rb0..
 *   hash     COL_hash: the ids of the column's hasher, '|' between several
 *            (frame: a cat column of the hasher's space and arity; libsvm:
 *            one index per bucket)
 *   standardize COL_std    log1p COL_log1p   passthrough COL_num (the
 *            number itself; missing: an empty CSV field, no libsvm
 *            feature, NaN in a frame)
 *   bins     COL_qbin: the bin 0..B-1, B if missing (frame: cat, space
 *            B + 1)
 *
 * Numbers, the label and the weight included, are written with 7
 * significant digits (an empty label stays empty in CSV).  libsvm: "LABEL
 * i:v ..." with 1-based indices over the columns above (the kept columns
 * left out), zeros left out; a missing label is written 0; libsvm has no
 * place for a weight, so a writer with one is refused.  Frame: the label
 * as HC_KIND_LABEL (NaN where missing), the weight as HC_KIND_WEIGHT,
 * kept columns as num (their text must be a number), the rest as above,
 * each bit a num column.
 */
#ifndef HC_ENCODE_EMIT_H
#define HC_ENCODE_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/out.h"
#include "src/encode_state.h"

enum hc_enc_format { HC_ENC_FMT_CSV, HC_ENC_FMT_LIBSVM, HC_ENC_FMT_HCB };

/* What one input row contributes.  te and woe (NULL: none) override the
 * in-sample encodings per state column when not NaN (out-of-fold rows). */
struct hc_enc_row {
	const char *const *keep;
	const size_t *keep_len;
	double y;              /* the label (NaN: empty) */
	double w;              /* the row weight, when the writer has one */
	const uint32_t *ids;   /* per state column: id or HC_ENC_UNSEEN */
	const char *const *vals; /* per state column: the value (hash); NULL:
				    the vocabulary's key of ids[j] */
	const size_t *lens;
	const double *te, *woe;
	const double *tec;     /* multiclass: [j * nclasses + k] overrides the
				  in-sample encoding of class k (as te) */
	const double *num;     /* per state column with a numeric encoder:
				  its number (NaN: missing) */
};

struct hc_enc_writer;

/* Writes the header (CSV) or the frame preamble.  keep_names: nkeep
 * names; has_label: the input has the target column; weight: the name of
 * the row weight column (not copied: it must outlive the writer), or NULL
 * for none (HC_ERR_USAGE with libsvm);
 * argc/argv: recorded in a frame's header.  NULL with err set. */
struct hc_enc_writer *hc_enc_writer_open(struct hc_out *out,
					 enum hc_enc_format fmt,
					 const struct hc_enc_state *st,
					 size_t nkeep,
					 const char *const *keep_names,
					 int has_label, const char *weight,
					 int argc, char *const *argv,
					 struct hc_err *err);
/* 0, or -1 with err set (the message has no position: the caller adds it). */
int hc_enc_writer_row(struct hc_enc_writer *w, const struct hc_enc_row *r,
		      struct hc_err *err);
/* Ends a frame and frees w (in every case); the caller closes out. */
int hc_enc_writer_close(struct hc_enc_writer *w, struct hc_err *err);
void hc_enc_writer_abort(struct hc_enc_writer *w);

/* Writes v with 7 significant digits, the same text on every machine:
 * 0 as "0"; from 1e-4 to below 1e6 in fixed notation rounded to 7
 * significant digits, trailing zeros (and a bare point) dropped; from 1e6
 * to below 1e15 as the nearest whole number; anything else (and NaN,
 * infinities) as printf's %.7g. */
int hc_enc_put_real(struct hc_out *o, double v);
/* The text of hc_enc_put_real in buf (HC_ENC_REAL_MAX bytes, not
 * NUL-terminated); returns its length. */
#define HC_ENC_REAL_MAX 40
size_t hc_enc_format_real(char *buf, double v);

#endif
