/* progress.c - the stderr progress meter; see progress.h */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void hc_progress_start(struct hc_progress *p, const char *what,
		       uint64_t total_bytes, int quiet)
{
	p->enabled = !quiet && isatty(2);
	p->shown = 0;
	p->what = what;
	p->total = total_bytes;
	p->start = p->last = p->enabled ? now() : 0;
}

void hc_progress_update(struct hc_progress *p, uint64_t bytes, uint64_t rows)
{
	double t, mb;

	if (!p->enabled)
		return;
	t = now();
	if (t - p->start < 1.0 || t - p->last < 0.25)
		return;
	p->last = t;
	mb = (double)bytes / 1e6;
	if (p->total)
		fprintf(stderr, "\r%s: %.0f of %.0f MB (%.0f%%), %.1fM rows, %.0f MB/s ",
			p->what, mb, (double)p->total / 1e6,
			100.0 * (double)bytes / (double)p->total,
			(double)rows / 1e6, mb / (t - p->start));
	else
		fprintf(stderr, "\r%s: %.0f MB, %.1fM rows, %.0f MB/s ", p->what,
			mb, (double)rows / 1e6, mb / (t - p->start));
	p->shown = 1;
}

void hc_progress_end(struct hc_progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = 0;
}
