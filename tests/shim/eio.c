/* eio.c - an LD_PRELOAD shim that makes reads of one file fail with EIO
 *
 * For the failure-injection tests (issue 9): a disk that goes bad under a
 * reader.  Environment:
 *   HICARD_EIO_PATH   the file whose reads fail: a path (compared with
 *                     what /proc/self/fd/N names, both made absolute), or
 *                     "-" for standard input (fd 0, a pipe or a file)
 *   HICARD_EIO_AFTER  bytes delivered before the failure (default 0); a
 *                     read that would cross it returns the bytes up to it
 * Every later read of that file fails with EIO too.  read() and
 * __read_chk are replaced; anything else goes to the next library.
 *
 * Under AddressSanitizer, whose runtime must come first in the list of
 * libraries, tests/shim/eio.sh preloads the ASan runtime before this
 * file (see there).  Built without sanitizers, by the Makefile, as
 * $(BUILD)/eio.so.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The shim's own prototypes: it is a library of overrides, not an API. */
ssize_t read(int fd, void *buf, size_t n);
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);

typedef ssize_t (*read_fn)(int, void *, size_t);

/* Bytes of the chosen file delivered so far, across threads. */
static atomic_ullong delivered;

static int is_target(int fd)
{
	const char *want = getenv("HICARD_EIO_PATH");
	char link[64], got[PATH_MAX], abs[PATH_MAX];
	ssize_t n;

	if (!want || !*want)
		return 0;
	if (strcmp(want, "-") == 0)
		return fd == 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, got, sizeof(got) - 1);
	if (n <= 0)
		return 0;
	got[n] = '\0';
	if (!realpath(want, abs))
		return 0;
	return strcmp(got, abs) == 0;
}

static ssize_t shim_read(read_fn next, int fd, void *buf, size_t n)
{
	unsigned long long after, done;
	const char *a;

	if (!is_target(fd))
		return next(fd, buf, n);
	a = getenv("HICARD_EIO_AFTER");
	after = a ? strtoull(a, NULL, 10) : 0;
	done = atomic_load(&delivered);
	if (done >= after) {
		errno = EIO;
		return -1;
	}
	if (n > after - done)
		n = (size_t)(after - done);
	ssize_t r = next(fd, buf, n);
	if (r > 0)
		atomic_fetch_add(&delivered, (unsigned long long)r);
	return r;
}

ssize_t read(int fd, void *buf, size_t n)
{
	static read_fn next;

	if (!next)
		next = (read_fn)dlsym(RTLD_NEXT, "read");
	return shim_read(next, fd, buf, n);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	(void)buflen;
	return read(fd, buf, n);
}
