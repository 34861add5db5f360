/* hugepage.h - advice that a big array be backed by transparent huge pages
 *
 * A pass that fills tens of megabytes of fresh memory (encode's recorded
 * rows and fold sums) spends a large share of its time in page faults, one
 * per 4 KiB page; on a virtual machine each costs microseconds.  Where the
 * kernel offers transparent huge pages on request (Linux,
 * /sys/kernel/mm/transparent_hugepage/enabled = madvise or always), one
 * fault then maps 2 MiB.  This is advice only: contents never change, and
 * where it is not available nothing happens.  hc_mem_discard is the other
 * page-level call: it returns the pages of a range that is done with.
 */
#ifndef HC_HUGEPAGE_H
#define HC_HUGEPAGE_H

#include <stddef.h>

/* Below this many bytes the advice is not given (the array may share its
 * huge pages with other allocations for no gain). */
#define HC_HUGEPAGE_MIN ((size_t)4 << 20)

/* Advises huge pages for the whole 2 MiB-aligned pages within [p, p + n)
 * when n is at least HC_HUGEPAGE_MIN.  Returns how many bytes were
 * advised (0: none, too small, or not supported). */
size_t hc_mem_advise_huge(void *p, size_t n);

/* The same with another threshold (lib/mem.c advises every allocation of
 * 64 MiB or more this way). */
size_t hc_mem_advise_huge_min(void *p, size_t n, size_t min);

/* Gives the whole pages within [p, p + n) back to the system: an array
 * that a pass has finished reading stops counting while the pass goes on
 * (lib/strmap.c, moving slots into a table twice the size).  Their
 * contents are lost (they read as zeros after, where supported); the
 * memory stays allocated and is freed as usual. */
void hc_mem_discard(void *p, size_t n);

#endif
