/* memeq.h - equality of short byte strings without a call to memcmp
 *
 * Hash tables compare a probed value with a held one almost only when
 * they are equal (the hashes matched), and their values are mostly short
 * ids and codes: there, libc's memcmp costs more in the call than in the
 * compare.  Up to 16 bytes, two loads per side that may overlap cover every
 * byte and read none outside [p, p + n); longer strings go to memcmp.
 */
#ifndef HC_MEMEQ_H
#define HC_MEMEQ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Whether a[0..n) and b[0..n) hold the same bytes. */
static inline int hc_memeq(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	if (n >= 8 && n <= 16) {
		uint64_t p0, p1, q0, q1;
		memcpy(&p0, p, 8);
		memcpy(&q0, q, 8);
		memcpy(&p1, p + n - 8, 8);
		memcpy(&q1, q + n - 8, 8);
		return ((p0 ^ q0) | (p1 ^ q1)) == 0;
	}
	if (n >= 4 && n < 8) {
		uint32_t p0, p1, q0, q1;
		memcpy(&p0, p, 4);
		memcpy(&q0, q, 4);
		memcpy(&p1, p + n - 4, 4);
		memcpy(&q1, q + n - 4, 4);
		return ((p0 ^ q0) | (p1 ^ q1)) == 0;
	}
	if (n < 4) /* bytes 0, n/2 and n-1 cover n = 1..3 */
		return n == 0 || (p[0] == q[0] && p[n / 2] == q[n / 2] &&
				  p[n - 1] == q[n - 1]);
	return memcmp(p, q, n) == 0;
}

#endif
