/* fuzz_encstate.c - libFuzzer target: the encode state's payload (`hicard
 * encode fit -o`, read by apply, merge and decode: src/encode_state.h
 * hc_enc_deserialize)
 *
 * Input: the payload bytes (the container is fuzz_state's ground).  A
 * state that reads is used as apply would: every value of every column is
 * looked up by its bytes and must come back as its own id, with a code in
 * 0..K and, where the column has target sums, a finite encoding; an unseen
 * value gets code K.  Then the state is written again and must read back
 * with the same columns and values.
 */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "lib/buf.h"
#include "src/encode_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use_column(const struct hc_enc_state *st, size_t j)
{
	const struct hc_enc_col *c = &st->cols[j];
	size_t n = hc_strmap_count(&c->vocab);

	for (size_t id = 0; id < n; id++) {
		size_t len;
		const char *key = hc_strmap_key(&c->vocab, id, &len);
		uint32_t got = hc_enc_lookup(st, j, key, len);
		FZ_CHECK(got == id);
		FZ_CHECK(hc_enc_code(c, got) <= c->ncodes);
		if (c->t)
			FZ_CHECK(isfinite(hc_enc_te(st, c, got)));
	}
	FZ_CHECK(hc_enc_code(c, HC_ENC_UNSEEN) == c->ncodes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_cursor cur;
	struct hc_err err = {0};
	struct hc_enc_state *st, *back;
	struct hc_buf b;

	hc_cursor_init(&cur, data, size);
	if (!(st = hc_enc_deserialize(&cur, &err))) {
		FZ_CHECK(err.msg[0]);
		return 0;
	}
	for (size_t j = 0; j < st->ncols; j++)
		use_column(st, j);
	hc_buf_init(&b);
	if (hc_enc_serialize(st, &b) == 0) {
		hc_cursor_init(&cur, b.data, b.len);
		back = hc_enc_deserialize(&cur, &err);
		if (!back)
			fz_fail(err.msg);
		FZ_CHECK(back->ncols == st->ncols);
		for (size_t j = 0; j < st->ncols; j++)
			FZ_CHECK(hc_strmap_count(&back->cols[j].vocab) ==
				 hc_strmap_count(&st->cols[j].vocab));
		hc_enc_state_free(back);
	}
	hc_buf_release(&b);
	hc_enc_state_free(st);
	return 0;
}
