/* encode_codes.h - bit codes for categories: plain binary and ResBit
 *
 * Both map a category index c in [0, n) to L = hc_code_bits(n) bits, most
 * significant first, and decode vectors of bits, possibly real-valued as a
 * generative model emits them, back to a category that always exists.
 *
 *   binary   c written in L bits.  Patterns >= n decode to the valid index
 *            nearest in squared distance (found exactly, not by rounding).
 *   resbit   interval halving: [lo, hi) starts as [0, n); while it holds
 *            more than one category, a bit picks its lower half
 *            [lo, lo + ceil((hi-lo)/2)) (bit 0) or its upper half (bit 1);
 *            once one category is left, the remaining bits are padding
 *            (written 0, ignored when decoding).  Every pattern decodes to
 *            a valid category, by construction.
 *
 * Levels: bits are 0/1 (threshold 0.5) or, signed, -1/+1 (threshold 0).
 */
#ifndef HC_ENCODE_CODES_H
#define HC_ENCODE_CODES_H

#include <stdint.h>

/* Largest code length: n is below 2^32 (ids are 32-bit). */
#define HC_CODE_BITS_MAX 32

/* ceil(log2 n), at least 1 (so that n = 1 still has a column). */
unsigned hc_code_bits(uint64_t n);

/* The L bits of category c (< n) into bits[0..L), each 0 or 1. */
void hc_binary_encode(uint64_t c, unsigned L, uint8_t *bits);
void hc_resbit_encode(uint64_t c, uint64_t n, unsigned L, uint8_t *bits);

/* The category of x[0..L) (levels 0/1, or -1/+1 when signed): always
 * below n.  binary: the valid code nearest to x in squared distance (ties
 * to the smaller index); resbit: each x rounded to its nearer level, then
 * the halving walk. */
uint64_t hc_binary_decode(const double *x, unsigned L, uint64_t n,
			  int is_signed);
uint64_t hc_resbit_decode(const double *x, unsigned L, uint64_t n,
			  int is_signed);

#endif
