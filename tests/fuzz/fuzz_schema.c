/* fuzz_schema.c - libFuzzer target: the frame header's JSON
 * (lib/frame_schema.h), as a frame or a model file hands it over
 *
 * Input: the header text.  A schema that parses must keep the rules
 * readers rely on: 1 to HC_FRAME_MAX_COLS named columns, at most one label
 * and one weight, cat spaces 1 to 2^32, arity 1 except variable cat.
 */
#include "fuzz.h"
#include "lib/frame_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_frame_schema s;
	struct hc_err err = {0};
	int labels = 0, weights = 0;

	if (hc_frame_schema_from_json(&s, (const char *)data, size, &err) != 0) {
		FZ_CHECK(err.msg[0]);
		return 0;
	}
	FZ_CHECK(s.ncols >= 1 && s.ncols <= HC_FRAME_MAX_COLS);
	for (size_t j = 0; j < s.ncols; j++) {
		const struct hc_frame_col *c = &s.cols[j];
		FZ_CHECK(c->name && c->name[0]);
		labels += c->kind == HC_KIND_LABEL;
		weights += c->kind == HC_KIND_WEIGHT;
		if (c->kind == HC_KIND_CAT)
			FZ_CHECK(c->space >= 1 && c->space <= HC_FRAME_SPACE_MAX);
		else
			FZ_CHECK(c->arity == 1);
	}
	FZ_CHECK(labels <= 1 && weights <= 1);
	hc_frame_schema_release(&s);
	return 0;
}
