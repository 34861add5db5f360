/* in.h - an input file or stdin, read in large chunks with checked errors
 *
 * Every reader in hicard (CSV, frames, state files) reads through this, so
 * "-" means stdin everywhere, a read error (EIO) is always reported with the
 * file's name, and the size of a regular file is known for the progress
 * meter.  Reading never seeks: pipes work.
 */
#ifndef HC_IN_H
#define HC_IN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

struct hc_in {
	int fd;
	char *name;     /* as given, or "stdin" */
	uint64_t size;  /* bytes, for a regular file; 0 if unknown */
	uint64_t pos;   /* bytes read so far */
};

/* Opens path, or stdin for NULL or "-".  NULL with err set on failure. */
struct hc_in *hc_in_open(const char *path, struct hc_err *err);
/* Reads up to cap bytes; returns the count (0 at end of input), or -1 with
 * err set. */
ssize_t hc_in_read(struct hc_in *in, void *buf, size_t cap,
		   struct hc_err *err);
/* Reads exactly n bytes.  Returns n, fewer only at end of input, -1 on a
 * read error. */
ssize_t hc_in_read_full(struct hc_in *in, void *buf, size_t n,
			struct hc_err *err);
/* Closes (never stdin) and frees; NULL is allowed. */
void hc_in_close(struct hc_in *in);

#endif
