/* encode.h - what the files of `hicard encode` share (cmd/encode*.c) */
#ifndef HC_CMD_ENCODE_H
#define HC_CMD_ENCODE_H

#include "lib/opts.h"
#include "src/encode_emit.h"
#include "src/encode_state.h"
#include "src/encode_plan.h"

#define ENCODE_STATE_MAGIC "\x89HCE\r\n\x1a\n"
/* 2: numeric encoders; 3: multiclass targets; 4: passthrough
 * (src/encode_state.h); a version 1, 2 or 3 state reads as 4 */
#define ENCODE_STATE_VERSION HC_ENC_STATE_VERSION

struct encode_opts {
	struct hc_common c;
	struct hc_enc_plan plan;         /* encoders, target, fitting options */
	const char *smooth, *state, *save_state, *keep, *format, *order,
		*hash_scheme, *weight;
	uint64_t folds, min_count, max_categories, memory, probes;
	int ordered, signed_bits;
	/* resolved */
	enum hc_enc_format fmt;
	int argc;
	char **argv;
};

/* The modes; each returns 0, or -1 with err set. */
int encode_fit(const struct encode_opts *o, const char *path,
	       struct hc_err *err);
int encode_apply(const struct encode_opts *o, const char *path,
		 struct hc_err *err);
int encode_fit_apply(const struct encode_opts *o, const char *path,
		     struct hc_err *err);
int encode_merge(const struct encode_opts *o, int n, char **paths,
		 struct hc_err *err);
int encode_decode(const struct encode_opts *o, const char *path,
		  struct hc_err *err);

#endif
