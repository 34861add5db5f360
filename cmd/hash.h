/* hash.h - what cmd/hash.c shares with cmd/hash_tables.c: the options,
 * and the steps that read and write files around the hashing itself */
#ifndef HC_CMD_HASH_H
#define HC_CMD_HASH_H

#include "cmd/cmd.h"
#include "src/hash_run.h"
#include "src/hash_scheme.h"

struct hash_opts {
	struct hc_common c;
	const char *scheme, *buckets, *format, *label, *weight, *num;
	const char *counts, *fit, *write_counts, *map, *stats_json;
	uint64_t probes, min_count, overflow;
	double cutoff;
	int keys, skip_empty, stats;
	int argc;
	char **argv;
};

/* Gives each counting or graph hasher its table: counts from --counts,
 * --fit or the input itself, or clusters from --map; --write-counts. */
int hash_learn(const struct hash_opts *o, const char *input,
	       const char *const *names, size_t n, struct hc_col_hasher *h,
	       struct hc_err *err);

/* --stats (a table on stderr) and --stats-json FILE. */
int hash_write_stats(const struct hash_opts *o, const struct hc_hash_job *j,
		     const char *const *names, struct hc_err *err);

#endif
