/* team.c - fork-join worker threads over pthreads; see team.h */
#include "team.h"

#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "mem.h"

struct hc_team {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	pthread_t *threads;
	unsigned n, started;
	unsigned long gen;   /* task generation: workers wait for a new one */
	unsigned running;    /* workers still in the current task */
	int quit;
	hc_team_fn fn;
	void *arg;
	size_t nitems;
	/* Items claimed from the front (low 32 bits) and from the back (high
	 * 32 bits), in one word so that a claim sees both: compare and swap. */
	uint64_t claimed;
};

static void *worker(void *p)
{
	struct hc_team *t = p;
	unsigned long seen = 0;

	pthread_mutex_lock(&t->mu);
	for (;;) {
		while (t->gen == seen && !t->quit)
			pthread_cond_wait(&t->go, &t->mu);
		if (t->quit)
			break;
		seen = t->gen;
		pthread_mutex_unlock(&t->mu);
		t->fn(t->arg, t);
		pthread_mutex_lock(&t->mu);
		if (--t->running == 0)
			pthread_cond_signal(&t->done);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

struct hc_team *hc_team_new(unsigned n, struct hc_err *err)
{
	struct hc_team *t = hc_calloc(1, sizeof(*t));

	if (!t || !(t->threads = hc_calloc(n ? n : 1, sizeof(*t->threads)))) {
		hc_free(t);
		hc_err_nomem(err);
		return NULL;
	}
	t->n = n ? n : 1;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->go, NULL);
	pthread_cond_init(&t->done, NULL);
	for (; t->started < t->n; t->started++)
		if (pthread_create(&t->threads[t->started], NULL, worker, t) != 0) {
			hc_err_set(err, HC_ERR_IO, "cannot start worker threads");
			hc_team_free(t);
			return NULL;
		}
	return t;
}

void hc_team_start(struct hc_team *t, hc_team_fn fn, void *arg,
		   size_t nitems)
{
	pthread_mutex_lock(&t->mu);
	t->fn = fn;
	t->arg = arg;
	t->nitems = nitems;
	__atomic_store_n(&t->claimed, 0, __ATOMIC_RELAXED);
	t->running = t->started;
	t->gen++;
	pthread_cond_broadcast(&t->go);
	pthread_mutex_unlock(&t->mu);
}

void hc_team_wait(struct hc_team *t)
{
	pthread_mutex_lock(&t->mu);
	while (t->running > 0)
		pthread_cond_wait(&t->done, &t->mu);
	pthread_mutex_unlock(&t->mu);
}

/* Claims an item from the front (step 1) or the back (step 2^32). */
static size_t claim(struct hc_team *t, uint64_t step)
{
	uint64_t c = __atomic_load_n(&t->claimed, __ATOMIC_RELAXED);

	for (;;) {
		uint64_t front = c & UINT32_MAX, back = c >> 32;
		if (front + back >= t->nitems)
			return t->nitems;
		if (__atomic_compare_exchange_n(&t->claimed, &c, c + step, 0,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return step == 1 ? (size_t)front : t->nitems - 1 - (size_t)back;
	}
}

size_t hc_team_next(struct hc_team *t)
{
	return claim(t, 1);
}

size_t hc_team_next_back(struct hc_team *t)
{
	return claim(t, (uint64_t)1 << 32);
}

void hc_team_free(struct hc_team *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->mu);
	t->quit = 1;
	pthread_cond_broadcast(&t->go);
	pthread_mutex_unlock(&t->mu);
	for (unsigned i = 0; i < t->started; i++)
		pthread_join(t->threads[i], NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->go);
	pthread_cond_destroy(&t->done);
	hc_free(t->threads);
	hc_free(t);
}

unsigned hc_ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}
