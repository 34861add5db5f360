/* mem.c - allocation wrapper with a failure-injection countdown
 *
 * See mem.h.  The countdown lets the failure-injection tests walk N = 1, 2,
 * ... through a whole subcommand run and check that every allocation site
 * fails cleanly.
 */
#include "mem.h"
#include "hugepage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 0 = injection off; otherwise allocations left before failing starts. */
static unsigned long fail_countdown;

void hc_mem_init_from_env(void)
{
	const char *s = getenv("HICARD_FAIL_ALLOC");
	char *end;
	unsigned long n;

	if (!s || !*s)
		return;
	n = strtoul(s, &end, 10);
	if (*end == '\0')
		fail_countdown = n;
}

/* Atomic: worker threads allocate too. */
static int should_fail(void)
{
	unsigned long n = __atomic_load_n(&fail_countdown, __ATOMIC_RELAXED);

	while (n > 1) {
		if (__atomic_compare_exchange_n(&fail_countdown, &n, n - 1, 0,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return 0;
	}
	return n == 1; /* stays at 1: every later allocation fails too */
}

/* Blocks this big (hash tables, vocabularies, frames) ask for transparent
 * huge pages where the kernel gives them only on request: a 2 MiB page
 * takes one fault where 4 KiB pages take 512, and one TLB entry.  Loading
 * a 10M-value encode state spent half its time in page faults before. */
#define HUGE_MIN ((size_t)64 << 20)

static void *advise_huge(void *p, size_t n)
{
	(void)hc_mem_advise_huge_min(p, n, HUGE_MIN);
	return p;
}

void *hc_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return advise_huge(malloc(n ? n : 1), n);
}

void *hc_calloc(size_t nmemb, size_t size)
{
	if (should_fail())
		return NULL;
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	return advise_huge(calloc(nmemb, size),
			   size && nmemb <= SIZE_MAX / size ? nmemb * size : 0);
}

void *hc_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return advise_huge(realloc(p, n ? n : 1), n);
}

void *hc_mallocarray(size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	return hc_malloc(nmemb * size);
}

void *hc_reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	return hc_realloc(p, nmemb * size);
}

char *hc_strndup(const char *s, size_t n)
{
	char *d;

	if (n == SIZE_MAX)
		return NULL;
	d = hc_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *hc_strdup(const char *s)
{
	return hc_strndup(s, strlen(s));
}

void hc_free(void *p)
{
	free(p);
}

int hc_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	np = hc_reallocarray(*p, ncap, elem);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}
