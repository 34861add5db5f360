/* parse.c - strict number parsing; see parse.h */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int hc_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	/* No length cap: leading zeros are digits too; the loop catches
	 * overflow. */
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int hc_parse_double(const char *s, size_t len, double *out)
{
	char buf[64];
	char *end;
	double v;

	/* Copy: fields are NUL-terminated, option values too, but a bounded
	 * copy lets callers pass any (ptr, len). */
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (isspace((unsigned char)buf[0])) /* strtod would skip it */
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (end != buf + len) /* also stops at a NUL inside (ptr, len) */
		return -1;
	if (errno == ERANGE && (v > 1 || v < -1))
		return -1; /* overflow; underflow to a tiny value is fine */
	*out = v;
	return 0;
}

int hc_parse_size(const char *s, uint64_t *out)
{
	size_t len = strlen(s), digits = 0;
	uint64_t v, mult = 1;

	while (digits < len && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (hc_parse_u64(s, digits, UINT64_MAX, &v) != 0)
		return -1;
	s += digits;
	switch (*s) {
	case 'k': case 'K': mult = 1ull << 10; s++; break;
	case 'm': case 'M': mult = 1ull << 20; s++; break;
	case 'g': case 'G': mult = 1ull << 30; s++; break;
	case 't': case 'T': mult = 1ull << 40; s++; break;
	default: break;
	}
	if (*s == 'b' || *s == 'B')
		s++;
	if (*s != '\0' || (v && mult > UINT64_MAX / v))
		return -1;
	*out = v * mult;
	return 0;
}
