/* prefault.h - fresh memory made present by another thread
 *
 * Loading a 10M-value encoder state fills 800 MB of fresh memory: a hash
 * table written at random and arrays written in order.  On a virtual
 * machine, the first touch of a page is the expensive part (the hypervisor
 * backs it then: 0.5 to 1 s per 512 MB measured here, against 0.03 s to
 * write the same memory once present), and the decoding thread pays it
 * in the middle of its work.  A prefault asks the kernel, from a thread
 * of its own, to make the pages present ahead of the writes
 * (madvise(MADV_POPULATE_WRITE), Linux 5.14): on a second core the two
 * overlap.  Contents never change, so the decoding thread may write the
 * same memory meanwhile; where the call or threads are missing, nothing
 * happens and the pages fault in as before.
 */
#ifndef HC_PREFAULT_H
#define HC_PREFAULT_H

#include <stddef.h>

#define HC_PREFAULT_RANGES 8

struct hc_prefault {
	struct {
		void *p;
		size_t n;
	} r[HC_PREFAULT_RANGES];
	unsigned nr;
	int started;
	void *thread; /* a pthread_t, allocated while started */
};

void hc_prefault_init(struct hc_prefault *pf);
/* Adds [p, p + n) to what the next start makes present; ranges of less
 * than HC_PREFAULT_MIN bytes, and any past HC_PREFAULT_RANGES, are left
 * to fault in as they are written. */
#define HC_PREFAULT_MIN ((size_t)8 << 20)
void hc_prefault_add(struct hc_prefault *pf, void *p, size_t n);
/* Starts the thread (when there is anything to do and more than one
 * processor); returns at once. */
void hc_prefault_start(struct hc_prefault *pf);
/* Waits for the thread, before the memory is freed; the ranges are then
 * forgotten.  Safe to call when nothing was started. */
void hc_prefault_wait(struct hc_prefault *pf);

#endif
