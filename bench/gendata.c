/* gendata.c - deterministic synthetic CSVs for hicard's tests and benchmarks
 *
 * The issues ask for benchmarks on data with a known shape: categorical
 * columns of chosen cardinalities drawn Zipf-like (real ids are skewed: a
 * few users, items and sites take most rows, a long tail is seen once or
 * twice), numeric columns, empty values, quoted fields with commas, a label
 * drawn from a known logistic model (so that encoders and models have
 * something real to find), and user-item interactions with planted
 * communities (so that clustering has a right answer).  This program makes
 * such files, from 1k rows to 100M rows, at a few hundred MB/s:
 *
 *   gendata mixed        profile/hash benchmark table (issue 3): label, four
 *                        numeric columns, six categorical ones with about
 *                        10, 1e3, 1e5, 6e5, 1e6 (at 10M rows) and 5e4
 *                        distinct values, one with 5% empties, and a quoted
 *                        "city, region" string column: 12 columns, about 84
 *                        bytes a row (10M rows: about 840 MB).
 *   gendata ctr          click log (issues 4 and 7): a click label and seven
 *                        categorical columns, about 78 bytes a row (1M rows:
 *                        about 78 MB); the click is drawn from a logistic
 *                        model over per-value weights of five of them
 *                        (--signal scales them; --pairs adds field-pair
 *                        interactions; --truth writes each row's click
 *                        probability, the oracle of issue 7).
 *   gendata interactions user_id,item_id rows: every user and item belongs
 *                        to one of C communities, and most edges stay inside
 *                        their community (for cluster and graph hashing).
 *
 * Determinism: the same arguments give the same bytes.  Randomness comes
 * from xoshiro256** seeded through splitmix64 (never rand()), one stream
 * per column (derived from --seed), each consumed in a fixed order, so
 * batching and column order change nothing.  Integer arithmetic decides
 * everything but a few floating-point values: those use sqrt (exact in
 * IEEE 754) and libm's log, exp and pow, which glibc computes to within
 * about half an ulp; a libm that rounds one of them differently could, in
 * principle, change a rare rounded digit or label.  gcc and clang builds
 * on x86-64 give identical files.

 * Speed: Zipf ranks are drawn by inversion over a precomputed CDF (scaled
 * to 53-bit integers) with a guide table (Chen and Asau's cutpoint method),
 * which makes each draw O(1) expected; rank -> id is a keyed bijection
 * (cycle-walking over a small mixing permutation), so ids look random, are
 * distinct within a column, and need no table; fields are formatted by hand
 * into a row buffer that goes to lib/out.h in one write.
 */
/* Same bytes on every machine: no fused multiply-add (compilers for arm64
 * fuse a * b + c by default, which changes the last bit of some values and
 * so, rarely, a printed digit or a label).  Before any include, so that
 * inline functions from headers are compiled the same way. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/frame.h"
#include "lib/mem.h"
#include "lib/out.h"
#include "lib/parse.h"

#define PROG "gendata"

/* ---- random numbers --------------------------------------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, 1). */
static inline double rng_unif(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below
 * n / 2^64, nothing a benchmark can see). */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* Standard normal (Marsaglia's polar method). */
static double rng_normal(struct rng *r)
{
	double u, v, q;

	do {
		u = 2.0 * rng_unif(r) - 1.0;
		v = 2.0 * rng_unif(r) - 1.0;
		q = u * u + v * v;
	} while (q >= 1.0 || q == 0.0);
	return u * sqrt(-2.0 * log(q) / q);
}

/* A fixed pseudo-random weight for (key, value): approximately normal with
 * standard deviation sd (sum of four uniforms), and a pure function of its
 * arguments, so a per-value weight table needs no memory. */
static double hashed_weight(uint64_t key, uint64_t value, double sd)
{
	uint64_t x = key ^ (value * 0xD1B54A32D192ED03ull);
	double sum = 0;

	for (int i = 0; i < 4; i++)
		sum += (double)(splitmix64(&x) >> 11) * 0x1.0p-53;
	/* Sum of 4 U(0,1): mean 2, variance 1/3. */
	return (sum - 2.0) * sqrt(3.0) * sd;
}

/* ---- Zipf sampling ---------------------------------------------------- */

/* P(rank = i) proportional to (i + 1)^-s for i in [0, n).  cdf[i] is
 * P(rank <= i) scaled to 2^53; a draw x in [0, 2^53) gives the first i with
 * x < cdf[i].  The guide table cuts [0, 2^53) into 2^gbits equal cells:
 * guide[k] is the first i whose cdf exceeds the start of cell k, so the
 * search starts a handful of steps (expected O(1)) from its end, and when
 * the whole cell lies inside one rank (ZIPF_PURE: most of the probability
 * mass, the head) the answer is the guide entry itself and cdf is not read.
 *
 * With a million ranks the tables are tens of MB and every draw is a cache
 * miss, so draws are made in batches: first every guide entry of the batch
 * is prefetched, then every cdf entry still needed, then the searches run;
 * the misses overlap instead of queueing.  Each column has its own random
 * stream, so batching changes nothing in the output. */
struct zipf {
	uint64_t n;
	uint64_t *cdf;
	uint32_t *guide;
	int gshift; /* 53 - guide bits */
};

#define ZIPF_MAX_N ((uint64_t)1 << 31)
#define ZIPF_PURE ((uint32_t)1 << 31)
#define BATCH 256

/* Large tables are read at random: ask for huge pages (fewer TLB misses).
 * Advice only; nothing depends on it being taken. */
static void advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t hi = ((uintptr_t)p + len) & ~(huge - 1);

	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

static void zipf_release(struct zipf *z)
{
	hc_free(z->cdf);
	hc_free(z->guide);
	z->cdf = NULL;
	z->guide = NULL;
}

static int zipf_init(struct zipf *z, uint64_t n, double s)
{
	const double one = 0x1.0p53;
	double total = 0, acc = 0;
	int gbits = 1;
	uint64_t g, i, ncells;

	z->n = n;
	/* About two cells a rank: most of the mass falls in pure cells. */
	while (gbits < 24 && ((uint64_t)1 << gbits) < 2 * n)
		gbits++;
	ncells = (uint64_t)1 << gbits;
	z->gshift = 53 - gbits;
	z->cdf = hc_mallocarray(n, sizeof(*z->cdf));
	z->guide = hc_mallocarray(ncells, sizeof(*z->guide));
	if (!z->cdf || !z->guide) {
		zipf_release(z);
		return -1;
	}
	advise_huge(z->cdf, n * sizeof(*z->cdf));
	advise_huge(z->guide, ncells * sizeof(*z->guide));
	/* Summed from the smallest term up, for accuracy in the tail. */
	for (i = n; i-- > 0;)
		total += pow((double)(i + 1), -s);
	for (i = 0; i < n; i++) {
		acc += pow((double)(i + 1), -s);
		z->cdf[i] = (uint64_t)(acc / total * one);
	}
	z->cdf[n - 1] = (uint64_t)1 << 53;
	for (g = 0, i = 0; g < ncells; g++) {
		uint64_t start = g << z->gshift, end = (g + 1) << z->gshift;
		while (z->cdf[i] <= start)
			i++;
		z->guide[g] = (uint32_t)i | (z->cdf[i] >= end ? ZIPF_PURE : 0);
	}
	return 0;
}

/* n (at most BATCH) ranks into out. */
static void zipf_draw_batch(const struct zipf *z, struct rng *r,
			    uint64_t *out, size_t n)
{
	uint64_t x[BATCH];
	uint32_t g[BATCH];

	for (size_t k = 0; k < n; k++) {
		x[k] = rng_next(r) >> 11;
		__builtin_prefetch(&z->guide[x[k] >> z->gshift]);
	}
	for (size_t k = 0; k < n; k++) {
		g[k] = z->guide[x[k] >> z->gshift];
		if (!(g[k] & ZIPF_PURE))
			__builtin_prefetch(&z->cdf[g[k]]);
	}
	for (size_t k = 0; k < n; k++) {
		uint64_t i = g[k] & ~ZIPF_PURE;
		if (!(g[k] & ZIPF_PURE))
			while (z->cdf[i] <= x[k])
				i++;
		out[k] = i;
	}
}

static inline uint64_t zipf_draw(const struct zipf *z, struct rng *r)
{
	uint64_t i;

	zipf_draw_batch(z, r, &i, 1);
	return i;
}

/* ---- rank -> id: a keyed bijection of [0, space) ----------------------- */

/* A permutation of b-bit integers (odd multipliers and xor-shifts are each
 * invertible mod 2^b), walked until it lands below space: a bijection of
 * [0, space), so distinct ranks give distinct ids. */
struct perm {
	uint64_t space, mask;
	int shift;
	uint64_t k[4];
};

static void perm_init(struct perm *p, uint64_t space, uint64_t key)
{
	int bits = 2;

	while (bits < 63 && ((uint64_t)1 << bits) < space)
		bits++;
	p->space = space;
	p->mask = ((uint64_t)1 << bits) - 1;
	p->shift = bits / 2 + 1;
	for (int i = 0; i < 4; i++)
		p->k[i] = splitmix64(&key) | 1;
}

static inline uint64_t perm_apply(const struct perm *p, uint64_t x)
{
	do {
		x = (x * p->k[0] + p->k[1]) & p->mask;
		x ^= x >> p->shift;
		x = (x * p->k[2]) & p->mask;
		x ^= x >> p->shift;
		x = (x * p->k[3] + p->k[1]) & p->mask;
	} while (x >= p->space);
	return x;
}

/* ---- formatting into a row buffer ------------------------------------- */

static inline char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static inline char *put_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Exactly width digits, zero-padded. */
static inline char *put_dec_w(char *p, uint64_t v, int width)
{
	for (int i = width; i-- > 0;) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

static inline char *put_hex_w(char *p, uint64_t v, int width)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = width; i-- > 0;) {
		p[i] = hex[v & 15];
		v >>= 4;
	}
	return p + width;
}

/* v rounded to `decimals` places (1 to 6), as plain decimal text.  Rounds
 * half away from zero; never prints "-0.000". */
static char *put_fixed(char *p, double v, int decimals)
{
	static const double scale[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	double a = fabs(v) * scale[decimals] + 0.5;
	uint64_t m;

	if (!(a < 1e18))
		a = 1e18;
	m = (uint64_t)a;
	if (v < 0 && m)
		*p++ = '-';
	{
		uint64_t div = (uint64_t)scale[decimals];
		p = put_dec(p, m / div);
		*p++ = '.';
		p = put_dec_w(p, m % div, decimals);
	}
	return p;
}

/* ---- categorical columns ---------------------------------------------- */

enum idfmt { FMT_DEC, FMT_HEX };

/* One Zipf-distributed id column: rank -> perm -> prefix + fixed-width
 * digits.  support values can occur; at n rows fewer are seen (the rare
 * tail), which is why support is above the nominal cardinality for the
 * largest columns. */
struct catspec {
	const char *name;
	uint64_t support;
	double s;
	const char *prefix;
	enum idfmt fmt;
	int width; /* digits: the id space is 10^width or 16^width */
};

struct catcol {
	const struct catspec *spec;
	struct zipf z;
	struct perm perm;
};

static uint64_t id_space(const struct catspec *c)
{
	uint64_t sp = 1;

	for (int i = 0; i < c->width; i++)
		sp *= c->fmt == FMT_DEC ? 10 : 16;
	return sp;
}

static int catcol_init(struct catcol *c, const struct catspec *spec,
		       uint64_t key)
{
	c->spec = spec;
	perm_init(&c->perm, id_space(spec), key);
	return zipf_init(&c->z, spec->support, spec->s);
}

static inline char *put_id(char *p, const struct catcol *c, uint64_t rank)
{
	uint64_t id = perm_apply(&c->perm, rank);

	p = put_str(p, c->spec->prefix);
	if (c->spec->fmt == FMT_DEC)
		return put_dec_w(p, id, c->spec->width);
	return put_hex_w(p, id, c->spec->width);
}

/* ---- common driver ---------------------------------------------------- */

struct args {
	const char *mode;
	const char *out_path;
	const char *truth_path;
	uint64_t rows, seed;
	uint64_t users, items, edges, communities;
	double p_in;
	double signal; /* ctr, ctr-frame: weight scale of the generating model */
	double pairs;  /* ctr: deviation of the field-pair part of the logit */
	int no_header;
	int have_rows;
};

static int out_fail(struct hc_out *o)
{
	return o->failed ? -1 : 0;
}

/* Ends a row buffer: one checked write. */
static inline int emit(struct hc_out *o, const char *row, const char *end)
{
	return hc_out_write(o, row, (size_t)(end - row));
}

/* Streams (one per purpose) derived from the user's seed, so adding a
 * column to one mode never shifts the numbers of another. */
static uint64_t sub_seed(uint64_t seed, uint64_t purpose)
{
	uint64_t x = seed ^ (purpose * 0x9E3779B97F4A7C15ull);

	return splitmix64(&x);
}

/* ---- gendata mixed ----------------------------------------------------- */

/* Supports chosen so that 10M rows show about the nominal distinct counts
 * (a Zipf tail is mostly unseen): 10, 1e3, 1e5, 6e5, 1e6; campaign_id 5e4. */
static const struct catspec mixed_cats[] = {
	{ "country", 10, 1.0, "c", FMT_DEC, 2 },
	{ "site_id", 1000, 1.05, "s", FMT_HEX, 4 },
	{ "item_id", 100000, 1.05, "i", FMT_DEC, 6 },
	{ "user_id", 700000, 1.0, "u", FMT_DEC, 7 },
	{ "device_id", 1600000, 1.0, "", FMT_HEX, 10 },
	{ "campaign_id", 50000, 1.1, "k", FMT_DEC, 5 },
};
enum { M_COUNTRY, M_SITE, M_ITEM, M_USER, M_DEVICE, M_CAMPAIGN, M_NCAT };

static const struct catspec mixed_place = { "place", 20000, 1.0, "t", FMT_DEC,
					    5 };
#define MIXED_REGIONS 60

static int gen_mixed(const struct args *a, struct hc_out *o)
{
	struct catcol cat[M_NCAT], place;
	struct rng rcat[M_NCAT], rplace, r;
	uint64_t rk[M_NCAT][BATCH], city[BATCH];
	uint64_t wkey = sub_seed(a->seed, 100);
	int rc = -1, ninit = 0;
	char row[512];

	memset(&place, 0, sizeof(place));
	for (int j = 0; j < M_NCAT; j++, ninit++) {
		if (catcol_init(&cat[j], &mixed_cats[j],
				sub_seed(a->seed, 10 + (uint64_t)j)) != 0)
			goto nomem;
		rng_seed(&rcat[j], sub_seed(a->seed, 20 + (uint64_t)j));
	}
	if (catcol_init(&place, &mixed_place, sub_seed(a->seed, 30)) != 0)
		goto nomem;
	rng_seed(&rplace, sub_seed(a->seed, 31));
	rng_seed(&r, sub_seed(a->seed, 1));

	if (!a->no_header)
		hc_out_puts(o, "label,num_a,num_b,num_c,num_d,country,site_id,"
			       "item_id,user_id,device_id,campaign_id,place\n");
	for (uint64_t done = 0; done < a->rows;) {
		size_t nb = a->rows - done < BATCH ? (size_t)(a->rows - done)
						   : BATCH;

		for (int j = 0; j < M_NCAT; j++)
			zipf_draw_batch(&cat[j].z, &rcat[j], rk[j], nb);
		zipf_draw_batch(&place.z, &rplace, city, nb);
		for (size_t b = 0; b < nb; b++) {
			char *p = row + 2; /* the label goes in front, last */
			double na = rng_normal(&r);
			double lb = 3.0 + rng_normal(&r);
			uint64_t nc = rng_below(&r, 100000);
			int d_empty = rng_unif(&r) < 0.05;
			double nd = 50.0 + 15.0 * rng_normal(&r);
			int k_empty = rng_unif(&r) < 0.05;
			uint64_t city_id = perm_apply(&place.perm, city[b]);
			double logit;

			p = put_fixed(p, na, 3);
			*p++ = ',';
			p = put_fixed(p, exp(lb), 2);
			*p++ = ',';
			p = put_dec(p, nc);
			*p++ = ',';
			if (!d_empty)
				p = put_fixed(p, nd, 1);
			for (int j = 0; j < M_NCAT; j++) {
				*p++ = ',';
				if (j != M_CAMPAIGN || !k_empty)
					p = put_id(p, &cat[j], rk[j][b]);
			}
			p = put_str(p, ",\"t");
			p = put_dec_w(p, city_id, mixed_place.width);
			p = put_str(p, ", r");
			p = put_dec_w(p, city_id % MIXED_REGIONS, 2);
			p = put_str(p, "\"\n");

			/* The generating model: two numeric columns, a
			 * missing-value effect, and per-value weights of
			 * country, site_id and item_id. */
			logit = -1.0 + 0.8 * na + 0.5 * (lb - 3.0) +
				(d_empty ? 0.7 : 0.0) +
				hashed_weight(wkey + 1, rk[M_COUNTRY][b], 0.5) +
				hashed_weight(wkey + 2, rk[M_SITE][b], 0.5) +
				hashed_weight(wkey + 3, rk[M_ITEM][b], 0.8);
			row[0] = rng_unif(&r) * (1.0 + exp(-logit)) < 1.0 ? '1'
									 : '0';
			row[1] = ',';
			if (emit(o, row, p) != 0)
				goto done;
		}
		done += nb;
	}
	rc = out_fail(o);
	goto done;
nomem:
	hc_err_nomem(&o->err);
done:
	for (int j = 0; j < ninit; j++)
		zipf_release(&cat[j].z);
	zipf_release(&place.z);
	return rc;
}

/* ---- gendata ctr ------------------------------------------------------- */

static const struct catspec ctr_cats[] = {
	{ "user_id", 1000000, 1.0, "u", FMT_DEC, 9 },
	{ "item_id", 100000, 1.05, "i", FMT_DEC, 9 },
	{ "ad_id", 50000, 1.1, "ad", FMT_HEX, 9 },
	{ "site_id", 5000, 1.1, "s", FMT_HEX, 10 },
	{ "app_id", 3000, 1.1, "a", FMT_HEX, 10 },
	{ "device_model", 10000, 1.0, "dm", FMT_HEX, 9 },
	{ "banner_pos", 7, 1.0, "pos", FMT_DEC, 1 },
};
#define CTR_NCAT (sizeof(ctr_cats) / sizeof(ctr_cats[0]))

/* Weight standard deviations of the generating model, per column: user_id
 * and device_model carry no signal. */
static const double ctr_sd[CTR_NCAT] = { 0, 0.6, 0.5, 0.4, 0.4, 0, 0.3 };

/* --pairs X: field-pair interactions, what a factorization machine can find
 * and a linear model cannot.  Each value v of the columns from item_id on
 * (six: C = 15 pairs) has a factor vector f(v) of CTR_PAIR_RANK entries,
 * normal(0, 1) from a hash of (column, entry, value); the logit gains
 * X / sqrt(C * rank) * sum over column pairs i < j of <f(v_i), f(v_j)>, whose
 * deviation is about X.  X = 0 (the default) adds nothing, so the rows
 * stay those of earlier versions. */
#define CTR_PAIR_FIRST 1
#define CTR_PAIR_RANK 4

static double ctr_pairs(uint64_t key, uint64_t rk[][BATCH], size_t b,
			double x)
{
	const size_t ncol = CTR_NCAT - CTR_PAIR_FIRST;
	double sum = 0;

	for (int k = 0; k < CTR_PAIR_RANK; k++) {
		double s = 0, ss = 0;

		for (size_t j = CTR_PAIR_FIRST; j < CTR_NCAT; j++) {
			double f = hashed_weight(key + 16 * j + (uint64_t)k,
						 rk[j][b], 1.0);
			s += f;
			ss += f * f;
		}
		sum += 0.5 * (s * s - ss); /* sum over i < j of f_i f_j */
	}
	return x * sum / sqrt(0.5 * (double)(ncol * (ncol - 1)) * CTR_PAIR_RANK);
}

static int gen_ctr(const struct args *a, struct hc_out *o)
{
	struct catcol cat[CTR_NCAT];
	struct rng rcat[CTR_NCAT], r;
	uint64_t rk[CTR_NCAT][BATCH];
	uint64_t wkey = sub_seed(a->seed, 200), pkey = sub_seed(a->seed, 201);
	struct hc_out *truth = NULL;
	size_t ninit = 0;
	int rc = -1;
	char row[512], prow[32];

	for (size_t j = 0; j < CTR_NCAT; j++, ninit++) {
		if (catcol_init(&cat[j], &ctr_cats[j],
				sub_seed(a->seed, 40 + j)) != 0)
			goto nomem;
		rng_seed(&rcat[j], sub_seed(a->seed, 50 + j));
	}
	rng_seed(&r, sub_seed(a->seed, 2));
	/* --truth: the generating model's click probability of each row,
	 * the best any model can score (its AUC is the ceiling). */
	if (a->truth_path && !(truth = hc_out_open(a->truth_path, &o->err)))
		goto done;
	if (truth && !a->no_header)
		hc_out_puts(truth, "p\n");

	if (!a->no_header)
		hc_out_puts(o, "click,user_id,item_id,ad_id,site_id,app_id,"
			       "device_model,banner_pos\n");
	for (uint64_t done = 0; done < a->rows;) {
		size_t nb = a->rows - done < BATCH ? (size_t)(a->rows - done)
						   : BATCH;

		for (size_t j = 0; j < CTR_NCAT; j++)
			zipf_draw_batch(&cat[j].z, &rcat[j], rk[j], nb);
		for (size_t b = 0; b < nb; b++) {
			char *p = row + 1;
			double logit = -1.9;

			for (size_t j = 0; j < CTR_NCAT; j++) {
				*p++ = ',';
				p = put_id(p, &cat[j], rk[j][b]);
				if (ctr_sd[j] > 0)
					logit += hashed_weight(wkey + j,
							       rk[j][b],
							       ctr_sd[j] * a->signal);
			}
			if (a->pairs > 0)
				logit += ctr_pairs(pkey, rk, b, a->pairs);
			*p++ = '\n';
			row[0] = rng_unif(&r) * (1.0 + exp(-logit)) < 1.0 ? '1'
									 : '0';
			if (emit(o, row, p) != 0)
				goto done;
			if (truth) {
				char *q = put_fixed(prow, 1.0 / (1.0 + exp(-logit)), 6);
				*q++ = '\n';
				if (emit(truth, prow, q) != 0) {
					o->err = truth->err;
					goto done;
				}
			}
		}
		done += nb;
	}
	rc = out_fail(o);
	if (rc == 0 && truth) {
		rc = hc_out_close(truth, &o->err);
		truth = NULL;
	}
	goto done;
nomem:
	hc_err_nomem(&o->err);
done:
	if (truth)
		hc_out_abort(truth);
	for (size_t j = 0; j < ninit; j++)
		zipf_release(&cat[j].z);
	return rc;
}

/* ---- gendata ctr-frame --------------------------------------------------- */

/* The ctr model plus an eighth column (hour: 24 values), written as a
 * binary frame (lib/frame.h) with every column's ids in a space of 2^20:
 * rank r of column j gets id (r * odd_j) mod 2^20, a bijection, so ids
 * are distinct and spread over the table as hashed ids are.  For the
 * train benchmarks: no CSV parsing or hashing in the way. */
#define CTRF_SPACE ((uint64_t)1 << 20)
static const struct catspec ctrf_hour = { "hour", 24, 0.5, "h", FMT_DEC, 2 };

static int gen_ctr_frame(const struct args *a, struct hc_out *o,
			 struct hc_err *err)
{
	struct catcol cat[CTR_NCAT + 1];
	struct rng rcat[CTR_NCAT + 1], r;
	uint64_t rk[CTR_NCAT + 1][BATCH];
	uint64_t wkey = sub_seed(a->seed, 200);
	struct hc_frame_schema s;
	struct hc_frame_writer *w = NULL;
	size_t ninit = 0, ncat = CTR_NCAT + 1;
	int rc = -1;

	if (hc_frame_schema_init(&s, err) != 0)
		return -1;
	if (!hc_frame_schema_add(&s, "click", HC_KIND_LABEL, 1, 0, err))
		goto done;
	for (size_t j = 0; j < ncat; j++) {
		const struct catspec *sp = j < CTR_NCAT ? &ctr_cats[j] : &ctrf_hour;
		if (!hc_frame_schema_add(&s, sp->name, HC_KIND_CAT, 1, CTRF_SPACE, err))
			goto done;
		if (catcol_init(&cat[j], sp, sub_seed(a->seed, 40 + j)) != 0) {
			hc_err_nomem(err);
			goto done;
		}
		ninit++;
		rng_seed(&rcat[j], sub_seed(a->seed, 50 + j));
	}
	rng_seed(&r, sub_seed(a->seed, 2));
	if (!(w = hc_frame_writer_open(o, &s, err)))
		goto done;
	for (uint64_t done = 0; done < a->rows;) {
		size_t nb = a->rows - done < BATCH ? (size_t)(a->rows - done) : BATCH;

		for (size_t j = 0; j < ncat; j++)
			zipf_draw_batch(&cat[j].z, &rcat[j], rk[j], nb);
		for (size_t b = 0; b < nb; b++) {
			double logit = -1.9;
			for (size_t j = 0; j < ncat; j++) {
				double sd = (j < CTR_NCAT ? ctr_sd[j] : 0.2) * a->signal;
				uint32_t id = (uint32_t)((rk[j][b] * (0x9E3779B1u + 2 * j)) & (CTRF_SPACE - 1));
				if (sd > 0)
					logit += hashed_weight(wkey + j, rk[j][b], sd);
				if (hc_frame_put_ids(w, 1 + j, &id, 1, err) != 0)
					goto done;
			}
			float y = rng_unif(&r) * (1.0 + exp(-logit)) < 1.0 ? 1.0f : 0.0f;
			if (hc_frame_put_num(w, 0, y, err) != 0 || hc_frame_end_row(w, err) != 0)
				goto done;
		}
		done += nb;
	}
	rc = hc_frame_writer_close(w, err);
	w = NULL;
done:
	hc_frame_writer_abort(w);
	hc_frame_schema_release(&s);
	for (size_t j = 0; j < ninit; j++)
		zipf_release(&cat[j].z);
	return rc;
}

/* ---- gendata interactions ---------------------------------------------- */

/* Node v (user or item) belongs to community v % C.  An edge picks a user
 * by activity (Zipf 0.8 over users), then with probability p_in an item of
 * the user's community (Zipf 0.8 over the community's items c, c + C,
 * c + 2C, ...), otherwise any item (Zipf 0.8 over all items, whose ranks
 * are spread over the communities).  Printed ids go through a keyed
 * bijection so nothing about the community shows in the id text. */
#define INTER_S 0.8

static int write_truth(const struct args *a, const struct perm *pu,
		       const struct perm *pi, struct hc_err *err)
{
	struct hc_out *t = hc_out_open(a->truth_path, err);
	char row[64];

	if (!t)
		return -1;
	hc_out_puts(t, "node,community\n");
	for (uint64_t u = 0; u < a->users; u++) {
		char *p = row;
		*p++ = 'u';
		p = put_dec(p, perm_apply(pu, u));
		*p++ = ',';
		p = put_dec(p, u % a->communities);
		*p++ = '\n';
		emit(t, row, p);
	}
	for (uint64_t v = 0; v < a->items; v++) {
		char *p = row;
		*p++ = 'i';
		p = put_dec(p, perm_apply(pi, v));
		*p++ = ',';
		p = put_dec(p, v % a->communities);
		*p++ = '\n';
		emit(t, row, p);
	}
	return hc_out_close(t, err);
}

static int gen_interactions(const struct args *a, struct hc_out *o,
			    struct hc_err *err)
{
	struct zipf zu = { 0 }, zi = { 0 }, zc = { 0 };
	struct perm pu, pi;
	struct rng r;
	uint64_t C = a->communities;
	uint64_t per_comm = (a->items + C - 1) / C;
	int rc = -1;
	char row[64];

	perm_init(&pu, a->users, sub_seed(a->seed, 60));
	perm_init(&pi, a->items, sub_seed(a->seed, 61));
	if (zipf_init(&zu, a->users, INTER_S) != 0 ||
	    zipf_init(&zi, a->items, INTER_S) != 0 ||
	    zipf_init(&zc, per_comm, INTER_S) != 0) {
		hc_err_nomem(err);
		goto done;
	}
	if (a->truth_path && write_truth(a, &pu, &pi, err) != 0)
		goto done;
	rng_seed(&r, sub_seed(a->seed, 3));
	if (!a->no_header)
		hc_out_puts(o, "user_id,item_id\n");
	for (uint64_t e = 0; e < a->edges; e++) {
		uint64_t u = zipf_draw(&zu, &r), item;
		char *p = row;

		if (rng_unif(&r) < a->p_in) {
			uint64_t c = u % C;
			/* The last positions exist only in the first
			 * communities when C does not divide the items. */
			do
				item = c + zipf_draw(&zc, &r) * C;
			while (item >= a->items);
		} else {
			item = zipf_draw(&zi, &r);
		}
		*p++ = 'u';
		p = put_dec(p, perm_apply(&pu, u));
		p = put_str(p, ",i");
		p = put_dec(p, perm_apply(&pi, item));
		*p++ = '\n';
		if (emit(o, row, p) != 0)
			break;
	}
	rc = out_fail(o);
	if (rc != 0)
		*err = o->err;
done:
	zipf_release(&zu);
	zipf_release(&zi);
	zipf_release(&zc);
	return rc;
}

/* ---- command line ----------------------------------------------------- */

static void usage(FILE *f)
{
	fputs(
"usage: gendata mixed --rows N [--seed S] [-n] [-o FILE]\n"
"       gendata ctr --rows N [--signal X] [--pairs X] [--truth FILE] [--seed S] [-n] [-o FILE]\n"
"       gendata ctr-frame --rows N [--signal X] [--seed S] [-o FILE]\n"
"       gendata interactions --users U --items I --edges E --communities C\n"
"               [--p-in P] [--truth FILE] [--seed S] [-n] [-o FILE]\n"
"\n"
"Writes a deterministic synthetic CSV (same arguments, same bytes) for\n"
"hicard's tests and benchmarks.  Categorical values are Zipf-distributed\n"
"ids, distinct per column.\n"
"\n"
"mixed (12 columns, about 84 bytes a row):\n"
"  label        0/1 from a logistic model over num_a, num_b, num_d's\n"
"               emptiness and per-value weights of country, site_id, item_id\n"
"  num_a        normal(0, 1), 3 decimals\n"
"  num_b        lognormal exp(normal(3, 1)), 2 decimals\n"
"  num_c        uniform integer in [0, 100000)\n"
"  num_d        normal(50, 15), 1 decimal, 5% empty\n"
"  country      Zipf s=1.0  over 10 values        (\"c07\")\n"
"  site_id      Zipf s=1.05 over 1000 values      (\"s3fa9\")\n"
"  item_id      Zipf s=1.05 over 1e5 values       (\"i012345\")\n"
"  user_id      Zipf s=1.0  over 7e5 values       (\"u1234567\"; ~6e5 seen in 10M rows)\n"
"  device_id    Zipf s=1.0  over 1.6e6 values     (10 hex digits; ~1e6 seen in 10M rows)\n"
"  campaign_id  Zipf s=1.1  over 5e4 values, 5% empty (\"k01234\")\n"
"  place        quoted \"city, region\": Zipf s=1.0 over 2e4 cities (\"t01234, r17\")\n"
"\n"
"ctr (click plus 7 categorical columns, about 78 bytes a row):\n"
"  click        0/1 from a logistic model (mean about 0.17) over per-value\n"
"               weights of item_id, ad_id, site_id, app_id and banner_pos\n"
"  user_id 1e6, item_id 1e5, ad_id 5e4, site_id 5e3, app_id 3e3,\n"
"  device_model 1e4, banner_pos 7 values, all Zipf (s 1.0 to 1.1)\n"
"  --signal X multiplies the model's weights (default 1; 1.2 makes its\n"
"  own AUC about 0.78, as in issue 7's quality target)\n"
"  --pairs X adds field-pair interactions (rank-4 factors of item_id to\n"
"  banner_pos, what fm can learn and logreg cannot) whose part of the logit\n"
"  has deviation about X (default 0: none, the same rows as before)\n"
"  --truth FILE writes the model's click probability of each row (column p,\n"
"  6 decimals), in row order: its AUC is the best any model can reach.\n"
"\n"
"ctr-frame (a binary frame, for the train benchmarks):\n"
"  ctr's click and columns plus hour (24 values), 8 cat columns with ids\n"
"  in a space of 2^20 each\n"
"\n"
"interactions (user_id,item_id):\n"
"  node v (user or item) is in community v mod C; each edge picks a user by\n"
"  Zipf(0.8) activity, then with probability P (--p-in, default 0.9) an item\n"
"  of the user's community, else any item, by Zipf(0.8) popularity.\n"
"  --truth FILE writes node,community for every user (u...) and item (i...).\n"
"\n"
"options:\n"
"  --rows N       rows to write (mixed, ctr, ctr-frame)\n"
"  --signal X     ctr, ctr-frame: scale of the click model's weights (0 to 10)\n"
"  --seed S       seed (default 1)\n"
"  -n, --no-header  no header row\n"
"  -o FILE        write FILE (atomically) instead of stdout\n"
"  -h, --help     this text\n", f);
}

static int bad_usage(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'gendata --help'.\n");
	va_end(ap);
	return HC_EXIT_USAGE;
}

/* 0, or an exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	a->seed = 1;
	a->p_in = 0.9;
	a->signal = 1.0;
	a->edges = UINT64_MAX; /* unset */
	if (argc < 2)
		return bad_usage("%s", "missing mode (mixed, ctr, ctr-frame, interactions)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		exit(0);
	}
	a->mode = argv[1];
	if (strcmp(a->mode, "mixed") && strcmp(a->mode, "ctr") &&
	    strcmp(a->mode, "ctr-frame") && strcmp(a->mode, "interactions"))
		return bad_usage("unknown mode '%s'", a->mode);
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *num = NULL;

		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(opt, "-n") || !strcmp(opt, "--no-header")) {
			a->no_header = 1;
			continue;
		}
		if (!val)
			return bad_usage("option '%s' needs a value or is unknown",
					 opt);
		if (!strcmp(opt, "-o")) {
			a->out_path = val;
		} else if (!strcmp(opt, "--truth")) {
			a->truth_path = val;
		} else if (!strcmp(opt, "--p-in")) {
			double p;
			if (hc_parse_double(val, strlen(val), &p) != 0 ||
			    !(p >= 0 && p <= 1))
				return bad_usage("--p-in: '%s' is not a probability",
						 val);
			a->p_in = p;
		} else if (!strcmp(opt, "--signal")) {
			double x;
			if (hc_parse_double(val, strlen(val), &x) != 0 ||
			    !(x >= 0 && x <= 10))
				return bad_usage("--signal: '%s' is not a number in [0, 10]",
						 val);
			a->signal = x;
		} else if (!strcmp(opt, "--pairs")) {
			double x;
			if (hc_parse_double(val, strlen(val), &x) != 0 ||
			    !(x >= 0 && x <= 10))
				return bad_usage("--pairs: '%s' is not a number in [0, 10]",
						 val);
			a->pairs = x;
		} else if (!strcmp(opt, "--rows")) {
			num = &a->rows;
			a->have_rows = 1;
		} else if (!strcmp(opt, "--seed")) {
			num = &a->seed;
		} else if (!strcmp(opt, "--users")) {
			num = &a->users;
		} else if (!strcmp(opt, "--items")) {
			num = &a->items;
		} else if (!strcmp(opt, "--edges")) {
			num = &a->edges;
		} else if (!strcmp(opt, "--communities")) {
			num = &a->communities;
		} else {
			return bad_usage("unknown option '%s'", opt);
		}
		if (num && hc_parse_u64(val, strlen(val), UINT64_MAX, num) != 0)
			return bad_usage("not a non-negative integer: '%s'", val);
		i++;
	}
	if (!strcmp(a->mode, "interactions")) {
		if (!a->users || !a->items || !a->communities ||
		    a->edges == UINT64_MAX)
			return bad_usage("%s", "interactions needs --users, --items and --communities (each above 0) and --edges");
		if (a->users > ZIPF_MAX_N || a->items > ZIPF_MAX_N)
			return bad_usage("%s", "at most 2^31 users and items");
		if (a->communities > a->users || a->communities > a->items)
			return bad_usage("%s", "more communities than users or items");
	} else if (!a->have_rows) {
		return bad_usage("%s: needs --rows N", a->mode);
	}
	if (a->pairs > 0 && strcmp(a->mode, "ctr"))
		return bad_usage("%s", "--pairs is an option of ctr only");
	return 0;
}

int main(int argc, char **argv)
{
	struct args a;
	struct hc_err err;
	struct hc_out *o;
	int rc, st;

	memset(&a, 0, sizeof(a));
	hc_err_clear(&err);
	hc_mem_init_from_env();
	signal(SIGPIPE, SIG_IGN);
	st = parse_args(argc, argv, &a);
	if (st)
		return st;
	o = hc_out_open(a.out_path, &err);
	if (!o)
		goto fail;
	if (!strcmp(a.mode, "mixed"))
		rc = gen_mixed(&a, o);
	else if (!strcmp(a.mode, "ctr"))
		rc = gen_ctr(&a, o);
	else if (!strcmp(a.mode, "ctr-frame"))
		rc = gen_ctr_frame(&a, o, &err);
	else
		rc = gen_interactions(&a, o, &err);
	if (rc != 0) {
		if (err.kind == HC_ERR_NONE)
			err = o->err;
		hc_out_abort(o);
		goto fail;
	}
	if (hc_out_close(o, &err) != 0)
		goto fail;
	return 0;
fail:
	if (err.kind == HC_ERR_PIPE)
		return 0;
	fprintf(stderr, PROG ": %s\n", err.msg);
	return hc_err_exit_status(&err);
}
