/* evaluate.c - metrics of a model on a frame; see evaluate.h */
#include "evaluate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/parse.h"
#include "src/catalogue.h"
#include "src/metrics.h"
#include "src/retrieval.h"

static const char *const metric_names[] = {
	"auc", "logloss", "accuracy", "rmse", "mae", "recall", "ndcg", "hitrate",
};
#define NMETRICS (sizeof(metric_names) / sizeof(metric_names[0]))

int hc_metrics_parse(const char *list, struct hc_metric_spec *spec,
		     size_t *n, struct hc_err *err)
{
	const char *p = list;

	*n = 0;
	while (*p) {
		const char *end = strchr(p, ','), *at;
		size_t len = end ? (size_t)(end - p) : strlen(p), i;

		at = memchr(p, '@', len);
		size_t nlen = at ? (size_t)(at - p) : len;
		for (i = 0; i < NMETRICS; i++)
			if (strlen(metric_names[i]) == nlen && memcmp(metric_names[i], p, nlen) == 0)
				break;
		if (i == NMETRICS || *n == HC_METRICS_MAX)
			return hc_err_set(err, HC_ERR_USAGE, "unknown metric '%.*s' (auc, logloss, accuracy, rmse, mae, recall@K, ndcg@K, hitrate@K)", (int)len, p);
		spec[*n].metric = (enum hc_metric)i;
		if ((i >= HC_METRIC_RECALL) != (at != NULL))
			return hc_err_set(err, HC_ERR_USAGE, at ? "metric '%.*s': only retrieval metrics take @K" : "metric '%.*s' needs @K (e.g. recall@20)", (int)len, p);
		uint64_t k = 0;
		if (at && (hc_parse_u64(at + 1, len - nlen - 1, HC_METRIC_K_MAX, &k) != 0 || k == 0))
			return hc_err_set(err, HC_ERR_USAGE, "metric '%.*s': K must be 1 .. %d", (int)len, p, HC_METRIC_K_MAX);
		spec[(*n)++].k = (size_t)k;
		p += len;
		if (*p == ',')
			p++;
	}
	if (*n == 0)
		return hc_err_set(err, HC_ERR_USAGE, "no metric named");
	return 0;
}

int hc_metric_fits(const struct hc_model *m, enum hc_metric x)
{
	switch (m->task) {
	case HC_TASK_BINARY:
		return x <= HC_METRIC_MAE;
	case HC_TASK_REGRESSION:
		return x == HC_METRIC_RMSE || x == HC_METRIC_MAE;
	case HC_TASK_RANKING:
		return x >= HC_METRIC_RECALL;
	}
	return 0;
}

size_t hc_metrics_default(const struct hc_model *m, struct hc_metric_spec *spec)
{
	switch (m->task) {
	case HC_TASK_BINARY:
		spec[0] = (struct hc_metric_spec){HC_METRIC_AUC, 0};
		spec[1] = (struct hc_metric_spec){HC_METRIC_LOGLOSS, 0};
		return 2;
	case HC_TASK_REGRESSION:
		spec[0] = (struct hc_metric_spec){HC_METRIC_RMSE, 0};
		spec[1] = (struct hc_metric_spec){HC_METRIC_MAE, 0};
		return 2;
	case HC_TASK_RANKING:
		break;
	}
	spec[0] = (struct hc_metric_spec){HC_METRIC_RECALL, 20};
	spec[1] = (struct hc_metric_spec){HC_METRIC_NDCG, 20};
	return 2;
}

void hc_eval_outputs(const struct hc_model *m, const struct hc_dataset *d,
		     const size_t *bind, float *out)
{
	float scratch[HC_MODEL_DIM_MAX + 8];
	float *s = scratch;
	float *big = NULL;

	if (hc_model_scratch(m) > sizeof(scratch) / sizeof(float))
		s = big = hc_mallocarray(hc_model_scratch(m), sizeof(float));
	for (size_t i = 0; i < d->nrows && s; i++) {
		if (m->kind != HC_MODEL_MF) {
			out[i] = hc_model_output(m, hc_model_score(m, d, bind, i, s));
			continue;
		}
		size_t nu, ni;
		const uint32_t *u = hc_dataset_ids(d, bind[m->user], i, &nu);
		const uint32_t *it = hc_dataset_ids(d, bind[m->item], i, &ni);
		float x = 0;
		hc_mf_embed(m, m->user, u, nu, s);
		hc_mf_embed(m, m->item, it, ni, s + m->dim);
		for (uint32_t k = 0; k < m->dim; k++)
			x += s[k] * s[m->dim + k];
		out[i] = x;
	}
	hc_free(big);
}

static int put_num(cJSON *obj, const char *name, double v, struct hc_err *err)
{
	cJSON *x = isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();

	if (!x)
		return hc_err_nomem(err);
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	if (!cJSON_AddItemToObject(obj, name, x)) {
		cJSON_Delete(x);
		return hc_err_nomem(err);
	}
	return 0;
}

static int eval_point(const struct hc_model *m, const struct hc_dataset *d,
		      const size_t *bind, const struct hc_metric_spec *spec,
		      size_t n, cJSON *obj, struct hc_err *err)
{
	long lc = hc_frame_schema_find_kind(&d->schema, HC_KIND_LABEL);
	long wc = hc_frame_schema_find_kind(&d->schema, HC_KIND_WEIGHT);
	const float *y, *w;
	float *out;
	int rc = 0;

	if (lc < 0)
		return hc_err_set(err, HC_ERR_DATA, "no label column: metrics need one");
	y = d->cols[lc].num;
	w = wc >= 0 ? d->cols[wc].num : NULL;
	if (!(out = hc_mallocarray(d->nrows ? d->nrows : 1, sizeof(float))))
		return hc_err_nomem(err);
	hc_eval_outputs(m, d, bind, out);
	for (size_t i = 0; i < n && rc == 0; i++) {
		double v = NAN;
		switch (spec[i].metric) {
		case HC_METRIC_AUC:
			rc = hc_metric_auc(out, y, w, d->nrows, &v, err);
			break;
		case HC_METRIC_LOGLOSS:
			v = hc_metric_logloss(out, y, w, d->nrows);
			break;
		case HC_METRIC_ACCURACY:
			v = hc_metric_accuracy(out, y, w, d->nrows);
			break;
		case HC_METRIC_RMSE:
			v = hc_metric_rmse(out, y, w, d->nrows);
			break;
		case HC_METRIC_MAE:
			v = hc_metric_mae(out, y, w, d->nrows);
			break;
		default:
			break;
		}
		if (rc == 0)
			rc = put_num(obj, metric_names[spec[i].metric], v, err);
	}
	hc_free(out);
	return rc;
}

/* ---- mf ---------------------------------------------------------------- */

static int copy_catalogue(struct hc_catalogue *dst, const struct hc_catalogue *src,
			  struct hc_err *err)
{
	size_t n = src->n ? src->n : 1;

	*dst = *src;
	dst->ids = hc_mallocarray(n, (size_t)src->arity * 4);
	dst->keys = src->keys ? hc_mallocarray(n, 8) : NULL;
	if (!dst->ids || (src->keys && !dst->keys)) {
		hc_free(dst->ids);
		hc_free(dst->keys);
		memset(dst, 0, sizeof(*dst));
		return hc_err_nomem(err);
	}
	memcpy(dst->ids, src->ids, src->n * (size_t)src->arity * 4);
	if (src->keys)
		memcpy(dst->keys, src->keys, src->n * 8);
	return 0;
}

void hc_mf_ranking_release(struct hc_mf_ranking *r)
{
	hc_free(r->users.ids);
	hc_free(r->users.keys);
	hc_free(r->items.ids);
	hc_free(r->items.keys);
	hc_free(r->user);
	hc_free(r->top);
	hc_free(r->ntop);
	memset(r, 0, sizeof(*r));
}

static float *embed_all(const struct hc_model *m, size_t field,
			const struct hc_catalogue *c, const uint32_t *which,
			size_t n)
{
	float *e = hc_mallocarray(n ? n : 1, (size_t)m->dim * sizeof(float));

	for (size_t i = 0; e && i < n; i++) {
		size_t x = which ? which[i] : i;
		hc_mf_embed(m, field, c->ids + x * c->arity, c->arity, e + i * m->dim);
	}
	return e;
}

struct mf_state {
	struct hc_catmap cu, ci;
	uint32_t *pu, *pi, *xu, *xi;
	uint64_t *tstart, *xstart, *ustart;
	uint32_t *titems, *xitems;
	float *ue, *ie;
	int maps;
};

static void mf_state_release(struct mf_state *s)
{
	if (s->maps) {
		hc_catmap_release(&s->cu);
		hc_catmap_release(&s->ci);
	}
	hc_free(s->pu); hc_free(s->pi); hc_free(s->xu); hc_free(s->xi);
	hc_free(s->tstart); hc_free(s->xstart); hc_free(s->ustart);
	hc_free(s->titems); hc_free(s->xitems);
	hc_free(s->ue); hc_free(s->ie);
}

/* The evaluated users' excluded items, in the order of r->user. */
static int gather_excl(const struct hc_model *m, const struct hc_mf_ranking *r,
		       const uint64_t *hs, const uint32_t *h, size_t hn,
		       struct mf_state *s, struct hc_err *err)
{
	size_t total = 0, at = 0;

	if (!(s->ustart = hc_calloc(r->nusers + 1, 8)))
		return hc_err_nomem(err);
	for (size_t a = 0; a < r->nusers; a++)
		if (r->user[a] < hn)
			total += hs[r->user[a] + 1] - hs[r->user[a]];
	if (!(s->xitems = hc_mallocarray(total ? total : 1, 4)))
		return hc_err_nomem(err);
	for (size_t a = 0; a < r->nusers; a++) {
		uint32_t u = r->user[a];
		if (u < hn)
			for (uint64_t e = hs[u]; e < hs[u + 1]; e++)
				s->xitems[at++] = h[e];
		s->ustart[a + 1] = at;
	}
	(void)m;
	return 0;
}

static int eval_mf(const struct hc_model *m, const struct hc_dataset *d,
		   const size_t *bind, const struct hc_metric_spec *spec,
		   size_t n, const struct hc_dataset *excl, struct hc_team *team,
		   size_t topk, struct hc_mf_ranking *keep, cJSON *obj,
		   struct hc_err *err)
{
	struct hc_mf_ranking r = {0};
	struct mf_state s = {0};
	size_t K = topk, ebind[2], nu = 0;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		if (spec[i].k > K)
			K = spec[i].k;
	r.k = K;
	if (copy_catalogue(&r.users, &m->users, err) != 0 ||
	    copy_catalogue(&r.items, &m->items, err) != 0 ||
	    hc_catmap_init(&s.cu, &r.users, err) != 0)
		goto done;
	if (hc_catmap_init(&s.ci, &r.items, err) != 0) {
		hc_catmap_release(&s.cu);
		goto done;
	}
	s.maps = 1;
	if (hc_catalogue_rows(m, d, bind, &s.cu, &s.ci, &s.pu, &s.pi, err) != 0 ||
	    hc_pairs_group(s.pu, s.pi, d->nrows, r.users.n, &s.tstart, &s.titems, err) != 0)
		goto done;
	if (!(r.user = hc_mallocarray(r.users.n ? r.users.n : 1, 4)))
		goto nomem;
	for (size_t u = 0; u < r.users.n; u++)
		if (s.tstart[u + 1] > s.tstart[u])
			r.user[nu++] = (uint32_t)u;
	r.nusers = nu;
	if (excl) {
		long l, w;
		if (hc_model_bind(m, &excl->schema, ebind, &l, &w, err) != 0) {
			hc_err_prefix(err, "exclusions");
			goto done;
		}
		if (hc_catalogue_rows(m, excl, ebind, &s.cu, &s.ci, &s.xu, &s.xi, err) != 0 ||
		    hc_pairs_group(s.xu, s.xi, excl->nrows, r.users.n, &s.xstart,
				   &s.xitems, err) != 0)
			goto done;
		uint64_t *hs = s.xstart;
		uint32_t *h = s.xitems;
		s.xstart = NULL;
		s.xitems = NULL;
		rc = gather_excl(m, &r, hs, h, r.users.n, &s, err);
		hc_free(hs);
		hc_free(h);
		if (rc != 0)
			goto done;
		rc = -1;
	} else if (gather_excl(m, &r, m->hist_start, m->hist, m->hist_start ? m->users.n : 0, &s, err) != 0) {
		goto done;
	}
	r.top = hc_mallocarray(nu ? nu * (K ? K : 1) : 1, 4);
	r.ntop = hc_mallocarray(nu ? nu : 1, 4);
	s.ue = embed_all(m, m->user, &r.users, r.user, nu);
	s.ie = embed_all(m, m->item, &r.items, NULL, r.items.n);
	if (!r.top || !r.ntop || !s.ue || !s.ie)
		goto nomem;
	struct hc_rank_job job = {
		.dim = m->dim, .nusers = nu, .nitems = r.items.n,
		.user_emb = s.ue, .item_emb = s.ie, .excl_start = s.ustart,
		.excl = s.xitems, .k = K, .top = r.top, .ntop = r.ntop,
	};
	if (hc_rank_all(&job, team, err) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		struct hc_rank_acc acc;
		char name[48];
		hc_rank_acc_init(&acc, spec[i].k);
		for (size_t a = 0; a < nu; a++) {
			uint32_t u = r.user[a];
			hc_rank_acc_add(&acc, r.top + a * K, r.ntop[a], s.titems + s.tstart[u],
					(size_t)(s.tstart[u + 1] - s.tstart[u]));
		}
		snprintf(name, sizeof(name), "%s@%zu", metric_names[spec[i].metric], spec[i].k);
		switch (spec[i].metric) {
		case HC_METRIC_RECALL:
			if (put_num(obj, name, hc_rank_recall(&acc), err) != 0)
				goto done;
			snprintf(name, sizeof(name), "recall_gh@%zu", spec[i].k);
			if (put_num(obj, name, hc_rank_recall_gh(&acc), err) != 0)
				goto done;
			break;
		case HC_METRIC_NDCG:
			if (put_num(obj, name, hc_rank_ndcg(&acc), err) != 0)
				goto done;
			break;
		default:
			if (put_num(obj, name, hc_rank_hitrate(&acc), err) != 0)
				goto done;
		}
	}
	rc = 0;
	if (keep) {
		*keep = r;
		memset(&r, 0, sizeof(r));
	}
	goto done;
nomem:
	hc_err_nomem(err);
done:
	mf_state_release(&s);
	hc_mf_ranking_release(&r);
	return rc;
}

int hc_evaluate(const struct hc_model *m, const struct hc_dataset *d,
		const size_t *bind, const struct hc_metric_spec *spec,
		size_t n, const struct hc_dataset *excl, struct hc_team *team,
		size_t topk, struct hc_mf_ranking *rank, cJSON *obj,
		struct hc_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (!hc_metric_fits(m, spec[i].metric))
			return hc_err_set(err, HC_ERR_USAGE, "metric '%s' does not fit a %s model (%s task)",
					  metric_names[spec[i].metric], hc_model_kind_name(m->kind),
					  hc_task_name(m->task));
	if (m->kind == HC_MODEL_MF)
		return eval_mf(m, d, bind, spec, n, excl, team, topk, rank, obj, err);
	return eval_point(m, d, bind, spec, n, obj, err);
}
