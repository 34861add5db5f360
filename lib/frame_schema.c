/* frame_schema.c - the frame header: building it and checking a read one
 *
 * The typed columns (name, kind, arity, space) are what readers use; the
 * cJSON document keeps everything else a producer recorded (scheme, seed,
 * command line) so that it travels on unchanged.
 */
#include "frame_schema.h"

#include <stdio.h>
#include <string.h>

#include "mem.h"

static const char *const kind_names[] = {"label", "weight", "cat", "num",
					   "key"};

const char *hc_frame_kind_name(enum hc_frame_kind k)
{
	return (unsigned)k < 5 ? kind_names[k] : "?";
}

static int kind_from_name(const char *s, enum hc_frame_kind *k)
{
	for (unsigned i = 0; i < 5; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum hc_frame_kind)i;
			return 0;
		}
	return -1;
}

int hc_frame_schema_init(struct hc_frame_schema *s, struct hc_err *err)
{
	memset(s, 0, sizeof(*s));
	s->doc = cJSON_CreateObject();
	if (!s->doc ||
	    !cJSON_AddStringToObject(s->doc, "format", "hicard-frame") ||
	    !cJSON_AddNumberToObject(s->doc, "version", HC_FRAME_VERSION) ||
	    !cJSON_AddArrayToObject(s->doc, "columns")) {
		cJSON_Delete(s->doc);
		s->doc = NULL;
		return hc_err_nomem(err);
	}
	return 0;
}

/* Checks one column's typed fields; the rules readers rely on. */
static int check_col(const struct hc_frame_schema *s, const char *name,
		     enum hc_frame_kind kind, uint32_t arity, uint64_t space,
		     struct hc_err *err)
{
	if (s->ncols >= HC_FRAME_MAX_COLS)
		return hc_err_set(err, HC_ERR_DATA, "more than %d columns",
				  HC_FRAME_MAX_COLS);
	if (!name[0])
		return hc_err_set(err, HC_ERR_DATA, "column %zu has an empty name",
				  s->ncols + 1);
	if (kind == HC_KIND_CAT) {
		if (space == 0 || space > HC_FRAME_SPACE_MAX)
			return hc_err_set(err, HC_ERR_DATA,
					  "column '%s': id space must be 1 to 2^32, not %llu",
					  name, (unsigned long long)space);
		if (arity > 1024)
			return hc_err_set(err, HC_ERR_DATA,
					  "column '%s': more than 1024 ids per row",
					  name);
		return 0;
	}
	if (arity != 1)
		return hc_err_set(err, HC_ERR_DATA,
				  "column '%s': a %s column holds one value per row",
				  name, hc_frame_kind_name(kind));
	if ((kind == HC_KIND_LABEL || kind == HC_KIND_WEIGHT) &&
	    hc_frame_schema_find_kind(s, kind) >= 0)
		return hc_err_set(err, HC_ERR_DATA, "a second %s column '%s'",
				  hc_frame_kind_name(kind), name);
	return 0;
}

static int push_col(struct hc_frame_schema *s, const char *name,
		    enum hc_frame_kind kind, uint32_t arity, uint64_t space,
		    struct hc_err *err)
{
	struct hc_frame_col *c;
	char *nm;

	if (check_col(s, name, kind, arity, space, err) != 0)
		return -1;
	c = hc_reallocarray(s->cols, s->ncols + 1, sizeof(*c));
	if (!c)
		return hc_err_nomem(err);
	s->cols = c;
	nm = hc_strdup(name);
	if (!nm)
		return hc_err_nomem(err);
	c[s->ncols].name = nm;
	c[s->ncols].kind = kind;
	c[s->ncols].arity = arity;
	c[s->ncols].space = kind == HC_KIND_CAT ? space : 0;
	s->ncols++;
	return 0;
}

cJSON *hc_frame_schema_add(struct hc_frame_schema *s, const char *name,
			   enum hc_frame_kind kind, uint32_t arity,
			   uint64_t space, struct hc_err *err)
{
	cJSON *cols = cJSON_GetObjectItemCaseSensitive(s->doc, "columns");
	cJSON *c = cJSON_CreateObject();
	int ok;

	if (!c) {
		hc_err_nomem(err);
		return NULL;
	}
	ok = cJSON_AddStringToObject(c, "name", name) &&
	     cJSON_AddStringToObject(c, "kind", hc_frame_kind_name(kind));
	if (ok && kind == HC_KIND_CAT) {
		ok = (arity == HC_ARITY_VAR
			      ? cJSON_AddStringToObject(c, "ids", "var") != NULL
			      : cJSON_AddNumberToObject(c, "ids", arity) != NULL) &&
		     cJSON_AddNumberToObject(c, "space", (double)space);
	}
	if (!ok) {
		cJSON_Delete(c);
		hc_err_nomem(err);
		return NULL;
	}
	if (push_col(s, name, kind, arity, space, err) != 0) {
		cJSON_Delete(c);
		return NULL;
	}
	if (!cJSON_AddItemToArray(cols, c)) {
		cJSON_Delete(c);
		hc_err_nomem(err);
		return NULL;
	}
	return c;
}

int hc_frame_schema_set_producer(struct hc_frame_schema *s, int argc,
				 char *const *argv, struct hc_err *err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON *args = cJSON_CreateArray();

	if (!p || !args)
		goto nomem;
	for (int i = 0; i < argc; i++) {
		cJSON *a = cJSON_CreateString(argv[i]);
		if (!a || !cJSON_AddItemToArray(args, a)) {
			cJSON_Delete(a);
			goto nomem;
		}
	}
	if (!cJSON_AddStringToObject(p, "hicard", HC_VERSION))
		goto nomem;
	if (!cJSON_AddItemToObject(p, "argv", args)) {
		args = NULL;
		goto nomem;
	}
	args = NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(s->doc, "producer");
	if (!cJSON_AddItemToObject(s->doc, "producer", p))
		goto nomem;
	return 0;
nomem:
	cJSON_Delete(args);
	cJSON_Delete(p);
	return hc_err_nomem(err);
}

const char *hc_frame_col_table(const struct hc_frame_schema *s, size_t col)
{
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(s->doc, "columns");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cols, (int)col), "table");

	return cJSON_IsString(t) && s->cols[col].kind == HC_KIND_CAT
		       ? t->valuestring
		       : NULL;
}

long hc_frame_schema_find_kind(const struct hc_frame_schema *s,
			       enum hc_frame_kind kind)
{
	for (size_t j = 0; j < s->ncols; j++)
		if (s->cols[j].kind == kind)
			return (long)j;
	return -1;
}

void hc_frame_schema_release(struct hc_frame_schema *s)
{
	for (size_t j = 0; j < s->ncols; j++)
		hc_free(s->cols[j].name);
	hc_free(s->cols);
	cJSON_Delete(s->doc);
	memset(s, 0, sizeof(*s));
}

/* ---- reading a header ------------------------------------------------- */

/* A JSON number that is a whole number in [lo, hi]. */
static int json_whole(const cJSON *v, double lo, double hi, uint64_t *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
	    v->valuedouble != (double)(uint64_t)v->valuedouble)
		return -1;
	*out = (uint64_t)v->valuedouble;
	return 0;
}

static int col_from_json(struct hc_frame_schema *s, const cJSON *c, size_t j,
			 struct hc_err *err)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(c, "kind");
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(c, "ids");
	const cJSON *space = cJSON_GetObjectItemCaseSensitive(c, "space");
	enum hc_frame_kind k;
	uint64_t arity = 1, sp = 0;

	if (!cJSON_IsObject(c) || !cJSON_IsString(name))
		return hc_err_set(err, HC_ERR_DATA,
				  "header: column %zu has no name", j + 1);
	if (!cJSON_IsString(kind) || kind_from_name(kind->valuestring, &k) != 0)
		return hc_err_set(err, HC_ERR_DATA,
				  "header: column '%s' has no valid kind (label, weight, cat, num or key)",
				  name->valuestring);
	if (k == HC_KIND_CAT) {
		if (cJSON_IsString(ids) && strcmp(ids->valuestring, "var") == 0)
			arity = HC_ARITY_VAR;
		else if (ids && json_whole(ids, 1, 1024, &arity) != 0)
			return hc_err_set(err, HC_ERR_DATA,
					  "header: column '%s': 'ids' must be 1 to 1024 or \"var\"",
					  name->valuestring);
		if (json_whole(space, 1, (double)HC_FRAME_SPACE_MAX, &sp) != 0)
			return hc_err_set(err, HC_ERR_DATA,
					  "header: column '%s': 'space' must be a whole number from 1 to 2^32",
					  name->valuestring);
	}
	if (push_col(s, name->valuestring, k, (uint32_t)arity, sp, err) != 0) {
		hc_err_prefix(err, "header");
		return -1;
	}
	return 0;
}

int hc_frame_schema_from_json(struct hc_frame_schema *s, const char *text,
			      size_t len, struct hc_err *err)
{
	const cJSON *fmt, *ver, *cols, *c;
	const char *end = NULL;
	size_t j = 0;

	memset(s, 0, sizeof(*s));
	s->doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	/* cJSON stops after the first value; JSON text is that value alone. */
	while (s->doc && end < text + len &&
	       (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (!s->doc || end != text + len || !cJSON_IsObject(s->doc)) {
		hc_frame_schema_release(s);
		return hc_err_set(err, HC_ERR_DATA,
				  "header: not a valid JSON object");
	}
	fmt = cJSON_GetObjectItemCaseSensitive(s->doc, "format");
	ver = cJSON_GetObjectItemCaseSensitive(s->doc, "version");
	cols = cJSON_GetObjectItemCaseSensitive(s->doc, "columns");
	if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "hicard-frame") != 0 ||
	    !cJSON_IsNumber(ver) || ver->valuedouble != HC_FRAME_VERSION) {
		hc_frame_schema_release(s);
		return hc_err_set(err, HC_ERR_DATA,
				  "header: not a hicard-frame version %d header",
				  HC_FRAME_VERSION);
	}
	if (!cJSON_IsArray(cols) || cJSON_GetArraySize(cols) == 0) {
		hc_frame_schema_release(s);
		return hc_err_set(err, HC_ERR_DATA, "header: no columns");
	}
	cJSON_ArrayForEach(c, cols) {
		if (col_from_json(s, c, j++, err) != 0) {
			hc_frame_schema_release(s);
			return -1;
		}
	}
	return 0;
}
