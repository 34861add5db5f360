/* progress.h - a progress meter on stderr for long runs on a terminal
 *
 * Shown only when stderr is a terminal, -q was not given, and the work has
 * run for more than a second; redrawn at most 4 times a second, so callers
 * may update it once per batch at no measurable cost.  The one place in
 * lib/ that writes to a terminal, by design: every subcommand's meter
 * looks the same.
 */
#ifndef HC_PROGRESS_H
#define HC_PROGRESS_H

#include <stdint.h>

struct hc_progress {
	int enabled;
	int shown;
	const char *what;
	uint64_t total;   /* bytes in all, 0 if unknown */
	double start, last;
};

void hc_progress_start(struct hc_progress *p, const char *what,
		       uint64_t total_bytes, int quiet);
void hc_progress_update(struct hc_progress *p, uint64_t bytes,
			uint64_t rows);
/* Clears the meter's line if it was drawn. */
void hc_progress_end(struct hc_progress *p);

#endif
