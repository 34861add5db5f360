/* retrieval.h - full-catalogue top-K ranking for mf, in cache blocks
 *
 * Every evaluated user is scored against every catalogue item (no
 * sampling: the GraphHash protocol), the user's excluded items (training
 * interactions) masked, and the K best kept.  Scores are a GEMM: item
 * embeddings are laid out in panels of 8 items (dim x 8 floats), a kernel
 * computes 4 users x 8 items at a time in vector registers, and items are
 * walked in chunks that stay in L2 while a block of users passes over
 * them; each score goes straight into its user's heap, so no score matrix
 * is ever stored.  Users are spread over a team's workers in blocks; the
 * result does not depend on the number of threads.
 */
#ifndef HC_RETRIEVAL_H
#define HC_RETRIEVAL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/team.h"

struct hc_rank_job {
	uint32_t dim;
	size_t nusers, nitems;
	const float *user_emb;   /* nusers x dim */
	const float *item_emb;   /* nitems x dim */
	const uint64_t *excl_start; /* per user: sorted items to mask, or NULL */
	const uint32_t *excl;
	size_t k;
	uint32_t *top;           /* out: nusers x k, best first */
	uint32_t *ntop;          /* out: per user, how many (<= k) */
};

/* Runs the job (on team's workers when team is not NULL).  0, or -1 with
 * err set (out of memory). */
int hc_rank_all(const struct hc_rank_job *job, struct hc_team *team,
		struct hc_err *err);

#endif
