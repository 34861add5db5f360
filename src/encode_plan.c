/* encode_plan.c - which encoders a fit runs on which columns
 *
 * Kept apart from cmd/encode.c so that the rules (a column's encoders
 * share one vocabulary; columns in file order; --buckets names the hashed
 * columns, as in hicard hash) are unit-testable without argv.
 */
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
done:
	hc_free(kinds);
	hc_free(cn);
	hc_free(hash);
	return st;
}
