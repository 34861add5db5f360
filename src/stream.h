/* stream.h - a frame trained on from its file, a window of blocks at a time
 *
 * A frame larger than the memory training may use is not loaded: a first
 * pass reads every block (checked as always by lib/frame_read.c, values
 * checked as src/dataset.c does) and notes where each block starts, its
 * rows and its bytes, and whether every label is 0 or 1.  Then every epoch
 * visits the blocks in a random order drawn from the seed and the epoch,
 * a window of W blocks at a time: the window's blocks are read again from
 * the file (and checked again: a file changed or damaged since is
 * reported with its block) into one dataset, whose rows the training loop
 * shuffles together.  Memory is the window, whatever the frame's size.
 *
 * W is the most blocks whose rows (and the training loop's 4 bytes a row
 * of shuffling) fit half the budget: the window's arrays grow by doubling,
 * so they stay under the budget.  A block larger than that is a window of
 * its own.  Streaming needs a regular file: a pipe cannot be read again.
 *
 * Ownership: a stream owns its input, reader, index and window.
 */
#ifndef HC_STREAM_H
#define HC_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/frame.h"
#include "lib/in.h"
#include "src/dataset.h"

struct hc_stream_block {
	uint64_t offset;     /* of its block header in the file */
	uint64_t first_row;  /* 0-based */
	uint64_t cost;       /* bytes it takes in a window */
	uint32_t rows;
};

struct hc_stream {
	struct hc_in *in;
	struct hc_frame_reader *r;
	struct hc_dataset win;     /* the current window's rows */
	size_t nblocks;
	struct hc_stream_block *blocks;
	uint64_t nrows;
	size_t window;             /* blocks a window (W) */
	size_t max_rows;           /* rows of the largest window */
	int binary;                /* every label is 0 or 1 */
	uint32_t *order;           /* this epoch's block order */
	size_t next;               /* next place in order */
};

/* Half the machine's memory: --memory's default. */
uint64_t hc_stream_default_budget(void);

/* Opens path (a regular file) and reads it once, windows sized for
 * budget bytes.  0, or -1 with err set ("FILE: ..."; HC_ERR_USAGE when
 * path is not a regular file). */
int hc_stream_open(struct hc_stream *s, const char *path, uint64_t budget,
		   struct hc_err *err);
/* Starts an epoch: the blocks' order for this seed and epoch. */
void hc_stream_shuffle(struct hc_stream *s, uint64_t seed, uint64_t epoch);
/* Reads the epoch's next window into s->win: 1, 0 when the epoch is
 * done, -1 with err set ("FILE: block N: ...", or "FILE: row N: ..."). */
int hc_stream_next(struct hc_stream *s, struct hc_err *err);
void hc_stream_close(struct hc_stream *s);

/* Where training takes path from: a regular file larger than budget
 * bytes, or any file when force is set, is streamed (s opened: 1); else
 * the frame is loaded into d (0), where a pipe that brings more than
 * budget bytes is an error.  -1 with err set ("FILE: ..."). */
int hc_stream_or_load(const char *path, uint64_t budget, int force,
		      struct hc_dataset *d, struct hc_stream *s,
		      struct hc_err *err);

#endif
