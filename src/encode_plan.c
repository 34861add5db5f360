/* encode_plan.c - which encoders a fit runs on which columns
 *
 * Kept apart from cmd/encode.c so that the rules (a column's encoders
 * share one vocabulary; columns in file order; --buckets names the hashed
 * columns, as in hicard hash) are unit-testable without argv.
 */
#include <string.h>

#include "lib/mem.h"
#include "lib/select.h"
#include "src/encode_plan.h"
#include "src/hash_plan.h"

/* The hash encoder's settings of the m columns (names, kinds) of a new
 * state: --buckets for the hashed ones, in their order.  *hash stays NULL
 * without --hash.  0, or -1 with err set. */
static int hash_settings(const struct hc_enc_plan *o, size_t m,
			 const char **names, const unsigned *kinds,
			 struct hc_enc_hash **hash, struct hc_err *err)
{
	const char **hn;
	uint64_t *b;
	size_t nh = 0;
	int rc = -1;

	if (!o->cols[HC_ENC_HASH])
		return 0;
	hn = hc_calloc(m + 1, sizeof(*hn));
	b = hc_calloc(m + 1, sizeof(*b));
	*hash = hc_calloc(m + 1, sizeof(**hash));
	if (!hn || !b || !*hash) {
		hc_err_nomem(err);
		goto done;
	}
	for (size_t j = 0; j < m; j++)
		if (kinds[j] & HC_ENC_BIT(HC_ENC_HASH))
			hn[nh++] = names[j];
	/* vocab sets its own id space: no --buckets needed */
	for (size_t i = 0; i < nh; i++)
		b[i] = 1;
	if (o->buckets && hc_buckets_parse(o->buckets, hn, nh, b, err) != 0)
		goto done;
	for (size_t j = 0, i = 0; j < m; j++) {
		if (!(kinds[j] & HC_ENC_BIT(HC_ENC_HASH)))
			continue;
		(*hash)[j] = (struct hc_enc_hash){
			.scheme = o->scheme,
			.buckets = b[i++],
			.probes = o->probes,
			.cutoff = o->cutoff,
			.seed = o->seed,
		};
	}
	rc = 0;
done:
	hc_free(hn);
	hc_free(b);
	return rc;
}

/* One --nbins count: N within the bounds, else -1 with err set. */
static int nbins_count(const char *s, size_t len, uint32_t *n,
		       struct hc_err *err)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len && i < 6 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (len == 0 || i != len || v < HC_ENC_NBINS_MIN || v > HC_ENC_NBINS_MAX)
		return hc_err_set(err, HC_ERR_USAGE, "--nbins: '%.*s' is not a number of bins from %d to %d", (int)len, s, HC_ENC_NBINS_MIN, HC_ENC_NBINS_MAX);
	*n = (uint32_t)v;
	return 0;
}

/* --nbins SPEC onto the binned columns of st: "N" for all, "NAME=N,..."
 * per column, or both; the rest keep the default.  0, or -1. */
static int nbins_settings(const struct hc_enc_plan *o, struct hc_enc_state *st,
			  struct hc_err *err)
{
	const char *p = o->nbins;
	uint32_t all = HC_ENC_NBINS_DEFAULT, n;

	/* 0: not named (yet) */
	for (size_t j = 0; j < st->ncols; j++)
		if (st->cols[j].num)
			st->cols[j].num->nbins = 0;
	while (p && *p) {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p), j;

		eq = memchr(p, '=', len);
		if (!eq) {
			if (nbins_count(p, len, &all, err) != 0)
				return -1;
		} else {
			if (nbins_count(eq + 1, len - (size_t)(eq - p) - 1, &n, err) != 0)
				return -1;
			for (j = 0; j < st->ncols; j++)
				if (strlen(st->cols[j].name) == (size_t)(eq - p) &&
				    !memcmp(st->cols[j].name, p, (size_t)(eq - p)) &&
				    (st->cols[j].kinds & HC_ENC_BIT(HC_ENC_BINS)))
					break;
			if (j == st->ncols)
				return hc_err_set(err, HC_ERR_USAGE, "--nbins names '%.*s', which is not a --bins column", (int)(eq - p), p);
			if (st->cols[j].num->nbins)
				return hc_err_set(err, HC_ERR_USAGE, "--nbins names '%s' twice", st->cols[j].name);
			st->cols[j].num->nbins = n;
		}
		p += len + (end != NULL);
	}
	for (size_t j = 0; j < st->ncols; j++) {
		struct hc_enc_num *u = st->cols[j].num;

		if (!u)
			continue;
		if (!u->nbins)
			u->nbins = all;
		u->seed = o->seed + j;
	}
	return 0;
}

/* --classes A,B,...: the labels of a multiclass target, in that order
 * (the order of the outputs). */
static int classes_settings(const struct hc_enc_plan *o,
			    struct hc_enc_state *st, struct hc_err *err)
{
	const char *lab[HC_ENC_CLASSES_MAX + 1];
	size_t len[HC_ENC_CLASSES_MAX + 1], n = 0;
	const char *p = o->classes;

	if (!p)
		return 0;
	if (!*p)
		return hc_err_set(err, HC_ERR_USAGE, "--classes: no class given");
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t l = comma ? (size_t)(comma - p) : strlen(p);

		if (n == HC_ENC_CLASSES_MAX + 1)
			return hc_err_set(err, HC_ERR_USAGE, "--classes: more than %d classes", HC_ENC_CLASSES_MAX);
		lab[n] = p;
		len[n++] = l;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (n > HC_ENC_CLASSES_MAX)
		return hc_err_set(err, HC_ERR_USAGE, "--classes: more than %d classes", HC_ENC_CLASSES_MAX);
	return hc_enc_set_classes(st, n, lab, len, err);
}

/* A new state for the columns the encoder options name, in file order. */
struct hc_enc_state *hc_enc_plan_state(const struct hc_enc_plan *o,
				       const char *const *names, size_t n,
				       struct hc_err *err)
{
	size_t m = 0;
	unsigned *kinds = hc_calloc(n, sizeof(*kinds));
	const char **cn = hc_calloc(n, sizeof(*cn));
	struct hc_enc_state *st = NULL;
	struct hc_enc_hash *hash = NULL;

	if (!kinds || !cn) {
		hc_err_nomem(err);
		goto done;
	}
	for (int k = 0; k < HC_ENC_NKINDS; k++) {
		struct hc_selection sel = {0};

		if (!o->cols[k])
			continue;
		if (hc_select_parse(o->cols[k], names, n, &sel, err) != 0)
			goto done;
		for (size_t i = 0; i < sel.n; i++)
			kinds[sel.idx[i]] |= HC_ENC_BIT(k);
		hc_selection_release(&sel);
	}
	for (size_t i = 0; i < n; i++)
		if (kinds[i]) {
			kinds[m] = kinds[i];
			cn[m++] = names[i];
		}
	if (hash_settings(o, m, cn, kinds, &hash, err) == 0)
		st = hc_enc_state_new(&o->p, o->target, m, cn, kinds, hash, err);
	if (st && (nbins_settings(o, st, err) != 0 ||
		   classes_settings(o, st, err) != 0)) {
		hc_enc_state_free(st);
		st = NULL;
	}
done:
	hc_free(kinds);
	hc_free(cn);
	hc_free(hash);
	return st;
}
