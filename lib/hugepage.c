/* hugepage.c - transparent huge page advice (hugepage.h)
 *
 * madvise(MADV_HUGEPAGE) takes page-aligned ranges; only the 2 MiB-aligned
 * interior of an array can become huge pages, so the range is trimmed to
 * it.  A failure (old kernel, THP compiled out) is not an error: the
 * memory simply stays in small pages.
 */
#include <stdint.h>

#include "lib/hugepage.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_SIZE ((uintptr_t)2 << 20)

size_t hc_mem_advise_huge(void *p, size_t n)
{
	return hc_mem_advise_huge_min(p, n, HC_HUGEPAGE_MIN);
}

size_t hc_mem_advise_huge_min(void *p, size_t n, size_t min)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	uintptr_t a = (uintptr_t)p, lo, hi;

	if (!p || n < min || a + n < a)
		return 0;
	lo = (a + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	hi = (a + n) & ~(HUGE_SIZE - 1);
	if (hi <= lo || madvise((void *)lo, hi - lo, MADV_HUGEPAGE) != 0)
		return 0;
	return hi - lo;
#else
	(void)p;
	(void)n;
	(void)min;
	return 0;
#endif
}

void hc_mem_discard(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_DONTNEED)
	uintptr_t a = (uintptr_t)p, page = 4096, lo, hi;

	if (!p || a + n < a)
		return;
	lo = (a + page - 1) & ~(page - 1);
	hi = (a + n) & ~(page - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
#else
	(void)p;
	(void)n;
#endif
}
