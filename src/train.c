/* train.c - the training loop; see train.h */
#include "train.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/mem.h"
#include "src/catalogue.h"
#include "src/rng.h"

/* Rows ahead whose parameters are prefetched: enough to cover a miss
 * (about 100 ns) at a few tens of ns a row. */
#define PREFETCH_AHEAD 4

static double clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_of(CLOCK_MONOTONIC);
}

static uint64_t stream(uint64_t seed, uint64_t epoch, uint64_t chunk)
{
	uint64_t s = seed ^ 0xD1B54A32D192ED03ull;

	s ^= hc_splitmix64(&s) + epoch * 0x9E3779B97F4A7C15ull;
	s ^= hc_splitmix64(&s) + chunk * 0xC2B2AE3D27D4EB4Full;
	return s;
}

enum hc_task hc_train_task(const struct hc_dataset *d)
{
	long lc = hc_frame_schema_find_kind(&d->schema, HC_KIND_LABEL);

	if (lc < 0 || d->nrows == 0)
		return HC_TASK_BINARY;
	for (size_t i = 0; i < d->nrows; i++)
		if (d->cols[lc].num[i] != 0 && d->cols[lc].num[i] != 1)
			return HC_TASK_REGRESSION;
	return HC_TASK_BINARY;
}

/* ---- snapshots of the parameters --------------------------------------- */

struct snapshot {
	float **w;
	float bias;
	int valid;
};

static int snap_init(struct snapshot *s, const struct hc_model *m)
{
	s->valid = 0;
	if (!(s->w = hc_calloc(m->ntables ? m->ntables : 1, sizeof(*s->w))))
		return -1;
	for (size_t t = 0; t < m->ntables; t++) {
		size_t n = (size_t)m->tables[t].rows * m->tables[t].width;
		if (!(s->w[t] = hc_mallocarray(n ? n : 1, sizeof(float))))
			return -1;
	}
	return 0;
}

static void snap_take(struct snapshot *s, const struct hc_model *m)
{
	for (size_t t = 0; t < m->ntables; t++)
		memcpy(s->w[t], m->tables[t].w,
		       (size_t)m->tables[t].rows * m->tables[t].width * sizeof(float));
	s->bias = m->bias;
	s->valid = 1;
}

static void snap_put(const struct snapshot *s, struct hc_model *m)
{
	if (!s->valid)
		return;
	for (size_t t = 0; t < m->ntables; t++)
		memcpy(m->tables[t].w, s->w[t],
		       (size_t)m->tables[t].rows * m->tables[t].width * sizeof(float));
	m->bias = s->bias;
}

static void snap_release(struct snapshot *s, const struct hc_model *m)
{
	if (s->w)
		for (size_t t = 0; t < m->ntables; t++)
			hc_free(s->w[t]);
	hc_free(s->w);
	s->w = NULL;
}

/* ---- one epoch ---------------------------------------------------------- */

struct epoch_ctx {
	struct hc_model *m;
	const struct hc_dataset *d;
	const size_t *bind;
	const float *y, *w;
	const uint32_t *pu, *pi; /* mf positives */
	size_t n, nchunks;
	uint64_t total;          /* rows an epoch (progress) */
	uint32_t *order;         /* chunk order */
	const uint32_t *rowmap;  /* streaming: the window's rows, shuffled */
	double *chunk_loss, *chunk_weight;
	uint64_t seed, epoch;
	uint32_t negatives;
	size_t nitems;           /* mf: items to sample from */
	int stop;                /* a chunk's loss was not finite */
	uint64_t done;           /* rows finished (progress) */
	hc_train_progress_fn cb;
	void *cbarg;
};

static int in_hist(const struct hc_model *m, uint32_t u, uint32_t j)
{
	uint64_t lo = m->hist_start[u], hi = m->hist_start[u + 1];

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (m->hist[mid] < j)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->hist_start[u + 1] && m->hist[lo] == j;
}

/* mf: negatives are drawn for the whole chunk first (a few tries for an
 * item the user has not seen; a dense user keeps the last draw), so that
 * the rows of the triples a few steps ahead can be prefetched. */
static void run_mf_chunk(struct epoch_ctx *c, size_t c0, size_t len,
			 const uint32_t *perm, uint64_t *rng, float *scratch,
			 uint32_t *neg, double *loss, double *wsum)
{
	uint32_t nneg = c->negatives;
	size_t nsteps = len * nneg;

	for (size_t a = 0; a < len; a++) {
		uint32_t u = c->pu[c0 + perm[a]];
		for (uint32_t r = 0; r < nneg; r++) {
			uint32_t j = 0;
			for (int t = 0; t < 8; t++) {
				j = (uint32_t)hc_rng_below(rng, c->nitems);
				if (!in_hist(c->m, u, j))
					break;
			}
			neg[a * nneg + r] = j;
		}
	}
	for (size_t st = 0; st < nsteps; st++) {
		size_t i = c0 + perm[st / nneg];
		if (st + PREFETCH_AHEAD < nsteps) {
			size_t ia = c0 + perm[(st + PREFETCH_AHEAD) / nneg];
			hc_mf_prefetch(c->m, c->pu[ia], c->pi[ia], neg[st + PREFETCH_AHEAD]);
		}
		*loss += hc_mf_step(c->m, c->pu[i], c->pi[i], neg[st], scratch);
	}
	*wsum += (double)nsteps;
}

/* Streaming: starts loading row i's values in a window (its rows are
 * visited in a shuffled order across the window, so each would miss). */
static void prefetch_row(const struct hc_dataset *d, size_t i)
{
	for (size_t j = 0; j < d->schema.ncols; j++) {
		const struct hc_dcol *dc = &d->cols[j];
		uint32_t k = d->schema.cols[j].arity;

		if (dc->ids)
			__builtin_prefetch(k == HC_ARITY_VAR ? (const void *)(dc->start + i)
							     : (const void *)(dc->ids + i * k));
		else if (dc->num)
			__builtin_prefetch(dc->num + i);
	}
}

#define DATA_AHEAD 16

static void run_chunk(struct epoch_ctx *c, size_t ci, float *scratch,
		      uint32_t *perm, uint32_t *neg)
{
	size_t c0 = (size_t)c->order[ci] * HC_TRAIN_CHUNK, len = c->n - c0;
	uint64_t rng = stream(c->seed, c->epoch, c->order[ci]);
	const uint32_t *map = c->rowmap;
	double loss = 0, wsum = 0;

	if (len > HC_TRAIN_CHUNK)
		len = HC_TRAIN_CHUNK;
	hc_rng_shuffled_range(perm, len, &rng);
	if (c->m->kind == HC_MODEL_MF) {
		run_mf_chunk(c, c0, len, perm, &rng, scratch, neg, &loss, &wsum);
		len = 0;
	}
	for (size_t a = 0; a < len; a++) {
		size_t i = map ? map[c0 + perm[a]] : c0 + perm[a];
		if (map && a + DATA_AHEAD < len)
			prefetch_row(c->d, map[c0 + perm[a + DATA_AHEAD]]);
		if (a + PREFETCH_AHEAD < len) {
			size_t ia = c0 + perm[a + PREFETCH_AHEAD];
			hc_model_prefetch(c->m, c->d, c->bind, map ? map[ia] : ia);
		}
		float w = c->w ? c->w[i] : 1.0f;
		loss += c->m->kind == HC_MODEL_FM
				? hc_fm_step(c->m, c->d, c->bind, i, c->y[i], w, scratch)
				: hc_logreg_step(c->m, c->d, c->bind, i, c->y[i], w, scratch);
		wsum += w;
	}
	c->chunk_loss[c->order[ci]] = loss;
	c->chunk_weight[c->order[ci]] = wsum;
	if (!isfinite(loss))
		__atomic_store_n(&c->stop, 1, __ATOMIC_RELAXED);
}

static void epoch_task(void *arg, struct hc_team *t)
{
	struct epoch_ctx *c = arg;
	float *scratch = hc_mallocarray(hc_model_scratch(c->m) + 5 * (size_t)c->m->dim + 8, sizeof(float));
	uint32_t *perm = hc_mallocarray(HC_TRAIN_CHUNK, sizeof(uint32_t));
	uint32_t *neg = hc_mallocarray(HC_TRAIN_CHUNK, sizeof(uint32_t) * (c->negatives ? c->negatives : 1));
	size_t ci;

	if (!scratch || !perm || !neg) {
		__atomic_store_n(&c->stop, 2, __ATOMIC_RELAXED);
		goto done;
	}
	for (ci = 0; ci < c->nchunks; ci++) {
		if (t && (ci = hc_team_next(t)) >= c->nchunks)
			break;
		if (__atomic_load_n(&c->stop, __ATOMIC_RELAXED))
			break;
		run_chunk(c, ci, scratch, perm, neg);
		size_t len = c->n - (size_t)c->order[ci] * HC_TRAIN_CHUNK;
		len = len < HC_TRAIN_CHUNK ? len : HC_TRAIN_CHUNK;
		uint64_t done = __atomic_add_fetch(&c->done, len, __ATOMIC_RELAXED);
		if (!t && c->cb)
			c->cb(c->cbarg, c->epoch, done, c->total, NAN, NULL);
	}
done:
	hc_free(scratch);
	hc_free(perm);
	hc_free(neg);
}

static void shuffle_chunks(struct epoch_ctx *c)
{
	uint64_t rng = stream(c->seed, c->epoch, UINT64_MAX);

	hc_rng_shuffled_range(c->order, c->nchunks, &rng);
}

/* One pass over the rows c->d holds, c->n of them, in chunks; adds their
 * loss and weight.  0, or -1 (out of memory). */
static int run_pass(struct epoch_ctx *c, struct hc_team *team, double *loss,
		    double *wsum)
{
	c->nchunks = (c->n + HC_TRAIN_CHUNK - 1) / HC_TRAIN_CHUNK;
	shuffle_chunks(c);
	if (team) {
		hc_team_start(team, epoch_task, c, c->nchunks);
		hc_team_wait(team);
	} else {
		epoch_task(c, NULL);
	}
	if (c->stop == 2)
		return -1;
	for (size_t a = 0; a < c->nchunks; a++) {
		*loss += c->chunk_loss[a];
		*wsum += c->chunk_weight[a];
	}
	return 0;
}

/* Streaming: one pass a window.  Each window's rows are shuffled
 * together (rowmap), from a seed of the run's, the epoch's and the
 * window's, then cut into chunks as in memory. */
static int run_stream(struct epoch_ctx *c, struct hc_stream *s, long lc,
		      long wc, uint32_t *rowmap, struct hc_team *team,
		      double *loss, double *wsum, struct hc_err *err)
{
	uint64_t seed = c->seed;
	int rc = 0;

	hc_stream_shuffle(s, seed, c->epoch);
	for (uint64_t k = 0; !c->stop && (rc = hc_stream_next(s, err)) == 1; k++) {
		uint64_t rng = stream(seed, c->epoch, UINT64_MAX - 1 - k);
		size_t n = s->win.nrows;

		hc_rng_shuffled_range(rowmap, n, &rng);
		c->d = &s->win;
		c->n = n;
		c->y = s->win.cols[lc].num;
		c->w = wc >= 0 ? s->win.cols[wc].num : NULL;
		c->rowmap = rowmap;
		c->seed = hc_splitmix64(&rng);
		rc = run_pass(c, team, loss, wsum);
		c->seed = seed;
		if (rc != 0)
			return hc_err_nomem(err);
	}
	return rc < 0 ? -1 : 0;
}

/* ---- mf preparation ------------------------------------------------------ */

static int mf_prepare(struct hc_model *m, const struct hc_dataset *d,
		      const size_t *bind, uint32_t **pu, uint32_t **pi,
		      struct hc_err *err)
{
	struct hc_catmap cu, ci;
	int rc;

	if (hc_catalogue_arity(m, d, m->user, bind[m->user], &m->users.arity, err) != 0 ||
	    hc_catalogue_arity(m, d, m->item, bind[m->item], &m->items.arity, err) != 0)
		return -1;
	if ((hc_dataset_key_of(d, bind[m->user]) >= 0 && !(m->users.keys = hc_malloc(8))) ||
	    (hc_dataset_key_of(d, bind[m->item]) >= 0 && !(m->items.keys = hc_malloc(8))))
		return hc_err_nomem(err);
	if (hc_catmap_init(&cu, &m->users, err) != 0)
		return -1;
	if (hc_catmap_init(&ci, &m->items, err) != 0) {
		hc_catmap_release(&cu);
		return -1;
	}
	rc = hc_catalogue_rows(m, d, bind, &cu, &ci, pu, pi, err);
	hc_catmap_release(&cu);
	hc_catmap_release(&ci);
	if (rc != 0)
		return -1;
	return hc_pairs_group(*pu, *pi, d->nrows, m->users.n, &m->hist_start,
			      &m->hist, err);
}

/* ---- the loop ------------------------------------------------------------ */

static int better(enum hc_metric x, double a, double b)
{
	if (isnan(b))
		return !isnan(a);
	if (x == HC_METRIC_LOGLOSS || x == HC_METRIC_RMSE || x == HC_METRIC_MAE)
		return a < b;
	return a > b;
}

static double first_metric(const cJSON *v)
{
	const cJSON *x = v ? v->child : NULL;

	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static int validate(struct hc_model *m, const struct hc_dataset *va,
		    const struct hc_train_opts *o, struct hc_team *team,
		    cJSON **out, struct hc_err *err)
{
	size_t *vb = hc_calloc(m->nfields, sizeof(size_t));
	long l, w;
	int rc = -1;

	*out = cJSON_CreateObject();
	if (!vb || !*out) {
		hc_err_nomem(err);
	} else if (hc_model_bind(m, &va->schema, vb, &l, &w, err) == 0) {
		rc = hc_evaluate(m, va, vb, o->valid_spec, o->nvalid, NULL, team,
				 0, NULL, *out, err);
	} else {
		hc_err_prefix(err, "validation frame");
	}
	hc_free(vb);
	return rc;
}

/* The loop, over tr in memory or over s's windows. */
static int train(struct hc_model *m, const struct hc_dataset *tr,
		 struct hc_stream *s, const struct hc_dataset *va,
		 const struct hc_train_opts *o, struct hc_team *team,
		 hc_train_progress_fn cb, void *cbarg, cJSON *log,
		 struct hc_err *err)
{
	struct epoch_ctx c = {.m = m, .d = tr, .seed = m->o.seed,
			      .negatives = o->negatives, .cb = cb, .cbarg = cbarg};
	struct snapshot best = {0}, prev = {0};
	size_t *bind = hc_calloc(m->nfields, sizeof(size_t));
	uint32_t *pu = NULL, *pi = NULL, *rowmap = NULL;
	cJSON *epochs = cJSON_AddArrayToObject(log, "epochs"), *bestv = NULL;
	double best_metric = NAN;
	uint64_t bad = 0, best_epoch = 0;
	long lc, wc;
	int rc = -1;

	if (!bind || !epochs || snap_init(&best, m) != 0 || snap_init(&prev, m) != 0) {
		hc_err_nomem(err);
		goto done;
	}
	if (hc_model_bind(m, s ? &s->win.schema : &tr->schema, bind, &lc, &wc, err) != 0)
		goto done;
	c.bind = bind;
	if (s && m->kind == HC_MODEL_MF) {
		hc_err_set(err, HC_ERR_USAGE, "mf trains in memory only (its catalogue and every user's items hold the whole frame anyway)");
		goto done;
	}
	if (s ? s->nrows == 0 : tr->nrows == 0) {
		hc_err_set(err, HC_ERR_DATA, "the frame has no rows to learn from");
		goto done;
	}
	if (m->kind == HC_MODEL_MF) {
		if (mf_prepare(m, tr, bind, &pu, &pi, err) != 0)
			goto done;
		c.pu = pu;
		c.pi = pi;
		c.nitems = m->items.n;
	} else if (!s) {
		c.y = tr->cols[lc].num;
		c.w = wc >= 0 ? tr->cols[wc].num : NULL;
	}
	c.n = s ? s->max_rows : tr->nrows;
	c.total = s ? s->nrows : tr->nrows;
	c.nchunks = (c.n + HC_TRAIN_CHUNK - 1) / HC_TRAIN_CHUNK;
	if (s && !(rowmap = hc_mallocarray(c.n ? c.n : 1, sizeof(uint32_t)))) {
		hc_err_nomem(err);
		goto done;
	}
	c.order = hc_mallocarray(c.nchunks, sizeof(uint32_t));
	c.chunk_loss = hc_calloc(c.nchunks, sizeof(double));
	c.chunk_weight = hc_calloc(c.nchunks, sizeof(double));
	if (!c.order || !c.chunk_loss || !c.chunk_weight) {
		hc_err_nomem(err);
		goto done;
	}
	for (c.epoch = 1; c.epoch <= o->epochs; c.epoch++) {
		double t0 = now(), c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		double loss = 0, wsum = 0, secs, cpu;
		cJSON *ep = cJSON_CreateObject(), *valid = NULL;

		if (!ep || !cJSON_AddItemToArray(epochs, ep)) {
			cJSON_Delete(ep);
			hc_err_nomem(err);
			goto done;
		}
		snap_take(&prev, m);
		c.done = 0;
		if (s) {
			if (run_stream(&c, s, lc, wc, rowmap, team, &loss, &wsum, err) != 0) {
				hc_err_prefix(err, "epoch %llu", (unsigned long long)c.epoch);
				goto done;
			}
		} else if (run_pass(&c, team, &loss, &wsum) != 0) {
			hc_err_nomem(err);
			goto done;
		}
		/* the epoch's interleaved tables back into the model's weights
		 * before the loss, validation and snapshots read them */
		hc_model_sync(m);
		loss = wsum > 0 ? loss / wsum : 0;
		secs = now() - t0;
		cpu = clock_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (c.stop || !isfinite(loss)) {
			snap_put(best.valid ? &best : &prev, m);
			cJSON_AddTrueToObject(log, "diverged");
			uint64_t kept = best.valid ? best_epoch : c.epoch - 1;
			char what[64];
			if (kept)
				snprintf(what, sizeof(what), "the model of epoch %llu", (unsigned long long)kept);
			else
				snprintf(what, sizeof(what), "the initial model");
			hc_err_set(err, HC_ERR_DATA, "epoch %llu: the loss is not finite (training diverged; try a smaller --lr); %s is kept",
				   (unsigned long long)c.epoch, what);
			goto done;
		}
		cJSON_AddNumberToObject(ep, "epoch", (double)c.epoch);
		cJSON_AddNumberToObject(ep, "loss", loss);
		cJSON_AddNumberToObject(ep, "seconds", secs);
		cJSON_AddNumberToObject(ep, "rows_per_second", secs > 0 ? (double)c.total / secs : 0);
		/* Per CPU second: rows a thread does a second, whatever the
		 * machine's load. */
		cJSON_AddNumberToObject(ep, "cpu_seconds", cpu);
		cJSON_AddNumberToObject(ep, "rows_per_cpu_second", cpu > 0 ? (double)c.total / cpu : 0);
		if (va) {
			if (validate(m, va, o, team, &valid, err) != 0) {
				cJSON_Delete(valid);
				goto done;
			}
			cJSON_AddItemToObject(ep, "valid", valid);
			double v = first_metric(valid);
			if (better(o->valid_spec[0].metric, v, best_metric)) {
				best_metric = v;
				best_epoch = c.epoch;
				bestv = valid;
				snap_take(&best, m);
				bad = 0;
			} else {
				bad++;
			}
		}
		if (cb)
			cb(cbarg, c.epoch, c.total, c.total, loss, valid);
		if (va && o->patience && bad >= o->patience)
			break;
	}
	if (best.valid)
		snap_put(&best, m);
	else
		best_epoch = c.epoch > o->epochs ? o->epochs : c.epoch;
	cJSON_AddNumberToObject(log, "best_epoch", (double)best_epoch);
	if (bestv)
		cJSON_AddItemToObject(log, "best", cJSON_Duplicate(bestv, 1));
	rc = 0;
done:
	snap_release(&best, m);
	snap_release(&prev, m);
	hc_free(bind);
	hc_free(pu);
	hc_free(pi);
	hc_free(rowmap);
	hc_free(c.order);
	hc_free(c.chunk_loss);
	hc_free(c.chunk_weight);
	return rc;
}

int hc_train(struct hc_model *m, const struct hc_dataset *tr,
	     const struct hc_dataset *va, const struct hc_train_opts *o,
	     struct hc_team *team, hc_train_progress_fn cb, void *cbarg,
	     cJSON *log, struct hc_err *err)
{
	return train(m, tr, NULL, va, o, team, cb, cbarg, log, err);
}

int hc_train_stream(struct hc_model *m, struct hc_stream *s,
		    const struct hc_dataset *va, const struct hc_train_opts *o,
		    struct hc_team *team, hc_train_progress_fn cb, void *cbarg,
		    cJSON *log, struct hc_err *err)
{
	return train(m, NULL, s, va, o, team, cb, cbarg, log, err);
}
