/* hash_plan.c - resolving hash's column options (see hash_plan.h) */
#include "src/hash_plan.h"

#include <string.h>

#include "lib/frame.h"
#include "lib/mem.h"
#include "lib/parse.h"

/* What role column j already has, for the error on a second one. */
static const char *role(const struct hc_hash_cols *c, size_t j, size_t nnum)
{
	if ((long)j == c->label)
		return "the --label column";
	if ((long)j == c->weight)
		return "the --weight column";
	for (size_t k = 0; k < nnum; k++)
		if (c->num.idx[k] == j)
			return "a --num column";
	return NULL;
}

static int check_roles(struct hc_hash_cols *c, const char *const *names,
		       struct hc_err *err)
{
	if (c->label >= 0 && c->label == c->weight)
		return hc_err_set(err, HC_ERR_USAGE,
				  "column '%s' cannot be both the label and the weight",
				  names[c->label]);
	for (size_t k = 0; k < c->num.n; k++) {
		const char *r = role(c, c->num.idx[k], k);
		if (r)
			return hc_err_set(err, HC_ERR_USAGE,
					  "column '%s' is %s; it cannot also be a --num column",
					  names[c->num.idx[k]], r);
	}
	for (size_t k = 0; k < c->hashed.n; k++) {
		size_t j = c->hashed.idx[k];
		const char *r = role(c, j, c->num.n);
		if (r)
			return hc_err_set(err, HC_ERR_USAGE,
					  "column '%s' is %s; it cannot also be hashed",
					  names[j], r);
		for (size_t i = 0; i < k; i++)
			if (c->hashed.idx[i] == j)
				return hc_err_set(err, HC_ERR_USAGE,
						  "column '%s' is selected twice",
						  names[j]);
	}
	return 0;
}

/* Every column without another role. */
static int default_hashed(struct hc_hash_cols *c, size_t ncols,
			  struct hc_err *err)
{
	c->hashed.idx = hc_calloc(ncols ? ncols : 1, sizeof(*c->hashed.idx));
	if (!c->hashed.idx)
		return hc_err_nomem(err);
	for (size_t j = 0; j < ncols; j++)
		if (!role(c, j, c->num.n))
			c->hashed.idx[c->hashed.n++] = j;
	return 0;
}

int hc_hash_cols_plan(struct hc_hash_cols *c, const char *const *names,
		      size_t ncols, const char *select, const char *label,
		      const char *weight, const char *num, struct hc_err *err)
{
	memset(c, 0, sizeof(*c));
	c->label = c->weight = -1;
	if ((label && (c->label = hc_select_one(label, names, ncols, err)) < 0) ||
	    (weight && (c->weight = hc_select_one(weight, names, ncols, err)) < 0) ||
	    (num && hc_select_parse(num, names, ncols, &c->num, err) != 0) ||
	    (select ? hc_select_parse(select, names, ncols, &c->hashed, err)
		    : default_hashed(c, ncols, err)) != 0 ||
	    check_roles(c, names, err) != 0) {
		hc_hash_cols_release(c);
		return -1;
	}
	if (c->hashed.n == 0) {
		hc_hash_cols_release(c);
		return hc_err_set(err, HC_ERR_USAGE, "no columns to hash");
	}
	return 0;
}

void hc_hash_cols_release(struct hc_hash_cols *c)
{
	hc_selection_release(&c->hashed);
	hc_selection_release(&c->num);
}

static int parse_count(const char *s, size_t len, uint64_t *v,
		       struct hc_err *err)
{
	if (hc_parse_u64(s, len, HC_FRAME_SPACE_MAX, v) != 0 || *v == 0)
		return hc_err_set(err, HC_ERR_USAGE,
				  "--buckets: '%.*s' is not a bucket count from 1 to 4294967296",
				  (int)len, s);
	return 0;
}

int hc_buckets_parse(const char *spec, const char *const *names, size_t n,
		     uint64_t *m, struct hc_err *err)
{
	uint64_t all = 0;
	const char *p = spec;

	for (size_t j = 0; j < n; j++)
		m[j] = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t j = 0, nlen = eq ? (size_t)(eq - p) : 0;

		if (!eq) {
			if (all)
				return hc_err_set(err, HC_ERR_USAGE,
						  "--buckets gives two counts for all columns");
			if (parse_count(p, len, &all, err) != 0)
				return -1;
		} else {
			while (j < n && !(strlen(names[j]) == nlen &&
					  memcmp(names[j], p, nlen) == 0))
				j++;
			if (j == n)
				return hc_err_set(err, HC_ERR_USAGE,
						  "--buckets names '%.*s', which is not a hashed column",
						  (int)nlen, p);
			if (m[j])
				return hc_err_set(err, HC_ERR_USAGE,
						  "--buckets names '%s' twice", names[j]);
			if (parse_count(eq + 1, len - nlen - 1, &m[j], err) != 0)
				return -1;
		}
		p += len + (comma != NULL);
	}
	for (size_t j = 0; j < n; j++) {
		if (!m[j])
			m[j] = all;
		if (!m[j])
			return hc_err_set(err, HC_ERR_USAGE,
					  "--buckets gives no count for column '%s'",
					  names[j]);
	}
	return 0;
}
