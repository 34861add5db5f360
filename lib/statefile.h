/* statefile.h - a checksummed container for saved state (sketches,
 * encoder states, models)
 *
 * Layout (little-endian):
 *   8  magic, chosen by the kind of state (e.g. "\x89HCP\r\n\x1a\n")
 *   4  kind version
 *   8  payload length L (at most HC_STATE_MAX)
 *   L  payload (the kind's own serialisation, see lib/buf.h)
 *   4  CRC-32C of the payload
 * and nothing after.  State is read whole (it must fit in memory to be
 * used anyway), so one checksum covers it; a truncated, padded or
 * corrupted file is reported before any of it is decoded.
 */
#ifndef HC_STATEFILE_H
#define HC_STATEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "out.h"

#define HC_STATE_MAX ((uint64_t)64 << 30)

/* Writes a container around payload to out.  0, or -1 with err set. */
int hc_statefile_write(struct hc_out *out, const char magic[8],
		       uint32_t version, const struct hc_buf *payload,
		       struct hc_err *err);

/* Reads path (or stdin for "-") whole and checks it: *data (owned by the
 * caller, hc_free) and *len get the payload.  -1 with err set:
 * "FILE: not a WHAT file", "FILE: WHAT version N is not supported",
 * "FILE: truncated", "FILE: checksum mismatch", ... */
int hc_statefile_read(const char *path, const char magic[8],
		      uint32_t version, const char *what,
		      unsigned char **data, size_t *len, struct hc_err *err);

/* Several containers one after another in one input (cat a.st b.st):
 * each starts with its magic and gives its length, so the end of one is
 * known.  Reads container number idx (0-based, the ones before it read)
 * from in into *data (hc_free) and *len, checking its version, length
 * and checksum before the next is read, so that one is held at a time.
 * Returns 1 when one was read, 0 at the end of the input after at least
 * one, -1 with err set: errors in the first read as hc_statefile_read's,
 * later ones "FILE: state N (from byte B): what is wrong". */
struct hc_in;
int hc_statefile_next(struct hc_in *in, const char magic[8], uint32_t version,
		      const char *what, unsigned idx, unsigned char **data,
		      size_t *len, struct hc_err *err);

#endif
