/* fuzz_model.c - libFuzzer target: the model file's payload (`hicard
 * train -o`, read by predict: src/model_file.h hc_model_deserialize)
 *
 * Input: the payload bytes (the container and its CRC are fuzz_state's
 * ground: lib/statefile is shared).  A model that reads is used as predict
 * would use it: for mf every user and item of the catalogues is embedded
 * (each id must be a row of its table) and each user's training items
 * looked up; then the model is written again, in every quantisation, and
 * must read back.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/buf.h"
#include "lib/mem.h"
#include "src/model.h"
#include "src/model_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void embed_catalogue(const struct hc_model *m, size_t field,
			    const struct hc_catalogue *c, float *out)
{
	for (size_t e = 0; e < c->n; e++)
		hc_mf_embed(m, field, c->ids + e * c->arity, c->arity, out);
}

static void use_mf(const struct hc_model *m)
{
	float *out = malloc((size_t)m->dim * sizeof(float) + 1);

	if (!out)
		return;
	embed_catalogue(m, m->user, &m->users, out);
	embed_catalogue(m, m->item, &m->items, out);
	for (size_t u = 0; m->hist_start && u < m->users.n; u++)
		for (uint64_t k = m->hist_start[u]; k < m->hist_start[u + 1]; k++)
			FZ_CHECK(m->hist[k] < m->items.n);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_model m, back;
	struct hc_err err = {0};

	if (hc_model_deserialize(&m, data, size, &err) != 0) {
		FZ_CHECK(err.msg[0]);
		return 0;
	}
	if (m.kind == HC_MODEL_MF)
		use_mf(&m);
	for (int q = HC_QUANT_F32; q <= HC_QUANT_TERNARY; q++) {
		struct hc_buf b;
		hc_buf_init(&b);
		if (hc_model_serialize(&m, (enum hc_quant)q, &b, &err) == 0) {
			if (hc_model_deserialize(&back, b.data, b.len, &err) != 0)
				fz_fail(err.msg);
			hc_model_release(&back);
		}
		hc_buf_release(&b);
	}
	hc_model_release(&m);
	return 0;
}
