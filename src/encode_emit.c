/* encode_emit.c - encoded rows as CSV, libsvm or a frame (encode_emit.h)
 *
 * One walk over (state column, encoder) serves the header and every row,
 * so the three formats cannot disagree on which column is which.  Numbers
 * are formatted by hand (7 significant digits, the precision a float
 * carries): printf's %g costs about 10x more and dominated apply.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/frame.h"
#include "lib/mem.h"
#include "lib/parse.h"
#include "src/encode_codes.h"
#include "src/encode_emit.h"

struct hc_enc_writer {
	struct hc_out *out;
	enum hc_enc_format fmt;
	const struct hc_enc_state *st;
	size_t nkeep;
	int has_label;
	const char *weight;          /* the weight column's name, or NULL */
	int first;                   /* CSV: no field written in this row yet */
	uint64_t index;              /* libsvm: features before this one */
	size_t fcol;                 /* frame: current column */
	struct hc_frame_schema schema;
	int schema_live;
	struct hc_frame_writer *fw;
};

/* ---- numbers and fields --------------------------------------------------- */

static const double p10[] = {
	1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
};
static const uint64_t u10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000ull,
};

/* "00" to "99": two digits per division by 100. */
static const char pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* The nd digits of v (below 10^nd), leading zeros included, at p. */
static void put_digits(char *p, uint64_t v, int nd)
{
	char *q = p + nd;

	for (; nd >= 2; nd -= 2, v /= 100) {
		q -= 2;
		memcpy(q, pairs + 2 * (v % 100), 2);
	}
	if (nd)
		*--q = (char)('0' + v);
}

size_t hc_enc_format_real(char *buf, double v)
{
	double a = fabs(v);
	uint64_t m, ip, fr;
	int e, d, nd;
	size_t n = 0;

	if (v == 0) {
		buf[0] = '0';
		return 1;
	}
	if (!(a >= 1e-4 && a < 1e15))
		return (size_t)snprintf(buf, HC_ENC_REAL_MAX, "%.7g", v);
	if (v < 0)
		buf[n++] = '-';
	if (a >= 1e6) {
		m = (uint64_t)(a + 0.5);
		for (nd = 1, ip = m; ip >= 10; ip /= 10)
			nd++;
		put_digits(buf + n, m, nd);
		return n + (size_t)nd;
	}
	/* e = floor(log10(a)) by the table, d the decimals of 7 significant
	 * digits (1..10), m the value in units of the last one: below 2^24,
	 * where adding 0.5 is exact, so the cast rounds half away from zero
	 * like llround (without a call); then the whole part ip and the d
	 * decimals fr, whose trailing zeros are dropped */
	for (e = -4; e < 5 && a >= p10[e + 5]; e++)
		;
	d = 6 - e;
	m = (uint64_t)(a * (double)u10[d] + 0.5);
	ip = m / u10[d];
	fr = m - ip * u10[d];
	for (nd = 1; nd < 10 && ip >= u10[nd]; nd++)
		;
	put_digits(buf + n, ip, nd);
	n += (size_t)nd;
	if (!fr)
		return n;
	for (; fr % 10 == 0; d--)
		fr /= 10;
	buf[n++] = '.';
	put_digits(buf + n, fr, d);
	return n + (size_t)d;
}

int hc_enc_put_real(struct hc_out *o, double v)
{
	char buf[HC_ENC_REAL_MAX];

	return hc_out_write(o, buf, hc_enc_format_real(buf, v));
}

static int sep(struct hc_enc_writer *w)
{
	if (w->first) {
		w->first = 0;
		return 0;
	}
	return hc_out_putc(w->out, ',');
}

/* A CSV field, quoted when it must be (RFC 4180). */
static int put_text(struct hc_enc_writer *w, const char *s, size_t len)
{
	int quote = 0;

	if (sep(w) != 0)
		return -1;
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote)
		return hc_out_write(w->out, s, len);
	hc_out_putc(w->out, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			hc_out_putc(w->out, '"');
		hc_out_putc(w->out, s[i]);
	}
	return hc_out_putc(w->out, '"');
}

/* NAME MID TAIL as one string ("user_id" "=" "phone"); NULL: no memory. */
static char *join(const char *name, const char *mid, const char *tail,
		  size_t tlen)
{
	size_t ln = strlen(name), lm = strlen(mid);
	char *s = hc_malloc(ln + lm + tlen + 1);

	if (!s)
		return NULL;
	memcpy(s, name, ln);
	memcpy(s + ln, mid, lm);
	memcpy(s + ln + lm, tail, tlen);
	s[ln + lm + tlen] = '\0';
	return s;
}

/* The error of a failed write or allocation. */
static int fail(struct hc_enc_writer *w, struct hc_err *err)
{
	if (w->out->failed) {
		*err = w->out->err;
		return -1;
	}
	return hc_err_nomem(err);
}

/* ---- the header --------------------------------------------------------- */

static const char *const suffix[HC_ENC_NKINDS] = {
	"=", "_ord", "_count", "_freq", "_te", "_woe", "_bin", "_rb", "_hash",
	"_std", "_log1p", "_qbin", "_num",
};

#define OTHER_NAME "__other__"

/* Name of output column b of encoder k of c (a bit, a onehot code, a
 * class of classes: "COL_te=CLASS"). */
static char *feature_name(const struct hc_enc_col *c, enum hc_enc_kind k,
			  uint32_t b, char *const *classes)
{
	char num[16];
	int n;

	if (k == HC_ENC_TARGET && c->ncl) {
		char *pre = join(c->name, suffix[k], "=", 1);
		char *s = pre ? join(pre, "", classes[b], strlen(classes[b])) : NULL;

		hc_free(pre);
		return s;
	}
	if (k == HC_ENC_ONEHOT) {
		size_t len;
		const char *v;

		if (b == c->ncodes)
			return join(c->name, "=", OTHER_NAME, strlen(OTHER_NAME));
		v = hc_strmap_key(&c->vocab, c->by_code[b], &len);
		return join(c->name, "=", v, len);
	}
	if (k == HC_ENC_BINARY || k == HC_ENC_RESBIT) {
		n = snprintf(num, sizeof(num), "%u", b);
		return join(c->name, suffix[k], num, (size_t)n);
	}
	return join(c->name, suffix[k], "", 0);
}

static uint32_t csv_width(const struct hc_enc_col *c, enum hc_enc_kind k)
{
	if (k == HC_ENC_ONEHOT)
		return c->ncodes + 1;
	if (k == HC_ENC_BINARY || k == HC_ENC_RESBIT)
		return c->bits;
	if (k == HC_ENC_TARGET && c->ncl)
		return c->ncl;
	return 1;
}

static int header_csv(struct hc_enc_writer *w, const struct hc_enc_col *c,
		      enum hc_enc_kind k, struct hc_err *err)
{
	for (uint32_t b = 0; b < csv_width(c, k); b++) {
		char *s = feature_name(c, k, b, w->st->classes);
		int rc = s ? put_text(w, s, strlen(s)) : -1;

		hc_free(s);
		if (rc != 0)
			return fail(w, err);
	}
	return 0;
}

static int header_hash(struct hc_enc_writer *w, const struct hc_enc_col *c,
		       struct hc_err *err)
{
	char *s = feature_name(c, HC_ENC_HASH, 0, NULL);
	cJSON *o;

	if (!s)
		return hc_err_nomem(err);
	o = hc_frame_schema_add(&w->schema, s, HC_KIND_CAT,
				c->hasher.arity ? c->hasher.arity : HC_ARITY_VAR,
				c->hasher.space, err);
	hc_free(s);
	if (!o)
		return -1;
	if (!cJSON_AddStringToObject(o, "encoder", "hash") ||
	    !cJSON_AddStringToObject(o, "source", c->name) ||
	    !cJSON_AddStringToObject(o, "scheme", hc_scheme_name(c->scheme)) ||
	    !cJSON_AddNumberToObject(o, "seed", (double)c->hash_seed))
		return hc_err_nomem(err);
	return 0;
}

static int header_frame(struct hc_enc_writer *w, const struct hc_enc_col *c,
			enum hc_enc_kind k, struct hc_err *err)
{
	int cat = k == HC_ENC_ONEHOT || k == HC_ENC_ORDINAL || k == HC_ENC_BINS;
	/* bins: B bins and the missing value's B */
	uint64_t space = k == HC_ENC_BINS ? (uint64_t)hc_enc_num_nbins(c->num) + 1
					  : (uint64_t)c->ncodes + 1;

	if (k == HC_ENC_HASH)
		return header_hash(w, c, err);
	uint32_t n = cat ? 1 : csv_width(c, k);

	for (uint32_t b = 0; b < n; b++) {
		char *s = k == HC_ENC_ONEHOT ? hc_strdup(c->name) : feature_name(c, k, b, w->st->classes);
		cJSON *o;

		if (!s)
			return hc_err_nomem(err);
		o = hc_frame_schema_add(&w->schema, s, cat ? HC_KIND_CAT : HC_KIND_NUM,
					1, cat ? space : 0, err);
		hc_free(s);
		if (!o)
			return -1;
		if (!cJSON_AddStringToObject(o, "encoder", hc_enc_kind_name(k)) ||
		    !cJSON_AddStringToObject(o, "source", c->name))
			return hc_err_nomem(err);
	}
	return 0;
}

static int write_header(struct hc_enc_writer *w, const char *const *keep,
			int argc, char *const *argv, struct hc_err *err)
{
	const struct hc_enc_state *st = w->st;
	int frame = w->fmt == HC_ENC_FMT_HCB;

	if (w->fmt == HC_ENC_FMT_LIBSVM)
		return 0;
	if (frame) {
		if (hc_frame_schema_init(&w->schema, err) != 0)
			return -1;
		w->schema_live = 1;
		if (hc_frame_schema_set_producer(&w->schema, argc, argv, err) != 0)
			return -1;
	}
	w->first = 1;
	for (size_t i = 0; i < w->nkeep; i++)
		if (frame ? !hc_frame_schema_add(&w->schema, keep[i], HC_KIND_NUM, 1, 0, err)
			  : put_text(w, keep[i], strlen(keep[i])) != 0)
			return frame ? -1 : fail(w, err);
	if (w->has_label &&
	    (frame ? !hc_frame_schema_add(&w->schema, st->target, HC_KIND_LABEL, 1, 0, err)
		   : put_text(w, st->target, strlen(st->target)) != 0))
		return frame ? -1 : fail(w, err);
	if (w->weight &&
	    (frame ? !hc_frame_schema_add(&w->schema, w->weight, HC_KIND_WEIGHT, 1, 0, err)
		   : put_text(w, w->weight, strlen(w->weight)) != 0))
		return frame ? -1 : fail(w, err);
	for (size_t j = 0; j < st->ncols; j++)
		for (int k = 0; k < HC_ENC_NKINDS; k++) {
			if (!(st->cols[j].kinds & HC_ENC_BIT(k)))
				continue;
			if ((frame ? header_frame(w, &st->cols[j], k, err)
				   : header_csv(w, &st->cols[j], k, err)) != 0)
				return -1;
		}
	if (frame)
		return (w->fw = hc_frame_writer_open(w->out, &w->schema, err)) ? 0 : -1;
	return hc_out_putc(w->out, '\n') != 0 ? fail(w, err) : 0;
}

struct hc_enc_writer *hc_enc_writer_open(struct hc_out *out,
					 enum hc_enc_format fmt,
					 const struct hc_enc_state *st,
					 size_t nkeep,
					 const char *const *keep_names,
					 int has_label, const char *weight,
					 int argc, char *const *argv,
					 struct hc_err *err)
{
	struct hc_enc_writer *w;

	if (weight && fmt == HC_ENC_FMT_LIBSVM) {
		hc_err_set(err, HC_ERR_USAGE, "--weight: libsvm has no place for a row weight (use --format csv or hcb)");
		return NULL;
	}
	if (!(w = hc_calloc(1, sizeof(*w)))) {
		hc_err_nomem(err);
		return NULL;
	}
	w->out = out;
	w->fmt = fmt;
	w->st = st;
	w->nkeep = nkeep;
	w->has_label = has_label && st->target;
	w->weight = weight;
	if (write_header(w, keep_names, argc, argv, err) != 0) {
		hc_enc_writer_abort(w);
		return NULL;
	}
	return w;
}

void hc_enc_writer_abort(struct hc_enc_writer *w)
{
	if (!w)
		return;
	hc_frame_writer_abort(w->fw);
	if (w->schema_live)
		hc_frame_schema_release(&w->schema);
	hc_free(w);
}

int hc_enc_writer_close(struct hc_enc_writer *w, struct hc_err *err)
{
	int rc = 0;

	if (w->fw) {
		rc = hc_frame_writer_close(w->fw, err);
		w->fw = NULL;
	}
	hc_enc_writer_abort(w);
	return rc;
}

/* ---- rows --------------------------------------------------------------- */

/* One real-valued output: CSV field, libsvm feature or frame num. */
static int put_num(struct hc_enc_writer *w, double v, struct hc_err *err)
{
	switch (w->fmt) {
	case HC_ENC_FMT_CSV:
		if (sep(w) != 0 || hc_enc_put_real(w->out, v) != 0)
			return fail(w, err);
		return 0;
	case HC_ENC_FMT_LIBSVM:
		w->index++;
		if (v == 0)
			return 0;
		if (hc_out_putc(w->out, ' ') != 0 || hc_out_u64(w->out, w->index) != 0 ||
		    hc_out_putc(w->out, ':') != 0 || hc_enc_put_real(w->out, v) != 0)
			return fail(w, err);
		return 0;
	case HC_ENC_FMT_HCB:
		return hc_frame_put_num(w->fw, w->fcol++, (float)v, err);
	}
	return 0;
}

/* A code among n: one-hot or an id. */
static int put_code(struct hc_enc_writer *w, enum hc_enc_kind k, uint32_t code,
		    uint32_t n, struct hc_err *err)
{
	if (w->fmt == HC_ENC_FMT_HCB)
		return hc_frame_put_ids(w->fw, w->fcol++, &code, 1, err);
	if (k == HC_ENC_ORDINAL)
		return put_num(w, code, err);
	if (w->fmt == HC_ENC_FMT_LIBSVM) {
		if (hc_out_putc(w->out, ' ') != 0 ||
		    hc_out_u64(w->out, w->index + code + 1) != 0 ||
		    hc_out_write(w->out, ":1", 2) != 0)
			return fail(w, err);
		w->index += n;
		return 0;
	}
	for (uint32_t i = 0; i < n; i++)
		if (sep(w) != 0 || hc_out_putc(w->out, i == code ? '1' : '0') != 0)
			return fail(w, err);
	return 0;
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The hash encoder's ids of row r's value of column j. */
static int put_hash(struct hc_enc_writer *w, size_t j,
		    const struct hc_enc_row *r, struct hc_err *err)
{
	const struct hc_enc_col *c = &w->st->cols[j];
	uint32_t ids[HC_HASH_PROBES_MAX];
	size_t len;
	const char *v = r->vals ? r->vals[j] : hc_strmap_key(&c->vocab, r->ids[j], &len);
	int n;

	if (r->vals)
		len = r->lens[j];
	if ((n = hc_col_hash(&c->hasher, v, len, ids)) < 0)
		return hc_err_set(err, HC_ERR_DATA, "column '%s': modulo: '%.40s' is not a whole number", c->name, v);
	if (w->fmt == HC_ENC_FMT_HCB)
		return hc_frame_put_ids(w->fw, w->fcol++, ids, (size_t)n, err);
	if (w->fmt == HC_ENC_FMT_CSV) {
		if (sep(w) != 0)
			return fail(w, err);
		for (int i = 0; i < n; i++)
			if ((i && hc_out_putc(w->out, '|') != 0) || hc_out_u64(w->out, ids[i]) != 0)
				return fail(w, err);
		return 0;
	}
	/* libsvm: indices in increasing order, a repeated id counted */
	qsort(ids, (size_t)n, sizeof(*ids), by_u32);
	for (int i = 0; i < n;) {
		int k = i;

		while (k < n && ids[k] == ids[i])
			k++;
		if (hc_out_putc(w->out, ' ') != 0 ||
		    hc_out_u64(w->out, w->index + ids[i] + 1) != 0 ||
		    hc_out_putc(w->out, ':') != 0 || hc_out_u64(w->out, (uint64_t)(k - i)) != 0)
			return fail(w, err);
		i = k;
	}
	w->index += c->hasher.space;
	return 0;
}

/* A numeric encoder's output for x (NaN: missing).  A missing
 * standardize, log1p or passthrough is an empty CSV field, a left-out
 * libsvm feature and NaN in a frame; a missing bin is bin B (see
 * encode_num.h). */
static int put_number(struct hc_enc_writer *w, const struct hc_enc_col *c,
		      enum hc_enc_kind k, double x, struct hc_err *err)
{
	uint32_t bin;

	if (k == HC_ENC_BINS) {
		bin = hc_enc_num_bin(c->num, x);
		if (w->fmt == HC_ENC_FMT_HCB)
			return hc_frame_put_ids(w->fw, w->fcol++, &bin, 1, err);
		return put_num(w, bin, err);
	}
	if (k == HC_ENC_LOG1P)
		x = hc_enc_num_log1p(x);
	else if (k == HC_ENC_STANDARDIZE)
		x = hc_enc_num_std(c->num, x);
	if (x == x || w->fmt == HC_ENC_FMT_HCB)
		return put_num(w, x, err);
	if (w->fmt == HC_ENC_FMT_LIBSVM) {
		w->index++;
		return 0;
	}
	return sep(w) != 0 ? fail(w, err) : 0;
}

static int put_feature(struct hc_enc_writer *w, size_t j, enum hc_enc_kind k,
		       const struct hc_enc_row *r, struct hc_err *err)
{
	const struct hc_enc_state *st = w->st;
	const struct hc_enc_col *c = &st->cols[j];
	uint32_t id = r->ids[j], code = hc_enc_code(c, id);
	uint8_t bits[HC_CODE_BITS_MAX];
	double v;

	switch (k) {
	case HC_ENC_ONEHOT:
	case HC_ENC_ORDINAL:
		return put_code(w, k, code, c->ncodes + 1, err);
	case HC_ENC_COUNT:
		return put_num(w, (double)hc_enc_count(c, id), err);
	case HC_ENC_FREQ:
		return put_num(w, st->rows ? (double)hc_enc_count(c, id) / (double)st->rows : 0, err);
	case HC_ENC_TARGET:
		for (uint32_t q = 0; q < c->ncl; q++) {
			const double *o = r->tec ? r->tec + j * c->ncl + q : NULL;

			v = o && *o == *o ? *o : hc_enc_te_class(st, c, id, q);
			if (put_num(w, v, err) != 0)
				return -1;
		}
		if (c->ncl)
			return 0;
		v = r->te && r->te[j] == r->te[j] ? r->te[j] : hc_enc_te(st, c, id);
		return put_num(w, v, err);
	case HC_ENC_WOE:
		v = r->woe && r->woe[j] == r->woe[j] ? r->woe[j] : hc_enc_woe(st, c, id);
		return put_num(w, v, err);
	case HC_ENC_BINARY:
	case HC_ENC_RESBIT:
		if (k == HC_ENC_BINARY)
			hc_binary_encode(code, c->bits, bits);
		else
			hc_resbit_encode(code, (uint64_t)c->ncodes + 1, c->bits, bits);
		for (unsigned b = 0; b < c->bits; b++)
			if (put_num(w, bits[b] ? 1.0 : st->p.signed_bits ? -1.0 : 0.0, err) != 0)
				return -1;
		return 0;
	case HC_ENC_HASH:
		return put_hash(w, j, r, err);
	case HC_ENC_STANDARDIZE:
	case HC_ENC_LOG1P:
	case HC_ENC_BINS:
	case HC_ENC_PASSTHROUGH:
		return put_number(w, c, k, r->num[j], err);
	default:
		return 0;
	}
}

/* Kept fields, the label and the weight. */
static int put_front(struct hc_enc_writer *w, const struct hc_enc_row *r,
		     struct hc_err *err)
{
	int frame = w->fmt == HC_ENC_FMT_HCB;

	if (w->fmt == HC_ENC_FMT_LIBSVM) {
		if (!w->has_label || r->y != r->y)
			return hc_out_putc(w->out, '0') != 0 ? fail(w, err) : 0;
		return hc_enc_put_real(w->out, r->y) != 0 ? fail(w, err) : 0;
	}
	for (size_t i = 0; i < w->nkeep; i++) {
		double v;

		if (!frame) {
			if (put_text(w, r->keep[i], r->keep_len[i]) != 0)
				return fail(w, err);
			continue;
		}
		if (hc_parse_double(r->keep[i], r->keep_len[i], &v) != 0)
			return hc_err_set(err, HC_ERR_DATA, "cannot keep '%.40s' in a frame: not a number", r->keep[i]);
		if (hc_frame_put_num(w->fw, w->fcol++, (float)v, err) != 0)
			return -1;
	}
	if (w->has_label) {
		if (frame && hc_frame_put_num(w->fw, w->fcol++, (float)r->y, err) != 0)
			return -1;
		if (!frame && (sep(w) != 0 ||
			       (r->y == r->y && hc_enc_put_real(w->out, r->y) != 0)))
			return fail(w, err);
	}
	if (!w->weight)
		return 0;
	if (frame)
		return hc_frame_put_num(w->fw, w->fcol++, (float)r->w, err);
	if (sep(w) != 0 || hc_enc_put_real(w->out, r->w) != 0)
		return fail(w, err);
	return 0;
}

int hc_enc_writer_row(struct hc_enc_writer *w, const struct hc_enc_row *r,
		      struct hc_err *err)
{
	const struct hc_enc_state *st = w->st;

	w->first = 1;
	w->index = 0;
	w->fcol = 0;
	if (put_front(w, r, err) != 0)
		return -1;
	/* the encoders of each column in increasing order, as the header */
	for (size_t j = 0; j < st->ncols; j++)
		for (unsigned m = st->cols[j].kinds; m; m &= m - 1)
			if (put_feature(w, j, (enum hc_enc_kind)__builtin_ctz(m), r, err) != 0)
				return -1;
	if (w->fmt == HC_ENC_FMT_HCB)
		return hc_frame_end_row(w->fw, err);
	return hc_out_putc(w->out, '\n') != 0 ? fail(w, err) : 0;
}
