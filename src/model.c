/* model.c - model layout: fields, tables, initialisation, binding, scoring
 *
 * See model.h for the models.  Initial embeddings are normal(0, init_std)
 * from a splitmix64 stream per table seeded by --seed, so they do not
 * depend on threads; linear weights and the bias start at 0.
 */
#include "model.h"

#include <math.h>
#include <string.h>

#include "lib/mem.h"
#include "src/rng.h"

const char *hc_model_kind_name(enum hc_model_kind k)
{
	static const char *const names[] = {"logreg", "fm", "mf"};
	return names[k];
}

const char *hc_task_name(enum hc_task t)
{
	static const char *const names[] = {"binary", "regression", "ranking"};
	return names[t];
}

const char *hc_optim_name(enum hc_optim o)
{
	static const char *const names[] = {"adagrad", "ftrl", "adam"};
	return names[o];
}

/* Box-Muller on two 53-bit uniforms in (0, 1]. */
static double normal(uint64_t *s)
{
	double u1 = ((double)(hc_splitmix64(s) >> 11) + 1.0) / 9007199254740992.0;
	double u2 = (double)(hc_splitmix64(s) >> 11) / 9007199254740992.0;

	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---- layout ------------------------------------------------------------ */

static long find_table(const struct hc_model *m, const char *name)
{
	for (size_t t = 0; t < m->ntables; t++)
		if (strcmp(m->tables[t].name, name) == 0)
			return (long)t;
	return -1;
}

static long add_table(struct hc_model *m, const char *name, uint64_t rows,
		      uint32_t width, struct hc_err *err)
{
	struct hc_model_table *t = &m->tables[m->ntables];

	memset(t, 0, sizeof(*t));
	if (!(t->name = hc_strdup(name)))
		return hc_err_nomem(err);
	t->rows = rows;
	t->width = width;
	return (long)m->ntables++;
}

static int add_field(struct hc_model *m, const struct hc_frame_schema *s,
		     size_t j, struct hc_err *err)
{
	const struct hc_frame_col *c = &s->cols[j];
	struct hc_model_field *f = &m->fields[m->nfields];
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(s->doc, "columns");

	memset(f, 0, sizeof(*f));
	if (!(f->name = hc_strdup(c->name)) ||
	    !(f->col = cJSON_Duplicate(cJSON_GetArrayItem(cols, (int)j), 1))) {
		hc_free(f->name);
		return hc_err_nomem(err);
	}
	f->kind = c->kind;
	f->arity = c->kind == HC_KIND_CAT ? c->arity : 1;
	f->space = c->space;
	m->nfields++;
	return 0;
}

uint32_t hc_model_field_width(const struct hc_model *m,
			      const struct hc_model_field *f)
{
	if (m->kind == HC_MODEL_LOGREG)
		return m->lin;
	if (m->combine == HC_COMBINE_CONCAT && f->kind == HC_KIND_CAT)
		return m->lin + m->dim / f->arity;
	return m->lin + m->dim;
}

static int pick_fields(struct hc_model *m, const struct hc_frame_schema *s,
		       struct hc_err *err)
{
	long ucol = -1, icol = -1;

	if (m->kind != HC_MODEL_MF) {
		for (size_t j = 0; j < s->ncols; j++)
			if ((s->cols[j].kind == HC_KIND_CAT ||
			     s->cols[j].kind == HC_KIND_NUM) &&
			    add_field(m, s, j, err) != 0)
				return -1;
		if (m->nfields == 0)
			return hc_err_set(err, HC_ERR_DATA, "no cat or num column to learn from");
		return 0;
	}
	for (size_t j = 0; j < s->ncols; j++) {
		const char *name = s->cols[j].name;
		if (s->cols[j].kind != HC_KIND_CAT)
			continue;
		if (m->o.user ? strcmp(name, m->o.user) == 0 : ucol < 0)
			ucol = (long)j;
		else if (m->o.item ? strcmp(name, m->o.item) == 0 : icol < 0)
			icol = (long)j;
	}
	if (ucol < 0)
		return m->o.user ? hc_err_set(err, HC_ERR_DATA, "no cat column '%s' (--user)", m->o.user)
				 : hc_err_set(err, HC_ERR_DATA, "mf needs two cat columns (user and item); the frame has none");
	if (icol < 0)
		return m->o.item ? hc_err_set(err, HC_ERR_DATA, "no cat column '%s' (--item)", m->o.item)
				 : hc_err_set(err, HC_ERR_DATA, "mf needs two cat columns (user and item); the frame has one");
	m->user = 0;
	m->item = 1;
	if (add_field(m, s, (size_t)ucol, err) != 0 ||
	    add_field(m, s, (size_t)icol, err) != 0)
		return -1;
	return 0;
}

static int check_concat(const struct hc_model *m, struct hc_err *err)
{
	uint32_t a = 0;

	for (size_t f = 0; f < m->nfields; f++) {
		const struct hc_model_field *fl = &m->fields[f];
		if (fl->kind != HC_KIND_CAT)
			continue;
		if (fl->arity == HC_ARITY_VAR)
			return hc_err_set(err, HC_ERR_USAGE, "--combine concat: column '%s' has a variable number of ids", fl->name);
		if (a && fl->arity != a)
			return hc_err_set(err, HC_ERR_USAGE, "--combine concat: columns have %u and %u ids a row; concat needs one arity", a, fl->arity);
		a = fl->arity;
	}
	if (a && m->dim % a)
		return hc_err_set(err, HC_ERR_USAGE, "--combine concat: --dim %u is not a multiple of %u ids a row", m->dim, a);
	return 0;
}

static int make_tables(struct hc_model *m, const struct hc_frame_schema *s,
		       struct hc_err *err)
{
	uint32_t nnum = 0;
	size_t first_num = 0;

	if (!(m->tables = hc_calloc(m->nfields + 1, sizeof(*m->tables))))
		return hc_err_nomem(err);
	for (size_t f = 0; f < m->nfields; f++) {
		struct hc_model_field *fl = &m->fields[f];
		const char *tname = NULL;
		long t;

		if (fl->kind == HC_KIND_NUM) {
			if (nnum++ == 0)
				first_num = f;
			fl->row = nnum - 1;
			continue;
		}
		for (size_t j = 0; j < s->ncols && !tname; j++)
			if (strcmp(s->cols[j].name, fl->name) == 0)
				tname = hc_frame_col_table(s, j);
		if (!tname)
			tname = fl->name;
		t = find_table(m, tname);
		if (t >= 0 && m->tables[t].rows != fl->space)
			return hc_err_set(err, HC_ERR_DATA, "column '%s': table '%s' has %llu rows, the column's space is %llu",
					  fl->name, tname, (unsigned long long)m->tables[t].rows,
					  (unsigned long long)fl->space);
		if (t < 0 && (t = add_table(m, tname, fl->space,
					    hc_model_field_width(m, fl), err)) < 0)
			return -1;
		fl->table = (uint32_t)t;
	}
	if (nnum) {
		long t = find_table(m, "num");
		if (t >= 0)
			return hc_err_set(err, HC_ERR_DATA, "a cat column's table is named 'num', which the num columns' table takes");
		t = add_table(m, "num", nnum, hc_model_field_width(m, &m->fields[first_num]), err);
		if (t < 0)
			return -1;
		for (size_t f = 0; f < m->nfields; f++)
			if (m->fields[f].kind == HC_KIND_NUM)
				m->fields[f].table = (uint32_t)t;
	}
	return 0;
}

static int alloc_table(struct hc_model *m, struct hc_model_table *t, size_t ti,
		       int train, struct hc_err *err)
{
	size_t n;
	uint64_t rng = m->o.seed ^ (0x632BE59BD9B4E019ull * (ti + 1));

	if (t->rows > SIZE_MAX / t->width)
		return hc_err_nomem(err);
	n = (size_t)t->rows * t->width;
	if (!(t->w = hc_calloc(n ? n : 1, sizeof(float))))
		return hc_err_nomem(err);
	if (train && m->o.sgd.optim != HC_OPTIM_ADAGRAD &&
	    !(t->steps = hc_calloc(t->rows ? t->rows : 1, 4)))
		return hc_err_nomem(err);
	if (train && m->kind != HC_MODEL_MF) {
		/* AdaGrad keeps one accumulator, the others two. */
		t->stride = t->width * (m->o.sgd.optim == HC_OPTIM_ADAGRAD ? 2 : 3);
		if (t->rows > SIZE_MAX / t->stride ||
		    !(t->p = hc_calloc(t->rows ? (size_t)t->rows * t->stride : 1, sizeof(float))))
			return hc_err_nomem(err);
	} else if (train) {
		if (!(t->s1 = hc_calloc(n ? n : 1, sizeof(float))))
			return hc_err_nomem(err);
		/* AdaGrad: s2 aliases s1 (never read), which saves a third
		 * of the memory of big tables. */
		if (m->o.sgd.optim == HC_OPTIM_ADAGRAD)
			t->s2 = t->s1;
		else if (!(t->s2 = hc_calloc(n ? n : 1, sizeof(float))))
			return hc_err_nomem(err);
	}
	if (t->width == m->lin)
		return 0;
	for (uint64_t r = 0; r < t->rows; r++)
		for (uint32_t k = m->lin; k < t->width; k++) {
			float v = (float)(m->o.init_std * normal(&rng));
			t->w[r * t->width + k] = v;
			if (t->p)
				t->p[r * t->stride + k] = v;
		}
	return 0;
}

void hc_model_sync(struct hc_model *m)
{
	for (size_t i = 0; i < m->ntables; i++) {
		struct hc_model_table *t = &m->tables[i];
		if (!t->p)
			continue;
		for (uint64_t r = 0; r < t->rows; r++)
			memcpy(t->w + r * t->width, t->p + r * t->stride,
			       t->width * sizeof(float));
	}
}

int hc_model_init(struct hc_model *m, const struct hc_frame_schema *s,
		  const struct hc_model_opts *o, int train, struct hc_err *err)
{
	memset(m, 0, sizeof(*m));
	m->o = *o;
	m->o.sgd.adam_corr = NULL;
	m->kind = o->kind;
	m->combine = o->combine;
	m->dim = o->kind == HC_MODEL_LOGREG ? 0 : o->dim;
	m->lin = o->kind != HC_MODEL_MF;
	m->task = o->kind == HC_MODEL_MF ? HC_TASK_RANKING : (enum hc_task)o->task;
	if (m->kind != HC_MODEL_LOGREG && (m->dim == 0 || m->dim > HC_MODEL_DIM_MAX)) {
		hc_err_set(err, HC_ERR_USAGE, "--dim must be 1 .. %d, not %u", HC_MODEL_DIM_MAX, m->dim);
		goto fail;
	}
	if (m->kind != HC_MODEL_MF && hc_frame_schema_find_kind(s, HC_KIND_LABEL) < 0) {
		hc_err_set(err, HC_ERR_DATA, "no label column: %s learns from one (hash --label COL)",
			   hc_model_kind_name(m->kind));
		goto fail;
	}
	if (!(m->fields = hc_calloc(s->ncols ? s->ncols : 1, sizeof(*m->fields))) ||
	    !(m->meta = cJSON_CreateObject())) {
		hc_err_nomem(err);
		goto fail;
	}
	if (pick_fields(m, s, err) != 0)
		goto fail;
	if (m->combine == HC_COMBINE_CONCAT && m->kind != HC_MODEL_LOGREG &&
	    check_concat(m, err) != 0)
		goto fail;
	if (make_tables(m, s, err) != 0)
		goto fail;
	for (size_t t = 0; t < m->ntables; t++)
		if (alloc_table(m, &m->tables[t], t, train, err) != 0)
			goto fail;
	m->o.sgd.adam_corr = NULL;
	if (train && m->o.sgd.optim == HC_OPTIM_ADAM) {
		float *c = hc_mallocarray(HC_SGD_ADAM_TABLE, sizeof(float));
		if (!c) {
			hc_err_nomem(err);
			goto fail;
		}
		for (uint32_t t = 1; t < HC_SGD_ADAM_TABLE; t++)
			c[t] = (float)(sqrt(1.0 - pow(m->o.sgd.beta2, t)) /
				       (1.0 - pow(m->o.sgd.beta1, t)));
		c[0] = 1;
		m->o.sgd.adam_corr = c;
		m->o.sgd.adam_n = HC_SGD_ADAM_TABLE;
	}
	return 0;
fail:
	hc_model_release(m);
	return -1;
}

static void catalogue_release(struct hc_catalogue *c)
{
	hc_free(c->ids);
	hc_free(c->keys);
	memset(c, 0, sizeof(*c));
}

void hc_model_release(struct hc_model *m)
{
	for (size_t f = 0; f < m->nfields; f++) {
		hc_free(m->fields[f].name);
		cJSON_Delete(m->fields[f].col);
	}
	hc_free(m->fields);
	for (size_t t = 0; t < m->ntables; t++) {
		hc_free(m->tables[t].name);
		hc_free(m->tables[t].w);
		hc_free(m->tables[t].s1);
		if (m->tables[t].s2 != m->tables[t].s1)
			hc_free(m->tables[t].s2);
		hc_free(m->tables[t].steps);
		hc_free(m->tables[t].p);
	}
	hc_free(m->tables);
	catalogue_release(&m->users);
	catalogue_release(&m->items);
	hc_free(m->hist_start);
	hc_free(m->hist);
	cJSON_Delete(m->meta);
	hc_free((void *)m->o.sgd.adam_corr);
	memset(m, 0, sizeof(*m));
}

uint64_t hc_model_params(const struct hc_model *m)
{
	uint64_t n = m->lin;

	for (size_t t = 0; t < m->ntables; t++)
		n += m->tables[t].rows * m->tables[t].width;
	return n;
}

/* ---- binding ----------------------------------------------------------- */

static int same_string(const cJSON *a, const cJSON *b, const char *key)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, key);
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, key);

	if (!cJSON_IsString(x) || !cJSON_IsString(y))
		return 1;
	return strcmp(x->valuestring, y->valuestring) == 0;
}

static int bind_field(const struct hc_model_field *f,
		      const struct hc_frame_schema *s, size_t *col,
		      struct hc_err *err)
{
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(s->doc, "columns");

	for (size_t j = 0; j < s->ncols; j++) {
		const struct hc_frame_col *c = &s->cols[j];
		const cJSON *obj = cJSON_GetArrayItem(cols, (int)j);
		uint32_t arity = c->kind == HC_KIND_CAT ? c->arity : 1;

		if (strcmp(c->name, f->name) != 0 || c->kind == HC_KIND_KEY)
			continue;
		if (c->kind != f->kind)
			return hc_err_set(err, HC_ERR_DATA, "column '%s': kind %s in the frame, %s in the model",
					  f->name, hc_frame_kind_name(c->kind), hc_frame_kind_name(f->kind));
		if (arity != f->arity || c->space != f->space)
			return hc_err_set(err, HC_ERR_DATA, "column '%s': %u ids in space %llu in the frame, %u in space %llu in the model",
					  f->name, arity, (unsigned long long)c->space, f->arity,
					  (unsigned long long)f->space);
		if (!same_string(obj, f->col, "scheme") || !same_string(obj, f->col, "seed"))
			return hc_err_set(err, HC_ERR_DATA, "column '%s': hashed with another scheme or seed than the model's training frame",
					  f->name);
		*col = j;
		return 0;
	}
	return hc_err_set(err, HC_ERR_DATA, "the frame has no column '%s', which the model uses", f->name);
}

int hc_model_bind(const struct hc_model *m, const struct hc_frame_schema *s,
		  size_t *bind, long *label, long *weight, struct hc_err *err)
{
	for (size_t f = 0; f < m->nfields; f++)
		if (bind_field(&m->fields[f], s, &bind[f], err) != 0)
			return -1;
	*label = hc_frame_schema_find_kind(s, HC_KIND_LABEL);
	*weight = hc_frame_schema_find_kind(s, HC_KIND_WEIGHT);
	return 0;
}

/* ---- scoring ------------------------------------------------------------ */

size_t hc_model_scratch(const struct hc_model *m)
{
	return (size_t)(m->dim ? m->dim : 1) * (m->nfields + 4);
}

float hc_model_score(const struct hc_model *m, const struct hc_dataset *d,
		     const size_t *bind, size_t i, float *scratch)
{
	uint32_t dim = m->dim;
	float *S = scratch, *e = scratch + dim;
	float s = m->bias, q = 0;

	for (uint32_t k = 0; k < dim; k++)
		S[k] = 0;
	for (size_t f = 0; f < m->nfields; f++) {
		const struct hc_model_field *fl = &m->fields[f];
		const struct hc_model_table *t = &m->tables[fl->table];
		uint32_t W = t->width, ew = W - m->lin;

		if (fl->kind == HC_KIND_NUM) {
			float x = d->cols[bind[f]].num[i];
			const float *row = t->w + (size_t)fl->row * W;
			s += row[0] * x;
			for (uint32_t k = 0; k < ew; k++) {
				float v = x * row[1 + k];
				S[k] += v;
				q += v * v;
			}
			continue;
		}
		size_t n;
		const uint32_t *ids = hc_dataset_ids(d, bind[f], i, &n);
		for (uint32_t k = 0; k < dim; k++)
			e[k] = 0;
		for (size_t a = 0; a < n; a++) {
			const float *row = t->w + (size_t)ids[a] * W;
			float *slot = e + (m->combine == HC_COMBINE_CONCAT ? a * ew : 0);
			s += row[0];
			for (uint32_t k = 0; k < ew; k++)
				slot[k] += row[1 + k];
		}
		for (uint32_t k = 0; k < dim; k++) {
			S[k] += e[k];
			q += e[k] * e[k];
		}
	}
	if (dim) {
		float ss = 0;
		for (uint32_t k = 0; k < dim; k++)
			ss += S[k] * S[k];
		s += 0.5f * (ss - q);
	}
	return s;
}
