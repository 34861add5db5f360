/* test_stream.c - src/stream.c: a frame read a window of blocks at a time
 *
 * The frames here have a key column holding each row's number, so that a
 * test can tell which rows an epoch saw, and a cat column of 128 ids a
 * row, so that blocks (about 1 MiB of payload) hold about 2,000 rows and
 * 12,000 rows make 6 blocks.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"
#include "lib/frame.h"
#include "lib/mem.h"
#include "lib/out.h"
#include "src/stream.h"

#define ROWS 12000
#define ARITY 128

/* A frame of n rows in dir/f.hcb: key = row number, label y (0/1, or
 * 2.5 on row 7 when regression is set), cat a (ARITY ids). */
static char *make_frame(const char *dir, size_t n, int regression)
{
	struct hc_err err = {0};
	struct hc_frame_schema s;
	struct hc_frame_writer *w;
	struct hc_out *out;
	char *path = th_path_join(dir, "f.hcb");
	uint32_t ids[ARITY];

	ck_assert(hc_frame_schema_init(&s, &err) == 0);
	ck_assert(hc_frame_schema_add(&s, "k", HC_KIND_KEY, 1, 0, &err));
	ck_assert(hc_frame_schema_add(&s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert(hc_frame_schema_add(&s, "a", HC_KIND_CAT, ARITY, 1000, &err));
	out = hc_out_open(path, &err);
	ck_assert_msg(out != NULL, "%s", err.msg);
	w = hc_frame_writer_open(out, &s, &err);
	ck_assert_msg(w != NULL, "%s", err.msg);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < ARITY; j++)
			ids[j] = (uint32_t)((i + j) % 1000);
		ck_assert(hc_frame_put_key(w, 0, i, &err) == 0);
		ck_assert(hc_frame_put_num(w, 1, regression && i == 7 ? 2.5f : (float)(i % 2), &err) == 0);
		ck_assert(hc_frame_put_ids(w, 2, ids, ARITY, &err) == 0);
		ck_assert_msg(hc_frame_end_row(w, &err) == 0, "%s", err.msg);
	}
	ck_assert_msg(hc_frame_writer_close(w, &err) == 0, "%s", err.msg);
	ck_assert_msg(hc_out_close(out, &err) == 0, "%s", err.msg);
	hc_frame_schema_release(&s);
	return path;
}

/* Runs one epoch; counts each key seen into seen[]; returns the number of
 * windows, or -1 on an error (err set). */
static long epoch(struct hc_stream *s, uint64_t seed, uint64_t e,
		  unsigned *seen, struct hc_err *err)
{
	long windows = 0;
	int rc;

	hc_stream_shuffle(s, seed, e);
	while ((rc = hc_stream_next(s, err)) == 1) {
		ck_assert_uint_le(s->win.nrows, s->max_rows);
		for (size_t i = 0; i < s->win.nrows; i++) {
			uint64_t k = s->win.cols[0].keys[i];
			ck_assert_uint_lt(k, ROWS);
			seen[k]++;
			/* the row's ids came with it */
			ck_assert_uint_eq(s->win.cols[2].ids[i * ARITY + 3], (k + 3) % 1000);
		}
		windows++;
	}
	return rc < 0 ? -1 : windows;
}

START_TEST(test_every_row_once)
{
	char *dir = th_tmp_dir(), *path = make_frame(dir, ROWS, 0);
	struct hc_err err = {0};
	struct hc_stream s;
	unsigned *seen = calloc(ROWS, sizeof(*seen));

	/* 8 MiB: half of it holds 3 blocks of about 1.06 MB */
	ck_assert_msg(hc_stream_open(&s, path, 8u << 20, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(s.nrows, ROWS);
	ck_assert_uint_eq(s.nblocks, 6);
	ck_assert_uint_eq(s.window, 3);
	ck_assert_int_eq(s.binary, 1);
	for (uint64_t e = 1; e <= 3; e++) {
		long w = epoch(&s, 42, e, seen, &err);
		ck_assert_msg(w == (long)((s.nblocks + 2) / 3), "%ld windows: %s", w, err.msg);
		for (size_t i = 0; i < ROWS; i++)
			ck_assert_uint_eq(seen[i], e);
	}
	hc_stream_close(&s);
	/* a budget below one block: one block a window, every row still once */
	memset(seen, 0, ROWS * sizeof(*seen));
	ck_assert(hc_stream_open(&s, path, 1000, &err) == 0);
	ck_assert_uint_eq(s.window, 1);
	ck_assert_int_eq(epoch(&s, 1, 1, seen, &err), (long)s.nblocks);
	for (size_t i = 0; i < ROWS; i++)
		ck_assert_uint_eq(seen[i], 1);
	hc_stream_close(&s);
	free(seen);
	free(path);
	th_rm_dir(dir);
	free(dir);
}
END_TEST

static int same_order(const uint32_t *a, const uint32_t *b, size_t n)
{
	return memcmp(a, b, n * sizeof(*a)) == 0;
}

START_TEST(test_order_seeded)
{
	char *dir = th_tmp_dir(), *path = make_frame(dir, ROWS, 0);
	struct hc_err err = {0};
	struct hc_stream s;
	uint32_t a[64], b[64];
	size_t n, changed = 0;

	ck_assert_msg(hc_stream_open(&s, path, 1000, &err) == 0, "%s", err.msg);
	n = s.nblocks;
	ck_assert_uint_le(n, 64);
	hc_stream_shuffle(&s, 7, 1);
	memcpy(a, s.order, n * sizeof(*a));
	/* a permutation of the blocks */
	for (size_t k = 0; k < n; k++) {
		size_t c = 0;
		for (size_t j = 0; j < n; j++)
			c += a[j] == k;
		ck_assert_uint_eq(c, 1);
	}
	hc_stream_shuffle(&s, 7, 1);
	ck_assert(same_order(a, s.order, n));      /* same seed, same epoch */
	hc_stream_shuffle(&s, 8, 1);
	ck_assert(!same_order(a, s.order, n));     /* another seed */
	hc_stream_shuffle(&s, 7, 2);
	ck_assert(!same_order(a, s.order, n));     /* another epoch */
	for (size_t k = 0; k < n; k++)
		changed += a[k] != k;
	ck_assert_uint_gt(changed, 0);             /* not the file's order */
	/* the windows follow the order */
	hc_stream_shuffle(&s, 7, 1);
	memcpy(b, s.order, n * sizeof(*b));
	ck_assert_int_eq(hc_stream_next(&s, &err), 1);
	ck_assert_uint_eq(s.win.cols[0].keys[0], s.blocks[b[0]].first_row);
	hc_stream_close(&s);
	free(path);
	th_rm_dir(dir);
	free(dir);
}
END_TEST

/* A block damaged after the first pass is reported when an epoch reads
 * it again, with the file and the block (counted from 1). */
START_TEST(test_damage_in_epoch_two)
{
	char *dir = th_tmp_dir(), *path = make_frame(dir, ROWS, 0), want[512];
	struct hc_err err = {0};
	struct hc_stream s;
	unsigned *seen = calloc(ROWS, sizeof(*seen));
	int fd;

	ck_assert(hc_stream_open(&s, path, 8u << 20, &err) == 0);
	ck_assert_int_gt(epoch(&s, 3, 1, seen, &err), 0);
	fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, "XXXX", 4, (off_t)s.blocks[2].offset + 100), 4);
	ck_assert_int_eq(epoch(&s, 3, 2, seen, &err), -1);
	snprintf(want, sizeof(want), "%s: block 3: checksum mismatch (corrupted file)", path);
	ck_assert_str_eq(err.msg, want);
	close(fd);
	hc_stream_close(&s);
	free(seen);
	free(path);
	th_rm_dir(dir);
	free(dir);
}
END_TEST

START_TEST(test_truncated_in_epoch_two)
{
	char *dir = th_tmp_dir(), *path = make_frame(dir, ROWS, 0), want[512];
	struct hc_err err = {0};
	struct hc_stream s;
	unsigned *seen = calloc(ROWS, sizeof(*seen));
	size_t last;

	ck_assert(hc_stream_open(&s, path, 1000, &err) == 0);
	ck_assert_int_gt(epoch(&s, 3, 1, seen, &err), 0);
	last = s.nblocks - 1;
	ck_assert_int_eq(truncate(path, (off_t)s.blocks[last].offset + 40), 0);
	ck_assert_int_eq(epoch(&s, 3, 2, seen, &err), -1);
	snprintf(want, sizeof(want), "%s: block %zu: truncated payload", path, last + 1);
	ck_assert_str_eq(err.msg, want);
	/* cut before a block: its header is missing */
	ck_assert_int_eq(truncate(path, (off_t)s.blocks[last].offset), 0);
	ck_assert_int_eq(epoch(&s, 3, 3, seen, &err), -1);
	snprintf(want, sizeof(want), "%s: block %zu: truncated: the file ends before this block", path, last + 1);
	ck_assert_str_eq(err.msg, want);
	hc_stream_close(&s);
	free(seen);
	free(path);
	th_rm_dir(dir);
	free(dir);
}
END_TEST

START_TEST(test_or_load)
{
	char *dir = th_tmp_dir(), *path = make_frame(dir, 3000, 1);
	struct hc_err err = {0};
	struct hc_dataset d = {0};
	struct hc_stream s;

	/* fits: in memory */
	ck_assert_int_eq(hc_stream_or_load(path, 1u << 30, 0, &d, &s, &err), 0);
	ck_assert_uint_eq(d.nrows, 3000);
	hc_dataset_release(&d);
	/* forced, or over the budget: streamed */
	ck_assert_int_eq(hc_stream_or_load(path, 1u << 30, 1, &d, &s, &err), 1);
	ck_assert_uint_eq(s.nrows, 3000);
	ck_assert_int_eq(s.binary, 0); /* row 7's label is 2.5 */
	hc_stream_close(&s);
	ck_assert_int_eq(hc_stream_or_load(path, 1000, 0, &d, &s, &err), 1);
	ck_assert_uint_eq(s.nblocks, 2);
	hc_stream_close(&s);
	free(path);
	th_rm_dir(dir);
	free(dir);
}
END_TEST

Suite *suite_stream(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("stream");

	tcase_add_test(tc, test_every_row_once);
	tcase_add_test(tc, test_order_seeded);
	tcase_add_test(tc, test_damage_in_epoch_two);
	tcase_add_test(tc, test_truncated_in_epoch_two);
	tcase_add_test(tc, test_or_load);
	suite_add_tcase(s, tc);
	return s;
}
