/* catalogue.c - mf's users and items; see catalogue.h */
#include "catalogue.h"

#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

#define IDENT_MAX (8 + 4 * 1024)

static size_t identity(const struct hc_catalogue *c, const uint32_t *ids,
		       uint64_t key, unsigned char *buf)
{
	if (c->keys) {
		memcpy(buf, &key, 8);
		return 8;
	}
	memcpy(buf, ids, (size_t)c->arity * 4);
	return (size_t)c->arity * 4;
}

int hc_catmap_init(struct hc_catmap *cm, struct hc_catalogue *c,
		   struct hc_err *err)
{
	unsigned char buf[IDENT_MAX];

	cm->c = c;
	cm->cap = c->n;
	hc_strmap_init(&cm->map);
	for (size_t e = 0; e < c->n; e++) {
		size_t len = identity(c, c->ids + e * c->arity,
				      c->keys ? c->keys[e] : 0, buf);
		int added;
		if (hc_strmap_intern(&cm->map, (const char *)buf, len, &added) < 0) {
			hc_strmap_release(&cm->map);
			return hc_err_nomem(err);
		}
	}
	return 0;
}

void hc_catmap_release(struct hc_catmap *cm)
{
	hc_strmap_release(&cm->map);
}

int64_t hc_catmap_get(struct hc_catmap *cm, const uint32_t *ids,
		      uint64_t key, struct hc_err *err)
{
	struct hc_catalogue *c = cm->c;
	unsigned char buf[IDENT_MAX];
	size_t len = identity(c, ids, key, buf);
	int added;
	int64_t id = hc_strmap_intern(&cm->map, (const char *)buf, len, &added);

	if (id < 0)
		return hc_err_nomem(err);
	if (!added)
		return id;
	if (c->n == cm->cap) {
		size_t cap = cm->cap ? cm->cap * 2 : 1024;
		uint32_t *nids = hc_reallocarray(c->ids, cap, (size_t)c->arity * 4);
		if (!nids)
			return hc_err_nomem(err);
		c->ids = nids;
		if (c->keys) {
			uint64_t *nk = hc_reallocarray(c->keys, cap, 8);
			if (!nk)
				return hc_err_nomem(err);
			c->keys = nk;
		}
		cm->cap = cap;
	}
	memcpy(c->ids + c->n * c->arity, ids, (size_t)c->arity * 4);
	if (c->keys)
		c->keys[c->n] = key;
	c->n++;
	return id;
}

long hc_dataset_key_of(const struct hc_dataset *d, size_t j)
{
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(d->schema.doc, "columns");

	for (size_t k = 0; k < d->schema.ncols; k++) {
		const cJSON *of = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(cols, (int)k), "of");
		if (d->schema.cols[k].kind == HC_KIND_KEY && cJSON_IsString(of) &&
		    strcmp(of->valuestring, d->schema.cols[j].name) == 0)
			return (long)k;
	}
	return -1;
}

static int field_rows(const struct hc_model *m, const struct hc_dataset *d,
		      size_t field, size_t col, struct hc_catmap *cm,
		      uint32_t *out, struct hc_err *err)
{
	long kc = hc_dataset_key_of(d, col);
	const char *name = m->fields[field].name;
	uint32_t arity = cm->c->arity, padded[HC_MF_MAX_IDS];

	if (cm->c->keys && kc < 0)
		return hc_err_set(err, HC_ERR_DATA, "column '%s': the model tells values apart by a key column, which the frame lacks (hash --keys)", name);
	for (size_t i = 0; i < d->nrows; i++) {
		size_t n;
		const uint32_t *ids = hc_dataset_ids(d, col, i, &n);
		int64_t e;
		if (n != arity) {
			if (n > arity || arity > HC_MF_MAX_IDS)
				return hc_err_set(err, HC_ERR_DATA, "column '%s': row %zu has %zu ids; the model takes at most %u", name, i + 1, n, arity);
			memcpy(padded, ids, n * 4);
			for (size_t a = n; a < arity; a++)
				padded[a] = HC_MF_PAD;
			ids = padded;
		}
		e = hc_catmap_get(cm, ids, kc >= 0 ? d->cols[kc].keys[i] : 0, err);
		if (e < 0)
			return -1;
		if (e >= UINT32_MAX)
			return hc_err_set(err, HC_ERR_DATA, "column '%s': too many distinct values", name);
		out[i] = (uint32_t)e;
	}
	return 0;
}

int hc_catalogue_arity(const struct hc_model *m, const struct hc_dataset *d,
		       size_t field, size_t col, uint32_t *arity,
		       struct hc_err *err)
{
	size_t most = 1;

	*arity = m->fields[field].arity;
	if (*arity != HC_ARITY_VAR)
		return 0;
	for (size_t i = 0; i < d->nrows; i++) {
		size_t n;
		(void)hc_dataset_ids(d, col, i, &n);
		if (n > most)
			most = n;
	}
	if (most > HC_MF_MAX_IDS)
		return hc_err_set(err, HC_ERR_DATA, "column '%s': rows of up to %zu ids; mf takes at most %d", m->fields[field].name, most, HC_MF_MAX_IDS);
	*arity = (uint32_t)most;
	return 0;
}

int hc_catalogue_rows(const struct hc_model *m, const struct hc_dataset *d,
		      const size_t *bind, struct hc_catmap *cu,
		      struct hc_catmap *ci, uint32_t **pu, uint32_t **pi,
		      struct hc_err *err)
{
	size_t n = d->nrows ? d->nrows : 1;

	*pu = hc_mallocarray(n, 4);
	*pi = hc_mallocarray(n, 4);
	if (!*pu || !*pi)
		goto nomem;
	if (field_rows(m, d, m->user, bind[m->user], cu, *pu, err) != 0 ||
	    field_rows(m, d, m->item, bind[m->item], ci, *pi, err) != 0)
		goto fail;
	return 0;
nomem:
	hc_err_nomem(err);
fail:
	hc_free(*pu);
	hc_free(*pi);
	*pu = *pi = NULL;
	return -1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int hc_pairs_group(const uint32_t *pu, const uint32_t *pi, size_t n,
		   size_t nusers, uint64_t **start, uint32_t **items,
		   struct hc_err *err)
{
	uint64_t *p = hc_mallocarray(n ? n : 1, 8);
	size_t m = 0;

	*start = hc_calloc(nusers + 1, 8);
	*items = hc_mallocarray(n ? n : 1, 4);
	if (!p || !*start || !*items) {
		hc_free(p);
		hc_free(*start);
		hc_free(*items);
		*start = NULL;
		*items = NULL;
		return hc_err_nomem(err);
	}
	for (size_t r = 0; r < n; r++)
		p[r] = (uint64_t)pu[r] << 32 | pi[r];
	qsort(p, n, 8, cmp_u64);
	for (size_t r = 0; r < n; r++) {
		if (r > 0 && p[r] == p[r - 1])
			continue;
		(*start)[(p[r] >> 32) + 1]++;
		(*items)[m++] = (uint32_t)p[r];
	}
	for (size_t u = 0; u < nusers; u++)
		(*start)[u + 1] += (*start)[u];
	hc_free(p);
	return 0;
}
