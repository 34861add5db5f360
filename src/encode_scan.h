/* encode_scan.h - the passes of `hicard encode` over a CSV stream: fitting
 * a state, and encoding rows with it (in sample or out of fold)
 *
 * apply keeps nothing per row: memory is the state and the reader's
 * buffers.  fit-apply reads its input twice: the first pass fits the state
 * and, for the out-of-fold encoders, sums per fold (K-fold) or records each
 * row's value ids and target (ordered, which needs the whole permutation);
 * the second encodes.
 */
#ifndef HC_ENCODE_SCAN_H
#define HC_ENCODE_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "lib/csv_read.h"
#include "lib/err.h"
#include "lib/progress.h"
#include "lib/spill.h"
#include "src/encode_emit.h"
#include "src/encode_state.h"
#include "src/encode_target.h"

/* Where a state's columns are in one input file. */
struct hc_enc_layout {
	size_t *col;   /* per state column: input column */
	long target;   /* input column of the target, or -1 */
	size_t nkeep;
	size_t *keep;  /* input columns passed through */
	long weight;   /* input column of the row weight, or -1 */
};

/* Finds the state's columns (by name) in csv.  need_target: a missing
 * target column is an error (fitting).  keep: a -s style list, or NULL.
 * No weight column (hc_enc_layout_weight sets one).  0, or -1 with err
 * set. */
int hc_enc_layout_init(struct hc_enc_layout *l, const struct hc_enc_state *st,
		       const struct hc_csv_reader *csv, const char *keep,
		       int need_target, struct hc_err *err);
/* The row weight column (weight: a name or 1-based index as for -s; NULL:
 * none) into l->weight, after hc_enc_layout_init.  A column that the
 * state encodes, the target or a kept column cannot also be the weight
 * (HC_ERR_USAGE: it would be written twice, or weigh the rows by their
 * own feature or label without saying so).  0, or -1 with err set. */
int hc_enc_layout_weight(struct hc_enc_layout *l, const struct hc_enc_state *st,
			 const struct hc_csv_reader *csv, const char *weight,
			 struct hc_err *err);
void hc_enc_layout_release(struct hc_enc_layout *l);

/* Out-of-fold encoding of the training rows (fit-apply).
 *
 * Recording: within a byte budget, the fit pass keeps every row's value
 * ids (4 bytes a column) and target (8 bytes, when the state has a
 * target column), so that fit-apply encodes from memory instead of
 * reading and parsing its input again (which also lets it read stdin).
 * K-fold sums of a recorded fit are added from the recording at the end
 * (hc_enc_oof_finish), when each column's number of values is known.
 * Past the budget the recording is dropped (its rows go to the fold sums
 * then; ordered statistics keep the target columns' ids: they need the
 * whole permutation) and the input is read a second time. */
struct hc_enc_oof {
	uint32_t folds;          /* K of K-fold; 0 with ordered */
	int ordered;
	uint64_t seed;
	struct hc_te_folds *f;   /* per state column (K-fold) */
	int full;                /* every column is recorded */
	uint64_t budget;         /* bytes for recorded rows */
	uint32_t **ids;          /* per state column, per row; NULL: not kept */
	double *y;               /* per row, when recording with a target */
	int weighted;            /* the fit's layout has a weight column (set
				    by hc_enc_fit) */
	double *w;               /* per row, when recording with a weight */
	double **num;            /* per numeric state column, per row, when
				    recording (8 bytes a row) */
	size_t nrows, cap;
	float **te, **woe;       /* ordered: results per column, per row */
	size_t ncols;            /* state columns, for release */
	/* multiclass (st->nclasses = ncl > 0): per target column j and class
	 * k, [j * ncl + k], the K-fold sums of the indicator [y == k] (fc;
	 * f is not used then) or the ordered results (tec) */
	uint32_t ncl;
	struct hc_te_folds *fc;
	float **tec;
	double *yk;              /* scratch: the classes' indicators */
	size_t ykcap;
	/* K-fold without recording, hc_enc_oof_spill: the fit pass writes
	 * each batch's row count, targets, weights (when weighted), value ids
	 * (per column) and numbers (per numeric column) to a scratch file,
	 * and the encoding
	 * pass reads them back instead of parsing and looking up the input
	 * again (36 bytes a row for 7 target-encoded columns, on disk) */
	struct hc_spill *spill;
	uint64_t spilled;        /* rows */
};

/* budget: bytes for recording every row (0: never).  0, or -1 with err
 * set.  Nothing is allocated for columns without a target encoder. */
int hc_enc_oof_init(struct hc_enc_oof *o, const struct hc_enc_state *st,
		    uint32_t folds, int ordered, uint64_t seed,
		    uint64_t budget, struct hc_err *err);
/* K-fold (budget 0): the fit pass spills its batches to a scratch file
 * for hc_enc_apply_spilled.  0, or -1 with err set. */
int hc_enc_oof_spill(struct hc_enc_oof *o, struct hc_err *err);
/* Frees what init and the passes allocated (also after a failed init). */
void hc_enc_oof_release(struct hc_enc_oof *o);
/* Once the fit pass is done: ordered, computes every row's encodings;
 * K-fold with rows recorded, adds them to the fold sums. */
int hc_enc_oof_finish(struct hc_enc_oof *o, const struct hc_enc_state *st,
		      struct hc_err *err);

/* --classes auto: the distinct nonempty labels of csv's column col,
 * sorted bytewise, become st's classes (hc_enc_set_classes).  More than
 * HC_ENC_CLASSES_MAX of them is an error naming the column.  0, or -1
 * with err set. */
int hc_enc_auto_classes(struct hc_enc_state *st, struct hc_csv_reader *csv,
			long col, struct hc_err *err);

/* Adds every row of csv to st (and to oof, if not NULL); finalizes st.
 * An input without rows is an error, and so is a column of standardize or
 * bins without a number.  Numeric encoders' fields: empty is missing;
 * anything else must be a finite number of at most 1e100 in size (and
 * above -1 for log1p), or the pass stops with the field's position; apply
 * checks the same.  With a weight column in l (fit-apply), every row's
 * weight is checked (hc_enc_weight_parse) and recorded or spilled with
 * the row.  0, or -1 with err set. */
int hc_enc_fit(struct hc_enc_state *st, struct hc_csv_reader *csv,
	       const struct hc_enc_layout *l, struct hc_enc_oof *oof,
	       struct hc_progress *prog, struct hc_err *err);

/* Encodes every row of csv to w: in sample, or with oof (the same input
 * as the fit pass) out of fold; with a weight column in l, each row with
 * its weight (checked as by hc_enc_fit).  0, or -1 with err set. */
int hc_enc_apply(const struct hc_enc_state *st, struct hc_csv_reader *csv,
		 const struct hc_enc_layout *l, const struct hc_enc_oof *oof,
		 struct hc_enc_writer *w, struct hc_progress *prog,
		 struct hc_err *err);

/* Encodes the rows recorded in oof (oof->full) to w.  0, or -1. */
int hc_enc_apply_recorded(const struct hc_enc_state *st,
			  const struct hc_enc_oof *oof,
			  struct hc_enc_writer *w, struct hc_err *err);

/* Encodes the rows spilled by the fit pass (oof->spill) to w.  0, or -1. */
int hc_enc_apply_spilled(const struct hc_enc_state *st,
			 const struct hc_enc_oof *oof,
			 struct hc_enc_writer *w, struct hc_err *err);

#endif
