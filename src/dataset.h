/* dataset.h - a frame's rows held in memory, column by column, for training
 *
 * Training makes many passes in shuffled order, so the rows of a frame are
 * read once (every block checked by lib/frame_read.c) into one contiguous
 * array per column; an epoch then costs no parsing and no checksums.  Values
 * a model cannot learn from are refused here, once: NaN or infinite labels,
 * weights and numbers, and negative weights.
 *
 * Ownership: a dataset owns its arrays and a copy of the frame's schema.
 */
#ifndef HC_DATASET_H
#define HC_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/frame.h"

struct hc_dcol {
	uint32_t *ids;    /* cat: fixed arity k: row i at i*k; var: start[] */
	uint64_t *start;  /* cat, variable arity: nrows + 1 offsets */
	float *num;       /* label, weight, num */
	uint64_t *keys;   /* key */
	size_t len, cap;  /* values held (ids, nums or keys) */
};

struct hc_dataset {
	struct hc_frame_schema schema;
	size_t nrows;
	struct hc_dcol *cols; /* one per schema column */
};

/* Reads every remaining block of r.  0, or -1 with err set: the reader's
 * errors, or "row N: column 'NAME' (J): label is NaN" and the like (rows
 * counted from 1; the caller puts the file name in front). */
int hc_dataset_load(struct hc_dataset *d, struct hc_frame_reader *r,
		    struct hc_err *err);
void hc_dataset_release(struct hc_dataset *d);

/* The pieces of hc_dataset_load, for a dataset that holds a window of a
 * frame's blocks at a time (src/stream.h): init on the frame's header
 * text, add blocks (their values checked as above), finish once the rows
 * are in, clear to hold other blocks (the arrays keep their memory). */
int hc_dataset_init(struct hc_dataset *d, const char *header_text,
		    struct hc_err *err);
int hc_dataset_add_block(struct hc_dataset *d, const struct hc_frame_block *b,
			 struct hc_err *err);
int hc_dataset_finish(struct hc_dataset *d, struct hc_err *err);
void hc_dataset_clear(struct hc_dataset *d);

/* Ids of row i of column j; *n gets their count. */
static inline const uint32_t *hc_dataset_ids(const struct hc_dataset *d,
					     size_t j, size_t i, size_t *n)
{
	const struct hc_dcol *c = &d->cols[j];
	uint32_t k = d->schema.cols[j].arity;

	if (k == HC_ARITY_VAR) {
		*n = (size_t)(c->start[i + 1] - c->start[i]);
		return c->ids + c->start[i];
	}
	*n = k;
	return c->ids + i * k;
}

#endif
