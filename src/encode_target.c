/* encode_target.c - target statistics (formulas in encode_target.h)
 *
 * Leakage is the whole point: a value seen once has, in sample, its own
 * label as its mean, and a model learns to trust it.  Cross fitting and
 * ordered statistics both encode a row without its own label.  Sums are
 * doubles: exact for 0/1 targets up to 2^53 rows.
 */
#include <math.h>
#include <string.h>

#include "lib/mem.h"
#include "src/encode_target.h"
#include "src/rng.h"

void hc_te_global_init(struct hc_te_global *g, double n, double s, double s2)
{
	g->prior = n > 0 ? s / n : 0.0;
	g->var = n > 0 ? s2 / n - g->prior * g->prior : 0.0;
	if (g->var < 0)
		g->var = 0;
}

double hc_te_value(double n, double s, double s2, const struct hc_te_global *g,
		   double smooth)
{
	double mean, var_v, den, lambda;

	if (n <= 0)
		return g->prior;
	if (smooth >= 0)
		return (s + smooth * g->prior) / (n + smooth);
	mean = s / n;
	var_v = s2 / n - mean * mean;
	if (var_v < 0)
		var_v = 0;
	den = n * g->var + var_v;
	if (den <= 0)
		return g->prior;
	lambda = n * g->var / den;
	return lambda * mean + (1 - lambda) * g->prior;
}

double hc_woe_value(double n, double s, const struct hc_te_global *g,
		    double smooth)
{
	double a = smooth >= 0 ? smooth : 1.0, p = g->prior;

	if (p <= 0 || p >= 1)
		return 0.0;
	return log((s + a * p) / (n - s + a * (1 - p))) - log(p / (1 - p));
}

uint32_t hc_fold_of(uint64_t seed, uint64_t row, uint32_t k)
{
	/* splitmix64's finaliser of (seed, row): every bit of both mixes
	 * into the result, so folds of neighbouring rows are independent. */
	uint64_t z = seed * 0x9E3779B97F4A7C15ull + row + 0x632BE59BD9B4E019ull;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return (uint32_t)(((unsigned __int128)z * k) >> 64);
}

/* ---- cross fitting ------------------------------------------------------ */

int hc_te_folds_init(struct hc_te_folds *f, uint32_t k, int need_s2,
		     struct hc_err *err)
{
	memset(f, 0, sizeof(*f));
	f->k = k;
	f->need_s2 = need_s2;
	f->gn = hc_calloc(k, sizeof(double));
	f->gs = hc_calloc(k, sizeof(double));
	f->gs2 = hc_calloc(k, sizeof(double));
	if (!f->gn || !f->gs || !f->gs2) {
		hc_te_folds_release(f);
		return hc_err_nomem(err);
	}
	return 0;
}

static void free_chunks(void **t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		hc_free(t[i]);
	hc_free(t);
}

void hc_te_folds_release(struct hc_te_folds *f)
{
	free_chunks((void **)f->b, f->nchunks);
	free_chunks((void **)f->c, f->nchunks);
	free_chunks((void **)f->s2, f->nchunks);
	hc_free(f->gn);
	hc_free(f->gs);
	hc_free(f->gs2);
	memset(f, 0, sizeof(*f));
}

/* Whether f keeps sums of squares (else they equal the sums). */
static inline int has_s2(const struct hc_te_folds *f)
{
	return f->nonbinary && f->need_s2;
}

/* The cells of value id (below f->cap). */
static inline struct hc_te_bcell *bcells(const struct hc_te_folds *f, size_t id)
{
	return f->b[id >> HC_TE_CHUNK_BITS] + (id & (HC_TE_CHUNK - 1)) * f->k;
}

static inline struct hc_te_cell *ccells(const struct hc_te_folds *f, size_t id)
{
	return f->c[id >> HC_TE_CHUNK_BITS] + (id & (HC_TE_CHUNK - 1)) * f->k;
}

static inline double *s2cells(const struct hc_te_folds *f, size_t id)
{
	return f->s2[id >> HC_TE_CHUNK_BITS] + (id & (HC_TE_CHUNK - 1)) * f->k;
}

/* Room in a chunk table t (of f->chunks_cap entries) for n chunks. */
static int table_reserve(void ***t, size_t cap, size_t n)
{
	void **p = hc_reallocarray(*t, n, sizeof(*p));

	if (!p)
		return -1;
	memset(p + cap, 0, (n - cap) * sizeof(*p));
	*t = p;
	return 0;
}

/* Cells for ids below need, in zeroed chunks: the binary ones, or the
 * general ones (and s2, if kept), whichever f has. */
static int folds_grow(struct hc_te_folds *f, size_t need, struct hc_err *err)
{
	size_t n = (need + HC_TE_CHUNK - 1) >> HC_TE_CHUNK_BITS, m = HC_TE_CHUNK * f->k;

	if (n > f->chunks_cap) {
		size_t cap = f->chunks_cap ? f->chunks_cap * 2 : 8;

		while (cap < n)
			cap *= 2;
		/* the binary table goes at the first other target */
		if ((!f->nonbinary && table_reserve((void ***)&f->b, f->chunks_cap, cap) != 0) ||
		    table_reserve((void ***)&f->c, f->chunks_cap, cap) != 0 ||
		    table_reserve((void ***)&f->s2, f->chunks_cap, cap) != 0)
			return hc_err_nomem(err);
		f->chunks_cap = cap;
	}
	for (; f->nchunks < n; f->nchunks++) {
		size_t i = f->nchunks;

		if (!f->nonbinary) {
			if (!(f->b[i] = hc_calloc(m, sizeof(**f->b))))
				return hc_err_nomem(err);
		} else if (!(f->c[i] = hc_calloc(m, sizeof(**f->c))) ||
			   (f->need_s2 && !(f->s2[i] = hc_calloc(m, sizeof(**f->s2))))) {
			return hc_err_nomem(err);
		}
		f->cap = (i + 1) * HC_TE_CHUNK;
	}
	return 0;
}

/* The first target other than 0 or 1: the count cells become (s, n)
 * cells, and until now s2 equalled s. */
static int start_s2(struct hc_te_folds *f, struct hc_err *err)
{
	size_t m = HC_TE_CHUNK * f->k;

	for (size_t i = 0; i < f->nchunks; i++) {
		const struct hc_te_bcell *b = f->b[i];

		if (!(f->c[i] = hc_mallocarray(m, sizeof(**f->c))) ||
		    (f->need_s2 && !(f->s2[i] = hc_mallocarray(m, sizeof(**f->s2)))))
			return hc_err_nomem(err);
		for (size_t j = 0; j < m; j++) {
			f->c[i][j].n = b[j].n;
			f->c[i][j].s = b[j].s;
			if (f->need_s2)
				f->s2[i][j] = b[j].s;
		}
		hc_free(f->b[i]);
		f->b[i] = NULL;
	}
	hc_free(f->b);
	f->b = NULL;
	f->nonbinary = 1;
	return 0;
}

void hc_te_folds_cell(const struct hc_te_folds *f, uint32_t id, uint32_t fold,
		      uint32_t *n, double *s)
{
	*n = f->b ? bcells(f, id)[fold].n : ccells(f, id)[fold].n;
	*s = f->b ? bcells(f, id)[fold].s : ccells(f, id)[fold].s;
}

int hc_te_folds_add(struct hc_te_folds *f, uint32_t id, uint32_t fold,
		    double y, struct hc_err *err)
{
	if (id >= f->cap && folds_grow(f, (size_t)id + 1, err) != 0)
		return -1;
	if (id >= f->nvals)
		f->nvals = (size_t)id + 1;
	if (y != 0 && y != 1 && !f->nonbinary && start_s2(f, err) != 0)
		return -1;
	if (f->b) {
		bcells(f, id)[fold].n++;
		bcells(f, id)[fold].s += y == 1;
	} else {
		ccells(f, id)[fold].n++;
		ccells(f, id)[fold].s += y;
	}
	if (has_s2(f))
		s2cells(f, id)[fold] += y * y;
	f->gn[fold]++;
	f->gs[fold] += y;
	f->gs2[fold] += y * y;
	return 0;
}

/* Prior and variance of the rows outside fold. */
static void out_of_fold_global(const struct hc_te_folds *f, uint32_t fold,
			       struct hc_te_global *g)
{
	double gn = 0, gs = 0, gs2 = 0;

	for (uint32_t j = 0; j < f->k; j++) {
		if (j == fold)
			continue;
		gn += f->gn[j];
		gs += f->gs[j];
		gs2 += f->gs2[j];
	}
	hc_te_global_init(g, gn, gs, gs2);
}

static double value_out_of_fold(const struct hc_te_folds *f, uint32_t id,
				uint32_t fold, const struct hc_te_global *g,
				double smooth, int woe)
{
	double n = 0, s = 0, s2 = 0;

	if (id < f->nvals && f->b) {
		/* counts: the same sums as doubles would make, exactly */
		const struct hc_te_bcell *b = bcells(f, id);
		uint64_t bn = 0, bs = 0;

		for (uint32_t j = 0; j < f->k; j++) {
			bn += j == fold ? 0 : b[j].n;
			bs += j == fold ? 0 : b[j].s;
		}
		n = (double)bn;
		s2 = s = (double)bs;
	} else if (id < f->nvals) {
		const struct hc_te_cell *c = ccells(f, id);
		const double *s2v = has_s2(f) ? s2cells(f, id) : NULL;

		for (uint32_t j = 0; j < f->k; j++) {
			if (j == fold)
				continue;
			n += c[j].n;
			s += c[j].s;
			s2 += s2v ? s2v[j] : c[j].s;
		}
	}
	return woe ? hc_woe_value(n, s, g, smooth)
		   : hc_te_value(n, s, s2, g, smooth);
}

double hc_te_folds_value(const struct hc_te_folds *f, uint32_t id,
			 uint32_t fold, double smooth, int woe)
{
	struct hc_te_global g;

	out_of_fold_global(f, fold, &g);
	return value_out_of_fold(f, id, fold, &g, smooth, woe);
}

void hc_fold_rows(uint64_t seed, uint64_t row0, uint32_t k, size_t n,
		  uint8_t *fold)
{
	for (size_t i = 0; i < n; i++)
		fold[i] = (uint8_t)hc_fold_of(seed, row0 + i, k);
}

int hc_te_folds_reserve(struct hc_te_folds *f, size_t nvals,
			struct hc_err *err)
{
	return nvals <= f->cap ? 0 : folds_grow(f, nvals, err);
}

/* Rows this many ahead have their value's sums prefetched. */
#define AHEAD 16

/* hc_te_folds_add_folded from row i on, with the general cells. */
static void add_general(struct hc_te_folds *f, const uint32_t *ids,
			const double *y, const uint8_t *fold, size_t i,
			size_t n)
{
	for (; i < n; i++) {
		double v = y[i];
		struct hc_te_cell *c;

		if (i + AHEAD < n)
			__builtin_prefetch(ccells(f, ids[i + AHEAD]), 1);
		if (v != v)
			continue;
		if (ids[i] >= f->nvals)
			f->nvals = (size_t)ids[i] + 1;
		c = ccells(f, ids[i]) + fold[i];
		c->n++;
		c->s += v;
		if (has_s2(f))
			s2cells(f, ids[i])[fold[i]] += v * v;
		f->gn[fold[i]]++;
		f->gs[fold[i]] += v;
		f->gs2[fold[i]] += v * v;
	}
}

int hc_te_folds_add_folded(struct hc_te_folds *f, const uint32_t *ids,
			   const double *y, const uint8_t *fold, size_t n,
			   struct hc_err *err)
{
	uint32_t max = 0;
	size_t i;

	for (i = 0; i < n; i++)
		max = ids[i] > max ? ids[i] : max;
	if (n && max >= f->cap && folds_grow(f, (size_t)max + 1, err) != 0)
		return -1;
	for (i = 0; i < n && f->b; i++) {
		double v = y[i];
		struct hc_te_bcell *b;

		if (i + AHEAD < n)
			__builtin_prefetch(bcells(f, ids[i + AHEAD]), 1);
		if (v != v)
			continue;
		if (v != 0 && v != 1) {
			if (start_s2(f, err) != 0)
				return -1;
			break;
		}
		if (ids[i] >= f->nvals)
			f->nvals = (size_t)ids[i] + 1;
		b = bcells(f, ids[i]) + fold[i];
		b->n++;
		b->s += v == 1;
		f->gn[fold[i]]++;
		f->gs[fold[i]] += v;
		f->gs2[fold[i]] += v * v;
	}
	if (!f->b)
		add_general(f, ids, y, fold, i, n);
	return 0;
}

void hc_te_folds_values_folded(const struct hc_te_folds *f,
			       const uint32_t *ids, const uint8_t *fold,
			       size_t n, double smooth, int woe, double *out)
{
	struct hc_te_global g[HC_TE_FOLDS_MAX];

	for (uint32_t j = 0; j < f->k; j++)
		out_of_fold_global(f, j, &g[j]);
	for (size_t i = 0; i < n; i++) {
		if (i + AHEAD < n && ids[i + AHEAD] < f->nvals)
			__builtin_prefetch(f->b ? (const void *)bcells(f, ids[i + AHEAD])
						: (const void *)ccells(f, ids[i + AHEAD]));
		out[i] = value_out_of_fold(f, ids[i], fold[i], &g[fold[i]], smooth, woe);
	}
}

/* ---- ordered statistics ------------------------------------------------- */

int hc_te_ordered(const uint32_t *ids, const double *y, size_t nrows,
		  size_t nvals, const struct hc_te_global *g, double smooth,
		  int woe, uint64_t seed, float *out, struct hc_err *err)
{
	uint32_t *perm = hc_mallocarray(nrows ? nrows : 1, sizeof(*perm));
	double *acc = hc_calloc(nvals ? nvals * 3 : 1, sizeof(*acc));
	uint64_t st = seed;

	if (!perm || !acc || nrows > UINT32_MAX) {
		hc_free(perm);
		hc_free(acc);
		return nrows > UINT32_MAX
			       ? hc_err_set(err, HC_ERR_DATA, "--ordered handles at most %u rows", UINT32_MAX)
			       : hc_err_nomem(err);
	}
	hc_rng_shuffled_range(perm, nrows, &st);
	for (size_t i = 0; i < nrows; i++) {
		size_t r = perm[i];
		double *a = acc + (size_t)ids[r] * 3;

		out[r] = (float)(woe ? hc_woe_value(a[0], a[1], g, smooth)
				     : hc_te_value(a[0], a[1], a[2], g, smooth));
		if (y[r] == y[r]) {
			a[0] += 1;
			a[1] += y[r];
			a[2] += y[r] * y[r];
		}
	}
	hc_free(perm);
	hc_free(acc);
	return 0;
}
