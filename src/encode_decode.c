/* encode_decode.c - bit columns back to categories (encode_decode.h) */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/csv_write.h"
#include "lib/mem.h"
#include "lib/parse.h"
#include "src/encode_codes.h"
#include "src/encode_decode.h"

struct group {
	size_t col;        /* state column */
	int resbit;
	size_t first[HC_CODE_BITS_MAX]; /* input column of each bit */
	unsigned bits;
};

/* Input column named NAME SUFFIX B, or SIZE_MAX. */
static size_t find_bit(const struct hc_csv_reader *csv, const char *name,
		       const char *suffix, unsigned b)
{
	char want[4096];
	int n = snprintf(want, sizeof(want), "%s%s%u", name, suffix, b);

	if (n < 0 || (size_t)n >= sizeof(want))
		return SIZE_MAX;
	for (size_t i = 0; i < hc_csv_ncols(csv); i++)
		if (strcmp(hc_csv_colname(csv, i), want) == 0)
			return i;
	return SIZE_MAX;
}

static size_t find_groups(const struct hc_enc_state *st,
			  const struct hc_csv_reader *csv, struct group *g)
{
	size_t n = 0;

	for (size_t j = 0; j < st->ncols; j++)
		for (int rb = 0; rb < 2; rb++) {
			const struct hc_enc_col *c = &st->cols[j];
			unsigned b;

			if (!(c->kinds & HC_ENC_BIT(rb ? HC_ENC_RESBIT : HC_ENC_BINARY)))
				continue;
			for (b = 0; b < c->bits; b++)
				if ((g[n].first[b] = find_bit(csv, c->name, rb ? "_rb" : "_bin", b)) == SIZE_MAX)
					break;
			if (b < c->bits)
				continue;
			g[n].col = j;
			g[n].resbit = rb;
			g[n++].bits = c->bits;
		}
	return n;
}

/* Group whose first bit is input column i; -1 if i is another bit of a
 * group (dropped); -2 if it is no bit (passed through). */
static long role(const struct group *g, size_t ng, size_t i)
{
	for (size_t k = 0; k < ng; k++) {
		if (g[k].first[0] == i)
			return (long)k;
		for (unsigned b = 1; b < g[k].bits; b++)
			if (g[k].first[b] == i)
				return -1;
	}
	return -2;
}

static int put_decoded(const struct hc_enc_state *st, const struct group *g,
		       struct hc_csv_reader *csv, const struct hc_csv_row *row,
		       struct hc_csv_writer *w, struct hc_err *err)
{
	const struct hc_enc_col *c = &st->cols[g->col];
	double x[HC_CODE_BITS_MAX];
	uint64_t n = (uint64_t)c->ncodes + 1, code;
	size_t len;
	const char *v;

	for (unsigned b = 0; b < g->bits; b++) {
		size_t i = g->first[b];
		const char *s = hc_csv_field(row, i);
		char where[512];

		/* NaN or inf is a broken vector, not a coordinate: no
		 * category is nearer to it than another, so it is refused
		 * rather than decoded to a made-up one (the cores would
		 * read a NaN as a 0 bit). */
		if (hc_parse_double(s, hc_csv_field_len(row, i), &x[b]) == 0 && isfinite(x[b]))
			continue;
		hc_csv_where(csv, row->line, i, where, sizeof(where));
		return hc_err_set(err, HC_ERR_DATA, "%s: bit '%.40s' is not a finite number", where, s);
	}
	code = g->resbit ? hc_resbit_decode(x, g->bits, n, st->p.signed_bits)
			 : hc_binary_decode(x, g->bits, n, st->p.signed_bits);
	if (code == c->ncodes)
		return hc_csv_write_str(w, "__other__");
	v = hc_strmap_key(&c->vocab, c->by_code[code], &len);
	return hc_csv_write_field(w, v, len);
}

static int put_group_name(struct hc_csv_writer *w, const char *name, int resbit)
{
	size_t n = strlen(name);
	char *s = hc_malloc(n + 5);
	int rc;

	if (!s)
		return -1;
	memcpy(s, name, n);
	memcpy(s + n, resbit ? "_rb" : "_bin", resbit ? 4 : 5);
	rc = hc_csv_write_str(w, s);
	hc_free(s);
	return rc;
}

int hc_enc_decode(const struct hc_enc_state *st, struct hc_csv_reader *csv,
		  struct hc_out *out, struct hc_err *err)
{
	struct group *g = hc_calloc(2 * st->ncols + 1, sizeof(*g));
	struct hc_csv_writer w;
	struct hc_csv_row row;
	size_t ng, nc = hc_csv_ncols(csv);
	int got, rc = -1;

	if (!g)
		return hc_err_nomem(err);
	if ((ng = find_groups(st, csv, g)) == 0) {
		hc_err_set(err, HC_ERR_DATA, "%s: no complete group of bit columns (COL_bin0.. or COL_rb0..) of the state's columns", hc_csv_name(csv));
		goto done;
	}
	hc_csv_writer_init(&w, out, ',');
	for (size_t i = 0; i < nc; i++) {
		long r = role(g, ng, i);
		const struct hc_enc_col *c;

		if (r == -2)
			hc_csv_write_str(&w, hc_csv_colname(csv, i));
		if (r < 0)
			continue;
		c = &st->cols[g[r].col];
		if (put_group_name(&w, c->name, g[r].resbit) != 0)
			goto nomem;
	}
	if (hc_csv_end_row(&w) != 0)
		goto io;
	while ((got = hc_csv_next(csv, &row, err)) == 1) {
		for (size_t i = 0; i < nc; i++) {
			long r = role(g, ng, i);

			if (r == -2 && hc_csv_write_field(&w, hc_csv_field(&row, i),
							  hc_csv_field_len(&row, i)) != 0)
				goto io;
			if (r >= 0 && put_decoded(st, &g[r], csv, &row, &w, err) != 0) {
				if (out->failed)
					goto io;
				goto done;
			}
		}
		if (hc_csv_end_row(&w) != 0)
			goto io;
	}
	rc = got < 0 ? -1 : 0;
	goto done;
nomem:
	if (!out->failed) {
		hc_err_nomem(err);
		goto done;
	}
io:
	*err = out->err;
done:
	hc_free(g);
	return rc;
}
