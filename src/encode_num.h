/* encode_num.h - the numeric encoders of `hicard encode`: standardize,
 * log1p, quantile bins and passthrough, with their fitted statistics
 *
 * A column's numbers: n (fields that held a number; empty fields are
 * missing and not counted), their mean and m2, the sum of squared
 * deviations from the mean.  Parts fitted apart combine exactly as the
 * sums they stand for (Chan, Golub, LeVeque 1979):
 *
 *   n = na + nb,  d = mean_b - mean_a,  mean = mean_a + d * nb / n,
 *   m2 = m2a + m2b + d^2 * na * nb / n
 *
 * which is the merge of counts, sums and sums of squares without their
 * cancellation (1e9 + x for small x loses every digit of x in a sum of
 * squares).  Within a batch the mean and m2 are taken in two passes.
 *
 *   standardize  (x - mean) / sd, sd = sqrt(m2 / n) (population sd, as
 *                scikit-learn's StandardScaler); sd 0 (one value, or all
 *                equal): x - mean
 *   log1p        log(1 + x); x <= -1 is refused (no finite result)
 *   bins         N requested; edges e_i = the sketch's quantile i/N for
 *                i = 1..N-1 (src/quantile.c, KLL), equal edges merged and
 *                edges at or above the maximum dropped, leaving E edges
 *                and B = E + 1 bins; bin(x) = the number of edges below x,
 *                so bin i holds (e_i, e_{i+1}] (right-closed: a value
 *                equal to an edge goes to the lower bin) and 0..B-1 cover
 *                every number, unseen ranges included.  A missing value
 *                gets B.
 *   passthrough  x itself; nothing is fitted (its moments are kept, as
 *                log1p's, so that every numeric column merges alike)
 *
 * Ownership: a struct hc_enc_num owns its sketch and edges.
 */
#ifndef HC_ENCODE_NUM_H
#define HC_ENCODE_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/err.h"

/* Bounds: numbers at most this in size (so m2 over 2^64 values stays
 * finite), and the bins a column may ask for. */
#define HC_ENC_NUM_MAX 1e100
#define HC_ENC_NBINS_DEFAULT 10
#define HC_ENC_NBINS_MIN 2
#define HC_ENC_NBINS_MAX 1000

struct hc_quantile;

struct hc_enc_num {
	uint64_t n;             /* numbers seen */
	double mean, m2;
	int bins;               /* the bins encoder is on: keep a sketch */
	uint32_t nbins;         /* N requested */
	uint64_t seed;          /* the sketch's coin */
	struct hc_quantile *q;  /* made on the first number */
	/* hc_enc_num_finalize: */
	double *edges;
	uint32_t nedges;        /* E; B = E + 1 bins */
};

/* A field as a number: 0 with *x set (NaN for an empty field), -1 when it
 * is not a finite number of at most HC_ENC_NUM_MAX in size ("nan",
 * "inf" and text included). */
int hc_enc_num_parse(const char *s, size_t len, double *x);

/* Largest row weight (--weight): a frame stores weights as binary32,
 * whose largest finite value is about 3.4e38, so every weight accepted is
 * finite in every output format. */
#define HC_ENC_WEIGHT_MAX 1e38

/* A row weight field: 0 with *w set, -1 when it is empty, not a number,
 * or not from 0 to HC_ENC_WEIGHT_MAX ("nan", "inf" and -0.5 included;
 * "-0" is 0).  A weight is never missing: every row needs one. */
int hc_enc_weight_parse(const char *s, size_t len, double *w);

void hc_enc_num_init(struct hc_enc_num *u, int bins, uint32_t nbins,
		     uint64_t seed);
void hc_enc_num_release(struct hc_enc_num *u);

/* Adds n numbers (NaN: missing, skipped).  0, or -1 with err set. */
int hc_enc_num_add(struct hc_enc_num *u, const double *x, size_t n,
		   struct hc_err *err);
/* b into a (the same nbins; else an error).  Refinalize after. */
int hc_enc_num_merge(struct hc_enc_num *a, const struct hc_enc_num *b,
		     struct hc_err *err);
/* The bin edges from the sketch.  0, or -1 (memory). */
int hc_enc_num_finalize(struct hc_enc_num *u, struct hc_err *err);

/* The encodings of x (NaN in, NaN out; bins: B). */
double hc_enc_num_sd(const struct hc_enc_num *u);
double hc_enc_num_std(const struct hc_enc_num *u, double x);
double hc_enc_num_log1p(double x);
uint32_t hc_enc_num_bin(const struct hc_enc_num *u, double x);
static inline uint32_t hc_enc_num_nbins(const struct hc_enc_num *u)
{
	return u->nedges + 1;
}

/* Serialisation (see src/encode_state.c for where it goes):
 *   u64 n, f64 mean, f64 m2, with bins: u32 nbins, u8 sketch present,
 *   the sketch (src/quantile.c).
 * load checks the numbers against rows (the state's row count) and
 * finalizes.  0, or -1 with err set. */
int hc_enc_num_serialize(const struct hc_enc_num *u, struct hc_buf *b);
int hc_enc_num_load(struct hc_enc_num *u, struct hc_cursor *cur, int bins,
		    uint64_t rows, struct hc_err *err);

#endif
