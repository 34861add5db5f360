/* report.c - JSON report rows as CSV or an aligned table; see report.h */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "csv_write.h"
#include "mem.h"
#include "parse.h"

#define CELL_MAX 28

const cJSON *hc_report_get(const cJSON *obj, const char *path)
{
	char key[128];

	while (obj && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);
		uint64_t idx;

		if (len >= sizeof(key))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		if (cJSON_IsArray(obj) && hc_parse_u64(key, len, 1u << 30, &idx) == 0)
			obj = cJSON_GetArrayItem(obj, (int)idx);
		else
			obj = cJSON_GetObjectItemCaseSensitive(obj, key);
		path += len + (dot != NULL);
	}
	return obj;
}

/* Text of one cell into buf. */
static const char *cell(const cJSON *v, char *buf, size_t cap)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d == (double)(long long)d && d < 1e15 && d > -1e15)
			snprintf(buf, cap, "%lld", (long long)d);
		else
			snprintf(buf, cap, "%.6g", d);
		return buf;
	}
	return "";
}

static int fail(struct hc_out *out, struct hc_err *err)
{
	*err = out->err;
	return -1;
}

int hc_report_csv(struct hc_out *out, const cJSON *rows,
		  const struct hc_report_field *f, size_t nf,
		  struct hc_err *err)
{
	struct hc_csv_writer w;
	const cJSON *row;
	char buf[64];

	hc_csv_writer_init(&w, out, ',');
	for (size_t i = 0; i < nf; i++)
		hc_csv_write_str(&w, f[i].header);
	if (hc_csv_end_row(&w) != 0)
		return fail(out, err);
	cJSON_ArrayForEach(row, rows) {
		for (size_t i = 0; i < nf; i++)
			hc_csv_write_str(&w, cell(hc_report_get(row, f[i].path),
						  buf, sizeof(buf)));
		if (hc_csv_end_row(&w) != 0)
			return fail(out, err);
	}
	return 0;
}

/* Bytes of s that fit in CELL_MAX display columns, cutting at a UTF-8
 * character boundary; *cut set if s was longer. */
static size_t fit(const char *s, int *cut)
{
	size_t n = 0, cols = 0;

	*cut = 0;
	while (s[n]) {
		size_t k = 1;
		while ((s[n + k] & 0xC0) == 0x80)
			k++;
		if (cols == CELL_MAX - 1 && s[n + k]) {
			*cut = 1;
			return n;
		}
		n += k;
		cols++;
	}
	return n;
}

static size_t display_cols(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += (s[i] & 0xC0) != 0x80;
	return c;
}

int hc_report_table(struct hc_out *out, const cJSON *rows,
		    const struct hc_report_field *f, size_t nf,
		    struct hc_err *err)
{
	size_t *width = hc_calloc(nf, sizeof(*width));
	const cJSON *row;
	char buf[64];
	int cut;

	if (!width)
		return hc_err_nomem(err);
	for (size_t i = 0; i < nf; i++)
		width[i] = display_cols(f[i].header, strlen(f[i].header));
	cJSON_ArrayForEach(row, rows)
		for (size_t i = 0; i < nf; i++) {
			const char *s = cell(hc_report_get(row, f[i].path), buf, sizeof(buf));
			size_t n = fit(s, &cut);
			size_t w = display_cols(s, n) + (size_t)cut;
			if (w > width[i])
				width[i] = w;
		}
	for (size_t i = 0; i < nf; i++)
		hc_out_printf(out, "%s%-*s", i ? "  " : "",
			      i + 1 < nf ? (int)width[i] : 0, f[i].header);
	hc_out_putc(out, '\n');
	cJSON_ArrayForEach(row, rows) {
		for (size_t i = 0; i < nf; i++) {
			const char *s = cell(hc_report_get(row, f[i].path), buf, sizeof(buf));
			size_t n = fit(s, &cut);
			size_t w = display_cols(s, n) + (size_t)cut;
			hc_out_printf(out, "%s%.*s%s", i ? "  " : "", (int)n, s,
				      cut ? "~" : "");
			for (size_t k = w; k < width[i] && i + 1 < nf; k++)
				hc_out_putc(out, ' ');
		}
		if (hc_out_putc(out, '\n') != 0)
			break;
	}
	hc_free(width);
	return out->failed ? fail(out, err) : 0;
}
