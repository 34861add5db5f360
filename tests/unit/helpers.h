/* helpers.h - shared helpers of the unit tests: temporary files, fd swaps
 *
 * Every helper that can fail fails the running test (ck_abort_msg) with the
 * reason, so callers never check for NULL.  Returned strings are malloc'd;
 * the caller frees them.  Temporary files go to $TMPDIR (default /tmp) and
 * are named hicard-unit-XXXXXX.
 */
#ifndef HC_TEST_HELPERS_H
#define HC_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>

/* A new temporary file holding len bytes of data; returns its path. */
char *th_tmp_file(const void *data, size_t len);
/* th_tmp_file of a NUL-terminated string. */
char *th_tmp_str(const char *s);
/* A new empty temporary directory; returns its path. */
char *th_tmp_dir(void);
/* "dir/name" */
char *th_path_join(const char *dir, const char *name);
/* The whole file, NUL-terminated (not counted in *len); NULL if it cannot
 * be opened. */
char *th_read_file(const char *path, size_t *len);
/* 1 if path exists (lstat succeeds). */
int th_exists(const char *path);
/* Number of entries of dir other than "." and ".."; the first one's name
 * (malloc'd) in *first when first is not NULL and there is one. */
size_t th_dir_entries(const char *dir, char **first);
/* Removes the files in dir, then dir. */
void th_rm_dir(const char *dir);

/* Puts newfd's file on fd (dup2) and returns a duplicate of what fd was,
 * for th_fd_restore; closes newfd. */
int th_fd_swap(int fd, int newfd);
/* Puts saved back on fd and closes saved. */
void th_fd_restore(int fd, int saved);

/* splitmix64: the tests' one seeded generator, the same on every machine. */
uint64_t th_rand(uint64_t *state);
/* Makes fd 0 read len bytes of data from a temporary file (unlinked at
 * once); returns the saved fd 0 for th_fd_restore. */
int th_stdin_from(const void *data, size_t len);

#endif
