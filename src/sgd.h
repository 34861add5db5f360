/* sgd.h - per-coordinate optimizers for sparse SGD: AdaGrad, FTRL, Adam
 *
 * Each update touches one parameter w and its state (s1, s2), so a sparse
 * model updates only the rows an example uses, and threads update without
 * locks (Hogwild: Recht et al. 2011; a lost update now and then does not
 * hurt convergence).  The state's meaning per optimizer:
 *   adagrad  s1 = sum of squared gradients (Duchi et al. 2011), the step
 *            lr / (eps + sqrt(s1)); hicard train sets eps to FTRL's beta
 *            (--beta, default 1), which damps a row's first updates; L2
 *            joins the gradient, L1 is a soft threshold of lr l1 / sqrt(s1)
 *   ftrl     s1 = z, s2 = n of FTRL-Proximal (McMahan et al. 2013,
 *            algorithm 1), w recomputed in closed form after each step
 *   adam     s1 = m, s2 = v (Kingma and Ba 2015); the bias correction uses
 *            the row's own step count (lazy Adam), which the caller folds
 *            into lr_t; L2 joins the gradient (weight decay of BPR-MF)
 */
#ifndef HC_SGD_H
#define HC_SGD_H

#include <math.h>
#include <stdint.h>

enum hc_optim { HC_OPTIM_ADAGRAD, HC_OPTIM_FTRL, HC_OPTIM_ADAM };

struct hc_sgd {
	enum hc_optim optim;
	float lr;
	float l1, l2;        /* l2: on linear weights (logreg, fm) */
	float l2_emb;        /* on embeddings (fm, mf: the weight decay) */
	float beta;          /* ftrl: the beta of its learning rate */
	float beta1, beta2;  /* adam */
	float eps;
	/* adam: the bias correction sqrt(1 - beta2^t) / (1 - beta1^t) for
	 * t < adam_n (1 beyond: within 1e-3 of it), so that an update costs
	 * no pow(); NULL computes it. */
	const float *adam_corr;
	uint32_t adam_n;
};

#define HC_SGD_ADAM_TABLE 16384

const char *hc_optim_name(enum hc_optim o);

/* Adam's step size for a row's t-th update. */
static inline float hc_sgd_adam_lr(const struct hc_sgd *o, uint32_t t)
{
	if (o->adam_corr)
		return o->lr * (t < o->adam_n ? o->adam_corr[t] : 1.0f);
	double c1 = 1.0 - pow(o->beta1, t), c2 = 1.0 - pow(o->beta2, t);

	return (float)(o->lr * sqrt(c2) / c1);
}

/* Updates w with gradient g (the loss's, without regularisation) by
 * optimizer opt.  Always inlined, so that a caller that switches on the
 * optimizer once, outside its loops, gets loops without a branch. */
static inline __attribute__((always_inline)) void
hc_sgd_step(enum hc_optim opt, const struct hc_sgd *o, float *w, float *s1,
	    float *s2, float g, float l1, float l2, float lr_t)
{
	switch (opt) {
	case HC_OPTIM_ADAGRAD: {
		float gg = g + l2 * *w, r;

		*s1 += gg * gg;
		r = 1.0f / (sqrtf(*s1) + o->eps);
		*w -= o->lr * gg * r;
		if (l1 > 0) {
			float t = o->lr * l1 * r;
			*w = *w > t ? *w - t : *w < -t ? *w + t : 0.0f;
		}
		return;
	}
	case HC_OPTIM_FTRL: {
		float n = *s2, nn = n + g * g;
		float sigma = (sqrtf(nn) - sqrtf(n)) / o->lr;
		float z = *s1 + g - sigma * *w;

		*s1 = z;
		*s2 = nn;
		if (fabsf(z) <= l1)
			*w = 0.0f;
		else
			*w = -(z - copysignf(l1, z)) /
			     ((o->beta + sqrtf(nn)) / o->lr + l2);
		return;
	}
	case HC_OPTIM_ADAM: {
		float gg = g + l2 * *w;

		*s1 = o->beta1 * *s1 + (1 - o->beta1) * gg;
		*s2 = o->beta2 * *s2 + (1 - o->beta2) * gg * gg;
		*w -= lr_t * *s1 / (sqrtf(*s2) + o->eps);
		return;
	}
	}
}

/* hc_sgd_step with the optimizer of o. */
static inline void hc_sgd_update(const struct hc_sgd *o, float *w, float *s1,
				 float *s2, float g, float l1, float l2,
				 float lr_t)
{
	hc_sgd_step(o->optim, o, w, s1, s2, g, l1, l2, lr_t);
}

#endif
