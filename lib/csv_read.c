/* csv_read.c - streaming CSV reader over libcsv; see csv_read.h
 *
 * libcsv pushes each field (cb_field) and each row end (cb_row) while it
 * parses a chunk; the callbacks append into a batch.  A chunk may end inside
 * a row: the partial row's fields stay at the end of the batch and are moved
 * to the front before the next chunk is parsed (carry_partial).
 *
 * Line numbers: libcsv reports no positions, so with CSV_REPALL_NL every
 * newline is reported and counted.  A row that ends at '\r' is followed by
 * an empty "row" for the '\n' of CRLF, which is not a new line; any other
 * empty row is a blank line.  Newlines inside quoted fields are counted by
 * scanning the fields libcsv hands over; the rows split here (simple_rows,
 * most rows of most files) have none.
 */
#include "csv_read.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "csv_stops.h"
#include "in.h"
#include "mem.h"

#define CHUNK_SIZE (1u << 20)
#define CHUNK_SLACK 64
/* libcsv grows its field buffer linearly by this much: large steps keep a
 * 64 MiB field to 64 reallocations. */
#define CSV_BLK_SIZE (1u << 20)

struct hc_csv_reader {
	struct hc_in *in;
	struct csv_parser parser;
	int parser_live;
	struct hc_csv_opts opts;
	char *chunk;
	int eof;           /* input exhausted and csv_fini done */
	int started;       /* BOM check done */

	size_t ncols;      /* 0 until the first row is complete */
	char **names;      /* ncols column names */

	/* Two batches, filled in turn, so that a consumer can work on one
	 * (in other threads) while the next is read into the other. */
	struct hc_csv_batch batches[2];
	struct hc_csv_batch *batch; /* the one being filled or handed out */
	size_t handed;     /* rows of the batch already given out */

	/* parse state shared with the callbacks */
	uint64_t cur_line;   /* line where the next row starts */
	uint64_t row_line;   /* line where the row being built starts */
	uint64_t row_nl;     /* newlines inside the finished fields of it */
	size_t row_nfields;  /* fields of the row being built */
	int last_cr;         /* the last row end was '\r' */
	int failed;
	struct hc_err err;
};

/* ---- bit-level helpers ------------------------------------------------ */

static uint64_t count_nl(const char *s, size_t n)
{
	uint64_t c = 0;
	const char *end = s + n;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		c++;
		s++;
	}
	return c;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* libcsv's field buffer grows through this, so one field cannot take more
 * than HC_CSV_FIELD_MAX (plus a block) however long it runs. */
static void *limited_realloc(void *p, size_t n)
{
	if (n > HC_CSV_FIELD_MAX + CSV_BLK_SIZE)
		return NULL;
	return hc_realloc(p, n);
}

/* ---- error positions -------------------------------------------------- */

static void column_label(const struct hc_csv_reader *r, size_t j, char *buf,
			 size_t cap)
{
	const char *name = NULL;

	/* Until take_header has copied the names, the header is row 0 of the
	 * batch (the first fill parses far past it). */
	if (j < r->ncols && !r->opts.no_header)
		name = r->names ? r->names[j]
				: r->batch->buf + r->batch->off[j];
	if (name)
		snprintf(buf, cap, "column '%s' (%zu)", name, j + 1);
	else
		snprintf(buf, cap, "column %zu", j + 1);
}

void hc_csv_where(const struct hc_csv_reader *r, uint64_t line, size_t j,
		  char *buf, size_t cap)
{
	char col[256];

	column_label(r, j, col, sizeof(col));
	snprintf(buf, cap, "%s:%llu: %s", r->in->name,
		 (unsigned long long)line, col);
}

/* Line of the character libcsv stopped at, once csv_parse has returned
 * (only then is parser.entry_pos current): the row's start, the newlines of
 * its finished fields and those of the field it is inside. */
static uint64_t stop_line(const struct hc_csv_reader *r)
{
	const struct csv_parser *p = &r->parser;
	/* row_line is set by a row's first field; before it, cur_line. */
	uint64_t line = r->row_nfields ? r->row_line : r->cur_line;

	if (p->entry_buf)
		line += count_nl((const char *)p->entry_buf, p->entry_pos);
	return line + r->row_nl;
}

#define NO_COLUMN SIZE_MAX

/* Records the first error; col is 0-based, or NO_COLUMN for a whole row. */
static void fail_at(struct hc_csv_reader *r, uint64_t line, size_t col,
		    const char *what)
{
	char where[512];

	if (r->failed)
		return;
	if (col == NO_COLUMN)
		snprintf(where, sizeof(where), "%s:%llu", r->in->name,
			 (unsigned long long)line);
	else
		hc_csv_where(r, line, col, where, sizeof(where));
	hc_err_set(&r->err, HC_ERR_DATA, "%s: %s", where, what);
	r->failed = 1;
}

/* ---- the callbacks ---------------------------------------------------- */

static int batch_reserve(struct hc_csv_batch *b, size_t len)
{
	void *p;

	if (b->nfields == b->fields_cap) {
		size_t cap = b->fields_cap;
		p = b->off;
		if (hc_grow(&p, &cap, b->nfields + 1, sizeof(*b->off)) != 0)
			return -1;
		b->off = p;
		p = b->len;
		if (hc_grow(&p, &b->fields_cap, b->nfields + 1,
			    sizeof(*b->len)) != 0)
			return -1;
		b->len = p;
	}
	p = b->buf;
	/* 16 bytes of slack: the fast path copies short fields 16 at once. */
	return hc_grow(&p, &b->buf_cap, b->buf_len + len + 17, 1) == 0
		       ? (b->buf = p, 0)
		       : -1;
}

/* Appends a field to the row in progress, with every check: the header
 * row, a full batch, a row with too many fields, limits, newlines inside
 * the field, a failed reader.  libcsv's fields all come here; simple_rows
 * does the common case itself and comes here for the rest. */
static void add_field(struct hc_csv_reader *r, const char *s, size_t len)
{
	struct hc_csv_batch *b = r->batch;

	if (r->failed)
		return;
	if (r->row_nfields == 0)
		r->row_line = r->cur_line;
	if (r->ncols && r->row_nfields >= r->ncols) {
		char msg[96];
		snprintf(msg, sizeof(msg), "too many fields (expected %zu)",
			 r->ncols);
		fail_at(r, r->row_line + r->row_nl, r->row_nfields, msg);
		return;
	}
	if (len > HC_CSV_FIELD_MAX) {
		/* libcsv's buffer may hold a block more than the limit. */
		fail_at(r, r->row_line + r->row_nl, r->row_nfields,
			"field larger than 64 MiB (the limit)");
		return;
	}
	if (!r->ncols && r->row_nfields >= HC_CSV_MAX_COLS) {
		fail_at(r, r->row_line, NO_COLUMN,
			"too many columns (the limit is 1048576)");
		return;
	}
	if (b->buf_len + len + 1 > UINT32_MAX) {
		fail_at(r, r->row_line, NO_COLUMN, "row larger than 4 GiB");
		return;
	}
	if (batch_reserve(b, len) != 0) {
		hc_err_nomem(&r->err);
		r->failed = 1;
		return;
	}
	memcpy(b->buf + b->buf_len, s, len);
	b->buf[b->buf_len + len] = '\0';
	b->off[b->nfields] = (uint32_t)b->buf_len;
	b->len[b->nfields] = (uint32_t)len;
	b->nfields++;
	b->buf_len += len + 1;
	r->row_nfields++;
	if (len)
		r->row_nl += count_nl(s, len);
}

/* Called by libcsv for every field. */
static void cb_field(void *s, size_t len, void *data)
{
	add_field(data, s, len);
}

/* Closes the row in progress, a whole one with room for its line. */
static inline void end_row(struct hc_csv_reader *r, struct hc_csv_batch *b,
			   int c)
{
	b->line[b->nrows++] = r->row_line;
	r->cur_line = r->row_line + r->row_nl + (c == -1 ? 0 : 1);
	r->row_nl = 0;
	r->row_nfields = 0;
}

static void cb_row(int c, void *data)
{
	struct hc_csv_reader *r = data;
	struct hc_csv_batch *b = r->batch;
	int was_cr = r->last_cr;

	r->last_cr = c == '\r';
	if (r->failed)
		return;
	if (r->row_nfields == 0) {
		/* An empty row: the '\n' of a CRLF, or a blank line. */
		if (!(c == '\n' && was_cr))
			r->cur_line++;
		return;
	}
	if (!r->ncols) {
		r->ncols = r->row_nfields;
		b->ncols = r->ncols;
	} else if (r->row_nfields != r->ncols) {
		char msg[96];
		snprintf(msg, sizeof(msg), "too few fields (expected %zu, got %zu)",
			 r->ncols, r->row_nfields);
		fail_at(r, r->row_line, NO_COLUMN, msg);
		return;
	}
	if (b->nrows == b->line_cap) {
		void *p = b->line;
		if (hc_grow(&p, &b->line_cap, b->nrows + 1,
			    sizeof(*b->line)) != 0) {
			hc_err_nomem(&r->err);
			r->failed = 1;
			return;
		}
		b->line = p;
	}
	end_row(r, b, c);
}

/* ---- filling batches -------------------------------------------------- */

/* Starts batch `to` with the fields of the row that batch `from` left
 * unfinished; `from` itself stays as it is, for its consumer. */
static int carry_partial(struct hc_csv_reader *r, const struct hc_csv_batch *from,
			 struct hc_csv_batch *to)
{
	size_t first = from->nrows * from->ncols;

	to->nrows = 0;
	to->ncols = r->ncols;
	to->nfields = 0;
	to->buf_len = 0;
	for (size_t k = first; k < from->nfields; k++) {
		if (batch_reserve(to, from->len[k]) != 0)
			return -1;
		memcpy(to->buf + to->buf_len, from->buf + from->off[k],
		       (size_t)from->len[k] + 1);
		to->off[to->nfields] = (uint32_t)to->buf_len;
		to->len[to->nfields++] = from->len[k];
		to->buf_len += (size_t)from->len[k] + 1;
	}
	return 0;
}

static void parse_failure(struct hc_csv_reader *r)
{
	int status = csv_error(&r->parser);

	if (status == CSV_EPARSE) {
		fail_at(r, stop_line(r), r->row_nfields,
			"malformed quoting: a quote inside an unquoted field, or text after a closing quote");
	} else if (csv_get_buffer_size(&r->parser) + CSV_BLK_SIZE >
		   HC_CSV_FIELD_MAX) {
		/* The line where the field starts, not where it hit the limit
		 * (an unclosed quote can be millions of lines back). */
		fail_at(r, r->row_nfields ? r->row_line + r->row_nl : r->cur_line,
			r->row_nfields, "field larger than 64 MiB (the limit)");
	} else {
		hc_err_nomem(&r->err);
		r->failed = 1;
	}
}

/* Forgets the fields of the row in progress (all in the current batch),
 * so that libcsv can parse the row again from its start. */
static void drop_row(struct hc_csv_reader *r)
{
	struct hc_csv_batch *b = r->batch;

	if (r->row_nfields) {
		size_t k = b->nfields - r->row_nfields;
		b->buf_len = b->off[k];
		b->nfields = k;
	}
	r->row_nfields = 0;
	r->row_nl = 0;
}

/* The fill state of the batch, in locals while simple_rows runs: through
 * the batch, the compiler stored and reloaded every count at every field,
 * since the stores of field bytes might alias them (a fifth of the
 * reader's time, in store-to-load stalls). */
struct cursor {
	char *buf;
	uint32_t *off, *len;
	size_t buf_len, nfields;
	size_t fields_cap;  /* 0: every field takes add_field */
	size_t row_nfields;
};

static inline void cursor_load(struct cursor *c, const struct hc_csv_reader *r,
			       int fast)
{
	const struct hc_csv_batch *b = r->batch;

	c->buf = b->buf;
	c->off = b->off;
	c->len = b->len;
	c->buf_len = b->buf_len;
	c->nfields = b->nfields;
	c->fields_cap = fast ? b->fields_cap : 0;
	c->row_nfields = r->row_nfields;
}

static inline void cursor_store(const struct cursor *c, struct hc_csv_reader *r)
{
	r->batch->buf_len = c->buf_len;
	r->batch->nfields = c->nfields;
	r->row_nfields = c->row_nfields;
}

/* Appends field s[0..len) of a row split here.  The common case is one
 * predictable test and a copy; short fields take a fixed 16-byte copy,
 * two vector moves instead of a memcpy call (reading past the field is
 * safe: the chunk has CHUNK_SLACK bytes of slack; so is writing: the span's
 * reservation has 17 bytes to spare, and the next field overwrites them). */
static inline void take_field(struct hc_csv_reader *r, struct cursor *c,
			      int fast, const char *s, size_t len)
{
	if (__builtin_expect(c->row_nfields < r->ncols &&
				     c->nfields < c->fields_cap, 1)) {
		char *d = c->buf + c->buf_len;

		if (c->row_nfields == 0)
			r->row_line = r->cur_line;
		if (len < 16)
			memcpy(d, s, 16);
		else
			memcpy(d, s, len);
		d[len] = '\0';
		c->off[c->nfields] = (uint32_t)c->buf_len;
		c->len[c->nfields++] = (uint32_t)len;
		c->buf_len += len + 1;
		c->row_nfields++;
		return;
	}
	cursor_store(c, r);
	add_field(r, s, len);
	cursor_load(c, r, fast);
}

/* Splits whole rows of [p, end) (end just after a row end, libcsv at the
 * start of a row), calling the callbacks exactly as libcsv would: a row
 * that has begun ends with its last field, possibly empty; every '\n' and
 * '\r' ends a row.  Unquoted fields and simply quoted ones (a quote at the
 * start of the field, none and no newline inside, the closing quote
 * followed by the delimiter or a row end) are taken here, walking the stop
 * bytes with csv_stops.h; at any other quote the row is dropped and its
 * start returned, for libcsv.  Returns end when every row was taken. */
static const char *simple_rows(struct hc_csv_reader *r, const char *p,
			       const char *end)
{
	const char delim = r->opts.delim;
	const char *s = p, *row = p; /* the field's and the row's start */
	size_t span = (size_t)(end - p);
	struct hc_csv_stops it;
	struct cursor c;
	/* Fields never take more room than the input they come from (a field
	 * of n bytes takes n + 1 or more, and gives n + 1), so one reservation
	 * covers the span; without it every field goes to add_field. */
	int fast = r->batch->buf_len + span + 17 < UINT32_MAX &&
		   batch_reserve(r->batch, span) == 0;

	cursor_load(&c, r, fast);
	hc_csv_stops_start(&it, p, delim);
	while (s < end) {
		const char *e = hc_csv_stops_next(&it);

		if (*e == '"') {
			const char *close;

			if (e != s)
				break; /* a quote inside an unquoted field */
			do
				close = hc_csv_stops_next(&it);
			while (*close == delim);
			if (*close != '"')
				break; /* a newline inside quotes */
			e = hc_csv_stops_next(&it);
			if (e != close + 1 || *e == '"')
				break; /* text or a doubled quote after it */
			take_field(r, &c, fast, s + 1, (size_t)(close - s - 1));
		} else if (*e == delim || e > row) {
			take_field(r, &c, fast, s, (size_t)(e - s));
		}
		if (*e != delim) {
			struct hc_csv_batch *b = r->batch;

			cursor_store(&c, r);
			/* The common case of cb_row: a whole row, room for
			 * its line. */
			if (c.row_nfields && c.row_nfields == r->ncols &&
			    b->nrows < b->line_cap) {
				r->last_cr = *e == '\r';
				end_row(r, b, *e);
				c.row_nfields = 0;
			} else {
				cb_row(*e, r);
				cursor_load(&c, r, fast);
			}
			row = e + 1;
		}
		if (r->failed)
			return end;
		s = e + 1;
	}
	cursor_store(&c, r);
	if (s < end) {
		drop_row(r);
		return row;
	}
	return end;
}

static const char *last_row_end(const char *p, const char *end)
{
	while (end > p && end[-1] != '\n' && end[-1] != '\r')
		end--;
	return end;
}

static const char *next_row_end(const char *p, const char *end)
{
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	return p < end ? p + 1 : end;
}

/* After this many rows of a chunk handed back by simple_rows, libcsv takes
 * the rest of the chunk: a file with doubled quotes in every row would
 * otherwise pay for a csv_parse call a row. */
#define HANDBACKS_MAX 256

/* libcsv's byte-by-byte state machine parses what only it can: the row in
 * progress at each end of a chunk and rows with quotes other than simple
 * ones, one line at a time until it is back at the start of a row.  The
 * rows in between (most rows of most files) are split by simple_rows,
 * several times faster and with the same result. */
static int parse_span(struct hc_csv_reader *r, const char *p, size_t n)
{
	const char *end = p + n, *last = last_row_end(p, end);
	int at_row_start = 0; /* unknown at a chunk start: libcsv decides */
	unsigned handbacks = 0;

	while (p < last && !r->failed) {
		if (at_row_start) {
			p = simple_rows(r, p, last);
			if (p == last || ++handbacks > HANDBACKS_MAX)
				break;
		}
		const char *nl = next_row_end(p, last);
		if (csv_parse(&r->parser, p, (size_t)(nl - p), cb_field, cb_row,
			      r) != (size_t)(nl - p))
			return -1;
		p = nl;
		at_row_start = r->row_nfields == 0 && !r->parser.quoted;
	}
	return csv_parse(&r->parser, p, (size_t)(end - p), cb_field, cb_row,
			 r) == (size_t)(end - p) ? 0 : -1;
}

static void parse_bytes(struct hc_csv_reader *r, const char *p, size_t n)
{
	const char *nul = memchr(p, '\0', n);
	size_t upto = nul ? (size_t)(nul - p) : n;

	if (parse_span(r, p, upto) != 0) {
		parse_failure(r);
		return;
	}
	if (nul && !r->failed)
		fail_at(r, stop_line(r), r->row_nfields,
			"NUL byte in the input (is this a binary file?)");
}

static void parse_end(struct hc_csv_reader *r)
{
	if (r->failed)
		return;
	/* The row's start, not stop_line: the quote opened there. */
	uint64_t line = r->row_nfields ? r->row_line + r->row_nl : r->cur_line;
	if (csv_fini(&r->parser, cb_field, cb_row, r) != 0) {
		fail_at(r, line, r->row_nfields,
			"unterminated quoted field: the quote opened here is never closed");
		return;
	}
	r->eof = 1;
}

/* Reads and parses chunks until the batch holds a row or input ends.
 * Returns 1 (rows), 0 (end), -1 (error). */
static int fill(struct hc_csv_reader *r, struct hc_err *err)
{
	struct hc_csv_batch *to = r->batch == &r->batches[0] ? &r->batches[1]
							      : &r->batches[0];

	if (carry_partial(r, r->batch, to) != 0)
		return hc_err_nomem(err);
	r->batch = to;
	r->handed = 0;
	while (!r->batch->nrows && !r->eof && !r->failed) {
		size_t skip = 0;
		ssize_t n;

		if (!r->started) {
			/* A BOM needs its 3 bytes together, even from a pipe. */
			n = hc_in_read_full(r->in, r->chunk, 3, err);
			if (n >= 3 && memcmp(r->chunk, "\xEF\xBB\xBF", 3) == 0)
				skip = 3;
			r->started = 1;
		} else {
			/* Whole chunks even from a pipe: a batch is then the
			 * same rows however the input arrives, and so is any
			 * result that depends on where batches end (the
			 * sketches of profile --approx, its switch past
			 * --memory). */
			n = hc_in_read_full(r->in, r->chunk, CHUNK_SIZE, err);
		}
		if (n < 0)
			return -1;
		memset(r->chunk + n, 0, CHUNK_SLACK);
		if (n == 0)
			parse_end(r);
		else
			parse_bytes(r, r->chunk + skip, (size_t)n - skip);
	}
	if (r->failed) {
		*err = r->err;
		return -1;
	}
	return r->batch->nrows > 0;
}

/* ---- the header ------------------------------------------------------- */

/* Removes row 0 (the header) from a batch, once per file. */
static void drop_first_row(struct hc_csv_batch *b)
{
	size_t n = b->nfields - b->ncols;
	uint32_t base = b->nfields > b->ncols ? b->off[b->ncols]
					      : (uint32_t)b->buf_len;

	memmove(b->buf, b->buf + base, b->buf_len - base);
	b->buf_len -= base;
	for (size_t k = 0; k < n; k++) {
		b->off[k] = b->off[b->ncols + k] - base;
		b->len[k] = b->len[b->ncols + k];
	}
	b->nfields = n;
	memmove(b->line, b->line + 1, (b->nrows - 1) * sizeof(*b->line));
	b->nrows--;
}

static int take_header(struct hc_csv_reader *r, struct hc_err *err)
{
	int rc = fill(r, err);
	struct hc_csv_batch *b = r->batch;

	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (!r->opts.no_header)
			return hc_err_set(err, HC_ERR_DATA,
					  "%s: empty input (no header row)",
					  r->in->name);
		return 0;
	}
	r->names = hc_calloc(r->ncols, sizeof(*r->names));
	if (!r->names)
		return hc_err_nomem(err);
	for (size_t j = 0; j < r->ncols; j++) {
		char num[24];
		const char *s = b->buf + b->off[j];

		if (r->opts.no_header) {
			snprintf(num, sizeof(num), "%zu", j + 1);
			s = num;
		}
		r->names[j] = hc_strdup(s);
		if (!r->names[j])
			return hc_err_nomem(err);
	}
	if (!r->opts.no_header)
		drop_first_row(b);
	return 0;
}

struct hc_csv_reader *hc_csv_open(const char *path,
				  const struct hc_csv_opts *opts,
				  struct hc_err *err)
{
	struct hc_csv_reader *r = hc_calloc(1, sizeof(*r));

	if (!r) {
		hc_err_nomem(err);
		return NULL;
	}
	r->opts = *opts;
	if (!r->opts.delim)
		r->opts.delim = ',';
	r->cur_line = 1;
	r->batch = &r->batches[0];
	r->in = hc_in_open(path, err);
	if (!r->in)
		goto fail;
	/* CHUNK_SLACK bytes past the data, zeroed after every read: the
	 * quote-free path copies short fields 16 bytes at once and looks for
	 * stop bytes 64 at once, from the chunk itself. */
	r->chunk = hc_malloc(CHUNK_SIZE + CHUNK_SLACK);
	if (!r->chunk) {
		hc_err_nomem(err);
		goto fail;
	}
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI |
					 CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
		hc_err_nomem(err);
		goto fail;
	}
	r->parser_live = 1;
	csv_set_delim(&r->parser, (unsigned char)r->opts.delim);
	csv_set_space_func(&r->parser, no_space);
	csv_set_realloc_func(&r->parser, limited_realloc);
	csv_set_free_func(&r->parser, hc_free);
	csv_set_blk_size(&r->parser, CSV_BLK_SIZE);
	if (take_header(r, err) != 0)
		goto fail;
	return r;
fail:
	hc_csv_close(r);
	return NULL;
}

/* ---- handing out rows ------------------------------------------------- */

int hc_csv_next_batch(struct hc_csv_reader *r,
		      const struct hc_csv_batch **batch, struct hc_err *err)
{
	struct hc_csv_batch *b;
	int rc;

	if (r->handed >= r->batch->nrows) {
		rc = fill(r, err);
		if (rc <= 0)
			return rc;
	}
	b = r->batch;
	r->handed = b->nrows;
	*batch = b;
	return 1;
}

int hc_csv_next(struct hc_csv_reader *r, struct hc_csv_row *row,
		struct hc_err *err)
{
	struct hc_csv_batch *b;
	size_t first;

	if (r->handed >= r->batch->nrows) {
		int rc = fill(r, err);
		if (rc <= 0)
			return rc;
	}
	b = r->batch;
	first = r->handed * b->ncols;
	row->buf = b->buf;
	row->off = b->off + first;
	row->len = b->len + first;
	row->nfields = b->ncols;
	row->line = b->line[r->handed];
	r->handed++;
	return 1;
}

/* ---- accessors -------------------------------------------------------- */

size_t hc_csv_ncols(const struct hc_csv_reader *r)
{
	return r->ncols;
}

const char *hc_csv_colname(const struct hc_csv_reader *r, size_t j)
{
	return r->names[j];
}

const char *const *hc_csv_colnames(const struct hc_csv_reader *r)
{
	return (const char *const *)r->names;
}

const char *hc_csv_name(const struct hc_csv_reader *r)
{
	return r->in->name;
}

uint64_t hc_csv_bytes_read(const struct hc_csv_reader *r)
{
	return r->in->pos;
}

uint64_t hc_csv_bytes_total(const struct hc_csv_reader *r)
{
	return r->in->size;
}

void hc_csv_close(struct hc_csv_reader *r)
{
	if (!r)
		return;
	if (r->parser_live)
		csv_free(&r->parser);
	if (r->names)
		for (size_t j = 0; j < r->ncols; j++)
			hc_free(r->names[j]);
	hc_free(r->names);
	for (int i = 0; i < 2; i++) {
		hc_free(r->batches[i].buf);
		hc_free(r->batches[i].off);
		hc_free(r->batches[i].len);
		hc_free(r->batches[i].line);
	}
	hc_free(r->chunk);
	hc_in_close(r->in);
	hc_free(r);
}
