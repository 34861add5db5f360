/* strdist.h - closest-name suggestions for misspelt commands and columns */
#ifndef HC_STRDIST_H
#define HC_STRDIST_H

#include <stddef.h>

/* Levenshtein distance, capped: returns min(distance, cap). */
size_t hc_strdist(const char *a, const char *b, size_t cap);
/* The candidate closest to s if its distance is small enough to be a
 * plausible typo (at most 2, and less than half of s), else NULL. */
const char *hc_closest(const char *s, const char *const *cands, size_t n);

#endif
