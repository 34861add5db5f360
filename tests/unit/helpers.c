/* helpers.c - temporary files and fd swaps for the unit tests; see helpers.h
 *
 * Tests run forked by default, but the helpers restore what they change
 * (th_fd_swap / th_fd_restore) so that CK_FORK=no runs (make valgrind)
 * keep stdin and stdout intact between tests.
 */
#include "helpers.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *tmp_base(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

static char *tmp_template(void)
{
	return th_path_join(tmp_base(), "hicard-unit-XXXXXX");
}

char *th_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + 1 + strlen(name) + 1;
	char *p = malloc(n);

	ck_assert_msg(p != NULL, "out of memory");
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *th_tmp_file(const void *data, size_t len)
{
	char *path = tmp_template();
	int fd = mkstemp(path);
	const char *p = data;

	ck_assert_msg(fd >= 0, "mkstemp %s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		ck_assert_msg(w > 0, "write %s: %s", path, strerror(errno));
		p += w;
		len -= (size_t)w;
	}
	ck_assert_msg(close(fd) == 0, "close %s: %s", path, strerror(errno));
	return path;
}

char *th_tmp_str(const char *s)
{
	return th_tmp_file(s, strlen(s));
}

char *th_tmp_dir(void)
{
	char *path = tmp_template();

	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp %s: %s", path,
		      strerror(errno));
	return path;
}

char *th_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0, cap = 4096;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	ck_assert_msg(buf != NULL, "out of memory");
	for (;;) {
		ssize_t r;
		if (cap - n < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_msg(buf != NULL, "out of memory");
		}
		r = read(fd, buf + n, cap - n - 1);
		ck_assert_msg(r >= 0, "read %s: %s", path, strerror(errno));
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int th_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

size_t th_dir_entries(const char *dir, char **first)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
	if (first)
		*first = NULL;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == 0 && first)
			*first = strdup(e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

void th_rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = th_path_join(dir, e->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

int th_fd_swap(int fd, int newfd)
{
	int saved = dup(fd);

	ck_assert_msg(saved >= 0, "dup %d: %s", fd, strerror(errno));
	ck_assert_msg(dup2(newfd, fd) == fd, "dup2 %d: %s", fd,
		      strerror(errno));
	close(newfd);
	return saved;
}

void th_fd_restore(int fd, int saved)
{
	ck_assert_msg(dup2(saved, fd) == fd, "dup2 %d: %s", fd,
		      strerror(errno));
	close(saved);
}

int th_stdin_from(const void *data, size_t len)
{
	char *path = th_tmp_file(data, len);
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	unlink(path);
	free(path);
	return th_fd_swap(0, fd);
}

uint64_t th_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
