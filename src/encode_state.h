/* encode_state.h - the fitted state of `hicard encode`: per column a
 * vocabulary with counts and target sums, and the options fitted with it
 *
 * Each encoded column has one vocabulary (lib/strmap.h; the map's value
 * slot holds the value's row count) shared by all the encoders named for
 * it, and, when a target encoder (target, woe) uses it, per value the
 * number of rows with a target, their sum and sum of squares.  Counts and
 * sums add, so states of shards merge into the state of the whole.
 *
 * Codes: after hc_enc_finalize, the values a code encoder (onehot,
 * ordinal, binary, resbit) distinguishes are the K values seen at least
 * min_count times, at most max_categories of them (the most frequent),
 * numbered 0..K-1 by descending count (ties: bytewise key order) or in
 * first-seen order; every other value, rare or unseen, has code K.
 *
 * Ownership: a state owns its names and vocabularies.  Ids of a vocabulary
 * are dense and stable until the state is freed; a state read from a file
 * numbers values in the file's order.
 */
#ifndef HC_ENCODE_STATE_H
#define HC_ENCODE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "lib/strmap.h"
#include "src/encode_num.h"
#include "src/hash_scheme.h"

enum hc_enc_kind {
	HC_ENC_ONEHOT,
	HC_ENC_ORDINAL,
	HC_ENC_COUNT,
	HC_ENC_FREQ,
	HC_ENC_TARGET,
	HC_ENC_WOE,
	HC_ENC_BINARY,
	HC_ENC_RESBIT,
	HC_ENC_HASH,
	HC_ENC_STANDARDIZE, /* numeric: src/encode_num.h */
	HC_ENC_LOG1P,
	HC_ENC_BINS,
	HC_ENC_PASSTHROUGH, /* numeric: the number itself (state version 4) */
	HC_ENC_NKINDS
};

#define HC_ENC_BIT(k) (1u << (k))
#define HC_ENC_TARGET_KINDS (HC_ENC_BIT(HC_ENC_TARGET) | HC_ENC_BIT(HC_ENC_WOE))
#define HC_ENC_CODE_KINDS                                                     \
	(HC_ENC_BIT(HC_ENC_ONEHOT) | HC_ENC_BIT(HC_ENC_ORDINAL) |             \
	 HC_ENC_BIT(HC_ENC_BINARY) | HC_ENC_BIT(HC_ENC_RESBIT))
/* Encoders of numbers (no vocabulary), and those of values. */
#define HC_ENC_NUM_KINDS                                                      \
	(HC_ENC_BIT(HC_ENC_STANDARDIZE) | HC_ENC_BIT(HC_ENC_LOG1P) |          \
	 HC_ENC_BIT(HC_ENC_BINS) | HC_ENC_BIT(HC_ENC_PASSTHROUGH))
#define HC_ENC_VOCAB_KINDS                                                    \
	((HC_ENC_BIT(HC_ENC_NKINDS) - 1) & ~HC_ENC_NUM_KINDS)

/* "onehot", "ordinal", ... */
const char *hc_enc_kind_name(enum hc_enc_kind k);

enum hc_enc_order {
	HC_ENC_ORDER_FREQ,  /* descending count, ties by key bytes */
	HC_ENC_ORDER_FIRST, /* first seen first */
};

/* Most buckets of the hash encoder: ids are 32-bit. */
#define HC_ENC_BUCKETS_MAX ((uint64_t)1 << 32)

/* A column without a code encoder has K = 0.  An unseen value's id: */
#define HC_ENC_UNSEEN UINT32_MAX

struct hc_enc_params {
	double smooth;           /* a >= 0, or HC_TE_SMOOTH_AUTO */
	uint64_t min_count;      /* code encoders: at least this many rows */
	uint64_t max_categories; /* code encoders: at most K values; 0: all */
	enum hc_enc_order order;
	int signed_bits;         /* binary/resbit bits as -1/+1 */
};

/* A value's rows with a target and their sum. */
struct hc_enc_tsum {
	double n, s;
};

struct hc_enc_col {
	char *name;
	unsigned kinds;         /* HC_ENC_BIT set */
	struct hc_strmap vocab; /* value -> id; value slot: row count */
	struct hc_enc_tsum *t;  /* per id, with a target encoder */
	double *ts2;            /* per id: sum of squares; NULL while every
				   target is 0 or 1 (then it equals t[id].s) */
	uint32_t *seen;         /* per id: its rank in first-seen order,
				   when ids are not in that order (a state
				   loaded from a version 5 file); NULL: the
				   id is the rank */
	uint32_t ncl;           /* multiclass with a target encoder: the
				   state's nclasses, else 0 */
	double *tc;             /* multiclass: per id, per class (above) */
	size_t cap;
	/* hc_enc_finalize: */
	uint32_t *code;         /* per id: 0..K-1, or K */
	uint32_t *by_code;      /* per code below K: its id */
	uint32_t ncodes;        /* K */
	unsigned bits;          /* code length for K + 1 categories */
	/* hash encoder (a scheme of src/hash_scheme.h; graph schemes are
	 * not offered, as they need a cluster map): */
	enum hc_scheme scheme;
	uint64_t buckets;
	uint32_t probes;
	double cutoff;          /* frequency schemes */
	uint64_t hash_seed;
	struct hc_col_hasher hasher; /* built by hc_enc_finalize */
	int hasher_live;
	/* numeric encoders (HC_ENC_NUM_KINDS): moments and bins; NULL
	 * without them.  Such a column has a vocabulary only if a value
	 * encoder is named for it too. */
	struct hc_enc_num *num;
};

/* The hash encoder's settings for one column. */
struct hc_enc_hash {
	enum hc_scheme scheme;
	uint64_t buckets;
	uint32_t probes;
	double cutoff;
	uint64_t seed;
};

struct hc_enc_state {
	struct hc_enc_params p;
	char *target;           /* the label column's name; NULL: none */
	uint64_t rows, target_rows;
	double target_sum, target_sum2;
	int target_nonbinary;   /* some target was neither 0 nor 1 */
	/* Multiclass one-vs-rest (--classes): the target is a label among
	 * classes[0..nclasses-1] (0: a numeric target), a row's y its index;
	 * class_rows[k] counts the rows of class k.  Target encoders then
	 * keep, per value, the rows with a target (t[id].n) and per class
	 * the rows of that class (tc[id * nclasses + k]); t[id].s is 0. */
	uint32_t nclasses;
	char **classes;
	double *class_rows;
	size_t ncols;
	struct hc_enc_col *cols;
};

/* A state for ncols columns (names and kinds copied).  target may be NULL
 * unless a target encoder is named; hash (NULL if no column has the hash
 * encoder) gives each column's hash settings.  A column with numeric
 * encoders gets cols[j].num, HC_ENC_NBINS_DEFAULT bins and seed 0 (set
 * its nbins and seed before the first observation).  NULL with err set. */
struct hc_enc_state *hc_enc_state_new(const struct hc_enc_params *p,
				      const char *target, size_t ncols,
				      const char *const *names,
				      const unsigned *kinds,
				      const struct hc_enc_hash *hash,
				      struct hc_err *err);
void hc_enc_state_free(struct hc_enc_state *st);

/* Most classes of a multiclass target. */
#define HC_ENC_CLASSES_MAX 64

/* Makes st's target multiclass with the n labels given (copied; before
 * the first observation).  Target rows' y are then class indices.  0, or
 * -1 with err set (HC_ERR_USAGE: no class, more than
 * HC_ENC_CLASSES_MAX, one twice, or empty). */
int hc_enc_set_classes(struct hc_enc_state *st, size_t n,
		       const char *const *labels, const size_t *lens,
		       struct hc_err *err);
/* The index of a label among st's classes, or -1. */
int hc_enc_class_of(const struct hc_enc_state *st, const char *s, size_t len);

/* Counts one row: vals[j]/lens[j] is column j's value, y its target (NaN:
 * none, ignored by target sums).  ids (if not NULL) gets each value's id
 * (HC_ENC_UNSEEN for a column of numeric encoders only).  A numeric
 * column's value is parsed (hc_enc_num_parse).  0, or -1 with err set
 * (out of memory, too many values, not a number). */
int hc_enc_observe(struct hc_enc_state *st, const char *const *vals,
		   const size_t *lens, double y, uint32_t *ids,
		   struct hc_err *err);

/* The batch form of hc_enc_observe: first the targets of n rows (y[i],
 * NaN: none), then each column's n values (value i at buf + off[i *
 * stride], len[i * stride] bytes), ids[i] getting their ids.  0, or -1
 * with err set. */
int hc_enc_observe_targets(struct hc_enc_state *st, const double *y, size_t n,
			   struct hc_err *err);
int hc_enc_observe_column(struct hc_enc_state *st, size_t j, const char *buf,
			  const uint32_t *off, const uint32_t *len,
			  size_t stride, size_t n, const double *y,
			  uint32_t *ids, struct hc_err *err);

/* Adds n numbers of column j (NaN: missing) to its numeric statistics.
 * 0, or -1 with err set. */
int hc_enc_observe_numbers(struct hc_enc_state *st, size_t j, const double *x,
			   size_t n, struct hc_err *err);

/* Numbers the codes (see the top of this file).  Call after the last
 * observe or merge, before encoding.  0, or -1 (out of memory). */
int hc_enc_finalize(struct hc_enc_state *st, struct hc_err *err);

/* Id of a value of column j, or HC_ENC_UNSEEN. */
uint32_t hc_enc_lookup(const struct hc_enc_state *st, size_t j,
		       const char *val, size_t len);
/* hc_enc_lookup of n values laid out as for hc_enc_observe_column. */
void hc_enc_lookup_column(const struct hc_enc_state *st, size_t j,
			  const char *buf, const uint32_t *off,
			  const uint32_t *len, size_t stride, size_t n,
			  uint32_t *ids);
/* Code of id (HC_ENC_UNSEEN included): 0..K. */
static inline uint32_t hc_enc_code(const struct hc_enc_col *c, uint32_t id)
{
	return id == HC_ENC_UNSEEN ? c->ncodes : c->code[id];
}
/* Row count of id (0 if unseen). */
uint64_t hc_enc_count(const struct hc_enc_col *c, uint32_t id);
/* In-sample target encoding / weight of evidence of id (unseen: the
 * prior / 0). */
double hc_enc_te(const struct hc_enc_state *st, const struct hc_enc_col *c,
		 uint32_t id);
double hc_enc_woe(const struct hc_enc_state *st, const struct hc_enc_col *c,
		  uint32_t id);
/* Multiclass: the in-sample encoding of id for class k, the smoothed
 * mean of the indicator [label == k] (unseen: the class's prior). */
double hc_enc_te_class(const struct hc_enc_state *st,
		       const struct hc_enc_col *c, uint32_t id, uint32_t k);

/* Serialises st (finalized) as the payload of a state file.  0, or -1
 * (out of memory).  Values go out in the order of the vocabulary's hash
 * table, each with its first-seen rank (see encode_state.c). */
int hc_enc_serialize(const struct hc_enc_state *st, struct hc_buf *b);
/* The same with the values laid out as in a file of that version: 5 (the
 * current), or 4 and before: in first-seen order, without ranks (the rest
 * of the payload stays version 4's; tests make older payloads from it). */
int hc_enc_serialize_v(const struct hc_enc_state *st, struct hc_buf *b,
		       unsigned version);
/* Reads a payload back (finalized).  NULL with err set ("corrupted
 * encode state: ...").  _v reads the payload of a file of an older
 * version (1: no numeric encoders; 1, 2: no classes; 1 to 3: no
 * passthrough; 1 to 4: values in first-seen order, no ranks; the plain
 * form reads the current one). */
#define HC_ENC_STATE_VERSION 5
struct hc_enc_state *hc_enc_deserialize(struct hc_cursor *cur,
					struct hc_err *err);
struct hc_enc_state *hc_enc_deserialize_v(struct hc_cursor *cur,
					  unsigned version,
					  struct hc_err *err);
/* Adds b into a: same columns, encoders, target and options, else an
 * error naming the difference.  a is finalized again.  0, or -1. */
int hc_enc_merge(struct hc_enc_state *a, const struct hc_enc_state *b,
		 struct hc_err *err);

#endif
