/* hash_run.c - the batch pipeline of `hicard hash` (see hash_run.h)
 *
 * A batch's ids are computed column by column (one hasher's salts and
 * table stay hot in cache) into arrays shaped as a frame block, then the
 * emitter writes the block.  Values that cannot be read (a label that is
 * not a number, a non-integer under modulo) stop the run with their place.
 */
#include "src/hash_run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/parse.h"
#include "lib/team.h"
#include "src/hash_emit.h"

/* ---- the schema ------------------------------------------------------- */

static int add_scheme_keys(cJSON *c, const struct hc_col_hasher *h,
			   uint64_t seed)
{
	char buf[32];
	int ok;

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)seed);
	ok = cJSON_AddStringToObject(c, "scheme", hc_scheme_name(h->scheme)) &&
	     cJSON_AddStringToObject(c, "hash", "xxh3-64") &&
	     cJSON_AddStringToObject(c, "seed", buf);
	switch (h->scheme) {
	case HC_SCHEME_MULTIPLEX:
		ok = ok && cJSON_AddNumberToObject(c, "probes", h->probes) &&
		     cJSON_AddStringToObject(c, "table", "multiplex");
		/* fall through */
	case HC_SCHEME_MOD:
	case HC_SCHEME_DOUBLE:
	case HC_SCHEME_MODULO:
		return ok && cJSON_AddNumberToObject(c, "buckets", (double)h->m);
	case HC_SCHEME_FREQUENCY:
	case HC_SCHEME_DOUBLE_FREQUENCY:
		return ok && cJSON_AddNumberToObject(c, "buckets", (double)h->m) &&
		       cJSON_AddNumberToObject(c, "frequent", (double)h->ntable);
	case HC_SCHEME_GRAPH:
	case HC_SCHEME_DOUBLE_GRAPH:
		return ok && cJSON_AddNumberToObject(c, "clusters", (double)h->ntable) &&
		       cJSON_AddNumberToObject(c, "overflow", (double)h->overflow);
	case HC_SCHEME_VOCAB:
		return ok && cJSON_AddNumberToObject(c, "vocabulary", (double)h->ntable);
	}
	return ok;
}

int hc_hash_schema(const struct hc_hash_job *j, uint64_t seed,
		   struct hc_frame_schema *s, struct hc_err *err)
{
	const char *const *names = hc_csv_colnames(j->csv);
	cJSON *c;

	if (hc_frame_schema_init(s, err) != 0)
		return -1;
	if ((j->label >= 0 &&
	     !hc_frame_schema_add(s, names[j->label], HC_KIND_LABEL, 1, 0, err)) ||
	    (j->weight >= 0 &&
	     !hc_frame_schema_add(s, names[j->weight], HC_KIND_WEIGHT, 1, 0, err)))
		goto fail;
	for (size_t k = 0; k < j->nhash; k++) {
		const struct hc_col_hasher *h = &j->h[k];
		uint32_t arity = j->skip_empty ? HC_ARITY_VAR : h->arity;
		if (!(c = hc_frame_schema_add(s, names[j->hcols[k]], HC_KIND_CAT,
					      arity, h->space, err)))
			goto fail;
		if (!add_scheme_keys(c, h, seed))
			goto nomem;
	}
	for (size_t k = 0; j->keys && k < j->nhash; k++) {
		const char *name = names[j->hcols[k]];
		size_t len = strlen(name) + 5;
		char *kname = hc_malloc(len);
		if (!kname)
			goto nomem;
		snprintf(kname, len, "%s.key", name);
		c = hc_frame_schema_add(s, kname, HC_KIND_KEY, 1, 0, err);
		hc_free(kname);
		if (!c)
			goto fail;
		if (!cJSON_AddStringToObject(c, "of", name))
			goto nomem;
	}
	for (size_t k = 0; k < j->nnum; k++)
		if (!hc_frame_schema_add(s, names[j->ncols[k]], HC_KIND_NUM, 1, 0, err))
			goto fail;
	return 0;
nomem:
	hc_err_nomem(err);
fail:
	hc_frame_schema_release(s);
	return -1;
}

/* ---- one batch as a frame block --------------------------------------- */

struct colbuf {
	uint32_t *ids, *start;
	float *num;
	uint64_t *keys;
	size_t ids_cap, start_cap, num_cap, keys_cap;
};

struct built {
	const struct hc_hash_job *j;
	const struct hc_frame_schema *s;
	struct colbuf *bufs;
	struct hc_frame_colview *views;
	struct hc_frame_block block;
};

static int grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void **p = pp;

	return hc_grow(p, cap, n ? n : 1, size);
}

static int bad_value(const struct built *bt, const struct hc_csv_batch *b,
		     size_t i, size_t col, const char *what, struct hc_err *err)
{
	char where[512];
	size_t f = i * b->ncols + col;

	hc_csv_where(bt->j->csv, b->line[i], col, where, sizeof(where));
	return hc_err_set(err, HC_ERR_DATA, "%s: '%.40s' %s", where,
			  b->buf + b->off[f], what);
}

/* A label, weight or numeric column: kind says which checks apply. */
static int build_num(struct built *bt, size_t fc, const struct hc_csv_batch *b,
		     size_t col, enum hc_frame_kind kind, struct hc_err *err)
{
	struct colbuf *cb = &bt->bufs[fc];

	if (grow(&cb->num, &cb->num_cap, b->nrows, sizeof(float)) != 0)
		return hc_err_nomem(err);
	for (size_t i = 0; i < b->nrows; i++) {
		size_t f = i * b->ncols + col;
		double d;
		if (kind == HC_KIND_NUM && b->len[f] == 0) {
			cb->num[i] = NAN; /* documented: a missing number */
			continue;
		}
		if (hc_parse_double(b->buf + b->off[f], b->len[f], &d) != 0)
			return bad_value(bt, b, i, col, "is not a number", err);
		if (kind != HC_KIND_NUM && !isfinite(d))
			return bad_value(bt, b, i, col, "is not a finite number", err);
		if (kind == HC_KIND_WEIGHT && d < 0)
			return bad_value(bt, b, i, col, "is a negative weight", err);
		cb->num[i] = (float)d;
	}
	bt->views[fc].num = cb->num;
	return 0;
}

static int build_cat(struct built *bt, size_t fc, size_t k,
		     const struct hc_csv_batch *b, struct hc_err *err)
{
	const struct hc_hash_job *j = bt->j;
	const struct hc_col_hasher *h = &j->h[k];
	const struct hc_frame_col *c = &bt->s->cols[fc];
	struct colbuf *cb = &bt->bufs[fc];
	size_t col = j->hcols[k], at = 0;
	uint32_t per = c->arity ? c->arity : (h->arity ? h->arity : 2);

	if (grow(&cb->ids, &cb->ids_cap, b->nrows * per, sizeof(uint32_t)) != 0 ||
	    (c->arity == HC_ARITY_VAR &&
	     grow(&cb->start, &cb->start_cap, b->nrows + 1, sizeof(uint32_t)) != 0))
		return hc_err_nomem(err);
	if (c->arity == HC_ARITY_VAR)
		cb->start[0] = 0;
	for (size_t i = 0; i < b->nrows; i++) {
		size_t f = i * b->ncols + col;
		const char *v = b->buf + b->off[f];
		int n = 0;

		if (!(j->skip_empty && b->len[f] == 0)) {
			n = hc_col_hash(h, v, b->len[f], cb->ids + at);
			if (n < 0)
				return bad_value(bt, b, i, col,
						 "is not a whole number (modulo takes integer ids)",
						 err);
			if (j->stats && hc_hash_stats_add(&j->stats[k], h, v, b->len[f],
							  cb->ids + at, (size_t)n, err) != 0)
				return -1;
		}
		at += (size_t)n;
		if (c->arity == HC_ARITY_VAR)
			cb->start[i + 1] = (uint32_t)at;
	}
	bt->views[fc].ids = cb->ids;
	bt->views[fc].start = cb->start;
	return 0;
}

static int build_keys(struct built *bt, size_t fc, size_t col,
		      const struct hc_csv_batch *b, struct hc_err *err)
{
	struct colbuf *cb = &bt->bufs[fc];

	if (grow(&cb->keys, &cb->keys_cap, b->nrows, sizeof(uint64_t)) != 0)
		return hc_err_nomem(err);
	for (size_t i = 0; i < b->nrows; i++) {
		size_t f = i * b->ncols + col;
		cb->keys[i] = hc_hash_key(b->buf + b->off[f], b->len[f]);
	}
	bt->views[fc].keys = cb->keys;
	return 0;
}

static int build(struct built *bt, const struct hc_csv_batch *b,
		 struct hc_err *err)
{
	const struct hc_hash_job *j = bt->j;
	size_t fc = 0;

	if (j->label >= 0 &&
	    build_num(bt, fc++, b, (size_t)j->label, HC_KIND_LABEL, err) != 0)
		return -1;
	if (j->weight >= 0 &&
	    build_num(bt, fc++, b, (size_t)j->weight, HC_KIND_WEIGHT, err) != 0)
		return -1;
	for (size_t k = 0; k < j->nhash; k++)
		if (build_cat(bt, fc++, k, b, err) != 0)
			return -1;
	for (size_t k = 0; j->keys && k < j->nhash; k++)
		if (build_keys(bt, fc++, j->hcols[k], b, err) != 0)
			return -1;
	for (size_t k = 0; k < j->nnum; k++)
		if (build_num(bt, fc++, b, j->ncols[k], HC_KIND_NUM, err) != 0)
			return -1;
	bt->block.nrows = b->nrows;
	return 0;
}

static void built_release(struct built *bt)
{
	for (size_t c = 0; bt->bufs && c < bt->s->ncols; c++) {
		hc_free(bt->bufs[c].ids);
		hc_free(bt->bufs[c].start);
		hc_free(bt->bufs[c].num);
		hc_free(bt->bufs[c].keys);
	}
	hc_free(bt->bufs);
	hc_free(bt->views);
}

/* ---- the pipeline ----------------------------------------------------- */

struct task {
	struct built *bt;
	struct hc_hash_emit *emit;
	const struct hc_csv_batch *b;
	struct hc_err err;
	int failed;
};

static void work(void *arg, struct hc_team *t)
{
	struct task *tk = arg;

	if (t && hc_team_next(t) != 0)
		return;
	tk->failed = build(tk->bt, tk->b, &tk->err) != 0 ||
		     hc_hash_emit_batch(tk->emit, tk->b, &tk->bt->block, &tk->err) != 0;
}

static int pump(const struct hc_hash_job *j, struct built *bt,
		struct hc_hash_emit *emit, struct hc_team *team,
		struct hc_err *err)
{
	const struct hc_csv_batch *b, *next;
	uint64_t rows = 0;
	int rc = hc_csv_next_batch(j->csv, &b, err), rc2;

	while (rc == 1) {
		struct task tk = { bt, emit, b, { 0 }, 0 };

		if (team)
			hc_team_start(team, work, &tk, 1);
		else
			work(&tk, NULL);
		rc2 = hc_csv_next_batch(j->csv, &next, err);
		if (team)
			hc_team_wait(team);
		if (tk.failed) {
			*err = tk.err;
			return -1;
		}
		rows += b->nrows;
		if (j->prog)
			hc_progress_update(j->prog, hc_csv_bytes_read(j->csv), rows);
		b = next;
		rc = rc2;
	}
	return rc;
}

int hc_hash_run(const struct hc_hash_job *j, const struct hc_frame_schema *s,
		struct hc_out *out, struct hc_err *err)
{
	struct built bt = { .j = j, .s = s };
	struct hc_hash_emit *emit = NULL;
	struct hc_team *team = NULL;
	int rc = -1;

	bt.bufs = hc_calloc(s->ncols, sizeof(*bt.bufs));
	bt.views = hc_calloc(s->ncols, sizeof(*bt.views));
	if (!bt.bufs || !bt.views) {
		hc_err_nomem(err);
		goto done;
	}
	bt.block.cols = bt.views;
	if (j->threads >= 2 && !(team = hc_team_new(1, err)))
		goto done;
	if (!(emit = hc_hash_emit_open(j, s, out, err)))
		goto done;
	rc = pump(j, &bt, emit, team, err);
	if (rc == 0) {
		rc = hc_hash_emit_close(emit, err);
		emit = NULL;
	}
done:
	hc_hash_emit_abort(emit);
	hc_team_free(team);
	built_release(&bt);
	return rc;
}
