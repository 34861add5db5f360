/* test_out.c - checked output: atomic replace, abort, full disk, EPIPE, numbers
 *
 * hc_out is what makes a failed run leave no partial file and a full disk
 * an error instead of silent truncation, so each promise of out.h has a
 * test: the file appears only at close (a ".NAME.XXXXXX" sibling before),
 * abort leaves nothing and never touches an existing file, ENOSPC (via
 * /dev/full on fd 1) is HC_ERR_IO with the message, a closed pipe is
 * HC_ERR_PIPE.  The number formatters are pinned to exact text, and floats
 * must read back bit for bit.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/out.h"
#include "suites.h"

#define MIB ((size_t)1 << 20)

/* ---- the file appears only when complete ------------------------------ */

START_TEST(test_replace_on_close)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "out.txt");
	struct hc_err err = { 0 };
	struct hc_out *o = hc_out_open(path, &err);
	char *tmp, *text;

	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_out_puts(o, "hello\n"), 0);
	ck_assert_int_eq(hc_out_flush(o), 0);
	/* flushed, but only to the temporary file beside it */
	ck_assert_int_eq(th_exists(path), 0);
	ck_assert_uint_eq(th_dir_entries(dir, &tmp), 1);
	ck_assert_uint_eq(strlen(tmp), strlen(".out.txt.XXXXXX"));
	ck_assert_msg(strncmp(tmp, ".out.txt.", 9) == 0, "temporary file '%s'",
		      tmp);
	free(tmp);
	ck_assert_int_eq(hc_out_puts(o, "world\n"), 0);
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	text = th_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "hello\nworld\n");
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 1);
	free(text);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

/* An existing file keeps its content until close, then is replaced. */
START_TEST(test_replace_existing)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "data.csv");
	struct hc_err err = { 0 };
	struct hc_out *o;
	FILE *f = fopen(path, "w");
	char *text;

	ck_assert_ptr_nonnull(f);
	fputs("old\n", f);
	fclose(f);
	o = hc_out_open(path, &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_out_puts(o, "new\n"), 0);
	ck_assert_int_eq(hc_out_flush(o), 0);
	text = th_read_file(path, NULL);
	ck_assert_str_eq(text, "old\n");
	free(text);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 2);
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	text = th_read_file(path, NULL);
	ck_assert_str_eq(text, "new\n");
	free(text);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 1);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

START_TEST(test_abort_new)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "out.txt");
	struct hc_err err = { 0 };
	struct hc_out *o = hc_out_open(path, &err);

	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_out_puts(o, "partial"), 0);
	ck_assert_int_eq(hc_out_flush(o), 0);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 1);
	hc_out_abort(o);
	ck_assert_int_eq(th_exists(path), 0);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 0);
	hc_out_abort(NULL);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

START_TEST(test_abort_existing)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "keep.txt");
	struct hc_err err = { 0 };
	struct hc_out *o;
	FILE *f = fopen(path, "w");
	char *text;

	ck_assert_ptr_nonnull(f);
	fputs("precious\n", f);
	fclose(f);
	o = hc_out_open(path, &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	for (int k = 0; k < 3000; k++) /* past the buffer: really written */
		ck_assert_int_eq(hc_out_puts(o, "overwritten? no. overwritten? no. "
						"overwritten? no. overwritten? no. "
						"overwritten? no. overwritten? no. "
						"overwritten? no. overwritten? no. "
						"overwritten? no. overwritten? no.\n"),
				 0);
	hc_out_abort(o);
	text = th_read_file(path, NULL);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 1);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

/* The file gets the mode open(2) would give: 0666 less the umask. */
START_TEST(test_mode)
{
	static const mode_t masks[] = { 022, 027, 077 };
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "m.txt");

	for (size_t k = 0; k < 3; k++) {
		mode_t old = umask(masks[k]);
		struct hc_err err = { 0 };
		struct hc_out *o = hc_out_open(path, &err);
		struct stat st;

		umask(old);
		ck_assert_msg(o != NULL, "%s", err.msg);
		ck_assert_int_eq(hc_out_close(o, &err), 0);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_uint_eq(st.st_mode & 0777, 0666 & ~masks[k]);
	}
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

/* A path without a folder: the temporary file goes in the current one. */
START_TEST(test_relative_path)
{
	char *dir = th_tmp_dir();
	char cwd[4096];
	struct hc_err err = { 0 };
	struct hc_out *o;
	char *tmp, *text;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	o = hc_out_open("rel.txt", &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_uint_eq(th_dir_entries(".", &tmp), 1);
	ck_assert_msg(strncmp(tmp, ".rel.txt.", 9) == 0, "temporary file '%s'",
		      tmp);
	free(tmp);
	ck_assert_int_eq(hc_out_puts(o, "r"), 0);
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	text = th_read_file("rel.txt", NULL);
	ck_assert_str_eq(text, "r");
	free(text);
	ck_assert_int_eq(chdir(cwd), 0);
	th_rm_dir(dir);
	free(dir);
}
END_TEST

START_TEST(test_open_error)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "no/such/dir/out.txt");
	struct hc_err err = { 0 };
	char want[700];

	ck_assert_ptr_null(hc_out_open(path, &err));
	ck_assert_int_eq(err.kind, HC_ERR_IO);
	snprintf(want, sizeof(want),
		 "%s: cannot create: No such file or directory", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 0);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

/* ---- stdout ----------------------------------------------------------- */

/* Output to stdout ("-" and NULL), with fd 1 on a temporary file. */
START_TEST(test_stdout)
{
	const char *const paths[] = { "-", NULL };

	for (int k = 0; k < 2; k++) {
		char *file = th_tmp_str("");
		int fd = open(file, O_WRONLY);
		int saved = th_fd_swap(1, fd);
		struct hc_err err = { 0 };
		struct hc_out *o = hc_out_open(paths[k], &err);
		char *text;

		ck_assert_msg(o != NULL, "%s", err.msg);
		ck_assert_int_eq(o->fd, 1);
		ck_assert_ptr_null(o->path);
		ck_assert_int_eq(hc_out_printf(o, "%s=%d\n", "k", k), 0);
		ck_assert_int_eq(hc_out_close(o, &err), 0);
		th_fd_restore(1, saved);
		/* fd 1 is never closed by hc_out */
		ck_assert_int_ne(fcntl(1, F_GETFD), -1);
		text = th_read_file(file, NULL);
		ck_assert_str_eq(text, k ? "k=1\n" : "k=0\n");
		free(text);
		unlink(file);
		free(file);
	}
}
END_TEST

/* Writes of every size across the 1 MiB buffer, including ones larger
 * than it and long printf output, come out byte for byte. */
START_TEST(test_large_writes)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "big.bin");
	struct hc_err err = { 0 };
	struct hc_out *o = hc_out_open(path, &err);
	size_t cap = 12 * MIB, n = 0, len;
	char *want = malloc(cap), *src = malloc(3 * MIB), *got;
	char longs[3001];
	uint32_t x = 12345;

	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(src);
	for (size_t k = 0; k < 3 * MIB; k++) {
		x = x * 1103515245u + 12345u;
		src[k] = (char)(x >> 16);
	}
	memset(longs, 'L', 3000);
	longs[3000] = '\0';
	for (size_t step = 0; n < 8 * MIB; step++) {
		size_t piece = step % 7 == 6 ? MIB + step % 3 - 1 /* about 1 MiB */
			     : step % 13 == 12 ? 2 * MIB + 5
			     : (step * 7919) % 5000;
		if (step % 5 == 4) {
			ck_assert_int_eq(hc_out_putc(o, 'c'), 0);
			want[n++] = 'c';
		} else if (step % 11 == 10) {
			ck_assert_int_eq(hc_out_printf(o, "[%s|%zu]", longs, step), 0);
			n += (size_t)snprintf(want + n, cap - n, "[%s|%zu]", longs,
					      step);
		} else {
			ck_assert_int_eq(hc_out_write(o, src, piece), 0);
			memcpy(want + n, src, piece);
			n += piece;
		}
	}
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	got = th_read_file(path, &len);
	ck_assert_uint_eq(len, n);
	ck_assert_msg(memcmp(got, want, n) == 0, "the file differs");
	free(got);
	free(want);
	free(src);
	th_rm_dir(dir);
	free(dir);
	free(path);
}
END_TEST

/* ---- write errors ----------------------------------------------------- */

/* fd 1 on /dev/full: a write past the buffer fails with ENOSPC as
 * HC_ERR_IO, every later call fails too, and close reports it. */
START_TEST(test_dev_full)
{
	int fd = open("/dev/full", O_WRONLY);
	int saved;
	struct hc_err err = { 0 };
	struct hc_out *o;
	char *big = calloc(1, MIB + 100);
	int rc = 0;

	ck_assert_msg(fd >= 0, "cannot open /dev/full: %s", strerror(errno));
	ck_assert_ptr_nonnull(big);
	saved = th_fd_swap(1, fd);
	o = hc_out_open(NULL, &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	for (int k = 0; k < 3 && rc == 0; k++)
		rc = hc_out_write(o, big, MIB / 2 + 100);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(o->err.kind, HC_ERR_IO);
	ck_assert_str_eq(o->err.msg, "stdout: write failed: No space left on device");
	ck_assert_int_eq(hc_out_putc(o, 'x'), -1);
	ck_assert_int_eq(hc_out_puts(o, "more"), -1);
	ck_assert_int_eq(hc_out_write(o, big, MIB + 100), -1);
	ck_assert_int_eq(hc_out_flush(o), -1);
	ck_assert_int_eq(hc_out_close(o, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_IO);
	ck_assert_str_eq(err.msg, "stdout: write failed: No space left on device");

	/* a small output fails at close, when it is flushed */
	o = hc_out_open(NULL, &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_out_puts(o, "small\n"), 0);
	hc_err_clear(&err);
	ck_assert_int_eq(hc_out_close(o, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_IO);
	ck_assert_str_eq(err.msg, "stdout: write failed: No space left on device");

	/* one write larger than the buffer goes straight out, and fails */
	o = hc_out_open(NULL, &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_out_write(o, big, MIB + 100), -1);
	ck_assert_int_eq(o->err.kind, HC_ERR_IO);
	hc_out_abort(o);
	th_fd_restore(1, saved);
	free(big);
}
END_TEST

/* fd 1 a pipe nobody reads: EPIPE (SIGPIPE ignored) is HC_ERR_PIPE. */
START_TEST(test_epipe)
{
	int p[2];
	int saved;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	struct hc_err err = { 0 };
	struct hc_out *o;
	char *big = calloc(1, 2 * MIB);
	int rc = 0;

	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	saved = th_fd_swap(1, p[1]);
	o = hc_out_open(NULL, &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	for (int k = 0; k < 5 && rc == 0; k++)
		rc = hc_out_write(o, big, MIB / 2);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(o->err.kind, HC_ERR_PIPE);
	ck_assert_str_eq(o->err.msg, "stdout: reader closed the pipe");
	ck_assert_int_eq(hc_out_close(o, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_PIPE);
	ck_assert_int_eq(hc_err_exit_status(&err), HC_EXIT_OK);
	th_fd_restore(1, saved);
	signal(SIGPIPE, old);
	free(big);
}
END_TEST

/* ---- numbers ---------------------------------------------------------- */

/* The values through hc_out_u64 / hc_out_float onto a file; the text. */
static char *capture_u64(const uint64_t *v, size_t n)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "n.txt");
	struct hc_err err = { 0 };
	struct hc_out *o = hc_out_open(path, &err);
	char *text;

	ck_assert_msg(o != NULL, "%s", err.msg);
	for (size_t k = 0; k < n; k++) {
		ck_assert_int_eq(hc_out_u64(o, v[k]), 0);
		ck_assert_int_eq(hc_out_putc(o, ' '), 0);
	}
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	text = th_read_file(path, NULL);
	th_rm_dir(dir);
	free(dir);
	free(path);
	return text;
}

static char *capture_float(const float *v, size_t n)
{
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "f.txt");
	struct hc_err err = { 0 };
	struct hc_out *o = hc_out_open(path, &err);
	char *text;

	ck_assert_msg(o != NULL, "%s", err.msg);
	for (size_t k = 0; k < n; k++) {
		ck_assert_int_eq(hc_out_float(o, v[k]), 0);
		ck_assert_int_eq(hc_out_putc(o, '\n'), 0);
	}
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	text = th_read_file(path, NULL);
	th_rm_dir(dir);
	free(dir);
	free(path);
	return text;
}

START_TEST(test_u64)
{
	static const uint64_t v[] = { 0, 7, 10, 99, 100, 4294967296ull,
				      10000000000000000000ull,
				      18446744073709551615ull };
	char *text = capture_u64(v, sizeof(v) / sizeof(v[0]));

	ck_assert_str_eq(text, "0 7 10 99 100 4294967296 10000000000000000000 "
			       "18446744073709551615 ");
	free(text);
}
END_TEST

START_TEST(test_float_text)
{
	static const float v[] = {
		0.1f, 3.0f, 0.0f, -0.0f, -2.0f, 0.5f, 1.5f, -0.25f,
		9999999.0f, -9999999.0f, 1e7f, 16777216.0f, 123456.7f,
		3.14159274f, 1e30f, -1e30f, 3e9f, FLT_MAX,
	};
	char *text = capture_float(v, sizeof(v) / sizeof(v[0]));

	ck_assert_str_eq(text, "0.1\n3\n0\n-0\n-2\n0.5\n1.5\n-0.25\n"
			       "9999999\n-9999999\n1e+07\n16777216\n123456.7\n"
			       "3.1415927\n1e+30\n-1e+30\n3e+09\n3.4028235e+38\n");
	free(text);
}
END_TEST

START_TEST(test_float_special)
{
	const float v[] = { INFINITY, -INFINITY, NAN };
	char *text = capture_float(v, 3);

	ck_assert_str_eq(text, "inf\n-inf\nnan\n");
	free(text);
}
END_TEST

/* Random bit patterns (every finite float class) read back exactly, in at
 * most 9 significant digits. */
START_TEST(test_float_round_trip)
{
	enum { N = 20000 };
	static float v[N];
	uint64_t s = 0x2545F4914F6CDD1Dull;
	char *text, *p;
	size_t k = 0;

	while (k < N) {
		uint32_t bits;
		float f;
		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		bits = (uint32_t)((s * 2685821657736338717ull) >> 32);
		memcpy(&f, &bits, 4);
		if (isfinite(f))
			v[k++] = f;
	}
	v[0] = FLT_MIN;
	v[1] = 1e-45f; /* the smallest subnormal */
	v[2] = 1e-8f;
	v[3] = -FLT_MAX;
	text = capture_float(v, N);
	p = text;
	for (k = 0; k < N; k++) {
		char *end;
		float back = strtof(p, &end);
		size_t digits = 0;
		if (*end != '\n' || memcmp(&back, &v[k], 4) != 0)
			ck_abort_msg("%.9g wrote '%.*s'", (double)v[k],
				     (int)(end - p), p);
		for (const char *q = p; q < end && *q != 'e'; q++)
			if (*q >= '1' && *q <= '9')
				digits++;
			else if (*q == '0' && digits)
				digits++;
		if (digits > 9) /* significant digits */
			ck_abort_msg("%.9g wrote '%.*s': too long", (double)v[k],
				     (int)(end - p), p);
		p = end + 1;
	}
	ck_assert_str_eq(p, "");
	free(text);
}
END_TEST

/* /dev/stdout and /dev/stderr lead through /proc to whatever the fd is,
 * here a regular file: written in place, and the links stay links (a
 * rename once replaced /dev/stderr itself). */
START_TEST(test_dev_stdout_in_place)
{
	static const char *const paths[] = { "/dev/stdout", "/dev/stderr" };

	for (int k = 0; k < 2; k++) {
		char *file = th_tmp_str("old contents, longer than the new\n");
		int fd = open(file, O_WRONLY);
		int saved = th_fd_swap(k + 1, fd);
		struct hc_err err = { 0 };
		struct hc_out *o = hc_out_open(paths[k], &err);
		struct stat st;
		char *text;
		int rc;

		ck_assert_msg(o != NULL, "%s", err.msg);
		ck_assert_int_eq(hc_out_printf(o, "k=%d\n", k), 0);
		rc = hc_out_close(o, &err);
		th_fd_restore(k + 1, saved);
		ck_assert_msg(rc == 0, "%s", err.msg);
		ck_assert_int_eq(lstat(paths[k], &st), 0);
		ck_assert_msg(S_ISLNK(st.st_mode), "%s is no longer a link", paths[k]);
		text = th_read_file(file, NULL);
		ck_assert_str_eq(text, k ? "k=1\n" : "k=0\n");
		free(text);
		unlink(file);
		free(file);
	}
}
END_TEST

/* -o through a symbolic link replaces the file it leads to; the link
 * stays. */
START_TEST(test_symlink_followed)
{
	char *dir = th_tmp_dir();
	char *target = th_path_join(dir, "target.csv");
	char *link = th_path_join(dir, "link.csv");
	struct hc_err err = { 0 };
	struct hc_out *o;
	struct stat st;
	char *text;
	FILE *f = fopen(target, "w");

	ck_assert_ptr_nonnull(f);
	fputs("old\n", f);
	fclose(f);
	ck_assert_int_eq(symlink("target.csv", link), 0);
	o = hc_out_open(link, &err);
	ck_assert_msg(o != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_out_puts(o, "new\n"), 0);
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	text = th_read_file(target, NULL);
	ck_assert_str_eq(text, "new\n");
	free(text);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 2);
	unlink(link);
	unlink(target);
	th_rm_dir(dir);
	free(link);
	free(target);
	free(dir);
}
END_TEST

Suite *suite_out(void)
{
	Suite *s = suite_create("out");
	TCase *files = tcase_create("files");
	TCase *errors = tcase_create("errors");
	TCase *numbers = tcase_create("numbers");

	tcase_add_test(files, test_replace_on_close);
	tcase_add_test(files, test_replace_existing);
	tcase_add_test(files, test_abort_new);
	tcase_add_test(files, test_abort_existing);
	tcase_add_test(files, test_mode);
	tcase_add_test(files, test_relative_path);
	tcase_add_test(files, test_open_error);
	tcase_add_test(files, test_stdout);
	tcase_add_test(files, test_dev_stdout_in_place);
	tcase_add_test(files, test_symlink_followed);
	tcase_add_test(files, test_large_writes);
	suite_add_tcase(s, files);

	tcase_add_test(errors, test_dev_full);
	tcase_add_test(errors, test_epipe);
	suite_add_tcase(s, errors);

	tcase_add_test(numbers, test_u64);
	tcase_add_test(numbers, test_float_text);
	tcase_add_test(numbers, test_float_special);
	tcase_add_test(numbers, test_float_round_trip);
	suite_add_tcase(s, numbers);
	return s;
}
