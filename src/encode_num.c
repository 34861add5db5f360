/* encode_num.c - standardize, log1p and quantile bins (encode_num.h)
 *
 * Kept out of the vocabulary code: a numeric column needs no vocabulary
 * (every distinct float would be a value), only running moments and a
 * quantile sketch, both of which merge.
 */
#include <math.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/parse.h"
#include "src/encode_num.h"
#include "src/quantile.h"

int hc_enc_num_parse(const char *s, size_t len, double *x)
{
	if (len == 0) {
		*x = NAN;
		return 0;
	}
	if (hc_parse_double(s, len, x) != 0 || !(fabs(*x) <= HC_ENC_NUM_MAX))
		return -1;
	return 0;
}

int hc_enc_weight_parse(const char *s, size_t len, double *w)
{
	if (len == 0 || hc_parse_double(s, len, w) != 0 ||
	    !(*w >= 0 && *w <= HC_ENC_WEIGHT_MAX))
		return -1;
	*w += 0.0; /* -0 becomes 0, which a frame then stores */
	return 0;
}

void hc_enc_num_init(struct hc_enc_num *u, int bins, uint32_t nbins,
		     uint64_t seed)
{
	memset(u, 0, sizeof(*u));
	u->bins = bins;
	u->nbins = nbins;
	u->seed = seed;
}

void hc_enc_num_release(struct hc_enc_num *u)
{
	hc_quantile_free(u->q);
	hc_free(u->edges);
	u->q = NULL;
	u->edges = NULL;
}

/* Moments (nb, mb, m2b) into u (Chan et al.). */
static void combine(struct hc_enc_num *u, uint64_t nb, double mb, double m2b)
{
	double na = (double)u->n, n = na + (double)nb, d;

	if (nb == 0)
		return;
	if (u->n == 0) {
		u->n = nb;
		u->mean = mb;
		u->m2 = m2b;
		return;
	}
	d = mb - u->mean;
	u->mean += d * (double)nb / n;
	u->m2 += m2b + d * d * na * (double)nb / n;
	u->n += nb;
}

int hc_enc_num_add(struct hc_enc_num *u, const double *x, size_t n,
		   struct hc_err *err)
{
	uint64_t k = 0;
	double s = 0, m, m2 = 0, c = 0;

	for (size_t i = 0; i < n; i++)
		if (x[i] == x[i]) {
			s += x[i];
			k++;
		}
	if (k == 0)
		return 0;
	m = s / (double)k;
	/* two passes, with the rounding of m taken out (c is 0 in exact
	 * arithmetic) */
	for (size_t i = 0; i < n; i++)
		if (x[i] == x[i]) {
			m2 += (x[i] - m) * (x[i] - m);
			c += x[i] - m;
		}
	m2 -= c * c / (double)k;
	combine(u, k, m + c / (double)k, m2 > 0 ? m2 : 0);
	if (!u->bins)
		return 0;
	if (!u->q && !(u->q = hc_quantile_new(HC_QUANTILE_K_DEFAULT, u->seed, err)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (x[i] == x[i] && hc_quantile_add(u->q, x[i]) != 0)
			return hc_err_nomem(err);
	return 0;
}

int hc_enc_num_merge(struct hc_enc_num *a, const struct hc_enc_num *b,
		     struct hc_err *err)
{
	if (a->bins != b->bins || (a->bins && a->nbins != b->nbins))
		return hc_err_set(err, HC_ERR_DATA, "states bin it differently (--nbins %u and %u)", (unsigned)a->nbins, (unsigned)b->nbins);
	combine(a, b->n, b->mean, b->m2);
	if (!b->q)
		return 0;
	if (!a->q && !(a->q = hc_quantile_new(HC_QUANTILE_K_DEFAULT, a->seed, err)))
		return -1;
	return hc_quantile_merge(a->q, b->q, err);
}

int hc_enc_num_finalize(struct hc_enc_num *u, struct hc_err *err)
{
	double max;

	hc_free(u->edges);
	u->edges = NULL;
	u->nedges = 0;
	if (!u->bins || !u->q || hc_quantile_count(u->q) == 0)
		return 0;
	if (!(u->edges = hc_mallocarray(u->nbins, sizeof(*u->edges))))
		return hc_err_nomem(err);
	max = hc_quantile_get(u->q, 1);
	for (uint32_t i = 1; i < u->nbins; i++) {
		double e = hc_quantile_get(u->q, (double)i / u->nbins);

		/* quantiles rise with i: a repeat is a tie; an edge at the
		 * maximum would leave its upper bin empty */
		if (e >= max || (u->nedges && e <= u->edges[u->nedges - 1]))
			continue;
		u->edges[u->nedges++] = e;
	}
	return 0;
}

double hc_enc_num_sd(const struct hc_enc_num *u)
{
	return u->n ? sqrt(u->m2 / (double)u->n) : 0;
}

double hc_enc_num_std(const struct hc_enc_num *u, double x)
{
	double sd = hc_enc_num_sd(u);

	return sd > 0 ? (x - u->mean) / sd : x - u->mean;
}

double hc_enc_num_log1p(double x)
{
	return log1p(x);
}

uint32_t hc_enc_num_bin(const struct hc_enc_num *u, double x)
{
	uint32_t lo = 0, hi = u->nedges;

	if (x != x)
		return u->nedges + 1;
	/* the first edge at or above x: its index counts the edges below */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (u->edges[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- serialisation ------------------------------------------------------ */

int hc_enc_num_serialize(const struct hc_enc_num *u, struct hc_buf *b)
{
	hc_buf_put_u64(b, u->n);
	hc_buf_put_f64(b, u->mean);
	hc_buf_put_f64(b, u->m2);
	if (u->bins) {
		hc_buf_put_u32(b, u->nbins);
		hc_buf_put_u8(b, u->q != NULL);
		if (u->q && hc_quantile_serialize(u->q, b) != 0)
			return -1;
	}
	return b->failed ? -1 : 0;
}

static int corrupt(struct hc_err *err, const char *what)
{
	return hc_err_set(err, HC_ERR_DATA, "corrupted encode state: %s", what);
}

int hc_enc_num_load(struct hc_enc_num *u, struct hc_cursor *cur, int bins,
		    uint64_t rows, struct hc_err *err)
{
	uint8_t has_q = 0;
	double lim = HC_ENC_NUM_MAX;

	hc_enc_num_init(u, bins, HC_ENC_NBINS_DEFAULT, 0);
	if (hc_get_u64(cur, &u->n) != 0 || hc_get_f64(cur, &u->mean) != 0 ||
	    hc_get_f64(cur, &u->m2) != 0 ||
	    (bins && (hc_get_u32(cur, &u->nbins) != 0 || hc_get_u8(cur, &has_q) != 0)))
		return corrupt(err, "truncated numeric statistics");
	/* what n numbers of at most lim in size can give: the mean within
	 * them, m2 at most n (2 lim)^2 / 4 */
	if (u->n > rows || !(fabs(u->mean) <= lim) ||
	    !(u->m2 >= 0 && u->m2 <= (double)u->n * lim * lim) ||
	    (u->n == 0 && (u->mean != 0 || u->m2 != 0)) ||
	    (bins && (u->nbins < HC_ENC_NBINS_MIN || u->nbins > HC_ENC_NBINS_MAX || has_q > 1)))
		return corrupt(err, "numeric statistics");
	if (has_q) {
		if (!(u->q = hc_quantile_deserialize(cur, err))) {
			if (err->kind == HC_ERR_DATA)
				hc_err_prefix(err, "corrupted encode state");
			return -1;
		}
		if (hc_quantile_count(u->q) != u->n)
			return corrupt(err, "the sketch's count differs from the column's");
	}
	return hc_enc_num_finalize(u, err);
}
