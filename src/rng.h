/* rng.h - the seeded generator every shuffle and sample here draws from
 *
 * splitmix64 (Steele, Lea and Flood): one add and three xor-multiplies a
 * number, a full period of 2^64, and good enough for shuffles, negative
 * sampling and initial weights.  Results must not change between
 * versions: model files and encodings made with --seed are reproduced
 * byte for byte, so the constants and the order of draws are fixed.
 */
#ifndef HC_RNG_H
#define HC_RNG_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hc_splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-32
 * for the sizes here). */
static inline uint64_t hc_rng_below(uint64_t *s, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)hc_splitmix64(s) * n) >> 64);
}

/* p = 0 .. n-1 in a Fisher-Yates order drawn from *s. */
static inline void hc_rng_shuffled_range(uint32_t *p, size_t n, uint64_t *s)
{
	for (size_t a = 0; a < n; a++)
		p[a] = (uint32_t)a;
	for (size_t a = n; a > 1; a--) {
		size_t b = (size_t)hc_rng_below(s, a);
		uint32_t t = p[a - 1];

		p[a - 1] = p[b];
		p[b] = t;
	}
}

#endif
