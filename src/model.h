/* model.h - the models of `hicard train`: layout, scoring, binding to frames
 *
 * Three models over the cat (and num) columns of a frame:
 *   logreg  score = b + sum of one weight per id + sum of w_j x_j (num);
 *           logistic loss for a 0/1 label, squared loss otherwise
 *   fm      logreg's linear part plus the factorization machine's pairwise
 *           term over fields: 0.5 (|sum_f e_f|^2 - sum_f |e_f|^2), where a
 *           cat field's vector e_f combines its ids' embeddings and a num
 *           field's is x_j v_j (Rendle 2010, over fields rather than ids)
 *   mf      score(user, item) = <e_user, e_item>, trained with BPR (Rendle
 *           et al. 2009) on the frame's rows as positive pairs
 * A field with several ids per row (double hashing, multiplexing) combines
 * them by sum (each id a full-width embedding) or, with combine concat,
 * by concatenation (Unified Embedding: id j of the field fills slot j,
 * dim / arity wide); concat needs every field at one fixed arity dividing
 * dim.
 *
 * Parameters live in tables, one per id space: a frame column's own, or
 * one shared by every column naming the same "table" in the frame header;
 * num columns share one table "num" with a row per column.  A table row is
 * contiguous: [linear weight][embedding], so an id costs one cache line.
 * Optimizer state (src/sgd.h) has the same shape.
 *
 * Ownership: a model owns its names, tables, state and its catalogue (mf).
 */
#ifndef HC_MODEL_H
#define HC_MODEL_H

#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/frame.h"
#include "src/dataset.h"
#include "src/sgd.h"

enum hc_model_kind { HC_MODEL_LOGREG, HC_MODEL_FM, HC_MODEL_MF };
enum hc_task { HC_TASK_BINARY, HC_TASK_REGRESSION, HC_TASK_RANKING };
enum hc_combine { HC_COMBINE_SUM, HC_COMBINE_CONCAT };

/* Dimensions: large enough for any real use, small enough that a typo
 * cannot ask for terabytes per row. */
#define HC_MODEL_DIM_MAX 4096

struct hc_model_opts {
	enum hc_model_kind kind;
	int task;               /* enum hc_task, or -1: from the labels */
	enum hc_combine combine;
	uint32_t dim;           /* fm, mf */
	struct hc_sgd sgd;
	double init_std;        /* embedding initialisation, normal */
	const char *user, *item; /* mf: field names (NULL: the first two cat) */
	uint64_t seed;
};

struct hc_model_field {
	char *name;
	enum hc_frame_kind kind;  /* cat or num */
	uint32_t arity;           /* cat: fixed k or HC_ARITY_VAR */
	uint64_t space;
	uint32_t table;
	uint32_t row;             /* num: its row of the num table */
	cJSON *col;               /* the frame's column object (scheme, seed) */
};

/* Training logreg and fm, a row's weights and optimizer state live side
 * by side in p: [w (width)][s1 (width)][s2 (width), not for AdaGrad], so
 * that an id costs one cache miss, not two or three (the step is bound by
 * those misses: 8 ids a row at random over 2^20-row tables).  w is then a
 * copy that hc_model_sync refreshes after each epoch, for validation,
 * snapshots and the model file; s1 and s2 stay NULL.  mf keeps w, s1 and
 * s2 apart (its rows are 64 floats wide: nothing to share). */
struct hc_model_table {
	char *name;
	uint64_t rows;
	uint32_t width;   /* floats a row: lin + emb */
	float *w;
	float *s1, *s2;   /* optimizer state (mf); NULL when not training */
	float *p;         /* logreg, fm training: interleaved rows; or NULL */
	uint32_t stride;  /* floats a row of p: 2 or 3 widths */
	uint32_t *steps;  /* adam: updates per row */
};

/* mf: the items and users seen in training, told apart by their key
 * columns when the frame has them, else by their ids.  A field of a
 * variable number of ids a row (double-frequency hashing gives frequent
 * values one id, the others two) is stored at its largest number, the
 * unused places holding HC_MF_PAD, which adds nothing to the vector. */
#define HC_MF_PAD UINT32_MAX
#define HC_MF_MAX_IDS 64
struct hc_catalogue {
	size_t n;
	uint32_t arity;   /* ids per entry (padded ones included) */
	uint32_t *ids;    /* n * arity */
	uint64_t *keys;   /* n, or NULL without a key column */
};

struct hc_model {
	enum hc_model_kind kind;
	enum hc_task task;
	enum hc_combine combine;
	uint32_t dim;
	uint32_t lin;       /* 1 if table rows start with a linear weight */
	size_t nfields;
	struct hc_model_field *fields;
	size_t ntables;
	struct hc_model_table *tables;
	float bias, bias_s1, bias_s2;
	uint32_t bias_steps;
	struct hc_model_opts o;
	/* mf */
	size_t user, item;  /* field indices */
	struct hc_catalogue users, items;
	uint64_t *hist_start; /* users.n + 1 offsets into hist */
	uint32_t *hist;     /* each user's training items, sorted */
	cJSON *meta;        /* extra header keys carried along (frame, metrics) */
};

const char *hc_model_kind_name(enum hc_model_kind k);
const char *hc_task_name(enum hc_task t);

/* A new model for the columns of schema s (the training frame): fields,
 * tables and initial parameters; optimizer state too when train is set.
 * Label-less frames are refused for logreg and fm.  0, or -1 with err set
 * (HC_ERR_DATA for the frame, HC_ERR_USAGE for options that cannot fit
 * it, such as concat with unequal arities). */
int hc_model_init(struct hc_model *m, const struct hc_frame_schema *s,
		  const struct hc_model_opts *o, int train, struct hc_err *err);
void hc_model_release(struct hc_model *m);

/* Floats a row of field f's table: the linear weight (if any) and the
 * embedding slot of one id (dim, or dim / ids under --combine concat). */
uint32_t hc_model_field_width(const struct hc_model *m,
			      const struct hc_model_field *f);

/* Maps each field to the column of s of the same name, which must have
 * the same kind, arity and id space (and, when both record one, hash
 * scheme and seed).  bind gets nfields indices; *label the label column
 * or -1, *weight likewise.  0, or -1 with err set ("column 'x': ..."). */
int hc_model_bind(const struct hc_model *m, const struct hc_frame_schema *s,
		  size_t *bind, long *label, long *weight, struct hc_err *err);

/* Parameters in all, and bytes of the float tables. */
uint64_t hc_model_params(const struct hc_model *m);

/* ---- scoring (logreg, fm) -------------------------------------------- */

/* Floats of scratch hc_model_score and the step functions need. */
size_t hc_model_scratch(const struct hc_model *m);
/* The raw score (logit for a binary task) of row i of d. */
float hc_model_score(const struct hc_model *m, const struct hc_dataset *d,
		     const size_t *bind, size_t i, float *scratch);
/* What predict prints: a probability for a binary task, else the score. */
static inline float hc_model_output(const struct hc_model *m, float score)
{
	return m->task == HC_TASK_BINARY ? 1.0f / (1.0f + expf(-score)) : score;
}

/* Starts loading the parameter rows row i of d will touch (training
 * issues it a few rows ahead: ids are random, so each row costs cache
 * misses otherwise). */
void hc_model_prefetch(const struct hc_model *m, const struct hc_dataset *d,
		       const size_t *bind, size_t i);
/* Copies the weights of the training rows (p) into w; a no-op for a
 * model without them.  hc_train calls it after every epoch. */
void hc_model_sync(struct hc_model *m);
/* Moves the bias by gradient g. */
void hc_model_update_bias(struct hc_model *m, float g);
/* One SGD step on row i with weight w; returns the row's loss. */
double hc_logreg_step(struct hc_model *m, const struct hc_dataset *d,
		      const size_t *bind, size_t i, float y, float w,
		      float *scratch);
double hc_fm_step(struct hc_model *m, const struct hc_dataset *d,
		  const size_t *bind, size_t i, float y, float w,
		  float *scratch);

/* ---- mf ---------------------------------------------------------------- */

/* The combined embedding of catalogue entry e into out (dim floats). */
void hc_mf_embed(const struct hc_model *m, size_t field, const uint32_t *ids,
		 size_t nids, float *out);
/* Starts loading the rows a step on (u, i, j) will touch. */
void hc_mf_prefetch(const struct hc_model *m, size_t u, size_t i, size_t j);
/* One BPR step: user u (catalogue index), positive item i, negative j;
 * returns -log sigmoid(s_ui - s_uj).  scratch: hc_model_scratch floats. */
double hc_mf_step(struct hc_model *m, size_t u, size_t i, size_t j,
		  float *scratch);

#endif
