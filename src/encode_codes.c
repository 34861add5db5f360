/* encode_codes.c - binary and ResBit category codes (see encode_codes.h)
 *
 * The residual code here is hicard's reading of ResBit (Fuchi et al.,
 * 2023): instead of writing an index whose high patterns may exceed n, each
 * bit halves the interval of categories still possible, so the code is a
 * balanced binary tree over [0, n) with depth ceil(log2 n).  A pattern
 * always ends in a leaf: no pattern is out of range.  Decoding a real
 * vector rounds each coordinate to its nearer level; because the squared
 * distance is a sum over bits and padding bits are free, the leaf reached
 * is the category whose set of patterns holds the pattern nearest to x.
 *
 * Plain binary codes have n..2^L - 1 as invalid patterns; their decoder
 * finds the nearest valid index exactly: a valid c < n either equals
 * n - 1 or first differs from it at a bit where n - 1 has a 1 and c a 0,
 * after which every bit is free.  Trying each such bit costs O(L).
 */
#include "src/encode_codes.h"

unsigned hc_code_bits(uint64_t n)
{
	unsigned L = 0;

	while (L < 63 && ((uint64_t)1 << L) < n)
		L++;
	return L ? L : 1;
}

void hc_binary_encode(uint64_t c, unsigned L, uint8_t *bits)
{
	for (unsigned i = 0; i < L; i++)
		bits[i] = (uint8_t)((c >> (L - 1 - i)) & 1);
}

/* The upper half starts at mid: the lower half takes the extra category
 * of an odd interval, so depth never exceeds ceil(log2 n). */
static uint64_t split(uint64_t lo, uint64_t hi)
{
	return lo + (hi - lo + 1) / 2;
}

void hc_resbit_encode(uint64_t c, uint64_t n, unsigned L, uint8_t *bits)
{
	uint64_t lo = 0, hi = n;

	for (unsigned i = 0; i < L; i++) {
		uint64_t mid;

		if (hi - lo <= 1) {
			bits[i] = 0;
			continue;
		}
		mid = split(lo, hi);
		bits[i] = c >= mid;
		if (c >= mid)
			lo = mid;
		else
			hi = mid;
	}
}

static int rounds_to_one(double x, int is_signed)
{
	return x > (is_signed ? 0.0 : 0.5);
}

uint64_t hc_resbit_decode(const double *x, unsigned L, uint64_t n,
			  int is_signed)
{
	uint64_t lo = 0, hi = n;

	for (unsigned i = 0; i < L && hi - lo > 1; i++) {
		uint64_t mid = split(lo, hi);

		if (rounds_to_one(x[i], is_signed))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static double cost(double x, int bit, int is_signed)
{
	double level = bit ? 1.0 : (is_signed ? -1.0 : 0.0);

	/* NaN (a broken vector) counts as far from both levels alike. */
	return x == x ? (x - level) * (x - level) : 0.0;
}

uint64_t hc_binary_decode(const double *x, unsigned L, uint64_t n,
			  int is_signed)
{
	uint64_t m = n - 1, best, c = 0;
	double free_min[HC_CODE_BITS_MAX + 1], prefix = 0, best_cost;

	/* free_min[i]: the least cost of bits i..L-1 chosen freely. */
	free_min[L] = 0;
	for (unsigned i = L; i-- > 0;) {
		double c0 = cost(x[i], 0, is_signed), c1 = cost(x[i], 1, is_signed);
		free_min[i] = free_min[i + 1] + (c0 <= c1 ? c0 : c1);
	}
	for (unsigned i = 0; i < L; i++)
		c = c << 1 | rounds_to_one(x[i], is_signed);
	if (c < n)
		return c;
	best = m;
	best_cost = 0;
	for (unsigned i = 0; i < L; i++)
		best_cost += cost(x[i], (int)((m >> (L - 1 - i)) & 1), is_signed);
	for (unsigned i = 0; i < L; i++) {
		int mb = (int)((m >> (L - 1 - i)) & 1);

		if (mb) {
			double total = prefix + cost(x[i], 0, is_signed) + free_min[i + 1];
			if (total <= best_cost) {
				uint64_t cand = (m >> (L - 1 - i)) << (L - 1 - i);
				cand &= ~((uint64_t)1 << (L - 1 - i));
				for (unsigned j = i + 1; j < L; j++)
					if (cost(x[j], 1, is_signed) < cost(x[j], 0, is_signed))
						cand |= (uint64_t)1 << (L - 1 - j);
				if (total < best_cost || cand < best) {
					best = cand;
					best_cost = total;
				}
			}
		}
		prefix += cost(x[i], mb, is_signed);
	}
	return best;
}
