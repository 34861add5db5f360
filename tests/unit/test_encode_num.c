/* test_encode_num.c - encode's numeric encoders: standardize, log1p,
 * quantile bins and passthrough against hand-computed values, ties, merge
 * (two halves merged == the whole: moments within 1e-12, bin edges within
 * the sketch's rank error), the state's round trip, its damage checks,
 * which state versions may hold which encoders, and row weights (--weight:
 * the field's bounds, the column's roles, the row written after the
 * target).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/buf.h"
#include "lib/mem.h"
#include "src/encode_emit.h"
#include "src/encode_num.h"
#include "src/encode_plan.h"
#include "src/encode_scan.h"
#include "src/encode_state.h"
#include "src/quantile.h"
#include "suites.h"

#define EPS 1e-12

static void add_all(struct hc_enc_num *u, const double *x, size_t n,
		    size_t batch)
{
	struct hc_err err = {0};

	for (size_t i = 0; i < n; i += batch)
		ck_assert_int_eq(hc_enc_num_add(u, x + i, n - i < batch ? n - i : batch, &err), 0);
	ck_assert_int_eq(hc_enc_num_finalize(u, &err), 0);
}

START_TEST(parse_fields)
{
	double x;

	ck_assert_int_eq(hc_enc_num_parse("", 0, &x), 0);
	ck_assert(isnan(x));
	ck_assert_int_eq(hc_enc_num_parse("-0.5", 4, &x), 0);
	ck_assert_double_eq(x, -0.5);
	ck_assert_int_eq(hc_enc_num_parse("1e100", 5, &x), 0);
	ck_assert_int_eq(hc_enc_num_parse("abc", 3, &x), -1);
	ck_assert_int_eq(hc_enc_num_parse("nan", 3, &x), -1);
	ck_assert_int_eq(hc_enc_num_parse("NaN", 3, &x), -1);
	ck_assert_int_eq(hc_enc_num_parse("-inf", 4, &x), -1);
	ck_assert_int_eq(hc_enc_num_parse("1e101", 5, &x), -1);
	ck_assert_int_eq(hc_enc_num_parse("2x", 1, &x), 0); /* only len bytes */
	ck_assert_double_eq(x, 2);
}
END_TEST

/* 3.5, 2, 7, 2.5, 4, 1, 2 and a missing value: n 7, mean 22/7,
 * m2 = sum x^2 - n mean^2 = 92.5 - 484/7 = 163.5/7, so
 * std(3.5) = (3.5 - 22/7) / sqrt(163.5/49) = 2.5 / sqrt(163.5). */
START_TEST(standardize_by_hand)
{
	const double x[] = {3.5, 2, NAN, 7, 2.5, 4, 1, 2};
	struct hc_enc_num u;

	for (size_t batch = 1; batch <= 8; batch *= 2) {
		hc_enc_num_init(&u, 0, 10, 0);
		add_all(&u, x, 8, batch);
		ck_assert_uint_eq(u.n, 7);
		ck_assert_double_eq_tol(u.mean, 22.0 / 7, EPS);
		ck_assert_double_eq_tol(u.m2, 163.5 / 7, EPS);
		ck_assert_double_eq_tol(hc_enc_num_sd(&u), sqrt(163.5 / 49), EPS);
		ck_assert_double_eq_tol(hc_enc_num_std(&u, 3.5), 2.5 / sqrt(163.5), EPS);
		ck_assert_double_eq_tol(hc_enc_num_std(&u, 22.0 / 7), 0, EPS);
		ck_assert(isnan(hc_enc_num_std(&u, NAN)));
		hc_enc_num_release(&u);
	}
}
END_TEST

/* One value, or all equal: sd 0, and the encoding is x - mean. */
START_TEST(standardize_constant)
{
	const double x[] = {5, 5, 5};
	struct hc_enc_num u;

	hc_enc_num_init(&u, 0, 10, 0);
	add_all(&u, x, 3, 2);
	ck_assert_double_eq(hc_enc_num_sd(&u), 0);
	ck_assert_double_eq(hc_enc_num_std(&u, 5), 0);
	ck_assert_double_eq(hc_enc_num_std(&u, 7.5), 2.5);
	hc_enc_num_release(&u);
}
END_TEST

START_TEST(log1p_values)
{
	ck_assert_double_eq(hc_enc_num_log1p(0), 0);
	ck_assert_double_eq_tol(hc_enc_num_log1p(M_E - 1), 1, EPS);
	ck_assert_double_eq_tol(hc_enc_num_log1p(-0.5), -log(2), EPS);
	ck_assert_double_eq_tol(hc_enc_num_log1p(1e-20), 1e-20, 1e-30);
	ck_assert(isnan(hc_enc_num_log1p(NAN)));
}
END_TEST

/* 1..100, 4 bins: edges are the quantiles 1/4, 2/4, 3/4 = 25, 50, 75
 * (the smallest value with at least that share at or below it); bins
 * are right-closed: (-inf, 25], (25, 50], (50, 75], (75, inf). */
START_TEST(bins_by_hand)
{
	double x[100];
	struct hc_enc_num u;

	for (int i = 0; i < 100; i++)
		x[i] = 100 - i;
	hc_enc_num_init(&u, 1, 4, 7);
	add_all(&u, x, 100, 33);
	ck_assert_uint_eq(u.nedges, 3);
	ck_assert_double_eq(u.edges[0], 25);
	ck_assert_double_eq(u.edges[1], 50);
	ck_assert_double_eq(u.edges[2], 75);
	ck_assert_uint_eq(hc_enc_num_nbins(&u), 4);
	ck_assert_uint_eq(hc_enc_num_bin(&u, -1e9), 0);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 25), 0);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 25.5), 1);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 50), 1);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 51), 2);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 76), 3);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 1e9), 3);
	ck_assert_uint_eq(hc_enc_num_bin(&u, NAN), 4);
	/* every bin holds 25 of the values */
	for (int b = 0; b < 4; b++) {
		int k = 0;

		for (int i = 0; i < 100; i++)
			k += hc_enc_num_bin(&u, x[i]) == (uint32_t)b;
		ck_assert_int_eq(k, 25);
	}
	hc_enc_num_release(&u);
}
END_TEST

/* Ties: 0 six times, then 1, 2, 3, 4; 4 bins: quantiles 0, 0, 2, so the
 * edges are 0 and 2 and there are 3 bins.  An edge at the maximum is
 * dropped: 0 three times and 1 seven times in 2 bins is one bin. */
START_TEST(bins_ties)
{
	const double x[] = {0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
	const double y[] = {1, 0, 1, 1, 0, 1, 1, 0, 1, 1};
	struct hc_enc_num u;

	hc_enc_num_init(&u, 1, 4, 1);
	add_all(&u, x, 10, 10);
	ck_assert_uint_eq(u.nedges, 2);
	ck_assert_double_eq(u.edges[0], 0);
	ck_assert_double_eq(u.edges[1], 2);
	ck_assert_uint_eq(hc_enc_num_nbins(&u), 3);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 0), 0);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 1), 1);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 2), 1);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 4), 2);
	ck_assert_uint_eq(hc_enc_num_bin(&u, NAN), 3);
	hc_enc_num_release(&u);

	hc_enc_num_init(&u, 1, 2, 1);
	add_all(&u, y, 10, 10);
	ck_assert_uint_eq(u.nedges, 0);
	ck_assert_uint_eq(hc_enc_num_nbins(&u), 1);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 0), 0);
	ck_assert_uint_eq(hc_enc_num_bin(&u, 1), 0);
	ck_assert_uint_eq(hc_enc_num_bin(&u, NAN), 1);
	hc_enc_num_release(&u);
}
END_TEST

#define NBIG 200000

/* NBIG distinct values from offset to offset + 3.5, shuffled. */
static double *big_data(double offset)
{
	double *x = hc_mallocarray(NBIG, sizeof(*x));
	uint64_t s = 42;

	ck_assert_ptr_nonnull(x);
	for (size_t i = 0; i < NBIG; i++)
		x[i] = offset + (double)i / NBIG * 3.5;
	for (size_t i = NBIG - 1; i > 0; i--) {
		size_t j = th_rand(&s) % (i + 1);
		double t = x[i];

		x[i] = x[j];
		x[j] = t;
	}
	return x;
}

/* Fits x whole (batches of 4096) and as two halves (batches of 1000
 * and 777) merged; checks the merged moments against the whole's
 * within tol and against two passes in long double. */
static void halves(const double *x, double tol, struct hc_enc_num *whole,
		   struct hc_enc_num *a)
{
	struct hc_enc_num b;
	struct hc_err err = {0};
	long double m = 0, m2 = 0;

	hc_enc_num_init(whole, 1, 10, 3);
	hc_enc_num_init(a, 1, 10, 4);
	hc_enc_num_init(&b, 1, 10, 5);
	add_all(whole, x, NBIG, 4096);
	add_all(a, x, NBIG / 2 + 17, 1000);
	add_all(&b, x + NBIG / 2 + 17, NBIG / 2 - 17, 777);
	ck_assert_int_eq(hc_enc_num_merge(a, &b, &err), 0);
	ck_assert_int_eq(hc_enc_num_finalize(a, &err), 0);
	hc_enc_num_release(&b);
	for (size_t i = 0; i < NBIG; i++)
		m += x[i];
	m /= NBIG;
	for (size_t i = 0; i < NBIG; i++)
		m2 += (x[i] - m) * (x[i] - m);
	ck_assert_uint_eq(a->n, NBIG);
	ck_assert_double_eq_tol(a->mean, whole->mean, 1e-12 * fabs(whole->mean));
	ck_assert_double_eq_tol(a->mean, (double)m, 1e-12 * fabs((double)m));
	ck_assert_double_eq_tol(a->m2, whole->m2, tol * whole->m2);
	ck_assert_double_eq_tol(a->m2, (double)m2, tol * (double)m2);
	ck_assert_double_eq_tol(hc_enc_num_sd(a), hc_enc_num_sd(whole),
				tol * hc_enc_num_sd(whole));
}

/* Two halves merged == the whole: mean and sd within 1e-12; bin edges
 * each within the sketch's rank error of its quantile. */
START_TEST(merge_halves)
{
	double *x = big_data(-1.25);
	struct hc_enc_num whole, a;
	double rank_err;

	halves(x, 1e-12, &whole, &a);
	rank_err = hc_quantile_rank_error(a.q);
	ck_assert(rank_err > 0); /* compacted: not exact */
	ck_assert_uint_eq(a.nedges, 9);
	ck_assert_uint_eq(whole.nedges, 9);
	for (uint32_t i = 0; i < a.nedges; i++) {
		size_t le = 0, lw = 0;

		for (size_t r = 0; r < NBIG; r++) {
			le += x[r] <= a.edges[i];
			lw += x[r] <= whole.edges[i];
		}
		ck_assert_double_le(fabs((double)le / NBIG - (i + 1) / 10.0), rank_err);
		ck_assert_double_le(fabs((double)lw / NBIG - (i + 1) / 10.0), rank_err);
	}
	hc_enc_num_release(&whole);
	hc_enc_num_release(&a);
	hc_free(x);
}
END_TEST

/* Around 1e9 with a spread of 3.5 a sum of squares keeps no digit of the
 * variance (1e18 * 2^-52 is about 200 per value); the moments keep
 * it to the inputs' own resolution (2^-23 of the spread). */
START_TEST(merge_far_from_zero)
{
	double *x = big_data(1e9);
	struct hc_enc_num whole, a;

	halves(x, 1e-9, &whole, &a);
	hc_enc_num_release(&whole);
	hc_enc_num_release(&a);
	hc_free(x);
}
END_TEST

START_TEST(merge_refuses_other_bins)
{
	struct hc_enc_num a, b;
	struct hc_err err = {0};

	hc_enc_num_init(&a, 1, 4, 0);
	hc_enc_num_init(&b, 1, 5, 0);
	ck_assert_int_eq(hc_enc_num_merge(&a, &b, &err), -1);
	ck_assert_str_eq(err.msg, "states bin it differently (--nbins 4 and 5)");
}
END_TEST

/* A state's round trip keeps every number; damage is refused. */
START_TEST(state_round_trip)
{
	const char *names[] = {"price", "city"};
	const unsigned kinds[] = {
		HC_ENC_BIT(HC_ENC_STANDARDIZE) | HC_ENC_BIT(HC_ENC_LOG1P) | HC_ENC_BIT(HC_ENC_BINS),
		HC_ENC_BIT(HC_ENC_COUNT) | HC_ENC_BIT(HC_ENC_BINS),
	};
	const char *rows[][2] = {
		{"3.5", "1"}, {"2", "2"}, {"", "2"}, {"7", "3"}, {"2.5", "10"},
	};
	struct hc_enc_params p = {0};
	struct hc_err err = {0};
	struct hc_enc_state *st = hc_enc_state_new(&p, NULL, 2, names, kinds, NULL, &err), *back;
	struct hc_buf b;
	struct hc_cursor cur;
	uint32_t ids[2];

	ck_assert_ptr_nonnull(st);
	st->cols[0].num->nbins = 3;
	for (int r = 0; r < 5; r++) {
		size_t l[2] = {strlen(rows[r][0]), strlen(rows[r][1])};

		ck_assert_int_eq(hc_enc_observe(st, rows[r], l, NAN, ids, &err), 0);
		ck_assert_uint_eq(ids[0], HC_ENC_UNSEEN); /* no vocabulary */
	}
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	ck_assert_uint_eq(hc_strmap_count(&st->cols[0].vocab), 0);
	ck_assert_uint_eq(hc_strmap_count(&st->cols[1].vocab), 4);
	ck_assert_uint_eq(st->cols[0].num->n, 4);
	ck_assert_double_eq_tol(st->cols[0].num->mean, 3.75, EPS);
	hc_buf_init(&b);
	ck_assert_int_eq(hc_enc_serialize(st, &b), 0);
	hc_cursor_init(&cur, b.data, b.len);
	back = hc_enc_deserialize(&cur, &err);
	ck_assert_msg(back != NULL, "%s", err.msg);
	for (int j = 0; j < 2; j++) {
		const struct hc_enc_num *u = st->cols[j].num, *v = back->cols[j].num;

		ck_assert_uint_eq(u->n, v->n);
		ck_assert_double_eq(u->mean, v->mean);
		ck_assert_double_eq(u->m2, v->m2);
		ck_assert_uint_eq(u->nbins, v->nbins);
		ck_assert_uint_eq(u->nedges, v->nedges);
		for (uint32_t i = 0; i < u->nedges; i++)
			ck_assert_double_eq(u->edges[i], v->edges[i]);
	}
	ck_assert_uint_eq(back->cols[0].num->nbins, 3);
	ck_assert_uint_eq(back->cols[1].num->nbins, HC_ENC_NBINS_DEFAULT);
	/* merged with itself: counts double, mean and sd stay */
	ck_assert_int_eq(hc_enc_merge(back, st, &err), 0);
	ck_assert_uint_eq(back->cols[0].num->n, 8);
	ck_assert_double_eq_tol(back->cols[0].num->mean, 3.75, EPS);
	ck_assert_double_eq_tol(hc_enc_num_sd(back->cols[0].num),
				hc_enc_num_sd(st->cols[0].num), EPS);
	hc_enc_state_free(back);
	/* every truncation fails cleanly */
	for (size_t cut = 0; cut < b.len; cut++) {
		hc_cursor_init(&cur, b.data, cut);
		ck_assert_ptr_null(hc_enc_deserialize(&cur, &err));
	}
	hc_buf_release(&b);
	hc_enc_state_free(st);
}
END_TEST

/* The numeric section is refused when its numbers cannot come from a
 * fit: more numbers than rows, a negative m2. */
START_TEST(state_damage)
{
	struct hc_enc_num u;
	struct hc_buf b;
	struct hc_cursor cur;
	struct hc_err err = {0};

	hc_buf_init(&b);
	hc_buf_put_u64(&b, 9);
	hc_buf_put_f64(&b, 1);
	hc_buf_put_f64(&b, 1);
	hc_cursor_init(&cur, b.data, b.len);
	ck_assert_int_eq(hc_enc_num_load(&u, &cur, 0, 8, &err), -1);
	ck_assert_str_eq(err.msg, "corrupted encode state: numeric statistics");
	hc_enc_num_release(&u);
	hc_buf_release(&b);
	hc_buf_init(&b);
	hc_buf_put_u64(&b, 2);
	hc_buf_put_f64(&b, 1);
	hc_buf_put_f64(&b, -1);
	hc_cursor_init(&cur, b.data, b.len);
	ck_assert_int_eq(hc_enc_num_load(&u, &cur, 0, 8, &err), -1);
	hc_enc_num_release(&u);
	hc_buf_release(&b);
	hc_buf_init(&b);
	hc_buf_put_u64(&b, 2);
	hc_buf_put_f64(&b, 1);
	hc_buf_put_f64(&b, 1);
	hc_buf_put_u32(&b, 1); /* one bin */
	hc_buf_put_u8(&b, 0);
	hc_cursor_init(&cur, b.data, b.len);
	ck_assert_int_eq(hc_enc_num_load(&u, &cur, 1, 8, &err), -1);
	hc_enc_num_release(&u);
	hc_buf_release(&b);
}
END_TEST

/* A value that is not a number stops hc_enc_observe. */
START_TEST(observe_refuses_text)
{
	const char *names[] = {"price"};
	const unsigned kinds[] = {HC_ENC_BIT(HC_ENC_STANDARDIZE)};
	const char *row[] = {"abc"};
	size_t len = 3;
	struct hc_enc_params p = {0};
	struct hc_err err = {0};
	struct hc_enc_state *st = hc_enc_state_new(&p, NULL, 1, names, kinds, NULL, &err);

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(hc_enc_observe(st, row, &len, NAN, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "column 'price': 'abc' is not a number");
	hc_enc_state_free(st);
}
END_TEST

/* A serialised state with the given encoders on one column "x" fed the
 * numbers 1, 2 and 4. */
static void state_bytes(unsigned kinds, struct hc_buf *b)
{
	const char *names[] = {"x"};
	const char *rows[] = {"1", "2", "4"};
	struct hc_enc_params p = {0};
	struct hc_err err = {0};
	struct hc_enc_state *st = hc_enc_state_new(&p, NULL, 1, names, &kinds, NULL, &err);

	ck_assert_ptr_nonnull(st);
	for (int r = 0; r < 3; r++) {
		size_t l = strlen(rows[r]);

		ck_assert_int_eq(hc_enc_observe(st, &rows[r], &l, NAN, NULL, &err), 0);
	}
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
	hc_buf_init(b);
	ck_assert_int_eq(hc_enc_serialize(st, b), 0);
	hc_enc_state_free(st);
}

static struct hc_enc_state *load_v(const struct hc_buf *b, unsigned version,
				   struct hc_err *err)
{
	struct hc_cursor cur;

	hc_cursor_init(&cur, b->data, b->len);
	return hc_enc_deserialize_v(&cur, version, err);
}

/* The payload of b as a version 1 or 2 file holds it: without the u32
 * classes count L (0 here), which follows the 63 bytes of a header
 * without a target (src/encode_state.c). */
static void drop_classes(struct hc_buf *b)
{
	uint32_t L;

	ck_assert_uint_gt(b->len, 67);
	memcpy(&L, b->data + 63, 4);
	ck_assert_uint_eq(L, 0);
	memmove(b->data + 63, b->data + 67, b->len - 67);
	b->len -= 4;
}

/* passthrough (version 4): its column keeps the moments like the other
 * numeric encoders and round-trips; a file of version 3 or older that
 * names it is corrupted (it did not exist then), as is a version 1 file
 * naming any numeric encoder, while the same payloads without them read
 * under the versions that had them. */
START_TEST(state_passthrough_versions)
{
	const unsigned pass = HC_ENC_BIT(HC_ENC_PASSTHROUGH);
	const unsigned std = HC_ENC_BIT(HC_ENC_STANDARDIZE);
	struct hc_err err = {0};
	struct hc_enc_state *st;
	struct hc_buf b;

	ck_assert_str_eq(hc_enc_kind_name(HC_ENC_PASSTHROUGH), "passthrough");
	ck_assert(HC_ENC_NUM_KINDS & pass);
	ck_assert(!(HC_ENC_VOCAB_KINDS & pass));
	ck_assert_int_eq(HC_ENC_STATE_VERSION, 5);
	state_bytes(pass | std, &b);
	st = load_v(&b, HC_ENC_STATE_VERSION, &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	ck_assert_uint_eq(st->cols[0].kinds, pass | std);
	ck_assert_uint_eq(st->cols[0].num->n, 3);
	ck_assert_double_eq_tol(st->cols[0].num->mean, 7.0 / 3, EPS);
	ck_assert_uint_eq(hc_strmap_count(&st->cols[0].vocab), 0);
	hc_enc_state_free(st);
	ck_assert_ptr_null(load_v(&b, 3, &err));
	ck_assert_str_eq(err.msg, "corrupted encode state: column header");
	drop_classes(&b);
	for (unsigned v = 1; v <= 2; v++) {
		ck_assert_ptr_null(load_v(&b, v, &err));
		ck_assert_str_eq(err.msg, "corrupted encode state: column header");
	}
	hc_buf_release(&b);
	/* passthrough alone: a column with the section and nothing else */
	state_bytes(pass, &b);
	st = load_v(&b, HC_ENC_STATE_VERSION, &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	ck_assert_ptr_nonnull(st->cols[0].num);
	ck_assert(!st->cols[0].num->bins);
	hc_enc_state_free(st);
	hc_buf_release(&b);
	/* standardize alone: versions 3 to 5 read the payload (it has no
	 * values), version 2 reads it without the classes count, version 1
	 * never had it */
	state_bytes(std, &b);
	for (unsigned v = 5; v >= 2; v--) {
		if (v == 2)
			drop_classes(&b);
		st = load_v(&b, v, &err);
		ck_assert_msg(st != NULL, "version %u: %s", v, err.msg);
		ck_assert_uint_eq(st->cols[0].kinds, std);
		ck_assert_uint_eq(st->cols[0].num->n, 3);
		hc_enc_state_free(st);
	}
	ck_assert_ptr_null(load_v(&b, 1, &err));
	ck_assert_str_eq(err.msg, "corrupted encode state: column header");
	hc_buf_release(&b);
}
END_TEST

/* Row weights: a number from 0 to 1e38, never missing; -0 is 0. */
START_TEST(weight_fields)
{
	static const char *const bad[] = {
		"", "abc", "nan", "NaN", "-1", "-1e-300", "inf", "-inf", "1e39",
		"1e400", " 1", "1 ",
	};
	double w;

	ck_assert_int_eq(hc_enc_weight_parse("1", 1, &w), 0);
	ck_assert_double_eq(w, 1);
	ck_assert_int_eq(hc_enc_weight_parse("0.25", 4, &w), 0);
	ck_assert_double_eq(w, 0.25);
	ck_assert_int_eq(hc_enc_weight_parse("1e38", 4, &w), 0);
	ck_assert_double_eq(w, 1e38);
	ck_assert(isfinite((float)w)); /* what a frame stores */
	ck_assert_int_eq(hc_enc_weight_parse("-0", 2, &w), 0);
	ck_assert(w == 0 && !signbit(w));
	ck_assert_int_eq(hc_enc_weight_parse("2x", 1, &w), 0); /* only len bytes */
	ck_assert_double_eq(w, 2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(hc_enc_weight_parse(bad[i], strlen(bad[i]), &w) == -1,
			      "'%s' taken as a weight", bad[i]);
}
END_TEST

/* The weight column's roles (not encoded, not the target, not kept:
 * usage errors), then apply writing it after the target, as a number. */
START_TEST(weight_layout_and_rows)
{
	char *csv_path = th_tmp_str("id,x,y,w\n1,a,1,2\n2,b,0,-0\n3,a,1,1e38\n");
	char *dir = th_tmp_dir(), *out_path = th_path_join(dir, "o");
	const char *names[] = {"x"};
	const unsigned kinds[] = {HC_ENC_BIT(HC_ENC_COUNT)};
	static const struct { const char *weight, *keep, *msg; } roles[] = {
		{"x", NULL, "column 'x' is encoded; it cannot also be the --weight column"},
		{"y", NULL, "column 'y' is the target; it cannot also be the --weight column"},
		{"4", "id,w", "column 'w' is the --weight column; --keep cannot name it too (it is written once, after the target)"},
	};
	struct hc_csv_opts copts = {.delim = ','};
	struct hc_enc_params p = {0};
	struct hc_err err = {0};
	struct hc_enc_state *st = hc_enc_state_new(&p, "y", 1, names, kinds, NULL, &err);
	struct hc_csv_reader *csv;
	struct hc_enc_layout l;
	struct hc_enc_writer *w;
	struct hc_out *out;
	const char *keep[] = {"id"};
	char *text;

	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(csv = hc_csv_open(csv_path, &copts, &err));
	ck_assert_int_eq(hc_enc_layout_init(&l, st, csv, NULL, 1, &err), 0);
	ck_assert_int_eq(l.weight, -1);
	ck_assert_int_eq(hc_enc_fit(st, csv, &l, NULL, NULL, &err), 0);
	hc_enc_layout_release(&l);
	hc_csv_close(csv);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		ck_assert_ptr_nonnull(csv = hc_csv_open(csv_path, &copts, &err));
		ck_assert_int_eq(hc_enc_layout_init(&l, st, csv, roles[i].keep, 0, &err), 0);
		ck_assert_int_eq(hc_enc_layout_weight(&l, st, csv, roles[i].weight, &err), -1);
		ck_assert_int_eq(err.kind, HC_ERR_USAGE);
		ck_assert_str_eq(err.msg, roles[i].msg);
		ck_assert_int_eq(l.weight, -1);
		hc_enc_layout_release(&l);
		hc_csv_close(csv);
	}
	ck_assert_ptr_nonnull(csv = hc_csv_open(csv_path, &copts, &err));
	ck_assert_int_eq(hc_enc_layout_init(&l, st, csv, "id", 0, &err), 0);
	ck_assert_int_eq(hc_enc_layout_weight(&l, st, csv, "w", &err), 0);
	ck_assert_int_eq(l.weight, 3);
	ck_assert_ptr_nonnull(out = hc_out_open(out_path, &err));
	/* libsvm has no place for it */
	ck_assert_ptr_null(hc_enc_writer_open(out, HC_ENC_FMT_LIBSVM, st, 0, NULL, 1, "w", 0, NULL, &err));
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_ptr_nonnull(w = hc_enc_writer_open(out, HC_ENC_FMT_CSV, st, 1, keep, 1, "w", 0, NULL, &err));
	ck_assert_int_eq(hc_enc_apply(st, csv, &l, NULL, w, NULL, &err), 0);
	ck_assert_int_eq(hc_enc_writer_close(w, &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	text = th_read_file(out_path, NULL);
	ck_assert_str_eq(text, "id,y,w,x_count\n1,1,2,2\n2,0,0,1\n3,1,1e+38,2\n");
	free(text);
	hc_enc_layout_release(&l);
	hc_csv_close(csv);
	hc_enc_state_free(st);
	th_rm_dir(dir);
	unlink(csv_path);
	free(csv_path);
	free(dir);
	free(out_path);
}
END_TEST

/* --nbins: N for all, NAME=N for one; seeds follow the plan's. */
START_TEST(plan_nbins)
{
	const char *names[] = {"id", "price", "score"};
	struct hc_enc_plan o = {0};
	struct hc_err err = {0};
	struct hc_enc_state *st;

	o.cols[HC_ENC_BINS] = "price,score";
	o.cols[HC_ENC_STANDARDIZE] = "id";
	o.nbins = "score=3,4";
	o.seed = 100;
	st = hc_enc_plan_state(&o, names, 3, &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	ck_assert_uint_eq(st->ncols, 3);
	ck_assert(!st->cols[0].num->bins);
	ck_assert_uint_eq(st->cols[1].num->nbins, 4);
	ck_assert_uint_eq(st->cols[2].num->nbins, 3);
	ck_assert_uint_eq(st->cols[2].num->seed, 102);
	hc_enc_state_free(st);
	o.nbins = "price=0";
	ck_assert_ptr_null(hc_enc_plan_state(&o, names, 3, &err));
	ck_assert_str_eq(err.msg, "--nbins: '0' is not a number of bins from 2 to 1000");
	o.nbins = "id=5";
	ck_assert_ptr_null(hc_enc_plan_state(&o, names, 3, &err));
	ck_assert_str_eq(err.msg, "--nbins names 'id', which is not a --bins column");
	o.nbins = "12x";
	ck_assert_ptr_null(hc_enc_plan_state(&o, names, 3, &err));
}
END_TEST

Suite *suite_encode_num(void)
{
	Suite *s = suite_create("encode_num");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_fields);
	tcase_add_test(tc, standardize_by_hand);
	tcase_add_test(tc, standardize_constant);
	tcase_add_test(tc, log1p_values);
	tcase_add_test(tc, bins_by_hand);
	tcase_add_test(tc, bins_ties);
	tcase_add_test(tc, merge_halves);
	tcase_add_test(tc, merge_far_from_zero);
	tcase_add_test(tc, merge_refuses_other_bins);
	tcase_add_test(tc, state_round_trip);
	tcase_add_test(tc, state_damage);
	tcase_add_test(tc, observe_refuses_text);
	tcase_add_test(tc, plan_nbins);
	tcase_add_test(tc, state_passthrough_versions);
	tcase_add_test(tc, weight_fields);
	tcase_add_test(tc, weight_layout_and_rows);
	suite_add_tcase(s, tc);
	return s;
}
