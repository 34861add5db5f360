/* csv_stops.h - where the delimiter, '\n', '\r' and '"' fall in 64 bytes
 *
 * The CSV reader splits quote-free and simply quoted rows itself
 * (csv_read.c, simple_rows).  Looking for the next such byte one byte at a
 * time costs a mispredicted branch per field; a bit mask of a 64-byte block
 * costs about thirty vector instructions and hands out every field end of
 * the block with a count-trailing-zeros each.  SSE2 is in every x86-64;
 * other machines get the same mask from a byte loop over a table.
 *
 * hc_csv_stops64 reads p[0..64): the caller guarantees those bytes are
 * readable (and, for memory checkers, initialised).
 */
#ifndef HC_CSV_STOPS_H
#define HC_CSV_STOPS_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Bit i set when p[i] is delim, '\n', '\r' or '"'; the plain version,
 * kept for other machines and as the reference in the unit tests. */
static inline uint64_t hc_csv_stops64_plain(const char *p, char delim)
{
	uint64_t m = 0;

	for (int i = 0; i < 64; i++) {
		char c = p[i];
		if (c == delim || c == '\n' || c == '\r' || c == '"')
			m |= (uint64_t)1 << i;
	}
	return m;
}

static inline uint64_t hc_csv_stops64(const char *p, char delim)
{
#if defined(__SSE2__)
	const __m128i d = _mm_set1_epi8(delim), q = _mm_set1_epi8('"');
	const __m128i n = _mm_set1_epi8('\n'), c = _mm_set1_epi8('\r');
	uint64_t m = 0;

	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i e = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, q)),
			_mm_or_si128(_mm_cmpeq_epi8(x, n), _mm_cmpeq_epi8(x, c)));
		m |= (uint64_t)(uint16_t)_mm_movemask_epi8(e) << (16 * k);
	}
	return m;
#else
	return hc_csv_stops64_plain(p, delim);
#endif
}

/* Walks the stop bytes of a buffer in order, a block mask at a time. */
struct hc_csv_stops {
	const char *base; /* the block the mask describes */
	uint64_t mask;    /* its stop bytes not handed out yet */
	char delim;
};

static inline void hc_csv_stops_start(struct hc_csv_stops *it, const char *p,
				      char delim)
{
	it->base = p;
	it->delim = delim;
	it->mask = hc_csv_stops64(p, delim);
}

/* The next stop byte.  The caller knows there is one before the end of the
 * readable bytes (a span of whole rows ends with a row end). */
static inline const char *hc_csv_stops_next(struct hc_csv_stops *it)
{
	const char *s;

	while (!it->mask) {
		it->base += 64;
		it->mask = hc_csv_stops64(it->base, it->delim);
	}
	s = it->base + __builtin_ctzll(it->mask);
	it->mask &= it->mask - 1;
	return s;
}

#endif
