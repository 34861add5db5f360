/* utf8.h - checking and repairing UTF-8 text on its way into JSON
 *
 * CSV values are bytes, but JSON text must be UTF-8: a report that copied
 * a Latin-1 value through would be rejected by every JSON parser (found by
 * the bad-input corpus, issue 9).  Invalid sequences are replaced, one
 * U+FFFD per byte that does not start a valid sequence, as WHATWG's and
 * Python's "replace" decoders do, so that the rest of the value survives.
 */
#ifndef HC_UTF8_H
#define HC_UTF8_H

#include <stddef.h>

/* 1 if s[0..len) is valid UTF-8 (no overlong forms, no surrogates, at most
 * U+10FFFF), else 0. */
int hc_utf8_valid(const char *s, size_t len);

/* A NUL-terminated copy of s[0..len) with each invalid byte replaced by
 * U+FFFD (EF BF BD).  NULL when out of memory; hc_free it. */
char *hc_utf8_repair(const char *s, size_t len);

#endif
