/* strdist.c - edit distance for "did you mean" suggestions; see strdist.h */
#include "strdist.h"

#include <string.h>

#define MAXLEN 64

size_t hc_strdist(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[MAXLEN + 1];

	if (la > MAXLEN || lb > MAXLEN)
		return cap;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] < cap ? row[lb] : cap;
}

const char *hc_closest(const char *s, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < n; i++) {
		size_t d = hc_strdist(s, cands[i], best_d);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	if (best && best_d * 2 > strlen(s))
		return NULL;
	return best;
}
