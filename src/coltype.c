/* coltype.c - classifying text values by type; see coltype.h
 *
 * Hand-written scanners: profiling classifies every field, and strtod
 * alone costs more than the rest of a field's work.  Floats are scanned
 * for syntax here and converted with strtod only when they pass.
 */
#include "coltype.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const names[] = {"integer", "float", "boolean", "date",
				    "datetime", "string", "empty"};

const char *hc_coltype_name(enum hc_coltype t)
{
	return (unsigned)t <= HC_TYPE_EMPTY ? names[t] : "?";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Number of digits at s[i..len). */
static size_t digits(const char *s, size_t i, size_t len)
{
	size_t n = 0;

	while (i + n < len && is_digit(s[i + n]))
		n++;
	return n;
}

static int two(const char *s, size_t i, int lo, int hi)
{
	int v;

	if (!is_digit(s[i]) || !is_digit(s[i + 1]))
		return -1;
	v = (s[i] - '0') * 10 + (s[i + 1] - '0');
	return v >= lo && v <= hi ? v : -1;
}

static int is_date(const char *s, size_t len)
{
	return len >= 10 && digits(s, 0, 4) == 4 && s[4] == '-' &&
	       two(s, 5, 1, 12) >= 0 && s[7] == '-' && two(s, 8, 1, 31) >= 0;
}

/* "HH:MM[:SS[.fff]]" then an optional zone, exactly to len. */
static int is_time(const char *s, size_t i, size_t len)
{
	if (i + 5 > len || two(s, i, 0, 23) < 0 || s[i + 2] != ':' ||
	    two(s, i + 3, 0, 59) < 0)
		return 0;
	i += 5;
	if (i < len && s[i] == ':') {
		if (i + 3 > len || two(s, i + 1, 0, 60) < 0)
			return 0;
		i += 3;
		if (i < len && s[i] == '.') {
			size_t f = digits(s, i + 1, len);
			if (f == 0)
				return 0;
			i += 1 + f;
		}
	}
	if (i == len)
		return 1;
	if (s[i] == 'Z')
		return i + 1 == len;
	if (s[i] == '+' || s[i] == '-')
		return i + 6 == len && two(s, i + 1, 0, 23) >= 0 &&
		       s[i + 3] == ':' && two(s, i + 4, 0, 59) >= 0;
	return 0;
}

/* Integer or float syntax; 0 if neither. */
static enum hc_coltype number_syntax(const char *s, size_t len)
{
	size_t i = 0, intd, fracd = 0;

	if (len && (s[0] == '+' || s[0] == '-'))
		i++;
	intd = digits(s, i, len);
	i += intd;
	if (i == len && intd > 0)
		return intd <= 18 ? HC_TYPE_INT : HC_TYPE_FLOAT;
	if (i < len && s[i] == '.') {
		fracd = digits(s, i + 1, len);
		i += 1 + fracd;
	}
	if (intd + fracd == 0)
		return HC_TYPE_STRING;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		e = digits(s, i, len);
		if (e == 0)
			return HC_TYPE_STRING;
		i += e;
	}
	return i == len ? HC_TYPE_FLOAT : HC_TYPE_STRING;
}

static double parse_int(const char *s, size_t len)
{
	int64_t v = 0;
	size_t i = s[0] == '+' || s[0] == '-';

	for (; i < len; i++)
		v = v * 10 + (s[i] - '0');
	return s[0] == '-' ? -(double)v : (double)v;
}

/* 10^0 .. 10^22: every one is a double exactly. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Clinger's fast path ("How to read floating point numbers accurately",
 * PLDI 1990): when the digits, read as an integer m, are at most 2^53 and
 * the decimal exponent e is within 22, m and 10^|e| are both exact
 * doubles and one IEEE multiplication or division rounds m 10^e
 * correctly, which is what strtod returns.  Most data ("4.48", "-1.204")
 * takes it.  s has float syntax (number_syntax); 0 when the path does not
 * apply, and the caller uses strtod. */
static int fast_float(const char *s, size_t len, double *num)
{
	size_t i = 0;
	uint64_t m = 0;
	long e = 0, x = 0;
	int neg = 0, eneg = 0;
	double v;

	if (s[0] == '+' || s[0] == '-')
		neg = s[i++] == '-';
	for (; i < len && is_digit(s[i]); i++) {
		if (m >= (uint64_t)1 << 53)
			return 0;
		m = m * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < len && s[i] == '.')
		for (i++; i < len && is_digit(s[i]); i++, e--) {
			if (m >= (uint64_t)1 << 53)
				return 0;
			m = m * 10 + (uint64_t)(s[i] - '0');
		}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (s[i] == '+' || s[i] == '-')
			eneg = s[i++] == '-';
		for (; i < len; i++) {
			if (x > 1000)
				return 0;
			x = x * 10 + (s[i] - '0');
		}
		e += eneg ? -x : x;
	}
	if (m > (uint64_t)1 << 53 || e < -22 || e > 22)
		return 0;
	v = (double)m;
	v = e < 0 ? v / pow10_exact[-e] : v * pow10_exact[e];
	*num = neg ? -v : v;
	return 1;
}

enum hc_coltype hc_coltype_of(const char *s, size_t len, double *num)
{
	enum hc_coltype t;

	if (len == 0)
		return HC_TYPE_STRING;
	if (is_digit(s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.') {
		if (is_date(s, len)) {
			if (len == 10)
				return HC_TYPE_DATE;
			if ((s[10] == 'T' || s[10] == ' ') && is_time(s, 11, len))
				return HC_TYPE_DATETIME;
			return HC_TYPE_STRING;
		}
		t = number_syntax(s, len);
		if (t == HC_TYPE_INT) {
			*num = parse_int(s, len);
		} else if (t == HC_TYPE_FLOAT) {
			char buf[64];
			if (len >= sizeof(buf))
				return HC_TYPE_STRING;
			if (fast_float(s, len, num))
				return t;
			memcpy(buf, s, len); /* fields are NUL-terminated, but
						 callers may pass slices */
			buf[len] = '\0';
			*num = strtod(buf, NULL);
		}
		return t;
	}
	if ((len == 4 && strncasecmp(s, "true", 4) == 0) ||
	    (len == 5 && strncasecmp(s, "false", 5) == 0))
		return HC_TYPE_BOOL;
	return HC_TYPE_STRING;
}
