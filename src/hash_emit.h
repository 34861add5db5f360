/* hash_emit.h - writing hashed batches in hash's output formats
 *
 * CSV: the input's columns in order, each hashed column's field replaced
 * by its ids ("17", or "3|17" for several, "" for none), every other field
 * as it was.  hcb: the frame of hash_run.h.  libsvm: frame_text.h's
 * lines.  vw: "LABEL [WEIGHT] |h NAME=ID ... NUM:VALUE ..." with one
 * namespace h, one feature per id, names with ' ', ':' and '|' replaced
 * by '_' (characters VW reads as separators).
 */
#ifndef HC_HASH_EMIT_H
#define HC_HASH_EMIT_H

#include "lib/csv_read.h"
#include "lib/frame.h"
#include "lib/out.h"
#include "src/hash_run.h"

struct hc_hash_emit;

/* Starts the output (a CSV header, a frame's header).  NULL with err set. */
struct hc_hash_emit *hc_hash_emit_open(const struct hc_hash_job *j,
				       const struct hc_frame_schema *s,
				       struct hc_out *out, struct hc_err *err);
/* Writes the rows of batch b, whose ids and values are in blk. */
int hc_hash_emit_batch(struct hc_hash_emit *e, const struct hc_csv_batch *b,
		       const struct hc_frame_block *blk, struct hc_err *err);
/* Finishes the output (a frame's end block) and frees e, in every case. */
int hc_hash_emit_close(struct hc_hash_emit *e, struct hc_err *err);
void hc_hash_emit_abort(struct hc_hash_emit *e);

#endif
