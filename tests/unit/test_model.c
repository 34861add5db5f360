/* test_model.c - train/predict cores: models learn planted structure,
 * determinism, divergence, model files (round trip, quantization,
 * corruption), binding to frames, mf catalogues and retrieval
 *
 * Frames are written with the frame writer to a temporary file and read
 * back through hc_dataset_load, as train does.  Data are drawn from
 * th_rand with fixed seeds; thresholds are far from what the models
 * reach (stated per test) so that they test learning, not luck.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lib/frame.h"
#include "lib/mem.h"
#include "src/catalogue.h"
#include "src/evaluate.h"
#include "src/metrics.h"
#include "src/model_file.h"
#include "src/retrieval.h"
#include "src/train.h"
#include "suites.h"

/* ---- building frames ------------------------------------------------------ */

struct fb {
	char *dir, *path;
	struct hc_out *out;
	struct hc_frame_schema s;
	struct hc_frame_writer *w;
};

static void fb_start(struct fb *f)
{
	struct hc_err err = {0};

	f->dir = th_tmp_dir();
	f->path = th_path_join(f->dir, "f.hcb");
	ck_assert_int_eq(hc_frame_schema_init(&f->s, &err), 0);
}

static cJSON *fb_col(struct fb *f, const char *name, enum hc_frame_kind k,
		     uint32_t arity, uint64_t space)
{
	struct hc_err err = {0};
	cJSON *o = hc_frame_schema_add(&f->s, name, k, arity, space, &err);

	ck_assert_msg(o != NULL, "%s", err.msg);
	return o;
}

static void fb_open(struct fb *f)
{
	struct hc_err err = {0};

	f->out = hc_out_open(f->path, &err);
	ck_assert_ptr_nonnull(f->out);
	f->w = hc_frame_writer_open(f->out, &f->s, &err);
	ck_assert_msg(f->w != NULL, "%s", err.msg);
}

static void fb_ids(struct fb *f, size_t col, const uint32_t *ids, size_t n)
{
	struct hc_err err = {0};
	ck_assert_msg(hc_frame_put_ids(f->w, col, ids, n, &err) == 0, "%s", err.msg);
}

static void fb_num(struct fb *f, size_t col, float v)
{
	struct hc_err err = {0};
	ck_assert_msg(hc_frame_put_num(f->w, col, v, &err) == 0, "%s", err.msg);
}

static void fb_end_row(struct fb *f)
{
	struct hc_err err = {0};
	ck_assert_msg(hc_frame_end_row(f->w, &err) == 0, "%s", err.msg);
}

/* Closes the writer and loads the frame into d. */
static void fb_load(struct fb *f, struct hc_dataset *d)
{
	struct hc_err err = {0};
	struct hc_in *in;
	struct hc_frame_reader *r;

	ck_assert_int_eq(hc_frame_writer_close(f->w, &err), 0);
	ck_assert_int_eq(hc_out_close(f->out, &err), 0);
	in = hc_in_open(f->path, &err);
	ck_assert_ptr_nonnull(in);
	r = hc_frame_reader_open(in, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_msg(hc_dataset_load(d, r, &err) == 0, "%s", err.msg);
	hc_frame_reader_close(r);
	hc_in_close(in);
	hc_frame_schema_release(&f->s);
	th_rm_dir(f->dir);
	free(f->dir);
	free(f->path);
}

/* label, a (space 20), b (space 20): label = 1 when a < 10 xor b < 10,
 * flipped for 5% of rows.  Logreg cannot see an xor (AUC about 0.5);
 * fm can. */
static void make_xor(struct hc_dataset *d, size_t n, uint64_t seed)
{
	struct fb f;

	fb_start(&f);
	fb_col(&f, "y", HC_KIND_LABEL, 1, 0);
	fb_col(&f, "a", HC_KIND_CAT, 1, 20);
	fb_col(&f, "b", HC_KIND_CAT, 1, 20);
	fb_open(&f);
	for (size_t i = 0; i < n; i++) {
		uint32_t a = (uint32_t)(th_rand(&seed) % 20), b = (uint32_t)(th_rand(&seed) % 20);
		int y = (a < 10) != (b < 10);
		if (th_rand(&seed) % 100 < 5)
			y = !y;
		fb_num(&f, 0, (float)y);
		fb_ids(&f, 1, &a, 1);
		fb_ids(&f, 2, &b, 1);
		fb_end_row(&f);
	}
	fb_load(&f, d);
}

/* label = 1 with probability sigmoid(w[a] + w[b]), w[i] = (i - 50) / 15:
 * a logistic model logreg can fit exactly. */
static void make_logistic(struct hc_dataset *d, size_t n, uint64_t seed)
{
	struct fb f;

	fb_start(&f);
	fb_col(&f, "y", HC_KIND_LABEL, 1, 0);
	fb_col(&f, "a", HC_KIND_CAT, 1, 100);
	fb_col(&f, "b", HC_KIND_CAT, 2, 100);
	fb_open(&f);
	for (size_t i = 0; i < n; i++) {
		uint32_t a = (uint32_t)(th_rand(&seed) % 100), b[2];
		b[0] = (uint32_t)(th_rand(&seed) % 100);
		b[1] = (b[0] * 7 + 3) % 100;
		double z = (a - 50.0) / 15 + (b[0] - 50.0) / 15;
		double p = 1 / (1 + exp(-z));
		double u = (double)(th_rand(&seed) >> 11) / 9007199254740992.0;
		fb_num(&f, 0, u < p ? 1.0f : 0.0f);
		fb_ids(&f, 1, &a, 1);
		fb_ids(&f, 2, b, 2);
		fb_end_row(&f);
	}
	fb_load(&f, d);
}

static struct hc_model_opts opts_for(enum hc_model_kind k, enum hc_optim o,
				     float lr)
{
	struct hc_model_opts mo = {0};

	mo.kind = k;
	mo.task = HC_TASK_BINARY;
	mo.dim = 8;
	mo.sgd.optim = o;
	mo.sgd.lr = lr;
	mo.sgd.beta = 1;
	mo.sgd.beta1 = 0.9f;
	mo.sgd.beta2 = 0.999f;
	mo.sgd.eps = 1e-6f;
	mo.init_std = k == HC_MODEL_MF ? 0.1 : 0.05;
	mo.seed = 7;
	return mo;
}

static void train_ok(struct hc_model *m, const struct hc_dataset *d,
		     const struct hc_model_opts *mo, uint64_t epochs)
{
	struct hc_train_opts to = {.epochs = epochs, .negatives = 1};
	struct hc_err err = {0};
	cJSON *log = cJSON_CreateObject();

	ck_assert_msg(hc_model_init(m, &d->schema, mo, 1, &err) == 0, "%s", err.msg);
	ck_assert_msg(hc_train(m, d, NULL, &to, NULL, NULL, NULL, log, &err) == 0, "%s", err.msg);
	cJSON_Delete(log);
}

static double metric_of(const struct hc_model *m, const struct hc_dataset *d,
			const char *name)
{
	struct hc_metric_spec spec[4];
	size_t n, bind[8];
	long l, w;
	struct hc_err err = {0};
	cJSON *o = cJSON_CreateObject();
	double v;

	ck_assert_int_eq(hc_metrics_parse(name, spec, &n, &err), 0);
	ck_assert_msg(hc_model_bind(m, &d->schema, bind, &l, &w, &err) == 0, "%s", err.msg);
	ck_assert_msg(hc_evaluate(m, d, bind, spec, n, NULL, NULL, 0, NULL, o, &err) == 0, "%s", err.msg);
	v = cJSON_GetNumberValue(o->child);
	cJSON_Delete(o);
	return v;
}

/* ---- learning ------------------------------------------------------------ */

/* The generating model's own AUC on such data is about 0.91; 0.85 leaves
 * room for noise and short training. */
START_TEST(test_logreg_learns)
{
	struct hc_dataset tr, te;
	struct hc_model m;
	enum hc_optim opt[] = {HC_OPTIM_ADAGRAD, HC_OPTIM_FTRL, HC_OPTIM_ADAM};
	float lr[] = {0.1f, 0.1f, 0.01f};

	make_logistic(&tr, 20000, 1);
	make_logistic(&te, 5000, 2);
	for (int i = 0; i < 3; i++) {
		struct hc_model_opts mo = opts_for(HC_MODEL_LOGREG, opt[i], lr[i]);
		train_ok(&m, &tr, &mo, 3);
		double auc = metric_of(&m, &te, "auc");
		ck_assert_msg(auc > 0.85, "optimizer %d: auc %g", i, auc);
		hc_model_release(&m);
	}
	hc_dataset_release(&tr);
	hc_dataset_release(&te);
}
END_TEST

START_TEST(test_fm_beats_logreg_on_xor)
{
	struct hc_dataset tr, te;
	struct hc_model m;
	struct hc_model_opts lo = opts_for(HC_MODEL_LOGREG, HC_OPTIM_ADAGRAD, 0.1f);
	struct hc_model_opts fo = opts_for(HC_MODEL_FM, HC_OPTIM_ADAGRAD, 0.05f);
	double a_lr, a_fm;

	make_xor(&tr, 20000, 3);
	make_xor(&te, 5000, 4);
	train_ok(&m, &tr, &lo, 5);
	a_lr = metric_of(&m, &te, "auc");
	hc_model_release(&m);
	train_ok(&m, &tr, &fo, 10);
	a_fm = metric_of(&m, &te, "auc");
	hc_model_release(&m);
	/* xor: logreg near 0.5, fm near 0.95 (5% noise). */
	ck_assert_msg(a_lr < 0.6, "logreg auc %g", a_lr);
	ck_assert_msg(a_fm > 0.9, "fm auc %g", a_fm);
	hc_dataset_release(&tr);
	hc_dataset_release(&te);
}
END_TEST

START_TEST(test_regression)
{
	struct fb f;
	struct hc_dataset d;
	struct hc_model m;
	struct hc_model_opts mo = opts_for(HC_MODEL_LOGREG, HC_OPTIM_ADAGRAD, 0.5f);
	uint64_t seed = 5;

	fb_start(&f);
	fb_col(&f, "y", HC_KIND_LABEL, 1, 0);
	fb_col(&f, "a", HC_KIND_CAT, 1, 4);
	fb_col(&f, "x", HC_KIND_NUM, 1, 0);
	fb_open(&f);
	for (int i = 0; i < 4000; i++) {
		uint32_t a = (uint32_t)(th_rand(&seed) % 4);
		float x = (float)(th_rand(&seed) % 1000) / 500.0f - 1.0f;
		fb_num(&f, 0, 3.0f * (float)a + 2.0f * x + 1.0f);
		fb_ids(&f, 1, &a, 1);
		fb_num(&f, 2, x);
		fb_end_row(&f);
	}
	fb_load(&f, &d);
	ck_assert_int_eq(hc_train_task(&d), HC_TASK_REGRESSION);
	mo.task = HC_TASK_REGRESSION;
	train_ok(&m, &d, &mo, 20);
	/* Noise-free: the fit should be close; labels span 0 .. 12. */
	double rmse = metric_of(&m, &d, "rmse");
	ck_assert_msg(rmse < 0.1, "rmse %g", rmse);
	hc_model_release(&m);
	hc_dataset_release(&d);
}
END_TEST

/* Two runs with one thread and one seed: the same parameters, bit for
 * bit; another seed: others. */
START_TEST(test_deterministic)
{
	struct hc_dataset d;
	struct hc_model a, b, c;
	struct hc_model_opts mo = opts_for(HC_MODEL_FM, HC_OPTIM_ADAGRAD, 0.05f);

	make_xor(&d, 10000, 6);
	train_ok(&a, &d, &mo, 2);
	train_ok(&b, &d, &mo, 2);
	mo.seed = 8;
	train_ok(&c, &d, &mo, 2);
	for (size_t t = 0; t < a.ntables; t++) {
		size_t n = (size_t)a.tables[t].rows * a.tables[t].width * 4;
		ck_assert(memcmp(a.tables[t].w, b.tables[t].w, n) == 0);
		ck_assert(memcmp(a.tables[t].w, c.tables[t].w, n) != 0);
	}
	hc_model_release(&a);
	hc_model_release(&b);
	hc_model_release(&c);
	hc_dataset_release(&d);
}
END_TEST

START_TEST(test_ftrl_l1_sparsity)
{
	struct hc_dataset d;
	struct hc_model m;
	struct hc_model_opts mo = opts_for(HC_MODEL_LOGREG, HC_OPTIM_FTRL, 0.1f);
	size_t zeros = 0;

	make_xor(&d, 5000, 9);
	mo.sgd.l1 = 50;
	train_ok(&m, &d, &mo, 2);
	/* xor gives no linear signal: strong L1 zeroes every weight. */
	for (size_t t = 0; t < m.ntables; t++)
		for (uint64_t r = 0; r < m.tables[t].rows; r++)
			zeros += m.tables[t].w[r] == 0.0f;
	ck_assert_uint_eq(zeros, 40);
	hc_model_release(&m);
	hc_dataset_release(&d);
}
END_TEST

START_TEST(test_divergence)
{
	struct hc_dataset d;
	struct hc_model m;
	struct hc_model_opts mo = opts_for(HC_MODEL_FM, HC_OPTIM_ADAM, 1e30f);
	struct hc_train_opts to = {.epochs = 5, .negatives = 1};
	struct hc_err err = {0};
	cJSON *log = cJSON_CreateObject();

	make_xor(&d, 5000, 10);
	mo.init_std = 1e18;
	ck_assert_int_eq(hc_model_init(&m, &d.schema, &mo, 1, &err), 0);
	ck_assert_int_eq(hc_train(&m, &d, NULL, &to, NULL, NULL, NULL, log, &err), -1);
	ck_assert_msg(strstr(err.msg, "the loss is not finite") != NULL, "%s", err.msg);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(log, "diverged")));
	/* The parameters put back are the initial ones: finite. */
	for (size_t t = 0; t < m.ntables; t++)
		for (size_t i = 0; i < m.tables[t].rows * m.tables[t].width; i++)
			ck_assert(isfinite(m.tables[t].w[i]));
	cJSON_Delete(log);
	hc_model_release(&m);
	hc_dataset_release(&d);
}
END_TEST

START_TEST(test_no_label)
{
	struct fb f;
	struct hc_dataset d;
	struct hc_model m;
	struct hc_model_opts mo = opts_for(HC_MODEL_LOGREG, HC_OPTIM_ADAGRAD, 0.1f);
	struct hc_err err = {0};
	uint32_t id = 1;

	fb_start(&f);
	fb_col(&f, "a", HC_KIND_CAT, 1, 4);
	fb_open(&f);
	fb_ids(&f, 0, &id, 1);
	fb_end_row(&f);
	fb_load(&f, &d);
	ck_assert_int_eq(hc_model_init(&m, &d.schema, &mo, 1, &err), -1);
	ck_assert_str_eq(err.msg, "no label column: logreg learns from one (hash --label COL)");
	mo.kind = HC_MODEL_FM;
	mo.dim = 0;
	ck_assert_int_eq(hc_model_init(&m, &d.schema, &mo, 1, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	hc_dataset_release(&d);
}
END_TEST

START_TEST(test_nan_label)
{
	struct fb f;
	struct hc_err err = {0};
	struct hc_in *in;
	struct hc_frame_reader *r;
	struct hc_dataset d;
	uint32_t id = 1;

	fb_start(&f);
	fb_col(&f, "y", HC_KIND_LABEL, 1, 0);
	fb_col(&f, "a", HC_KIND_CAT, 1, 4);
	fb_col(&f, "x", HC_KIND_NUM, 1, 0);
	fb_open(&f);
	for (int i = 0; i < 3; i++) {
		fb_num(&f, 0, 1);
		fb_ids(&f, 1, &id, 1);
		fb_num(&f, 2, i == 2 ? INFINITY : 0.5f);
		fb_end_row(&f);
	}
	ck_assert_int_eq(hc_frame_writer_close(f.w, &err), 0);
	ck_assert_int_eq(hc_out_close(f.out, &err), 0);
	in = hc_in_open(f.path, &err);
	r = hc_frame_reader_open(in, &err);
	ck_assert_int_eq(hc_dataset_load(&d, r, &err), -1);
	ck_assert_str_eq(err.msg, "row 3: column 'x' (3): value is infinite");
	hc_frame_reader_close(r);
	hc_in_close(in);
	hc_frame_schema_release(&f.s);
	th_rm_dir(f.dir);
	free(f.dir);
	free(f.path);
}
END_TEST

/* ---- model files ------------------------------------------------------------ */

static void scores(const struct hc_model *m, const struct hc_dataset *d, float *out)
{
	size_t bind[8];
	long l, w;
	struct hc_err err = {0};

	ck_assert_msg(hc_model_bind(m, &d->schema, bind, &l, &w, &err) == 0, "%s", err.msg);
	hc_eval_outputs(m, d, bind, out);
}

START_TEST(test_file_round_trip)
{
	struct hc_dataset d;
	struct hc_model m, r;
	struct hc_model_opts mo = opts_for(HC_MODEL_FM, HC_OPTIM_ADAGRAD, 0.05f);
	struct hc_err err = {0};
	struct hc_buf b;
	float s1[2000], s2[2000];
	double max_err[4] = {0, 0.02, 0.1, 0.3};

	make_xor(&d, 2000, 11);
	train_ok(&m, &d, &mo, 3);
	scores(&m, &d, s1);
	for (int q = 0; q < 4; q++) {
		hc_buf_init(&b);
		ck_assert_int_eq(hc_model_serialize(&m, (enum hc_quant)q, &b, &err), 0);
		ck_assert_msg(hc_model_deserialize(&r, b.data, b.len, &err) == 0, "%s", err.msg);
		scores(&r, &d, s2);
		double worst = 0;
		for (int i = 0; i < 2000; i++)
			worst = fmax(worst, fabs(s1[i] - s2[i]));
		/* f32 exact; int8 and int4 close; ternary coarse. */
		ck_assert_msg(worst <= max_err[q], "quant %d: worst %g", q, worst);
		hc_model_release(&r);
		/* Every cut payload is an error, never a crash. */
		for (size_t cut = 0; cut < b.len; cut += 1 + cut / 8) {
			ck_assert_int_eq(hc_model_deserialize(&r, b.data, cut, &err), -1);
			ck_assert_int_eq(err.kind, HC_ERR_DATA);
		}
		hc_buf_release(&b);
	}
	hc_model_release(&m);
	hc_dataset_release(&d);
}
END_TEST

START_TEST(test_bind_mismatch)
{
	struct hc_dataset d, o;
	struct hc_model m;
	struct hc_model_opts mo = opts_for(HC_MODEL_LOGREG, HC_OPTIM_ADAGRAD, 0.1f);
	struct hc_err err = {0};
	size_t bind[4];
	long l, w;

	make_xor(&d, 100, 12);
	make_logistic(&o, 100, 13);
	train_ok(&m, &d, &mo, 1);
	ck_assert_int_eq(hc_model_bind(&m, &o.schema, bind, &l, &w, &err), -1);
	ck_assert_str_eq(err.msg, "column 'a': 1 ids in space 100 in the frame, 1 in space 20 in the model");
	hc_model_release(&m);
	hc_dataset_release(&d);
	hc_dataset_release(&o);
}
END_TEST

/* ---- mf ---------------------------------------------------------------------- */

/* 200 users, 200 items in 4 communities (id mod 4); each user has 15
 * items of its community.  Test: 5 more per user. */
static void make_communities(struct hc_dataset *d, int per_user, uint64_t seed,
			     int keys)
{
	struct fb f;

	fb_start(&f);
	fb_col(&f, "user", HC_KIND_CAT, 1, 200);
	fb_col(&f, "item", HC_KIND_CAT, 1, 200);
	if (keys) {
		cJSON_AddStringToObject(fb_col(&f, "item.key", HC_KIND_KEY, 1, 0), "of", "item");
	}
	fb_open(&f);
	for (uint32_t u = 0; u < 200; u++)
		for (int e = 0; e < per_user; e++) {
			uint32_t i = (uint32_t)(th_rand(&seed) % 50) * 4 + u % 4;
			struct hc_err err = {0};
			fb_ids(&f, 0, &u, 1);
			fb_ids(&f, 1, &i, 1);
			if (keys)
				ck_assert_int_eq(hc_frame_put_key(f.w, 2, 1000 + i, &err), 0);
			fb_end_row(&f);
		}
	fb_load(&f, d);
}

START_TEST(test_mf_learns)
{
	struct hc_dataset tr, te;
	struct hc_model m;
	struct hc_model_opts mo = opts_for(HC_MODEL_MF, HC_OPTIM_ADAM, 0.02f);

	make_communities(&tr, 15, 14, 0);
	make_communities(&te, 5, 15, 0);
	mo.dim = 16;
	train_ok(&m, &tr, &mo, 20);
	ck_assert_uint_eq(m.users.n, 200);
	ck_assert_uint_le(m.items.n, 200);
	/* A random ranking of 200 items finds 20/200 = 10% in the top 20; the
	 * community structure alone gives about 40% (20 of 50 items). */
	double r = metric_of(&m, &te, "recall@20");
	ck_assert_msg(r > 0.3, "recall@20 %g", r);
	hc_model_release(&m);
	hc_dataset_release(&tr);
	hc_dataset_release(&te);
}
END_TEST

/* An mf model file whose catalogue names a row past its table (or
 * padding, in a field of one id a row) is refused, not read out of
 * bounds later. */
START_TEST(test_catalogue_ids_checked)
{
	struct hc_dataset tr;
	struct hc_model m, r;
	struct hc_model_opts mo = opts_for(HC_MODEL_MF, HC_OPTIM_ADAM, 0.02f);
	struct hc_err err = {0};
	struct hc_buf b;
	uint32_t bad[3] = {0, HC_MF_PAD, 0};

	make_communities(&tr, 3, 4, 0);
	mo.dim = 4;
	train_ok(&m, &tr, &mo, 1);
	bad[0] = (uint32_t)m.tables[m.fields[m.user].table].rows;
	bad[2] = m.users.ids[0];
	for (int k = 0; k < 3; k++) {
		m.users.ids[0] = bad[k];
		hc_buf_init(&b);
		ck_assert_int_eq(hc_model_serialize(&m, HC_QUANT_F32, &b, &err), 0);
		int rc = hc_model_deserialize(&r, b.data, b.len, &err);
		if (k < 2) {
			ck_assert_int_eq(rc, -1);
			ck_assert_str_eq(err.msg, "model: a catalogue id is past its table");
		} else {
			ck_assert_msg(rc == 0, "%s", err.msg);
			hc_model_release(&r);
		}
		hc_buf_release(&b);
	}
	hc_model_release(&m);
	hc_dataset_release(&tr);
}
END_TEST

/* A NaN or infinite parameter in a model file (training never writes
 * one) is refused, naming the problem. */
START_TEST(test_nonfinite_parameter)
{
	struct hc_dataset d;
	struct hc_model m, r;
	struct hc_model_opts mo = opts_for(HC_MODEL_LOGREG, HC_OPTIM_ADAGRAD, 0.1f);
	struct hc_err err = {0};
	struct hc_buf b;

	make_xor(&d, 200, 3);
	train_ok(&m, &d, &mo, 1);
	m.tables[0].w[0] = _i ? INFINITY : NAN;
	hc_buf_init(&b);
	ck_assert_int_eq(hc_model_serialize(&m, HC_QUANT_F32, &b, &err), 0);
	ck_assert_int_eq(hc_model_deserialize(&r, b.data, b.len, &err), -1);
	ck_assert_str_eq(err.msg, "model: a parameter is not a finite number");
	hc_buf_release(&b);
	hc_model_release(&m);
	hc_dataset_release(&d);
}
END_TEST

START_TEST(test_catalogue_keys)
{
	struct hc_catalogue c = {0};
	struct hc_catmap cm;
	struct hc_err err = {0};
	uint32_t a[2] = {1, 2}, b[2] = {1, 3};

	/* Without keys, ids are the identity. */
	c.arity = 2;
	ck_assert_int_eq(hc_catmap_init(&cm, &c, &err), 0);
	ck_assert_int_eq(hc_catmap_get(&cm, a, 5, &err), 0);
	ck_assert_int_eq(hc_catmap_get(&cm, b, 5, &err), 1);
	ck_assert_int_eq(hc_catmap_get(&cm, a, 6, &err), 0);
	hc_catmap_release(&cm);
	hc_free(c.ids);
	/* With keys, the same ids with two keys are two entries. */
	memset(&c, 0, sizeof(c));
	c.arity = 2;
	c.keys = hc_malloc(8);
	ck_assert_int_eq(hc_catmap_init(&cm, &c, &err), 0);
	ck_assert_int_eq(hc_catmap_get(&cm, a, 5, &err), 0);
	ck_assert_int_eq(hc_catmap_get(&cm, a, 6, &err), 1);
	ck_assert_int_eq(hc_catmap_get(&cm, b, 5, &err), 0);
	ck_assert_uint_eq(c.n, 2);
	hc_catmap_release(&cm);
	hc_free(c.ids);
	hc_free(c.keys);
}
END_TEST

/* The blocked ranking against a plain loop: same top lists. */
START_TEST(test_rank_all)
{
	enum { NU = 70, NI = 301, D = 5, K = 7 };
	float ue[NU * D], ie[NI * D], sc[NI], hs[K];
	uint32_t top[NU * K], ntop[NU], want[K], hi[K];
	uint64_t xs[NU + 1];
	uint32_t xi[NU * 3];
	uint64_t seed = 16;
	struct hc_err err = {0};

	for (int i = 0; i < NU * D; i++)
		ue[i] = (float)(th_rand(&seed) % 1000) / 1000.0f - 0.5f;
	for (int i = 0; i < NI * D; i++)
		ie[i] = (float)(th_rand(&seed) % 1000) / 1000.0f - 0.5f;
	xs[0] = 0;
	for (int u = 0; u < NU; u++) {
		/* Mask 3 items: u, u + 100, u + 200 (sorted). */
		xi[3 * u] = (uint32_t)u;
		xi[3 * u + 1] = (uint32_t)u + 100;
		xi[3 * u + 2] = (uint32_t)u + 200;
		xs[u + 1] = 3 * (uint64_t)(u + 1);
	}
	struct hc_rank_job job = {.dim = D, .nusers = NU, .nitems = NI,
				  .user_emb = ue, .item_emb = ie, .excl_start = xs,
				  .excl = xi, .k = K, .top = top, .ntop = ntop};
	ck_assert_int_eq(hc_rank_all(&job, NULL, &err), 0);
	for (int u = 0; u < NU; u++) {
		for (int i = 0; i < NI; i++) {
			float s = 0;
			for (int k = 0; k < D; k++)
				s += ue[u * D + k] * ie[i * D + k];
			sc[i] = s;
		}
		sc[u] = sc[u + 100] = sc[u + 200] = -INFINITY;
		ck_assert_uint_eq(hc_topk_scores(sc, NI, K, want, hs, hi), K);
		ck_assert_uint_eq(ntop[u], K);
		for (int k = 0; k < K; k++)
			ck_assert_uint_eq(top[u * K + k], want[k]);
	}
}
END_TEST

Suite *suite_model(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_logreg_learns);
	tcase_add_test(tc, test_fm_beats_logreg_on_xor);
	tcase_add_test(tc, test_regression);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_ftrl_l1_sparsity);
	tcase_add_test(tc, test_divergence);
	tcase_add_test(tc, test_no_label);
	tcase_add_test(tc, test_nan_label);
	tcase_add_test(tc, test_file_round_trip);
	tcase_add_test(tc, test_bind_mismatch);
	tcase_add_test(tc, test_mf_learns);
	tcase_add_test(tc, test_catalogue_keys);
	tcase_add_test(tc, test_catalogue_ids_checked);
	tcase_add_loop_test(tc, test_nonfinite_parameter, 0, 2);
	tcase_add_test(tc, test_rank_all);
	suite_add_tcase(s, tc);
	return s;
}
