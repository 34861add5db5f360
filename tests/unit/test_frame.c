/* test_frame.c - frames: round trips, writer checks, every corruption, byte flips, text forms */

/*
 * What is tested, and how:
 *   - round trips through hc_frame_writer / hc_frame_reader for N = 0, 1,
 *     65535, 65536, 65537 and 200000 rows, every value compared bit for
 *     bit, with block sizes and first_row, the schema and extra JSON keys;
 *   - what the writer and the schema refuse;
 *   - every corruption the reader must report, each with its exact
 *     message.  Corrupted files are built byte by byte by the small
 *     encoder below (enc_*), with checksums from hc_crc32c where the case
 *     needs a valid one, so that each check in frame_read.c is reached
 *     on its own.  The encoder is itself checked against the writer
 *     (test_encoder_matches_writer);
 *   - every prefix of a small multi-block frame, and a seeded byte-flip
 *     loop (style.md, "Tests that can fail") plus every single-bit flip:
 *     each must end in a clean HC_ERR_DATA error, never a success;
 *   - the text forms: hc_frame_put_text parsing, CSV rows and libsvm
 *     lines, as exact strings.
 * Hot loops check with plain `if` and ck_abort_msg: Check's ck_assert
 * records a mark point per call, which costs too much per value.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/crc32c.h"
#include "lib/csv_write.h"
#include "lib/frame.h"
#include "lib/frame_text.h"
#include "lib/mem.h"
#include "suites.h"

#define MIB ((size_t)1 << 20)

/* ---- bytes: a growable buffer, and a frame encoder of our own --------- */

struct bytes {
	unsigned char *p;
	size_t n, cap;
};

static void by_put(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		ck_assert_msg(b->p != NULL, "out of memory");
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* Little-endian by construction, not by the host's order. */
static void by_u32(struct bytes *b, uint32_t v)
{
	unsigned char t[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	by_put(b, t, 4);
}

static void by_u64(struct bytes *b, uint64_t v)
{
	by_u32(b, (uint32_t)v);
	by_u32(b, (uint32_t)(v >> 32));
}

static void by_f32(struct bytes *b, float v)
{
	uint32_t bits;

	memcpy(&bits, &v, 4);
	by_u32(b, bits);
}

static void set_u32(struct bytes *b, size_t at, uint32_t v)
{
	ck_assert_uint_le(at + 4, b->n);
	for (int k = 0; k < 4; k++)
		b->p[at + (size_t)k] = (unsigned char)(v >> (8 * k));
}

static void by_free(struct bytes *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Magic, version, header length, header, header CRC. */
static void enc_preamble_v(struct bytes *b, uint32_t version, const char *json)
{
	uint32_t len = (uint32_t)strlen(json);

	by_put(b, HC_FRAME_MAGIC, 8);
	by_u32(b, version);
	by_u32(b, len);
	by_put(b, json, len);
	by_u32(b, hc_crc32c(0, json, len));
}

static void enc_preamble(struct bytes *b, const char *json)
{
	enc_preamble_v(b, HC_FRAME_VERSION, json);
}

/* A block with every field given, for blocks that lie about themselves. */
static void enc_block_raw(struct bytes *b, const char *tag, uint32_t rows,
			  uint32_t len, uint32_t crc, const void *payload,
			  size_t plen)
{
	by_put(b, tag, 4);
	by_u32(b, rows);
	by_u32(b, len);
	by_u32(b, crc);
	by_put(b, payload, plen);
}

/* A block whose length and checksum are those of its payload. */
static void enc_block(struct bytes *b, uint32_t rows, const struct bytes *pl)
{
	enc_block_raw(b, "HCBK", rows, (uint32_t)pl->n,
		      hc_crc32c(0, pl->p, pl->n), pl->p, pl->n);
}

static void enc_end(struct bytes *b, uint64_t rows, uint64_t blocks)
{
	struct bytes t = { 0 };

	by_u64(&t, rows);
	by_u64(&t, blocks);
	enc_block(b, 0, &t);
	by_free(&t);
}

/* ---- the small schema of crafted frames --------------------------------
 * y label, u cat (space 10), t cat of variable arity (space 10), x num. */

static const char small_json[] =
	"{\"format\":\"hicard-frame\",\"version\":1,\"columns\":["
	"{\"name\":\"y\",\"kind\":\"label\"},"
	"{\"name\":\"u\",\"kind\":\"cat\",\"ids\":1,\"space\":10},"
	"{\"name\":\"t\",\"kind\":\"cat\",\"ids\":\"var\",\"space\":10},"
	"{\"name\":\"x\",\"kind\":\"num\"}]}";

struct srow {
	float y;
	uint32_t u;
	uint32_t nt, t[3];
	float x;
};

static const struct srow srows[] = {
	{ 1, 3, 2, { 1, 2, 0 }, 0.5f },
	{ 0, 9, 0, { 0, 0, 0 }, -1 },
	{ 1, 0, 3, { 9, 9, 0 }, 2.25f },
	{ 0, 5, 1, { 4, 0, 0 }, 0 },
	{ 1, 1, 0, { 0, 0, 0 }, 100 },
	{ 0, 2, 2, { 7, 8, 0 }, -0.125f },
};

/* The payload of rows r[0..n): column by column, counts before ids. */
static void enc_small_payload(struct bytes *p, const struct srow *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		by_f32(p, r[i].y);
	for (size_t i = 0; i < n; i++)
		by_u32(p, r[i].u);
	for (size_t i = 0; i < n; i++)
		by_u32(p, r[i].nt);
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < r[i].nt; k++)
			by_u32(p, r[i].t[k]);
	for (size_t i = 0; i < n; i++)
		by_f32(p, r[i].x);
}

static void enc_small_block(struct bytes *b, const struct srow *r, size_t n)
{
	struct bytes p = { 0 };

	enc_small_payload(&p, r, n);
	enc_block(b, (uint32_t)n, &p);
	by_free(&p);
}

/* Where the parts of the multi-block frame start. */
struct layout {
	size_t header_end;  /* the first block */
	size_t block[3];    /* the data blocks */
	size_t end;         /* the end block */
};

/* A valid frame of 6 rows in blocks of 3, 1 and 2 rows (writers make
 * blocks of up to 65536 rows; readers take any size, and small blocks
 * make a small file whose every byte the loops below can visit). */
static void make_multi(struct bytes *f, struct layout *l)
{
	static const size_t cut[] = { 0, 3, 4, 6 };

	memset(f, 0, sizeof(*f));
	enc_preamble(f, small_json);
	l->header_end = f->n;
	for (int k = 0; k < 3; k++) {
		l->block[k] = f->n;
		enc_small_block(f, srows + cut[k], cut[k + 1] - cut[k]);
	}
	l->end = f->n;
	enc_end(f, 6, 3);
}

/* ---- reading whole files ---------------------------------------------- */

/* Writes data to path (replacing it).  A new file each time: ext4
 * flushes a file truncated and rewritten at close (auto_da_alloc), which
 * made the loops below wait on the disk. */
static void put_file(const char *path, const void *data, size_t len)
{
	FILE *fp;

	unlink(path);
	fp = fopen(path, "wbx");

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

/* Reads the frame at path to its end: 0 if valid (*rows and *blocks
 * counted), -1 with err set. */
static int read_all(const char *path, uint64_t *rows, uint64_t *blocks,
		    struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	uint64_t nr = 0, nb = 0;
	int rc;

	if (!in)
		return -1;
	r = hc_frame_reader_open(in, err);
	if (!r) {
		hc_in_close(in);
		return -1;
	}
	while ((rc = hc_frame_read_block(r, &b, err)) == 1) {
		nr += b->nrows;
		nb++;
	}
	hc_frame_reader_close(r);
	hc_in_close(in);
	if (rows)
		*rows = nr;
	if (blocks)
		*blocks = nb;
	return rc;
}

/* The bytes of f, read as a file, must fail with "<path>: <what>". */
static void expect_error(const struct bytes *f, const char *what)
{
	char *path = th_tmp_file(f->p, f->n);
	struct hc_err err = { 0 };
	char want[HC_ERR_MSG_MAX];

	snprintf(want, sizeof(want), "%s: %s", path, what);
	ck_assert_int_eq(read_all(path, NULL, NULL, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, want);
	unlink(path);
	free(path);
}

static void expect_valid(const struct bytes *f, uint64_t rows,
			 uint64_t blocks)
{
	char *path = th_tmp_file(f->p, f->n);
	struct hc_err err = { 0 };
	uint64_t nr, nb;

	ck_assert_msg(read_all(path, &nr, &nb, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(nr, rows);
	ck_assert_uint_eq(nb, blocks);
	unlink(path);
	free(path);
}

/* ---- writing files ---------------------------------------------------- */

struct wfile {
	char *dir, *path;
	struct hc_out *out;
	struct hc_frame_writer *w;
};

static void wf_open(struct wfile *f, const struct hc_frame_schema *s)
{
	struct hc_err err = { 0 };

	f->dir = th_tmp_dir();
	f->path = th_path_join(f->dir, "f.hcb");
	f->out = hc_out_open(f->path, &err);
	ck_assert_msg(f->out != NULL, "%s", err.msg);
	f->w = hc_frame_writer_open(f->out, s, &err);
	ck_assert_msg(f->w != NULL, "%s", err.msg);
}

/* Finishes the frame: the file is complete at f->path. */
static void wf_close(struct wfile *f)
{
	struct hc_err err = { 0 };

	ck_assert_msg(hc_frame_writer_close(f->w, &err) == 0, "%s", err.msg);
	f->w = NULL;
	ck_assert_msg(hc_out_close(f->out, &err) == 0, "%s", err.msg);
	f->out = NULL;
}

/* Abandons what is not finished and removes the files. */
static void wf_release(struct wfile *f)
{
	hc_frame_writer_abort(f->w);
	hc_out_abort(f->out);
	unlink(f->path);
	th_rm_dir(f->dir);
	free(f->path);
	free(f->dir);
	memset(f, 0, sizeof(*f));
}

static struct bytes wf_bytes(const struct wfile *f)
{
	struct bytes b = { 0 };

	b.p = (unsigned char *)th_read_file(f->path, &b.n);
	ck_assert_msg(b.p != NULL, "cannot read %s", f->path);
	b.cap = b.n;
	return b;
}

/* ---- round trips ------------------------------------------------------ */

enum { C_LABEL, C_WEIGHT, C_CAT1, C_CAT3, C_VAR, C_NUM, NCOLS_FULL };

/* label, weight, cat (arity 1, space 1000, extra keys), cat (arity 3,
 * space 2^32), cat (variable, space 100), num. */
static void full_schema(struct hc_frame_schema *s)
{
	struct hc_err err = { 0 };
	cJSON *c;

	ck_assert_int_eq(hc_frame_schema_init(s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "click", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "w", HC_KIND_WEIGHT, 1, 0, &err));
	c = hc_frame_schema_add(s, "user", HC_KIND_CAT, 1, 1000, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(cJSON_AddStringToObject(c, "scheme", "mod"));
	ck_assert_ptr_nonnull(cJSON_AddStringToObject(c, "seed", "18446744073709551615"));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "pair", HC_KIND_CAT, 3, HC_FRAME_SPACE_MAX, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "tags", HC_KIND_CAT, HC_ARITY_VAR, 100, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "price", HC_KIND_NUM, 1, 0, &err));
}

/* The values of row i, a function of i alone. */
static float v_label(uint64_t i)
{
	return (float)(i % 2);
}

static float v_weight(uint64_t i)
{
	return 0.25f * (float)(i % 8);
}

static uint32_t v_cat1(uint64_t i)
{
	return (uint32_t)(i * 7 % 1000);
}

static void v_cat3(uint64_t i, uint32_t ids[3])
{
	ids[0] = (uint32_t)i;
	ids[1] = (uint32_t)(i * 2654435761u);
	ids[2] = UINT32_MAX - (uint32_t)i; /* the top of a 2^32 space */
}

static size_t v_var(uint64_t i, uint32_t ids[4])
{
	size_t n = (size_t)(i % 5);

	for (size_t k = 0; k < n; k++)
		ids[k] = (uint32_t)((i + 37 * k) % 100);
	return n;
}

static float v_num(uint64_t i)
{
	switch (i % 1000) {
	case 1: return INFINITY;
	case 2: return -0.0f;
	case 3: return NAN;
	case 4: return -INFINITY;
	default: return (float)i * 0.001f - 3.0f;
	}
}

static int same_float(float a, float b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void put_full_row(struct hc_frame_writer *w, uint64_t i)
{
	struct hc_err err = { 0 };
	uint32_t ids[4], one = v_cat1(i);
	size_t n;

	if (hc_frame_put_num(w, C_LABEL, v_label(i), &err) != 0 ||
	    hc_frame_put_num(w, C_WEIGHT, v_weight(i), &err) != 0 ||
	    hc_frame_put_ids(w, C_CAT1, &one, 1, &err) != 0)
		ck_abort_msg("row %llu: %s", (unsigned long long)i, err.msg);
	v_cat3(i, ids);
	if (hc_frame_put_ids(w, C_CAT3, ids, 3, &err) != 0)
		ck_abort_msg("row %llu: %s", (unsigned long long)i, err.msg);
	n = v_var(i, ids);
	if (hc_frame_put_ids(w, C_VAR, ids, n, &err) != 0 ||
	    hc_frame_put_num(w, C_NUM, v_num(i), &err) != 0 ||
	    hc_frame_end_row(w, &err) != 0)
		ck_abort_msg("row %llu: %s", (unsigned long long)i, err.msg);
}

/* Compares every value of a block with what row first_row + r holds. */
static void check_full_block(const struct hc_frame_block *b,
			     const struct hc_frame_schema *s)
{
	for (size_t r = 0; r < b->nrows; r++) {
		uint64_t i = b->first_row + r;
		uint32_t want[4];
		const uint32_t *got;
		size_t n, wn;

		if (!same_float(b->cols[C_LABEL].num[r], v_label(i)) ||
		    !same_float(b->cols[C_WEIGHT].num[r], v_weight(i)) ||
		    !same_float(b->cols[C_NUM].num[r], v_num(i)) ||
		    b->cols[C_CAT1].ids[r] != v_cat1(i))
			ck_abort_msg("row %llu: a label, weight, num or cat value differs",
				     (unsigned long long)i);
		v_cat3(i, want);
		got = hc_frame_row_ids(b, &s->cols[C_CAT3], C_CAT3, r, &n);
		if (n != 3 || memcmp(got, want, 3 * sizeof(*got)) != 0)
			ck_abort_msg("row %llu: the arity-3 ids differ",
				     (unsigned long long)i);
		wn = v_var(i, want);
		got = hc_frame_row_ids(b, &s->cols[C_VAR], C_VAR, r, &n);
		if (n != wn || (n && memcmp(got, want, n * sizeof(*got)) != 0))
			ck_abort_msg("row %llu: %zu variable ids, expected %zu (or they differ)",
				     (unsigned long long)i, n, wn);
	}
}

/* 4-byte values (not counts) that row i adds to a block: the quantity
 * frame_write.c limits to about 1 MiB per block. */
static size_t full_row_values(uint64_t i)
{
	uint32_t ids[4];

	return 1 + 1 + 1 + 3 + v_var(i, ids) + 1;
}

/* The schema full_schema made (with a producer when producer != 0). */
static void check_full_schema(const struct hc_frame_schema *s, int producer)
{
	static const char *const names[] = { "click", "w", "user", "pair", "tags", "price" };
	static const enum hc_frame_kind kinds[] = { HC_KIND_LABEL, HC_KIND_WEIGHT, HC_KIND_CAT,
						    HC_KIND_CAT, HC_KIND_CAT, HC_KIND_NUM };
	static const uint32_t arity[] = { 1, 1, 1, 3, HC_ARITY_VAR, 1 };
	static const uint64_t space[] = { 0, 0, 1000, HC_FRAME_SPACE_MAX, 100, 0 };
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(s->doc, "columns");
	const cJSON *user = cJSON_GetArrayItem(cols, C_CAT1);
	const cJSON *v;

	ck_assert_uint_eq(s->ncols, NCOLS_FULL);
	for (size_t j = 0; j < NCOLS_FULL; j++) {
		ck_assert_str_eq(s->cols[j].name, names[j]);
		ck_assert_int_eq(s->cols[j].kind, kinds[j]);
		ck_assert_uint_eq(s->cols[j].arity, arity[j]);
		ck_assert_uint_eq(s->cols[j].space, space[j]);
	}
	ck_assert_int_eq(hc_frame_schema_find_kind(s, HC_KIND_LABEL), C_LABEL);
	ck_assert_int_eq(hc_frame_schema_find_kind(s, HC_KIND_WEIGHT), C_WEIGHT);
	v = cJSON_GetObjectItemCaseSensitive(user, "scheme");
	ck_assert_msg(cJSON_IsString(v) && strcmp(v->valuestring, "mod") == 0,
		      "the extra key \"scheme\" was lost");
	v = cJSON_GetObjectItemCaseSensitive(user, "seed");
	ck_assert_msg(cJSON_IsString(v) &&
		      strcmp(v->valuestring, "18446744073709551615") == 0,
		      "the extra key \"seed\" was lost");
	v = cJSON_GetObjectItemCaseSensitive(s->doc, "producer");
	ck_assert_msg(producer ? cJSON_IsObject(v) : v == NULL,
		      "the producer was lost or came from nowhere");
}

static const uint64_t round_trip_rows[] = { 0, 1, 65535, 65536, 65537, 200000 };

START_TEST(test_round_trip_full)
{
	uint64_t nrows = round_trip_rows[_i];
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	char *argv[] = { "show", "--from-csv", "x.csv" };
	char *text;
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	uint64_t next_row = 0, next_index = 0;
	int rc;

	full_schema(&s);
	ck_assert_int_eq(hc_frame_schema_set_producer(&s, 3, argv, &err), 0);
	text = cJSON_PrintUnformatted(s.doc);
	wf_open(&f, &s);
	for (uint64_t i = 0; i < nrows; i++)
		put_full_row(f.w, i);
	wf_close(&f);

	in = hc_in_open(f.path, &err);
	ck_assert_msg(in != NULL, "%s", err.msg);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	check_full_schema(hc_frame_reader_schema(r), 1);
	ck_assert_str_eq(hc_frame_reader_header_text(r), text);
	while ((rc = hc_frame_read_block(r, &b, &err)) == 1) {
		size_t vals = 0, last = 0;
		int final;

		ck_assert_uint_eq(b->index, next_index);
		ck_assert_uint_eq(b->first_row, next_row);
		ck_assert_uint_ge(b->nrows, 1);
		ck_assert_uint_le(b->nrows, 65536);
		check_full_block(b, hc_frame_reader_schema(r));
		for (size_t k = 0; k < b->nrows; k++)
			vals += last = full_row_values(b->first_row + k);
		/* Blocks end at 65536 rows or once 1 MiB of values is held,
		 * never later; only the last block may be short of both. */
		final = b->first_row + b->nrows == nrows;
		ck_assert_msg((vals - last) * 4 < MIB,
			      "block %llu went on past 1 MiB of values",
			      (unsigned long long)b->index);
		ck_assert_msg(final || b->nrows == 65536 || vals * 4 >= MIB,
			      "block %llu ended early (%zu rows)",
			      (unsigned long long)b->index, b->nrows);
		next_row += b->nrows;
		next_index++;
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(next_row, nrows);
	/* After the end block, reading goes on giving 0. */
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), 0);
	hc_frame_reader_close(r);
	hc_in_close(in);
	cJSON_free(text);
	hc_frame_schema_release(&s);
	wf_release(&f);
}
END_TEST

/* Two values a row (8 bytes): blocks end at the 65536-row limit alone. */
START_TEST(test_round_trip_block_rows)
{
	uint64_t nrows = round_trip_rows[_i];
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	uint64_t next_row = 0, nblocks = 0;
	int rc;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "id", HC_KIND_CAT, 1, 1u << 20, &err));
	wf_open(&f, &s);
	for (uint64_t i = 0; i < nrows; i++) {
		uint32_t id = (uint32_t)(i * 40503u % (1u << 20));
		if (hc_frame_put_num(f.w, 0, (float)i, &err) != 0 ||
		    hc_frame_put_ids(f.w, 1, &id, 1, &err) != 0 ||
		    hc_frame_end_row(f.w, &err) != 0)
			ck_abort_msg("row %llu: %s", (unsigned long long)i, err.msg);
	}
	wf_close(&f);

	in = hc_in_open(f.path, &err);
	ck_assert_msg(in != NULL, "%s", err.msg);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	while ((rc = hc_frame_read_block(r, &b, &err)) == 1) {
		uint64_t left = nrows - next_row;

		ck_assert_uint_eq(b->index, nblocks);
		ck_assert_uint_eq(b->first_row, next_row);
		ck_assert_uint_eq(b->nrows, left < 65536 ? left : 65536);
		for (size_t k = 0; k < b->nrows; k++) {
			uint64_t i = b->first_row + k;
			if (b->cols[0].num[k] != (float)i ||
			    b->cols[1].ids[k] != (uint32_t)(i * 40503u % (1u << 20)))
				ck_abort_msg("row %llu differs", (unsigned long long)i);
		}
		next_row += b->nrows;
		nblocks++;
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(next_row, nrows);
	ck_assert_uint_eq(nblocks, (nrows + 65535) / 65536);
	hc_frame_reader_close(r);
	hc_in_close(in);
	hc_frame_schema_release(&s);
	wf_release(&f);
}
END_TEST

/* A frame without rows: preamble, header and the end block alone. */
START_TEST(test_zero_rows)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	struct bytes bytes, want = { 0 };
	char *text;
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b = NULL;

	full_schema(&s);
	wf_open(&f, &s);
	wf_close(&f);
	text = cJSON_PrintUnformatted(s.doc);
	enc_preamble(&want, text);
	enc_end(&want, 0, 0);
	bytes = wf_bytes(&f);
	ck_assert_uint_eq(bytes.n, want.n);
	ck_assert_msg(memcmp(bytes.p, want.p, want.n) == 0,
		      "an empty frame is not preamble, header and end block");

	in = hc_in_open(f.path, &err);
	ck_assert_msg(in != NULL, "%s", err.msg);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	check_full_schema(hc_frame_reader_schema(r), 0);
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), 0);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), 0);
	hc_frame_reader_close(r);
	hc_in_close(in);
	by_free(&bytes);
	by_free(&want);
	cJSON_free(text);
	hc_frame_schema_release(&s);
	wf_release(&f);
}
END_TEST

/* The encoder the corruption tests rely on writes what the writer
 * writes (same rows in one block), so crafted files differ from real
 * ones only where a test makes them differ. */
START_TEST(test_encoder_matches_writer)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	struct bytes got, want = { 0 };
	size_t n = sizeof(srows) / sizeof(srows[0]);
	char *text;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "u", HC_KIND_CAT, 1, 10, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "t", HC_KIND_CAT, HC_ARITY_VAR, 10, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "x", HC_KIND_NUM, 1, 0, &err));
	text = cJSON_PrintUnformatted(s.doc);
	ck_assert_str_eq(text, small_json);
	wf_open(&f, &s);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(hc_frame_put_num(f.w, 0, srows[i].y, &err), 0);
		ck_assert_int_eq(hc_frame_put_ids(f.w, 1, &srows[i].u, 1, &err), 0);
		ck_assert_int_eq(hc_frame_put_ids(f.w, 2, srows[i].t, srows[i].nt, &err), 0);
		ck_assert_int_eq(hc_frame_put_num(f.w, 3, srows[i].x, &err), 0);
		ck_assert_int_eq(hc_frame_end_row(f.w, &err), 0);
	}
	wf_close(&f);
	enc_preamble(&want, small_json);
	enc_small_block(&want, srows, n);
	enc_end(&want, n, 1);
	got = wf_bytes(&f);
	ck_assert_uint_eq(got.n, want.n);
	ck_assert_msg(memcmp(got.p, want.p, want.n) == 0,
		      "the test encoder and the writer disagree");
	by_free(&got);
	by_free(&want);
	cJSON_free(text);
	hc_frame_schema_release(&s);
	wf_release(&f);
}
END_TEST

START_TEST(test_multi_block_valid)
{
	struct bytes f;
	struct layout l;
	char *path;
	struct hc_err err = { 0 };
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	size_t row = 0;
	static const size_t sizes[] = { 3, 1, 2 };

	make_multi(&f, &l);
	path = th_tmp_file(f.p, f.n);
	in = hc_in_open(path, &err);
	ck_assert_msg(in != NULL, "%s", err.msg);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	for (int k = 0; k < 3; k++) {
		const struct hc_frame_schema *s = hc_frame_reader_schema(r);
		ck_assert_int_eq(hc_frame_read_block(r, &b, &err), 1);
		ck_assert_uint_eq(b->nrows, sizes[k]);
		ck_assert_uint_eq(b->index, (uint64_t)k);
		ck_assert_uint_eq(b->first_row, row);
		for (size_t i = 0; i < b->nrows; i++, row++) {
			const uint32_t *ids;
			size_t n;
			ck_assert(same_float(b->cols[0].num[i], srows[row].y));
			ck_assert_uint_eq(b->cols[1].ids[i], srows[row].u);
			ids = hc_frame_row_ids(b, &s->cols[2], 2, i, &n);
			ck_assert_uint_eq(n, srows[row].nt);
			for (size_t k2 = 0; k2 < n; k2++)
				ck_assert_uint_eq(ids[k2], srows[row].t[k2]);
			ck_assert(same_float(b->cols[3].num[i], srows[row].x));
		}
	}
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), 0);
	hc_frame_reader_close(r);
	hc_in_close(in);
	unlink(path);
	free(path);
	by_free(&f);
}
END_TEST

/* ---- what the writer and the schema refuse ---------------------------- */

START_TEST(test_writer_rejects)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	uint32_t ids[4] = { 1, 2, 3, 4 }, big = 1000, ok = 999;

	full_schema(&s);
	wf_open(&f, &s);

	/* A fixed arity takes exactly that many ids. */
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_CAT3, ids, 2, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, "column 'pair': 2 ids where the header says 3");
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_CAT3, ids, 4, &err), -1);
	ck_assert_str_eq(err.msg, "column 'pair': 4 ids where the header says 3");
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_CAT1, ids, 0, &err), -1);
	ck_assert_str_eq(err.msg, "column 'user': 0 ids where the header says 1");

	/* Ids below the space, in fixed and variable columns. */
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_CAT1, &big, 1, &err), -1);
	ck_assert_str_eq(err.msg, "column 'user': id 1000 outside its id space 1000");
	ids[2] = 100;
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_VAR, ids, 3, &err), -1);
	ck_assert_str_eq(err.msg, "column 'tags': id 100 outside its id space 100");
	ids[2] = 3;

	/* Ids to a number column, numbers to a cat column. */
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_NUM, ids, 1, &err), -1);
	ck_assert_str_eq(err.msg, "column 'price': ids given twice or to a non-cat column");
	ck_assert_int_eq(hc_frame_put_num(f.w, C_CAT1, 1, &err), -1);
	ck_assert_str_eq(err.msg, "column 'user': value given twice or to a cat or key column");

	/* A column set twice in one row. */
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_CAT1, &ok, 1, &err), 0);
	ck_assert_int_eq(hc_frame_put_ids(f.w, C_CAT1, &ok, 1, &err), -1);
	ck_assert_str_eq(err.msg, "column 'user': ids given twice or to a non-cat column");
	ck_assert_int_eq(hc_frame_put_num(f.w, C_LABEL, 1, &err), 0);
	ck_assert_int_eq(hc_frame_put_num(f.w, C_LABEL, 0, &err), -1);
	ck_assert_str_eq(err.msg, "column 'click': value given twice or to a cat or key column");

	/* A row ended with columns unset names the first, and the row. */
	ck_assert_int_eq(hc_frame_end_row(f.w, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, "column 'w' not set in row 1");
	wf_release(&f);

	/* The row number counts rows already written, across blocks. */
	wf_open(&f, &s);
	for (uint64_t i = 0; i < 65537; i++)
		put_full_row(f.w, i);
	ck_assert_int_eq(hc_frame_put_num(f.w, C_LABEL, 1, &err), 0);
	ck_assert_int_eq(hc_frame_end_row(f.w, &err), -1);
	ck_assert_str_eq(err.msg, "column 'w' not set in row 65538");
	wf_release(&f);
	hc_frame_schema_release(&s);
}
END_TEST

static void expect_add_error(struct hc_frame_schema *s, const char *name,
			     enum hc_frame_kind kind, uint32_t arity,
			     uint64_t space, const char *what)
{
	struct hc_err err = { 0 };
	size_t ncols = s->ncols;
	cJSON *cols = cJSON_GetObjectItemCaseSensitive(s->doc, "columns");
	int njson = cJSON_GetArraySize(cols);

	ck_assert_ptr_null(hc_frame_schema_add(s, name, kind, arity, space, &err));
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, what);
	/* A refused column leaves no trace in either form of the schema. */
	ck_assert_uint_eq(s->ncols, ncols);
	ck_assert_int_eq(cJSON_GetArraySize(cols), njson);
}

START_TEST(test_schema_rejects)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "w", HC_KIND_WEIGHT, 1, 0, &err));
	expect_add_error(&s, "y2", HC_KIND_LABEL, 1, 0, "a second label column 'y2'");
	expect_add_error(&s, "w2", HC_KIND_WEIGHT, 1, 0, "a second weight column 'w2'");
	expect_add_error(&s, "c", HC_KIND_CAT, 1, 0,
			 "column 'c': id space must be 1 to 2^32, not 0");
	expect_add_error(&s, "c", HC_KIND_CAT, 1, HC_FRAME_SPACE_MAX + 1,
			 "column 'c': id space must be 1 to 2^32, not 4294967297");
	expect_add_error(&s, "c", HC_KIND_CAT, 1025, 10,
			 "column 'c': more than 1024 ids per row");
	expect_add_error(&s, "n", HC_KIND_NUM, 2, 0,
			 "column 'n': a num column holds one value per row");
	expect_add_error(&s, "n", HC_KIND_NUM, HC_ARITY_VAR, 0,
			 "column 'n': a num column holds one value per row");
	expect_add_error(&s, "", HC_KIND_NUM, 1, 0, "column 3 has an empty name");
	/* The limits themselves are accepted. */
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "c", HC_KIND_CAT, 1024, HC_FRAME_SPACE_MAX, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "one", HC_KIND_CAT, 1, 1, &err));
	ck_assert_uint_eq(s.ncols, 4);
	hc_frame_schema_release(&s);
}
END_TEST

/* A schema without columns is one no reader accepts ("header: no
 * columns"), so the writer must refuse it rather than write it. */
START_TEST(test_writer_rejects_no_columns)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	char *dir = th_tmp_dir();
	char *path = th_path_join(dir, "f.hcb");
	struct hc_out *out;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	out = hc_out_open(path, &err);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_null(hc_frame_writer_open(out, &s, &err));
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, "a frame needs at least one column");
	hc_out_abort(out);
	ck_assert_uint_eq(th_dir_entries(dir, NULL), 0);
	hc_frame_schema_release(&s);
	th_rm_dir(dir);
	free(path);
	free(dir);
}
END_TEST

/* ---- the preamble and the header -------------------------------------- */

START_TEST(test_empty_file)
{
	struct bytes f = { 0 };

	expect_error(&f, "empty input (not a hicard frame)");
}
END_TEST

START_TEST(test_wrong_magic)
{
	struct bytes f = { 0 };
	const char csv[] = "click,user_id\n0,101\n1,142\n";

	by_put(&f, csv, sizeof(csv) - 1);
	expect_error(&f, "not a hicard frame (wrong magic)");
	by_free(&f);
	/* Each magic byte matters: a text-mode transfer turns \r\n into \n. */
	for (size_t k = 0; k < 8; k++) {
		enc_preamble(&f, small_json);
		enc_end(&f, 0, 0);
		f.p[k] ^= 0x20;
		expect_error(&f, "not a hicard frame (wrong magic)");
		by_free(&f);
	}
	/* Short files that are not a frame's beginning are not frames. */
	by_put(&f, "PK\3\4", 4);
	expect_error(&f, "not a hicard frame (wrong magic)");
	by_free(&f);
}
END_TEST

START_TEST(test_bad_version)
{
	static const uint32_t versions[] = { 0, 2, 0x01000000, UINT32_MAX };
	char what[160];

	for (size_t k = 0; k < sizeof(versions) / sizeof(versions[0]); k++) {
		struct bytes f = { 0 };
		enc_preamble_v(&f, versions[k], small_json);
		enc_end(&f, 0, 0);
		snprintf(what, sizeof(what),
			 "frame format version %u is not supported (this hicard reads version 1)",
			 versions[k]);
		expect_error(&f, what);
		by_free(&f);
	}
}
END_TEST

START_TEST(test_header_length)
{
	struct bytes f = { 0 };

	enc_preamble(&f, small_json);
	enc_end(&f, 0, 0);
	set_u32(&f, 12, 0);
	expect_error(&f, "header length 0 is out of range (1 to 16 MiB)");
	set_u32(&f, 12, HC_FRAME_HEADER_MAX + 1);
	expect_error(&f, "header length 16777217 is out of range (1 to 16 MiB)");
	set_u32(&f, 12, UINT32_MAX);
	expect_error(&f, "header length 4294967295 is out of range (1 to 16 MiB)");
	/* 16 MiB itself is in range: this file is then too short for it. */
	set_u32(&f, 12, HC_FRAME_HEADER_MAX);
	expect_error(&f, "truncated in the header");
	/* A length one short or one long: the checksum is over other bytes. */
	set_u32(&f, 12, (uint32_t)strlen(small_json) - 1);
	expect_error(&f, "header checksum mismatch (corrupted file)");
	set_u32(&f, 12, (uint32_t)strlen(small_json) + 1);
	expect_error(&f, "header checksum mismatch (corrupted file)");
	by_free(&f);
}
END_TEST

START_TEST(test_truncated_preamble_and_header)
{
	struct bytes f = { 0 };
	size_t full;

	enc_preamble(&f, small_json);
	full = f.n;
	for (size_t n = 1; n < 16; n++) {
		f.n = n;
		expect_error(&f, "truncated in the preamble");
	}
	for (size_t n = 16; n < full; n++) {
		f.n = n;
		expect_error(&f, "truncated in the header");
	}
	by_free(&f);
}
END_TEST

START_TEST(test_header_checksum)
{
	struct bytes f = { 0 };
	size_t len = strlen(small_json);

	enc_preamble(&f, small_json);
	enc_end(&f, 0, 0);
	/* A flipped header byte, first and last, and a flipped checksum. */
	f.p[16] ^= 1;
	expect_error(&f, "header checksum mismatch (corrupted file)");
	f.p[16] ^= 1;
	f.p[16 + len - 1] ^= 0x80;
	expect_error(&f, "header checksum mismatch (corrupted file)");
	f.p[16 + len - 1] ^= 0x80;
	f.p[16 + len + 3] ^= 0x10;
	expect_error(&f, "header checksum mismatch (corrupted file)");
	by_free(&f);
}
END_TEST

/* A frame of json as its header (with a valid checksum) and no rows. */
static void expect_header(const char *json, const char *what)
{
	struct bytes f = { 0 };

	enc_preamble(&f, json);
	enc_end(&f, 0, 0);
	if (what)
		expect_error(&f, what);
	else
		expect_valid(&f, 0, 0);
	by_free(&f);
}

#define HDR(cols) \
	"{\"format\":\"hicard-frame\",\"version\":1,\"columns\":[" cols "]}"

START_TEST(test_header_not_json)
{
	expect_header("not json", "header: not a valid JSON object");
	expect_header("{\"format\":\"hicard-frame\"", "header: not a valid JSON object");
	expect_header("[1,2,3]", "header: not a valid JSON object");
	expect_header("\"hicard-frame\"", "header: not a valid JSON object");
	/* JSON text is one value: what follows it is not JSON. */
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"num\"}") "junk",
		      "header: not a valid JSON object");
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"num\"}") "{}",
		      "header: not a valid JSON object");
	/* Whitespace around it is JSON. */
	expect_header("\n " HDR("{\"name\":\"a\",\"kind\":\"num\"}") " \n", NULL);
}
END_TEST

START_TEST(test_header_rules)
{
	const char *v1 = "header: not a hicard-frame version 1 header";
	const char *space = "header: column 'a': 'space' must be a whole number from 1 to 2^32";
	const char *ids = "header: column 'a': 'ids' must be 1 to 1024 or \"var\"";

	/* format and version */
	expect_header("{\"format\":\"other\",\"version\":1,\"columns\":[{\"name\":\"a\",\"kind\":\"num\"}]}", v1);
	expect_header("{\"version\":1,\"columns\":[{\"name\":\"a\",\"kind\":\"num\"}]}", v1);
	expect_header("{\"format\":\"hicard-frame\",\"version\":2,\"columns\":[{\"name\":\"a\",\"kind\":\"num\"}]}", v1);
	expect_header("{\"format\":\"hicard-frame\",\"version\":\"1\",\"columns\":[{\"name\":\"a\",\"kind\":\"num\"}]}", v1);
	expect_header("{\"format\":\"hicard-frame\",\"columns\":[{\"name\":\"a\",\"kind\":\"num\"}]}", v1);
	/* columns */
	expect_header("{\"format\":\"hicard-frame\",\"version\":1}", "header: no columns");
	expect_header(HDR(""), "header: no columns");
	expect_header("{\"format\":\"hicard-frame\",\"version\":1,\"columns\":{}}", "header: no columns");
	expect_header(HDR("{\"kind\":\"num\"}"), "header: column 1 has no name");
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"num\"},7"), "header: column 2 has no name");
	expect_header(HDR("{\"name\":\"\",\"kind\":\"num\"}"), "header: column 1 has an empty name");
	expect_header(HDR("{\"name\":\"a\"}"),
		      "header: column 'a' has no valid kind (label, weight, cat, num or key)");
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"text\"}"),
		      "header: column 'a' has no valid kind (label, weight, cat, num or key)");
	expect_header(HDR("{\"name\":\"a\",\"kind\":3}"),
		      "header: column 'a' has no valid kind (label, weight, cat, num or key)");
	expect_header(HDR("{\"name\":\"y\",\"kind\":\"label\"},{\"name\":\"z\",\"kind\":\"label\"}"),
		      "header: a second label column 'z'");
	expect_header(HDR("{\"name\":\"y\",\"kind\":\"weight\"},{\"name\":\"z\",\"kind\":\"weight\"}"),
		      "header: a second weight column 'z'");
	/* a cat column's space */
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\"}"), space);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"space\":0}"), space);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"space\":-1}"), space);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"space\":1.5}"), space);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"space\":4294967297}"), space);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"space\":1e300}"), space);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"space\":\"10\"}"), space);
	/* a cat column's ids */
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"ids\":0,\"space\":10}"), ids);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"ids\":1025,\"space\":10}"), ids);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"ids\":2.5,\"space\":10}"), ids);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"ids\":\"variable\",\"space\":10}"), ids);
	/* what is valid: the limits, unknown keys, keys of other kinds */
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"ids\":1024,\"space\":4294967296}"), NULL);
	expect_header(HDR("{\"name\":\"a\",\"kind\":\"cat\",\"ids\":\"var\",\"space\":1,\"scheme\":\"mod\"}"), NULL);
	expect_header("{\"format\":\"hicard-frame\",\"version\":1,\"extra\":[1,{}],"
		      "\"columns\":[{\"name\":\"a\",\"kind\":\"num\",\"space\":0}]}", NULL);
}
END_TEST

/* ---- blocks ----------------------------------------------------------- */

START_TEST(test_bad_tag)
{
	struct bytes f;
	struct layout l;

	make_multi(&f, &l);
	f.p[l.block[0]] = 'h';
	expect_error(&f, "block 1: bad block tag (corrupted file)");
	f.p[l.block[0]] = 'H';
	f.p[l.block[1] + 3] = 'C';
	expect_error(&f, "block 2: bad block tag (corrupted file)");
	f.p[l.block[1] + 3] = 'K';
	memcpy(f.p + l.end, "HCBE", 4);
	expect_error(&f, "block 4: bad block tag (corrupted file)");
	by_free(&f);
}
END_TEST

/* Counts and lengths over the limits are refused before anything is
 * allocated: with every allocation made to fail, the message must still
 * be the range error, not "out of memory". */
static void expect_range_error(uint32_t rows, uint32_t len)
{
	struct bytes f = { 0 };
	char *path;
	struct hc_err err = { 0 };
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	char want[HC_ERR_MSG_MAX];

	enc_preamble(&f, small_json);
	enc_block_raw(&f, "HCBK", rows, len, 0, "0123456789abcdef", 16);
	path = th_tmp_file(f.p, f.n);
	in = hc_in_open(path, &err);
	ck_assert_ptr_nonnull(in);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	setenv("HICARD_FAIL_ALLOC", "1", 1);
	hc_mem_init_from_env();
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), -1);
	setenv("HICARD_FAIL_ALLOC", "0", 1);
	hc_mem_init_from_env();
	unsetenv("HICARD_FAIL_ALLOC");
	snprintf(want, sizeof(want),
		 "%s: block 1: row count or payload length out of range (corrupted file)",
		 path);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, want);
	hc_frame_reader_close(r);
	hc_in_close(in);
	unlink(path);
	free(path);
	by_free(&f);
}

START_TEST(test_huge_counts)
{
	expect_range_error(UINT32_MAX, 16);
	expect_range_error(HC_FRAME_BLOCK_ROWS_MAX + 1, 16);
	expect_range_error(1, UINT32_MAX);
	expect_range_error(1, HC_FRAME_PAYLOAD_MAX + 1);
	expect_range_error(UINT32_MAX, UINT32_MAX);
}
END_TEST

/* The hook expect_range_error relies on: an allocation that does happen
 * fails as "out of memory" (else that test would prove nothing). */
START_TEST(test_alloc_hook_is_live)
{
	struct bytes f = { 0 };
	char *path;
	struct hc_err err = { 0 };
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;

	enc_preamble(&f, small_json);
	enc_small_block(&f, srows, 2);
	enc_end(&f, 2, 1);
	path = th_tmp_file(f.p, f.n);
	in = hc_in_open(path, &err);
	ck_assert_ptr_nonnull(in);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	setenv("HICARD_FAIL_ALLOC", "1", 1);
	hc_mem_init_from_env();
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), -1);
	setenv("HICARD_FAIL_ALLOC", "0", 1);
	hc_mem_init_from_env();
	unsetenv("HICARD_FAIL_ALLOC");
	ck_assert_int_eq(err.kind, HC_ERR_NOMEM);
	ck_assert_str_eq(err.msg, "out of memory");
	hc_frame_reader_close(r);
	hc_in_close(in);
	unlink(path);
	free(path);
	by_free(&f);
}
END_TEST

START_TEST(test_limits_in_range)
{
	struct bytes f = { 0 }, p = { 0 };

	/* The largest row count is read (and its payload found short). */
	by_u32(&p, 0);
	enc_preamble(&f, small_json);
	enc_block(&f, HC_FRAME_BLOCK_ROWS_MAX, &p);
	expect_error(&f, "block 1: payload shorter than its rows need (corrupted file)");
	by_free(&f);
	/* The largest payload length is read (and found missing). */
	enc_preamble(&f, small_json);
	enc_block_raw(&f, "HCBK", 1, HC_FRAME_PAYLOAD_MAX, 0, "abcd", 4);
	expect_error(&f, "block 1: truncated payload");
	by_free(&f);
	by_free(&p);
}
END_TEST

START_TEST(test_payload_checksum)
{
	struct bytes f;
	struct layout l;

	make_multi(&f, &l);
	f.p[l.block[0] + 16] ^= 0x01; /* the first payload byte */
	expect_error(&f, "block 1: checksum mismatch (corrupted file)");
	f.p[l.block[0] + 16] ^= 0x01;
	f.p[l.end - 1] ^= 0x80;       /* the last byte of block 3 */
	expect_error(&f, "block 3: checksum mismatch (corrupted file)");
	f.p[l.end - 1] ^= 0x80;
	f.p[l.block[1] + 12] ^= 0xff; /* block 2's stored checksum */
	expect_error(&f, "block 2: checksum mismatch (corrupted file)");
	f.p[l.block[1] + 12] ^= 0xff;
	expect_valid(&f, 6, 3);
	by_free(&f);
}
END_TEST

/* One block of the small schema with the given rows and payload (valid
 * checksum), then an end block. */
static void expect_block_error(uint32_t rows, const struct bytes *payload,
			       const char *what)
{
	struct bytes f = { 0 };

	enc_preamble(&f, small_json);
	enc_block(&f, rows, payload);
	enc_end(&f, rows, 1);
	expect_error(&f, what);
	by_free(&f);
}

START_TEST(test_payload_length)
{
	const char *shorter = "block 1: payload shorter than its rows need (corrupted file)";
	const char *longer = "block 1: payload longer than its rows need (corrupted file)";
	struct bytes p = { 0 };

	/* Rows that claim more or fewer than the payload holds. */
	enc_small_payload(&p, srows, 3);
	expect_block_error(4, &p, shorter);
	/* With 2 rows the layout happens to fit exactly (u's window takes
	 * y[2], 1.0f, as an id; the counts read 9 and 0, as many ids as are
	 * left): the id check is what catches that one. */
	expect_block_error(2, &p, "block 1: column 'u': id 1065353216 outside its id space 10");
	by_free(&p);
	/* A value more, or one fewer, than 3 rows need. */
	enc_small_payload(&p, srows, 3);
	by_u32(&p, 0);
	expect_block_error(3, &p, longer);
	p.n -= 8;
	expect_block_error(3, &p, shorter);
	p.n = 0;
	expect_block_error(1, &p, shorter);
	/* Not a multiple of 4. */
	enc_small_payload(&p, srows, 1);
	by_put(&p, "x", 1);
	expect_block_error(1, &p, longer);
	by_free(&p);
}
END_TEST

START_TEST(test_var_counts)
{
	const char *shorter = "block 1: payload shorter than its rows need (corrupted file)";
	const char *longer = "block 1: payload longer than its rows need (corrupted file)";
	struct bytes p = { 0 };

	/* label, u for 2 rows, then counts that add up past the payload
	 * or wrap around 2^32 (0x80000000 twice), or claim too few ids. */
	static const uint32_t counts[][2] = {
		{ UINT32_MAX, UINT32_MAX },
		{ 0x80000000u, 0x80000000u },
		{ 1, UINT32_MAX },
		{ 3, 0 },
		{ 0, 1 },
	};
	static const char *const want[] = { "s", "s", "s", "s", "l" };

	for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		by_f32(&p, 1);
		by_f32(&p, 0);
		by_u32(&p, 1);
		by_u32(&p, 2);
		by_u32(&p, counts[k][0]);
		by_u32(&p, counts[k][1]);
		by_u32(&p, 5);   /* two ids */
		by_u32(&p, 6);
		by_f32(&p, 0.5f);
		by_f32(&p, 1.5f);
		expect_block_error(2, &p, want[k][0] == 's' ? shorter : longer);
		p.n = 0;
	}
	/* The same with counts that fit is valid. */
	by_f32(&p, 1);
	by_f32(&p, 0);
	by_u32(&p, 1);
	by_u32(&p, 2);
	by_u32(&p, 2);
	by_u32(&p, 0);
	by_u32(&p, 5);
	by_u32(&p, 6);
	by_f32(&p, 0.5f);
	by_f32(&p, 1.5f);
	{
		struct bytes f = { 0 };
		enc_preamble(&f, small_json);
		enc_block(&f, 2, &p);
		enc_end(&f, 2, 1);
		expect_valid(&f, 2, 1);
		by_free(&f);
	}
	by_free(&p);
}
END_TEST

START_TEST(test_id_outside_space)
{
	struct srow r[2];
	struct bytes p = { 0 };

	memcpy(r, srows, sizeof(r));
	r[1].u = 10;
	enc_small_payload(&p, r, 2);
	expect_block_error(2, &p, "block 1: column 'u': id 10 outside its id space 10");
	p.n = 0;
	memcpy(r, srows, sizeof(r));
	r[0].t[1] = UINT32_MAX;
	enc_small_payload(&p, r, 2);
	expect_block_error(2, &p,
			   "block 1: column 't': id 4294967295 outside its id space 10");
	by_free(&p);
	/* In a later block, numbered as such. */
	{
		struct bytes f;
		struct layout l;
		struct bytes g = { 0 };

		make_multi(&f, &l);
		by_put(&g, f.p, l.block[2]);
		memcpy(r, srows + 4, sizeof(r));
		r[1].t[0] = 10;
		enc_small_block(&g, r, 2);
		enc_end(&g, 6, 3);
		expect_error(&g, "block 3: column 't': id 10 outside its id space 10");
		by_free(&f);
		by_free(&g);
	}
}
END_TEST

/* A row count that disagrees with its payload is reported as a length
 * error, not as ids outside their space: the payload's layout is checked
 * before any id in it is trusted.  Two cat columns a and b, 4 rows; a row
 * count of 3 or 5 shifts b's values into a's window or back. */
static void expect_rows_error(uint64_t space_a, uint64_t space_b,
			      uint32_t a0, uint32_t b0, uint32_t rows,
			      const char *what)
{
	char json[256];
	struct bytes f = { 0 }, p = { 0 };

	snprintf(json, sizeof(json),
		 HDR("{\"name\":\"a\",\"kind\":\"cat\",\"space\":%llu},"
		     "{\"name\":\"b\",\"kind\":\"cat\",\"space\":%llu}"),
		 (unsigned long long)space_a, (unsigned long long)space_b);
	for (uint32_t i = 0; i < 4; i++)
		by_u32(&p, a0 + i);
	for (uint32_t i = 0; i < 4; i++)
		by_u32(&p, b0 + i);
	enc_preamble(&f, json);
	enc_block(&f, 4, &p);
	enc_end(&f, 4, 1);
	expect_valid(&f, 4, 1);   /* as written, the frame is valid */
	set_u32(&f, strlen(json) + 20 + 4, rows);
	expect_error(&f, what);
	by_free(&f);
	by_free(&p);
}

START_TEST(test_rows_checked_before_ids)
{
	/* 5 rows: a's window takes b's first value, 1000 (space 10). */
	expect_rows_error(10, 2000, 1, 1000, 5,
			  "block 1: payload shorter than its rows need (corrupted file)");
	/* 3 rows: b's window starts at a's last value, 1003 (space 10). */
	expect_rows_error(2000, 10, 1000, 1, 3,
			  "block 1: payload longer than its rows need (corrupted file)");
}
END_TEST

START_TEST(test_end_block)
{
	struct bytes f;
	struct layout l;
	struct bytes g = { 0 };

	make_multi(&f, &l);
	/* Totals that disagree with what was read (valid checksums). */
	by_put(&g, f.p, l.end);
	enc_end(&g, 5, 3);
	expect_error(&g, "block 4: end block counts 5 rows in 3 blocks, but 6 rows in 3 blocks were read");
	g.n = l.end;
	enc_end(&g, 6, 2);
	expect_error(&g, "block 4: end block counts 6 rows in 2 blocks, but 6 rows in 3 blocks were read");
	g.n = l.end;
	enc_end(&g, (uint64_t)6 << 32 | 6, 3);
	expect_error(&g, "block 4: end block counts 25769803782 rows in 3 blocks, but 6 rows in 3 blocks were read");
	/* A missing block: block 2 left out. */
	g.n = 0;
	by_put(&g, f.p, l.block[1]);
	by_put(&g, f.p + l.block[2], f.n - l.block[2]);
	expect_error(&g, "block 3: end block counts 6 rows in 3 blocks, but 5 rows in 2 blocks were read");
	/* Its length, its checksum, its payload. */
	set_u32(&f, l.end + 8, 17);
	expect_error(&f, "block 4: end block with a payload length other than 16");
	set_u32(&f, l.end + 8, 0);
	expect_error(&f, "block 4: end block with a payload length other than 16");
	set_u32(&f, l.end + 8, 16);
	f.p[l.end + 12] ^= 4;
	expect_error(&f, "block 4: end block checksum mismatch (corrupted file)");
	f.p[l.end + 12] ^= 4;
	f.p[l.end + 20] ^= 4;
	expect_error(&f, "block 4: end block checksum mismatch (corrupted file)");
	f.p[l.end + 20] ^= 4;
	expect_valid(&f, 6, 3);
	by_free(&g);
	by_free(&f);
}
END_TEST

START_TEST(test_after_end)
{
	struct bytes f;
	struct layout l;
	size_t n;

	make_multi(&f, &l);
	n = f.n;
	by_put(&f, "\n", 1);
	expect_error(&f, "data after the end block");
	f.n = n;
	by_put(&f, "\0", 1);
	expect_error(&f, "data after the end block");
	f.n = n;
	enc_end(&f, 6, 3);           /* a second end block */
	expect_error(&f, "data after the end block");
	f.n = n;
	{
		unsigned char *copy = malloc(n);  /* two frames end to end */
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, f.p, n);
		by_put(&f, copy, n);
		free(copy);
	}
	expect_error(&f, "data after the end block");
	f.n = n;
	expect_valid(&f, 6, 3);
	by_free(&f);
}
END_TEST

/* ---- every prefix ----------------------------------------------------- */

/* The message a frame cut after n bytes must give. */
static void prefix_error(const struct layout *l, size_t full_header,
			 size_t n, char *what, size_t cap)
{
	const size_t starts[] = { l->block[0], l->block[1], l->block[2], l->end };

	if (n == 0) {
		snprintf(what, cap, "empty input (not a hicard frame)");
		return;
	}
	if (n < 16) {
		snprintf(what, cap, "truncated in the preamble");
		return;
	}
	if (n < full_header) {
		snprintf(what, cap, "truncated in the header");
		return;
	}
	for (int k = 3; k >= 0; k--) {
		size_t at = starts[k];
		if (n < at)
			continue;
		if (n == at)
			snprintf(what, cap, "truncated: the file ends without an end block");
		else if (n < at + 16)
			snprintf(what, cap, "block %d: truncated block header", k + 1);
		else if (k == 3)
			snprintf(what, cap, "block 4: truncated end block");
		else
			snprintf(what, cap, "block %d: truncated payload", k + 1);
		return;
	}
	ck_abort_msg("prefix %zu: no expectation", n);
}

START_TEST(test_every_prefix)
{
	struct bytes f;
	struct layout l;
	size_t full;
	char *path = th_tmp_file("", 0);
	char what[256], want[HC_ERR_MSG_MAX];
	int boundaries = 0;

	make_multi(&f, &l);
	full = f.n;
	for (size_t n = 0; n < full; n++) {
		struct hc_err err = { 0 };
		put_file(path, f.p, n);
		if (read_all(path, NULL, NULL, &err) != -1 || err.kind != HC_ERR_DATA)
			ck_abort_msg("a frame cut at %zu of %zu bytes was read without a data error (%s)",
				     n, full, err.msg);
		prefix_error(&l, l.header_end, n, what, sizeof(what));
		snprintf(want, sizeof(want), "%s: %s", path, what);
		if (strcmp(err.msg, want) != 0)
			ck_abort_msg("cut at %zu: got '%s', expected '%s'", n,
				     err.msg, want);
		boundaries += strstr(what, "without an end block") != NULL;
	}
	ck_assert_int_eq(boundaries, 4);
	put_file(path, f.p, full);
	ck_assert_int_eq(read_all(path, NULL, NULL, &(struct hc_err){ 0 }), 0);
	unlink(path);
	free(path);
	by_free(&f);
}
END_TEST

/* ---- byte flips ------------------------------------------------------- */

/* Reads f with byte at XORed by x: 1 if that went unnoticed (a valid
 * read), 0 if it ended in a clean data error naming the file. */
static int flip_unnoticed(struct bytes *f, const char *path, size_t at,
			  unsigned char x)
{
	struct hc_err err = { 0 };
	int rc;

	f->p[at] ^= x;
	put_file(path, f->p, f->n);
	f->p[at] ^= x;
	rc = read_all(path, NULL, NULL, &err);
	if (rc == 0)
		return 1;
	if (rc != -1 || err.kind != HC_ERR_DATA ||
	    strncmp(err.msg, path, strlen(path)) != 0)
		ck_abort_msg("flip of byte %zu by 0x%02x: rc %d, kind %d, '%s'",
			     at, x, rc, (int)err.kind, err.msg);
	return 0;
}

/* Every byte of a frame matters, so every flip must be detected:
 *   magic -> wrong magic; version -> unsupported version; header length
 *   -> out of range, or the header CRC taken over other bytes; header
 *   and its CRC -> header checksum; tag -> bad tag; rows -> out of range,
 *   a payload length that disagrees, or end-block totals (rows are not
 *   under the CRC, the totals catch what the lengths cannot; a data
 *   block turned into an end block has the wrong length); payload length
 *   -> range, truncation or the CRC over other bytes; CRC and payload ->
 *   checksum; the end block -> its length, its CRC, or (rows made
 *   non-zero) a data block followed by no end block.  CRC-32C catches
 *   every error burst of up to 32 bits, so no single-byte change within
 *   a checksummed range can collide.  Hence 100%, not 99%. */
START_TEST(test_byte_flips)
{
	struct bytes f;
	struct layout l;
	char *path = th_tmp_file("", 0);
	uint64_t seed = 0x68696361726421ull; /* "hicard!" */
	int unnoticed = 0, first = -1;

	make_multi(&f, &l);
	for (int it = 0; it < 2000; it++) {
		size_t at = (size_t)(th_rand(&seed) % f.n);
		unsigned char x = (unsigned char)(1 + th_rand(&seed) % 255);
		if (flip_unnoticed(&f, path, at, x)) {
			unnoticed++;
			if (first < 0)
				first = (int)at;
		}
	}
	ck_assert_msg(unnoticed == 0, "%d of 2000 flips went unnoticed (first at byte %d)",
		      unnoticed, first);
	unlink(path);
	free(path);
	by_free(&f);
}
END_TEST

START_TEST(test_every_bit_flip)
{
	struct bytes f;
	struct layout l;
	char *path = th_tmp_file("", 0);

	make_multi(&f, &l);
	for (size_t at = 0; at < f.n; at++)
		for (int bit = 0; bit < 8; bit++)
			if (flip_unnoticed(&f, path, at, (unsigned char)(1u << bit)))
				ck_abort_msg("flipping bit %d of byte %zu (of %zu) went unnoticed",
					     bit, at, f.n);
	unlink(path);
	free(path);
	by_free(&f);
}
END_TEST

/* The same over a frame as the writer makes it: two blocks of 65536 and
 * 1 rows.  Flips land in the structure (first and last 4 KiB) and in the
 * middle of the payload. */
START_TEST(test_byte_flips_writer_frame)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile w = { 0 };
	struct bytes f;
	char *path = th_tmp_file("", 0);
	uint64_t seed = 7;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "t", HC_KIND_CAT, HC_ARITY_VAR, 1000, &err));
	wf_open(&w, &s);
	for (uint32_t i = 0; i < 65537; i++) {
		uint32_t id = i % 1000;
		if (hc_frame_put_num(w.w, 0, (float)(i & 1), &err) != 0 ||
		    hc_frame_put_ids(w.w, 1, &id, i % 2, &err) != 0 ||
		    hc_frame_end_row(w.w, &err) != 0)
			ck_abort_msg("row %u: %s", i, err.msg);
	}
	wf_close(&w);
	f = wf_bytes(&w);
	for (int it = 0; it < 200; it++) {
		uint64_t r = th_rand(&seed);
		size_t at = (size_t)(r >> 8) % 4096;
		unsigned char x = (unsigned char)(1 + r % 255);
		if (it % 3 == 1)
			at = f.n - 1 - at;
		else if (it % 3 == 2)
			at = (size_t)((r >> 8) % f.n);
		if (flip_unnoticed(&f, path, at, x))
			ck_abort_msg("flip of byte %zu by 0x%02x went unnoticed", at, x);
	}
	unlink(path);
	free(path);
	by_free(&f);
	hc_frame_schema_release(&s);
	wf_release(&w);
}
END_TEST

/* ---- text forms ------------------------------------------------------- */

/* label y, weight w, cat u (space 10), cat p (2 ids, space 5), cat t
 * (variable, space 4), num x. */
static void text_schema(struct hc_frame_schema *s)
{
	struct hc_err err = { 0 };

	ck_assert_int_eq(hc_frame_schema_init(s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "w", HC_KIND_WEIGHT, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "u", HC_KIND_CAT, 1, 10, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "p", HC_KIND_CAT, 2, 5, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "t", HC_KIND_CAT, HC_ARITY_VAR, 4, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(s, "x", HC_KIND_NUM, 1, 0, &err));
}

static void put_text_row(struct hc_frame_writer *w,
			 const struct hc_frame_schema *s,
			 const char *const *fields)
{
	struct hc_err err = { 0 };

	for (size_t j = 0; j < s->ncols; j++)
		ck_assert_msg(hc_frame_put_text(w, s, j, fields[j], strlen(fields[j]), &err) == 0,
			      "column %zu '%s': %s", j, fields[j], err.msg);
	ck_assert_msg(hc_frame_end_row(w, &err) == 0, "%s", err.msg);
}

static void expect_text_error(struct hc_frame_writer *w,
			      const struct hc_frame_schema *s, size_t col,
			      const char *text, const char *what)
{
	struct hc_err err = { 0 };

	ck_assert_int_eq(hc_frame_put_text(w, s, col, text, strlen(text), &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	ck_assert_str_eq(err.msg, what);
}

START_TEST(test_put_text_errors)
{
	struct hc_frame_schema s;
	struct wfile f = { 0 };
	char many[1025 * 2 + 1], long_text[80];
	char what[256];

	text_schema(&s);
	wf_open(&f, &s);
#define ID_ERR(t, space) "cannot parse '" t "' as an id (a whole number below " space ")"
	expect_text_error(f.w, &s, 2, "", ID_ERR("", "10"));
	expect_text_error(f.w, &s, 2, "x", ID_ERR("x", "10"));
	expect_text_error(f.w, &s, 2, "4x", ID_ERR("4x", "10"));
	expect_text_error(f.w, &s, 2, "-1", ID_ERR("-1", "10"));
	expect_text_error(f.w, &s, 2, "+1", ID_ERR("+1", "10"));
	expect_text_error(f.w, &s, 2, " 1", ID_ERR(" 1", "10"));
	expect_text_error(f.w, &s, 2, "1 ", ID_ERR("1 ", "10"));
	expect_text_error(f.w, &s, 2, "1.0", ID_ERR("1.0", "10"));
	expect_text_error(f.w, &s, 2, "10", ID_ERR("10", "10"));
	expect_text_error(f.w, &s, 2, "99999999999999999999999", ID_ERR("99999999999999999999999", "10"));
	expect_text_error(f.w, &s, 2, "1|2", "2 ids where 1 are expected");
	expect_text_error(f.w, &s, 3, "1", "1 ids where 2 are expected");
	expect_text_error(f.w, &s, 3, "1|2|3", "3 ids where 2 are expected");
	expect_text_error(f.w, &s, 3, "1|5", ID_ERR("5", "5"));
	expect_text_error(f.w, &s, 3, "", ID_ERR("", "5"));
	expect_text_error(f.w, &s, 4, "1||2", ID_ERR("", "4"));
	expect_text_error(f.w, &s, 4, "1|", ID_ERR("", "4"));
	expect_text_error(f.w, &s, 4, "|1", ID_ERR("", "4"));
	expect_text_error(f.w, &s, 4, "|", ID_ERR("", "4"));
	expect_text_error(f.w, &s, 4, "3|4", ID_ERR("4", "4"));
	/* 1025 ids in one field (1024 is the most). */
	for (int k = 0; k < 1025; k++) {
		many[2 * k] = '1';
		many[2 * k + 1] = '|';
	}
	many[2 * 1025 - 1] = '\0';
	expect_text_error(f.w, &s, 4, many, "more than 1024 ids in one field");
	/* Long text is cut to 64 bytes in the message. */
	memset(long_text, '7', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	snprintf(what, sizeof(what), "cannot parse '%.64s' as an id (a whole number below 10)",
		 long_text);
	expect_text_error(f.w, &s, 2, long_text, what);
	/* Numbers. */
	expect_text_error(f.w, &s, 5, "", "cannot parse '' as a number");
	expect_text_error(f.w, &s, 5, "abc", "cannot parse 'abc' as a number");
	expect_text_error(f.w, &s, 5, "1.5x", "cannot parse '1.5x' as a number");
	expect_text_error(f.w, &s, 5, " 1", "cannot parse ' 1' as a number");
	expect_text_error(f.w, &s, 5, "1 ", "cannot parse '1 ' as a number");
	expect_text_error(f.w, &s, 5, "1,5", "cannot parse '1,5' as a number");
	expect_text_error(f.w, &s, 5, "1e999", "cannot parse '1e999' as a number");
	expect_text_error(f.w, &s, 0, "--1", "cannot parse '--1' as a number");
	expect_text_error(f.w, &s, 1, "1|2", "cannot parse '1|2' as a number");
	memset(long_text, 'z', sizeof(long_text) - 1);
	snprintf(what, sizeof(what), "cannot parse '%.64s' as a number", long_text);
	expect_text_error(f.w, &s, 5, long_text, what);
	/* A failed field sets nothing: the column can still be set once. */
	ck_assert_int_eq(hc_frame_put_text(f.w, &s, 2, "9", 1, &(struct hc_err){ 0 }), 0);
	expect_text_error(f.w, &s, 2, "9", "column 'u': ids given twice or to a non-cat column");
	wf_release(&f);
	hc_frame_schema_release(&s);
#undef ID_ERR
}
END_TEST

/* Writes rows (fields given as text) through put_text, reads the frame
 * back and renders every row as CSV (csv != 0) or libsvm. */
static char *render(const struct hc_frame_schema *s,
		    const char *const *rows, size_t nrows, int csv)
{
	struct wfile f = { 0 };
	struct hc_err err = { 0 };
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	char *dir = th_tmp_dir(), *opath = th_path_join(dir, "out.txt"), *text;
	struct hc_out *out;
	struct hc_csv_writer cw;
	struct hc_libsvm svm;
	const struct hc_frame_schema *rs;
	int rc;

	wf_open(&f, s);
	for (size_t i = 0; i < nrows; i++)
		put_text_row(f.w, s, rows + i * s->ncols);
	wf_close(&f);
	in = hc_in_open(f.path, &err);
	ck_assert_ptr_nonnull(in);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	rs = hc_frame_reader_schema(r);
	out = hc_out_open(opath, &err);
	ck_assert_ptr_nonnull(out);
	hc_csv_writer_init(&cw, out, ',');
	ck_assert_int_eq(hc_libsvm_init(&svm, rs, &err), 0);
	while ((rc = hc_frame_read_block(r, &b, &err)) == 1)
		for (size_t i = 0; i < b->nrows; i++) {
			if (csv) {
				ck_assert_int_eq(hc_frame_row_to_csv(&cw, rs, b, i), 0);
				ck_assert_int_eq(hc_csv_end_row(&cw), 0);
			} else {
				ck_assert_msg(hc_libsvm_write_row(&svm, out, rs, b, i, &err) == 0,
					      "%s", err.msg);
			}
		}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_msg(hc_out_close(out, &err) == 0, "%s", err.msg);
	hc_libsvm_release(&svm);
	hc_frame_reader_close(r);
	hc_in_close(in);
	text = th_read_file(opath, NULL);
	ck_assert_ptr_nonnull(text);
	unlink(opath);
	th_rm_dir(dir);
	free(opath);
	free(dir);
	wf_release(&f);
	return text;
}

static const char *const text_rows[] = {
	/* y    w      u    p      t        x */
	"1",  "2",   "3", "0|4", "1|3|1", "0.5",
	"0",  "1",   "9", "2|2", "",      "-2.75",
	"1",  "0.5", "0", "4|0", "2",     "1e-3",
	"-0", "1",   "1", "1|1", "0|0|0", "inf",
	"0",  "1",   "1", "3|3", "3",     "nan",
	"0.1", "1e6", "2", "0|1", "0",    "16777217",
};

START_TEST(test_row_to_csv)
{
	struct hc_frame_schema s;
	char *text;

	text_schema(&s);
	text = render(&s, text_rows, 6, 1);
	ck_assert_str_eq(text,
			 "1,2,3,0|4,1|3|1,0.5\n"
			 "0,1,9,2|2,,-2.75\n"
			 "1,0.5,0,4|0,2,0.001\n"
			 "-0,1,1,1|1,0|0|0,inf\n"
			 "0,1,1,3|3,3,nan\n"
			 "0.1,1000000,2,0|1,0,16777216\n");
	free(text);
	hc_frame_schema_release(&s);
}
END_TEST

/* Feature offsets: u 0 (space 10), p 10 (space 5), t 15 (space 4), x 19:
 * u id i is index i+1, p id i is 11+i, t id i is 16+i, x is 20. */
START_TEST(test_libsvm)
{
	struct hc_frame_schema s;
	char *text;

	text_schema(&s);
	text = render(&s, text_rows, 6, 0);
	ck_assert_str_eq(text,
			 "1 4:1 11:1 15:1 17:2 19:1 20:0.5\n"
			 "0 10:1 13:2 20:-2.75\n"
			 "1 1:1 11:1 15:1 18:1 20:0.001\n"
			 "-0 2:1 12:2 16:3 20:inf\n"
			 "0 2:1 14:2 19:1\n" /* a NaN number is left out */
			 "0.1 3:1 11:1 12:1 16:1 20:16777216\n");
	free(text);
	hc_frame_schema_release(&s);
}
END_TEST

/* Without a label column the label is 0; a num column before a cat
 * column shifts the cat's indices by one. */
START_TEST(test_libsvm_no_label)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	static const char *const rows[] = {
		"2.5", "7|7|7", "4",
		"0",   "",      "1",
	};
	char *text;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "x", HC_KIND_NUM, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "t", HC_KIND_CAT, HC_ARITY_VAR, 8, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "w", HC_KIND_WEIGHT, 1, 0, &err));
	text = render(&s, rows, 2, 0);
	ck_assert_str_eq(text, "0 1:2.5 9:3\n0 1:0\n");
	free(text);
	text = render(&s, rows, 2, 1);
	ck_assert_str_eq(text, "2.5,7|7|7,4\n0,,1\n");
	free(text);
	hc_frame_schema_release(&s);
}
END_TEST

/* A row whose only field is an empty id list is written as "" so that it
 * does not read back as a blank line. */
START_TEST(test_csv_only_empty)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	static const char *const rows[] = { "", "1|2", "", "3" };
	char *text;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "t", HC_KIND_CAT, HC_ARITY_VAR, 8, &err));
	text = render(&s, rows, 4, 1);
	ck_assert_str_eq(text, "\"\"\n1|2\n\"\"\n3\n");
	free(text);
	hc_frame_schema_release(&s);
}
END_TEST

/* Parsed values, read back bit for bit. */
START_TEST(test_put_text_values)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	static const char *const nums[] = { "nan", "inf", "-inf", "-0", "1e-3",
					    "1e-50", "3.4028235e38", "0.1" };
	size_t n = sizeof(nums) / sizeof(nums[0]);
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	const uint32_t *ids;
	size_t nids;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "x", HC_KIND_NUM, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "t", HC_KIND_CAT, HC_ARITY_VAR,
						  HC_FRAME_SPACE_MAX, &err));
	wf_open(&f, &s);
	for (size_t i = 0; i < n; i++) {
		const char *t = i == 0 ? "4294967295|0|017" : i == 1 ? "" : "42";
		ck_assert_int_eq(hc_frame_put_text(f.w, &s, 0, nums[i], strlen(nums[i]), &err), 0);
		ck_assert_msg(hc_frame_put_text(f.w, &s, 1, t, strlen(t), &err) == 0, "%s", err.msg);
		ck_assert_int_eq(hc_frame_end_row(f.w, &err), 0);
	}
	wf_close(&f);
	in = hc_in_open(f.path, &err);
	ck_assert_ptr_nonnull(in);
	r = hc_frame_reader_open(in, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), 1);
	ck_assert_uint_eq(b->nrows, n);
	ck_assert(isnan(b->cols[0].num[0]));
	ck_assert(isinf(b->cols[0].num[1]) && b->cols[0].num[1] > 0);
	ck_assert(isinf(b->cols[0].num[2]) && b->cols[0].num[2] < 0);
	ck_assert(b->cols[0].num[3] == 0 && signbit(b->cols[0].num[3]));
	ck_assert(same_float(b->cols[0].num[4], 1e-3f));
	ck_assert(same_float(b->cols[0].num[5], 0.0f)); /* underflows to 0 */
	ck_assert(same_float(b->cols[0].num[6], 3.4028235e38f));
	ck_assert(same_float(b->cols[0].num[7], 0.1f));
	ids = hc_frame_row_ids(b, &s.cols[1], 1, 0, &nids);
	ck_assert_uint_eq(nids, 3);
	ck_assert_uint_eq(ids[0], UINT32_MAX);
	ck_assert_uint_eq(ids[1], 0);
	ck_assert_uint_eq(ids[2], 17);
	hc_frame_row_ids(b, &s.cols[1], 1, 1, &nids);
	ck_assert_uint_eq(nids, 0);
	ids = hc_frame_row_ids(b, &s.cols[1], 1, 2, &nids);
	ck_assert_uint_eq(nids, 1);
	ck_assert_uint_eq(ids[0], 42);
	hc_frame_reader_close(r);
	hc_in_close(in);
	hc_frame_schema_release(&s);
	wf_release(&f);
}
END_TEST

/* Key columns: u64 values at payload offsets that are only 4-byte aligned
 * (an odd number of u32 words before them), across two blocks; the
 * writer refuses numbers for them; text forms; the "table" convention. */
START_TEST(test_key_columns)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;
	const size_t nrows = 70000;
	uint64_t seed = 7, row = 0;
	cJSON *c;
	int rc;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	c = hc_frame_schema_add(&s, "u", HC_KIND_CAT, 1, 100, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(cJSON_AddStringToObject(c, "table", "shared"));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "u.key", HC_KIND_KEY, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "x", HC_KIND_NUM, 1, 0, &err));
	ck_assert_ptr_null(hc_frame_schema_add(&s, "k2", HC_KIND_KEY, 2, 0, &err));
	ck_assert_str_eq(err.msg, "column 'k2': a key column holds one value per row");
	ck_assert_str_eq(hc_frame_col_table(&s, 0), "shared");
	ck_assert_ptr_null(hc_frame_col_table(&s, 1));
	wf_open(&f, &s);
	ck_assert_int_eq(hc_frame_put_num(f.w, 1, 1.0f, &err), -1);
	ck_assert_str_eq(err.msg, "column 'u.key': value given twice or to a cat or key column");
	ck_assert_int_eq(hc_frame_put_key(f.w, 0, 1, &err), -1);
	ck_assert_str_eq(err.msg, "column 'u': key given twice or to a non-key column");
	for (size_t i = 0; i < nrows; i++) {
		uint32_t id = (uint32_t)(i % 100);
		ck_assert_int_eq(hc_frame_put_ids(f.w, 0, &id, 1, &err), 0);
		ck_assert_int_eq(hc_frame_put_key(f.w, 1, th_rand(&seed), &err), 0);
		ck_assert_int_eq(hc_frame_put_num(f.w, 2, (float)i, &err), 0);
		ck_assert_int_eq(hc_frame_end_row(f.w, &err), 0);
	}
	wf_close(&f);
	hc_frame_schema_release(&s);

	in = hc_in_open(f.path, &err);
	ck_assert_msg(in != NULL, "%s", err.msg);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_frame_reader_schema(r)->cols[1].kind, HC_KIND_KEY);
	ck_assert_str_eq(hc_frame_col_table(hc_frame_reader_schema(r), 0), "shared");
	seed = 7;
	while ((rc = hc_frame_read_block(r, &b, &err)) == 1) {
		ck_assert_ptr_nonnull(b->cols[1].keys);
		for (size_t i = 0; i < b->nrows; i++, row++)
			if (b->cols[1].keys[i] != th_rand(&seed) ||
			    b->cols[2].num[i] != (float)row)
				ck_abort_msg("row %llu differs", (unsigned long long)row);
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(row, nrows);
	hc_frame_reader_close(r);
	hc_in_close(in);
	wf_release(&f);
}
END_TEST

/* A key is written in decimal, read back by put_text, and left out of
 * libsvm lines. */
START_TEST(test_key_text)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile f = { 0 };
	struct hc_in *in;
	struct hc_frame_reader *r;
	const struct hc_frame_block *b;

	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "k", HC_KIND_KEY, 1, 0, &err));
	wf_open(&f, &s);
	ck_assert_int_eq(hc_frame_put_text(f.w, &s, 0, "x1", 2, &err), -1);
	ck_assert_str_eq(err.msg, "cannot parse 'x1' as a key (0 to 2^64-1)");
	ck_assert_int_eq(hc_frame_put_text(f.w, &s, 0, "18446744073709551615", 20, &err), 0);
	ck_assert_int_eq(hc_frame_end_row(f.w, &err), 0);
	wf_close(&f);
	in = hc_in_open(f.path, &err);
	ck_assert_msg(in != NULL, "%s", err.msg);
	r = hc_frame_reader_open(in, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_frame_read_block(r, &b, &err), 1);
	ck_assert(b->cols[0].keys[0] == UINT64_MAX);
	hc_frame_reader_close(r);
	hc_in_close(in);
	hc_frame_schema_release(&s);
	wf_release(&f);
}
END_TEST

/* hc_frame_put_block writes the same bytes as putting row by row: blocks
 * split at the same rows, var, key and num columns included; an id
 * outside its space is refused. */
START_TEST(test_put_block)
{
	struct hc_frame_schema s;
	struct hc_err err = { 0 };
	struct wfile a = { 0 }, b = { 0 };
	const size_t nrows = 150000;
	uint32_t *ids = malloc(nrows * 3 * sizeof(*ids)), *start = malloc((nrows + 1) * sizeof(*start));
	uint64_t *keys = malloc(nrows * sizeof(*keys)), seed = 3;
	float *num = malloc(nrows * sizeof(*num));
	uint32_t *fixed = malloc(nrows * 2 * sizeof(*fixed));
	struct hc_frame_colview views[4];
	struct hc_frame_block blk = { .cols = views };
	char *ta, *tb;
	size_t la, lb, at = 0;

	ck_assert(ids && start && keys && num && fixed);
	ck_assert_int_eq(hc_frame_schema_init(&s, &err), 0);
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "y", HC_KIND_LABEL, 1, 0, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "v", HC_KIND_CAT, HC_ARITY_VAR, 50, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "f", HC_KIND_CAT, 2, 1000, &err));
	ck_assert_ptr_nonnull(hc_frame_schema_add(&s, "k", HC_KIND_KEY, 1, 0, &err));
	start[0] = 0;
	for (size_t i = 0; i < nrows; i++) {
		size_t n = th_rand(&seed) % 4;
		for (size_t k = 0; k < n; k++)
			ids[at++] = (uint32_t)(th_rand(&seed) % 50);
		start[i + 1] = (uint32_t)at;
		fixed[2 * i] = (uint32_t)(i % 1000);
		fixed[2 * i + 1] = (uint32_t)((i * 7) % 1000);
		keys[i] = th_rand(&seed);
		num[i] = (float)i / 3;
	}
	/* row by row */
	wf_open(&a, &s);
	for (size_t i = 0; i < nrows; i++) {
		ck_assert_int_eq(hc_frame_put_num(a.w, 0, num[i], &err), 0);
		ck_assert_int_eq(hc_frame_put_ids(a.w, 1, ids + start[i], start[i + 1] - start[i], &err), 0);
		ck_assert_int_eq(hc_frame_put_ids(a.w, 2, fixed + 2 * i, 2, &err), 0);
		ck_assert_int_eq(hc_frame_put_key(a.w, 3, keys[i], &err), 0);
		ck_assert_int_eq(hc_frame_end_row(a.w, &err), 0);
	}
	wf_close(&a);
	/* in blocks of uneven sizes, through views into the same arrays */
	wf_open(&b, &s);
	for (size_t i = 0; i < nrows;) {
		size_t n = 1 + th_rand(&seed) % 40000;
		if (n > nrows - i)
			n = nrows - i;
		views[0] = (struct hc_frame_colview){ .num = num + i };
		views[1] = (struct hc_frame_colview){ .ids = ids, .start = start + i };
		views[2] = (struct hc_frame_colview){ .ids = fixed + 2 * i };
		views[3] = (struct hc_frame_colview){ .keys = keys + i };
		blk.nrows = n;
		ck_assert_msg(hc_frame_put_block(b.w, &blk, &err) == 0, "%s", err.msg);
		i += n;
	}
	wf_close(&b);
	ta = th_read_file(a.path, &la);
	tb = th_read_file(b.path, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(ta, tb, la) == 0);
	free(ta);
	free(tb);
	/* an id outside its space */
	wf_release(&b);
	wf_open(&b, &s);
	fixed[1] = 1000;
	views[0] = (struct hc_frame_colview){ .num = num };
	views[1] = (struct hc_frame_colview){ .ids = ids, .start = start };
	views[2] = (struct hc_frame_colview){ .ids = fixed };
	views[3] = (struct hc_frame_colview){ .keys = keys };
	blk.nrows = 1;
	ck_assert_int_eq(hc_frame_put_block(b.w, &blk, &err), -1);
	ck_assert_str_eq(err.msg, "column 'f': id 1000 outside its id space 1000");
	wf_release(&a);
	wf_release(&b);
	hc_frame_schema_release(&s);
	free(ids);
	free(start);
	free(keys);
	free(num);
	free(fixed);
}
END_TEST

Suite *suite_frame(void)
{
	Suite *s = suite_create("frame");
	TCase *rt = tcase_create("round trip");
	TCase *wr = tcase_create("writer");
	TCase *hd = tcase_create("preamble and header");
	TCase *bl = tcase_create("blocks");
	TCase *fl = tcase_create("prefixes and flips");
	TCase *tx = tcase_create("text");
	int nrt = (int)(sizeof(round_trip_rows) / sizeof(round_trip_rows[0]));

	/* Sanitizer builds are several times slower. */
	tcase_add_loop_test(rt, test_round_trip_full, 0, nrt);
	tcase_add_loop_test(rt, test_round_trip_block_rows, 0, nrt);
	tcase_add_test(rt, test_zero_rows);
	tcase_add_test(rt, test_key_columns);
	tcase_add_test(rt, test_put_block);
	tcase_add_test(tx, test_key_text);
	tcase_add_test(rt, test_encoder_matches_writer);
	tcase_add_test(rt, test_multi_block_valid);
	tcase_add_test(wr, test_writer_rejects);
	tcase_add_test(wr, test_schema_rejects);
	tcase_add_test(wr, test_writer_rejects_no_columns);
	tcase_add_test(hd, test_empty_file);
	tcase_add_test(hd, test_wrong_magic);
	tcase_add_test(hd, test_bad_version);
	tcase_add_test(hd, test_header_length);
	tcase_add_test(hd, test_truncated_preamble_and_header);
	tcase_add_test(hd, test_header_checksum);
	tcase_add_test(hd, test_header_not_json);
	tcase_add_test(hd, test_header_rules);
	tcase_add_test(bl, test_bad_tag);
	tcase_add_test(bl, test_huge_counts);
	tcase_add_test(bl, test_alloc_hook_is_live);
	tcase_add_test(bl, test_limits_in_range);
	tcase_add_test(bl, test_payload_checksum);
	tcase_add_test(bl, test_payload_length);
	tcase_add_test(bl, test_var_counts);
	tcase_add_test(bl, test_id_outside_space);
	tcase_add_test(bl, test_rows_checked_before_ids);
	tcase_add_test(bl, test_end_block);
	tcase_add_test(bl, test_after_end);
	tcase_add_test(fl, test_every_prefix);
	tcase_add_test(fl, test_byte_flips);
	tcase_add_test(fl, test_every_bit_flip);
	tcase_add_test(fl, test_byte_flips_writer_frame);
	tcase_add_test(tx, test_put_text_errors);
	tcase_add_test(tx, test_put_text_values);
	tcase_add_test(tx, test_row_to_csv);
	tcase_add_test(tx, test_libsvm);
	tcase_add_test(tx, test_libsvm_no_label);
	tcase_add_test(tx, test_csv_only_empty);
	suite_add_tcase(s, rt);
	suite_add_tcase(s, wr);
	suite_add_tcase(s, hd);
	suite_add_tcase(s, bl);
	suite_add_tcase(s, fl);
	suite_add_tcase(s, tx);
	return s;
}
