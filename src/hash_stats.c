/* hash_stats.c - collision figures of a hashed column (see hash_stats.h)
 *
 * Two values collide when their id lists are equal, as a model sees them:
 * for double schemes both ids must match, which is why double hashing
 * collides so much less than one hash into the same table.  Equal lists
 * are found by sorting a 64-bit code of each list: the ids themselves for
 * up to two ids (exact), a hash of the list beyond (multiplex probes).
 */
#include "src/hash_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

void hc_hash_stats_init(struct hc_hash_stats *s, uint32_t stride)
{
	memset(s, 0, sizeof(*s));
	hc_strmap_init(&s->values);
	s->stride = stride ? stride : 1;
}

void hc_hash_stats_release(struct hc_hash_stats *s)
{
	hc_strmap_release(&s->values);
	hc_free(s->ids);
	hc_free(s->nids);
	memset(s, 0, sizeof(*s));
}

static int grow(struct hc_hash_stats *s, size_t need)
{
	size_t cap = s->cap, ncap = cap;
	void *p = s->nids;

	if (need <= cap)
		return 0;
	if (hc_grow(&p, &ncap, need, 1) != 0)
		return -1;
	s->nids = p;
	p = s->ids;
	if (hc_grow(&p, &cap, need, (size_t)s->stride * sizeof(*s->ids)) != 0)
		return -1;
	s->ids = p;
	s->cap = cap < ncap ? cap : ncap;
	return 0;
}

int hc_hash_stats_add(struct hc_hash_stats *s, const struct hc_col_hasher *h,
		      const char *v, size_t len, const uint32_t *ids,
		      size_t n, struct hc_err *err)
{
	int added;
	uint32_t id;
	uint64_t *rows = hc_strmap_upsert_hashed(&s->values, v, len,
						 hc_hash_key(v, len), &added, &id);

	if (!rows)
		return hc_err_nomem(err);
	(*rows)++;
	s->rows++;
	if (hc_scheme_graph(h->scheme) && hc_strmap_find(&h->table, v, len) >= 0)
		s->found_rows++;
	if (!added)
		return 0;
	if (grow(s, (size_t)id + 1) != 0)
		return hc_err_nomem(err);
	if (n > s->stride)
		n = s->stride;
	s->nids[id] = (uint8_t)n;
	for (size_t k = 0; k < s->stride; k++)
		s->ids[(size_t)id * s->stride + k] = k < n ? ids[k] : UINT32_MAX;
	return 0;
}

double hc_uniform_used(double n, double m)
{
	return n <= 0 || m <= 0 ? 0 : -m * expm1(n * log1p(-1 / m));
}

double hc_uniform_shared(double n, double m)
{
	return n <= 1 || m <= 0 ? 0 : -expm1((n - 1) * log1p(-1 / m));
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Distinct ids over all values. */
static uint64_t buckets_used(const struct hc_hash_stats *s, size_t nv,
			     int *nomem)
{
	size_t total = nv * s->stride, used = 0;
	uint32_t *all = hc_malloc((total ? total : 1) * sizeof(*all));

	if (!all) {
		*nomem = 1;
		return 0;
	}
	for (size_t i = 0; i < nv; i++)
		for (size_t k = 0; k < s->nids[i]; k++)
			all[used++] = s->ids[i * s->stride + k];
	qsort(all, used, sizeof(*all), cmp_u32);
	total = 0;
	for (size_t i = 0; i < used; i++)
		total += i == 0 || all[i] != all[i - 1];
	hc_free(all);
	return total;
}

/* A value's id list as one number: exact for up to two ids (the unused
 * slot is UINT32_MAX), a 64-bit hash of the list beyond. */
static uint64_t list_code(const struct hc_hash_stats *s, size_t v)
{
	const uint32_t *ids = s->ids + v * s->stride;

	if (s->stride == 1)
		return ids[0];
	if (s->stride == 2)
		return (uint64_t)ids[0] << 32 | ids[1];
	return hc_hash64(0, ids, s->stride * sizeof(*ids));
}

struct coded {
	uint64_t code, rows;
};

static int cmp_coded(const void *a, const void *b)
{
	uint64_t x = ((const struct coded *)a)->code;
	uint64_t y = ((const struct coded *)b)->code;

	return (x > y) - (x < y);
}

/* Values whose id list another value also has, and their rows. */
static int shared(const struct hc_hash_stats *s, size_t nv, uint64_t *values,
		  uint64_t *rows)
{
	struct coded *c = hc_malloc((nv ? nv : 1) * sizeof(*c));
	size_t i = 0;

	if (!c)
		return -1;
	for (size_t v = 0; v < nv; v++) {
		c[v].code = list_code(s, v);
		c[v].rows = *hc_strmap_valuep(&s->values, v);
	}
	qsort(c, nv, sizeof(*c), cmp_coded);
	*values = *rows = 0;
	while (i < nv) {
		size_t j = i;
		uint64_t r = 0;
		while (j < nv && c[j].code == c[i].code)
			r += c[j++].rows;
		if (j - i > 1) {
			*values += j - i;
			*rows += r;
		}
		i = j;
	}
	hc_free(c);
	return 0;
}

/* Distinct values (and their rows) found in a graph scheme's map. */
static uint64_t in_map(const struct hc_hash_stats *s,
		       const struct hc_col_hasher *h, size_t nv)
{
	uint64_t n = 0;

	for (size_t v = 0; v < nv; v++) {
		size_t len;
		const char *k = hc_strmap_key(&s->values, v, &len);
		n += hc_strmap_find(&h->table, k, len) >= 0;
	}
	return n;
}

static double share(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

cJSON *hc_hash_stats_json(const struct hc_hash_stats *s,
			  const struct hc_col_hasher *h, const char *column)
{
	size_t nv = hc_strmap_count(&s->values);
	uint64_t sv = 0, sr = 0, used;
	int nomem = 0, ok;
	cJSON *o;

	used = buckets_used(s, nv, &nomem);
	if (nomem || shared(s, nv, &sv, &sr) != 0 || !(o = cJSON_CreateObject()))
		return NULL;
	ok = cJSON_AddStringToObject(o, "column", column) &&
	     cJSON_AddStringToObject(o, "scheme", hc_scheme_name(h->scheme)) &&
	     cJSON_AddNumberToObject(o, "rows", (double)s->rows) &&
	     cJSON_AddNumberToObject(o, "distinct", (double)nv) &&
	     cJSON_AddNumberToObject(o, "buckets", (double)h->space) &&
	     cJSON_AddNumberToObject(o, "buckets_used", (double)used) &&
	     cJSON_AddNumberToObject(o, "shared_values", share(sv, nv)) &&
	     cJSON_AddNumberToObject(o, "shared_rows", share(sr, s->rows)) &&
	     cJSON_AddNumberToObject(o, "uniform_buckets_used",
				     round(hc_uniform_used((double)nv, (double)h->space))) &&
	     cJSON_AddNumberToObject(o, "uniform_shared_values",
				     hc_uniform_shared((double)nv, (double)h->space));
	if (ok && hc_scheme_graph(h->scheme))
		ok = cJSON_AddNumberToObject(o, "in_map_values",
					     share(in_map(s, h, nv), nv)) &&
		     cJSON_AddNumberToObject(o, "in_map_rows",
					     share(s->found_rows, s->rows));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
