/* encode_run.c - the modes of `hicard encode`: files in, files out
 *
 * Each mode opens its inputs, hands them to src/encode_*.c and commits its
 * output only when everything succeeded (lib/out.h).
 */
#include <string.h>

#include "cmd/encode.h"
#include "lib/csv_read.h"
#include "lib/mem.h"
#include "lib/progress.h"
#include "lib/select.h"
#include "lib/statefile.h"
#include "src/encode_decode.h"
#include "src/encode_scan.h"
#include "src/encode_plan.h"

/* ---- state files -------------------------------------------------------- */

static int put_state(struct hc_buf *b, void *st)
{
	return hc_enc_serialize(st, b);
}

static int write_state(const char *path, const struct hc_enc_state *st,
		       struct hc_err *err)
{
	struct hc_out *out = hc_out_open(path, err);

	if (!out)
		return -1;
	if (hc_statefile_write_with(out, ENCODE_STATE_MAGIC, ENCODE_STATE_VERSION,
				    put_state, (void *)st, err) != 0) {
		hc_out_abort(out);
		return -1;
	}
	return hc_out_close(out, err);
}

/* Versions 3 to 1 are read too: the payload without passthrough, without
 * classes (2, 1), without numeric encoders (1). */
static struct hc_enc_state *read_state(const char *path, struct hc_err *err)
{
	struct hc_state_reader r;
	struct hc_enc_state *st;

	if (hc_statefile_open(&r, path, ENCODE_STATE_MAGIC, 1, ENCODE_STATE_VERSION,
			      "hicard encode state", err) != 0)
		return NULL;
	st = hc_enc_deserialize_v(&r.cur, r.version, err);
	if (hc_statefile_finish(&r, st ? 0 : -1, err) != 0) {
		hc_enc_state_free(st);
		return NULL;
	}
	return st;
}

/* ---- fitting ------------------------------------------------------------ */

static int check_woe(const struct hc_enc_state *st, const char *name,
		     struct hc_err *err)
{
	for (size_t j = 0; j < st->ncols; j++)
		if ((st->cols[j].kinds & HC_ENC_BIT(HC_ENC_WOE)) && st->target_nonbinary)
			return hc_err_set(err, HC_ERR_DATA, "%s: column '%s': --woe needs a 0/1 target, and '%s' has other values", name, st->cols[j].name, st->target);
	return 0;
}

/* --classes auto: a first pass over path's target column. */
static int auto_classes(const struct encode_opts *o, const char *path,
			struct hc_enc_state *st, struct hc_err *err)
{
	struct hc_csv_opts copts;
	struct hc_csv_reader *csv;
	long col;
	int rc;

	if (!path || !strcmp(path, "-"))
		return hc_err_set(err, HC_ERR_USAGE, "--classes auto reads FILE twice: give a FILE, or list the classes");
	if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(csv = hc_csv_open(path, &copts, err)))
		return -1;
	col = hc_select_one(st->target, hc_csv_colnames(csv), hc_csv_ncols(csv), err);
	rc = col < 0 ? -1 : hc_enc_auto_classes(st, csv, col, err);
	hc_csv_close(csv);
	return rc;
}

/* Bytes for recorded rows: --memory, else none for K-fold from a FILE
 * (which spills to a scratch file instead, or with --keep, which needs
 * the fields' text, reads FILE twice: memory stays the state plus
 * buffers for any number of rows), else 1G. */
static uint64_t record_budget(const struct encode_opts *o, const char *path)
{
	int file = path && strcmp(path, "-");

	if (o->keep)
		return 0;
	if (o->memory)
		return o->memory;
	return file && !o->ordered ? 0 : (uint64_t)1 << 30;
}

/* Opens path, makes a state and fits it (with oof when not NULL; then
 * with --weight, whose column's name goes to *wname, the caller's to
 * free, for rows that are not read again; --keep and --weight are
 * checked against the state here, before a long fit and --save-state).
 * NULL with err set. */
static struct hc_enc_state *fit_file(const struct encode_opts *o,
				     const char *path, struct hc_enc_oof *oof,
				     char **wname, struct hc_err *err)
{
	struct hc_csv_opts copts;
	struct hc_csv_reader *csv;
	struct hc_enc_state *st = NULL;
	struct hc_enc_layout l = {0};
	struct hc_enc_plan plan = o->plan;
	struct hc_progress prog;
	int rc = -1;

	if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(csv = hc_csv_open(path, &copts, err)))
		return NULL;
	if (o->plan.target && hc_select_one(o->plan.target, hc_csv_colnames(csv), hc_csv_ncols(csv), err) < 0)
		goto done;
	if (plan.classes && !strcmp(plan.classes, "auto"))
		plan.classes = NULL;
	if (!(st = hc_enc_plan_state(&plan, hc_csv_colnames(csv),
				     hc_csv_ncols(csv), err)) ||
	    (o->plan.classes && !plan.classes && auto_classes(o, path, st, err) != 0) ||
	    hc_enc_layout_init(&l, st, csv, oof ? o->keep : NULL, 1, err) != 0 ||
	    (oof && hc_enc_layout_weight(&l, st, csv, o->weight, err) != 0))
		goto done;
	if (l.weight >= 0 &&
	    !(*wname = hc_strdup(hc_csv_colname(csv, (size_t)l.weight)))) {
		hc_err_nomem(err);
		goto done;
	}
	if (oof && (hc_enc_oof_init(oof, st, (uint32_t)o->folds, o->ordered,
				    o->c.seed, record_budget(o, path), err) != 0 ||
		    (!oof->full && !o->ordered && !o->keep &&
		     hc_enc_oof_spill(oof, err) != 0)))
		goto done;
	hc_progress_start(&prog, "encode fit", hc_csv_bytes_total(csv), o->c.quiet);
	rc = hc_enc_fit(st, csv, &l, oof, &prog, err);
	hc_progress_end(&prog);
	if (rc == 0)
		rc = check_woe(st, hc_csv_name(csv), err);
	if (rc == 0 && oof)
		rc = hc_enc_oof_finish(oof, st, err);
done:
	hc_enc_layout_release(&l);
	hc_csv_close(csv);
	if (rc != 0) {
		hc_enc_state_free(st);
		return NULL;
	}
	return st;
}

int encode_fit(const struct encode_opts *o, const char *path,
	       struct hc_err *err)
{
	struct hc_enc_state *st = fit_file(o, path, NULL, NULL, err);
	int rc;

	if (!st)
		return -1;
	rc = write_state(o->c.output, st, err);
	hc_enc_state_free(st);
	return rc;
}

/* ---- encoding ----------------------------------------------------------- */

/* Encodes path with st (out of fold with oof) to -o or stdout.  wname:
 * the weight column the fit pass found, for rows it recorded or spilled
 * (the input is not opened then). */
static int encode_file(const struct encode_opts *o, const struct hc_enc_state *st,
		       const char *path, const struct hc_enc_oof *oof,
		       const char *wname, struct hc_err *err)
{
	struct hc_csv_opts copts;
	struct hc_csv_reader *csv = NULL;
	struct hc_enc_layout l = {0};
	struct hc_enc_writer *w = NULL;
	struct hc_out *out = NULL;
	struct hc_progress prog;
	const char **keep = NULL;
	const char *weight = NULL;
	int rc = -1;

	if (oof && (oof->full || oof->spill)) {
		/* recorded or spilled: the input is not read again; its
		 * header was the fit pass's, with the target column */
		l.target = 0;
		weight = wname;
	} else {
		if (oof && (!path || !strcmp(path, "-")))
			return hc_err_set(err, HC_ERR_DATA, "stdin: the input is over --memory and cannot be read twice: give a FILE or more --memory");
		if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
		    !(csv = hc_csv_open(path, &copts, err)))
			return -1;
		if (hc_enc_layout_init(&l, st, csv, o->keep, 0, err) != 0 ||
		    hc_enc_layout_weight(&l, st, csv, o->weight, err) != 0)
			goto done;
		if (l.weight >= 0)
			weight = hc_csv_colname(csv, (size_t)l.weight);
	}
	if (!(keep = hc_calloc(l.nkeep + 1, sizeof(*keep)))) {
		hc_err_nomem(err);
		goto done;
	}
	for (size_t i = 0; i < l.nkeep; i++)
		keep[i] = hc_csv_colname(csv, l.keep[i]);
	if (!(out = hc_out_open(o->c.output, err)) ||
	    !(w = hc_enc_writer_open(out, o->fmt, st, l.nkeep, keep, l.target >= 0,
				     weight, o->argc, o->argv, err)))
		goto done;
	hc_progress_start(&prog, "encode", csv ? hc_csv_bytes_total(csv) : 0, o->c.quiet);
	if (oof && oof->full)
		rc = hc_enc_apply_recorded(st, oof, w, err);
	else if (oof && oof->spill)
		rc = hc_enc_apply_spilled(st, oof, w, err);
	else
		rc = hc_enc_apply(st, csv, &l, oof, w, &prog, err);
	hc_progress_end(&prog);
	if (rc == 0) {
		rc = hc_enc_writer_close(w, err);
		w = NULL;
	}
	if (rc == 0) {
		rc = hc_out_close(out, err);
		out = NULL;
	}
done:
	hc_enc_writer_abort(w);
	hc_out_abort(out);
	hc_free(keep);
	hc_enc_layout_release(&l);
	hc_csv_close(csv);
	return rc;
}

int encode_apply(const struct encode_opts *o, const char *path,
		 struct hc_err *err)
{
	struct hc_enc_state *st = read_state(o->state, err);
	int rc;

	if (!st)
		return -1;
	rc = encode_file(o, st, path, NULL, NULL, err);
	hc_enc_state_free(st);
	return rc;
}

int encode_fit_apply(const struct encode_opts *o, const char *path,
		     struct hc_err *err)
{
	struct hc_enc_oof oof = {0};
	char *wname = NULL;
	struct hc_enc_state *st = fit_file(o, path, &oof, &wname, err);
	int rc = -1;

	if (!st)
		goto done;
	if (o->save_state && write_state(o->save_state, st, err) != 0)
		goto done;
	rc = encode_file(o, st, path, &oof, wname, err);
done:
	hc_free(wname);
	hc_enc_oof_release(&oof);
	hc_enc_state_free(st);
	return rc;
}

/* ---- merge and decode --------------------------------------------------- */

int encode_merge(const struct encode_opts *o, int n, char **paths,
		 struct hc_err *err)
{
	struct hc_enc_state *acc = NULL;
	int rc = -1;

	for (int i = 0; i < n; i++) {
		struct hc_enc_state *st = read_state(paths[i], err);

		if (!st)
			goto done;
		if (!acc) {
			acc = st;
			continue;
		}
		rc = hc_enc_merge(acc, st, err);
		hc_enc_state_free(st);
		if (rc != 0) {
			hc_err_prefix(err, "%s", paths[i]);
			goto done;
		}
		rc = -1;
	}
	rc = write_state(o->c.output, acc, err);
done:
	hc_enc_state_free(acc);
	return rc;
}

int encode_decode(const struct encode_opts *o, const char *path,
		  struct hc_err *err)
{
	struct hc_enc_state *st = read_state(o->state, err);
	struct hc_csv_opts copts;
	struct hc_csv_reader *csv = NULL;
	struct hc_out *out = NULL;
	int rc = -1;

	if (!st || hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(csv = hc_csv_open(path, &copts, err)) ||
	    !(out = hc_out_open(o->c.output, err)))
		goto done;
	rc = hc_enc_decode(st, csv, out, err);
	if (rc == 0) {
		rc = hc_out_close(out, err);
		out = NULL;
	}
done:
	hc_out_abort(out);
	hc_csv_close(csv);
	hc_enc_state_free(st);
	return rc;
}
