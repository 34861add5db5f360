/* model_file.h - saving and loading models (lib/statefile.h container)
 *
 * Payload, little-endian (lib/buf.h):
 *   str   header: JSON {"format": "hicard-model", "version": 1, "model",
 *         "task", "dim", "combine", "quantize", "bias", "fields" (each the
 *         training frame's column object plus "table" and "row"), "tables"
 *         (name, rows, width, linear), and whatever the caller put in
 *         m->meta: training options, the frame's producer, metrics}
 *   per table, in header order: u8 encoding (0 f32, 1 int8, 2 int4,
 *         3 ternary), then per row the linear weight (f32, when the table
 *         has one) and the embedding, quantized per row:
 *           f32      width floats
 *           int8     f32 scale, f32 zero point (the row's minimum), one
 *                    byte a value: x = zero + scale q
 *           int4     the same with 4-bit codes, two a byte (low first)
 *           ternary  f32 scale, 2-bit codes (0, +1, -1) four a byte:
 *                    x = scale q (Li et al. 2016: threshold 0.7 mean|x|,
 *                    scale the mean |x| above it)
 *         logreg tables (no embedding) quantize groups of 64 weights.
 *   mf:   users and items catalogues (u64 n, u32 arity, u8 has keys, ids,
 *         keys), then the training items per user (u64 offsets, u32 items)
 * The reader checks every count against the header and the payload's
 * length before it allocates, so a corrupt file is an error, never a crash.
 */
#ifndef HC_MODEL_FILE_H
#define HC_MODEL_FILE_H

#include "lib/buf.h"
#include "lib/err.h"
#include "src/model.h"

#define HC_MODEL_MAGIC "\x89HCM\r\n\x1a\n"
#define HC_MODEL_VERSION 1

enum hc_quant { HC_QUANT_F32, HC_QUANT_INT8, HC_QUANT_INT4, HC_QUANT_TERNARY };

/* "f32", "int8", "int4", "ternary"; parse returns -1 for anything else. */
const char *hc_quant_name(enum hc_quant q);
int hc_quant_parse(const char *s, enum hc_quant *q);

/* Serialises m into b.  0, or -1 with err set (out of memory). */
int hc_model_serialize(const struct hc_model *m, enum hc_quant q,
		       struct hc_buf *b, struct hc_err *err);
/* Reads a model (parameters only, no optimizer state) from a payload.
 * 0, or -1 with err set (HC_ERR_DATA "model: ..."). */
int hc_model_deserialize(struct hc_model *m, const unsigned char *p,
			 size_t len, struct hc_err *err);
/* Puts every parameter through quantization q and back (what predict
 * will see), for reporting the metric change before writing. */
void hc_model_quantize_inplace(struct hc_model *m, enum hc_quant q);

#endif
