/* model_io.h - files for train and predict: frames into memory, model
 * files in and out (wiring shared by cmd/train.c and cmd/predict.c) */
#ifndef HC_CMD_MODEL_IO_H
#define HC_CMD_MODEL_IO_H

#include "lib/err.h"
#include "lib/team.h"
#include "src/evaluate.h"
#include "src/dataset.h"
#include "src/model.h"
#include "src/model_file.h"

/* Reads the frame at path ("-": stdin) whole.  Errors say "FILE: ...". */
int hc_cmd_load_frame(const char *path, struct hc_dataset *d,
		      struct hc_err *err);
/* Reads and checks a model file.  Errors say "FILE: ...". */
int hc_cmd_load_model(const char *path, struct hc_model *m,
		      struct hc_err *err);
/* Writes m to path (replaced only when complete); *bytes gets the file's
 * size. */
int hc_cmd_save_model(const char *path, const struct hc_model *m,
		      enum hc_quant q, uint64_t *bytes, struct hc_err *err);
/* The size m would take in a file with quantization q, or 0. */
uint64_t hc_cmd_model_bytes(const struct hc_model *m, enum hc_quant q);

/* Writes a JSON document to path (replaced only when complete). */
int hc_cmd_write_json(const char *path, cJSON *doc, struct hc_err *err);
/* Puts m's parameters through quantization q and reports the bytes with
 * and without it and, with a validation frame, its metrics after: a JSON
 * object, or NULL with err set.  m keeps the quantized values. */
cJSON *hc_cmd_quant_effect(struct hc_model *m, enum hc_quant q,
			   const struct hc_dataset *va,
			   const struct hc_metric_spec *spec, size_t n,
			   struct hc_team *team, struct hc_err *err);

#endif
