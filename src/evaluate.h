/* evaluate.h - a model's metrics on a frame (predict --metrics, and the
 * validation of every training epoch)
 *
 * Metric names: auc, logloss, accuracy (binary labels), rmse, mae (numeric
 * labels), and for mf recall@K, ndcg@K, hitrate@K.  recall@K reports two
 * numbers, "recall@K" (hits / test items) and "recall_gh@K" (hits /
 * min(K, test items), GraphHash's definition).  Results go into a cJSON
 * object, NaN as null.
 */
#ifndef HC_EVALUATE_H
#define HC_EVALUATE_H

#include <cjson/cJSON.h>

#include "lib/err.h"
#include "lib/team.h"
#include "src/dataset.h"
#include "src/model.h"

enum hc_metric {
	HC_METRIC_AUC, HC_METRIC_LOGLOSS, HC_METRIC_ACCURACY, HC_METRIC_RMSE,
	HC_METRIC_MAE, HC_METRIC_RECALL, HC_METRIC_NDCG, HC_METRIC_HITRATE,
};

#define HC_METRICS_MAX 32
#define HC_METRIC_K_MAX 10000

struct hc_metric_spec {
	enum hc_metric metric;
	size_t k;   /* retrieval metrics */
};

/* Parses "auc,logloss,recall@20".  0, or -1 with err set (HC_ERR_USAGE). */
int hc_metrics_parse(const char *list, struct hc_metric_spec *spec,
		     size_t *n, struct hc_err *err);
/* 1 if the metric fits the model (pointwise for logreg/fm, retrieval for
 * mf; auc/logloss/accuracy only for a binary task). */
int hc_metric_fits(const struct hc_model *m, enum hc_metric x);
/* The default metrics of a model: auc+logloss, rmse+mae, recall@20+ndcg@20. */
size_t hc_metrics_default(const struct hc_model *m, struct hc_metric_spec *spec);

/* Model outputs (hc_model_output) of every row of d into out (nrows). */
void hc_eval_outputs(const struct hc_model *m, const struct hc_dataset *d,
		     const size_t *bind, float *out);

/* mf rankings, for --topk: per evaluated user its catalogue entries. */
struct hc_mf_ranking {
	struct hc_catalogue users, items; /* the model's plus the frame's */
	size_t nusers;     /* evaluated users */
	uint32_t *user;    /* their user catalogue indices */
	uint32_t *top;     /* nusers x k */
	uint32_t *ntop;
	size_t k;
};
void hc_mf_ranking_release(struct hc_mf_ranking *r);

/* Computes spec's metrics of m on d (bound by bind) into obj.  For mf,
 * excl (NULL: the model's training interactions) names the items masked
 * per user, and rank (if not NULL) keeps the top topk lists.  0, or -1
 * with err set. */
int hc_evaluate(const struct hc_model *m, const struct hc_dataset *d,
		const size_t *bind, const struct hc_metric_spec *spec,
		size_t n, const struct hc_dataset *excl, struct hc_team *team,
		size_t topk, struct hc_mf_ranking *rank, cJSON *obj,
		struct hc_err *err);

#endif
