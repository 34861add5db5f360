/* test_encode_classes.c - multiclass one-vs-rest target encoding
 * (--classes): the class list's checks, per-value per-class sums and their
 * smoothing on hand-computed rows, the state's round trip (and the reading
 * of a version 2 payload), merge of shards, and damaged states.  That each
 * class's out-of-fold outputs equal the binary encoding of its indicator
 * is checked end to end in tests/cli/encode_classes.test.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "lib/buf.h"
#include "lib/mem.h"
#include "src/encode_state.h"
#include "src/encode_target.h"
#include "suites.h"

#define EPS 1e-12

/* Classes a, b, c; a column u.  Rows (u, label): x a, x b, y c, y a, z a,
 * x (none), z b: 6 target rows, a 3, b 2, c 1. */
static const struct { const char *u; double y; } rows[] = {
	{"x", 0}, {"x", 1}, {"y", 2}, {"y", 0}, {"z", 0}, {"x", NAN}, {"z", 1},
};

static struct hc_enc_state *new_state(double smooth)
{
	const char *names[] = {"u"};
	unsigned kinds[] = {HC_ENC_BIT(HC_ENC_TARGET) | HC_ENC_BIT(HC_ENC_COUNT)};
	const char *labels[] = {"a", "b", "c"};
	size_t lens[] = {1, 1, 1};
	struct hc_enc_params p = {.smooth = smooth};
	struct hc_err err;
	struct hc_enc_state *st = hc_enc_state_new(&p, "label", 1, names, kinds, NULL, &err);

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(hc_enc_set_classes(st, 3, labels, lens, &err), 0);
	return st;
}

static void observe(struct hc_enc_state *st, int from, int to)
{
	struct hc_err err;

	for (int i = from; i < to; i++) {
		const char *v[1] = {rows[i].u};
		size_t l[1] = {1};

		ck_assert_int_eq(hc_enc_observe(st, v, l, rows[i].y, NULL, &err), 0);
	}
	ck_assert_int_eq(hc_enc_finalize(st, &err), 0);
}

static double te(const struct hc_enc_state *st, const char *v, uint32_t k)
{
	return hc_enc_te_class(st, &st->cols[0], hc_enc_lookup(st, 0, v, strlen(v)), k);
}

START_TEST(class_list_checks)
{
	const char *names[] = {"u"};
	unsigned kinds[] = {HC_ENC_BIT(HC_ENC_TARGET)};
	struct hc_enc_params p = {.smooth = 1};
	const char *labels[HC_ENC_CLASSES_MAX + 1];
	size_t lens[HC_ENC_CLASSES_MAX + 1];
	char txt[HC_ENC_CLASSES_MAX + 1][16];
	struct hc_err err;
	struct hc_enc_state *st;

	for (int k = 0; k <= HC_ENC_CLASSES_MAX; k++) {
		snprintf(txt[k], sizeof(txt[k]), "c%d", k);
		labels[k] = txt[k];
		lens[k] = strlen(txt[k]);
	}
	st = hc_enc_state_new(&p, "label", 1, names, kinds, NULL, &err);
	ck_assert_int_eq(hc_enc_set_classes(st, 0, labels, lens, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg, "--classes: no class given");
	ck_assert_int_eq(hc_enc_set_classes(st, HC_ENC_CLASSES_MAX + 1, labels, lens, &err), -1);
	ck_assert_str_eq(err.msg, "--classes: 65 classes, at most 64");
	lens[1] = 0;
	ck_assert_int_eq(hc_enc_set_classes(st, 3, labels, lens, &err), -1);
	ck_assert_str_eq(err.msg, "--classes: class 2 is empty (an empty target field is a row without a target)");
	lens[1] = 2;
	labels[2] = "c0";
	ck_assert_int_eq(hc_enc_set_classes(st, 3, labels, lens, &err), -1);
	ck_assert_str_eq(err.msg, "--classes: 'c0' is given twice");
	ck_assert_uint_eq(st->nclasses, 0);
	labels[2] = txt[2];
	ck_assert_int_eq(hc_enc_set_classes(st, HC_ENC_CLASSES_MAX, labels, lens, &err), 0);
	ck_assert_uint_eq(st->nclasses, HC_ENC_CLASSES_MAX);
	ck_assert_uint_eq(st->cols[0].ncl, HC_ENC_CLASSES_MAX);
	ck_assert_int_eq(hc_enc_class_of(st, "c63", 3), 63);
	ck_assert_int_eq(hc_enc_class_of(st, "c6", 2), 6);
	ck_assert_int_eq(hc_enc_class_of(st, "c64", 3), -1);
	ck_assert_int_eq(hc_enc_class_of(st, "c", 1), -1);
	hc_enc_state_free(st);
}
END_TEST

/* x: n 2 (a 1, b 1, c 0); y: n 2 (a 1, c 1); z: n 2 (a 1, b 1).  Priors
 * a 1/2, b 1/3, c 1/6. */
START_TEST(per_class_sums_and_m_estimate)
{
	struct hc_enc_state *st = new_state(1);
	const struct hc_enc_col *c = &st->cols[0];
	uint32_t x;

	observe(st, 0, 7);
	x = hc_enc_lookup(st, 0, "x", 1);
	ck_assert_uint_eq(st->target_rows, 6);
	ck_assert_uint_eq(st->rows, 7);
	ck_assert_double_eq(st->class_rows[0], 3);
	ck_assert_double_eq(st->class_rows[1], 2);
	ck_assert_double_eq(st->class_rows[2], 1);
	ck_assert_double_eq(st->target_sum, 0);
	ck_assert_int_eq(st->target_nonbinary, 0);
	ck_assert_double_eq(c->t[x].n, 2);
	ck_assert_double_eq(c->tc[x * 3 + 0], 1);
	ck_assert_double_eq(c->tc[x * 3 + 1], 1);
	ck_assert_double_eq(c->tc[x * 3 + 2], 0);
	ck_assert_uint_eq(hc_enc_count(c, x), 3);
	/* (s_k + p_k) / (n + 1) */
	ck_assert_double_eq_tol(te(st, "x", 0), (1 + 0.5) / 3, EPS);
	ck_assert_double_eq_tol(te(st, "x", 1), (1 + 1.0 / 3) / 3, EPS);
	ck_assert_double_eq_tol(te(st, "x", 2), (0 + 1.0 / 6) / 3, EPS);
	ck_assert_double_eq_tol(te(st, "y", 2), (1 + 1.0 / 6) / 3, EPS);
	/* the classes add up to 1 under an m-estimate */
	ck_assert_double_eq_tol(te(st, "y", 0) + te(st, "y", 1) + te(st, "y", 2), 1, EPS);
	/* unseen: the priors */
	ck_assert_double_eq_tol(te(st, "w", 0), 0.5, EPS);
	ck_assert_double_eq_tol(te(st, "w", 1), 1.0 / 3, EPS);
	ck_assert_double_eq_tol(te(st, "w", 2), 1.0 / 6, EPS);
	hc_enc_state_free(st);
}
END_TEST

/* Auto smoothing of the indicator of class k: the global variance is
 * p_k(1 - p_k).  x, class a: rows 1, 0 (mean 1/2, variance 1/4), p 1/2,
 * v 1/4: lambda = 2/4 / (2/4 + 1/4) = 2/3, te = 1/2.  x, class c: rows
 * 0, 0 (variance 0): lambda 1, te 0.  y, class c: rows 1, 0, p 1/6, v
 * 5/36: lambda = (10/36) / (10/36 + 1/4), te = lambda/2 + (1 - lambda)/6. */
START_TEST(per_class_empirical_bayes)
{
	struct hc_enc_state *st = new_state(HC_TE_SMOOTH_AUTO);
	double lam = (10.0 / 36) / (10.0 / 36 + 0.25);

	observe(st, 0, 7);
	ck_assert_double_eq_tol(te(st, "x", 0), 0.5, EPS);
	ck_assert_double_eq_tol(te(st, "x", 2), 0, EPS);
	ck_assert_double_eq_tol(te(st, "y", 2), lam * 0.5 + (1 - lam) / 6, EPS);
	ck_assert_double_eq_tol(te(st, "w", 2), 1.0 / 6, EPS);
	hc_enc_state_free(st);
}
END_TEST

static void serialize(const struct hc_enc_state *st, struct hc_buf *b)
{
	hc_buf_init(b);
	ck_assert_int_eq(hc_enc_serialize(st, b), 0);
}

static struct hc_enc_state *reload(const struct hc_buf *b, unsigned version,
				   struct hc_err *err)
{
	struct hc_cursor cur;

	hc_cursor_init(&cur, b->data, b->len);
	return hc_enc_deserialize_v(&cur, version, err);
}

/* Round trip byte for byte; and a binary state's version 2 payload (its
 * version 4 layout without the u32 class count after the header's
 * options) reads, and writes back the same. */
START_TEST(round_trip_and_version_2)
{
	struct hc_enc_state *st = new_state(1), *r;
	struct hc_buf b, b2, v2;
	struct hc_err err;
	/* str "label" (4 + 5), u64 x2, f64 x2, u8, f64, u64 x2, u8 x2 */
	size_t at = 9 + 16 + 16 + 1 + 8 + 16 + 2;

	observe(st, 0, 7);
	serialize(st, &b);
	r = reload(&b, HC_ENC_STATE_VERSION, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_uint_eq(r->nclasses, 3);
	ck_assert_str_eq(r->classes[1], "b");
	ck_assert_double_eq_tol(te(r, "y", 2), (1 + 1.0 / 6) / 3, EPS);
	serialize(r, &b2);
	ck_assert_uint_eq(b2.len, b.len);
	ck_assert(memcmp(b.data, b2.data, b.len) == 0);
	hc_buf_release(&b2);
	hc_enc_state_free(r);
	/* the classes block as stored */
	ck_assert_uint_eq(b.data[at], 3);
	hc_buf_release(&b);

	/* a binary state: class count 0 at the same place */
	st->nclasses = 0;
	st->cols[0].ncl = 0;
	for (size_t i = 0; i < 3; i++)
		st->cols[0].t[i].s = st->cols[0].tc[i * 3];
	/* values as versions 1 to 4 lay them out */
	hc_buf_init(&b);
	ck_assert_int_eq(hc_enc_serialize_v(st, &b, 4), 0);
	st->nclasses = 3;
	st->cols[0].ncl = 3;
	ck_assert_uint_eq(b.data[at] | b.data[at + 1] | b.data[at + 2] | b.data[at + 3], 0);
	hc_buf_init(&v2);
	hc_buf_put(&v2, b.data, at);
	hc_buf_put(&v2, b.data + at + 4, b.len - at - 4);
	r = reload(&v2, 2, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_uint_eq(r->nclasses, 0);
	hc_buf_init(&b2);
	ck_assert_int_eq(hc_enc_serialize_v(r, &b2, 4), 0);
	ck_assert_uint_eq(b2.len, b.len);
	ck_assert(memcmp(b.data, b2.data, b.len) == 0);
	hc_enc_state_free(r);
	/* read as version 3, the version 2 payload is damaged */
	ck_assert_ptr_null(reload(&v2, 3, &err));
	hc_buf_release(&b2);
	hc_buf_release(&v2);
	hc_buf_release(&b);
	hc_enc_state_free(st);
}
END_TEST

/* Rows 0..3 and 3..7 in two states: their merge encodes as the whole. */
START_TEST(merge_of_shards)
{
	struct hc_enc_state *w = new_state(HC_TE_SMOOTH_AUTO), *a = new_state(HC_TE_SMOOTH_AUTO),
			    *b = new_state(HC_TE_SMOOTH_AUTO);
	const char *labels[] = {"a", "c", "b"};
	size_t lens[] = {1, 1, 1};
	struct hc_buf bw, ba;
	struct hc_err err;

	observe(w, 0, 7);
	observe(a, 0, 3);
	observe(b, 3, 7);
	ck_assert_int_eq(hc_enc_merge(a, b, &err), 0);
	ck_assert_uint_eq(a->target_rows, 6);
	ck_assert_double_eq(a->class_rows[0], 3);
	for (uint32_t k = 0; k < 3; k++) {
		const char *vals[] = {"x", "y", "z", "w"};

		for (int i = 0; i < 4; i++)
			ck_assert_double_eq_tol(te(a, vals[i], k), te(w, vals[i], k), EPS);
	}
	/* the same first-seen order: the same bytes */
	serialize(w, &bw);
	serialize(a, &ba);
	ck_assert_uint_eq(ba.len, bw.len);
	ck_assert(memcmp(ba.data, bw.data, bw.len) == 0);
	hc_buf_release(&bw);
	hc_buf_release(&ba);
	/* other classes, or their order, do not merge */
	hc_enc_state_free(b);
	b = new_state(HC_TE_SMOOTH_AUTO);
	for (int i = 0; i < 3; i++)
		hc_free(b->classes[i]);
	hc_free(b->classes);
	hc_free(b->class_rows);
	b->classes = NULL;
	b->class_rows = NULL;
	b->nclasses = 0;
	ck_assert_int_eq(hc_enc_set_classes(b, 3, labels, lens, &err), 0);
	observe(b, 3, 5);
	ck_assert_int_eq(hc_enc_merge(a, b, &err), -1);
	ck_assert_str_eq(err.msg, "states have different --classes ('b' and 'c')");
	hc_enc_state_free(w);
	hc_enc_state_free(a);
	hc_enc_state_free(b);
}
END_TEST

/* Truncations fail cleanly; sums no fit could give are refused. */
START_TEST(damaged_states)
{
	struct hc_enc_state *st = new_state(1), *r;
	struct hc_buf b;
	struct hc_err err;
	uint32_t x;

	observe(st, 0, 7);
	serialize(st, &b);
	for (size_t n = 0; n < b.len; n++) {
		struct hc_cursor cur;

		hc_cursor_init(&cur, b.data, n);
		ck_assert_ptr_null(hc_enc_deserialize(&cur, &err));
		ck_assert_msg(strncmp(err.msg, "corrupted encode state: ", 24) == 0, "%s", err.msg);
	}
	hc_buf_release(&b);
	x = hc_enc_lookup(st, 0, "x", 1);
	for (int k = 0; k < 5; k++) {
		static const char *const want[] = {
			"corrupted encode state: target sums", "corrupted encode state: target sums",
			"corrupted encode state: class rows", "corrupted encode state: class rows",
			"corrupted encode state: classes",
		};
		double save = st->cols[0].tc[x * 3 + 2], save_r = st->class_rows[1];
		double save_s = st->target_sum;

		switch (k) {
		case 0: st->cols[0].tc[x * 3 + 2] = 1; break;     /* 3 of 2 rows */
		case 1: st->cols[0].tc[x * 3 + 2] = -0.5; break;
		case 2: st->class_rows[1] = 3; break;             /* 7 of 6 */
		case 3: st->class_rows[1] = 1.5; break;
		default: st->target_sum = 2; break;               /* not 0 */
		}
		serialize(st, &b);
		r = reload(&b, HC_ENC_STATE_VERSION, &err);
		ck_assert_msg(r == NULL, "case %d was read", k);
		ck_assert_str_eq(err.msg, want[k]);
		hc_buf_release(&b);
		st->cols[0].tc[x * 3 + 2] = save;
		st->class_rows[1] = save_r;
		st->target_sum = save_s;
	}
	/* woe has no place in a multiclass state */
	st->cols[0].kinds |= HC_ENC_BIT(HC_ENC_WOE);
	serialize(st, &b);
	ck_assert_ptr_null(reload(&b, HC_ENC_STATE_VERSION, &err));
	ck_assert_str_eq(err.msg, "corrupted encode state: woe settings");
	hc_buf_release(&b);
	hc_enc_state_free(st);
}
END_TEST

Suite *suite_encode_classes(void)
{
	Suite *s = suite_create("encode_classes");
	TCase *tc = tcase_create("classes");

	tcase_add_test(tc, class_list_checks);
	tcase_add_test(tc, per_class_sums_and_m_estimate);
	tcase_add_test(tc, per_class_empirical_bayes);
	tcase_add_test(tc, round_trip_and_version_2);
	tcase_add_test(tc, merge_of_shards);
	tcase_add_test(tc, damaged_states);
	suite_add_tcase(s, tc);
	return s;
}
