/* test_statefile.c - lib/statefile.c: a state decoded as it is read
 *
 * hc_statefile_open hands a decoder a cursor over a window of the file
 * that refills itself; these tests read payloads bigger than the window,
 * with fields that straddle its end and one longer than it, and check
 * that what the decoder gets is what was written, that damage the
 * decoder cannot see is still reported at hc_statefile_finish, and that
 * a decoder's own error is named by the file; and payloads written as
 * they are made (hc_statefile_write_with).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/mem.h"
#include "lib/out.h"
#include "lib/statefile.h"
#include "helpers.h"
#include "suites.h"

#define MAGIC "\x89HCT\r\n\x1a\n"
#define BIG (HC_STATE_WINDOW + HC_STATE_WINDOW / 2)
#define NSTR 20000

/* String i of the payload: a length from the seed, bytes from i; string
 * NSTR / 2 is longer than the window. */
static size_t str_len(size_t i, uint64_t *seed)
{
	return i == NSTR / 2 ? BIG : (size_t)(th_rand(seed) % 300);
}

static void str_fill(unsigned char *p, size_t len, size_t i)
{
	for (size_t k = 0; k < len; k++)
		p[k] = (unsigned char)(i * 31 + k);
}

/* Writes the payload (NSTR strings, then a u64 count) as a container of
 * that version; returns the file's path. */
static char *write_state(const char *dir, uint32_t version)
{
	char *path = th_path_join(dir, "s.st");
	unsigned char *tmp = malloc(BIG);
	uint64_t seed = 7;
	struct hc_err err = {0};
	struct hc_out *out;
	struct hc_buf b;

	ck_assert_ptr_nonnull(tmp);
	hc_buf_init(&b);
	for (size_t i = 0; i < NSTR; i++) {
		size_t len = str_len(i, &seed);
		str_fill(tmp, len, i);
		ck_assert_int_eq(hc_buf_put_str(&b, (const char *)tmp, len), 0);
	}
	ck_assert_int_eq(hc_buf_put_u64(&b, NSTR), 0);
	ck_assert_uint_gt(b.len, 2 * HC_STATE_WINDOW);
	out = hc_out_open(path, &err);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(hc_statefile_write(out, MAGIC, version, &b, &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	hc_buf_release(&b);
	free(tmp);
	return path;
}

/* The decoder: every string as written, then the count.  0, or -1 with
 * err set at the first difference. */
static int decode(struct hc_cursor *c, struct hc_err *err)
{
	unsigned char *want = malloc(BIG);
	uint64_t seed = 7, n;
	int rc = 0;

	ck_assert_ptr_nonnull(want);
	for (size_t i = 0; i < NSTR && rc == 0; i++) {
		const char *s;
		size_t len, wlen = str_len(i, &seed);
		str_fill(want, wlen, i);
		if (hc_get_str(c, &s, &len) != 0 || len != wlen ||
		    memcmp(s, want, len) != 0)
			rc = hc_err_set(err, HC_ERR_DATA, "string %zu differs", i);
	}
	if (rc == 0 && (hc_get_u64(c, &n) != 0 || n != NSTR))
		rc = hc_err_set(err, HC_ERR_DATA, "count differs");
	if (rc == 0 && hc_cursor_left(c) != 0)
		rc = hc_err_set(err, HC_ERR_DATA, "bytes left");
	free(want);
	return rc;
}

START_TEST(windows_read_what_was_written)
{
	char *dir = th_tmp_dir(), *path = write_state(dir, 3);
	struct hc_state_reader r;
	struct hc_err err = {0};

	ck_assert_int_eq(hc_statefile_open(&r, path, MAGIC, 1, 4, "test state", &err), 0);
	ck_assert_uint_eq(r.version, 3);
	/* a regular file is read a window at a time */
	ck_assert_ptr_nonnull(r.cur.src);
	ck_assert_int_eq(decode(&r.cur, &err), 0);
	ck_assert_uint_le(r.cap, BIG);
	ck_assert_int_eq(hc_statefile_finish(&r, 0, &err), 0);
	/* a version outside the range, named with the newest read */
	ck_assert_int_eq(hc_statefile_open(&r, path, MAGIC, 4, 4, "test state", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "test state version 3 is not supported (this hicard reads version 4)"));
	th_rm_dir(dir);
	free(path);
	free(dir);
}
END_TEST

/* A byte changed where the decoder does not look (inside a string it
 * only skips here): the checksum, read at the end, reports it. */
START_TEST(damage_found_at_finish)
{
	char *dir = th_tmp_dir(), *path = write_state(dir, 1);
	size_t len;
	char *data = th_read_file(path, &len), *bad;
	struct hc_state_reader r;
	struct hc_err err = {0};
	const char *s;
	size_t slen;

	ck_assert_ptr_nonnull(data);
	data[len - 200] ^= 0x20; /* in the last strings, past the first window */
	bad = th_tmp_file(data, len);
	ck_assert_int_eq(hc_statefile_open(&r, bad, MAGIC, 1, 1, "test state", &err), 0);
	ck_assert_int_eq(hc_get_str(&r.cur, &s, &slen), 0);
	ck_assert_int_eq(hc_statefile_finish(&r, 0, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "checksum mismatch (corrupted file)"));
	/* a decoder that fails on the damage: the damage is what is reported */
	ck_assert_int_eq(hc_statefile_open(&r, bad, MAGIC, 1, 1, "test state", &err), 0);
	ck_assert_int_eq(decode(&r.cur, &err), -1);
	ck_assert_int_eq(hc_statefile_finish(&r, -1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "checksum mismatch (corrupted file)"));
	/* on the intact file, a decoder's own error is named by the file */
	ck_assert_int_eq(hc_statefile_open(&r, path, MAGIC, 1, 1, "test state", &err), 0);
	hc_err_set(&err, HC_ERR_DATA, "no good");
	ck_assert_int_eq(hc_statefile_finish(&r, -1, &err), -1);
	ck_assert_int_eq(strncmp(err.msg, path, strlen(path)), 0);
	ck_assert_str_eq(err.msg + strlen(path), ": no good");
	unlink(bad);
	free(bad);
	free(data);
	th_rm_dir(dir);
	free(path);
	free(dir);
}
END_TEST

/* fill for hc_statefile_write_with: the payload of write_state, made
 * again; arg NULL makes it fail as on running out of memory. */
static int fill_payload(struct hc_buf *b, void *arg)
{
	uint64_t seed = 7;
	unsigned char *tmp;

	if (!arg)
		return -1;
	if (!(tmp = malloc(BIG)))
		return -1;
	for (size_t i = 0; i < NSTR; i++) {
		size_t len = str_len(i, &seed);
		str_fill(tmp, len, i);
		hc_buf_put_str(b, (const char *)tmp, len);
	}
	hc_buf_put_u64(b, NSTR);
	free(tmp);
	return b->failed ? -1 : 0;
}

/* A payload written as it is made, to a file (streamed, its length put in
 * at the end) and to stdout (made whole first): both byte for byte what
 * hc_statefile_write makes of the whole payload; a fill that fails leaves
 * no file. */
START_TEST(written_as_made)
{
	char *dir = th_tmp_dir(), *want_path = write_state(dir, 5);
	char *path = th_path_join(dir, "w.st"), *out_path = th_path_join(dir, "o.st");
	size_t want_len, got_len;
	char *want = th_read_file(want_path, &want_len), *got;
	struct hc_err err = {0};
	struct hc_out *out;
	int fd, saved;

	ck_assert_ptr_nonnull(want);
	out = hc_out_open(path, &err);
	ck_assert_ptr_nonnull(out);
	ck_assert(hc_out_seekable(out));
	ck_assert_int_eq(hc_statefile_write_with(out, MAGIC, 5, fill_payload, "", &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	got = th_read_file(path, &got_len);
	ck_assert(got && got_len == want_len && memcmp(got, want, want_len) == 0);
	free(got);
	/* stdout, here a file: not rewritable, so the payload is made whole */
	fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	saved = th_fd_swap(1, fd);
	out = hc_out_open(NULL, &err);
	ck_assert_ptr_nonnull(out);
	ck_assert(!hc_out_seekable(out));
	ck_assert_int_eq(hc_statefile_write_with(out, MAGIC, 5, fill_payload, "", &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	th_fd_restore(1, saved);
	got = th_read_file(out_path, &got_len);
	ck_assert(got && got_len == want_len && memcmp(got, want, want_len) == 0);
	free(got);
	/* a fill that fails: an error, and the file is not replaced */
	unlink(path);
	out = hc_out_open(path, &err);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(hc_statefile_write_with(out, MAGIC, 5, fill_payload, NULL, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_NOMEM);
	hc_out_abort(out);
	ck_assert(!th_exists(path));
	free(want);
	th_rm_dir(dir);
	free(want_path);
	free(path);
	free(out_path);
	free(dir);
}
END_TEST

Suite *suite_statefile(void)
{
	Suite *s = suite_create("statefile");
	TCase *tc = tcase_create("statefile");

	tcase_add_test(tc, windows_read_what_was_written);
	tcase_add_test(tc, damage_found_at_finish);
	tcase_add_test(tc, written_as_made);
	suite_add_tcase(s, tc);
	return s;
}
