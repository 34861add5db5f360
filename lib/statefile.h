/* statefile.h - a checksummed container for saved state (sketches,
 * encoder states, models)
 *
 * Layout (little-endian):
 *   8  magic, chosen by the kind of state (e.g. "\x89HCP\r\n\x1a\n")
 *   4  kind version
 *   8  payload length L (at most HC_STATE_MAX)
 *   L  payload (the kind's own serialisation, see lib/buf.h)
 *   4  CRC-32C of the payload
 * and nothing after.  One checksum covers the payload.  hc_statefile_read
 * reads a state whole and reports a truncated, padded or corrupted file
 * before any of it is decoded; hc_statefile_open decodes a big state as
 * it is read and reports the same damage at the end, in place of what
 * decoding found.
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

/* The same with a payload that fill puts into the buffer it is given (0,
 * or -1 when out of memory).  To a file, the payload is written as it is
 * made, a megabyte at a time (hc_buf's sink), and the length in the head
 * is filled in at the end (hc_out_patch): a 540 MB encoder state then
 * needs no 540 MB buffer beside the state itself.  To stdout, the payload
 * is made whole first. */
int hc_statefile_write_with(struct hc_out *out, const char magic[8],
			    uint32_t version,
			    int (*fill)(struct hc_buf *b, void *arg),
			    void *arg, struct hc_err *err);

/* Reads path (or stdin for "-") whole and checks it: *data (owned by the
 * caller, hc_free) and *len get the payload.  -1 with err set:
 * "FILE: not a WHAT file", "FILE: WHAT version N is not supported",
 * "FILE: truncated", "FILE: checksum mismatch", ... */
int hc_statefile_read(const char *path, const char magic[8],
		      uint32_t version, const char *what,
		      unsigned char **data, size_t *len, struct hc_err *err);

/* A state decoded as it is read.  A regular file's payload is read in
 * windows of HC_STATE_WINDOW bytes (more only for a field longer than
 * that) through r->cur, which refills itself (hc_cursor_src), so that a
 * 500 MB encoder state takes a small buffer, not 500 MB of fresh memory
 * (on a virtual machine, faulting that in was a third of the load), and
 * decoding overlaps reading.  The checksum is then known only at the end:
 * hc_statefile_finish reads what the decoder left and checks it, and
 * when the file turns out truncated, damaged or unreadable, that is the
 * error reported, not the decoder's (which a damaged file can cause).
 * From a pipe, the payload is read whole and checked first, as by
 * hc_statefile_read: its length is only a claim there, and a decoder
 * must not allocate by a count the file may not back. */
#define HC_STATE_WINDOW ((size_t)1 << 20)

struct hc_in;
struct hc_state_reader {
	struct hc_cursor cur; /* the payload, for the kind's decoder */
	uint32_t version;     /* the file's */
	/* private */
	struct hc_in *in;
	struct hc_cursor_src src;
	unsigned char *buf;
	size_t cap;
	uint32_t crc;
	int failed;           /* a read error, in ->read_err */
	int short_read;       /* the file ended before its length */
	struct hc_err read_err;
};

/* Opens path (stdin for "-" or NULL) and reads its head: a version from
 * min_version to max_version is accepted (r->version tells which).  -1
 * with err set as hc_statefile_read's errors; on success, the caller
 * decodes r->cur and then calls hc_statefile_finish. */
int hc_statefile_open(struct hc_state_reader *r, const char *path,
		      const char magic[8], uint32_t min_version,
		      uint32_t max_version, const char *what,
		      struct hc_err *err);
/* After the decoder: decoded is its result (0 or -1 with err set).
 * Reads the rest, checks the checksum and that nothing follows, and
 * closes.  Returns 0, or -1 with err set: a read error or a damaged file
 * first, the decoder's error otherwise. */
int hc_statefile_finish(struct hc_state_reader *r, int decoded,
			struct hc_err *err);

/* Several containers one after another in one input (cat a.st b.st):
 * each starts with its magic and gives its length, so the end of one is
 * known.  Reads container number idx (0-based, the ones before it read)
 * from in into *data (hc_free) and *len, checking its version, length
 * and checksum before the next is read, so that one is held at a time.
 * Returns 1 when one was read, 0 at the end of the input after at least
 * one, -1 with err set: errors in the first read as hc_statefile_read's,
 * later ones "FILE: state N (from byte B): what is wrong". */
int hc_statefile_next(struct hc_in *in, const char magic[8], uint32_t version,
		      const char *what, unsigned idx, unsigned char **data,
		      size_t *len, struct hc_err *err);

#endif
