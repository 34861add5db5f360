/* fuzz.h - what the libFuzzer targets in tests/fuzz/ share
 *
 * Each target is one file, fuzz_NAME.c, defining LLVMFuzzerTestOneInput
 * for one reader; the Makefile builds every tests/fuzz/fuzz_*.c into
 * build/fuzz/NAME (clang, -fsanitize=fuzzer,address,undefined) and seeds
 * it from tests/fuzz/seeds.sh.  Readers take a path, so the helpers below
 * hand them the fuzz input without touching the disk: a memory file
 * (memfd, a regular file with a size) or a stream on stdin that returns the
 * input in pieces of a chosen size (an AF_UNIX SOCK_SEQPACKET pair: one
 * read() returns exactly one piece, so runs are reproducible, unlike a pipe
 * fed by a thread).  A target that finds an invariant broken calls
 * fz_fail, which aborts so libFuzzer keeps the input.
 */
#ifndef HC_FUZZ_H
#define HC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* An input handed to a reader: path is what to pass as the file name. */
struct fz_input {
	char path[64];
	int fd;        /* the memfd, or -1 */
	int saved_in;  /* stdin before it was replaced, or -1 */
};

/* A memory file holding data: path "/proc/self/fd/N".  0, or -1. */
int fz_memfile(struct fz_input *in, const uint8_t *data, size_t size);
/* data on stdin (path "-"), in reads of piece bytes (the last shorter).
 * 0, or -1 (the input is too large for the socket's buffer: skip it). */
int fz_stdin(struct fz_input *in, const uint8_t *data, size_t size,
	     size_t piece);
/* Closes the memory file, or puts stdin back. */
void fz_done(struct fz_input *in);

/* Reports a broken invariant and aborts. */
void fz_fail(const char *what) __attribute__((noreturn));

#define FZ_CHECK(cond) \
	do { \
		if (!(cond)) \
			fz_fail(__FILE__ ": " #cond); \
	} while (0)

#endif
