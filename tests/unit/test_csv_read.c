/* test_csv_read.c - CSV reader: quoting, line numbers, chunk boundaries, every error
 *
 * The reader is where every subcommand's input enters, so a wrong field,
 * a line number off by one or a silently accepted malformed file would
 * spread everywhere.  Most cases are data: an input, the options, and the
 * exact text render() makes of all the reader reports (the header, each
 * row with its physical line, the error with its kind), so that a failure
 * shows as a diff of one line.  Each case runs twice, from a file and from
 * stdin through a pipe fed in small pieces (reads then return at odd
 * places).  The large cases generate their input from a formula and check
 * every row and line number against it; others place tricky byte
 * sequences (CR|LF, "|", quoted newlines, NUL) at every offset around the
 * 1 MiB chunk boundary.
 */
#include <check.h>
#include <csv.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/csv_read.h"
#include "lib/csv_stops.h"
#include "suites.h"

#define MIB ((size_t)1 << 20)

/* ---- a growable string ------------------------------------------------ */

struct sb {
	char *p;
	size_t n, cap;
};

static void sb_add(struct sb *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		ck_assert_msg(b->p != NULL, "out of memory");
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	ck_assert_msg(n >= 0 && (size_t)n < sizeof(tmp), "sb_printf overflow");
	sb_add(b, tmp, (size_t)n);
}

static void sb_fill(struct sb *b, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_add(b, &c, 1);
}

/* ---- rendering what the reader reports -------------------------------- */

static const char *kind_name(enum hc_err_kind k)
{
	switch (k) {
	case HC_ERR_NONE: return "NONE";
	case HC_ERR_DATA: return "DATA";
	case HC_ERR_IO: return "IO";
	case HC_ERR_NOMEM: return "NOMEM";
	case HC_ERR_USAGE: return "USAGE";
	case HC_ERR_PIPE: return "PIPE";
	}
	return "?";
}

/* A field with \n \r \t | \ and other control bytes escaped; a field over
 * 1000 bytes as "<N x 'C'>" when it is one byte repeated. */
static void sb_field(struct sb *b, const char *s, size_t n)
{
	if (n > 1000) {
		size_t k = 0;
		while (k < n && s[k] == s[0])
			k++;
		if (k == n) {
			sb_printf(b, "<%zu x '%c'>", n, s[0]);
			return;
		}
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\n': sb_str(b, "\\n"); break;
		case '\r': sb_str(b, "\\r"); break;
		case '\t': sb_str(b, "\\t"); break;
		case '|': sb_str(b, "\\|"); break;
		case '\\': sb_str(b, "\\\\"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_printf(b, "\\x%02x", c);
			else
				sb_add(b, &s[i], 1);
		}
	}
}

/* "E:KIND:msg\n" with the input's name at the start of msg shown as F. */
static void sb_err(struct sb *b, const struct hc_err *err, const char *name)
{
	size_t nl = strlen(name);

	sb_printf(b, "E:%s:", kind_name(err->kind));
	if (strncmp(err->msg, name, nl) == 0) {
		sb_str(b, "F");
		sb_str(b, err->msg + nl);
	} else {
		sb_str(b, err->msg);
	}
	sb_str(b, "\n");
}

/* Everything the reader reports for path (NULL: stdin):
 *   H<ncols>:name|name...      the header (or 1..N)
 *   <line>:field|field...      each row
 *   E:<KIND>:<message>         the error, if any, input name shown as F */
static char *render(const char *path, char delim, int no_header)
{
	struct hc_csv_opts o = { .delim = delim, .no_header = no_header };
	struct hc_err err = { 0 };
	const char *name = path && strcmp(path, "-") != 0 ? path : "stdin";
	struct hc_csv_reader *r = hc_csv_open(path, &o, &err);
	struct hc_csv_row row;
	struct sb b = { 0 };
	size_t ncols;
	int rc;

	sb_str(&b, "");
	if (!r) {
		sb_err(&b, &err, name);
		return b.p;
	}
	ck_assert_str_eq(hc_csv_name(r), name);
	ncols = hc_csv_ncols(r);
	sb_printf(&b, "H%zu:", ncols);
	for (size_t j = 0; j < ncols; j++) {
		const char *nm = hc_csv_colname(r, j);
		ck_assert_ptr_eq(nm, hc_csv_colnames(r)[j]);
		if (j)
			sb_str(&b, "|");
		sb_field(&b, nm, strlen(nm));
	}
	sb_str(&b, "\n");
	while ((rc = hc_csv_next(r, &row, &err)) == 1) {
		if (row.nfields != ncols)
			ck_abort_msg("row at line %llu has %zu fields, not %zu",
				     (unsigned long long)row.line, row.nfields,
				     ncols);
		sb_printf(&b, "%llu:", (unsigned long long)row.line);
		for (size_t j = 0; j < row.nfields; j++) {
			const char *f = hc_csv_field(&row, j);
			size_t len = hc_csv_field_len(&row, j);
			if (f[len] != '\0')
				ck_abort_msg("field %zu at line %llu is not NUL-terminated",
					     j, (unsigned long long)row.line);
			if (j)
				sb_str(&b, "|");
			sb_field(&b, f, len);
		}
		sb_str(&b, "\n");
	}
	if (rc < 0)
		sb_err(&b, &err, name);
	else
		ck_assert_int_eq(hc_csv_next(r, &row, &err), 0);
	hc_csv_close(r);
	return b.p;
}

/* The last line of s (with its newline). */
static const char *last_line(const char *s)
{
	size_t n = strlen(s);

	if (n < 2)
		return s;
	for (size_t i = n - 1; i > 0; i--)
		if (s[i - 1] == '\n')
			return s + i;
	return s;
}

/* Compares a rendering with the expected text.  When the expected text is
 * an error ("E:..."), only the error line is compared: the contract says
 * nothing about how many rows before a bad one are handed out.  A failure
 * shows both texts from the line where they differ (Check truncates long
 * messages). */
static void expect_render(const char *what, const char *got, const char *want)
{
	const char *g = strncmp(want, "E:", 2) == 0 ? last_line(got) : got;
	size_t i = 0, from = 0;

	while (g[i] && g[i] == want[i]) {
		if (g[i] == '\n')
			from = i + 1;
		i++;
	}
	if (g[i] != want[i])
		ck_abort_msg("%s: differs at byte %zu:\n--- want\n%.300s\n--- got\n%.300s\n---",
			     what, i, want + from, g + from);
}

/* ---- stdin from a pipe ------------------------------------------------ */

/* Makes fd 0 the read end of a pipe that a child process fills with data,
 * in pieces of 1-3 bytes at first, then 64 KiB; returns the saved fd 0. */
static int stdin_pipe(const char *data, size_t len, pid_t *pid)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	*pid = fork();
	ck_assert_msg(*pid >= 0, "fork failed");
	if (*pid == 0) {
		size_t off = 0;
		close(p[0]);
		signal(SIGPIPE, SIG_DFL);
		while (off < len) {
			size_t n = off < 64 ? 1 + off % 3 : 65536;
			ssize_t w;
			if (n > len - off)
				n = len - off;
			w = write(p[1], data + off, n);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	return th_fd_swap(0, p[0]);
}

static void stdin_pipe_end(int saved, pid_t pid)
{
	th_fd_restore(0, saved);
	waitpid(pid, NULL, 0);
}

/* ---- the table of cases ----------------------------------------------- */

struct rcase {
	const char *name;
	const char *in;
	size_t len;
	char delim;
	int no_header;
	const char *want;
};

/* An input literal with its length, so that NUL bytes count. */
#define IN(s) s, sizeof(s) - 1

#define MALFORMED "malformed quoting: a quote inside an unquoted field, or text after a closing quote"
#define UNTERM "unterminated quoted field: the quote opened here is never closed"
#define NULBYTE "NUL byte in the input (is this a binary file?)"

static const struct rcase cases[] = {
	/* basics */
	{ "simple", IN("a,b,c\n1,2,3\nx,,z\n"), 0, 0,
	  "H3:a|b|c\n2:1|2|3\n3:x||z\n" },
	{ "no newline at the end", IN("a,b\n1,2\n3,4"), 0, 0,
	  "H2:a|b\n2:1|2\n3:3|4\n" },
	{ "header only", IN("a,b,c\n"), 0, 0, "H3:a|b|c\n" },
	{ "header only, no newline", IN("a,b,c"), 0, 0, "H3:a|b|c\n" },
	{ "duplicate names", IN("a,a\n1,2\n"), 0, 0, "H2:a|a\n2:1|2\n" },
	{ "no header", IN("1,2\n3,4\n"), 0, 1, "H2:1|2\n1:1|2\n2:3|4\n" },
	{ "no header, 12 columns", IN("a,b,c,d,e,f,g,h,i,j,k,l\n"), 0, 1,
	  "H12:1|2|3|4|5|6|7|8|9|10|11|12\n1:a|b|c|d|e|f|g|h|i|j|k|l\n" },
	{ "empty input", IN(""), 0, 0,
	  "E:DATA:F: empty input (no header row)\n" },
	{ "empty input, no header", IN(""), 0, 1, "H0:\n" },
	{ "only blank lines", IN("\n\n\r\n\r"), 0, 0,
	  "E:DATA:F: empty input (no header row)\n" },
	{ "only blank lines, no header", IN("\n\n\r\n"), 0, 1, "H0:\n" },
	{ "one column", IN("x\n1\n2\n"), 0, 0, "H1:x\n2:1\n3:2\n" },
	{ "short file", IN("a"), 0, 0, "H1:a\n" },
	{ "short file, no header", IN("7"), 0, 1, "H1:1\n1:7\n" },

	/* delimiters */
	{ "semicolon", IN("a;b\n1,5;x y\n\"p;q\";\"r,s\"\n"), ';', 0,
	  "H2:a|b\n2:1,5|x y\n3:p;q|r,s\n" },
	{ "tab", IN("a\tb\n x \t,y\n\"p\tq\"\tr\n"), '\t', 0,
	  "H2:a|b\n2: x |,y\n3:p\\tq|r\n" },
	{ "tab in a comma file is data", IN("a,b\n\tx,y\t\n"), ',', 0,
	  "H2:a|b\n2:\\tx|y\\t\n" },

	/* line ends */
	{ "CRLF", IN("a,b\r\n1,2\r\n\r\n3,4\r\n"), 0, 0,
	  "H2:a|b\n2:1|2\n4:3|4\n" },
	{ "CRLF, blank lines first", IN("\r\n\r\na,b\r\n1,2"), 0, 0,
	  "H2:a|b\n4:1|2\n" },
	{ "CR", IN("a,b\r1,2\r\r3,4\r"), 0, 0, "H2:a|b\n2:1|2\n4:3|4\n" },
	{ "CR, no newline at the end", IN("a,b\r1,2\r3,4"), 0, 0,
	  "H2:a|b\n2:1|2\n3:3|4\n" },
	{ "blank lines counted", IN("\n\na,b\n\n1,2\n\n\n3,4\n\n"), 0, 0,
	  "H2:a|b\n5:1|2\n8:3|4\n" },
	{ "blank lines, no header", IN("\n1,2\n\n3,4\n"), 0, 1,
	  "H2:1|2\n2:1|2\n4:3|4\n" },

	/* byte-order mark */
	{ "BOM", IN("\xEF\xBB\xBF" "a,b\n1,2\n"), 0, 0, "H2:a|b\n2:1|2\n" },
	{ "BOM, no header", IN("\xEF\xBB\xBF" "1,2\n"), 0, 1,
	  "H2:1|2\n1:1|2\n" },
	{ "BOM, quoted name", IN("\xEF\xBB\xBF\"a,x\",b\n1,2\n"), 0, 0,
	  "H2:a,x|b\n2:1|2\n" },
	{ "BOM only", IN("\xEF\xBB\xBF"), 0, 0,
	  "E:DATA:F: empty input (no header row)\n" },
	{ "BOM later is data", IN("a\n\xEF\xBB\xBFx\n"), 0, 0,
	  "H1:a\n2:\xEF\xBB\xBFx\n" },
	{ "half a BOM is data", IN("\xEF\xBB" "a\n1\n"), 0, 0,
	  "H1:\xEF\xBB" "a\n2:1\n" },

	/* quoting */
	{ "quoted delimiter and quotes", IN("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n"),
	  0, 0, "H2:a|b\n2:x,y|say \"hi\"\n" },
	{ "quoted LF", IN("a,b\n\"l1\nl2\nl3\",1\nx,2\n"), 0, 0,
	  "H2:a|b\n2:l1\\nl2\\nl3|1\n5:x|2\n" },
	{ "quoted CRLF", IN("a,b\r\n\"l1\r\nl2\",1\r\nx,2\r\n"), 0, 0,
	  "H2:a|b\n2:l1\\r\\nl2|1\n4:x|2\n" },
	{ "quoted newlines in header and second field",
	  IN("\"h\n1\",h2\n1,\"a\n\nb\"\n2,3\n"), 0, 0,
	  "H2:h\\n1|h2\n3:1|a\\n\\nb\n6:2|3\n" },
	{ "quoted empty and spaces", IN("a,b,c\n\"\",\" \", s \n"), 0, 0,
	  "H3:a|b|c\n2:| | s \n" },
	{ "only quotes", IN("a\n\"\"\"\"\n\"\"\"\"\"\"\n"), 0, 0,
	  "H1:a\n2:\"\n3:\"\"\n" },
	{ "spaces kept", IN("a,b\n a , b \n  ,\t\n"), 0, 0,
	  "H2:a|b\n2: a | b \n3:  |\\t\n" },
	{ "one column, empty values", IN("x\n\"\"\nv\n\n\"\""), 0, 0,
	  "H1:x\n2:\n3:v\n5:\n" },
	{ "one column, spaces are not blank", IN("x\n \n"), 0, 0,
	  "H1:x\n2: \n" },
	{ "trailing delimiters", IN("a,b\n1,\n,\n"), 0, 0,
	  "H2:a|b\n2:1|\n3:|\n" },
	{ "trailing delimiter at the end", IN("a,b\n1,"), 0, 0,
	  "H2:a|b\n2:1|\n" },
	{ "quoted field at the end", IN("a\n\"x\""), 0, 0, "H1:a\n2:x\n" },
	{ "doubled quote at the end", IN("a\n\"x\"\"\""), 0, 0,
	  "H1:a\n2:x\"\n" },
	{ "quoted newline at the end", IN("a\n\"x\n\""), 0, 0,
	  "H1:a\n2:x\\n\n" },

	/* ragged rows */
	{ "too few fields", IN("a,b,c\n1,2,3\n4,5\n"), 0, 0,
	  "E:DATA:F:3: too few fields (expected 3, got 2)\n" },
	{ "too many fields", IN("a,b,c\n1,2,3\n4,5,6,7\n"), 0, 0,
	  "E:DATA:F:3: column 4: too many fields (expected 3)\n" },
	{ "too many fields, no header", IN("1,2\n3,4,5\n"), 0, 1,
	  "E:DATA:F:2: column 3: too many fields (expected 2)\n" },
	{ "too few fields, last line", IN("a,b\n1,2\n1"), 0, 0,
	  "E:DATA:F:3: too few fields (expected 2, got 1)\n" },
	{ "too few fields, an empty quoted field", IN("a,b\n1,2\n\"\"\n"), 0, 0,
	  "E:DATA:F:3: too few fields (expected 2, got 1)\n" },
	{ "too few fields after blank lines", IN("a,b\n\n\n1\n"), 0, 0,
	  "E:DATA:F:4: too few fields (expected 2, got 1)\n" },
	{ "too few fields, multi-line row", IN("a,b,c\n\"x\ny\",2\n"), 0, 0,
	  "E:DATA:F:2: too few fields (expected 3, got 2)\n" },
	{ "too many fields, on the row's second line",
	  IN("a,b\n\"x\ny\",2,3\n"), 0, 0,
	  "E:DATA:F:3: column 3: too many fields (expected 2)\n" },
	{ "too few fields, CRLF", IN("a,b\r\n1,2\r\n\r\n3\r\n"), 0, 0,
	  "E:DATA:F:4: too few fields (expected 2, got 1)\n" },
	{ "too few fields, CR", IN("a,b\r1,2\r3\r"), 0, 0,
	  "E:DATA:F:3: too few fields (expected 2, got 1)\n" },

	/* malformed quoting */
	{ "quote inside an unquoted field", IN("a,b\n1,x\"y\n"), 0, 0,
	  "E:DATA:F:2: column 'b' (2): " MALFORMED "\n" },
	{ "text after a closing quote", IN("a,b\n\"a\"b,2\n"), 0, 0,
	  "E:DATA:F:2: column 'a' (1): " MALFORMED "\n" },
	{ "space after a closing quote", IN("a,b\n\"a\" ,2\n"), 0, 0,
	  "E:DATA:F:2: column 'a' (1): " MALFORMED "\n" },
	{ "space before an opening quote", IN("a,b\n1, \"b\"\n"), 0, 0,
	  "E:DATA:F:2: column 'b' (2): " MALFORMED "\n" },
	{ "malformed header", IN("a,b\"c\n"), 0, 0,
	  "E:DATA:F:1: column 2: " MALFORMED "\n" },
	{ "malformed after quoted newlines", IN("a,b\n\"x\ny\",\"p\nq\"z\n"), 0,
	  0, "E:DATA:F:4: column 'b' (2): " MALFORMED "\n" },
	{ "malformed, no header", IN("1,2\n3,4\"\n"), 0, 1,
	  "E:DATA:F:2: column 2: " MALFORMED "\n" },
	{ "malformed after blank lines, CRLF", IN("a\r\n\r\n1\r\nx\"\r\n"), 0, 0,
	  "E:DATA:F:4: column 'a' (1): " MALFORMED "\n" },

	/* unterminated quotes */
	{ "unterminated, second field", IN("a,b\n1,\"x\ny\n"), 0, 0,
	  "E:DATA:F:2: column 'b' (2): " UNTERM "\n" },
	{ "unterminated, after blank lines", IN("a\n1\n\n\"xx\n\n"), 0, 0,
	  "E:DATA:F:4: column 'a' (1): " UNTERM "\n" },
	{ "unterminated header", IN("\"abc\n"), 0, 0,
	  "E:DATA:F:1: column 1: " UNTERM "\n" },
	{ "unterminated after a multi-line field", IN("a,b,c\n\"p\nq\",\"r\n"),
	  0, 0, "E:DATA:F:3: column 'b' (2): " UNTERM "\n" },
	{ "unterminated, no header", IN("1,2\n3,\"4"), 0, 1,
	  "E:DATA:F:2: column 2: " UNTERM "\n" },

	/* NUL bytes */
	{ "NUL in a field", IN("a,b\n1,x\0y\n"), 0, 0,
	  "E:DATA:F:2: column 'b' (2): " NULBYTE "\n" },
	{ "NUL in the header", IN("a\0b\n"), 0, 0,
	  "E:DATA:F:1: column 1: " NULBYTE "\n" },
	{ "NUL at a row's start", IN("a,b\n1,2\n\0"), 0, 0,
	  "E:DATA:F:3: column 'a' (1): " NULBYTE "\n" },
	{ "NUL in a quoted field after a newline", IN("a\n\"x\ny\0\"\n"), 0, 0,
	  "E:DATA:F:3: column 'a' (1): " NULBYTE "\n" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Case _i / 2, from a file (even _i) or from stdin through a pipe. */
START_TEST(test_cases)
{
	const struct rcase *c = &cases[_i / 2];
	char what[200];
	char *got;

	if (_i % 2 == 0) {
		char *path = th_tmp_file(c->in, c->len);
		got = render(path, c->delim, c->no_header);
		unlink(path);
		free(path);
	} else {
		pid_t pid;
		int saved = stdin_pipe(c->in, c->len, &pid);
		got = render(_i % 4 == 1 ? "-" : NULL, c->delim, c->no_header);
		stdin_pipe_end(saved, pid);
	}
	snprintf(what, sizeof(what), "case '%s' from %s", c->name,
		 _i % 2 ? "a pipe" : "a file");
	expect_render(what, got, c->want);
	free(got);
}
END_TEST

/* ---- the API around the rows ------------------------------------------ */

START_TEST(test_accessors)
{
	static const char text[] = "id,name\n1,ann\n2,\"bob, jr\"\n";
	char *path = th_tmp_str(text);
	struct hc_csv_opts o = { 0 }; /* delim 0 means ',' */
	struct hc_err err = { 0 };
	struct hc_csv_reader *r = hc_csv_open(path, &o, &err);
	struct hc_csv_row row;

	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_uint_eq(hc_csv_ncols(r), 2);
	ck_assert_str_eq(hc_csv_colname(r, 0), "id");
	ck_assert_str_eq(hc_csv_colname(r, 1), "name");
	ck_assert_str_eq(hc_csv_colnames(r)[1], "name");
	ck_assert_str_eq(hc_csv_name(r), path);
	ck_assert_uint_eq(hc_csv_bytes_total(r), sizeof(text) - 1);

	ck_assert_int_eq(hc_csv_next(r, &row, &err), 1);
	ck_assert_uint_eq(row.nfields, 2);
	ck_assert_uint_eq(row.line, 2);
	ck_assert_str_eq(hc_csv_field(&row, 0), "1");
	ck_assert_uint_eq(hc_csv_field_len(&row, 0), 1);
	ck_assert_str_eq(hc_csv_field(&row, 1), "ann");
	ck_assert_uint_eq(hc_csv_field_len(&row, 1), 3);

	ck_assert_int_eq(hc_csv_next(r, &row, &err), 1);
	ck_assert_uint_eq(row.line, 3);
	ck_assert_str_eq(hc_csv_field(&row, 1), "bob, jr");
	ck_assert_uint_eq(hc_csv_field_len(&row, 1), 7);

	ck_assert_int_eq(hc_csv_next(r, &row, &err), 0);
	ck_assert_int_eq(hc_csv_next(r, &row, &err), 0);
	ck_assert_uint_eq(hc_csv_bytes_read(r), sizeof(text) - 1);
	hc_csv_close(r);
	hc_csv_close(NULL);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_open_errors)
{
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	char *dir = th_tmp_dir();
	char *missing = th_path_join(dir, "missing.csv");
	char want[600];

	ck_assert_ptr_null(hc_csv_open(missing, &o, &err));
	ck_assert_int_eq(err.kind, HC_ERR_IO);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory",
		 missing);
	ck_assert_str_eq(err.msg, want);

	ck_assert_ptr_null(hc_csv_open(dir, &o, &err));
	ck_assert_int_eq(err.kind, HC_ERR_IO);
	snprintf(want, sizeof(want), "%s: is a directory", dir);
	ck_assert_str_eq(err.msg, want);
	th_rm_dir(dir);
	free(missing);
	free(dir);
}
END_TEST

START_TEST(test_batch_small)
{
	char *path = th_tmp_str("a,b\n1,2\n\n\"x\ny\",4\n");
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r = hc_csv_open(path, &o, &err);
	const struct hc_csv_batch *b = NULL;

	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_csv_next_batch(r, &b, &err), 1);
	ck_assert_uint_eq(b->nrows, 2);
	ck_assert_uint_eq(b->ncols, 2);
	ck_assert_str_eq(b->buf + b->off[0], "1");
	ck_assert_str_eq(b->buf + b->off[1], "2");
	ck_assert_str_eq(b->buf + b->off[2], "x\ny");
	ck_assert_uint_eq(b->len[2], 3);
	ck_assert_str_eq(b->buf + b->off[3], "4");
	ck_assert_uint_eq(b->line[0], 2);
	ck_assert_uint_eq(b->line[1], 4);
	ck_assert_int_eq(hc_csv_next_batch(r, &b, &err), 0);
	hc_csv_close(r);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_where)
{
	char *path = th_tmp_str("a,bee\n1,2\n");
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r = hc_csv_open(path, &o, &err);
	char buf[600], want[600];

	ck_assert_msg(r != NULL, "%s", err.msg);
	hc_csv_where(r, 42, 1, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s:42: column 'bee' (2)", path);
	ck_assert_str_eq(buf, want);
	hc_csv_where(r, 1, 0, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s:1: column 'a' (1)", path);
	ck_assert_str_eq(buf, want);
	/* a column past the header's: by number */
	hc_csv_where(r, 7, 2, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s:7: column 3", path);
	ck_assert_str_eq(buf, want);
	/* truncated to the buffer, always NUL-terminated */
	memset(buf, 'z', sizeof(buf));
	hc_csv_where(r, 42, 1, buf, 6);
	ck_assert_str_eq(buf, (snprintf(want, 6, "%s", path), want));
	hc_csv_close(r);

	o.no_header = 1;
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	hc_csv_where(r, 18446744073709551615ull, 1, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s:18446744073709551615: column 2", path);
	ck_assert_str_eq(buf, want);
	hc_csv_close(r);
	unlink(path);
	free(path);
}
END_TEST

/* stdin as a regular file: "-" and NULL, its size known, its name "stdin"
 * in positions and errors. */
START_TEST(test_stdin_file)
{
	static const char text[] = "a,b\n1,2\n";
	const char *const paths[] = { "-", NULL };

	for (int k = 0; k < 2; k++) {
		int saved = th_stdin_from(text, sizeof(text) - 1);
		struct hc_csv_opts o = { .delim = ',' };
		struct hc_err err = { 0 };
		struct hc_csv_reader *r = hc_csv_open(paths[k], &o, &err);
		struct hc_csv_row row;
		char buf[100], *got;

		ck_assert_msg(r != NULL, "%s", err.msg);
		ck_assert_str_eq(hc_csv_name(r), "stdin");
		ck_assert_uint_eq(hc_csv_bytes_total(r), sizeof(text) - 1);
		hc_csv_where(r, 3, 0, buf, sizeof(buf));
		ck_assert_str_eq(buf, "stdin:3: column 'a' (1)");
		ck_assert_int_eq(hc_csv_next(r, &row, &err), 1);
		ck_assert_str_eq(hc_csv_field(&row, 1), "2");
		ck_assert_int_eq(hc_csv_next(r, &row, &err), 0);
		hc_csv_close(r);
		th_fd_restore(0, saved);

		/* errors start with "stdin" (render() shows it as F) */
		saved = th_stdin_from("a,b\n1,2\n3\n", 10);
		got = render(paths[k], ',', 0);
		ck_assert_str_eq(last_line(got),
				 "E:DATA:F:3: too few fields (expected 2, got 1)\n");
		free(got);
		th_fd_restore(0, saved);
	}
}
END_TEST

/* A pipe has no known size. */
START_TEST(test_stdin_pipe_size)
{
	static const char text[] = "a\n1\n";
	pid_t pid;
	int saved = stdin_pipe(text, sizeof(text) - 1, &pid);
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r = hc_csv_open("-", &o, &err);
	struct hc_csv_row row;

	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_uint_eq(hc_csv_bytes_total(r), 0);
	ck_assert_int_eq(hc_csv_next(r, &row, &err), 1);
	ck_assert_str_eq(hc_csv_field(&row, 0), "1");
	ck_assert_int_eq(hc_csv_next(r, &row, &err), 0);
	ck_assert_uint_eq(hc_csv_bytes_read(r), sizeof(text) - 1);
	hc_csv_close(r);
	stdin_pipe_end(saved, pid);
}
END_TEST

/* ---- big fields ------------------------------------------------------- */

/* A file of prefix, n bytes of pattern (repeated), suffix, written in
 * 1 MiB pieces. */
static char *pattern_file(const char *prefix, const char *pattern, size_t n,
			  const char *suffix)
{
	char *path = th_tmp_str(prefix);
	FILE *f = fopen(path, "ab");
	size_t plen = strlen(pattern);
	char *block = malloc(MIB);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(block);
	ck_assert_uint_eq(MIB % plen, 0);
	for (size_t i = 0; i < MIB; i++)
		block[i] = pattern[i % plen];
	while (n > 0) {
		size_t k = n < MIB ? n : MIB;
		ck_assert_uint_eq(fwrite(block, 1, k, f), k);
		n -= k;
	}
	ck_assert_int_eq(fputs(suffix, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	free(block);
	return path;
}

/* 1 MiB fields, unquoted and quoted with quotes and newlines. */
START_TEST(test_field_1mib)
{
	struct sb in = { 0 };
	char *path, *got;
	struct sb want = { 0 };

	sb_str(&in, "a,b\n");
	sb_fill(&in, 'x', MIB);
	sb_str(&in, ",\"");
	for (size_t i = 0; i < MIB / 4; i++)
		sb_str(&in, "\"\"\n;");
	sb_str(&in, "\"\n1,2\n");
	path = th_tmp_file(in.p, in.n);
	got = render(path, ',', 0);

	sb_printf(&want, "H2:a|b\n2:<%zu x 'x'>|", MIB);
	for (size_t i = 0; i < MIB / 4; i++)
		sb_str(&want, "\"\\n;");
	/* the quoted field holds MIB / 4 newlines */
	sb_printf(&want, "\n%zu:1|2\n", 3 + MIB / 4);
	expect_render("1 MiB fields", got, want.p);
	unlink(path);
	free(path);
	free(got);
	free(in.p);
	free(want.p);
}
END_TEST

/* The limit is HC_CSV_FIELD_MAX bytes: that many pass, one more fails
 * (libcsv's buffer would take a block more). */
START_TEST(test_field_limit)
{
	char *path = pattern_file("a\n", "x", HC_CSV_FIELD_MAX, "\n");
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r = hc_csv_open(path, &o, &err);
	struct hc_csv_row row;
	char want[700];

	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_int_eq(hc_csv_next(r, &row, &err), 1);
	ck_assert_uint_eq(hc_csv_field_len(&row, 0), HC_CSV_FIELD_MAX);
	ck_assert_int_eq(hc_csv_next(r, &row, &err), 0);
	hc_csv_close(r);
	unlink(path);
	free(path);

	path = pattern_file("a\n", "x", HC_CSV_FIELD_MAX + 1, "\n");
	r = hc_csv_open(path, &o, &err);
	if (r) {
		int rc;
		while ((rc = hc_csv_next(r, &row, &err)) == 1)
			;
		hc_csv_close(r);
		unlink(path);
		ck_assert_msg(rc == -1, "a field of HC_CSV_FIELD_MAX + 1 bytes was accepted");
	}
	unlink(path);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	snprintf(want, sizeof(want),
		 "%s:2: column 'a' (1): field larger than 64 MiB (the limit)",
		 path);
	ck_assert_str_eq(err.msg, want);
	free(path);
}
END_TEST

/* An unclosed quote swallowing the rest of a big file: reported once the
 * field passes the limit, at the line where the field starts. */
START_TEST(test_field_limit_quoted)
{
	char *path = pattern_file("a,b\n1,\"", "x\n", HC_CSV_FIELD_MAX + 2 * MIB,
				  "");
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r = hc_csv_open(path, &o, &err);
	char want[700];

	if (r) {
		struct hc_csv_row row;
		int rc;
		while ((rc = hc_csv_next(r, &row, &err)) == 1)
			;
		hc_csv_close(r);
		ck_assert_int_eq(rc, -1);
	}
	unlink(path);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	snprintf(want, sizeof(want),
		 "%s:2: column 'b' (2): field larger than 64 MiB (the limit)",
		 path);
	ck_assert_str_eq(err.msg, want);
	free(path);
}
END_TEST

/* ---- many columns ----------------------------------------------------- */

START_TEST(test_max_cols)
{
	struct sb in = { 0 };
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	char *path;
	char want[700];

	for (size_t j = 0; j < HC_CSV_MAX_COLS; j++)
		sb_str(&in, j ? ",c" : "c");
	sb_str(&in, "\n");
	path = th_tmp_file(in.p, in.n);
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_uint_eq(hc_csv_ncols(r), HC_CSV_MAX_COLS);
	ck_assert_str_eq(hc_csv_colname(r, HC_CSV_MAX_COLS - 1), "c");
	hc_csv_close(r);
	unlink(path);
	free(path);

	in.n -= 1; /* one more column */
	sb_str(&in, ",c\n");
	path = th_tmp_file(in.p, in.n);
	ck_assert_ptr_null(hc_csv_open(path, &o, &err));
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	snprintf(want, sizeof(want),
		 "%s:1: too many columns (the limit is 1048576)", path);
	ck_assert_str_eq(err.msg, want);
	unlink(path);
	free(path);
	free(in.p);
}
END_TEST

/* ---- generated files -------------------------------------------------- */

enum eol { EOL_LF, EOL_CRLF, EOL_CR };
static const char *const eol_str[] = { "\n", "\r\n", "\r" };

#define GEN_ROWS 200000
#define GEN_COLS 3
#define GEN_FIELD_MAX 512

/* A generated file's style: its line end and where quotes may appear:
 * QUOTES_ALL (quoted fields, some with line ends, all through), QUOTES_NONE
 * (no quote character at all: the reader's quote-free path) or
 * QUOTES_SOME (quotes only in alternate stretches of 20000 rows, so that
 * chunks of either kind follow each other). */
enum quotes { QUOTES_ALL, QUOTES_NONE, QUOTES_SOME };
#define GEN_STYLE(eol, quotes) ((eol) + 3 * (quotes))

static int row_quoted(size_t i, int style)
{
	return style / 3 == QUOTES_ALL ||
	       (style / 3 == QUOTES_SOME && (i / 20000) % 2 == 0);
}

/* Field j of generated row i, unquoted, into buf; returns its length and
 * adds the line ends it holds to *nl. */
static size_t gen_field(size_t i, size_t j, int style, char *buf, size_t *nl)
{
	size_t n = 0;
	int eol = style % 3;

	if (j == 0)
		return (size_t)snprintf(buf, GEN_FIELD_MAX, "%zu", i);
	if (j == 2) {
		n = (i * 31) % 97;
		memset(buf, 'A' + (int)(i % 26), n);
		return n;
	}
	if (!row_quoted(i, style) && i % 6 < 2) {
		memcpy(buf, "q q", 3);
		return 3;
	}
	switch (i % 6) {
	case 0: /* 0..3 line ends inside (commas in a CR file) */
		buf[n++] = 'n';
		for (size_t m = 0; m < (i / 6) % 4; m++) {
			const char *e = eol == EOL_CR ? "," : eol_str[eol];
			memcpy(buf + n, e, strlen(e));
			n += strlen(e);
			buf[n++] = (char)('a' + m);
			if (eol != EOL_CR)
				++*nl;
		}
		return n;
	case 1:
		memcpy(buf, "q\"q,q", 5);
		return 5;
	case 2:
		return 0;
	case 3:
		memcpy(buf, " sp ", 4);
		return 4;
	case 4:
		return (size_t)snprintf(buf, GEN_FIELD_MAX, "v%llu",
					(unsigned long long)((i * 2654435761ull) %
							     1000003));
	default:
		n = (i * 7919) % 300;
		memset(buf, 'a' + (int)(i % 26), n);
		return n;
	}
}

static void put_field(struct sb *b, const char *s, size_t n, int force)
{
	int quote = force;

	for (size_t k = 0; k < n && !quote; k++)
		quote = s[k] == ',' || s[k] == '"' || s[k] == '\r' ||
			s[k] == '\n';
	if (!quote) {
		sb_add(b, s, n);
		return;
	}
	sb_str(b, "\"");
	for (size_t k = 0; k < n; k++) {
		if (s[k] == '"')
			sb_str(b, "\"");
		sb_add(b, &s[k], 1);
	}
	sb_str(b, "\"");
}

/* The generated file's text; lines[i] is row i's expected line.  A blank
 * line follows every 1000th row; with no_last_eol the last row has no
 * line end. */
static void gen_file(struct sb *b, int style, uint64_t *lines,
		     int no_last_eol)
{
	int eol = style % 3;
	uint64_t line = 2;
	char buf[GEN_FIELD_MAX];

	sb_str(b, "id,text,pad");
	sb_str(b, eol_str[eol]);
	for (size_t i = 0; i < GEN_ROWS; i++) {
		size_t nl = 0;
		lines[i] = line;
		for (size_t j = 0; j < GEN_COLS; j++) {
			size_t n = gen_field(i, j, style, buf, &nl);
			if (j)
				sb_str(b, ",");
			put_field(b, buf, n,
				  j == 2 && i % 7 == 0 && row_quoted(i, style));
		}
		if (i + 1 < GEN_ROWS || !no_last_eol)
			sb_str(b, eol_str[eol]);
		line += 1 + nl;
		if (i % 1000 == 999 && i + 1 < GEN_ROWS) {
			sb_str(b, eol_str[eol]);
			line++;
		}
	}
}

/* Checks row i of the generated file; ck_abort_msg on the first mismatch
 * (assertions are not made per field: Check records every one). */
static void check_gen_row(size_t i, int eol, const uint64_t *lines,
			  const char *buf, const uint32_t *off,
			  const uint32_t *len, size_t nfields, uint64_t line)
{
	char want[GEN_FIELD_MAX];
	size_t nl = 0;

	if (i >= GEN_ROWS)
		ck_abort_msg("more than %d rows", GEN_ROWS);
	if (nfields != GEN_COLS)
		ck_abort_msg("row %zu: %zu fields", i, nfields);
	if (line != lines[i])
		ck_abort_msg("row %zu: line %llu, want %llu", i,
			     (unsigned long long)line,
			     (unsigned long long)lines[i]);
	for (size_t j = 0; j < GEN_COLS; j++) {
		size_t n = gen_field(i, j, eol, want, &nl);
		if (len[j] != n || memcmp(buf + off[j], want, n) != 0 ||
		    buf[off[j] + n] != '\0')
			ck_abort_msg("row %zu (line %llu) field %zu: '%.*s', want '%.*s'",
				     i, (unsigned long long)line, j,
				     (int)len[j], buf + off[j], (int)n, want);
	}
}

static void check_gen_rows(struct hc_csv_reader *r, int eol,
			   const uint64_t *lines)
{
	struct hc_csv_row row, prev = { 0 };
	struct hc_err err = { 0 };
	size_t i = 0;
	int rc;

	ck_assert_uint_eq(hc_csv_ncols(r), GEN_COLS);
	ck_assert_str_eq(hc_csv_colname(r, 2), "pad");
	while ((rc = hc_csv_next(r, &row, &err)) == 1) {
		check_gen_row(i, eol, lines, row.buf, row.off, row.len,
			      row.nfields, row.line);
		/* a row stays valid until the second batch after its own */
		if (i > 0)
			check_gen_row(i - 1, eol, lines, prev.buf, prev.off,
				      prev.len, prev.nfields, prev.line);
		prev = row;
		i++;
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(i, GEN_ROWS);
}

/* 200000 rows (about 18 MB, so many chunks) with LF, CRLF and CR ends,
 * every field and line checked. */
START_TEST(test_generated)
{
	int eol = _i % 3;
	int no_last_eol = _i / 3;
	struct sb in = { 0 };
	uint64_t *lines = malloc(GEN_ROWS * sizeof(*lines));
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	char *path;

	ck_assert_ptr_nonnull(lines);
	gen_file(&in, eol, lines, no_last_eol);
	ck_assert_uint_gt(in.n, 8 * MIB);
	path = th_tmp_file(in.p, in.n);
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	check_gen_rows(r, eol, lines);
	ck_assert_uint_eq(hc_csv_bytes_read(r), in.n);
	hc_csv_close(r);
	unlink(path);
	free(path);
	free(in.p);
	free(lines);
}
END_TEST

/* The generated files without quotes, and with quotes in every other
 * stretch: the quote-free path and its hand-overs to libcsv give the same
 * rows and lines. */
START_TEST(test_generated_quote_free)
{
	int style = GEN_STYLE(_i % 3, _i < 3 ? QUOTES_NONE : QUOTES_SOME);
	struct sb in = { 0 };
	uint64_t *lines = malloc(GEN_ROWS * sizeof(*lines));
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	char *path;

	ck_assert_ptr_nonnull(lines);
	gen_file(&in, style, lines, _i == 1);
	ck_assert_ptr_null(_i < 3 ? memchr(in.p, '"', in.n) : NULL);
	path = th_tmp_file(in.p, in.n);
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	check_gen_rows(r, style, lines);
	hc_csv_close(r);
	unlink(path);
	free(path);
	free(in.p);
	free(lines);
}
END_TEST

/* The same through hc_csv_next_batch: batches add up to every row. */
START_TEST(test_generated_batches)
{
	int eol = _i;
	struct sb in = { 0 };
	uint64_t *lines = malloc(GEN_ROWS * sizeof(*lines));
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	const struct hc_csv_batch *b, *prev = NULL;
	size_t i = 0, nbatches = 0, prev_first = 0, prev_n = 0;
	char *path;
	int rc;

	ck_assert_ptr_nonnull(lines);
	gen_file(&in, eol, lines, 0);
	path = th_tmp_file(in.p, in.n);
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	while ((rc = hc_csv_next_batch(r, &b, &err)) == 1) {
		size_t first = i;
		ck_assert_uint_gt(b->nrows, 0);
		ck_assert_uint_eq(b->ncols, GEN_COLS);
		for (size_t k = 0; k < b->nrows; k++, i++)
			check_gen_row(i, eol, lines, b->buf,
				      b->off + k * GEN_COLS,
				      b->len + k * GEN_COLS, GEN_COLS,
				      b->line[k]);
		/* the previous batch stays valid while this one is read, so
		 * that threads can still be working on it */
		for (size_t k = 0; prev && k < prev_n; k++)
			check_gen_row(prev_first + k, eol, lines, prev->buf,
				      prev->off + k * GEN_COLS,
				      prev->len + k * GEN_COLS, GEN_COLS,
				      prev->line[k]);
		if (prev && prev->nrows != prev_n)
			ck_abort_msg("batch %zu changed under its consumer",
				     nbatches - 1);
		prev = b;
		prev_first = first;
		prev_n = b->nrows;
		nbatches++;
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(i, GEN_ROWS);
	ck_assert_uint_ge(nbatches, in.n / MIB);
	hc_csv_close(r);
	unlink(path);
	free(path);
	free(in.p);
	free(lines);
}
END_TEST

/* The generated file from a pipe, with a BOM. */
START_TEST(test_generated_pipe)
{
	struct sb in = { 0 };
	uint64_t *lines = malloc(GEN_ROWS * sizeof(*lines));
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	pid_t pid;
	int saved;

	ck_assert_ptr_nonnull(lines);
	sb_str(&in, "\xEF\xBB\xBF");
	gen_file(&in, EOL_CRLF, lines, 1);
	saved = stdin_pipe(in.p, in.n, &pid);
	r = hc_csv_open(NULL, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	ck_assert_str_eq(hc_csv_colname(r, 0), "id");
	check_gen_rows(r, EOL_CRLF, lines);
	hc_csv_close(r);
	stdin_pipe_end(saved, pid);
	free(in.p);
	free(lines);
}
END_TEST

/* Rows of 8 fields of 1-2 KB, some quoted with newlines, so that every
 * chunk boundary falls inside a field. */
START_TEST(test_wide_rows)
{
	enum { ROWS = 600, COLS = 8 };
	struct sb in = { 0 };
	uint64_t lines[ROWS];
	uint64_t line = 2;
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	const struct hc_csv_batch *b;
	char *path;
	size_t i = 0;
	int rc;

	sb_str(&in, "c1,c2,c3,c4,c5,c6,c7,c8\n");
	for (size_t k = 0; k < ROWS; k++) {
		lines[k] = line;
		for (size_t j = 0; j < COLS; j++) {
			size_t n = 1000 + (k * 13 + j * 7) % 1000;
			if (j)
				sb_str(&in, ",");
			if (j == 3) { /* "xxx\nxxx" */
				sb_str(&in, "\"");
				sb_fill(&in, 'q', n / 2);
				sb_str(&in, "\n");
				sb_fill(&in, 'q', n - n / 2 - 1);
				sb_str(&in, "\"");
			} else {
				sb_fill(&in, (char)('a' + j), n);
			}
		}
		sb_str(&in, "\n");
		line += 2;
	}
	path = th_tmp_file(in.p, in.n);
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	while ((rc = hc_csv_next_batch(r, &b, &err)) == 1) {
		for (size_t k = 0; k < b->nrows; k++, i++) {
			ck_assert_uint_lt(i, ROWS);
			if (b->line[k] != lines[i])
				ck_abort_msg("row %zu: line %llu, want %llu", i,
					     (unsigned long long)b->line[k],
					     (unsigned long long)lines[i]);
			for (size_t j = 0; j < COLS; j++) {
				size_t n = 1000 + (i * 13 + j * 7) % 1000;
				const char *f = b->buf + b->off[k * COLS + j];
				size_t len = b->len[k * COLS + j];
				int ok = len == n;
				for (size_t m = 0; ok && m < n; m++)
					ok = f[m] == (j == 3 ? (m == n / 2 ? '\n' : 'q')
							     : (char)('a' + j));
				if (!ok)
					ck_abort_msg("row %zu field %zu is wrong (length %zu, want %zu)",
						     i, j, len, n);
			}
		}
	}
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(i, ROWS);
	hc_csv_close(r);
	unlink(path);
	free(path);
	free(in.p);
}
END_TEST

/* A ragged row 3 MB into the file: the error names its line. */
START_TEST(test_error_late)
{
	struct sb in = { 0 };
	struct hc_csv_opts o = { .delim = ',' };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	struct hc_csv_row row;
	char *path;
	char want[700];
	size_t nrows = 0;
	int rc;

	sb_str(&in, "a,b\n");
	for (size_t k = 0; k < 200000; k++)
		sb_printf(&in, "%zu,\"%s\"\n", k, k % 2 ? "x\ny" : "some text");
	sb_str(&in, "1,2,3\n4,5\n");
	ck_assert_uint_gt(in.n, 2 * MIB);
	path = th_tmp_file(in.p, in.n);
	r = hc_csv_open(path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	while ((rc = hc_csv_next(r, &row, &err)) == 1) {
		uint64_t want_line = 2 + nrows + nrows / 2;
		if (row.line != want_line)
			ck_abort_msg("row %zu: line %llu, want %llu", nrows,
				     (unsigned long long)row.line,
				     (unsigned long long)want_line);
		nrows++;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_le(nrows, 200000);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	snprintf(want, sizeof(want),
		 "%s:300002: column 3: too many fields (expected 2)", path);
	ck_assert_str_eq(err.msg, want);
	hc_csv_close(r);
	unlink(path);
	free(path);
	free(in.p);
}
END_TEST

/* ---- chunk boundaries at every offset --------------------------------- */

struct sweep {
	const char *name;
	const char *snip;
	size_t len;
	const char *want; /* rows after the padding row, or the error */
};

static const struct sweep sweeps[] = {
	{ "rows", IN("1,\"q\"\"x\r\ny\"\r\n\r\n2,\"\"\r\n3, s \n\"4\",\"\n\"\n"
		     "5,\"a\"\"\"\r6,z"),
	  "3:1|q\"x\\r\\ny\n6:2|\n7:3| s \n8:4|\\n\n10:5|a\"\n11:6|z\n" },
	{ "malformed", IN("1,\"a\nb\"\"c\nd\"x\n"),
	  "E:DATA:F:5: column 'b' (2): " MALFORMED "\n" },
	{ "unterminated", IN("1,2\n3,\"a\nb\n"),
	  "E:DATA:F:4: column 'b' (2): " UNTERM "\n" },
	{ "NUL", IN("1,\"a\nb\0\"\n"),
	  "E:DATA:F:4: column 'b' (2): " NULBYTE "\n" },
	{ "too many", IN("1,\"a\r\nb\",c\r\n"),
	  "E:DATA:F:4: column 3: too many fields (expected 2)\n" },
};

/* Sweep _i: the snippet placed so that the 1 MiB mark falls at each of its
 * offsets, from 4 bytes before it to 4 after (so both a boundary at 1 MiB
 * and one a few bytes later are covered). */
START_TEST(test_boundary_sweep)
{
	const struct sweep *s = &sweeps[_i];

	for (size_t d = 0; d < s->len + 8; d++) {
		/* the snippet starts at MIB + 4 - d */
		size_t pad = MIB + 4 - d - strlen("a,b\n") - strlen(",p\n");
		struct sb in = { 0 }, want = { 0 };
		char *path, *got;
		char what[100];

		sb_str(&in, "a,b\n");
		sb_fill(&in, 'P', pad);
		sb_str(&in, ",p\n");
		ck_assert_uint_eq(in.n, MIB + 4 - d);
		sb_add(&in, s->snip, s->len);
		path = th_tmp_file(in.p, in.n);
		got = render(path, ',', 0);
		if (strncmp(s->want, "E:", 2) != 0)
			sb_printf(&want, "H2:a|b\n2:<%zu x 'P'>|p\n", pad);
		sb_str(&want, s->want);
		snprintf(what, sizeof(what), "sweep '%s', offset %zu", s->name,
			 d);
		expect_render(what, got, want.p);
		unlink(path);
		free(path);
		free(got);
		free(in.p);
		free(want.p);
	}
}
END_TEST

/* ---- stop bytes 64 at a time ------------------------------------------- */

/* The vector mask equals the byte loop's on random blocks drawn mostly
 * from the bytes that matter (each delimiter, quotes, CR, LF, high bytes,
 * NUL), and the walk hands out every stop byte of a buffer in order. */
START_TEST(test_stops_mask)
{
	static const char pool[] = ",;\t|\"\r\nab\x80\xff";
	static const char delims[] = ",;\t|";
	uint64_t seed = 99;
	char buf[64 * 9];

	for (int t = 0; t < 4000; t++) {
		char delim = delims[t % 4];
		size_t n = 64 * 8;
		struct hc_csv_stops it;

		for (size_t i = 0; i < sizeof(buf); i++) {
			uint64_t r = th_rand(&seed);
			buf[i] = r % 3 ? pool[r % (sizeof(pool) - 1)] : (char)(r >> 8);
		}
		for (size_t off = 0; off < 64 * 8; off += 64)
			ck_assert_uint_eq(hc_csv_stops64(buf + off, delim),
					  hc_csv_stops64_plain(buf + off, delim));
		/* The walk, from an odd start, up to a stop byte at n - 1. */
		buf[n - 1] = '\n';
		hc_csv_stops_start(&it, buf + t % 64, delim);
		for (size_t i = (size_t)t % 64; i < n; i++) {
			char c = buf[i];
			if (c == delim || c == '"' || c == '\r' || c == '\n')
				ck_assert_ptr_eq(hc_csv_stops_next(&it), buf + i);
		}
	}
}
END_TEST

/* ---- the reader against libcsv alone ---------------------------------- */

/* A reference parse by libcsv alone, with the reader's options, into text:
 * each row's fields as "len:bytes|", rows ended by "\n"; empty rows (blank
 * lines, the LF of a CRLF) left out, as the reader does.  Returns -1 when
 * libcsv fails, 1 when rows differ in length (the reader fails then too). */
struct ref {
	struct sb out;
	size_t nf, ncols;
	int ragged;
};

static int ref_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void ref_field(void *s, size_t n, void *data)
{
	struct ref *f = data;
	char num[24];

	snprintf(num, sizeof(num), "%zu:", n);
	sb_str(&f->out, num);
	sb_add(&f->out, s, n);
	sb_str(&f->out, "|");
	f->nf++;
}

static void ref_row(int c, void *data)
{
	struct ref *f = data;

	(void)c;
	if (!f->nf)
		return;
	if (f->ncols && f->nf != f->ncols)
		f->ragged = 1;
	f->ncols = f->nf;
	f->nf = 0;
	sb_str(&f->out, "\n");
}

static int ref_parse(const char *p, size_t n, struct sb *out)
{
	struct csv_parser cp;
	struct ref f = { 0 };
	int rc = 0;

	ck_assert_int_eq(csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI |
					       CSV_REPALL_NL | CSV_APPEND_NULL),
			 0);
	csv_set_space_func(&cp, ref_no_space);
	if (csv_parse(&cp, p, n, ref_field, ref_row, &f) != n ||
	    csv_fini(&cp, ref_field, ref_row, &f) != 0)
		rc = -1;
	csv_free(&cp);
	*out = f.out;
	return rc ? rc : f.ragged;
}

/* Random rows of three fields: plain, simply quoted, quoted with doubled
 * quotes or line ends and, unless well_formed, malformed (a quote inside a
 * plain field, text after a closing quote, an unclosed quote at the end);
 * with LF, CRLF or CR ends and blank lines. */
static void random_csv(struct sb *b, uint64_t *seed, size_t nrows,
		       int well_formed)
{
	static const char *const kinds[] = {
		"ab", "", " x ", "\"q\"", "\"a,b\"", "\"\"", "\"say \"\"hi\"\"\"",
		"\"two\nlines\"", "\"cr\rhere\"", "1.5", "a\"b", "\"q\"x",
	};
	static const char *const ends[] = { "\n", "\r\n", "\r", "\n\n" };
	size_t nk = sizeof(kinds) / sizeof(kinds[0]) - (well_formed ? 2 : 0);

	for (size_t i = 0; i < nrows; i++) {
		size_t nf = 3;
		for (size_t j = 0; j < nf; j++) {
			*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t k = (size_t)(*seed >> 33) % (4 * nk);
			/* mostly plain and simply quoted fields */
			sb_str(b, k >= nk ? kinds[k % 6] : kinds[k]);
			if (j + 1 < nf)
				sb_str(b, ",");
		}
		sb_str(b, ends[(*seed >> 20) % 4]);
	}
	if (!well_formed && (*seed >> 40) % 2)
		sb_str(b, "last,row,\"unended");
}

/* Renders what the reader makes of path as ref_parse does; returns the
 * reader's status (0 or -1). */
static int reader_parse(const char *path, struct sb *out)
{
	struct hc_csv_opts o = { .delim = ',', .no_header = 1 };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r = hc_csv_open(path, &o, &err);
	struct hc_csv_row row;
	int rc;

	if (!r)
		return -1;
	while ((rc = hc_csv_next(r, &row, &err)) == 1) {
		for (size_t j = 0; j < row.nfields; j++) {
			char num[24];
			snprintf(num, sizeof(num), "%u:", row.len[j]);
			sb_str(out, num);
			sb_add(out, row.buf + row.off[j], row.len[j]);
			sb_str(out, "|");
		}
		sb_str(out, "\n");
	}
	hc_csv_close(r);
	return rc;
}

/* Thousands of random files, small ones (one chunk: the first row goes to
 * libcsv, later rows to the split-it-here path) and some over a chunk:
 * wherever libcsv alone reads rows, the reader reads the same; wherever
 * libcsv fails or rows are ragged, the reader fails. */
START_TEST(test_same_as_libcsv)
{
	uint64_t seed = 12345 + (uint64_t)_i;
	int agreed = 0, failed = 0;

	for (int t = 0; t < 400; t++) {
		struct sb in = { 0 }, want = { 0 }, got = { 0 };
		size_t nrows = t % 100 == 99 ? 120000 : 1 + (size_t)t % 9;
		char *path;
		int ref, rc;

		random_csv(&in, &seed, nrows, nrows > 9);
		path = th_tmp_file(in.p ? in.p : "", in.n);
		ref = ref_parse(in.p ? in.p : "", in.n, &want);
		rc = reader_parse(path, &got);
		if (ref == 0) {
			ck_assert_msg(rc == 0, "case %d: the reader failed", t);
			ck_assert_msg(got.n == want.n &&
					      (got.n == 0 ||
					       memcmp(got.p, want.p, got.n) == 0),
				      "case %d: rows differ from libcsv's", t);
			agreed++;
		} else {
			ck_assert_msg(rc == -1, "case %d: libcsv failed, the reader did not", t);
			failed++;
		}
		unlink(path);
		free(path);
		free(in.p);
		free(want.p);
		free(got.p);
	}
	/* both outcomes were exercised */
	ck_assert_int_gt(agreed, 20);
	ck_assert_int_gt(failed, 20);
}
END_TEST

Suite *suite_csv_read(void)
{
	Suite *s = suite_create("csv_read");
	TCase *tc = tcase_create("cases");
	TCase *big = tcase_create("big");

	tcase_add_loop_test(tc, test_cases, 0, (int)(2 * NCASES));
	tcase_add_test(tc, test_accessors);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_batch_small);
	tcase_add_test(tc, test_where);
	tcase_add_test(tc, test_stdin_file);
	tcase_add_test(tc, test_stdin_pipe_size);
	tcase_add_test(tc, test_stops_mask);
	suite_add_tcase(s, tc);

	tcase_add_test(big, test_field_1mib);
	tcase_add_test(big, test_field_limit);
	tcase_add_test(big, test_field_limit_quoted);
	tcase_add_test(big, test_max_cols);
	tcase_add_loop_test(big, test_generated, 0, 6);
	tcase_add_loop_test(big, test_generated_quote_free, 0, 6);
	tcase_add_loop_test(big, test_generated_batches, 0, 3);
	tcase_add_loop_test(big, test_same_as_libcsv, 0, 4);
	tcase_add_test(big, test_generated_pipe);
	tcase_add_test(big, test_wide_rows);
	tcase_add_test(big, test_error_late);
	tcase_add_loop_test(big, test_boundary_sweep, 0,
			    (int)(sizeof(sweeps) / sizeof(sweeps[0])));
	suite_add_tcase(s, big);
	return s;
}
