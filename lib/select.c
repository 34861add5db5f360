/* select.c - column selection parsing; see select.h */
#include "select.h"

#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "parse.h"

#define ITEM_MAX 4096

static long find_name(const char *s, size_t len, const char *const *names,
		      size_t ncols)
{
	for (size_t j = 0; j < ncols; j++)
		if (strlen(names[j]) == len && memcmp(names[j], s, len) == 0)
			return (long)j;
	return -1;
}

/* "unknown column 'x' (columns: a, b, c)", listing at most 20 names. */
static int unknown(const char *s, size_t len, const char *const *names,
		   size_t ncols, struct hc_err *err)
{
	char list[600];
	size_t used = 0;

	if (ncols == 0)
		return hc_err_set(err, HC_ERR_USAGE,
				  "unknown column '%.*s' (the input has no columns)",
				  (int)len, s);
	list[0] = '\0';
	for (size_t j = 0; j < ncols && used < sizeof(list) - 1; j++) {
		int n;
		if (j == 20) {
			snprintf(list + used, sizeof(list) - used, ", ... (%zu in all)",
				 ncols);
			break;
		}
		n = snprintf(list + used, sizeof(list) - used, "%s%s",
			     j ? ", " : "", names[j]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return hc_err_set(err, HC_ERR_USAGE, "unknown column '%.*s' (columns: %s)",
			  (int)len, s, list);
}

/* A name or a 1-based index; -1 if neither, without setting err. */
static long resolve(const char *s, size_t len, const char *const *names,
		    size_t ncols)
{
	uint64_t v;
	long j = find_name(s, len, names, ncols);

	if (j >= 0)
		return j;
	if (hc_parse_u64(s, len, ncols, &v) == 0 && v >= 1)
		return (long)v - 1;
	return -1;
}

/* Resolves one item (without "!") into the range [*lo, *hi]. */
static int resolve_item(const char *s, size_t len, const char *const *names,
			size_t ncols, size_t *lo, size_t *hi,
			struct hc_err *err)
{
	long j = resolve(s, len, names, ncols);
	const char *dash;

	if (j >= 0) {
		*lo = *hi = (size_t)j;
		return 0;
	}
	dash = memchr(s, '-', len);
	if (dash) {
		size_t la = (size_t)(dash - s), lb = len - la - 1;
		long a = la ? resolve(s, la, names, ncols) : 0;
		long b = lb ? resolve(dash + 1, lb, names, ncols)
			    : (long)ncols - 1;
		if (a >= 0 && b >= 0) {
			if (a > b)
				return hc_err_set(err, HC_ERR_USAGE,
						  "column range '%.*s' runs backwards",
						  (int)len, s);
			*lo = (size_t)a;
			*hi = (size_t)b;
			return 0;
		}
	}
	return unknown(s, len, names, ncols, err);
}

static int push(struct hc_selection *sel, size_t *cap, size_t j)
{
	void *p = sel->idx;

	if (hc_grow(&p, cap, sel->n + 1, sizeof(*sel->idx)) != 0)
		return -1;
	sel->idx = p;
	sel->idx[sel->n++] = j;
	return 0;
}

int hc_select_parse(const char *spec, const char *const *names,
		    size_t ncols, struct hc_selection *sel,
		    struct hc_err *err)
{
	unsigned char *excluded = hc_calloc(ncols ? ncols : 1, 1);
	size_t cap = 0;
	int any_include = 0;
	const char *p = spec ? spec : "";

	sel->n = 0;
	sel->idx = NULL;
	if (!excluded)
		return hc_err_nomem(err);
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int neg = *p == '!';
		size_t lo = 0, hi = 0;

		if (len - (size_t)neg == 0 || len > ITEM_MAX) {
			hc_err_set(err, HC_ERR_USAGE,
				   "empty or overlong item in column selection '%s'",
				   spec);
			goto fail;
		}
		if (resolve_item(p + neg, len - (size_t)neg, names, ncols, &lo,
				 &hi, err) != 0)
			goto fail;
		for (size_t j = lo; j <= hi; j++) {
			if (neg) {
				excluded[j] = 1;
			} else if (push(sel, &cap, j) != 0) {
				hc_err_nomem(err);
				goto fail;
			}
		}
		any_include |= !neg;
		p += len + (comma != NULL);
		if (comma && !*p) { /* a trailing comma: an empty last item */
			hc_err_set(err, HC_ERR_USAGE,
				   "empty or overlong item in column selection '%s'",
				   spec);
			goto fail;
		}
	}
	if (!any_include)
		for (size_t j = 0; j < ncols; j++)
			if (push(sel, &cap, j) != 0) {
				hc_err_nomem(err);
				goto fail;
			}
	{
		size_t k = 0;
		for (size_t i = 0; i < sel->n; i++)
			if (!excluded[sel->idx[i]])
				sel->idx[k++] = sel->idx[i];
		sel->n = k;
	}
	hc_free(excluded);
	return 0;
fail:
	hc_free(excluded);
	hc_selection_release(sel);
	return -1;
}

long hc_select_one(const char *item, const char *const *names, size_t ncols,
		   struct hc_err *err)
{
	size_t len = strlen(item);
	long j = resolve(item, len, names, ncols);

	if (j < 0)
		unknown(item, len, names, ncols, err);
	return j;
}

void hc_selection_release(struct hc_selection *sel)
{
	hc_free(sel->idx);
	sel->idx = NULL;
	sel->n = 0;
}
