/* predict.c - `hicard predict`: scores, metrics and top-K lists of a model
 *
 * Wiring: the model file (src/model_file.c), the frame into memory
 * (src/dataset.c), outputs or metrics (src/evaluate.c), CSV out.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/model_io.h"
#include "lib/csv_write.h"
#include "lib/mem.h"
#include "lib/team.h"
#include "src/evaluate.h"

static const char *const usage[] = {
	"hicard predict --model MODEL [--metrics LIST] [--exclude FILE.hcb] [--topk K] [-o FILE] [FILE.hcb]",
	NULL,
};

static const char about[] =
	"Scores the rows of a binary frame with a model from hicard train: one\n"
	"score per row as CSV, in input order (a probability for a 0/1 label).\n"
	"--metrics reports metrics as JSON instead; for mf every user of the\n"
	"frame gets all catalogue items ranked, its training items masked.\n"
	"--topk writes each user's K best items as CSV.  Example:\n"
	"  hicard predict --model mf.model --metrics recall@20,ndcg@20 test.hcb";

struct predict_opts {
	struct hc_common c;
	const char *model, *metrics, *exclude;
	uint64_t topk;
};

static void put_entry(struct hc_csv_writer *cw, const struct hc_catalogue *c,
		      size_t e)
{
	char buf[16 * 1024];
	size_t len = 0;

	if (c->keys) {
		len = (size_t)snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->keys[e]);
	} else {
		for (uint32_t a = 0; a < c->arity && len < sizeof(buf) - 16; a++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%u",
						a ? "|" : "", c->ids[e * c->arity + a]);
	}
	hc_csv_write_field(cw, buf, len);
}

static int write_topk(struct hc_out *out, const struct hc_mf_ranking *r,
		      size_t k, struct hc_err *err)
{
	struct hc_csv_writer cw;
	char num[24];

	hc_csv_writer_init(&cw, out, ',');
	hc_csv_write_str(&cw, "user");
	hc_csv_write_str(&cw, "rank");
	hc_csv_write_str(&cw, "item");
	hc_csv_end_row(&cw);
	for (size_t a = 0; a < r->nusers; a++)
		for (size_t j = 0; j < r->ntop[a] && j < k; j++) {
			put_entry(&cw, &r->users, r->user[a]);
			hc_csv_write_field(&cw, num, (size_t)snprintf(num, sizeof(num), "%zu", j + 1));
			put_entry(&cw, &r->items, r->top[a * r->k + j]);
			if (hc_csv_end_row(&cw) != 0)
				break;
		}
	if (out->failed) {
		*err = out->err;
		return -1;
	}
	return 0;
}

static int write_scores(struct hc_out *out, const struct hc_model *m,
			const struct hc_dataset *d, const size_t *bind,
			struct hc_err *err)
{
	float *s = hc_mallocarray(d->nrows ? d->nrows : 1, sizeof(float));

	if (!s)
		return hc_err_nomem(err);
	hc_eval_outputs(m, d, bind, s);
	hc_out_puts(out, "score\n");
	for (size_t i = 0; i < d->nrows; i++) {
		hc_out_float(out, s[i]);
		hc_out_putc(out, '\n');
	}
	hc_free(s);
	if (out->failed) {
		*err = out->err;
		return -1;
	}
	return 0;
}

static int write_json(struct hc_out *out, cJSON *obj, struct hc_err *err)
{
	char *text = cJSON_Print(obj);

	if (!text)
		return hc_err_nomem(err);
	hc_out_puts(out, text);
	hc_out_putc(out, '\n');
	cJSON_free(text);
	if (out->failed) {
		*err = out->err;
		return -1;
	}
	return 0;
}

static int run(const struct predict_opts *o, const char *path,
	       struct hc_err *err)
{
	struct hc_model m = {0};
	struct hc_dataset d = {0}, ex = {0};
	struct hc_metric_spec spec[HC_METRICS_MAX];
	struct hc_mf_ranking rank = {0};
	struct hc_team *team = NULL;
	struct hc_out *out = NULL;
	cJSON *obj = NULL;
	size_t *bind = NULL, nspec = 0;
	unsigned threads = o->c.threads ? (unsigned)o->c.threads : hc_ncpus();
	const char *name = path && strcmp(path, "-") ? path : "stdin";
	long lc, wc;
	int rc = -1;

	if (o->metrics && hc_metrics_parse(o->metrics, spec, &nspec, err) != 0)
		return -1;
	if (hc_cmd_load_model(o->model, &m, err) != 0)
		return -1;
	if ((o->topk || o->exclude) && m.kind != HC_MODEL_MF) {
		hc_err_set(err, HC_ERR_USAGE, "--topk and --exclude apply to mf models; %s is %s", o->model, hc_model_kind_name(m.kind));
		goto done;
	}
	if (hc_cmd_load_frame(path, &d, err) != 0 ||
	    (o->exclude && hc_cmd_load_frame(o->exclude, &ex, err) != 0))
		goto done;
	if (!(bind = hc_calloc(m.nfields, sizeof(size_t))) || !(obj = cJSON_CreateObject())) {
		hc_err_nomem(err);
		goto done;
	}
	if (hc_model_bind(&m, &d.schema, bind, &lc, &wc, err) != 0) {
		hc_err_prefix(err, "%s: does not fit model %s", name, o->model);
		goto done;
	}
	if (threads > 1 && !(team = hc_team_new(threads, err)))
		goto done;
	if ((nspec || o->topk) &&
	    hc_evaluate(&m, &d, bind, spec, nspec, o->exclude ? &ex : NULL, team,
			(size_t)o->topk, o->topk ? &rank : NULL, obj, err) != 0) {
		if (err->kind == HC_ERR_DATA)
			hc_err_prefix(err, "%s", name);
		goto done;
	}
	if (!(out = hc_out_open(o->c.output, err)))
		goto done;
	if (o->topk)
		rc = write_topk(out, &rank, (size_t)o->topk, err);
	else if (nspec) {
		cJSON_AddNumberToObject(obj, "rows", (double)d.nrows);
		rc = write_json(out, obj, err);
	} else
		rc = write_scores(out, &m, &d, bind, err);
	if (rc == 0)
		rc = hc_out_close(out, err);
	else
		hc_out_abort(out);
done:
	cJSON_Delete(obj);
	hc_mf_ranking_release(&rank);
	hc_team_free(team);
	hc_free(bind);
	hc_dataset_release(&d);
	hc_dataset_release(&ex);
	hc_model_release(&m);
	return rc;
}

int cmd_predict(int argc, char **argv)
{
	struct predict_opts o = {0};
	const struct hc_opt opts[] = {
		HC_OPT_STR(0, "model", &o.model, "MODEL", "the model file from hicard train (required)"),
		HC_OPT_STR(0, "metrics", &o.metrics, "LIST", "report metrics: auc, logloss, accuracy, rmse, mae, recall@K, ndcg@K, hitrate@K"),
		HC_OPT_STR(0, "exclude", &o.exclude, "FILE", "mf: mask these user-item rows (default: the model's training rows)"),
		HC_OPT_U64(0, "topk", &o.topk, "K", 1, HC_METRIC_K_MAX, "mf: write each user's K best items as CSV (user,rank,item)"),
		HC_OPT_GROUP("Common:"),
		HC_OPTS_OUTPUT(&o.c),
		HC_OPTS_THREADS(&o.c),
		HC_OPTS_END(&o.c),
	};
	struct hc_err err = {0};
	int nargs, status;

	if (hc_cmd_parse("predict", usage, about, opts, &o.c, argc, argv, &nargs,
			 &status) == HC_PARSE_EXIT)
		return status;
	if (!o.model)
		return hc_cmd_usage("predict", "--model MODEL is required");
	if (nargs > 1)
		return hc_cmd_usage("predict", "one FILE at most, not %d", nargs);
	if (o.topk && o.metrics)
		return hc_cmd_usage("predict", "--topk and --metrics go one at a time");
	if (run(&o, nargs ? argv[1] : NULL, &err) != 0)
		return hc_cmd_fail("predict", &err);
	return HC_EXIT_OK;
}
