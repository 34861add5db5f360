/* test_encode.c - encode's cores: every formula on hand-computed data,
 * cross fitting and ordered statistics, codes, the state's round trip,
 * merge and corruptions, and the leakage check: on an id column of pure
 * noise, in-sample target encoding shows a leak (training AUC far above
 * 0.5) while out-of-fold encoding, like held-out rows, shows none.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lib/buf.h"
#include "lib/mem.h"
#include "lib/out.h"
#include "src/encode_emit.h"
#include "src/encode_plan.h"
#include "src/encode_state.h"
#include "src/encode_target.h"
#include "suites.h"

#define EPS 1e-12

/* ---- formulas --------------------------------------------------------- */

/* Targets 1,0,1,0,0,1,0 (n 7, sum 3): prior 3/7, variance 12/49. */
START_TEST(global_prior_and_variance)
{
	struct hc_te_global g;

	hc_te_global_init(&g, 7, 3, 3);
	ck_assert_double_eq_tol(g.prior, 3.0 / 7, EPS);
	ck_assert_double_eq_tol(g.var, 12.0 / 49, EPS);
	hc_te_global_init(&g, 0, 0, 0);
	ck_assert_double_eq(g.prior, 0);
	ck_assert_double_eq(g.var, 0);
}
END_TEST

START_TEST(m_estimate)
{
	struct hc_te_global g = {.prior = 0.25, .var = 0.1875};

	/* (s + a p) / (n + a) = (3 + 2 * 0.25) / (4 + 2) */
	ck_assert_double_eq_tol(hc_te_value(4, 3, 3, &g, 2), 3.5 / 6, EPS);
	/* a = 0: the raw mean; an unseen value: the prior */
	ck_assert_double_eq_tol(hc_te_value(4, 3, 3, &g, 0), 0.75, EPS);
	ck_assert_double_eq_tol(hc_te_value(0, 0, 0, &g, 2), 0.25, EPS);
}
END_TEST

/* scikit-learn's auto smoothing, by hand: value rows 1,0,0 (n 3, mean
 * 1/3, variance 2/9) among targets of prior 3/7, variance 12/49:
 * lambda = 3 * 12/49 / (3 * 12/49 + 2/9). */
START_TEST(empirical_bayes)
{
	struct hc_te_global g;
	double lam = (36.0 / 49) / (36.0 / 49 + 2.0 / 9);

	hc_te_global_init(&g, 7, 3, 3);
	ck_assert_double_eq_tol(hc_te_value(3, 1, 1, &g, HC_TE_SMOOTH_AUTO),
				lam / 3 + (1 - lam) * 3.0 / 7, EPS);
	/* A value with one row: no within variance, its own mean. */
	ck_assert_double_eq_tol(hc_te_value(1, 1, 1, &g, HC_TE_SMOOTH_AUTO), 1, EPS);
	/* Constant targets everywhere: the prior. */
	g.var = 0;
	ck_assert_double_eq_tol(hc_te_value(2, 1, 1, &g, HC_TE_SMOOTH_AUTO), 3.0 / 7, EPS);
	/* A numeric target: rows 2 and 4 (mean 3, variance 1), prior 2,
	 * variance 4: lambda = 8 / 9. */
	g.prior = 2;
	g.var = 4;
	ck_assert_double_eq_tol(hc_te_value(2, 6, 20, &g, HC_TE_SMOOTH_AUTO),
				8.0 / 9 * 3 + 1.0 / 9 * 2, EPS);
}
END_TEST

/* woe = ln((s + a p) / (n - s + a (1 - p))) - ln(p / (1 - p)). */
START_TEST(weight_of_evidence)
{
	struct hc_te_global g = {.prior = 3.0 / 7};

	ck_assert_double_eq_tol(hc_woe_value(4, 2, &g, HC_TE_SMOOTH_AUTO),
				log((2 + 3.0 / 7) / (2 + 4.0 / 7)) - log(0.75), EPS);
	ck_assert_double_eq_tol(hc_woe_value(4, 2, &g, 0.5),
				log((2 + 1.5 / 7) / (2 + 2.0 / 7)) - log(0.75), EPS);
	ck_assert_double_eq_tol(hc_woe_value(0, 0, &g, 1), 0, EPS);
	g.prior = 1;
	ck_assert_double_eq(hc_woe_value(3, 3, &g, 1), 0);
}
END_TEST

START_TEST(folds_in_range_and_balanced)
{
	uint32_t cnt[5] = {0};

	for (uint64_t r = 0; r < 100000; r++)
		cnt[hc_fold_of(7, r, 5)]++;
	for (int f = 0; f < 5; f++)
		ck_assert_msg(cnt[f] > 19400 && cnt[f] < 20600, "fold %d: %u", f, cnt[f]);
	ck_assert_uint_eq(hc_fold_of(7, 12, 5), hc_fold_of(7, 12, 5));
}
END_TEST

/* Out of fold equals the statistics of the other folds' rows, computed
 * here by brute force, prior included. */
START_TEST(out_of_fold_brute_force)
{
	struct hc_te_folds f;
	struct hc_err err;
	uint32_t ids[300], fold[300];
	double y[300];
	uint64_t rs = 3;

	ck_assert_int_eq(hc_te_folds_init(&f, 4, 1, &err), 0);
	for (int r = 0; r < 300; r++) {
		ids[r] = (uint32_t)(th_rand(&rs) % 20);
		y[r] = r < 200 ? (double)(th_rand(&rs) & 1) : (double)(th_rand(&rs) % 7);
		fold[r] = hc_fold_of(1, (uint64_t)r, 4);
		ck_assert_int_eq(hc_te_folds_add(&f, ids[r], fold[r], y[r], &err), 0);
	}
	for (int r = 0; r < 300; r += 7) {
		double gn = 0, gs = 0, gs2 = 0, n = 0, s = 0, s2 = 0;
		struct hc_te_global g;

		for (int q = 0; q < 300; q++) {
			if (fold[q] == fold[r])
				continue;
			gn++, gs += y[q], gs2 += y[q] * y[q];
			if (ids[q] == ids[r])
				n++, s += y[q], s2 += y[q] * y[q];
		}
		hc_te_global_init(&g, gn, gs, gs2);
		ck_assert_double_eq_tol(hc_te_folds_value(&f, ids[r], fold[r], HC_TE_SMOOTH_AUTO, 0),
					hc_te_value(n, s, s2, &g, HC_TE_SMOOTH_AUTO), 1e-9);
		ck_assert_double_eq_tol(hc_te_folds_value(&f, ids[r], fold[r], 3, 0),
					hc_te_value(n, s, s2, &g, 3), 1e-9);
	}
	/* A value with no rows at all: the out-of-fold prior. */
	ck_assert(isfinite(hc_te_folds_value(&f, 999, 0, 1, 0)));
	hc_te_folds_release(&f);
}
END_TEST

/* Ordered: one value, every target 1, prior 0.5, a = 1: the row at
 * position t of the permutation gets (t + 0.5) / (t + 1), each once. */
START_TEST(ordered_statistics)
{
	enum { N = 50 };
	uint32_t ids[N] = {0};
	double y[N];
	float out[N], out2[N];
	int seen[N] = {0};
	struct hc_te_global g = {.prior = 0.5, .var = 0.25};
	struct hc_err err;

	for (int i = 0; i < N; i++)
		y[i] = 1;
	ck_assert_int_eq(hc_te_ordered(ids, y, N, 1, &g, 1, 0, 9, out, &err), 0);
	for (int i = 0; i < N; i++) {
		int t = (int)lround(0.5 / (1 - out[i]) - 1);
		ck_assert(t >= 0 && t < N && !seen[t]);
		ck_assert_float_eq_tol(out[i], (t + 0.5) / (t + 1), 1e-6);
		seen[t] = 1;
	}
	/* Same seed, same result; another seed, another order. */
	ck_assert_int_eq(hc_te_ordered(ids, y, N, 1, &g, 1, 0, 9, out2, &err), 0);
	ck_assert(memcmp(out, out2, sizeof(out)) == 0);
	ck_assert_int_eq(hc_te_ordered(ids, y, N, 1, &g, 1, 0, 10, out2, &err), 0);
	ck_assert(memcmp(out, out2, sizeof(out)) != 0);
}
END_TEST

/* ---- the state ----------------------------------------------------------- */

static struct hc_enc_state *new_state(const struct hc_enc_params *p)
{
	const char *names[] = {"device", "city"};
	unsigned kinds[] = {HC_ENC_BIT(HC_ENC_ONEHOT) | HC_ENC_BIT(HC_ENC_TARGET),
			    HC_ENC_BIT(HC_ENC_COUNT) | HC_ENC_BIT(HC_ENC_WOE)};
	struct hc_err err;
	struct hc_enc_state *st = hc_enc_state_new(p, "click", 2, names, kinds, NULL, &err);

	ck_assert_ptr_nonnull(st);
	return st;
}

static void observe(struct hc_enc_state *st, const char *dev, const char *city,
		    double y)
{
	const char *v[2] = {dev, city};
	size_t l[2] = {strlen(dev), strlen(city)};
	struct hc_err err;

	ck_assert_int_eq(hc_enc_observe(st, v, l, y, NULL, &err), 0);
}

/* The file testdata/encode/train.csv, as rows. */
static void observe_train(struct hc_enc_state *st, int from, int to)
{
	static const struct { const char *d, *c; double y; } rows[] = {
		{"phone", "paris", 1}, {"phone", "rome", 0}, {"tablet", "paris", 1},
		{"desktop", "oslo", 0}, {"phone", "paris", 0}, {"tablet", "rome", 1},
		{"phone", "oslo", NAN}, {"desktop", "paris", 0},
	};

	for (int i = from; i < to; i++)
		observe(st, rows[i].d, rows[i].c, rows[i].y);
}

static uint32_t code_of(const struct hc_enc_state *st, size_t j, const char *v)
{
	return hc_enc_code(&st->cols[j], hc_enc_lookup(st, j, v, strlen(v)));
}

START_TEST(codes_by_frequency_and_first_seen)
{
	struct hc_enc_params p = {.smooth = HC_TE_SMOOTH_AUTO};
	struct hc_enc_state *st = new_state(&p);
	struct hc_err err;

	observe_train(st, 0, 8);
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	/* phone 4, desktop 2, tablet 2 (tie: key order) */
	ck_assert_uint_eq(code_of(st, 0, "phone"), 0);
	ck_assert_uint_eq(code_of(st, 0, "desktop"), 1);
	ck_assert_uint_eq(code_of(st, 0, "tablet"), 2);
	ck_assert_uint_eq(code_of(st, 0, "watch"), 3);
	ck_assert_uint_eq(st->cols[0].bits, 2);
	/* counts, in-sample target encoding, rows and prior */
	ck_assert_uint_eq(hc_enc_count(&st->cols[1], hc_enc_lookup(st, 1, "paris", 5)), 4);
	ck_assert_uint_eq(st->rows, 8);
	ck_assert_uint_eq(st->target_rows, 7);
	ck_assert_double_eq_tol(hc_enc_te(st, &st->cols[0], HC_ENC_UNSEEN), 3.0 / 7, EPS);
	/* first-seen order, min count 2 and at most 2 categories */
	st->p.order = HC_ENC_ORDER_FIRST;
	st->p.min_count = 2;
	st->p.max_categories = 2;
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	/* eligible: phone (4), tablet (2), desktop (2); the top 2 by count
	 * with first-seen ties: phone, tablet; numbered first seen first. */
	ck_assert_uint_eq(code_of(st, 0, "phone"), 0);
	ck_assert_uint_eq(code_of(st, 0, "tablet"), 1);
	ck_assert_uint_eq(code_of(st, 0, "desktop"), 2);
	ck_assert_uint_eq(st->cols[0].ncodes, 2);
	st->p.order = HC_ENC_ORDER_FREQ;
	st->p.min_count = 3;
	st->p.max_categories = 0;
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	ck_assert_uint_eq(st->cols[0].ncodes, 1);
	ck_assert_uint_eq(code_of(st, 0, "tablet"), 1);
	hc_enc_state_free(st);
}
END_TEST

static void serialize(const struct hc_enc_state *st, struct hc_buf *b)
{
	hc_buf_init(b);
	ck_assert_int_eq(hc_enc_serialize(st, b), 0);
}

static struct hc_enc_state *reload(const struct hc_buf *b, struct hc_err *err)
{
	struct hc_cursor cur;

	hc_cursor_init(&cur, b->data, b->len);
	return hc_enc_deserialize(&cur, err);
}

/* Versions 4 and 5 lay out the same state: values in first-seen order,
 * or in table order with first-seen ranks; each reads back into a state
 * that writes both layouts as the original does, so the ranks carry
 * first-seen order through a version 5 file.  A rank given twice is
 * damage. */
START_TEST(layouts_4_and_5)
{
	struct hc_enc_params p = {.smooth = 2, .min_count = 1, .order = HC_ENC_ORDER_FIRST};
	struct hc_enc_state *st = new_state(&p), *r4, *r5;
	struct hc_buf b4, b5, x;
	struct hc_cursor cur;
	struct hc_err err;

	observe_train(st, 0, 8);
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	hc_buf_init(&b4);
	ck_assert_int_eq(hc_enc_serialize_v(st, &b4, 4), 0);
	serialize(st, &b5);
	ck_assert_uint_eq(b5.len, b4.len + 4 * 6); /* a u32 rank per value (3 + 3) */
	ck_assert(memcmp(b4.data, b5.data, b4.len) != 0);
	hc_cursor_init(&cur, b4.data, b4.len);
	r4 = hc_enc_deserialize_v(&cur, 4, &err);
	ck_assert_msg(r4 != NULL, "%s", err.msg);
	ck_assert_ptr_null(r4->cols[0].seen);
	r5 = reload(&b5, &err);
	ck_assert_msg(r5 != NULL, "%s", err.msg);
	ck_assert_ptr_nonnull(r5->cols[0].seen);
	for (size_t j = 0; j < 2; j++) {
		const struct hc_enc_state *r = j ? r5 : r4;
		serialize(r, &x);
		ck_assert(x.len == b5.len && memcmp(x.data, b5.data, x.len) == 0);
		hc_buf_release(&x);
		hc_buf_init(&x);
		ck_assert_int_eq(hc_enc_serialize_v(r, &x, 4), 0);
		ck_assert(x.len == b4.len && memcmp(x.data, b4.data, x.len) == 0);
		hc_buf_release(&x);
		/* first-seen codes recomputed from the ranks */
		ck_assert_int_eq(hc_enc_finalize((struct hc_enc_state *)r, &err), 0);
		ck_assert_uint_eq(code_of(r, 0, "phone"), code_of(st, 0, "phone"));
		ck_assert_uint_eq(code_of(r, 1, "rome"), code_of(st, 1, "rome"));
		ck_assert_uint_eq(code_of(r, 1, "oslo"), code_of(st, 1, "oslo"));
	}
	hc_enc_state_free(r4);
	hc_enc_state_free(r5);
	/* the ranks of a column with one value each: a 0 made a 1 twice */
	{
		const char *names[] = {"d"};
		unsigned kinds[] = {HC_ENC_BIT(HC_ENC_COUNT)};
		struct hc_enc_state *one = hc_enc_state_new(&p, NULL, 1, names, kinds, NULL, &err);
		const char *v[2][1] = {{"a"}, {"b"}};
		size_t l[1] = {1};
		size_t at;

		ck_assert_ptr_nonnull(one);
		for (size_t i = 0; i < 2; i++)
			ck_assert_int_eq(hc_enc_observe(one, v[i], l, NAN, NULL, &err), 0);
		ck_assert_int_eq(hc_enc_finalize(one, &err), 0);
		serialize(one, &x);
		/* the last record: str (4 + 1), u64 count, u32 code, u32 rank */
		at = x.len - 4;
		ck_assert_uint_le(x.data[at], 1);
		x.data[at] ^= 1;
		hc_cursor_init(&cur, x.data, x.len);
		ck_assert_ptr_null(hc_enc_deserialize(&cur, &err));
		ck_assert_str_eq(err.msg, "corrupted encode state: first-seen ranks");
		x.data[at] = 2;
		hc_cursor_init(&cur, x.data, x.len);
		ck_assert_ptr_null(hc_enc_deserialize(&cur, &err));
		ck_assert_str_eq(err.msg, "corrupted encode state: first-seen ranks");
		hc_buf_release(&x);
		hc_enc_state_free(one);
	}
	hc_buf_release(&b4);
	hc_buf_release(&b5);
	hc_enc_state_free(st);
}
END_TEST

START_TEST(round_trip_and_merge)
{
	struct hc_enc_params p = {.smooth = 2, .min_count = 1};
	struct hc_enc_state *whole = new_state(&p), *a = new_state(&p), *b = new_state(&p), *r;
	struct hc_buf bw, ba, bb;
	struct hc_err err;

	observe_train(whole, 0, 8);
	observe_train(a, 0, 3);
	observe_train(b, 3, 8);
	ck_assert_int_eq(hc_enc_finalize(whole, &err), 0);
	ck_assert_int_eq(hc_enc_finalize(a, &err), 0);
	ck_assert_int_eq(hc_enc_finalize(b, &err), 0);
	serialize(whole, &bw);
	r = reload(&bw, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	serialize(r, &ba);
	ck_assert_uint_eq(ba.len, bw.len);
	ck_assert(memcmp(ba.data, bw.data, bw.len) == 0);
	hc_buf_release(&ba);
	hc_enc_state_free(r);
	/* a + b: the same codes, counts and encodings as the whole */
	ck_assert_int_eq(hc_enc_merge(a, b, &err), 0);
	for (size_t j = 0; j < 2; j++) {
		const char *vals[] = {"phone", "tablet", "desktop", "paris", "rome", "oslo", "x"};
		for (size_t i = 0; i < 7; i++) {
			uint32_t iw = hc_enc_lookup(whole, j, vals[i], strlen(vals[i]));
			uint32_t ia = hc_enc_lookup(a, j, vals[i], strlen(vals[i]));
			ck_assert_uint_eq(hc_enc_code(&whole->cols[j], iw), hc_enc_code(&a->cols[j], ia));
			ck_assert_uint_eq(hc_enc_count(&whole->cols[j], iw), hc_enc_count(&a->cols[j], ia));
			ck_assert_double_eq_tol(hc_enc_te(whole, &whole->cols[j], iw), hc_enc_te(a, &a->cols[j], ia), EPS);
		}
	}
	ck_assert_double_eq_tol(hc_enc_woe(whole, &whole->cols[1], hc_enc_lookup(whole, 1, "paris", 5)),
				log((2 + 2 * 3.0 / 7) / (2 + 2 * 4.0 / 7)) - log(0.75), EPS);
	/* different options do not merge */
	b->p.smooth = 3;
	ck_assert_int_eq(hc_enc_merge(a, b, &err), -1);
	ck_assert_str_eq(err.msg, "states were fitted with different options (--smooth, --min-count, --max-categories, --order, --signed-bits)");
	hc_buf_release(&bw);
	hc_enc_state_free(whole);
	hc_enc_state_free(a);
	hc_enc_state_free(b);
	(void)bb;
}
END_TEST

/* Every truncation and a seeded byte-flip loop: a clean error or a valid
 * state, never a crash (the file's CRC catches flips before this). */
START_TEST(corruptions)
{
	struct hc_enc_params p = {.smooth = HC_TE_SMOOTH_AUTO};
	struct hc_enc_state *st = new_state(&p), *r;
	struct hc_buf b;
	struct hc_err err;
	uint64_t rs = 5;

	observe_train(st, 0, 8);
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	serialize(st, &b);
	for (size_t n = 0; n < b.len; n++) {
		struct hc_cursor cur;

		hc_cursor_init(&cur, b.data, n);
		r = hc_enc_deserialize(&cur, &err);
		ck_assert_ptr_null(r);
		ck_assert_msg(strncmp(err.msg, "corrupted encode state: ", 24) == 0, "%s", err.msg);
	}
	for (int t = 0; t < 3000; t++) {
		struct hc_buf c;

		hc_buf_init(&c);
		hc_buf_put(&c, b.data, b.len);
		c.data[th_rand(&rs) % c.len] ^= (unsigned char)(1 + th_rand(&rs) % 255);
		r = reload(&c, &err);
		hc_enc_state_free(r);
		hc_buf_release(&c);
	}
	hc_buf_release(&b);
	hc_enc_state_free(st);
}
END_TEST

/* Sums that pass isfinite but no fit could give are damage: a 0/1
 * target's sum above its rows, a value's row count that is not whole or
 * above the target rows, a sum past what HC_TE_TARGET_MAX allows; each
 * would make an encoding infinite or meaningless. */
START_TEST(impossible_sums)
{
	struct hc_enc_params p = {.smooth = HC_TE_SMOOTH_AUTO};
	struct hc_enc_state *st = new_state(&p), *r;
	struct hc_buf b;
	struct hc_err err;

	observe_train(st, 0, 8);
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	for (int k = 0; k < 5; k++) {
		double save_s = st->target_sum, save_n = st->cols[1].t[0].n;
		double save_vs = st->cols[1].t[0].s;
		switch (k) {
		case 0: st->target_sum = 1e300; break;
		case 1: st->target_sum = -1; break;
		case 2: st->cols[1].t[0].n = 0.5; break;
		case 3: st->cols[1].t[0].n = (double)st->target_rows + 1; break;
		default: st->cols[1].t[0].s = st->cols[1].t[0].n + 1; break;
		}
		serialize(st, &b);
		r = reload(&b, &err);
		ck_assert_msg(r == NULL, "case %d was read", k);
		ck_assert_str_eq(err.msg, k < 2 ? "corrupted encode state: options"
					     : "corrupted encode state: target sums");
		hc_buf_release(&b);
		st->target_sum = save_s;
		st->cols[1].t[0].n = save_n;
		st->cols[1].t[0].s = save_vs;
	}
	/* restored: it reads again */
	serialize(st, &b);
	r = reload(&b, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	hc_enc_state_free(r);
	hc_buf_release(&b);
	hc_enc_state_free(st);
}
END_TEST

/* The plan: columns in file order with the union of their encoders; the
 * hash encoder's buckets per column; the hasher survives a round trip and
 * gives hicard hash's ids (H(s_0, v) mod m, s_0 = H(seed, name)). */
START_TEST(plan_and_hash)
{
	const char *names[] = {"id", "device", "city", "click"};
	struct hc_enc_plan pl = {.p = {.smooth = HC_TE_SMOOTH_AUTO}, .target = "click",
				 .scheme = HC_SCHEME_MOD, .buckets = "16,city=8",
				 .probes = 1, .cutoff = 0.5, .seed = 3};
	struct hc_enc_state *st, *r;
	struct hc_buf b;
	struct hc_err err;
	uint32_t ids[HC_HASH_PROBES_MAX];

	pl.cols[HC_ENC_HASH] = "city,device";
	pl.cols[HC_ENC_COUNT] = "device";
	st = hc_enc_plan_state(&pl, names, 4, &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	ck_assert_uint_eq(st->ncols, 2);
	ck_assert_str_eq(st->cols[0].name, "device");
	ck_assert_uint_eq(st->cols[0].kinds, HC_ENC_BIT(HC_ENC_HASH) | HC_ENC_BIT(HC_ENC_COUNT));
	ck_assert_uint_eq(st->cols[0].buckets, 16);
	ck_assert_uint_eq(st->cols[1].buckets, 8);
	observe_train(st, 0, 8);
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	ck_assert_int_eq(hc_col_hash(&st->cols[1].hasher, "paris", 5, ids), 1);
	ck_assert_uint_eq(ids[0], hc_hash64(hc_hash64(3, "city", 4), "paris", 5) % 8);
	serialize(st, &b);
	r = reload(&b, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_col_hash(&r->cols[1].hasher, "paris", 5, ids), 1);
	ck_assert_uint_eq(ids[0], hc_hash64(hc_hash64(3, "city", 4), "paris", 5) % 8);
	hc_enc_state_free(r);
	hc_buf_release(&b);
	hc_enc_state_free(st);
	/* an unknown column and a bucket spec naming a column not hashed */
	pl.cols[HC_ENC_COUNT] = "nope";
	ck_assert_ptr_null(hc_enc_plan_state(&pl, names, 4, &err));
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	pl.cols[HC_ENC_COUNT] = NULL;
	pl.buckets = "16,id=4";
	ck_assert_ptr_null(hc_enc_plan_state(&pl, names, 4, &err));
}
END_TEST

/* ---- leakage -------------------------------------------------------------- */

struct scored {
	double s;
	int y;
};

static int by_score(const void *pa, const void *pb)
{
	const struct scored *a = pa, *b = pb;

	return a->s < b->s ? -1 : a->s > b->s;
}

/* Area under the ROC curve, ties counted half (Mann-Whitney). */
static double auc(struct scored *v, size_t n)
{
	double pos = 0, rank_sum = 0;

	qsort(v, n, sizeof(*v), by_score);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double avg;

		while (j < n && v[j].s == v[i].s)
			j++;
		avg = (double)(i + 1 + j) / 2;
		for (size_t k = i; k < j; k++)
			if (v[k].y) {
				pos++;
				rank_sum += avg;
			}
		i = j;
	}
	return (rank_sum - pos * (pos + 1) / 2) / (pos * ((double)n - pos));
}

/* 20000 training rows whose id is seen once or twice, labels 30% ones
 * independent of everything; 10000 held-out rows with ids from the same
 * range.  Bounds: the AUC of a useless score over ~6000 positives and
 * ~14000 negatives has a standard deviation of about 0.004, so 0.5 +-
 * 0.03 is seven of them; the in-sample leak measures 0.91 (out of fold 0.49,
 * held out 0.50). */
START_TEST(noise_id_leaks_in_sample_not_out_of_fold)
{
	enum { N = 20000, H = 10000, K = 5 };
	const char *names[] = {"id"};
	unsigned kinds[] = {HC_ENC_BIT(HC_ENC_TARGET)};
	struct hc_enc_params p = {.smooth = HC_TE_SMOOTH_AUTO};
	struct hc_err err;
	struct hc_enc_state *st = hc_enc_state_new(&p, "y", 1, names, kinds, NULL, &err);
	struct hc_te_folds f;
	static char idtxt[N + H][16];
	static int y[N + H];
	static uint32_t ids[N];
	static struct scored sc[N];
	uint64_t rs = 11, next = 0;
	double a_in, a_oof, a_held;

	ck_assert_int_eq(hc_te_folds_init(&f, K, 1, &err), 0);
	for (int r = 0; r < N + H; r++) {
		/* a new id, or (half the time) the previous one again */
		if (r == 0 || r == N || (th_rand(&rs) & 1) || r >= N)
			next++;
		snprintf(idtxt[r], sizeof(idtxt[r]), "%llu",
			 (unsigned long long)(r >= N ? th_rand(&rs) % (next) : next));
		y[r] = th_rand(&rs) % 10 < 3;
	}
	for (int r = 0; r < N; r++) {
		const char *v[1] = {idtxt[r]};
		size_t l[1] = {strlen(idtxt[r])};
		ck_assert_int_eq(hc_enc_observe(st, v, l, y[r], &ids[r], &err), 0);
		ck_assert_int_eq(hc_te_folds_add(&f, ids[r], hc_fold_of(0, (uint64_t)r, K), y[r], &err), 0);
	}
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	for (int r = 0; r < N; r++)
		sc[r] = (struct scored){hc_enc_te(st, &st->cols[0], ids[r]), y[r]};
	a_in = auc(sc, N);
	for (int r = 0; r < N; r++)
		sc[r] = (struct scored){hc_te_folds_value(&f, ids[r], hc_fold_of(0, (uint64_t)r, K),
							  HC_TE_SMOOTH_AUTO, 0), y[r]};
	a_oof = auc(sc, N);
	for (int r = 0; r < H; r++) {
		uint32_t id = hc_enc_lookup(st, 0, idtxt[N + r], strlen(idtxt[N + r]));
		sc[r] = (struct scored){hc_enc_te(st, &st->cols[0], id), y[N + r]};
	}
	a_held = auc(sc, H);
	ck_assert_msg(a_in > 0.85, "in-sample AUC %.4f shows no leak", a_in);
	ck_assert_msg(fabs(a_oof - 0.5) < 0.03, "out-of-fold AUC %.4f", a_oof);
	ck_assert_msg(fabs(a_held - 0.5) < 0.03, "held-out AUC %.4f", a_held);
	hc_te_folds_release(&f);
	hc_enc_state_free(st);
}
END_TEST

/* ---- number text ------------------------------------------------------------ */

static char *real_text(double v)
{
	char *dir = th_tmp_dir(), *path = th_path_join(dir, "o");
	struct hc_err err;
	struct hc_out *o = hc_out_open(path, &err);
	char *s;

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(hc_enc_put_real(o, v), 0);
	ck_assert_int_eq(hc_out_close(o, &err), 0);
	s = th_read_file(path, NULL);
	th_rm_dir(dir);
	free(dir);
	free(path);
	return s;
}

START_TEST(real_numbers_seven_digits)
{
	static const struct { double v; const char *s; } cases[] = {
		{0, "0"}, {1, "1"}, {-2, "-2"}, {0.5, "0.5"}, {3.0 / 7, "0.4285714"},
		{1.0 / 3, "0.3333333"}, {2.0 / 3, "0.6666667"}, {123.456, "123.456"},
		{0.00012345678, "0.0001234568"}, {999999.95, "1000000"}, {0.99999999, "1"},
		{1234567.4, "1234567"}, {-0.25, "-0.25"}, {1e-7, "1e-07"}, {1e20, "1e+20"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = real_text(cases[i].v);
		ck_assert_str_eq(s, cases[i].s);
		free(s);
	}
}
END_TEST

Suite *suite_encode(void)
{
	Suite *s = suite_create("encode");
	TCase *tc = tcase_create("formulas");

	tcase_add_test(tc, global_prior_and_variance);
	tcase_add_test(tc, m_estimate);
	tcase_add_test(tc, empirical_bayes);
	tcase_add_test(tc, weight_of_evidence);
	tcase_add_test(tc, folds_in_range_and_balanced);
	tcase_add_test(tc, out_of_fold_brute_force);
	tcase_add_test(tc, ordered_statistics);
	tcase_add_test(tc, real_numbers_seven_digits);
	suite_add_tcase(s, tc);
	tc = tcase_create("state");
	tcase_add_test(tc, codes_by_frequency_and_first_seen);
	tcase_add_test(tc, round_trip_and_merge);
	tcase_add_test(tc, layouts_4_and_5);
	tcase_add_test(tc, corruptions);
	tcase_add_test(tc, impossible_sums);
	tcase_add_test(tc, plan_and_hash);
	suite_add_tcase(s, tc);
	tc = tcase_create("leakage");
	tcase_add_test(tc, noise_id_leaks_in_sample_not_out_of_fold);
	suite_add_tcase(s, tc);
	return s;
}
