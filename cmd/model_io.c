/* model_io.c - frames and model files for train and predict; see
 * model_io.h */
#include "cmd/model_io.h"

#include <string.h>

#include "lib/frame.h"
#include "lib/in.h"
#include "lib/mem.h"
#include "lib/statefile.h"
#include "src/evaluate.h"

int hc_cmd_load_frame(const char *path, struct hc_dataset *d,
		      struct hc_err *err)
{
	struct hc_in *in = hc_in_open(path, err);
	struct hc_frame_reader *r;
	int rc;

	if (!in)
		return -1;
	if (!(r = hc_frame_reader_open(in, err))) {
		hc_in_close(in);
		return -1;
	}
	rc = hc_dataset_load(d, r, err);
	/* Reader errors name the file already; the dataset's do not. */
	if (rc != 0 && strncmp(err->msg, in->name, strlen(in->name)) != 0)
		hc_err_prefix(err, "%s", in->name);
	hc_frame_reader_close(r);
	hc_in_close(in);
	return rc;
}

int hc_cmd_load_model(const char *path, struct hc_model *m,
		      struct hc_err *err)
{
	unsigned char *data;
	size_t len;
	int rc;

	if (hc_statefile_read(path, HC_MODEL_MAGIC, HC_MODEL_VERSION,
			      "hicard model", &data, &len, err) != 0)
		return -1;
	rc = hc_model_deserialize(m, data, len, err);
	hc_free(data);
	if (rc != 0)
		hc_err_prefix(err, "%s", path);
	return rc;
}

uint64_t hc_cmd_model_bytes(const struct hc_model *m, enum hc_quant q)
{
	struct hc_buf b;
	struct hc_err err;
	uint64_t n;

	hc_buf_init(&b);
	n = hc_model_serialize(m, q, &b, &err) == 0 ? b.len + 24 : 0;
	hc_buf_release(&b);
	return n;
}

int hc_cmd_save_model(const char *path, const struct hc_model *m,
		      enum hc_quant q, uint64_t *bytes, struct hc_err *err)
{
	struct hc_buf b;
	struct hc_out *out;
	int rc = -1;

	hc_buf_init(&b);
	if (hc_model_serialize(m, q, &b, err) != 0)
		goto done;
	*bytes = b.len + 24; /* the container's magic, version, length, CRC */
	if (!(out = hc_out_open(path, err)))
		goto done;
	rc = hc_statefile_write(out, HC_MODEL_MAGIC, HC_MODEL_VERSION, &b, err);
	if (rc == 0)
		rc = hc_out_close(out, err);
	else
		hc_out_abort(out);
done:
	hc_buf_release(&b);
	return rc;
}

int hc_cmd_write_json(const char *path, cJSON *rep, struct hc_err *err)
{
	char *text = cJSON_Print(rep);
	struct hc_out *out;

	if (!text)
		return hc_err_nomem(err);
	if (!(out = hc_out_open(path, err))) {
		cJSON_free(text);
		return -1;
	}
	if (hc_out_puts(out, text) != 0 || hc_out_putc(out, '\n') != 0) {
		*err = out->err;
		hc_out_abort(out);
		cJSON_free(text);
		return -1;
	}
	cJSON_free(text);
	return hc_out_close(out, err);
}

/* Validation metrics after putting the parameters through q. */
cJSON *hc_cmd_quant_effect(struct hc_model *m, enum hc_quant q,
			    const struct hc_dataset *va,
			    const struct hc_metric_spec *spec, size_t n,
			    struct hc_team *team, struct hc_err *err)
{
	cJSON *r = cJSON_CreateObject(), *v = cJSON_CreateObject();
	size_t *b = hc_calloc(m->nfields, sizeof(size_t));
	long l, w;

	if (!r || !v || !b) {
		hc_err_nomem(err);
		goto fail;
	}
	cJSON_AddStringToObject(r, "quantize", hc_quant_name(q));
	cJSON_AddNumberToObject(r, "bytes_f32", (double)hc_cmd_model_bytes(m, HC_QUANT_F32));
	cJSON_AddNumberToObject(r, "bytes", (double)hc_cmd_model_bytes(m, q));
	hc_model_quantize_inplace(m, q);
	if (va) {
		if (hc_model_bind(m, &va->schema, b, &l, &w, err) != 0 ||
		    hc_evaluate(m, va, b, spec, n, NULL, team, 0, NULL, v, err) != 0)
			goto fail;
		cJSON_AddItemToObject(r, "valid", v);
		v = NULL;
	}
	cJSON_Delete(v);
	hc_free(b);
	return r;
fail:
	cJSON_Delete(r);
	cJSON_Delete(v);
	hc_free(b);
	return NULL;
}

