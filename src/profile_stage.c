/* profile_stage.c - a batch column collapsed to distinct values and counts
 *
 * See profile_stage.h.  The index holds at most one entry per row and has
 * at least twice as many slots as the batch has rows, so probes stay
 * short; it is cleared through the entries (each remembers its slot), so a
 * batch of few distinct values costs few writes however large the index
 * grew for an earlier batch.  Hashes are computed AHEAD rows early and
 * their slots prefetched, then AHEAD/2 rows early the entry a slot names,
 * as in profile.c: the index and entries of a batch (12500 rows on the
 * benchmark file) do not fit in the first-level cache.  An entry keeps the
 * first 16 bytes of its value, so that comparing a short value does not
 * reach back into the batch, a cache miss (a sixth of the time here).
 */
#include "src/profile_stage.h"

#include <string.h>
/* inlined: XXH3 of a short field is a few instructions, less than the call
 * into the shared library (same hashes). */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "lib/mem.h"
#include "lib/memeq.h"

#define AHEAD 16
#define RING 32 /* a power of two above AHEAD */
#define KEY_MAX 16 /* sizeof(((struct hc_stage_ent *)0)->key) */
#define MIN_SLOTS 64

/* Room for rows entries and an index at most half full. */
static int reserve(struct hc_stage *s, size_t rows)
{
	size_t slots = MIN_SLOTS;
	void *p;

	while (slots < 2 * rows)
		slots *= 2;
	if (!s->slot || slots > s->mask + 1) {
		uint32_t *ns = hc_calloc(slots, sizeof(*ns));
		if (!ns)
			return -1;
		hc_free(s->slot);
		s->slot = ns;
		s->mask = slots - 1;
	}
	if (rows > s->cap) {
		p = s->ent;
		if (hc_grow(&p, &s->cap, rows, sizeof(*s->ent)) != 0)
			return -1;
		s->ent = p;
	}
	return 0;
}

/* Empties s: slot by slot when few were taken, else all at once (the
 * writes to scattered slots cost more than a memset past a sixteenth). */
static void clear(struct hc_stage *s)
{
	if (s->n > (s->mask + 1) / 16) {
		memset(s->slot, 0, (s->mask + 1) * sizeof(*s->slot));
	} else {
		for (size_t e = 0; e < s->n; e++)
			s->slot[s->ent[e].slot] = 0;
	}
	s->n = 0;
}

/* Counts the value of field f (hash h) in s. */
static inline void count(struct hc_stage *s, const struct hc_csv_batch *b,
			 uint32_t f, uint64_t h)
{
	const char *v = b->buf + b->off[f];
	uint32_t len = b->len[f];

	for (size_t i = h & s->mask;; i = (i + 1) & s->mask) {
		uint32_t e = s->slot[i];
		struct hc_stage_ent *x;
		if (e == 0) {
			x = &s->ent[s->n];
			x->hash = h;
			memcpy(x->key, v, len < KEY_MAX ? len : KEY_MAX);
			x->off = b->off[f];
			x->len = len;
			x->count = 1;
			x->slot = (uint32_t)i;
			s->slot[i] = (uint32_t)++s->n;
			return;
		}
		x = &s->ent[e - 1];
		if (x->hash == h && x->len == len &&
		    hc_memeq(len <= KEY_MAX ? (const char *)x->key
					    : b->buf + x->off, v, len)) {
			x->count++;
			return;
		}
	}
}

int hc_stage_fill(struct hc_stage *s, const struct hc_csv_batch *b,
		  size_t col, size_t first, size_t n)
{
	uint64_t h[RING];

	clear(s);
	if (reserve(s, n) != 0)
		return -1;
	for (size_t i = 0; i < n + AHEAD; i++) {
		if (i < n) {
			size_t f = (first + i) * b->ncols + col;
			uint64_t hh = XXH3_64bits(b->buf + b->off[f], b->len[f]);
			h[i & (RING - 1)] = hh;
			__builtin_prefetch(&s->slot[hh & s->mask]);
		}
		if (i >= AHEAD / 2 && i - AHEAD / 2 < n) {
			uint32_t e = s->slot[h[(i - AHEAD / 2) & (RING - 1)] & s->mask];
			if (e)
				__builtin_prefetch(&s->ent[e - 1]);
		}
		if (i >= AHEAD) {
			size_t r = i - AHEAD;
			count(s, b, (uint32_t)((first + r) * b->ncols + col),
			      h[r & (RING - 1)]);
		}
	}
	return 0;
}

void hc_stage_release(struct hc_stage *s)
{
	hc_free(s->slot);
	hc_free(s->ent);
	memset(s, 0, sizeof(*s));
}
