/* train.c - `hicard train`: fit logreg, fm or mf on a binary frame
 *
 * Wiring: the frame into memory (src/dataset.c) or streamed from its file
 * when larger than --memory (src/stream.c), a model (src/model.c),
 * the loop (src/train.c), the file out (src/model_file.c through
 * cmd/model_io.c), a summary on stderr and --report as JSON.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/model_io.h"
#include "lib/mem.h"
#include "lib/team.h"
#include "src/evaluate.h"
#include "src/train.h"

static const char *const usage[] = {
	"hicard train --model logreg|fm|mf [--optimizer NAME] [--lr X] [--dim K] [--epochs N] [--valid FILE.hcb] [--memory SIZE] [--stream] [--quantize Q] [--report FILE] -o MODEL [FILE.hcb]",
	NULL,
};

static const char about[] =
	"Fits a model on the rows of a binary frame (hicard hash --format hcb)\n"
	"and writes it to a self-describing, checksummed model file for\n"
	"hicard predict.  logreg: sparse logistic regression (linear for a\n"
	"numeric label); fm: factorization machine; mf: matrix factorization\n"
	"with the BPR loss on user-item rows.  Example:\n"
	"  hicard train --model mf --dim 64 --valid valid.hcb train.hcb -o mf.model";

struct train_opts {
	struct hc_common c;
	const char *model, *optimizer, *valid, *metrics, *quantize, *report;
	const char *combine, *task, *user, *item;
	double lr, l1, l2, wd, init_std, beta;
	uint64_t dim, epochs, patience, negatives, memory;
	int stream;
};

struct progress {
	int on;
	double t0;
};

static void on_progress(void *arg, uint64_t epoch, uint64_t done,
			uint64_t total, double loss, const cJSON *valid)
{
	struct progress *p = arg;
	char *v;

	if (!p->on)
		return;
	if (done < total) {
		fprintf(stderr, "\rtrain: epoch %llu: %3.0f%% ", (unsigned long long)epoch,
			100.0 * (double)done / (double)total);
		return;
	}
	v = valid ? cJSON_PrintUnformatted(valid) : NULL;
	fprintf(stderr, "\r\033[Ktrain: epoch %llu: loss %.6g%s%s\n",
		(unsigned long long)epoch, loss, v ? ", valid " : "", v ? v : "");
	cJSON_free(v);
}

static int set_model_opts(const struct train_opts *o, struct hc_model_opts *mo)
{
	int mf = strcmp(o->model, "mf") == 0;

	if (strcmp(o->model, "logreg") == 0)
		mo->kind = HC_MODEL_LOGREG;
	else if (strcmp(o->model, "fm") == 0)
		mo->kind = HC_MODEL_FM;
	else if (mf)
		mo->kind = HC_MODEL_MF;
	else
		return hc_cmd_usage("train", "--model must be logreg, fm or mf, not '%s'", o->model);
	mo->sgd.optim = mf ? HC_OPTIM_ADAM : HC_OPTIM_ADAGRAD;
	if (o->optimizer && strcmp(o->optimizer, "adagrad") == 0)
		mo->sgd.optim = HC_OPTIM_ADAGRAD;
	else if (o->optimizer && strcmp(o->optimizer, "ftrl") == 0 && !mf)
		mo->sgd.optim = HC_OPTIM_FTRL;
	else if (o->optimizer && strcmp(o->optimizer, "adam") == 0)
		mo->sgd.optim = HC_OPTIM_ADAM;
	else if (o->optimizer)
		return hc_cmd_usage("train", "--optimizer must be adagrad, ftrl (logreg, fm) or adam, not '%s'", o->optimizer);
	/* mf's defaults: the best of a small search on Gowalla (dim 64,
	 * Recall@20 0.130 after 38 epochs; see man/hicard-train.1). */
	mo->sgd.lr = (float)(o->lr > 0 ? o->lr : mo->sgd.optim != HC_OPTIM_ADAM ? 0.1 : mf ? 0.0025 : 0.001);
	mo->sgd.l1 = (float)o->l1;
	mo->sgd.l2 = (float)o->l2;
	/* fm's weight decay (3 epochs), chosen on splits of the training rows
	 * of bench/train.sh's quality job and of its --pairs 1 variant: 0.03
	 * is best on the first (additive: fm can only match logreg), 0.01 on
	 * the second; 0.02 costs each about 0.002 of AUC. */
	mo->sgd.l2_emb = (float)(o->wd >= 0 ? o->wd : mf ? 0.01 : mo->kind == HC_MODEL_FM ? 0.02 : 0);
	/* AdaGrad's step lr / (beta + sqrt(sum of g^2)) damps a row's first
	 * updates as FTRL's beta does: with beta 1 (1e-6 before), a value
	 * seen once moves lr / 2 rather than lr, so that rare values (most
	 * rows of a hashed table) fit less noise.  On gendata ctr's click
	 * model (bench/train.sh, job quality) it and 3 epochs rather than 10
	 * took logreg's held-out AUC from 0.739 to about 0.75. */
	mo->sgd.beta = (float)(o->beta > 0 ? o->beta : 1.0);
	mo->sgd.beta1 = 0.9f;
	mo->sgd.beta2 = 0.999f;
	mo->sgd.eps = mo->sgd.optim == HC_OPTIM_ADAM ? 1e-8f : mo->sgd.beta;
	mo->dim = (uint32_t)(o->dim ? o->dim : mf ? 64 : 8);
	mo->init_std = o->init_std > 0 ? o->init_std : mf ? 0.1 : 0.01;
	mo->combine = o->combine && strcmp(o->combine, "concat") == 0 ? HC_COMBINE_CONCAT : HC_COMBINE_SUM;
	if (o->combine && strcmp(o->combine, "concat") && strcmp(o->combine, "sum"))
		return hc_cmd_usage("train", "--combine must be sum or concat, not '%s'", o->combine);
	mo->task = -1;
	if (o->task && strcmp(o->task, "binary") == 0)
		mo->task = HC_TASK_BINARY;
	else if (o->task && strcmp(o->task, "regression") == 0)
		mo->task = HC_TASK_REGRESSION;
	else if (o->task)
		return hc_cmd_usage("train", "--task must be binary or regression, not '%s'", o->task);
	mo->user = o->user;
	mo->item = o->item;
	mo->seed = o->c.seed;
	return 0;
}

/* Training options and what made the frame, for the model's header. */
static int add_meta(struct hc_model *m, const struct train_opts *o,
		    const struct hc_dataset *d, uint64_t rows, struct hc_err *err)
{
	cJSON *t = cJSON_AddObjectToObject(m->meta, "training");
	const cJSON *prod = cJSON_GetObjectItemCaseSensitive(d->schema.doc, "producer");
	char seed[24];

	if (!t)
		return hc_err_nomem(err);
	cJSON_AddStringToObject(t, "optimizer", hc_optim_name(m->o.sgd.optim));
	cJSON_AddNumberToObject(t, "lr", m->o.sgd.lr);
	cJSON_AddNumberToObject(t, "l1", m->o.sgd.l1);
	cJSON_AddNumberToObject(t, "l2", m->o.sgd.l2);
	cJSON_AddNumberToObject(t, "weight_decay", m->o.sgd.l2_emb);
	if (m->o.sgd.optim != HC_OPTIM_ADAM)
		cJSON_AddNumberToObject(t, "beta", m->o.sgd.beta);
	cJSON_AddNumberToObject(t, "epochs", (double)o->epochs);
	cJSON_AddNumberToObject(t, "negatives", (double)o->negatives);
	cJSON_AddNumberToObject(t, "rows", (double)rows);
	/* A string: JSON numbers are doubles, a 64-bit seed is not. */
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)o->c.seed);
	cJSON_AddStringToObject(t, "seed", seed);
	if (prod && !cJSON_AddItemToObject(m->meta, "frame_producer", cJSON_Duplicate(prod, 1)))
		return hc_err_nomem(err);
	return 0;
}

static int run(const struct train_opts *o, const char *path,
	       const struct hc_model_opts *mo0, struct hc_err *err);

int cmd_train(int argc, char **argv)
{
	struct train_opts o = {.patience = 3, .negatives = 1, .wd = -1,
			       .memory = hc_stream_default_budget()};
	const struct hc_opt opts[] = {
		HC_OPT_STR(0, "model", &o.model, "NAME", "logreg, fm or mf (required)"),
		HC_OPT_STR(0, "optimizer", &o.optimizer, "NAME", "adagrad (logreg, fm default), ftrl, adam (mf default)"),
		HC_OPT_DBL(0, "lr", &o.lr, "X", 1e-9, 100, "learning rate (default 0.1; adam 0.001, mf 0.0025)"),
		HC_OPT_DBL(0, "l1", &o.l1, "X", 0, 1e6, "L1 on linear weights (default 0)"),
		HC_OPT_DBL(0, "l2", &o.l2, "X", 0, 1e6, "L2 on linear weights (default 0)"),
		HC_OPT_DBL(0, "weight-decay", &o.wd, "X", 0, 1e6, "L2 on embeddings (default 0; fm 0.02, mf 0.01)"),
		HC_OPT_DBL(0, "beta", &o.beta, "X", 1e-9, 1e6, "adagrad, ftrl: step lr / (beta + sqrt(sum g^2)) (default 1)"),
		HC_OPT_U64(0, "dim", &o.dim, "K", 1, HC_MODEL_DIM_MAX, "embedding size (fm default 8, mf 64)"),
		HC_OPT_STR(0, "combine", &o.combine, "HOW", "several ids a value: sum (default) or concat"),
		HC_OPT_DBL(0, "init-std", &o.init_std, "X", 1e-9, 10, "initial embeddings' deviation (fm 0.01, mf 0.1)"),
		HC_OPT_STR(0, "task", &o.task, "TASK", "binary or regression (default: binary if labels are 0/1)"),
		HC_OPT_STR(0, "user", &o.user, "COL", "mf: the user column (default: the first cat column)"),
		HC_OPT_STR(0, "item", &o.item, "COL", "mf: the item column (default: the second cat column)"),
		HC_OPT_U64(0, "negatives", &o.negatives, "N", 1, 1000, "mf: sampled items per positive (default 1)"),
		HC_OPT_GROUP("Epochs:"),
		HC_OPT_U64(0, "epochs", &o.epochs, "N", 1, 100000, "passes over the frame (default 3; mf 10)"),
		HC_OPT_STR(0, "valid", &o.valid, "FILE", "validation frame: metrics each epoch, best epoch kept"),
		HC_OPT_STR(0, "valid-metrics", &o.metrics, "LIST", "validation metrics, the first decides (default auc,logloss; rmse,mae; recall@20,ndcg@20)"),
		HC_OPT_U64(0, "patience", &o.patience, "N", 0, 100000, "stop after N epochs without improvement (default 3; 0 never)"),
		HC_OPT_SIZE(0, "memory", &o.memory, "SIZE", "a frame file larger than this is streamed (default: half the RAM)"),
		HC_OPT_FLAG(0, "stream", &o.stream, "stream the frame a window of blocks at a time, whatever its size"),
		HC_OPT_GROUP("Output:"),
		HC_OPT_STR(0, "quantize", &o.quantize, "Q", "store embeddings as int8, int4 or ternary (per-row scale)"),
		HC_OPT_STR(0, "report", &o.report, "FILE", "write a JSON report (sizes, epochs, metrics)"),
		HC_OPT_GROUP("Common:"),
		HC_OPTS_OUTPUT(&o.c),
		HC_OPTS_SEED(&o.c),
		HC_OPTS_THREADS(&o.c),
		HC_OPTS_END(&o.c),
	};
	struct hc_model_opts mo = {0};
	struct hc_err err = {0};
	enum hc_quant q;
	int nargs, status;

	if (hc_cmd_parse("train", usage, about, opts, &o.c, argc, argv, &nargs,
			 &status) == HC_PARSE_EXIT)
		return status;
	if (!o.model)
		return hc_cmd_usage("train", "--model is required (logreg, fm or mf)");
	if (!o.c.output)
		return hc_cmd_usage("train", "-o MODEL is required (a model is binary)");
	if (nargs > 1)
		return hc_cmd_usage("train", "one FILE at most, not %d", nargs);
	if (o.quantize && hc_quant_parse(o.quantize, &q) != 0)
		return hc_cmd_usage("train", "--quantize must be int8, int4 or ternary, not '%s'", o.quantize);
	if (!o.epochs) /* logreg and fm: more epochs fit noise (see set_model_opts) */
		o.epochs = strcmp(o.model, "mf") ? 3 : 10;
	if ((status = set_model_opts(&o, &mo)) != 0)
		return status;
	if (run(&o, nargs ? argv[1] : NULL, &mo, &err) != 0)
		return hc_cmd_fail("train", &err);
	return HC_EXIT_OK;
}

static int run(const struct train_opts *o, const char *path,
	       const struct hc_model_opts *mo0, struct hc_err *err)
{
	struct hc_dataset tr = {0}, va = {0};
	struct hc_stream st = {0};
	struct hc_model m = {0};
	struct hc_model_opts mo = *mo0;
	struct hc_metric_spec spec[HC_METRICS_MAX];
	struct hc_train_opts to = {.epochs = o->epochs, .patience = o->patience,
				   .negatives = (uint32_t)o->negatives, .valid_spec = spec};
	struct hc_team *team = NULL;
	struct progress prog = {.on = !o->c.quiet && isatty(2)};
	unsigned threads = o->c.threads ? (unsigned)o->c.threads : hc_ncpus();
	cJSON *rep = cJSON_CreateObject(), *qe = NULL, *sj;
	enum hc_quant q = HC_QUANT_F32;
	uint64_t bytes = 0, rows;
	int rc = -1, trained, streamed = 0;
	double t0 = (double)clock();

	if (!rep)
		return hc_err_nomem(err);
	if (o->quantize)
		hc_quant_parse(o->quantize, &q);
	if ((streamed = hc_stream_or_load(path, mo.kind == HC_MODEL_MF ? UINT64_MAX : o->memory, o->stream, &tr, &st, err)) < 0 ||
	    (o->valid && hc_cmd_load_frame(o->valid, &va, err) != 0))
		goto done;
	rows = streamed ? st.nrows : tr.nrows;
	/* before the tables exist: a frame's spaces may ask for gigabytes */
	if (rows == 0) {
		hc_err_set(err, HC_ERR_DATA, "the frame has no rows to learn from");
		goto fail_file;
	}
	if (mo.task < 0)
		mo.task = !streamed ? hc_train_task(&tr) : st.binary ? HC_TASK_BINARY : HC_TASK_REGRESSION;
	if (hc_model_init(&m, streamed ? &st.win.schema : &tr.schema, &mo, 1, err) != 0)
		goto fail_file;
	to.nvalid = hc_metrics_default(&m, spec);
	if (o->metrics && hc_metrics_parse(o->metrics, spec, &to.nvalid, err) != 0)
		goto done;
	for (size_t i = 0; i < to.nvalid; i++)
		if (!hc_metric_fits(&m, spec[i].metric)) {
			hc_err_set(err, HC_ERR_USAGE, "--valid-metrics: a metric does not fit a %s model", hc_model_kind_name(m.kind));
			goto done;
		}
	if (add_meta(&m, o, streamed ? &st.win : &tr, rows, err) != 0 || (threads > 1 && !(team = hc_team_new(threads, err))))
		goto done;
	rc = streamed ? hc_train_stream(&m, &st, o->valid ? &va : NULL, &to, team, on_progress, &prog, rep, err)
		      : hc_train(&m, &tr, o->valid ? &va : NULL, &to, team, on_progress, &prog, rep, err);
	trained = rc == 0 || cJSON_GetObjectItemCaseSensitive(rep, "diverged");
	if (rc != 0 && !trained)
		goto fail_file;
	if (rc == 0 && o->quantize && !(qe = hc_cmd_quant_effect(&m, q, o->valid ? &va : NULL, spec, to.nvalid, team, err)))
		goto done;
	if (cJSON_GetObjectItemCaseSensitive(rep, "best"))
		cJSON_AddItemToObject(m.meta, "metrics", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rep, "best"), 1));
	{
		struct hc_err werr = {0};
		if (hc_cmd_save_model(o->c.output, &m, q, &bytes, &werr) != 0) {
			*err = werr;
			rc = -1;
			goto done;
		}
	}
	if (rc != 0)
		goto done;
	cJSON_AddStringToObject(rep, "model", hc_model_kind_name(m.kind));
	cJSON_AddNumberToObject(rep, "parameters", (double)hc_model_params(&m));
	cJSON *tabs = cJSON_AddArrayToObject(rep, "tables");
	for (size_t t = 0; t < m.ntables && tabs; t++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", m.tables[t].name);
		cJSON_AddNumberToObject(x, "rows", (double)m.tables[t].rows);
		cJSON_AddNumberToObject(x, "width", m.tables[t].width);
		cJSON_AddItemToArray(tabs, x);
	}
	cJSON_AddNumberToObject(rep, "bytes", (double)bytes);
	if (streamed && (sj = cJSON_AddObjectToObject(rep, "streamed"))) {
		cJSON_AddNumberToObject(sj, "blocks", (double)st.nblocks);
		cJSON_AddNumberToObject(sj, "window_blocks", (double)st.window);
	}
	cJSON_AddNumberToObject(rep, "cpu_seconds", ((double)clock() - t0) / CLOCKS_PER_SEC);
	if (qe) {
		cJSON_AddItemToObject(rep, "quantization", qe);
		qe = NULL;
	}
	if (!o->c.quiet)
		fprintf(stderr, "hicard train: %s, %llu parameters in %zu tables, %llu bytes, best epoch %g\n",
			hc_model_kind_name(m.kind), (unsigned long long)hc_model_params(&m),
			m.ntables, (unsigned long long)bytes,
			cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rep, "best_epoch")));
	if (o->report && hc_cmd_write_json(o->report, rep, err) != 0)
		goto done;
	rc = 0;
	goto done;
fail_file:
	{
		const char *name = path && strcmp(path, "-") ? path : "stdin";
		if (err->kind == HC_ERR_DATA && strncmp(err->msg, name, strlen(name)) != 0 &&
		    strncmp(err->msg, "epoch ", 6) != 0)
			hc_err_prefix(err, "%s", name);
	}
	rc = -1;
done:
	cJSON_Delete(qe);
	cJSON_Delete(rep);
	hc_team_free(team);
	hc_model_release(&m);
	hc_dataset_release(&tr);
	hc_stream_close(&st);
	hc_dataset_release(&va);
	return rc;
}
