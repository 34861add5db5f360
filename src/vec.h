/* vec.h - small float vector loops for the models' hot paths
 *
 * gcc 12 and clang 14 at -O2 leave these loops scalar (gcc's cheap cost
 * model; sqrtf's errno keeps both from vectorising Adam), so they are
 * written with SSE2, which every x86-64 has; other machines get the plain
 * loops.  Results do not depend on which: each lane does the same IEEE
 * operations in the same order (no fused multiply-add), and the dot
 * product sums four fixed lanes, then the tail, in one fixed order.
 */
#ifndef HC_VEC_H
#define HC_VEC_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define HC_VEC_SSE 1
#endif

/* a += b */
static inline void hc_vec_add(float *restrict a, const float *restrict b,
			      size_t n)
{
	size_t k = 0;
#ifdef HC_VEC_SSE
	for (; k + 4 <= n; k += 4)
		_mm_storeu_ps(a + k, _mm_add_ps(_mm_loadu_ps(a + k), _mm_loadu_ps(b + k)));
#endif
	for (; k < n; k++)
		a[k] += b[k];
}

/* sum of a[k] (b[k] - c[k]), in four lanes */
static inline float hc_vec_dot_diff(const float *a, const float *b,
				    const float *c, size_t n)
{
	float lane[4] = {0, 0, 0, 0}, s;
	size_t k = 0;
#ifdef HC_VEC_SSE
	__m128 acc = _mm_setzero_ps();
	for (; k + 4 <= n; k += 4)
		acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(a + k),
						 _mm_sub_ps(_mm_loadu_ps(b + k), _mm_loadu_ps(c + k))));
	_mm_storeu_ps(lane, acc);
#else
	for (; k + 4 <= n; k += 4)
		for (int l = 0; l < 4; l++)
			lane[l] += a[k + l] * (b[k + l] - c[k + l]);
#endif
	s = (lane[0] + lane[1]) + (lane[2] + lane[3]);
	for (; k < n; k++)
		s += a[k] * (b[k] - c[k]);
	return s;
}

/* Adam on a row: g + l2 w is the gradient; lr is the row's step size. */
static inline void hc_vec_adam(float *restrict w, float *restrict m,
			       float *restrict v, const float *restrict g,
			       size_t n, float l2, float b1, float b2, float lr,
			       float eps)
{
	size_t k = 0;
#ifdef HC_VEC_SSE
	__m128 L2 = _mm_set1_ps(l2), B1 = _mm_set1_ps(b1), B2 = _mm_set1_ps(b2);
	__m128 C1 = _mm_set1_ps(1 - b1), C2 = _mm_set1_ps(1 - b2);
	__m128 LR = _mm_set1_ps(lr), E = _mm_set1_ps(eps);
	for (; k + 4 <= n; k += 4) {
		__m128 W = _mm_loadu_ps(w + k);
		__m128 G = _mm_add_ps(_mm_loadu_ps(g + k), _mm_mul_ps(L2, W));
		__m128 M = _mm_add_ps(_mm_mul_ps(B1, _mm_loadu_ps(m + k)), _mm_mul_ps(C1, G));
		__m128 V = _mm_add_ps(_mm_mul_ps(B2, _mm_loadu_ps(v + k)),
				      _mm_mul_ps(C2, _mm_mul_ps(G, G)));
		_mm_storeu_ps(m + k, M);
		_mm_storeu_ps(v + k, V);
		W = _mm_sub_ps(W, _mm_div_ps(_mm_mul_ps(LR, M), _mm_add_ps(_mm_sqrt_ps(V), E)));
		_mm_storeu_ps(w + k, W);
	}
#endif
	for (; k < n; k++) {
		float gg = g[k] + l2 * w[k];
		m[k] = b1 * m[k] + (1 - b1) * gg;
		v[k] = b2 * v[k] + (1 - b2) * (gg * gg);
		w[k] -= (lr * m[k]) / (sqrtf(v[k]) + eps);
	}
}

/* AdaGrad on a row. */
static inline void hc_vec_adagrad(float *restrict w, float *restrict acc,
				  const float *restrict g, size_t n, float l2,
				  float lr, float eps)
{
	size_t k = 0;
#ifdef HC_VEC_SSE
	__m128 L2 = _mm_set1_ps(l2), LR = _mm_set1_ps(lr), E = _mm_set1_ps(eps);
	for (; k + 4 <= n; k += 4) {
		__m128 W = _mm_loadu_ps(w + k);
		__m128 G = _mm_add_ps(_mm_loadu_ps(g + k), _mm_mul_ps(L2, W));
		__m128 A = _mm_add_ps(_mm_loadu_ps(acc + k), _mm_mul_ps(G, G));
		_mm_storeu_ps(acc + k, A);
		W = _mm_sub_ps(W, _mm_div_ps(_mm_mul_ps(LR, G), _mm_add_ps(_mm_sqrt_ps(A), E)));
		_mm_storeu_ps(w + k, W);
	}
#endif
	for (; k < n; k++) {
		float gg = g[k] + l2 * w[k];
		acc[k] += gg * gg;
		w[k] -= (lr * gg) / (sqrtf(acc[k]) + eps);
	}
}

/* AdaGrad as hc_sgd_step does it, operation for operation (so the same
 * bits), on a row whose gradient is gx (S[k] - e[k]): fm's embedding
 * update.  l1 is 0 there. */
static inline void hc_vec_adagrad_diff(float *restrict w, float *restrict acc,
				       const float *S, const float *e,
				       float gx, size_t n, float l2, float lr,
				       float eps)
{
	size_t k = 0;
#ifdef HC_VEC_SSE
	__m128 GX = _mm_set1_ps(gx), L2 = _mm_set1_ps(l2), LR = _mm_set1_ps(lr);
	__m128 E = _mm_set1_ps(eps), ONE = _mm_set1_ps(1.0f);
	for (; k + 4 <= n; k += 4) {
		__m128 W = _mm_loadu_ps(w + k);
		__m128 G = _mm_mul_ps(GX, _mm_sub_ps(_mm_loadu_ps(S + k), _mm_loadu_ps(e + k)));
		__m128 GG = _mm_add_ps(G, _mm_mul_ps(L2, W));
		__m128 A = _mm_add_ps(_mm_loadu_ps(acc + k), _mm_mul_ps(GG, GG));
		__m128 R = _mm_div_ps(ONE, _mm_add_ps(_mm_sqrt_ps(A), E));
		_mm_storeu_ps(acc + k, A);
		_mm_storeu_ps(w + k, _mm_sub_ps(W, _mm_mul_ps(_mm_mul_ps(LR, GG), R)));
	}
#endif
	for (; k < n; k++) {
		float gg = gx * (S[k] - e[k]) + l2 * w[k], r;
		acc[k] += gg * gg;
		r = 1.0f / (sqrtf(acc[k]) + eps);
		w[k] -= lr * gg * r;
	}
}

#endif
