/* test_corrupt.c - every single-byte change and every truncation of a
 * valid frame, of a valid profile state and of a valid encoder state is
 * reported (issue 9; the encoder state is decoded as it is read, before
 * its checksum is known, lib/statefile.h)
 *
 * The CLI tests (tests/cli/bad.test) check one message per kind of
 * damage; here a frame and a state made in memory are damaged at every
 * byte, each copy read back through a file, and each read must fail with
 * a message (HC_ERR_DATA), never succeed with different data, never
 * crash (the suite runs under ASan in make asan).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/frame.h"
#include "lib/mem.h"
#include "lib/statefile.h"
#include "src/encode_state.h"
#include "src/profile.h"
#include "helpers.h"
#include "suites.h"

#define STATE_MAGIC "\x89HCP\r\n\x1a\n"
#define ENC_MAGIC "\x89HCE\r\n\x1a\n"

/* The bytes of the file at path, which goes with its folder dir (both
 * freed). */
static char *take_file(char *dir, char *path, size_t *len)
{
	char *data = th_read_file(path, len);

	ck_assert_ptr_nonnull(data);
	th_rm_dir(dir);
	free(path);
	free(dir);
	return data;
}

/* A small frame: a label and a variable-arity cat column, 3 rows. */
static char *make_frame(size_t *len)
{
	struct hc_frame_schema s;
	struct hc_frame_writer *w;
	struct hc_out *out;
	struct hc_err err = {0};
	char *dir = th_tmp_dir(), *path = th_path_join(dir, "f.hcb");
	static const uint32_t ids[] = {3, 1, 4, 1, 5};

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "t", HC_KIND_CAT, HC_ARITY_VAR, 10, &err));
	out = hc_out_open(path, &err);
	ck_assert_ptr_nonnull(out);
	w = hc_frame_writer_open(out, &s, &err);
	ck_assert_ptr_nonnull(w);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(hc_frame_put_num(w, 0, (float)i, &err), 0);
		ck_assert_int_eq(hc_frame_put_ids(w, 1, ids + i, i + 1, &err), 0);
		ck_assert_int_eq(hc_frame_end_row(w, &err), 0);
	}
	ck_assert_int_eq(hc_frame_writer_close(w, &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	hc_frame_schema_release(&s);
	return take_file(dir, path, len);
}

/* Reads a whole frame: 0 if it is valid, -1 with err set. */
static int read_frame(const char *path, struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	int rc;

	ck_assert_ptr_nonnull(in);
	if (!(r = hc_frame_reader_open(in, err))) {
		hc_in_close(in);
		return -1;
	}
	while ((rc = hc_frame_read_block(r, &b, err)) == 1)
		;
	hc_frame_reader_close(r);
	hc_in_close(in);
	return rc;
}

/* The bytes of a state file holding payload b (released). */
static char *container_bytes(const char magic[8], uint32_t version,
			     struct hc_buf *b, size_t *len)
{
	char *dir = th_tmp_dir(), *path = th_path_join(dir, "s.st");
	struct hc_err err = {0};
	struct hc_out *out = hc_out_open(path, &err);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(hc_statefile_write(out, magic, version, b, &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	hc_buf_release(b);
	return take_file(dir, path, len);
}

/* A profile state of a small CSV with a target. */
static char *make_state(size_t *len)
{
	static const char *const names[] = {"u", "n", "y"};
	static const size_t cols[] = {0, 1, 2};
	char *csv_path = th_tmp_str("u,n,y\na,1,0\nb,2,1\na,2.5,1\nc,,0\n");
	char *data;
	const char *nulls[] = {"NA"};
	struct hc_profile_opts o = {.memory = 1 << 20, .hll_p = 10, .k = 5,
				    .nulls = nulls, .nnulls = 1, .target = 2,
				    .collision = 0.01};
	struct hc_csv_opts copts = {.delim = ','};
	struct hc_err err = {0};
	struct hc_csv_reader *csv = hc_csv_open(csv_path, &copts, &err);
	struct hc_profile *p = hc_profile_new(&o, 3, names, &err);
	struct hc_buf b;

	ck_assert_ptr_nonnull(csv);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(hc_profile_scan(p, csv, cols, 2, NULL, NULL, &err), 0);
	hc_buf_init(&b);
	ck_assert_int_eq(hc_profile_serialize(p, &b), 0);
	data = container_bytes(STATE_MAGIC, 1, &b, len);
	hc_profile_free(p);
	hc_csv_close(csv);
	unlink(csv_path);
	free(csv_path);
	return data;
}

/* Reads and decodes a state as --merge does: 0 if valid. */
static int read_state(const char *path, struct hc_err *err)
{
	unsigned char *data;
	size_t len;
	struct hc_cursor cur;
	struct hc_profile *p;

	if (hc_statefile_read(path, STATE_MAGIC, 1, "hicard profile state",
			      &data, &len, err) != 0)
		return -1;
	hc_cursor_init(&cur, data, len);
	p = hc_profile_deserialize(&cur, 1 << 20, err);
	hc_free(data);
	if (!p)
		return -1;
	hc_profile_free(p);
	return 0;
}

/* An encoder state of two columns (target and one-hot, count and woe)
 * over a few rows with a 0/1 target. */
static char *make_enc_state(size_t *len)
{
	static const char *const rows[][2] = {
		{"phone", "paris"}, {"desktop", "lyon"}, {"phone", "paris"},
		{"tablet", "nice"}, {"phone", "lyon"}, {"desktop", "paris"}};
	const char *names[] = {"device", "city"};
	unsigned kinds[] = {HC_ENC_BIT(HC_ENC_ONEHOT) | HC_ENC_BIT(HC_ENC_TARGET),
			    HC_ENC_BIT(HC_ENC_COUNT) | HC_ENC_BIT(HC_ENC_WOE)};
	struct hc_enc_params p = {.smooth = 2, .min_count = 1};
	struct hc_err err = {0};
	struct hc_enc_state *st = hc_enc_state_new(&p, "click", 2, names, kinds, NULL, &err);
	char *data;
	struct hc_buf b;

	ck_assert_ptr_nonnull(st);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t l[2] = {strlen(rows[i][0]), strlen(rows[i][1])};
		ck_assert_int_eq(hc_enc_observe(st, rows[i], l, (double)(i % 2), NULL, &err), 0);
	}
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	hc_buf_init(&b);
	ck_assert_int_eq(hc_enc_serialize(st, &b), 0);
	data = container_bytes(ENC_MAGIC, HC_ENC_STATE_VERSION, &b, len);
	hc_enc_state_free(st);
	return data;
}

/* Reads an encoder state as encode apply does: decoded as it is read. */
static int read_enc_state(const char *path, struct hc_err *err)
{
	struct hc_state_reader r;
	struct hc_enc_state *st;

	if (hc_statefile_open(&r, path, ENC_MAGIC, 1, HC_ENC_STATE_VERSION,
			      "hicard encode state", err) != 0)
		return -1;
	ck_assert_ptr_nonnull(r.cur.src);
	st = hc_enc_deserialize_v(&r.cur, r.version, err);
	if (hc_statefile_finish(&r, st ? 0 : -1, err) != 0) {
		hc_enc_state_free(st);
		return -1;
	}
	hc_enc_state_free(st);
	return 0;
}

/* Every truncation and every one-byte change of data must fail to read. */
static void damage_everywhere(const char *data, size_t len,
			      int (*reader)(const char *, struct hc_err *))
{
	char *copy = malloc(len);
	struct hc_err err;

	ck_assert_ptr_nonnull(copy);
	memset(&err, 0, sizeof(err));
	{
		char *path = th_tmp_file(data, len);
		ck_assert_msg(reader(path, &err) == 0, "the intact file fails: %s", err.msg);
		unlink(path);
		free(path);
	}
	for (size_t n = 0; n < len; n++) {
		char *path = th_tmp_file(data, n);
		memset(&err, 0, sizeof(err));
		ck_assert_msg(reader(path, &err) != 0, "cut at %zu bytes of %zu is read as valid", n, len);
		ck_assert_msg(err.kind == HC_ERR_DATA && err.msg[0], "cut at %zu: no message", n);
		unlink(path);
		free(path);
	}
	for (size_t i = 0; i < len; i++) {
		char *path;
		memcpy(copy, data, len);
		copy[i] ^= 0x5A;
		path = th_tmp_file(copy, len);
		memset(&err, 0, sizeof(err));
		ck_assert_msg(reader(path, &err) != 0, "byte %zu of %zu changed is read as valid", i, len);
		ck_assert_msg(err.kind == HC_ERR_DATA && err.msg[0], "byte %zu: no message", i);
		unlink(path);
		free(path);
	}
	free(copy);
}

/* What make makes, damaged everywhere. */
static void damage_made(char *(*make)(size_t *),
			int (*reader)(const char *, struct hc_err *))
{
	size_t len;
	char *data = make(&len);

	damage_everywhere(data, len, reader);
	free(data);
}

START_TEST(frame_damaged_anywhere)
{
	damage_made(make_frame, read_frame);
}
END_TEST

START_TEST(state_damaged_anywhere)
{
	damage_made(make_state, read_state);
}
END_TEST

START_TEST(enc_state_damaged_anywhere)
{
	damage_made(make_enc_state, read_enc_state);
}
END_TEST

Suite *suite_corrupt(void)
{
	Suite *s = suite_create("corrupt");
	TCase *tc = tcase_create("corrupt");

	tcase_add_test(tc, frame_damaged_anywhere);
	tcase_add_test(tc, state_damaged_anywhere);
	tcase_add_test(tc, enc_state_damaged_anywhere);
	suite_add_tcase(s, tc);
	return s;
}
