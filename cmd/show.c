/* show.c - `hicard show`: look inside a binary frame, or make one from CSV
 *
 * Wiring only: the frame format is lib/frame.c, its text forms
 * lib/frame_text.c.  Making frames from CSV exists so that frames can be
 * built and checked by hand before hash/encode, and for users whose ids
 * are already integers.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "lib/csv_read.h"
#include "lib/csv_write.h"
#include "lib/frame.h"
#include "lib/frame_text.h"
#include "lib/mem.h"
#include "lib/parse.h"
#include "lib/select.h"

static const char *const usage[] = {
	"hicard show [--header] [--format csv|libsvm] [--head N] [FILE.hcb]",
	"hicard show --from-csv [--label COL] [--weight COL] [--cat COLS] [--num COLS] [--space SPEC] [--multi COLS] [-o FILE] [FILE.csv]",
	NULL,
};

static const char about[] =
	"Prints the rows of a binary frame as CSV (or libsvm text), or its JSON\n"
	"header.  With --from-csv, makes a frame from CSV columns of integer ids\n"
	"(--cat) and numbers (--label, --weight, --num); columns not named are\n"
	"left out.  A frame is binary: it is written to a file (-o) or a pipe,\n"
	"never to a terminal.";

struct show_opts {
	struct hc_common c;
	int header, from_csv;
	const char *format;
	uint64_t head;
	const char *label, *weight, *cat, *num, *space, *multi;
};

/* ---- reading a frame -------------------------------------------------- */

static int print_header(struct hc_frame_reader *r, struct hc_out *out,
			struct hc_err *err)
{
	cJSON *doc = hc_frame_reader_schema(r)->doc;
	char *text = cJSON_Print(doc);
	int rc;

	if (!text)
		return hc_err_nomem(err);
	rc = hc_out_puts(out, text) != 0 || hc_out_putc(out, '\n') != 0;
	cJSON_free(text);
	if (rc) {
		*err = out->err;
		return -1;
	}
	return 0;
}

static int print_rows(struct hc_frame_reader *r, const struct show_opts *o,
		      struct hc_out *out, struct hc_err *err)
{
	const struct hc_frame_schema *s = hc_frame_reader_schema(r);
	const struct hc_frame_block *b;
	struct hc_csv_writer cw;
	struct hc_libsvm svm;
	int libsvm = strcmp(o->format, "libsvm") == 0;
	uint64_t left = o->head ? o->head : UINT64_MAX;
	int rc = 0;

	hc_csv_writer_init(&cw, out, ',');
	if (libsvm ? hc_libsvm_init(&svm, s, err) != 0 : 0)
		return -1;
	if (!libsvm) {
		for (size_t j = 0; j < s->ncols; j++)
			hc_csv_write_str(&cw, s->cols[j].name);
		if (hc_csv_end_row(&cw) != 0)
			goto write_fail;
	}
	while (left && (rc = hc_frame_read_block(r, &b, err)) == 1) {
		for (size_t i = 0; i < b->nrows && left; i++, left--) {
			if (libsvm) {
				if (hc_libsvm_write_row(&svm, out, s, b, i, err) != 0)
					goto fail;
			} else if (hc_frame_row_to_csv(&cw, s, b, i) != 0 ||
				   hc_csv_end_row(&cw) != 0) {
				goto write_fail;
			}
		}
	}
	if (libsvm)
		hc_libsvm_release(&svm);
	return rc < 0 ? -1 : 0;
write_fail:
	*err = out->err;
fail:
	if (libsvm)
		hc_libsvm_release(&svm);
	return -1;
}

static int show_frame(const struct show_opts *o, const char *path,
		      struct hc_err *err)
{
	struct hc_in *in;
	struct hc_frame_reader *r = NULL;
	struct hc_out *out = NULL;
	int rc = -1;

	if ((!path || strcmp(path, "-") == 0) && isatty(0))
		return hc_err_set(err, HC_ERR_USAGE,
				  "no frame given and stdin is a terminal: name a FILE or pipe a frame in");
	in = hc_in_open(path, err);
	if (!in)
		return -1;
	r = hc_frame_reader_open(in, err);
	out = r ? hc_out_open(o->c.output, err) : NULL;
	if (out && (o->header ? print_header(r, out, err) : print_rows(r, o, out, err)) == 0)
		rc = hc_out_close(out, err);
	else
		hc_out_abort(out);
	hc_frame_reader_close(r);
	hc_in_close(in);
	return rc;
}

/* ---- making a frame from CSV ------------------------------------------ */

/* The id space named for column name in SPEC ("N" or "a=N,b=M"), default
 * 2^32; -1 with err set on a malformed SPEC. */
static int space_for(const char *spec, const char *name, uint64_t *space,
		     struct hc_err *err)
{
	size_t nlen = strlen(name);
	const char *p = spec;

	*space = HC_FRAME_SPACE_MAX;
	if (!spec)
		return 0;
	if (hc_parse_u64(spec, strlen(spec), HC_FRAME_SPACE_MAX, space) == 0)
		return *space ? 0 : hc_err_set(err, HC_ERR_USAGE, "--space must be at least 1");
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		uint64_t v;

		if (!eq || hc_parse_u64(eq + 1, len - (size_t)(eq - p) - 1,
					HC_FRAME_SPACE_MAX, &v) != 0 || v == 0)
			return hc_err_set(err, HC_ERR_USAGE,
					  "--space takes N or COL=N,... with N from 1 to 2^32, not '%s'",
					  spec);
		if ((size_t)(eq - p) == nlen && memcmp(p, name, nlen) == 0)
			*space = v;
		p += len + (comma != NULL);
	}
	return 0;
}

/* Every COL of a COL=N,... SPEC must be a cat or multi column: a typo
 * would otherwise leave that column at 2^32 without a word. */
static int check_space_names(const char *spec, const struct hc_frame_schema *s,
			     struct hc_err *err)
{
	const char *p = spec;

	if (!spec || !strchr(spec, '='))
		return 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		size_t nlen = (size_t)((const char *)memchr(p, '=', len) - p);
		int found = 0;

		for (size_t j = 0; j < s->ncols && !found; j++)
			found = s->cols[j].kind == HC_KIND_CAT &&
				strlen(s->cols[j].name) == nlen &&
				memcmp(s->cols[j].name, p, nlen) == 0;
		if (!found)
			return hc_err_set(err, HC_ERR_USAGE,
					  "--space names '%.*s', which is not a --cat or --multi column",
					  (int)nlen, p);
		p += len + (comma != NULL);
	}
	return 0;
}

/* The frame's columns, in order: label, weight, cat, multi, num; *src
 * (allocated here, one entry per frame column) gets each one's CSV
 * column.  A CSV column may be named any number of times. */
static int plan_columns(const struct show_opts *o, struct hc_csv_reader *csv,
			struct hc_frame_schema *s, long **srcp, struct hc_err *err)
{
	const char *const *names = hc_csv_colnames(csv);
	size_t ncols = hc_csv_ncols(csv);
	struct hc_selection cat = {0}, num = {0}, multi = {0};
	int rc = -1;
	long lab = -1, wt = -1, *src;

	if ((o->label && (lab = hc_select_one(o->label, names, ncols, err)) < 0) ||
	    (o->weight && (wt = hc_select_one(o->weight, names, ncols, err)) < 0) ||
	    (o->cat && hc_select_parse(o->cat, names, ncols, &cat, err) != 0) ||
	    (o->num && hc_select_parse(o->num, names, ncols, &num, err) != 0) ||
	    (o->multi && hc_select_parse(o->multi, names, ncols, &multi, err) != 0))
		goto done;
	if (!(src = *srcp = hc_calloc(cat.n + num.n + multi.n + 2, sizeof(*src)))) {
		hc_err_nomem(err);
		goto done;
	}
	if (lab >= 0 && (src[s->ncols] = lab, !hc_frame_schema_add(s, names[lab], HC_KIND_LABEL, 1, 0, err)))
		goto done;
	if (wt >= 0 && (src[s->ncols] = wt, !hc_frame_schema_add(s, names[wt], HC_KIND_WEIGHT, 1, 0, err)))
		goto done;
	for (size_t k = 0; k < cat.n + multi.n; k++) {
		size_t j = k < cat.n ? cat.idx[k] : multi.idx[k - cat.n];
		uint64_t space;
		if (space_for(o->space, names[j], &space, err) != 0)
			goto done;
		src[s->ncols] = (long)j;
		if (!hc_frame_schema_add(s, names[j], HC_KIND_CAT,
					 k < cat.n ? 1 : HC_ARITY_VAR, space, err))
			goto done;
	}
	for (size_t k = 0; k < num.n; k++) {
		src[s->ncols] = (long)num.idx[k];
		if (!hc_frame_schema_add(s, names[num.idx[k]], HC_KIND_NUM, 1, 0, err))
			goto done;
	}
	if (s->ncols == 0)
		hc_err_set(err, HC_ERR_USAGE,
			   "no columns for the frame: name some with --label, --cat, --num or --multi");
	else
		rc = check_space_names(o->space, s, err);
done:
	hc_selection_release(&cat);
	hc_selection_release(&num);
	hc_selection_release(&multi);
	return rc;
}

static int convert_rows(struct hc_csv_reader *csv, struct hc_frame_writer *w,
			const struct hc_frame_schema *s, const long *src,
			struct hc_err *err)
{
	struct hc_csv_row row;
	int rc;

	while ((rc = hc_csv_next(csv, &row, err)) == 1) {
		for (size_t k = 0; k < s->ncols; k++) {
			size_t j = (size_t)src[k];
			if (hc_frame_put_text(w, s, k, hc_csv_field(&row, j),
					      hc_csv_field_len(&row, j), err) != 0) {
				char where[512];
				hc_csv_where(csv, row.line, j, where, sizeof(where));
				hc_err_prefix(err, "%s", where);
				return -1;
			}
		}
		if (hc_frame_end_row(w, err) != 0)
			return -1;
	}
	return rc;
}

static int from_csv(const struct show_opts *o, const char *path, int argc,
		    char **argv, struct hc_err *err)
{
	struct hc_csv_opts copts;
	struct hc_csv_reader *csv = NULL;
	struct hc_frame_schema s = {0};
	struct hc_frame_writer *w = NULL;
	struct hc_out *out = NULL;
	long *src = NULL;
	int rc = -1;

	if (!o->c.output && isatty(1))
		return hc_err_set(err, HC_ERR_USAGE,
				  "refusing to write a binary frame to a terminal: use -o FILE or a pipe");
	if (hc_common_csv_opts(&o->c, &copts, err) != 0 ||
	    !(csv = hc_csv_open(path, &copts, err)))
		return -1;
	if (hc_frame_schema_init(&s, err) != 0 ||
	    plan_columns(o, csv, &s, &src, err) != 0 ||
	    hc_frame_schema_set_producer(&s, argc, argv, err) != 0)
		goto done;
	if (!(out = hc_out_open(o->c.output, err)) ||
	    !(w = hc_frame_writer_open(out, &s, err)))
		goto done;
	if (convert_rows(csv, w, &s, src, err) == 0) {
		rc = hc_frame_writer_close(w, err);
		w = NULL;
		if (rc == 0) {
			rc = hc_out_close(out, err);
			out = NULL;
		}
	}
done:
	hc_frame_writer_abort(w);
	hc_out_abort(out);
	hc_frame_schema_release(&s);
	hc_free(src);
	hc_csv_close(csv);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	struct show_opts o = {.format = "csv"};
	const struct hc_opt opts[] = {
		HC_OPT_GROUP("Reading a frame:"),
		HC_OPT_FLAG(0, "header", &o.header, "print the JSON header instead of rows"),
		HC_OPT_STR(0, "format", &o.format, "FMT", "rows as csv (default) or libsvm"),
		HC_OPT_U64(0, "head", &o.head, "N", 1, UINT64_MAX, "print only the first N rows"),
		HC_OPT_GROUP("Making a frame from CSV:"),
		HC_OPT_FLAG(0, "from-csv", &o.from_csv, "read CSV and write a frame"),
		HC_OPT_STR(0, "label", &o.label, "COL", "the label column (a number)"),
		HC_OPT_STR(0, "weight", &o.weight, "COL", "a row weight column (a number)"),
		HC_OPT_STR(0, "cat", &o.cat, "COLS", "columns of integer ids, one per row"),
		HC_OPT_STR(0, "multi", &o.multi, "COLS", "columns of several ids per row, as 3|17|42"),
		HC_OPT_STR(0, "num", &o.num, "COLS", "numeric columns"),
		HC_OPT_STR(0, "space", &o.space, "SPEC", "id space: N, or COL=N,COL=M (default 2^32)"),
		HC_OPTS_CSV(&o.c),
		HC_OPT_GROUP("Common:"),
		HC_OPTS_OUTPUT(&o.c),
		HC_OPTS_END(&o.c),
	};
	struct hc_err err = {0};
	int nargs, status;
	int rc;

	if (hc_cmd_parse("show", usage, about, opts, &o.c, argc, argv, &nargs,
			 &status) == HC_PARSE_EXIT)
		return status;
	if (nargs > 1)
		return hc_cmd_usage("show", "one FILE at most, not %d", nargs);
	if (strcmp(o.format, "csv") != 0 && strcmp(o.format, "libsvm") != 0)
		return hc_cmd_usage("show", "--format takes csv or libsvm, not '%s'", o.format);
	if (o.from_csv && (o.header || o.head || strcmp(o.format, "csv") != 0))
		return hc_cmd_usage("show", "--from-csv does not go with --header, --head or --format");
	if (!o.from_csv && (o.label || o.weight || o.cat || o.num || o.space || o.multi))
		return hc_cmd_usage("show", "--label, --weight, --cat, --multi, --num and --space need --from-csv");
	{
		uint64_t unused;
		/* A malformed SPEC is an error even if no column uses it. */
		if (space_for(o.space, "", &unused, &err) != 0)
			return hc_cmd_fail("show", &err);
	}
	if (o.from_csv)
		rc = from_csv(&o, nargs ? argv[1] : NULL, argc, argv, &err);
	else
		rc = show_frame(&o, nargs ? argv[1] : NULL, &err);
	return rc == 0 ? HC_EXIT_OK : hc_cmd_fail("show", &err);
}
