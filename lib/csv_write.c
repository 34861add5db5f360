/* csv_write.c - RFC 4180 quoting writer; see csv_write.h */
#include "csv_write.h"

#include <string.h>

void hc_csv_writer_init(struct hc_csv_writer *w, struct hc_out *out,
			char delim)
{
	w->out = out;
	w->delim = delim ? delim : ',';
	w->col = 0;
	w->only_empty = 0;
}

static int needs_quotes(const char *s, size_t len, char delim)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == delim || c == '"' || c == '\n' || c == '\r')
			return 1;
	}
	return 0;
}

static int start_field(struct hc_csv_writer *w)
{
	return w->col++ ? hc_out_putc(w->out, w->delim) : 0;
}

int hc_csv_write_field(struct hc_csv_writer *w, const char *s, size_t len)
{
	const char *q;

	if (start_field(w) != 0)
		return -1;
	w->only_empty = w->col == 1 && len == 0;
	if (!needs_quotes(s, len, w->delim))
		return hc_out_write(w->out, s, len);
	if (hc_out_putc(w->out, '"') != 0)
		return -1;
	while ((q = memchr(s, '"', len)) != NULL) {
		size_t n = (size_t)(q - s) + 1;
		if (hc_out_write(w->out, s, n) != 0 ||
		    hc_out_putc(w->out, '"') != 0)
			return -1;
		s += n;
		len -= n;
	}
	if (hc_out_write(w->out, s, len) != 0)
		return -1;
	return hc_out_putc(w->out, '"');
}

int hc_csv_write_str(struct hc_csv_writer *w, const char *s)
{
	return hc_csv_write_field(w, s, strlen(s));
}

int hc_csv_write_u64(struct hc_csv_writer *w, uint64_t v)
{
	w->only_empty = 0;
	if (start_field(w) != 0)
		return -1;
	return hc_out_u64(w->out, v);
}

int hc_csv_write_float(struct hc_csv_writer *w, float v)
{
	w->only_empty = 0;
	if (start_field(w) != 0)
		return -1;
	return hc_out_float(w->out, v);
}

int hc_csv_end_row(struct hc_csv_writer *w)
{
	int rc = 0;

	if (w->col == 1 && w->only_empty)
		rc = hc_out_write(w->out, "\"\"", 2);
	w->col = 0;
	w->only_empty = 0;
	return rc ? rc : hc_out_putc(w->out, '\n');
}

int hc_csv_write_row(struct hc_csv_writer *w, const char *const *fields,
		     size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (hc_csv_write_str(w, fields[j]) != 0)
			return -1;
	return hc_csv_end_row(w);
}
