/* train.h - the training loop: epochs, shuffling, threads, early stopping
 *
 * Rows (mf: positive pairs) are cut into chunks of HC_TRAIN_CHUNK; every
 * epoch visits the chunks in a seeded random order and the rows of each
 * chunk in a seeded random order of their own, so the order depends on
 * --seed and the epoch only, never on the threads.  With one thread a run
 * is fully deterministic; with more, workers take chunks from a shared
 * counter and update the parameters without locks (Hogwild), which is
 * fast and converges as well but is not bit-for-bit repeatable.  Chunks
 * (not single rows) keep each worker's rows close in memory.
 *
 * After every epoch: the loss (weighted mean), the time, and with a
 * validation frame its metrics; the first metric decides early stopping
 * (--patience epochs without improvement) and the best epoch's parameters
 * are the ones kept.  A loss that stops being finite ends training with
 * an error and the parameters of the last finite epoch put back.
 */
#ifndef HC_TRAIN_H
#define HC_TRAIN_H

#include <cjson/cJSON.h>

#include "lib/err.h"
#include "lib/team.h"
#include "src/dataset.h"
#include "src/evaluate.h"
#include "src/model.h"
#include "src/stream.h"

#define HC_TRAIN_CHUNK 4096

struct hc_train_opts {
	uint64_t epochs;
	uint64_t patience;       /* 0: never stop early */
	uint32_t negatives;      /* mf: sampled items per positive */
	const struct hc_metric_spec *valid_spec;
	size_t nvalid;
};

/* Called after each chunk a worker finishes (by the calling thread only
 * when single-threaded) and after each epoch (done == total). */
typedef void (*hc_train_progress_fn)(void *arg, uint64_t epoch,
				     uint64_t done, uint64_t total,
				     double loss, const cJSON *valid);

/* The task a label column asks for: binary if every label is 0 or 1
 * (and the frame is not empty), else regression. */
enum hc_task hc_train_task(const struct hc_dataset *d);

/* Trains m (made by hc_model_init with train set, on tr's schema) on tr;
 * va (or NULL) is the validation frame.  log gets "epochs" (per epoch:
 * loss, seconds, rows_per_second, valid), "best_epoch" and "best".
 * 0, or -1 with err set; after a divergence (err says so) log has
 * "diverged": true and m holds the last good parameters. */
int hc_train(struct hc_model *m, const struct hc_dataset *tr,
	     const struct hc_dataset *va, const struct hc_train_opts *o,
	     struct hc_team *team, hc_train_progress_fn cb, void *cbarg,
	     cJSON *log, struct hc_err *err);

/* As hc_train, over a frame streamed from its file (src/stream.h): each
 * epoch takes s's blocks in a seeded order, a window at a time, the
 * window's rows shuffled together (from --seed, the epoch and the window:
 * one thread is deterministic here too).  logreg and fm only (mf: a usage
 * error).  An error reading a window says "epoch N: FILE: block K: ...". */
int hc_train_stream(struct hc_model *m, struct hc_stream *s,
		    const struct hc_dataset *va, const struct hc_train_opts *o,
		    struct hc_team *team, hc_train_progress_fn cb, void *cbarg,
		    cJSON *log, struct hc_err *err);

#endif
