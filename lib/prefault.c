/* prefault.c - populating memory from a helper thread; see prefault.h */
#include "lib/prefault.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/team.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Linux's value, for C libraries older than the call. */
#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
#define MADV_POPULATE_WRITE 23
#endif

#define PAGE ((uintptr_t)4096)

void hc_prefault_init(struct hc_prefault *pf)
{
	memset(pf, 0, sizeof(*pf));
}

void hc_prefault_add(struct hc_prefault *pf, void *p, size_t n)
{
	if (!p || n < HC_PREFAULT_MIN || pf->nr == HC_PREFAULT_RANGES ||
	    pf->started)
		return;
	pf->r[pf->nr].p = p;
	pf->r[pf->nr].n = n;
	pf->nr++;
}

static void *populate(void *arg)
{
#if defined(__linux__)
	struct hc_prefault *pf = arg;

	for (unsigned i = 0; i < pf->nr; i++) {
		uintptr_t a = (uintptr_t)pf->r[i].p, lo, hi;

		lo = (a + PAGE - 1) & ~(PAGE - 1);
		hi = (a + pf->r[i].n) & ~(PAGE - 1);
		/* EINVAL on kernels without the call: then nothing is done */
		if (hi > lo && madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) != 0)
			break;
	}
#else
	(void)arg;
#endif
	return NULL;
}

void hc_prefault_start(struct hc_prefault *pf)
{
	pthread_t *t;

	if (pf->started || pf->nr == 0 || hc_ncpus() < 2 ||
	    !(t = hc_malloc(sizeof(*t))))
		return;
	if (pthread_create(t, NULL, populate, pf) != 0) {
		hc_free(t);
		return;
	}
	pf->thread = t;
	pf->started = 1;
}

void hc_prefault_wait(struct hc_prefault *pf)
{
	if (pf->started) {
		pthread_join(*(pthread_t *)pf->thread, NULL);
		hc_free(pf->thread);
	}
	hc_prefault_init(pf);
}
