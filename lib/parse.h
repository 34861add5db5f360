/* parse.h - strict number parsing for option values and data fields
 *
 * strtoull/strtod with the checks they leave to the caller: the whole text
 * must be the number (no trailing junk, no leading space), in range, and
 * not empty.  Each returns 0, or -1 leaving *out untouched.
 */
#ifndef HC_PARSE_H
#define HC_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Decimal digits only (no sign, no spaces), value <= max. */
int hc_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out);
/* A finite or non-finite decimal number as strtod reads it ("nan", "inf"
 * included: callers decide whether to accept them). */
int hc_parse_double(const char *s, size_t len, double *out);
/* A byte size: digits with an optional K, M, G or T suffix (powers of
 * 1024) and an optional trailing B: "512M", "2G", "4096". */
int hc_parse_size(const char *s, uint64_t *out);

#endif
