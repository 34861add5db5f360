/* catalogue.h - the distinct users or items of mf, and finding them again
 *
 * An entry's identity is its key (the u64 of the frame's key column that
 * names the field in "of") when there is one, else the tuple of its ids.
 * Without keys, hashing that puts two items in the same buckets makes
 * them one item here: ranked once, counted as one hit.
 *
 * A struct hc_catmap indexes a catalogue (which it does not own) so that
 * entries can be looked up and appended.
 */
#ifndef HC_CATALOGUE_H
#define HC_CATALOGUE_H

#include "lib/strmap.h"
#include "src/model.h"

struct hc_catmap {
	struct hc_catalogue *c;
	struct hc_strmap map;
	size_t cap;       /* entries c's arrays have room for */
};

/* Indexes c's entries.  0, or -1 (out of memory). */
int hc_catmap_init(struct hc_catmap *cm, struct hc_catalogue *c,
		   struct hc_err *err);
void hc_catmap_release(struct hc_catmap *cm);
/* The index of the entry with these ids (arity of them) and key (ignored
 * when the catalogue has no keys), appending it if new.  -1 with err set
 * (out of memory, or more than 2^32 - 2 entries). */
int64_t hc_catmap_get(struct hc_catmap *cm, const uint32_t *ids,
		      uint64_t key, struct hc_err *err);

/* The key column of d that names column j in "of", or -1. */
long hc_dataset_key_of(const struct hc_dataset *d, size_t j);

/* The arity of a new catalogue for field (column col of d): the field's,
 * or for a variable number of ids the most of any row (at least 1).  0, or
 * -1 with err set (more than HC_MF_MAX_IDS). */
int hc_catalogue_arity(const struct hc_model *m, const struct hc_dataset *d,
		       size_t field, size_t col, uint32_t *arity,
		       struct hc_err *err);

/* Catalogue indices of the rows of d for the model's user and item
 * fields (bind as from hc_model_bind) into *pu and *pi (owned by the
 * caller), appending new entries to cu and ci.  Rows with fewer ids than
 * the catalogue's arity are padded with HC_MF_PAD.  0, or -1 with err set
 * (more ids than the arity; keys in the model but not in the frame). */
int hc_catalogue_rows(const struct hc_model *m, const struct hc_dataset *d,
		      const size_t *bind, struct hc_catmap *cu,
		      struct hc_catmap *ci, uint32_t **pu, uint32_t **pi,
		      struct hc_err *err);

/* Sorted, distinct (user, item) pairs of n rows as per-user lists:
 * start (nusers + 1 offsets) and items.  0, or -1 (out of memory). */
int hc_pairs_group(const uint32_t *pu, const uint32_t *pi, size_t n,
		   size_t nusers, uint64_t **start, uint32_t **items,
		   struct hc_err *err);

#endif
