/* model_file.c - model serialisation and quantization; see model_file.h */
#include "model_file.h"

#include <math.h>
#include <string.h>

#include "lib/mem.h"

#define GROUP 64 /* weights a scale for tables without embeddings */

static const char *const quant_names[] = {"f32", "int8", "int4", "ternary"};

const char *hc_quant_name(enum hc_quant q)
{
	return quant_names[q];
}

int hc_quant_parse(const char *s, enum hc_quant *q)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, quant_names[i]) == 0) {
			*q = (enum hc_quant)i;
			return 0;
		}
	return -1;
}

/* ---- quantizers ---------------------------------------------------------- */

static size_t code_bytes(enum hc_quant q, size_t n)
{
	switch (q) {
	case HC_QUANT_F32: return 4 * n;
	case HC_QUANT_INT8: return 8 + n;
	case HC_QUANT_INT4: return 8 + (n + 1) / 2;
	case HC_QUANT_TERNARY: return 4 + (n + 3) / 4;
	}
	return 0;
}

/* Encodes x[0..n) into out (code_bytes(q, n) bytes). */
static void quant_encode(enum hc_quant q, const float *x, size_t n,
			 unsigned char *out)
{
	float lo = INFINITY, hi = -INFINITY, scale, levels;
	double abs_sum = 0, big = 0;
	size_t nbig = 0;

	if (q == HC_QUANT_F32) {
		memcpy(out, x, 4 * n);
		return;
	}
	if (q == HC_QUANT_TERNARY) {
		for (size_t i = 0; i < n; i++)
			abs_sum += fabsf(x[i]);
		float thr = n ? (float)(0.7 * abs_sum / (double)n) : 0;
		for (size_t i = 0; i < n; i++)
			if (fabsf(x[i]) > thr) {
				big += fabsf(x[i]);
				nbig++;
			}
		scale = nbig ? (float)(big / (double)nbig) : 0;
		memcpy(out, &scale, 4);
		memset(out + 4, 0, (n + 3) / 4);
		for (size_t i = 0; i < n; i++) {
			unsigned c = fabsf(x[i]) > thr ? (x[i] > 0 ? 1u : 2u) : 0u;
			out[4 + i / 4] |= (unsigned char)(c << (2 * (i % 4)));
		}
		return;
	}
	levels = q == HC_QUANT_INT8 ? 255.0f : 15.0f;
	for (size_t i = 0; i < n; i++) {
		lo = x[i] < lo ? x[i] : lo;
		hi = x[i] > hi ? x[i] : hi;
	}
	if (n == 0)
		lo = hi = 0;
	/* in double: hi - lo of two large floats of opposite signs can
	 * overflow a float, and so can a code times the scale */
	scale = hi > lo ? (float)(((double)hi - lo) / levels) : 1.0f;
	memcpy(out, &scale, 4);
	memcpy(out + 4, &lo, 4);
	if (q == HC_QUANT_INT4)
		memset(out + 8, 0, (n + 1) / 2);
	for (size_t i = 0; i < n; i++) {
		float c = (float)round(((double)x[i] - lo) / scale);
		/* (!(c >= 0): NaN too, which no cast may see) */
		unsigned v = !(c >= 0) ? 0 : c > levels ? (unsigned)levels : (unsigned)c;
		if (q == HC_QUANT_INT8)
			out[8 + i] = (unsigned char)v;
		else
			out[8 + i / 2] |= (unsigned char)(v << (4 * (i % 2)));
	}
}

static void quant_decode(enum hc_quant q, const unsigned char *in, size_t n,
			 float *x)
{
	float scale, lo;

	if (q == HC_QUANT_F32) {
		memcpy(x, in, 4 * n);
		return;
	}
	memcpy(&scale, in, 4);
	if (q == HC_QUANT_TERNARY) {
		for (size_t i = 0; i < n; i++) {
			unsigned c = (in[4 + i / 4] >> (2 * (i % 4))) & 3u;
			x[i] = c == 1 ? scale : c == 2 ? -scale : 0.0f;
		}
		return;
	}
	memcpy(&lo, in + 4, 4);
	for (size_t i = 0; i < n; i++) {
		unsigned v = q == HC_QUANT_INT8 ? in[8 + i] : (in[8 + i / 2] >> (4 * (i % 2))) & 15u;
		x[i] = (float)((double)lo + (double)scale * v);
	}
}

/* Segments of a table: (offset, length) pairs, each with its own scale. */
static void table_shape(const struct hc_model *m, const struct hc_model_table *t,
			size_t *nseg, size_t *seglen, size_t *stride)
{
	if (t->width > m->lin) {
		*nseg = (size_t)t->rows;
		*seglen = t->width - m->lin;
		*stride = t->width;
	} else {
		*nseg = ((size_t)t->rows + GROUP - 1) / GROUP;
		*seglen = GROUP;
		*stride = 0;
	}
}

/* Calls fn on each quantized segment of table t: for embedding tables the
 * row's embedding (after its linear weight), else groups of 64. */
static int put_table(struct hc_buf *b, const struct hc_model *m,
		     const struct hc_model_table *t, enum hc_quant q)
{
	size_t nseg, seglen, stride, n = (size_t)t->rows * t->width;
	unsigned char *tmp;

	table_shape(m, t, &nseg, &seglen, &stride);
	if (q == HC_QUANT_F32)
		return hc_buf_put(b, t->w, 4 * n);
	if (!(tmp = hc_malloc(code_bytes(q, seglen))))
		return -1;
	for (size_t s = 0; s < nseg; s++) {
		const float *x;
		size_t len = seglen;
		if (stride) {
			x = t->w + s * stride + m->lin;
			if (m->lin)
				hc_buf_put(b, t->w + s * stride, 4);
		} else {
			x = t->w + s * GROUP;
			if (s * GROUP + len > n)
				len = n - s * GROUP;
		}
		quant_encode(q, x, len, tmp);
		hc_buf_put(b, tmp, code_bytes(q, len));
	}
	hc_free(tmp);
	return b->failed ? -1 : 0;
}

static int get_table(struct hc_cursor *c, const struct hc_model *m,
		     struct hc_model_table *t, enum hc_quant q)
{
	size_t nseg, seglen, stride, n = (size_t)t->rows * t->width;

	table_shape(m, t, &nseg, &seglen, &stride);
	if (q == HC_QUANT_F32) {
		if (hc_cursor_left(c) / 4 < n)
			return -1;
		return hc_get(c, t->w, 4 * n);
	}
	for (size_t s = 0; s < nseg; s++) {
		float *x;
		size_t len = seglen;
		if (stride) {
			x = t->w + s * stride + m->lin;
			if (m->lin && hc_get(c, t->w + s * stride, 4) != 0)
				return -1;
		} else {
			x = t->w + s * GROUP;
			if (s * GROUP + len > n)
				len = n - s * GROUP;
		}
		if (hc_cursor_left(c) < code_bytes(q, len))
			return -1;
		quant_decode(q, c->p, len, x);
		c->p += code_bytes(q, len);
	}
	return 0;
}

void hc_model_quantize_inplace(struct hc_model *m, enum hc_quant q)
{
	unsigned char tmp[8 + 4 * HC_MODEL_DIM_MAX];

	if (q == HC_QUANT_F32)
		return;
	for (size_t ti = 0; ti < m->ntables; ti++) {
		struct hc_model_table *t = &m->tables[ti];
		size_t nseg, seglen, stride, n = (size_t)t->rows * t->width;
		table_shape(m, t, &nseg, &seglen, &stride);
		for (size_t s = 0; s < nseg; s++) {
			size_t len = seglen;
			float *x = stride ? t->w + s * stride + m->lin : t->w + s * GROUP;
			if (!stride && s * GROUP + len > n)
				len = n - s * GROUP;
			quant_encode(q, x, len, tmp);
			quant_decode(q, tmp, len, x);
		}
	}
}

/* ---- header -------------------------------------------------------------- */

static cJSON *make_header(const struct hc_model *m, enum hc_quant q)
{
	cJSON *h = cJSON_Duplicate(m->meta, 1), *fields, *tables;

	if (!h)
		return NULL;
	cJSON_AddStringToObject(h, "format", "hicard-model");
	cJSON_AddNumberToObject(h, "version", HC_MODEL_VERSION);
	cJSON_AddStringToObject(h, "model", hc_model_kind_name(m->kind));
	cJSON_AddStringToObject(h, "task", hc_task_name(m->task));
	cJSON_AddNumberToObject(h, "dim", m->dim);
	cJSON_AddStringToObject(h, "combine", m->combine == HC_COMBINE_CONCAT ? "concat" : "sum");
	cJSON_AddStringToObject(h, "quantize", hc_quant_name(q));
	cJSON_AddNumberToObject(h, "bias", m->bias);
	fields = cJSON_AddArrayToObject(h, "fields");
	tables = cJSON_AddArrayToObject(h, "tables");
	if (!fields || !tables)
		goto fail;
	for (size_t f = 0; f < m->nfields; f++) {
		cJSON *o = cJSON_Duplicate(m->fields[f].col, 1);
		if (!o || !cJSON_AddItemToArray(fields, o)) {
			cJSON_Delete(o);
			goto fail;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(o, "model_table");
		cJSON_AddNumberToObject(o, "model_table", m->fields[f].table);
		cJSON_AddNumberToObject(o, "model_row", m->fields[f].row);
	}
	for (size_t t = 0; t < m->ntables; t++) {
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(tables, o)) {
			cJSON_Delete(o);
			goto fail;
		}
		cJSON_AddStringToObject(o, "name", m->tables[t].name);
		cJSON_AddNumberToObject(o, "rows", (double)m->tables[t].rows);
		cJSON_AddNumberToObject(o, "width", m->tables[t].width);
		cJSON_AddBoolToObject(o, "linear", m->lin);
	}
	return h;
fail:
	cJSON_Delete(h);
	return NULL;
}

static void put_catalogue(struct hc_buf *b, const struct hc_catalogue *c)
{
	hc_buf_put_u64(b, c->n);
	hc_buf_put_u32(b, c->arity);
	hc_buf_put_u8(b, c->keys != NULL);
	hc_buf_put(b, c->ids, c->n * (size_t)c->arity * 4);
	if (c->keys)
		hc_buf_put(b, c->keys, c->n * 8);
}

int hc_model_serialize(const struct hc_model *m, enum hc_quant q,
		       struct hc_buf *b, struct hc_err *err)
{
	cJSON *h = make_header(m, q);
	char *text = h ? cJSON_PrintUnformatted(h) : NULL;

	cJSON_Delete(h);
	if (!text)
		return hc_err_nomem(err);
	hc_buf_put_str(b, text, strlen(text));
	cJSON_free(text);
	for (size_t t = 0; t < m->ntables; t++) {
		hc_buf_put_u8(b, (uint8_t)q);
		if (put_table(b, m, &m->tables[t], q) != 0)
			return hc_err_nomem(err);
	}
	if (m->kind == HC_MODEL_MF) {
		put_catalogue(b, &m->users);
		put_catalogue(b, &m->items);
		hc_buf_put(b, m->hist_start, (m->users.n + 1) * 8);
		hc_buf_put(b, m->hist, m->hist_start[m->users.n] * 4);
	}
	return b->failed ? hc_err_nomem(err) : 0;
}

/* ---- reading ------------------------------------------------------------- */

static int bad(struct hc_err *err, const char *what)
{
	return hc_err_set(err, HC_ERR_DATA, "model: %s", what);
}

static int get_num(const cJSON *o, const char *key, double lo, double hi,
		   double *v)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(x) || !(x->valuedouble >= lo && x->valuedouble <= hi) ||
	    x->valuedouble != floor(x->valuedouble))
		return -1;
	*v = x->valuedouble;
	return 0;
}

static int pick(const cJSON *o, const char *key, const char *const *names,
		int n)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

	for (int i = 0; cJSON_IsString(x) && i < n; i++)
		if (strcmp(x->valuestring, names[i]) == 0)
			return i;
	return -1;
}

static int read_fields(struct hc_model *m, const cJSON *h, struct hc_err *err)
{
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(h, "fields"), *f;
	const cJSON *tables = cJSON_GetObjectItemCaseSensitive(h, "tables");
	static const char *const kinds[] = {"label", "weight", "cat", "num", "key"};
	int nf = cJSON_GetArraySize(fields), nt = cJSON_GetArraySize(tables);

	if (!cJSON_IsArray(fields) || !cJSON_IsArray(tables) || nf < 1 || nt < 1)
		return bad(err, "no fields or tables in the header");
	if (!(m->fields = hc_calloc((size_t)nf, sizeof(*m->fields))) ||
	    !(m->tables = hc_calloc((size_t)nt, sizeof(*m->tables))))
		return hc_err_nomem(err);
	cJSON_ArrayForEach(f, fields) {
		struct hc_model_field *fl = &m->fields[m->nfields];
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(f, "name");
		const cJSON *ids = cJSON_GetObjectItemCaseSensitive(f, "ids");
		double sp = 0, tab, row, ar = 1;
		int k = pick(f, "kind", kinds, 5);
		if (!cJSON_IsString(name) || (k != HC_KIND_CAT && k != HC_KIND_NUM) ||
		    get_num(f, "model_table", 0, nt - 1, &tab) != 0 ||
		    get_num(f, "model_row", 0, 4294967295.0, &row) != 0 ||
		    (k == HC_KIND_CAT && get_num(f, "space", 1, 4294967296.0, &sp) != 0) ||
		    (k == HC_KIND_CAT && !cJSON_IsString(ids) && ids &&
		     get_num(f, "ids", 1, 1024, &ar) != 0))
			return bad(err, "a field in the header is malformed");
		if (!(fl->name = hc_strdup(name->valuestring)) ||
		    !(fl->col = cJSON_Duplicate(f, 1)))
			return hc_err_nomem(err);
		m->nfields++;
		fl->kind = (enum hc_frame_kind)k;
		fl->arity = cJSON_IsString(ids) ? HC_ARITY_VAR : (uint32_t)ar;
		fl->space = (uint64_t)sp;
		fl->table = (uint32_t)tab;
		fl->row = (uint32_t)row;
	}
	cJSON_ArrayForEach(f, tables) {
		struct hc_model_table *t = &m->tables[m->ntables];
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(f, "name");
		double rows, width;
		if (!cJSON_IsString(name) || get_num(f, "rows", 1, 4294967296.0, &rows) != 0 ||
		    get_num(f, "width", 1, HC_MODEL_DIM_MAX + 1, &width) != 0)
			return bad(err, "a table in the header is malformed");
		if (!(t->name = hc_strdup(name->valuestring)))
			return hc_err_nomem(err);
		m->ntables++;
		t->rows = (uint64_t)rows;
		t->width = (uint32_t)width;
	}
	for (size_t i = 0; i < m->nfields; i++) {
		const struct hc_model_field *fl = &m->fields[i];
		const struct hc_model_table *t = &m->tables[fl->table];
		if (fl->kind == HC_KIND_CAT ? t->rows != fl->space : fl->row >= t->rows)
			return bad(err, "a field does not fit its table");
		/* concat splits dim among a fixed number of ids */
		if (m->combine == HC_COMBINE_CONCAT && fl->kind == HC_KIND_CAT &&
		    (fl->arity == HC_ARITY_VAR || m->dim % fl->arity))
			return bad(err, "a field's ids do not divide the dimension");
		if (t->width != hc_model_field_width(m, fl))
			return bad(err, "a table's width does not match its fields");
	}
	return 0;
}

/* A catalogue of the field's entries; each id must be a row of the
 * field's table (or padding, in a field of a variable number of ids). */
static int get_catalogue(struct hc_cursor *c, const struct hc_model *m,
			 size_t field, struct hc_catalogue *cat,
			 struct hc_err *err)
{
	uint32_t want = m->fields[field].arity;
	uint64_t rows = m->tables[m->fields[field].table].rows;
	uint64_t n;
	uint32_t arity;
	uint8_t keys;

	if (hc_get_u64(c, &n) || hc_get_u32(c, &arity) || hc_get_u8(c, &keys) ||
	    (want != HC_ARITY_VAR && arity != want) || arity < 1 ||
	    arity > HC_MF_MAX_IDS || keys > 1 ||
	    n > hc_cursor_left(c) / ((size_t)arity * 4 + keys * 8))
		return bad(err, "the catalogue is malformed");
	cat->n = (size_t)n;
	cat->arity = arity;
	cat->ids = hc_mallocarray(n ? n : 1, (size_t)arity * 4);
	cat->keys = keys ? hc_mallocarray(n ? n : 1, 8) : NULL;
	if (!cat->ids || (keys && !cat->keys))
		return hc_err_nomem(err);
	hc_get(c, cat->ids, n * arity * 4);
	if (keys)
		hc_get(c, cat->keys, n * 8);
	for (size_t k = 0; k < n * arity; k++)
		if (cat->ids[k] >= rows &&
		    !(want == HC_ARITY_VAR && cat->ids[k] == HC_MF_PAD))
			return bad(err, "a catalogue id is past its table");
	return 0;
}

static int get_mf(struct hc_cursor *c, struct hc_model *m, struct hc_err *err)
{
	size_t nu;

	if (m->nfields != 2 || m->fields[0].kind != HC_KIND_CAT || m->fields[1].kind != HC_KIND_CAT)
		return bad(err, "an mf model needs two cat fields");
	m->user = 0;
	m->item = 1;
	if (get_catalogue(c, m, 0, &m->users, err) != 0 ||
	    get_catalogue(c, m, 1, &m->items, err) != 0)
		return -1;
	nu = m->users.n;
	if (hc_cursor_left(c) / 8 < nu + 1)
		return bad(err, "the training items are truncated");
	if (!(m->hist_start = hc_mallocarray(nu + 1, 8)))
		return hc_err_nomem(err);
	hc_get(c, m->hist_start, (nu + 1) * 8);
	for (size_t u = 0; u < nu; u++)
		if (m->hist_start[u + 1] < m->hist_start[u])
			return bad(err, "the training items are malformed");
	if (m->hist_start[0] != 0 || hc_cursor_left(c) / 4 != m->hist_start[nu])
		return bad(err, "the training items are malformed");
	if (!(m->hist = hc_mallocarray(m->hist_start[nu] ? m->hist_start[nu] : 1, 4)))
		return hc_err_nomem(err);
	hc_get(c, m->hist, m->hist_start[nu] * 4);
	for (uint64_t e = 0; e < m->hist_start[nu]; e++)
		if (m->hist[e] >= m->items.n)
			return bad(err, "a training item is outside the catalogue");
	return 0;
}

static int read_header(struct hc_model *m, const cJSON *h, struct hc_err *err)
{
	static const char *const kinds[] = {"logreg", "fm", "mf"};
	static const char *const tasks[] = {"binary", "regression", "ranking"};
	static const char *const combines[] = {"sum", "concat"};
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(h, "format");
	const cJSON *bias = cJSON_GetObjectItemCaseSensitive(h, "bias");
	double v, dim;
	int k = pick(h, "model", kinds, 3), t = pick(h, "task", tasks, 3);
	int c = pick(h, "combine", combines, 2);

	if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "hicard-model") != 0 ||
	    get_num(h, "version", 1, 1, &v) != 0)
		return bad(err, "the header is not a hicard model's");
	if (k < 0 || t < 0 || c < 0 || get_num(h, "dim", 0, HC_MODEL_DIM_MAX, &dim) != 0 ||
	    !cJSON_IsNumber(bias) || !isfinite((float)bias->valuedouble) ||
	    (k == HC_MODEL_MF) != (t == HC_TASK_RANKING))
		return bad(err, "the header is malformed");
	m->kind = (enum hc_model_kind)k;
	m->task = (enum hc_task)t;
	m->combine = (enum hc_combine)c;
	m->dim = (uint32_t)dim;
	m->lin = m->kind != HC_MODEL_MF;
	m->bias = (float)bias->valuedouble;
	if ((m->kind == HC_MODEL_LOGREG) != (m->dim == 0))
		return bad(err, "the header is malformed");
	return read_fields(m, h, err);
}

int hc_model_deserialize(struct hc_model *m, const unsigned char *p,
			 size_t len, struct hc_err *err)
{
	struct hc_cursor c;
	const char *text;
	size_t tlen;
	cJSON *h;

	memset(m, 0, sizeof(*m));
	hc_cursor_init(&c, p, len);
	if (hc_get_str(&c, &text, &tlen) != 0)
		return bad(err, "no header");
	if (!(h = cJSON_ParseWithLength(text, tlen)))
		return bad(err, "the header is not valid JSON");
	m->meta = h;
	if (read_header(m, h, err) != 0)
		goto fail;
	for (size_t t = 0; t < m->ntables; t++) {
		struct hc_model_table *tb = &m->tables[t];
		uint8_t q;
		if (tb->rows > SIZE_MAX / 8 / tb->width)
			goto fail_bad;
		if (hc_get_u8(&c, &q) != 0 || q > HC_QUANT_TERNARY)
			goto fail_bad;
		/* Every encoding takes at least 2 bits a value. */
		if (hc_cursor_left(&c) < (size_t)tb->rows * tb->width / 4)
			goto fail_bad;
		if (!(tb->w = hc_mallocarray((size_t)tb->rows * tb->width, 4))) {
			hc_err_nomem(err);
			goto fail;
		}
		if (get_table(&c, m, tb, (enum hc_quant)q) != 0)
			goto fail_bad;
		/* Training never writes NaN or infinity (a diverged run is an
		 * error), so one here is damage, and would poison every score. */
		for (size_t k = 0; k < (size_t)tb->rows * tb->width; k++)
			if (!isfinite(tb->w[k])) {
				bad(err, "a parameter is not a finite number");
				goto fail;
			}
	}
	if (m->kind == HC_MODEL_MF && get_mf(&c, m, err) != 0)
		goto fail;
	if (m->kind != HC_MODEL_MF && hc_cursor_left(&c) != 0)
		goto fail_bad;
	return 0;
fail_bad:
	bad(err, "the parameters do not match the header");
fail:
	hc_model_release(m);
	return -1;
}
