/* model_logreg.c - one SGD step of logreg, and of fm (its linear part is
 * logreg's)
 *
 * The loss's gradient with respect to the score is g = w (p - y) for the
 * logistic loss and w (s - y) for the squared loss; each weight the row
 * used moves by its optimizer (src/sgd.h) with gradient g (g x for a num
 * column).  The logistic loss is computed as max(s, 0) - s y +
 * log1p(exp(-|s|)), which neither overflows nor loses digits at large |s|.
 */
#include "model.h"
#include "src/vec.h"

static inline float row_lr(struct hc_model *m, struct hc_model_table *t,
			   uint64_t r)
{
	if (m->o.sgd.optim != HC_OPTIM_ADAM)
		return m->o.sgd.lr;
	return hc_sgd_adam_lr(&m->o.sgd, ++t->steps[r]);
}

/* The loss of a score, and its derivative into *g. */
static double loss_grad(enum hc_task task, float s, float y, float w, float *g)
{
	if (task == HC_TASK_BINARY) {
		float p = 1.0f / (1.0f + expf(-s));
		*g = w * (p - y);
		return w * ((s > 0 ? s : 0) - s * y + log1p(exp(-fabs(s))));
	}
	*g = w * (s - y);
	return 0.5 * w * (double)(s - y) * (s - y);
}

void hc_model_update_bias(struct hc_model *m, float g)
{
	float lr = m->o.sgd.lr;

	if (m->o.sgd.optim == HC_OPTIM_ADAM)
		lr = hc_sgd_adam_lr(&m->o.sgd, ++m->bias_steps);
	hc_sgd_update(&m->o.sgd, &m->bias, &m->bias_s1, &m->bias_s2, g, 0, 0, lr);
}

/* The step for one optimizer; hc_logreg_step picks it once per row so
 * that hc_sgd_update's switch folds away. */
static inline __attribute__((always_inline)) double
logreg_step(struct hc_model *m, const struct hc_dataset *d, const size_t *bind,
	    size_t i, float y, float w, enum hc_optim opt)
{
	const struct hc_sgd *o = &m->o.sgd;
	/* logreg rows are one float wide: [w][s1] or [w][s1][s2] */
	const size_t stride = opt == HC_OPTIM_ADAGRAD ? 2 : 3;
	float s = m->bias, g;
	double loss;

	for (size_t f = 0; f < m->nfields; f++) {
		const struct hc_model_field *fl = &m->fields[f];
		const float *tp = m->tables[fl->table].p;
		size_t n;

		if (fl->kind == HC_KIND_NUM) {
			s += tp[fl->row * stride] * d->cols[bind[f]].num[i];
			continue;
		}
		const uint32_t *ids = hc_dataset_ids(d, bind[f], i, &n);
		for (size_t a = 0; a < n; a++)
			s += tp[ids[a] * stride];
	}
	loss = loss_grad(m->task, s, y, w, &g);
	if (g == 0)
		return loss;
	for (size_t f = 0; f < m->nfields; f++) {
		const struct hc_model_field *fl = &m->fields[f];
		struct hc_model_table *t = &m->tables[fl->table];
		size_t n;

		if (fl->kind == HC_KIND_NUM) {
			size_t r = fl->row;
			float x = d->cols[bind[f]].num[i], *p = t->p + r * stride;
			hc_sgd_step(opt, o, p, p + 1, p + 2, g * x, o->l1, o->l2,
				    opt == HC_OPTIM_ADAM ? row_lr(m, t, r) : o->lr);
			continue;
		}
		const uint32_t *ids = hc_dataset_ids(d, bind[f], i, &n);
		for (size_t a = 0; a < n; a++) {
			size_t r = ids[a];
			float *p = t->p + r * stride;
			hc_sgd_step(opt, o, p, p + 1, p + 2, g, o->l1, o->l2,
				    opt == HC_OPTIM_ADAM ? row_lr(m, t, r) : o->lr);
		}
	}
	hc_model_update_bias(m, g);
	return loss;
}

double hc_logreg_step(struct hc_model *m, const struct hc_dataset *d,
		      const size_t *bind, size_t i, float y, float w,
		      float *scratch)
{
	(void)scratch;
	switch (m->o.sgd.optim) {
	case HC_OPTIM_FTRL:
		return logreg_step(m, d, bind, i, y, w, HC_OPTIM_FTRL);
	case HC_OPTIM_ADAM:
		return logreg_step(m, d, bind, i, y, w, HC_OPTIM_ADAM);
	default:
		return logreg_step(m, d, bind, i, y, w, HC_OPTIM_ADAGRAD);
	}
}

void hc_model_prefetch(const struct hc_model *m, const struct hc_dataset *d,
		       const size_t *bind, size_t i)
{
	for (size_t f = 0; f < m->nfields; f++) {
		const struct hc_model_field *fl = &m->fields[f];
		const struct hc_model_table *t = &m->tables[fl->table];
		size_t n;

		if (fl->kind != HC_KIND_CAT)
			continue;
		const uint32_t *ids = hc_dataset_ids(d, bind[f], i, &n);
		/* A row of p: its first and last byte (fm's may cross a
		 * line; the same line twice costs next to nothing). */
		size_t last = (size_t)t->stride * sizeof(float) - 1;
		for (size_t a = 0; a < n; a++) {
			const char *r = (const char *)(t->p + (size_t)ids[a] * t->stride);
			__builtin_prefetch(r, 1);
			__builtin_prefetch(r + last, 1);
		}
	}
}

/* ---- fm ---------------------------------------------------------------- */

/* Field vectors into e (nfields * dim) and their sum into S; returns the
 * score.  Kept apart from hc_model_score because the step needs every
 * field's vector afterwards. */
static float fm_forward(const struct hc_model *m, const struct hc_dataset *d,
			const size_t *bind, size_t i, float *S, float *e)
{
	uint32_t dim = m->dim;
	float s = m->bias, q = 0, ss = 0;

	for (uint32_t k = 0; k < dim; k++)
		S[k] = 0;
	for (size_t f = 0; f < m->nfields; f++) {
		const struct hc_model_field *fl = &m->fields[f];
		const struct hc_model_table *t = &m->tables[fl->table];
		uint32_t W = t->stride, ew = t->width - 1;
		float *ef = e + f * dim;

		for (uint32_t k = 0; k < dim; k++)
			ef[k] = 0;
		if (fl->kind == HC_KIND_NUM) {
			float x = d->cols[bind[f]].num[i];
			const float *row = t->p + (size_t)fl->row * W;
			s += row[0] * x;
			for (uint32_t k = 0; k < ew; k++)
				ef[k] = x * row[1 + k];
		} else {
			size_t n;
			const uint32_t *ids = hc_dataset_ids(d, bind[f], i, &n);
			for (size_t a = 0; a < n; a++) {
				const float *row = t->p + (size_t)ids[a] * W;
				float *slot = ef + (m->combine == HC_COMBINE_CONCAT ? a * ew : 0);
				s += row[0];
				for (uint32_t k = 0; k < ew; k++)
					slot[k] += row[1 + k];
			}
		}
		for (uint32_t k = 0; k < dim; k++) {
			S[k] += ef[k];
			q += ef[k] * ef[k];
		}
	}
	for (uint32_t k = 0; k < dim; k++)
		ss += S[k] * S[k];
	return s + 0.5f * (ss - q);
}

/* Moves one table row: linear weight by gl, embedding by g (S - e_f) x
 * over its slot. */
static inline __attribute__((always_inline)) void
fm_update_row(struct hc_model *m, struct hc_model_table *t, uint64_t r,
	      float gl, float gx, const float *S, const float *ef,
	      enum hc_optim opt)
{
	const struct hc_sgd *o = &m->o.sgd;
	uint32_t W = t->width;
	float lr = opt == HC_OPTIM_ADAM ? row_lr(m, t, r) : o->lr;
	float *w = t->p + (size_t)r * t->stride, *s1 = w + W, *s2 = s1 + W;

	hc_sgd_step(opt, o, w, s1, s2, gl, o->l1, o->l2, lr);
	if (opt == HC_OPTIM_ADAGRAD) {
		hc_vec_adagrad_diff(w + 1, s1 + 1, S, ef, gx, W - 1, o->l2_emb,
				    o->lr, o->eps);
		return;
	}
	for (uint32_t k = 1; k < W; k++)
		hc_sgd_step(opt, o, w + k, s1 + k, s2 + k, gx * (S[k - 1] - ef[k - 1]),
			    0, o->l2_emb, lr);
}

static inline __attribute__((always_inline)) void
fm_backward(struct hc_model *m, const struct hc_dataset *d, const size_t *bind,
	    size_t i, float g, const float *S, const float *e, enum hc_optim opt)
{
	uint32_t dim = m->dim;

	for (size_t f = 0; f < m->nfields; f++) {
		const struct hc_model_field *fl = &m->fields[f];
		struct hc_model_table *t = &m->tables[fl->table];
		uint32_t ew = t->width - 1;
		const float *ef = e + f * dim;

		if (fl->kind == HC_KIND_NUM) {
			float x = d->cols[bind[f]].num[i];
			fm_update_row(m, t, fl->row, g * x, g * x, S, ef, opt);
			continue;
		}
		size_t n;
		const uint32_t *ids = hc_dataset_ids(d, bind[f], i, &n);
		for (size_t a = 0; a < n; a++) {
			size_t off = m->combine == HC_COMBINE_CONCAT ? a * ew : 0;
			fm_update_row(m, t, ids[a], g, g, S + off, ef + off, opt);
		}
	}
}

double hc_fm_step(struct hc_model *m, const struct hc_dataset *d,
		  const size_t *bind, size_t i, float y, float w,
		  float *scratch)
{
	uint32_t dim = m->dim;
	float *S = scratch, *e = scratch + dim, g;
	float s = fm_forward(m, d, bind, i, S, e);
	double loss = loss_grad(m->task, s, y, w, &g);

	if (g == 0)
		return loss;
	switch (m->o.sgd.optim) {
	case HC_OPTIM_FTRL:
		fm_backward(m, d, bind, i, g, S, e, HC_OPTIM_FTRL);
		break;
	case HC_OPTIM_ADAM:
		fm_backward(m, d, bind, i, g, S, e, HC_OPTIM_ADAM);
		break;
	default:
		fm_backward(m, d, bind, i, g, S, e, HC_OPTIM_ADAGRAD);
	}
	hc_model_update_bias(m, g);
	return loss;
}
