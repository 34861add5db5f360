/* encode_state.c - fitted encoder state: vocabularies, counts, target
 * sums; codes; serialisation and merge
 *
 * Payload of the state file (lib/statefile.h; little-endian, strings as a
 * u32 length and bytes):
 *
 *   str  target column name ("" for none)
 *   u64  rows, u64 rows with a target
 *   f64  target sum, f64 target sum of squares
 *   u8   target_nonbinary
 *   f64  smooth (-1: auto)      u64 min_count     u64 max_categories
 *   u8   order (0 freq, 1 first-seen)             u8  signed_bits
 *   u32  classes L (version 3; 0: a numeric target), L x str label,
 *        L x f64 rows of the class
 *   u32  columns C
 *   C x  str name, u32 encoder bit set, u32 K (codes),
 *        with the hash encoder: u8 scheme, u64 buckets, u32 probes,
 *              f64 cutoff, u64 seed
 *        u64 values V,
 *        V x ( str value, u64 count, u32 code, u32 first-seen rank,
 *              with a target encoder: f64 n, f64 sum, f64 sum of squares,
 *                or with L classes: f64 n, L x f64 rows of the class )
 *        with a numeric encoder (version 2): u64 numbers, f64 mean, f64
 *              sum of squared deviations, with bins: u32 bins asked, u8
 *              sketch present, the KLL sketch (src/encode_num.h)
 *
 * Version 2 added the numeric encoders (encoder bits 9-11 and their
 * section); a version 1 file is a version 2 file without them.  Version 3
 * added the classes of a multiclass target; a version 2 file is a version
 * 3 file without the classes block (L = 0).  Version 4 added passthrough
 * (encoder bit 12, a numeric encoder with the same section: the moments
 * are kept, unused, so that its columns merge like the others); a version
 * 3 file is a version 4 file without bit 12.  An older file with a bit
 * its version did not have is corrupted (it would be misread).  Version 5
 * stores the values in the order of the vocabulary's hash table, each
 * with its rank in first-seen order (0..V-1, each once); a version 4 file
 * stores them in first-seen order without the rank.
 *
 * Why the table's order: a state is loaded by inserting its values into a
 * table of the same size, and values that come in the table's order are
 * written into it from front to back, where first-seen order scatters
 * them over the whole table, a cache and TLB miss each (for 10M values,
 * 512 MB of table: 1.1 s against 0.16 s).  Ids are then given in that
 * order, and the ranks (hc_enc_col.seen) keep what first-seen order
 * decides: codes with --order first and --max-categories ties, and the
 * order in which merge adds new values.  Values are stored with their
 * code, so loading needs no sort; it happens as the file is read
 * (lib/statefile.h: a window of it at a time).
 * The codes are checked on load (each of 0..K-1 exactly once).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lib/mem.h"
#include "lib/prefault.h"
#include "src/encode_state.h"
#include "src/encode_codes.h"
#include "src/encode_target.h"

static const char *const kind_names[HC_ENC_NKINDS] = {
	"onehot", "ordinal", "count", "freq", "target", "woe", "binary", "resbit",
	"hash", "standardize", "log1p", "bins", "passthrough",
};

const char *hc_enc_kind_name(enum hc_enc_kind k)
{
	return k < HC_ENC_NKINDS ? kind_names[k] : "?";
}

/* ---- life cycle --------------------------------------------------------- */

static void col_release(struct hc_enc_col *c)
{
	hc_free(c->name);
	hc_strmap_release(&c->vocab);
	hc_free(c->t);
	hc_free(c->ts2);
	hc_free(c->tc);
	hc_free(c->code);
	hc_free(c->by_code);
	hc_free(c->seen);
	if (c->hasher_live)
		hc_col_hasher_release(&c->hasher);
	if (c->num) {
		hc_enc_num_release(c->num);
		hc_free(c->num);
	}
}

void hc_enc_state_free(struct hc_enc_state *st)
{
	if (!st)
		return;
	for (size_t j = 0; j < st->ncols; j++)
		col_release(&st->cols[j]);
	hc_free(st->cols);
	hc_free(st->target);
	for (uint32_t k = 0; k < st->nclasses && st->classes; k++)
		hc_free(st->classes[k]);
	hc_free(st->classes);
	hc_free(st->class_rows);
	hc_free(st);
}

struct hc_enc_state *hc_enc_state_new(const struct hc_enc_params *p,
				      const char *target, size_t ncols,
				      const char *const *names,
				      const unsigned *kinds,
				      const struct hc_enc_hash *hash,
				      struct hc_err *err)
{
	struct hc_enc_state *st = hc_calloc(1, sizeof(*st));

	if (!st || !(st->cols = hc_calloc(ncols ? ncols : 1, sizeof(*st->cols))))
		goto nomem;
	st->p = *p;
	if (target && !(st->target = hc_strdup(target)))
		goto nomem;
	for (size_t j = 0; j < ncols; j++) {
		/* counted first: a failure below releases this column too */
		st->ncols = j + 1;
		hc_strmap_init(&st->cols[j].vocab);
		st->cols[j].kinds = kinds[j];
		if (!(st->cols[j].name = hc_strdup(names[j])))
			goto nomem;
		if ((kinds[j] & HC_ENC_NUM_KINDS) &&
		    !(st->cols[j].num = hc_malloc(sizeof(*st->cols[j].num))))
			goto nomem;
		if (st->cols[j].num)
			hc_enc_num_init(st->cols[j].num,
					(kinds[j] & HC_ENC_BIT(HC_ENC_BINS)) != 0,
					HC_ENC_NBINS_DEFAULT, 0);
		if (hash && (kinds[j] & HC_ENC_BIT(HC_ENC_HASH))) {
			st->cols[j].scheme = hash[j].scheme;
			st->cols[j].buckets = hash[j].buckets;
			st->cols[j].probes = hash[j].probes;
			st->cols[j].cutoff = hash[j].cutoff;
			st->cols[j].hash_seed = hash[j].seed;
		}
	}
	return st;
nomem:
	hc_enc_state_free(st);
	hc_err_nomem(err);
	return NULL;
}

int hc_enc_set_classes(struct hc_enc_state *st, size_t n,
		       const char *const *labels, const size_t *lens,
		       struct hc_err *err)
{
	if (n == 0)
		return hc_err_set(err, HC_ERR_USAGE, "--classes: no class given");
	if (n > HC_ENC_CLASSES_MAX)
		return hc_err_set(err, HC_ERR_USAGE, "--classes: %zu classes, at most %d", n, HC_ENC_CLASSES_MAX);
	for (size_t k = 0; k < n; k++) {
		if (lens[k] == 0)
			return hc_err_set(err, HC_ERR_USAGE, "--classes: class %zu is empty (an empty target field is a row without a target)", k + 1);
		for (size_t i = 0; i < k; i++)
			if (lens[i] == lens[k] && !memcmp(labels[i], labels[k], lens[k]))
				return hc_err_set(err, HC_ERR_USAGE, "--classes: '%.*s' is given twice", (int)lens[k], labels[k]);
	}
	if (!(st->classes = hc_calloc(n, sizeof(*st->classes))) ||
	    !(st->class_rows = hc_calloc(n, sizeof(*st->class_rows))))
		return hc_err_nomem(err);
	for (size_t k = 0; k < n; k++) {
		st->nclasses = (uint32_t)k + 1;
		if (!(st->classes[k] = hc_strndup(labels[k], lens[k])))
			return hc_err_nomem(err);
	}
	for (size_t j = 0; j < st->ncols; j++)
		if (st->cols[j].kinds & HC_ENC_TARGET_KINDS)
			st->cols[j].ncl = st->nclasses;
	return 0;
}

int hc_enc_class_of(const struct hc_enc_state *st, const char *s, size_t len)
{
	for (uint32_t k = 0; k < st->nclasses; k++)
		if (strlen(st->classes[k]) == len && !memcmp(st->classes[k], s, len))
			return (int)k;
	return -1;
}

/* ---- counting ----------------------------------------------------------- */

/* Multiclass sums for ids below cap, grown from c->cap (zeroed). */
static int grow_tc(struct hc_enc_col *c, size_t cap, uint32_t ncl)
{
	void *p;

	if (!(p = hc_reallocarray(c->tc, cap, (size_t)ncl * sizeof(double))))
		return -1;
	c->tc = p;
	memset(c->tc + c->cap * ncl, 0, (cap - c->cap) * ncl * sizeof(double));
	return 0;
}

static int col_grow(struct hc_enc_col *c, size_t need, int with_s2)
{
	size_t cap = c->cap ? c->cap : 1024;
	void *p;

	while (cap < need)
		cap *= 2;
	if (c->ncl && grow_tc(c, cap, c->ncl) != 0)
		return -1;
	if (!(p = hc_reallocarray(c->t, cap, sizeof(*c->t))))
		return -1;
	c->t = p;
	if (with_s2) {
		if (!(p = hc_reallocarray(c->ts2, cap, sizeof(double))))
			return -1;
		c->ts2 = p;
		memset(c->ts2 + c->cap, 0, (cap - c->cap) * sizeof(double));
	}
	memset(c->t + c->cap, 0, (cap - c->cap) * sizeof(*c->t));
	c->cap = cap;
	return 0;
}

/* The first target that is not 0 or 1: sums of squares start to differ
 * from sums, so they get arrays of their own, filled from the sums. */
static int start_s2(struct hc_enc_state *st)
{
	st->target_nonbinary = 1;
	for (size_t j = 0; j < st->ncols; j++) {
		struct hc_enc_col *c = &st->cols[j];

		if (!(c->kinds & HC_ENC_TARGET_KINDS) || c->ts2 || !c->cap)
			continue;
		if (!(c->ts2 = hc_mallocarray(c->cap, sizeof(double))))
			return -1;
		for (size_t i = 0; i < c->cap; i++)
			c->ts2[i] = c->t[i].s;
	}
	return 0;
}

/* Counts one value of column c (hash: its XXH3); *id gets its id. */
static int count_value(struct hc_enc_col *c, const char *val, size_t len,
		       uint64_t h, uint32_t *id, struct hc_err *err)
{
	int added;
	uint64_t *cnt = hc_strmap_upsert_hashed(&c->vocab, val, len, h, &added, id);

	if (!cnt && hc_strmap_count(&c->vocab) >= HC_STRMAP_MAX_KEYS)
		return hc_err_set(err, HC_ERR_DATA, "column '%s': more than %u distinct values", c->name, (unsigned)HC_STRMAP_MAX_KEYS);
	if (!cnt)
		return hc_err_nomem(err);
	++*cnt;
	return 0;
}

/* Adds the targets of n rows of ids to their values' sums.  A separate
 * loop over ids already known, so that the sums' cache lines can be
 * prefetched some rows ahead. */
static int add_target_sums(struct hc_enc_state *st, struct hc_enc_col *c,
			   const uint32_t *ids, const double *y, size_t n,
			   struct hc_err *err)
{
	size_t max = 0;

	for (size_t i = 0; i < n; i++)
		max = ids[i] > max ? ids[i] : max;
	if (n && max >= c->cap && col_grow(c, max + 1, st->target_nonbinary) != 0)
		return hc_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		uint32_t id = ids[i];

		if (i + 16 < n)
			__builtin_prefetch(&c->t[ids[i + 16]], 1);
		if (y[i] != y[i])
			continue;
		c->t[id].n += 1;
		if (c->ncl) {
			c->tc[(size_t)id * c->ncl + (size_t)y[i]] += 1;
			continue;
		}
		c->t[id].s += y[i];
		if (c->ts2)
			c->ts2[id] += y[i] * y[i];
	}
	return 0;
}

int hc_enc_observe_targets(struct hc_enc_state *st, const double *y, size_t n,
			   struct hc_err *err)
{
	st->rows += n;
	for (size_t i = 0; i < n; i++) {
		if (y[i] != y[i])
			continue;
		if (st->nclasses) {
			/* a class index (the scan checked it) */
			st->target_rows++;
			st->class_rows[(size_t)y[i]] += 1;
			continue;
		}
		if (y[i] != 0 && y[i] != 1 && !st->target_nonbinary && start_s2(st) != 0)
			return hc_err_nomem(err);
		st->target_rows++;
		st->target_sum += y[i];
		st->target_sum2 += y[i] * y[i];
	}
	return 0;
}

/* A software pipeline, as in src/profile.c: value i + AHEAD is hashed and
 * its slot prefetched, value i + AHEAD/2 has its arena entry prefetched,
 * value i is counted, so the cache misses of a big vocabulary overlap.
 * On the 1M-row ctr file (7 columns, 560k distinct values) it took the
 * fit pass from 1.19 to 0.xx CPU seconds. */
#define AHEAD 16
#define RING 32 /* a power of two above AHEAD */

int hc_enc_observe_column(struct hc_enc_state *st, size_t j, const char *buf,
			  const uint32_t *off, const uint32_t *len,
			  size_t stride, size_t n, const double *y,
			  uint32_t *ids, struct hc_err *err)
{
	struct hc_enc_col *c = &st->cols[j];
	uint64_t h[RING];

	for (size_t i = 0; i < n + AHEAD; i++) {
		if (i < n) {
			h[i & (RING - 1)] = XXH3_64bits(buf + off[i * stride], len[i * stride]);
			hc_strmap_prefetch(&c->vocab, h[i & (RING - 1)]);
		}
		if (i >= AHEAD / 2 && i - AHEAD / 2 < n)
			hc_strmap_prefetch_entry(&c->vocab, h[(i - AHEAD / 2) & (RING - 1)]);
		if (i >= AHEAD) {
			size_t r = i - AHEAD;

			if (count_value(c, buf + off[r * stride], len[r * stride],
					h[r & (RING - 1)], &ids[r], err) != 0)
				return -1;
		}
	}
	if (!(c->kinds & HC_ENC_TARGET_KINDS) || !y)
		return 0;
	return add_target_sums(st, c, ids, y, n, err);
}

void hc_enc_lookup_column(const struct hc_enc_state *st, size_t j,
			  const char *buf, const uint32_t *off,
			  const uint32_t *len, size_t stride, size_t n,
			  uint32_t *ids)
{
	const struct hc_strmap *m = &st->cols[j].vocab;
	uint64_t h[RING];

	for (size_t i = 0; i < n + AHEAD; i++) {
		if (i < n) {
			h[i & (RING - 1)] = XXH3_64bits(buf + off[i * stride], len[i * stride]);
			hc_strmap_prefetch(m, h[i & (RING - 1)]);
		}
		if (i >= AHEAD / 2 && i - AHEAD / 2 < n)
			hc_strmap_prefetch_entry(m, h[(i - AHEAD / 2) & (RING - 1)]);
		if (i >= AHEAD) {
			size_t r = i - AHEAD;
			int64_t id = hc_strmap_find(m, buf + off[r * stride], len[r * stride]);

			ids[r] = id < 0 ? HC_ENC_UNSEEN : (uint32_t)id;
		}
	}
}

int hc_enc_observe(struct hc_enc_state *st, const char *const *vals,
		   const size_t *lens, double y, uint32_t *ids,
		   struct hc_err *err)
{
	if (hc_enc_observe_targets(st, &y, 1, err) != 0)
		return -1;
	for (size_t j = 0; j < st->ncols; j++) {
		uint32_t id = HC_ENC_UNSEEN;
		double x;

		struct hc_enc_col *c = &st->cols[j];

		if (c->num) {
			if (hc_enc_num_parse(vals[j], lens[j], &x) != 0)
				return hc_err_set(err, HC_ERR_DATA, "column '%s': '%.40s' is not a number", c->name, vals[j]);
			if (hc_enc_observe_numbers(st, j, &x, 1, err) != 0)
				return -1;
		}
		if (!(c->kinds & HC_ENC_VOCAB_KINDS)) {
			if (ids)
				ids[j] = id;
			continue;
		}
		if (count_value(c, vals[j], lens[j], XXH3_64bits(vals[j], lens[j]),
				&id, err) != 0)
			return -1;
		if ((c->kinds & HC_ENC_TARGET_KINDS) &&
		    add_target_sums(st, c, &id, &y, 1, err) != 0)
			return -1;
		if (ids)
			ids[j] = id;
	}
	return 0;
}

int hc_enc_observe_numbers(struct hc_enc_state *st, size_t j, const double *x,
			   size_t n, struct hc_err *err)
{
	struct hc_enc_col *c = &st->cols[j];

	if (!c->num)
		return 0;
	return hc_enc_num_add(c->num, x, n, err); /* fails for memory only */
}

/* ---- codes -------------------------------------------------------------- */

struct rank {
	uint64_t count;
	uint32_t id;
	uint32_t len;
	uint32_t first; /* first-seen rank */
	const char *key;
};

static int by_freq(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;
	size_t m = a->len < b->len ? a->len : b->len;
	int c;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if ((c = memcmp(a->key, b->key, m)) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static int by_count_then_first(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static int by_first(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;

	return a->first < b->first ? -1 : a->first > b->first;
}

static int col_finalize(const struct hc_enc_params *p, struct hc_enc_col *c)
{
	size_t n = hc_strmap_count(&c->vocab), k = 0;
	struct rank *r;

	hc_free(c->code);
	hc_free(c->by_code);
	c->by_code = NULL;
	if (!(c->code = hc_mallocarray(n ? n : 1, sizeof(*c->code))))
		return -1;
	if (!(r = hc_mallocarray(n ? n : 1, sizeof(*r))))
		return -1;
	for (size_t id = 0; id < n && (c->kinds & HC_ENC_CODE_KINDS); id++) {
		size_t len;
		uint64_t cnt = *hc_strmap_valuep(&c->vocab, id);

		if (cnt < p->min_count)
			continue;
		r[k].count = cnt;
		r[k].id = (uint32_t)id;
		r[k].first = c->seen ? c->seen[id] : (uint32_t)id;
		r[k].key = hc_strmap_key(&c->vocab, id, &len);
		r[k++].len = (uint32_t)len;
	}
	if (p->order == HC_ENC_ORDER_FREQ) {
		qsort(r, k, sizeof(*r), by_freq);
		if (p->max_categories && k > p->max_categories)
			k = p->max_categories;
	} else if (p->max_categories && k > p->max_categories) {
		qsort(r, k, sizeof(*r), by_count_then_first);
		k = p->max_categories;
		qsort(r, k, sizeof(*r), by_first);
	} else if (c->seen) {
		qsort(r, k, sizeof(*r), by_first);
	}
	c->ncodes = (uint32_t)k;
	c->bits = hc_code_bits((uint64_t)k + 1);
	for (size_t id = 0; id < n; id++)
		c->code[id] = (uint32_t)k;
	if (!(c->by_code = hc_mallocarray(k ? k : 1, sizeof(*c->by_code)))) {
		hc_free(r);
		return -1;
	}
	for (size_t i = 0; i < k; i++) {
		c->code[r[i].id] = (uint32_t)i;
		c->by_code[i] = r[i].id;
	}
	hc_free(r);
	return 0;
}

/* The hash encoder's hasher, ranked on the vocabulary's counts when the
 * scheme counts (frequency, vocab): the same counts hicard hash would
 * take from the same file. */
static int build_hasher(const struct hc_enc_params *p, struct hc_enc_col *c,
			struct hc_err *err)
{
	if (c->hasher_live)
		hc_col_hasher_release(&c->hasher);
	hc_col_hasher_init(&c->hasher, c->scheme, c->name, c->hash_seed,
			   c->buckets, c->probes);
	c->hasher_live = 1;
	if (!hc_scheme_counts(c->scheme))
		return 0;
	return hc_col_hasher_rank(&c->hasher, &c->vocab, c->cutoff,
				  p->min_count ? p->min_count : 1, err);
}

int hc_enc_finalize(struct hc_enc_state *st, struct hc_err *err)
{
	for (size_t j = 0; j < st->ncols; j++) {
		if (col_finalize(&st->p, &st->cols[j]) != 0)
			return hc_err_nomem(err);
		if ((st->cols[j].kinds & HC_ENC_BIT(HC_ENC_HASH)) &&
		    build_hasher(&st->p, &st->cols[j], err) != 0)
			return -1;
		if (st->cols[j].num && hc_enc_num_finalize(st->cols[j].num, err) != 0)
			return -1;
	}
	return 0;
}

/* ---- lookups ------------------------------------------------------------ */

uint32_t hc_enc_lookup(const struct hc_enc_state *st, size_t j,
		       const char *val, size_t len)
{
	int64_t id = hc_strmap_find(&st->cols[j].vocab, val, len);

	return id < 0 ? HC_ENC_UNSEEN : (uint32_t)id;
}

uint64_t hc_enc_count(const struct hc_enc_col *c, uint32_t id)
{
	return id == HC_ENC_UNSEEN ? 0 : *hc_strmap_valuep(&c->vocab, id);
}

static void value_sums(const struct hc_enc_col *c, uint32_t id, double *n,
		       double *s, double *s2)
{
	*n = *s = *s2 = 0;
	if (id == HC_ENC_UNSEEN || id >= c->cap)
		return;
	*n = c->t[id].n;
	*s = c->t[id].s;
	*s2 = c->ts2 ? c->ts2[id] : c->t[id].s;
}

double hc_enc_te(const struct hc_enc_state *st, const struct hc_enc_col *c,
		 uint32_t id)
{
	struct hc_te_global g;
	double n, s, s2;

	hc_te_global_init(&g, (double)st->target_rows, st->target_sum,
			  st->target_sum2);
	value_sums(c, id, &n, &s, &s2);
	return hc_te_value(n, s, s2, &g, st->p.smooth);
}

double hc_enc_te_class(const struct hc_enc_state *st,
		       const struct hc_enc_col *c, uint32_t id, uint32_t k)
{
	struct hc_te_global g;
	double n = 0, s = 0;

	/* the indicator is 0/1: its sum of squares is its sum */
	hc_te_global_init(&g, (double)st->target_rows, st->class_rows[k],
			  st->class_rows[k]);
	if (id != HC_ENC_UNSEEN && id < c->cap) {
		n = c->t[id].n;
		s = c->tc[(size_t)id * st->nclasses + k];
	}
	return hc_te_value(n, s, s, &g, st->p.smooth);
}

double hc_enc_woe(const struct hc_enc_state *st, const struct hc_enc_col *c,
		  uint32_t id)
{
	struct hc_te_global g;
	double n, s, s2;

	hc_te_global_init(&g, (double)st->target_rows, st->target_sum,
			  st->target_sum2);
	value_sums(c, id, &n, &s, &s2);
	return hc_woe_value(n, s, &g, st->p.smooth);
}

/* ---- serialisation ------------------------------------------------------ */

/* b's ids in first-seen order (NULL when that is id order). */
static uint32_t *first_seen_order(const struct hc_enc_col *c, size_t n)
{
	uint32_t *order;

	if (!c->seen)
		return NULL;
	if (!(order = hc_mallocarray(n ? n : 1, sizeof(*order))))
		return NULL;
	for (size_t id = 0; id < n; id++)
		order[c->seen[id]] = (uint32_t)id;
	return order;
}

/* Value id's record (see the payload above). */
static void put_value(const struct hc_enc_col *c, size_t id, int ranked,
		      struct hc_buf *b)
{
	size_t len;
	const char *key = hc_strmap_key(&c->vocab, id, &len);
	double tn, ts, ts2;

	hc_buf_put_str(b, key, len);
	hc_buf_put_u64(b, *hc_strmap_valuep(&c->vocab, id));
	hc_buf_put_u32(b, c->code[id]);
	if (ranked)
		hc_buf_put_u32(b, c->seen ? c->seen[id] : (uint32_t)id);
	if (!(c->kinds & HC_ENC_TARGET_KINDS))
		return;
	if (c->ncl) {
		hc_buf_put_f64(b, id < c->cap ? c->t[id].n : 0);
		for (uint32_t k = 0; k < c->ncl; k++)
			hc_buf_put_f64(b, id < c->cap ? c->tc[id * c->ncl + k] : 0);
		return;
	}
	value_sums(c, (uint32_t)id, &tn, &ts, &ts2);
	hc_buf_put_f64(b, tn);
	hc_buf_put_f64(b, ts);
	hc_buf_put_f64(b, ts2);
}

/* A column's values: version 5 in the order of its table, with ranks;
 * before, in first-seen order.  0, or -1 (out of memory). */
static int put_values(const struct hc_enc_col *c, struct hc_buf *b,
		      unsigned version)
{
	size_t n = hc_strmap_count(&c->vocab);
	uint32_t *order;

	if (version >= 5) {
		for (size_t i = 0; i < hc_strmap_nslots(&c->vocab); i++) {
			int64_t id = hc_strmap_id_at(&c->vocab, i);
			if (id >= 0)
				put_value(c, (size_t)id, 1, b);
		}
		return 0;
	}
	order = first_seen_order(c, n);
	if (c->seen && !order)
		return -1;
	for (size_t k = 0; k < n; k++)
		put_value(c, order ? order[k] : k, 0, b);
	hc_free(order);
	return 0;
}

int hc_enc_serialize(const struct hc_enc_state *st, struct hc_buf *b)
{
	return hc_enc_serialize_v(st, b, HC_ENC_STATE_VERSION);
}

int hc_enc_serialize_v(const struct hc_enc_state *st, struct hc_buf *b,
		       unsigned version)
{
	const char *t = st->target ? st->target : "";

	hc_buf_put_str(b, t, strlen(t));
	hc_buf_put_u64(b, st->rows);
	hc_buf_put_u64(b, st->target_rows);
	hc_buf_put_f64(b, st->target_sum);
	hc_buf_put_f64(b, st->target_sum2);
	hc_buf_put_u8(b, (uint8_t)st->target_nonbinary);
	hc_buf_put_f64(b, st->p.smooth);
	hc_buf_put_u64(b, st->p.min_count);
	hc_buf_put_u64(b, st->p.max_categories);
	hc_buf_put_u8(b, (uint8_t)st->p.order);
	hc_buf_put_u8(b, (uint8_t)st->p.signed_bits);
	hc_buf_put_u32(b, st->nclasses);
	for (uint32_t k = 0; k < st->nclasses; k++)
		hc_buf_put_str(b, st->classes[k], strlen(st->classes[k]));
	for (uint32_t k = 0; k < st->nclasses; k++)
		hc_buf_put_f64(b, st->class_rows[k]);
	hc_buf_put_u32(b, (uint32_t)st->ncols);
	for (size_t j = 0; j < st->ncols; j++) {
		const struct hc_enc_col *c = &st->cols[j];
		size_t n = hc_strmap_count(&c->vocab);

		hc_buf_put_str(b, c->name, strlen(c->name));
		hc_buf_put_u32(b, c->kinds);
		hc_buf_put_u32(b, c->ncodes);
		if (c->kinds & HC_ENC_BIT(HC_ENC_HASH)) {
			hc_buf_put_u8(b, (uint8_t)c->scheme);
			hc_buf_put_u64(b, c->buckets);
			hc_buf_put_u32(b, c->probes);
			hc_buf_put_f64(b, c->cutoff);
			hc_buf_put_u64(b, c->hash_seed);
		}
		hc_buf_put_u64(b, n);
		if (put_values(c, b, version) != 0)
			return -1;
		if (c->num && hc_enc_num_serialize(c->num, b) != 0)
			return -1;
		if (b->failed)
			return -1;
	}
	return b->failed ? -1 : 0;
}

static int corrupt(struct hc_err *err, const char *what)
{
	return hc_err_set(err, HC_ERR_DATA, "corrupted encode state: %s", what);
}

/* Whether target sums over n rows could have come from fitting: n whole,
 * the sums within what n targets of at most HC_TE_TARGET_MAX give, and
 * for a 0/1 target 0 <= s, s2 <= n.  Damaged sums that pass isfinite alone
 * can still make an encoding infinite. */
static int sums_fit(double n, double s, double s2, int nonbinary)
{
	const double m = HC_TE_TARGET_MAX;

	if (!(n >= 0 && n <= 0x1p64 && n == floor(n)))
		return 0;
	if (!nonbinary)
		return s >= 0 && s <= n && s2 >= 0 && s2 <= n;
	return fabs(s) <= n * m && s2 >= 0 && s2 <= n * m * m;
}

/* Version 3's classes block (get_header). */
static int get_classes(struct hc_enc_state *st, struct hc_cursor *cur,
		       struct hc_err *err)
{
	uint32_t n;
	double sum = 0;

	if (hc_get_u32(cur, &n) != 0)
		return corrupt(err, "truncated header");
	if (n == 0)
		return 0;
	if (n > HC_ENC_CLASSES_MAX || !st->target || st->target_nonbinary ||
	    st->target_sum != 0 || st->target_sum2 != 0)
		return corrupt(err, "classes");
	if (!(st->classes = hc_calloc(n, sizeof(*st->classes))) ||
	    !(st->class_rows = hc_calloc(n, sizeof(*st->class_rows))))
		return hc_err_nomem(err);
	for (uint32_t k = 0; k < n; k++) {
		const char *t;
		size_t len;

		if (hc_get_str(cur, &t, &len) != 0 || memchr(t, '\0', len) || !len)
			return corrupt(err, "class label");
		st->nclasses = k + 1;
		if (!(st->classes[k] = hc_strndup(t, len)))
			return hc_err_nomem(err);
		if (hc_enc_class_of(st, t, len) != (int)k)
			return corrupt(err, "a class appears twice");
	}
	for (uint32_t k = 0; k < n; k++) {
		if (hc_get_f64(cur, &st->class_rows[k]) != 0)
			return corrupt(err, "truncated header");
		if (!sums_fit((double)st->target_rows, st->class_rows[k],
			      st->class_rows[k], 0) ||
		    st->class_rows[k] != floor(st->class_rows[k]))
			return corrupt(err, "class rows");
		sum += st->class_rows[k];
	}
	if (sum != (double)st->target_rows)
		return corrupt(err, "class rows");
	return 0;
}

static int get_header(struct hc_enc_state *st, struct hc_cursor *cur,
		      unsigned version, uint32_t *ncols, struct hc_err *err)
{
	const char *t;
	size_t tlen;
	uint8_t nb, order, sb;

	if (hc_get_str(cur, &t, &tlen) != 0 || memchr(t, '\0', tlen))
		return corrupt(err, "target name");
	if (tlen && !(st->target = hc_strndup(t, tlen)))
		return hc_err_nomem(err);
	hc_get_u64(cur, &st->rows);
	hc_get_u64(cur, &st->target_rows);
	hc_get_f64(cur, &st->target_sum);
	hc_get_f64(cur, &st->target_sum2);
	hc_get_u8(cur, &nb);
	hc_get_f64(cur, &st->p.smooth);
	hc_get_u64(cur, &st->p.min_count);
	hc_get_u64(cur, &st->p.max_categories);
	hc_get_u8(cur, &order);
	if (hc_get_u8(cur, &sb) != 0)
		return corrupt(err, "truncated header");
	st->target_nonbinary = nb;
	if (version >= 3 && get_classes(st, cur, err) != 0)
		return -1;
	if (hc_get_u32(cur, ncols) != 0)
		return corrupt(err, "truncated header");
	if (nb > 1 || order > 1 || sb > 1 || !(st->p.smooth <= HC_TE_SMOOTH_MAX) ||
	    (st->p.smooth < 0 && st->p.smooth != HC_TE_SMOOTH_AUTO) ||
	    st->target_rows > st->rows ||
	    !sums_fit((double)st->target_rows, st->target_sum, st->target_sum2, nb))
		return corrupt(err, "options");
	st->target_nonbinary = nb;
	st->p.order = order;
	st->p.signed_bits = sb;
	if (*ncols == 0 || *ncols > hc_cursor_left(cur) / 16)
		return corrupt(err, "column count");
	return 0;
}

/* One value's record, parsed ahead of its insertion (see get_col). */
struct entry {
	const char *key;
	size_t len;
	uint64_t hash, count;
	uint32_t code, first; /* first: the first-seen rank (version 5) */
	double n, s, s2;
	double cs[HC_ENC_CLASSES_MAX]; /* multiclass: rows per class */
};

/* How one column's values are read (get_values). */
struct col_load {
	struct hc_enc_col *c;
	int tgt;
	uint64_t n;      /* values */
	uint64_t *taken; /* version 5: a bit per first-seen rank read */
	size_t rest;     /* a record's bytes after its key */
};

/* A multiclass value's sums: whole, each within n, adding up to n. */
static int class_sums_fit(const struct entry *e, uint32_t ncl)
{
	double sum = 0;

	if (!(e->n >= 0 && e->n <= 0x1p64 && e->n == floor(e->n)))
		return 0;
	for (uint32_t k = 0; k < ncl; k++) {
		if (!(e->cs[k] >= 0 && e->cs[k] <= e->n && e->cs[k] == floor(e->cs[k])))
			return 0;
		sum += e->cs[k];
	}
	return sum == e->n;
}

static int parse_value(const struct hc_enc_state *st, struct hc_cursor *cur,
		       const struct col_load *l, struct entry *e,
		       struct hc_err *err)
{
	int tgt = l->tgt;

	if (hc_get_str(cur, &e->key, &e->len) != 0 || hc_get_u64(cur, &e->count) != 0 ||
	    hc_get_u32(cur, &e->code) != 0 ||
	    (l->taken && hc_get_u32(cur, &e->first) != 0))
		return corrupt(err, "truncated vocabulary");
	e->hash = XXH3_64bits(e->key, e->len);
	if (!tgt)
		return 0;
	if (st->nclasses) {
		if (hc_get_f64(cur, &e->n) != 0)
			return corrupt(err, "truncated target sums");
		for (uint32_t k = 0; k < st->nclasses; k++)
			if (hc_get_f64(cur, &e->cs[k]) != 0)
				return corrupt(err, "truncated target sums");
		if (!(e->n <= (double)st->target_rows) || !class_sums_fit(e, st->nclasses))
			return corrupt(err, "target sums");
		return 0;
	}
	if (hc_get_f64(cur, &e->n) != 0 || hc_get_f64(cur, &e->s) != 0 ||
	    hc_get_f64(cur, &e->s2) != 0)
		return corrupt(err, "truncated target sums");
	if (!(e->n <= (double)st->target_rows) ||
	    !sums_fit(e->n, e->s, e->s2, st->target_nonbinary) ||
	    (!st->target_nonbinary && e->s2 != e->s))
		return corrupt(err, "target sums");
	return 0;
}

static int store_value(const struct col_load *l, const struct entry *e,
		       uint64_t id, struct hc_err *err)
{
	struct hc_enc_col *c = l->c;
	int tgt = l->tgt;
	uint64_t *slot;
	uint32_t got;
	int added;

	slot = hc_strmap_upsert_hashed(&c->vocab, e->key, e->len, e->hash, &added, &got);
	if (!slot)
		return hc_err_nomem(err);
	if (!added || got != id)
		return corrupt(err, "a value appears twice");
	*slot = e->count;
	if (e->code > c->ncodes ||
	    (e->code < c->ncodes && c->by_code[e->code] != UINT32_MAX))
		return corrupt(err, "codes");
	c->code[id] = e->code;
	if (e->code < c->ncodes)
		c->by_code[e->code] = (uint32_t)id;
	if (l->taken) {
		/* each rank once: n ranks below n are 0..n-1 */
		uint64_t bit = (uint64_t)1 << (e->first & 63);
		if (e->first >= l->n || (l->taken[e->first >> 6] & bit))
			return corrupt(err, "first-seen ranks");
		l->taken[e->first >> 6] |= bit;
		c->seen[id] = e->first;
	}
	if (tgt && c->ncl) {
		c->t[id].n = e->n;
		c->t[id].s = 0;
		memcpy(c->tc + id * c->ncl, e->cs, c->ncl * sizeof(double));
	} else if (tgt) {
		c->t[id].n = e->n;
		c->t[id].s = e->s;
		if (c->ts2)
			c->ts2[id] = e->s2;
	}
	return 0;
}

/* A value's record after its key: count, code, the first-seen rank
 * (version 5) and the target sums (parse_value). */
static size_t record_rest(int tgt, uint32_t ncl, int ranked)
{
	size_t head = 8 + 4 + (ranked ? 4 : 0);

	return !tgt ? head : ncl ? head + (1 + (size_t)ncl) * 8 : head + 3 * 8;
}

/* How many of the next n records are whole in the cursor's window. */
static uint64_t whole_records(const struct hc_cursor *cur, size_t rest,
			      uint64_t n)
{
	const unsigned char *p = cur->p;
	size_t left = hc_cursor_window(cur);
	uint64_t k;

	for (k = 0; k < n && left >= 4; k++) {
		size_t len = (size_t)p[0] | (size_t)p[1] << 8 |
			     (size_t)p[2] << 16 | (size_t)p[3] << 24;
		if (left - 4 < rest || left - 4 - rest < len)
			break;
		p += 4 + len + rest;
		left -= 4 + len + rest;
	}
	return k;
}

/* Values are parsed and their slots prefetched AHEAD entries before they
 * are inserted, so that the cache misses of a big vocabulary overlap (the
 * pipeline of hc_enc_observe_column).  A state read as it is decoded
 * (lib/statefile.h) has a window of the file in memory, refilled when a
 * get needs more: the pipeline runs over the records that are whole in
 * the window, whose keys then stay put, and the window moves between. */
static int get_values(const struct hc_enc_state *st, const struct col_load *l,
		      struct hc_cursor *cur, struct hc_err *err)
{
	struct entry ring[RING];
	struct hc_enc_col *c = l->c;
	uint64_t n = l->n;
	size_t rest = l->rest;

	for (uint64_t done = 0, m; done < n; done += m) {
		if ((m = whole_records(cur, rest, n - done)) == 0) {
			/* the next record runs past the window: bring it in */
			const unsigned char *p;
			if (hc_cursor_need(cur, 4) != 0 || hc_cursor_window(cur) < 4)
				return corrupt(err, "truncated vocabulary");
			p = cur->p;
			hc_cursor_need(cur, 4 + rest + ((size_t)p[0] | (size_t)p[1] << 8 |
							(size_t)p[2] << 16 | (size_t)p[3] << 24));
			if ((m = whole_records(cur, rest, n - done)) == 0)
				return corrupt(err, "truncated vocabulary");
		}
		for (uint64_t i = 0; i < m + AHEAD; i++) {
			if (i < m) {
				const struct entry *e = &ring[i & (RING - 1)];
				if (parse_value(st, cur, l, &ring[i & (RING - 1)], err) != 0)
					return -1;
				hc_strmap_prefetch(&c->vocab, e->hash);
				/* ranks come in no order: their bits' words
				 * are fetched ahead like the slots */
				if (l->taken && e->first < n)
					__builtin_prefetch(&l->taken[e->first >> 6]);
			}
			if (i >= AHEAD / 2 && i - AHEAD / 2 < m)
				hc_strmap_prefetch_entry(&c->vocab, ring[(i - AHEAD / 2) & (RING - 1)].hash);
			if (i >= AHEAD &&
			    store_value(l, &ring[(i - AHEAD) & (RING - 1)],
					done + i - AHEAD, err) != 0)
				return -1;
		}
	}
	return 0;
}

/* A column's n values, into arrays and a table allocated at their full
 * size.  While they are read, another thread makes that fresh memory
 * present (lib/prefault.h), and a version 5 file's values come in the
 * order of the table they go into, so that the table is written from
 * front to back instead of at random (a 10M-value table: 1.1 s of random
 * writes against 0.16 s in order, measured on this project's 2-core
 * machine with the memory already present). */
static int get_vocab(const struct hc_enc_state *st, struct hc_enc_col *c,
		     struct hc_cursor *cur, uint64_t n, int tgt,
		     unsigned version, struct hc_err *err)
{
	struct col_load l = {.c = c, .tgt = tgt, .n = n};
	struct hc_prefault pf;
	int rc;

	if (!(c->code = hc_mallocarray(n ? n : 1, sizeof(*c->code))) ||
	    !(c->by_code = hc_mallocarray(c->ncodes ? c->ncodes : 1, sizeof(*c->by_code))))
		return hc_err_nomem(err);
	memset(c->by_code, 0xff, (size_t)c->ncodes * sizeof(*c->by_code));
	if (tgt && st->nclasses) {
		c->ncl = st->nclasses;
		c->cap = n ? n : 1;
		c->t = hc_mallocarray(c->cap, sizeof(*c->t));
		c->tc = hc_mallocarray(c->cap, (size_t)c->ncl * sizeof(double));
		if (!c->t || !c->tc)
			return hc_err_nomem(err);
	} else if (tgt) {
		/* sums of squares of a 0/1 target are its sums (ts2) */
		c->cap = n ? n : 1;
		c->t = hc_mallocarray(c->cap, sizeof(*c->t));
		if (st->target_nonbinary)
			c->ts2 = hc_mallocarray(c->cap, sizeof(double));
		if (!c->t || (st->target_nonbinary && !c->ts2))
			return hc_err_nomem(err);
	}
	if (version >= 5 &&
	    (!(c->seen = hc_mallocarray(n ? n : 1, sizeof(*c->seen))) ||
	     !(l.taken = hc_calloc(n / 64 + 1, sizeof(*l.taken)))))
		return hc_err_nomem(err);
	l.rest = record_rest(tgt, c->ncl, l.taken != NULL);
	/* room for the keys in the table; long keys' bytes are not known
	 * before they are read (the arena grows as they come) */
	if (hc_strmap_reserve(&c->vocab, n, 0) != 0) {
		hc_free(l.taken);
		return hc_err_nomem(err);
	}
	hc_prefault_init(&pf);
	hc_prefault_add(&pf, c->vocab.slots, hc_strmap_nslots(&c->vocab) * sizeof(*c->vocab.slots));
	hc_prefault_add(&pf, c->vocab.slot_of, n * sizeof(*c->vocab.slot_of));
	hc_prefault_add(&pf, c->code, n * sizeof(*c->code));
	hc_prefault_add(&pf, c->seen, n * sizeof(*c->seen));
	if (c->ncl)
		hc_prefault_add(&pf, c->tc, n * c->ncl * sizeof(double));
	if (tgt)
		hc_prefault_add(&pf, c->t, n * sizeof(*c->t));
	if (c->ts2)
		hc_prefault_add(&pf, c->ts2, n * sizeof(double));
	hc_prefault_start(&pf);
	rc = get_values(st, &l, cur, err);
	hc_prefault_wait(&pf);
	hc_free(l.taken);
	return rc;
}

static int get_hash(struct hc_enc_col *c, struct hc_cursor *cur,
		    struct hc_err *err)
{
	uint8_t scheme;

	if (hc_get_u8(cur, &scheme) != 0 || hc_get_u64(cur, &c->buckets) != 0 ||
	    hc_get_u32(cur, &c->probes) != 0 || hc_get_f64(cur, &c->cutoff) != 0 ||
	    hc_get_u64(cur, &c->hash_seed) != 0)
		return corrupt(err, "truncated hash settings");
	c->scheme = (enum hc_scheme)scheme;
	if (scheme > HC_SCHEME_MODULO || hc_scheme_graph(c->scheme) ||
	    c->buckets < 1 || c->buckets > HC_ENC_BUCKETS_MAX ||
	    c->probes < 1 || c->probes > HC_HASH_PROBES_MAX ||
	    !(c->cutoff >= 0 && c->cutoff <= 1))
		return corrupt(err, "hash settings");
	return 0;
}

/* The encoder bits a state file of this version may hold. */
static unsigned version_kinds(unsigned version)
{
	if (version < 2)
		return HC_ENC_BIT(HC_ENC_STANDARDIZE) - 1;
	if (version < 4)
		return HC_ENC_BIT(HC_ENC_PASSTHROUGH) - 1;
	return HC_ENC_BIT(HC_ENC_NKINDS) - 1;
}

static int get_col(const struct hc_enc_state *st, struct hc_enc_col *c,
		   struct hc_cursor *cur, unsigned version,
		   struct hc_err *err)
{
	const char *name;
	size_t len;
	uint64_t n;
	int tgt;

	if (hc_get_str(cur, &name, &len) != 0)
		return corrupt(err, "truncated column");
	/* the name is copied before the next get, which may move the
	 * window it points into */
	if (memchr(name, '\0', len))
		return corrupt(err, "a column name holds a NUL byte");
	if (!(c->name = hc_strndup(name, len)))
		return hc_err_nomem(err);
	if (hc_get_u32(cur, &c->kinds) != 0 || hc_get_u32(cur, &c->ncodes) != 0)
		return corrupt(err, "truncated column");
	if ((c->kinds & HC_ENC_BIT(HC_ENC_HASH)) && get_hash(c, cur, err) != 0)
		return -1;
	if (hc_get_u64(cur, &n) != 0)
		return corrupt(err, "truncated column");
	tgt = (c->kinds & HC_ENC_TARGET_KINDS) != 0;
	/* fit refuses woe without a 0/1 target or with --smooth 0 (an
	 * infinite woe); a state that has one is damaged */
	if ((c->kinds & HC_ENC_BIT(HC_ENC_WOE)) &&
	    (st->target_nonbinary || st->p.smooth == 0 || st->nclasses))
		return corrupt(err, "woe settings");
	if (c->kinds == 0 || (c->kinds & ~version_kinds(version)) ||
	    n > HC_STRMAP_MAX_KEYS || n > hc_cursor_left(cur) / 16 ||
	    c->ncodes > n)
		return corrupt(err, "column header");
	c->bits = hc_code_bits((uint64_t)c->ncodes + 1);
	if (get_vocab(st, c, cur, n, tgt, version, err) != 0)
		return -1;
	if (c->kinds & HC_ENC_NUM_KINDS) {
		if (!(c->num = hc_malloc(sizeof(*c->num))))
			return hc_err_nomem(err);
		if (hc_enc_num_load(c->num, cur, (c->kinds & HC_ENC_BIT(HC_ENC_BINS)) != 0,
				    st->rows, err) != 0)
			return -1;
	}
	for (uint32_t k = 0; k < c->ncodes; k++)
		if (c->by_code[k] == UINT32_MAX)
			return corrupt(err, "codes");
	return 0;
}

/* After loading: the hashers, which the file does not hold (they follow
 * from the settings and the counts). */
static int build_hashers(struct hc_enc_state *st, struct hc_err *err)
{
	for (size_t j = 0; j < st->ncols; j++)
		if ((st->cols[j].kinds & HC_ENC_BIT(HC_ENC_HASH)) &&
		    build_hasher(&st->p, &st->cols[j], err) != 0)
			return -1;
	return 0;
}

struct hc_enc_state *hc_enc_deserialize(struct hc_cursor *cur,
					struct hc_err *err)
{
	return hc_enc_deserialize_v(cur, HC_ENC_STATE_VERSION, err);
}

struct hc_enc_state *hc_enc_deserialize_v(struct hc_cursor *cur,
					  unsigned version,
					  struct hc_err *err)
{
	struct hc_enc_state *st = hc_calloc(1, sizeof(*st));
	uint32_t ncols;

	if (!st) {
		hc_err_nomem(err);
		return NULL;
	}
	if (get_header(st, cur, version, &ncols, err) != 0)
		goto fail;
	if (!(st->cols = hc_calloc(ncols, sizeof(*st->cols)))) {
		hc_err_nomem(err);
		goto fail;
	}
	for (size_t j = 0; j < ncols; j++) {
		st->ncols++;
		hc_strmap_init(&st->cols[j].vocab);
		if (get_col(st, &st->cols[j], cur, version, err) != 0)
			goto fail;
		if ((st->cols[j].kinds & HC_ENC_TARGET_KINDS) && !st->target) {
			corrupt(err, "a target encoder without a target");
			goto fail;
		}
	}
	if (hc_cursor_left(cur) != 0) {
		corrupt(err, "bytes after the last column");
		goto fail;
	}
	if (build_hashers(st, err) != 0)
		goto fail;
	return st;
fail:
	hc_enc_state_free(st);
	return NULL;
}

/* ---- merge -------------------------------------------------------------- */

static int same_setup(const struct hc_enc_state *a, const struct hc_enc_state *b,
		      struct hc_err *err)
{
	if (a->ncols != b->ncols)
		return hc_err_set(err, HC_ERR_DATA, "states encode different columns (%zu and %zu)", a->ncols, b->ncols);
	for (size_t j = 0; j < a->ncols; j++)
		if (strcmp(a->cols[j].name, b->cols[j].name) != 0 ||
		    a->cols[j].kinds != b->cols[j].kinds)
			return hc_err_set(err, HC_ERR_DATA, "states encode different columns or encoders ('%s' and '%s')", a->cols[j].name, b->cols[j].name);
	for (size_t j = 0; j < a->ncols; j++) {
		const struct hc_enc_col *x = &a->cols[j], *y = &b->cols[j];

		if ((x->kinds & HC_ENC_BIT(HC_ENC_HASH)) &&
		    (x->scheme != y->scheme || x->buckets != y->buckets ||
		     x->probes != y->probes || x->cutoff != y->cutoff ||
		     x->hash_seed != y->hash_seed))
			return hc_err_set(err, HC_ERR_DATA, "column '%s': states hash it differently", x->name);
	}
	if ((a->target == NULL) != (b->target == NULL) ||
	    (a->target && strcmp(a->target, b->target) != 0))
		return hc_err_set(err, HC_ERR_DATA, "states have different target columns");
	if (a->nclasses != b->nclasses)
		return hc_err_set(err, HC_ERR_DATA, "states have different --classes");
	for (uint32_t k = 0; k < a->nclasses; k++)
		if (strcmp(a->classes[k], b->classes[k]) != 0)
			return hc_err_set(err, HC_ERR_DATA, "states have different --classes ('%s' and '%s')", a->classes[k], b->classes[k]);
	if (a->p.smooth != b->p.smooth || a->p.min_count != b->p.min_count ||
	    a->p.max_categories != b->p.max_categories ||
	    a->p.order != b->p.order || a->p.signed_bits != b->p.signed_bits)
		return hc_err_set(err, HC_ERR_DATA, "states were fitted with different options (--smooth, --min-count, --max-categories, --order, --signed-bits)");
	return 0;
}

/* Value i of cb added into ca. */
static int merge_value(struct hc_enc_col *ca, const struct hc_enc_col *cb,
		       size_t i, int tgt, struct hc_err *err)
{
	size_t len;
	const char *key = hc_strmap_key(&cb->vocab, i, &len);
	uint32_t id;
	int added;
	uint64_t *slot = hc_strmap_upsert_hashed(&ca->vocab, key, len,
						 XXH3_64bits(key, len), &added, &id);
	double tn, ts, ts2;

	if (!slot)
		return hc_err_nomem(err);
	*slot += *hc_strmap_valuep(&cb->vocab, i);
	if (!tgt)
		return 0;
	if (id >= ca->cap && col_grow(ca, (size_t)id + 1, ca->ts2 != NULL) != 0)
		return hc_err_nomem(err);
	if (ca->ncl) {
		ca->t[id].n += i < cb->cap ? cb->t[i].n : 0;
		for (uint32_t k = 0; k < ca->ncl && i < cb->cap; k++)
			ca->tc[(size_t)id * ca->ncl + k] += cb->tc[i * cb->ncl + k];
		return 0;
	}
	value_sums(cb, (uint32_t)i, &tn, &ts, &ts2);
	ca->t[id].n += tn;
	ca->t[id].s += ts;
	if (ca->ts2)
		ca->ts2[id] += ts2;
	return 0;
}

/* a's first-seen ranks once values new to it have ids n0 and up: the
 * ranks that follow a's own (NULL stays NULL: ids in first-seen order). */
static int extend_seen(struct hc_enc_col *ca, size_t n0)
{
	size_t n = hc_strmap_count(&ca->vocab);
	uint32_t *p;

	if (!ca->seen || n == n0)
		return 0;
	if (!(p = hc_reallocarray(ca->seen, n, sizeof(*p))))
		return -1;
	ca->seen = p;
	for (size_t id = n0; id < n; id++)
		p[id] = (uint32_t)id;
	return 0;
}

static int merge_col(struct hc_enc_state *a, struct hc_enc_col *ca,
		     const struct hc_enc_col *cb, struct hc_err *err)
{
	size_t n = hc_strmap_count(&cb->vocab), n0 = hc_strmap_count(&ca->vocab);
	int tgt = (ca->kinds & HC_ENC_TARGET_KINDS) != 0;
	uint32_t *order = first_seen_order(cb, n);
	int rc = 0;

	if (cb->seen && !order)
		return hc_err_nomem(err);
	for (size_t k = 0; k < n && rc == 0; k++)
		rc = merge_value(ca, cb, order ? order[k] : k, tgt, err);
	hc_free(order);
	if (rc == 0 && extend_seen(ca, n0) != 0)
		rc = hc_err_nomem(err);
	if (rc != 0)
		return -1;
	(void)a;
	if (ca->num && hc_enc_num_merge(ca->num, cb->num, err) != 0) {
		if (err->kind == HC_ERR_DATA)
			hc_err_prefix(err, "column '%s'", ca->name);
		return -1;
	}
	return 0;
}

int hc_enc_merge(struct hc_enc_state *a, const struct hc_enc_state *b,
		 struct hc_err *err)
{
	if (same_setup(a, b, err) != 0)
		return -1;
	if (b->target_nonbinary && !a->target_nonbinary && start_s2(a) != 0)
		return hc_err_nomem(err);
	a->rows += b->rows;
	a->target_rows += b->target_rows;
	a->target_sum += b->target_sum;
	a->target_sum2 += b->target_sum2;
	for (uint32_t k = 0; k < a->nclasses; k++)
		a->class_rows[k] += b->class_rows[k];
	for (size_t j = 0; j < a->ncols; j++)
		if (merge_col(a, &a->cols[j], &b->cols[j], err) != 0)
			return -1;
	return hc_enc_finalize(a, err);
}
