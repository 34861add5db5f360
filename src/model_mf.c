/* model_mf.c - matrix factorization with the BPR loss: one step
 *
 * BPR (Rendle et al. 2009) maximises log sigmoid(s_ui - s_uj) over
 * triples of a user u, an item i it interacted with and a sampled item j;
 * with x = <e_u, e_i - e_j> the gradients of the loss -log sigmoid(x) are
 * g (e_i - e_j) for e_u, g e_u for e_i and -g e_u for e_j, g = -sigmoid(-x).
 * A field's vector is the sum (or concatenation) of its ids' rows, so each
 * id row gets the gradient of its slot.  Weight decay joins the gradient
 * of every row touched.  The row loops are written so that compilers
 * vectorise them (no branch inside, one optimizer a loop).
 */
#include "model.h"

#include <string.h>

void hc_mf_embed(const struct hc_model *m, size_t field, const uint32_t *ids,
		 size_t nids, float *out)
{
	const struct hc_model_table *t = &m->tables[m->fields[field].table];
	uint32_t ew = t->width, dim = m->dim;

	memset(out, 0, dim * sizeof(float));
	for (size_t a = 0; a < nids; a++) {
		const float *row = t->w + (size_t)ids[a] * ew;
		float *slot = out + (m->combine == HC_COMBINE_CONCAT ? a * ew : 0);
		for (uint32_t k = 0; k < ew; k++)
			slot[k] += row[k];
	}
}

static void row_adam(float *restrict w, float *restrict m1, float *restrict m2,
		     const float *restrict g, uint32_t n, float l2, float b1,
		     float b2, float lr, float eps)
{
	for (uint32_t k = 0; k < n; k++) {
		float gg = g[k] + l2 * w[k];
		m1[k] = b1 * m1[k] + (1 - b1) * gg;
		m2[k] = b2 * m2[k] + (1 - b2) * gg * gg;
		w[k] -= lr * m1[k] / (sqrtf(m2[k]) + eps);
	}
}

static void row_adagrad(float *restrict w, float *restrict acc,
			const float *restrict g, uint32_t n, float l2, float lr,
			float eps)
{
	for (uint32_t k = 0; k < n; k++) {
		float gg = g[k] + l2 * w[k];
		acc[k] += gg * gg;
		w[k] -= lr * gg / (sqrtf(acc[k]) + eps);
	}
}

static void update_rows(struct hc_model *m, size_t field, const uint32_t *ids,
			size_t nids, const float *grad)
{
	struct hc_model_table *t = &m->tables[m->fields[field].table];
	const struct hc_sgd *o = &m->o.sgd;
	uint32_t ew = t->width;

	for (size_t a = 0; a < nids; a++) {
		size_t base = (size_t)ids[a] * ew;
		const float *g = grad + (m->combine == HC_COMBINE_CONCAT ? a * ew : 0);

		if (o->optim == HC_OPTIM_ADAM)
			row_adam(t->w + base, t->s1 + base, t->s2 + base, g, ew,
				 o->l2_emb, o->beta1, o->beta2,
				 hc_sgd_adam_lr(o, ++t->steps[ids[a]]), o->eps);
		else
			row_adagrad(t->w + base, t->s1 + base, g, ew, o->l2_emb,
				    o->lr, o->eps);
	}
}

double hc_mf_step(struct hc_model *m, size_t u, size_t i, size_t j,
		  float *scratch)
{
	uint32_t dim = m->dim, ua = m->users.arity, ia = m->items.arity;
	const uint32_t *uid = m->users.ids + u * ua;
	const uint32_t *iid = m->items.ids + i * ia, *jid = m->items.ids + j * ia;
	float *eu = scratch, *ei = eu + dim, *ej = ei + dim;
	float *gu = ej + dim, *gi = gu + dim;
	float x = 0, g;

	hc_mf_embed(m, m->user, uid, ua, eu);
	hc_mf_embed(m, m->item, iid, ia, ei);
	hc_mf_embed(m, m->item, jid, ia, ej);
	for (uint32_t k = 0; k < dim; k++)
		x += eu[k] * (ei[k] - ej[k]);
	g = -1.0f / (1.0f + expf(x));
	for (uint32_t k = 0; k < dim; k++) {
		gu[k] = g * (ei[k] - ej[k]);
		gi[k] = g * eu[k];
	}
	update_rows(m, m->user, uid, ua, gu);
	update_rows(m, m->item, iid, ia, gi);
	for (uint32_t k = 0; k < dim; k++)
		gi[k] = -gi[k];
	update_rows(m, m->item, jid, ia, gi);
	return (x > 0 ? 0 : -x) + log1p(exp(-fabs(x)));
}
