/* retrieval.c - full-catalogue top-K ranking; see retrieval.h
 *
 * Block sizes: a chunk of 256 items is 64 KiB of panels at dim 64, which
 * fits L2 with room for the heaps; 64 users per work item keep the team's
 * counter cold and give 2 workers hundreds of items to balance.
 */
#include "retrieval.h"

#include <math.h>
#include <string.h>

#include "lib/mem.h"
#include "src/metrics.h"

#define PANEL 8
#define CHUNK 256
#define UBLOCK 64
#define MICRO 4

typedef float v8 __attribute__((vector_size(32)));

struct rank_ctx {
	const struct hc_rank_job *job;
	const float *panels;  /* npanels x dim x 8 */
	size_t npanels;
	size_t nblocks;
	int failed;
};

/* Scores of MICRO users (u: MICRO x dim) against np panels into out
 * (MICRO rows of CHUNK). */
__attribute__((target_clones("avx2", "default"))) static void
rank_kernel(const float *u, const float *panels, size_t np, uint32_t dim,
	    float *out)
{
	size_t p = 0;

	/* Two panels at a time: 8 accumulators, each user's weight
	 * broadcast once for 16 items. */
	for (; p + 2 <= np; p += 2) {
		const float *pa = panels + p * (size_t)dim * PANEL;
		const float *pb = pa + (size_t)dim * PANEL;
		v8 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
		v8 b0 = {0}, b1 = {0}, b2 = {0}, b3 = {0};

		for (uint32_t k = 0; k < dim; k++) {
			v8 x, y;
			memcpy(&x, pa + (size_t)k * PANEL, sizeof(x));
			memcpy(&y, pb + (size_t)k * PANEL, sizeof(y));
			float u0 = u[k], u1 = u[dim + k], u2 = u[2 * dim + k], u3 = u[3 * dim + k];
			a0 += x * u0;
			b0 += y * u0;
			a1 += x * u1;
			b1 += y * u1;
			a2 += x * u2;
			b2 += y * u2;
			a3 += x * u3;
			b3 += y * u3;
		}
		memcpy(out + p * PANEL, &a0, sizeof(a0));
		memcpy(out + CHUNK + p * PANEL, &a1, sizeof(a1));
		memcpy(out + 2 * CHUNK + p * PANEL, &a2, sizeof(a2));
		memcpy(out + 3 * CHUNK + p * PANEL, &a3, sizeof(a3));
		memcpy(out + (p + 1) * PANEL, &b0, sizeof(b0));
		memcpy(out + CHUNK + (p + 1) * PANEL, &b1, sizeof(b1));
		memcpy(out + 2 * CHUNK + (p + 1) * PANEL, &b2, sizeof(b2));
		memcpy(out + 3 * CHUNK + (p + 1) * PANEL, &b3, sizeof(b3));
	}
	for (; p < np; p++) {
		const float *pp = panels + p * (size_t)dim * PANEL;
		v8 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};

		for (uint32_t k = 0; k < dim; k++) {
			v8 b;
			memcpy(&b, pp + (size_t)k * PANEL, sizeof(b));
			a0 += b * u[k];
			a1 += b * u[dim + k];
			a2 += b * u[2 * dim + k];
			a3 += b * u[3 * dim + k];
		}
		memcpy(out + p * PANEL, &a0, sizeof(a0));
		memcpy(out + CHUNK + p * PANEL, &a1, sizeof(a1));
		memcpy(out + 2 * CHUNK + p * PANEL, &a2, sizeof(a2));
		memcpy(out + 3 * CHUNK + p * PANEL, &a3, sizeof(a3));
	}
}

/* Pushes the scores of items c0 .. c1 into h; the heap's admission
 * threshold is kept in a register between the rare pushes. */
static void push_chunk(struct hc_topk_heap *h, const float *sc, size_t c0,
		       size_t c1)
{
	float thr = h->m == h->k ? h->s[0] : -INFINITY;

	for (size_t i = c0; i < c1; i++) {
		if (!(sc[i - c0] > thr))
			continue;
		hc_topk_push_slow(h, sc[i - c0], (uint32_t)i);
		if (h->m == h->k)
			thr = h->s[0];
	}
}

static void rank_block(struct rank_ctx *c, size_t blk, float *u, float *tmp,
		       struct hc_topk_heap *heaps, size_t *cur)
{
	const struct hc_rank_job *j = c->job;
	size_t u0 = blk * UBLOCK, nu = j->nusers - u0;
	uint32_t dim = j->dim;

	if (nu > UBLOCK)
		nu = UBLOCK;
	for (size_t a = 0; a < nu; a++)
		cur[a] = j->excl_start ? j->excl_start[u0 + a] : 0;
	for (size_t c0 = 0; c0 < j->nitems; c0 += CHUNK) {
		size_t c1 = c0 + CHUNK < j->nitems ? c0 + CHUNK : j->nitems;
		size_t np = (c1 - c0 + PANEL - 1) / PANEL;
		const float *pan = c->panels + (c0 / PANEL) * (size_t)dim * PANEL;

		for (size_t a = 0; a < nu; a += MICRO) {
			size_t m = nu - a < MICRO ? nu - a : MICRO;
			memset(u, 0, (size_t)MICRO * dim * sizeof(float));
			memcpy(u, j->user_emb + (u0 + a) * dim, m * dim * sizeof(float));
			rank_kernel(u, pan, np, dim, tmp);
			for (size_t b = 0; b < m; b++) {
				float *sc = tmp + b * CHUNK;
				size_t uu = u0 + a + b, *e = &cur[a + b];
				if (j->excl_start)
					for (; *e < j->excl_start[uu + 1] && j->excl[*e] < c1; ++*e)
						if (j->excl[*e] >= c0)
							sc[j->excl[*e] - c0] = -INFINITY;
				push_chunk(&heaps[a + b], sc, c0, c1);
			}
		}
	}
	for (size_t a = 0; a < nu; a++)
		j->ntop[u0 + a] = (uint32_t)hc_topk_finish(&heaps[a], j->top + (u0 + a) * j->k);
}

static void rank_task(void *arg, struct hc_team *t)
{
	struct rank_ctx *c = arg;
	const struct hc_rank_job *j = c->job;
	float *u = hc_mallocarray((size_t)MICRO * j->dim, sizeof(float));
	float *tmp = hc_mallocarray((size_t)MICRO * CHUNK, sizeof(float));
	float *hs = hc_mallocarray((size_t)UBLOCK * (j->k + 1), sizeof(float));
	uint32_t *hi = hc_mallocarray((size_t)UBLOCK * (j->k + 1), sizeof(uint32_t));
	struct hc_topk_heap heaps[UBLOCK];
	size_t cur[UBLOCK], b;

	if (!u || !tmp || !hs || !hi) {
		__atomic_store_n(&c->failed, 1, __ATOMIC_RELAXED);
		goto done;
	}
	for (size_t a = 0; a < UBLOCK; a++) {
		heaps[a].k = j->k;
		heaps[a].m = 0;
		heaps[a].s = hs + a * (j->k + 1);
		heaps[a].i = hi + a * (j->k + 1);
	}
	while ((b = t ? hc_team_next(t) : c->nblocks) < c->nblocks)
		rank_block(c, b, u, tmp, heaps, cur);
	if (!t)
		for (b = 0; b < c->nblocks; b++)
			rank_block(c, b, u, tmp, heaps, cur);
done:
	hc_free(u);
	hc_free(tmp);
	hc_free(hs);
	hc_free(hi);
}

int hc_rank_all(const struct hc_rank_job *job, struct hc_team *team,
		struct hc_err *err)
{
	struct rank_ctx c = {.job = job};
	size_t dim = job->dim;
	float *panels;

	c.npanels = (job->nitems + PANEL - 1) / PANEL;
	c.nblocks = (job->nusers + UBLOCK - 1) / UBLOCK;
	/* Padding items score 0 but are never pushed (i < nitems). */
	panels = hc_calloc(c.npanels ? c.npanels * dim * PANEL : 1, sizeof(float));
	if (!panels)
		return hc_err_nomem(err);
	for (size_t i = 0; i < job->nitems; i++)
		for (size_t k = 0; k < dim; k++)
			panels[(i / PANEL) * dim * PANEL + k * PANEL + i % PANEL] =
				job->item_emb[i * dim + k];
	c.panels = panels;
	if (team) {
		hc_team_start(team, rank_task, &c, c.nblocks);
		hc_team_wait(team);
	} else {
		rank_task(&c, NULL);
	}
	hc_free(panels);
	return c.failed ? hc_err_nomem(err) : 0;
}
