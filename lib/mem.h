/* mem.h - the one allocation wrapper every hicard allocation goes through
 *
 * All of lib/, src/ and cmd/ allocate through these functions so that tests
 * can make the Nth allocation fail (HICARD_FAIL_ALLOC=N in the environment,
 * read once by hc_mem_init_from_env) and check that every path reports
 * "out of memory" instead of crashing.  The countdown is the single piece of
 * process-wide mutable state in lib/; it exists only for that test hook.
 *
 * Contract: each function returns NULL on failure (never aborts, never
 * prints); sizes are overflow-checked (hc_mallocarray, hc_reallocarray).
 * Memory from these functions is released with hc_free (plain free).
 */
#ifndef HC_MEM_H
#define HC_MEM_H

#include <stddef.h>

/* Reads HICARD_FAIL_ALLOC; a positive N makes the Nth and every later
 * allocation fail.  Called once from main(). */
void hc_mem_init_from_env(void);

void *hc_malloc(size_t n);
void *hc_calloc(size_t nmemb, size_t size);
void *hc_realloc(void *p, size_t n);
/* n * size, failing (NULL) on overflow. */
void *hc_mallocarray(size_t nmemb, size_t size);
void *hc_reallocarray(void *p, size_t nmemb, size_t size);
char *hc_strdup(const char *s);
char *hc_strndup(const char *s, size_t n);
void hc_free(void *p);

/* Grows *p (of *cap elements of size elem) to hold at least need elements,
 * doubling.  Returns 0, or -1 with *p untouched on failure. */
int hc_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
