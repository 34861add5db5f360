/* spill.h - a scratch file written once and read back once, for data a
 * pass derives and a later pass needs that must not stay in memory
 *
 * The file is made in $TMPDIR (else /tmp) and unlinked at once, so that
 * nothing is left behind whatever happens; writes and reads go through a
 * 1 MiB buffer.  Use: hc_spill_open, hc_spill_write..., hc_spill_rewind,
 * hc_spill_read..., hc_spill_close.  Errors name the scratch file's
 * folder.
 */
#ifndef HC_SPILL_H
#define HC_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct hc_spill;

/* NULL with err set. */
struct hc_spill *hc_spill_open(struct hc_err *err);
/* Appends n bytes.  0, or -1 with err set (a full disk, say). */
int hc_spill_write(struct hc_spill *s, const void *p, size_t n,
		   struct hc_err *err);
/* Ends writing; reads start from the first byte written.  0, or -1. */
int hc_spill_rewind(struct hc_spill *s, struct hc_err *err);
/* Reads exactly n bytes.  0, or -1 with err set (a read error, or fewer
 * than n bytes left). */
int hc_spill_read(struct hc_spill *s, void *p, size_t n, struct hc_err *err);
/* Bytes written so far. */
uint64_t hc_spill_bytes(const struct hc_spill *s);
/* Closes (and so frees the disk space of) s; NULL is fine. */
void hc_spill_close(struct hc_spill *s);

#endif
