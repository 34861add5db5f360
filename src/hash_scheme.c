/* hash_scheme.c - the formulas of hash_scheme.h, and the ranked and mapped
 * tables of the counting and graph schemes
 *
 * Ids are taken with a true "mod m" (not a multiply-shift range map) so
 * that the formulas in the manual hold exactly as written and published
 * numbers can be reproduced; a 64-bit hash mod m < 2^32 has a bias below
 * 2^-32, far under anything a model sees.
 */
#include "src/hash_scheme.h"

#include <string.h>

#include "lib/mem.h"
#include "lib/parse.h"
#include "src/hash_table.h"

static const char *const scheme_names[] = {
	"mod", "multiplex", "double", "frequency", "double-frequency",
	"graph", "double-graph", "vocab", "modulo",
};
#define NSCHEMES (sizeof(scheme_names) / sizeof(scheme_names[0]))

const char *hc_scheme_name(enum hc_scheme s)
{
	return (size_t)s < NSCHEMES ? scheme_names[s] : "?";
}

int hc_scheme_parse(const char *name, enum hc_scheme *s, struct hc_err *err)
{
	for (size_t i = 0; i < NSCHEMES; i++)
		if (strcmp(name, scheme_names[i]) == 0) {
			*s = (enum hc_scheme)i;
			return 0;
		}
	return hc_err_set(err, HC_ERR_USAGE,
			  "unknown scheme '%s' (mod, multiplex, double, frequency, double-frequency, graph, double-graph, vocab, modulo)",
			  name);
}

int hc_scheme_counts(enum hc_scheme s)
{
	return s == HC_SCHEME_FREQUENCY || s == HC_SCHEME_DOUBLE_FREQUENCY ||
	       s == HC_SCHEME_VOCAB;
}

int hc_scheme_graph(enum hc_scheme s)
{
	return s == HC_SCHEME_GRAPH || s == HC_SCHEME_DOUBLE_GRAPH;
}

void hc_col_hasher_init(struct hc_col_hasher *h, enum hc_scheme scheme,
			const char *name, uint64_t seed, uint64_t m,
			uint32_t probes)
{
	memset(h, 0, sizeof(*h));
	h->scheme = scheme;
	h->m = m;
	h->probes = scheme == HC_SCHEME_MULTIPLEX ? probes : 1;
	for (uint32_t p = 0; p < HC_HASH_PROBES_MAX; p++)
		h->salt[p] = hc_hash64(seed + p, name, strlen(name));
	hc_strmap_init(&h->table);
	h->space = m;
	switch (scheme) {
	case HC_SCHEME_MULTIPLEX:
		h->arity = h->probes;
		break;
	case HC_SCHEME_DOUBLE:
	case HC_SCHEME_DOUBLE_GRAPH:
		h->arity = 2;
		break;
	case HC_SCHEME_DOUBLE_FREQUENCY:
		h->arity = 0;
		break;
	default:
		h->arity = 1;
	}
}

void hc_col_hasher_release(struct hc_col_hasher *h)
{
	hc_strmap_release(&h->table);
}

int hc_col_hasher_rank(struct hc_col_hasher *h, const struct hc_strmap *counts,
		       double cutoff, uint64_t min_count, struct hc_err *err)
{
	size_t keep;
	struct hc_ranked *r = hc_rank_values(
		counts, h->scheme == HC_SCHEME_VOCAB ? min_count : 0, &keep);

	if (!r)
		return hc_err_nomem(err);
	if (h->scheme != HC_SCHEME_VOCAB) {
		double f = cutoff * (double)h->m;
		uint64_t top = f < (double)(h->m - 1) ? (uint64_t)f : h->m - 1;
		if (keep > top)
			keep = (size_t)top;
	}
	hc_strmap_release(&h->table);
	hc_strmap_init(&h->table);
	size_t bytes = 0;
	for (size_t i = 0; i < keep; i++)
		bytes += r[i].len;
	if (hc_strmap_reserve(&h->table, keep, bytes) != 0) {
		hc_free(r);
		return hc_err_nomem(err);
	}
	for (size_t i = 0; i < keep; i++) {
		int added;
		uint64_t *v = hc_strmap_upsert_hashed(&h->table, r[i].key,
						      r[i].len,
						      hc_hash_key(r[i].key, r[i].len),
						      &added, NULL);
		if (!v) {
			hc_free(r);
			return hc_err_nomem(err);
		}
		*v = i;
	}
	hc_free(r);
	h->has_table = 1;
	h->ntable = keep;
	if (h->scheme == HC_SCHEME_VOCAB)
		h->space = keep + 1;
	return 0;
}

void hc_col_hasher_map(struct hc_col_hasher *h, struct hc_strmap *clusters,
		       uint64_t k, uint64_t overflow)
{
	hc_strmap_release(&h->table);
	h->table = *clusters;
	hc_strmap_init(clusters);
	h->has_table = 1;
	h->ntable = k;
	h->overflow = overflow;
	h->space = k + overflow;
}

/* The table's id of v, or -1. */
static int64_t table_id(const struct hc_col_hasher *h, const char *v,
			size_t len)
{
	int64_t id = hc_strmap_find(&h->table, v, len);

	return id < 0 ? -1 : (int64_t)*hc_strmap_valuep(&h->table, (size_t)id);
}

int hc_col_hash(const struct hc_col_hasher *h, const char *v, size_t len,
		uint32_t *ids)
{
	int64_t t;
	uint64_t n, rest;

	switch (h->scheme) {
	case HC_SCHEME_MOD:
		ids[0] = (uint32_t)(hc_hash64(h->salt[0], v, len) % h->m);
		return 1;
	case HC_SCHEME_MULTIPLEX:
	case HC_SCHEME_DOUBLE:
		for (uint32_t p = 0; p < h->arity; p++)
			ids[p] = (uint32_t)(hc_hash64(h->salt[p], v, len) % h->m);
		return (int)h->arity;
	case HC_SCHEME_FREQUENCY:
	case HC_SCHEME_DOUBLE_FREQUENCY:
		if ((t = table_id(h, v, len)) >= 0) {
			ids[0] = (uint32_t)t;
			return 1;
		}
		rest = h->m - h->ntable;
		ids[0] = (uint32_t)(h->ntable + hc_hash64(h->salt[0], v, len) % rest);
		if (h->scheme == HC_SCHEME_FREQUENCY)
			return 1;
		ids[1] = (uint32_t)(h->ntable + hc_hash64(h->salt[1], v, len) % rest);
		return 2;
	case HC_SCHEME_GRAPH:
	case HC_SCHEME_DOUBLE_GRAPH:
		t = table_id(h, v, len);
		ids[0] = (uint32_t)(t >= 0 ? (uint64_t)t
				    : h->ntable + hc_hash64(h->salt[0], v, len) % h->overflow);
		if (h->scheme == HC_SCHEME_GRAPH)
			return 1;
		ids[1] = (uint32_t)(hc_hash64(h->salt[1], v, len) % h->space);
		return 2;
	case HC_SCHEME_VOCAB:
		t = table_id(h, v, len);
		ids[0] = (uint32_t)(t >= 0 ? (uint64_t)t : h->ntable);
		return 1;
	case HC_SCHEME_MODULO:
		if (hc_parse_u64(v, len, UINT64_MAX, &n) != 0)
			return -1;
		ids[0] = (uint32_t)(n % h->m);
		return 1;
	}
	return -1;
}
