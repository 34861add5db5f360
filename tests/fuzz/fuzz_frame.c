/* fuzz_frame.c - libFuzzer target: the frame reader (lib/frame.h)
 *
 * Input: one option byte, then a frame.  Checksums would stop almost every
 * mutation at the first CRC, so with bit 0 set the target first rewrites
 * each CRC it can find (header, blocks, end block) to match, and with bit
 * 1 also the end block's counts, letting the fuzzer reach the payload
 * checks.  Bit 2 reads from a memory file, otherwise from stdin in pieces
 * of 1 + bits 3-7 * 7 bytes.  Every block is read and every value
 * touched: each id must lie in its column's space, and the rows are
 * written as CSV and libsvm to /dev/null as `hicard show` would.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/crc32c.h"
#include "lib/csv_write.h"
#include "lib/frame.h"
#include "lib/frame_text.h"
#include "lib/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Walks the layout of frame.h as far as it fits, fixing checksums. */
static void fix_crcs(uint8_t *f, size_t size, int counts)
{
	size_t at = 16;
	uint64_t rows = 0, blocks = 0;
	uint32_t h;

	if (size < 16)
		return;
	h = get32(f + 12);
	if (h > size - 16 || size - 16 - h < 4)
		return;
	put32(f + 16 + h, hc_crc32c(0, f + 16, h));
	at = 16 + (size_t)h + 4;
	while (size - at >= 16) {
		uint32_t r = get32(f + at + 4), p = get32(f + at + 8);
		if (p > size - at - 16)
			return;
		if (r == 0 && p == 16 && counts) {
			put64(f + at + 16, rows);
			put64(f + at + 24, blocks);
		}
		put32(f + at + 12, hc_crc32c(0, f + at + 16, p));
		rows += r;
		blocks++;
		at += 16 + (size_t)p;
	}
}

static struct hc_out *devnull(void)
{
	static struct hc_out *out; /* opened once: 1 MiB of buffer */
	struct hc_err err = {0};

	if (!out && !(out = hc_out_open("/dev/null", &err)))
		fz_fail("cannot open /dev/null");
	return out;
}

static void walk(struct hc_frame_reader *r)
{
	const struct hc_frame_schema *s = hc_frame_reader_schema(r);
	const struct hc_frame_block *b;
	struct hc_out *out = devnull();
	struct hc_csv_writer cw;
	struct hc_libsvm svm;
	struct hc_err err = {0};
	int rc;

	if (hc_libsvm_init(&svm, s, &err) != 0)
		return;
	hc_csv_writer_init(&cw, out, ',');
	while ((rc = hc_frame_read_block(r, &b, &err)) == 1) {
		FZ_CHECK(b->nrows >= 1 && b->nrows <= HC_FRAME_BLOCK_ROWS_MAX);
		for (size_t i = 0; i < b->nrows; i++) {
			for (size_t j = 0; j < s->ncols; j++) {
				const struct hc_frame_col *c = &s->cols[j];
				const uint32_t *ids;
				size_t n;
				if (c->kind != HC_KIND_CAT) {
					volatile float v = b->cols[j].num[i * c->arity];
					(void)v;
					continue;
				}
				ids = hc_frame_row_ids(b, c, j, i, &n);
				for (size_t k = 0; k < n; k++)
					FZ_CHECK(ids[k] < c->space);
			}
			hc_frame_row_to_csv(&cw, s, b, i);
			hc_csv_end_row(&cw);
			hc_libsvm_write_row(&svm, out, s, b, i, &err);
		}
	}
	FZ_CHECK(rc == 0 || err.msg[0]);
	hc_libsvm_release(&svm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_frame_reader *r;
	struct hc_err err = {0};
	struct hc_in *in;
	struct fz_input src;
	uint8_t opt, *f;
	int rc;

	if (size < 1)
		return 0;
	opt = data[0];
	size--;
	if (!(f = malloc(size ? size : 1)))
		return 0;
	memcpy(f, data + 1, size);
	if (opt & 1)
		fix_crcs(f, size, opt & 2);
	rc = (opt & 4) ? fz_memfile(&src, f, size)
		       : fz_stdin(&src, f, size, 1 + (size_t)(opt >> 3) * 7);
	free(f);
	if (rc != 0)
		return 0;
	if (!(in = hc_in_open(src.path, &err)))
		fz_fail("cannot open the input");
	if ((r = hc_frame_reader_open(in, &err))) {
		FZ_CHECK(hc_frame_reader_header_text(r) != NULL);
		walk(r);
		hc_frame_reader_close(r);
	} else {
		FZ_CHECK(err.msg[0]);
	}
	hc_in_close(in);
	fz_done(&src);
	return 0;
}
