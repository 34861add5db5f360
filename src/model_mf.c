/* model_mf.c - matrix factorization with the BPR loss: one step
 *
 * BPR (Rendle et al. 2009) maximises log sigmoid(s_ui - s_uj) over
 * triples of a user u, an item i it interacted with and a sampled item j;
 * with x = <e_u, e_i - e_j> the gradients of the loss -log sigmoid(x) are
 * g (e_i - e_j) for e_u, g e_u for e_i and -g e_u for e_j, g = -sigmoid(-x).
 * A field's vector is the sum (or concatenation) of its ids' rows, so each
 * id row gets the gradient of its slot (padding, HC_MF_PAD, has no row).
 * Weight decay joins the gradient of every row touched.  The row loops are
 * written so that compilers vectorise them (no branch inside, one
 * optimizer a loop).
 */
#include "model.h"

#include <string.h>

#include "src/vec.h"

void hc_mf_embed(const struct hc_model *m, size_t field, const uint32_t *ids,
		 size_t nids, float *out)
{
	const struct hc_model_table *t = &m->tables[m->fields[field].table];
	uint32_t ew = t->width, dim = m->dim;

	memset(out, 0, dim * sizeof(float));
	for (size_t a = 0; a < nids; a++)
		if (ids[a] != HC_MF_PAD)
			hc_vec_add(out + (m->combine == HC_COMBINE_CONCAT ? a * ew : 0),
				   t->w + (size_t)ids[a] * ew, ew);
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

		if (ids[a] == HC_MF_PAD)
			continue;
		if (o->optim == HC_OPTIM_ADAM)
			hc_vec_adam(t->w + base, t->s1 + base, t->s2 + base, g, ew,
				    o->l2_emb, o->beta1, o->beta2,
				    hc_sgd_adam_lr(o, ++t->steps[ids[a]]), o->eps);
		else
			hc_vec_adagrad(t->w + base, t->s1 + base, g, ew, o->l2_emb,
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
	float x, g;

	hc_mf_embed(m, m->user, uid, ua, eu);
	hc_mf_embed(m, m->item, iid, ia, ei);
	hc_mf_embed(m, m->item, jid, ia, ej);
	x = hc_vec_dot_diff(eu, ei, ej, dim);
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

static void prefetch_rows(const struct hc_model *m, size_t field,
			  const struct hc_catalogue *c, size_t e)
{
	const struct hc_model_table *t = &m->tables[m->fields[field].table];
	size_t bytes = (size_t)t->width * sizeof(float);

	for (uint32_t a = 0; a < c->arity; a++) {
		uint32_t id = c->ids[e * c->arity + a];
		size_t base = (size_t)id * t->width;
		if (id == HC_MF_PAD)
			continue;
		for (size_t off = 0; off < bytes; off += 64) {
			__builtin_prefetch((const char *)(t->w + base) + off, 1);
			__builtin_prefetch((const char *)(t->s1 + base) + off, 1);
			if (t->s2 != t->s1)
				__builtin_prefetch((const char *)(t->s2 + base) + off, 1);
		}
	}
}

void hc_mf_prefetch(const struct hc_model *m, size_t u, size_t i, size_t j)
{
	prefetch_rows(m, m->user, &m->users, u);
	prefetch_rows(m, m->item, &m->items, i);
	prefetch_rows(m, m->item, &m->items, j);
}
