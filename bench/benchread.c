/* benchread.c - throughput probes for lib/: CSV reading, libcsv alone, the
 * string map, frame writing and reading
 *
 * The foundation issue sets targets on one core: CSV reading at least
 * 300 MB/s (libcsv alone parses about 350 MB/s, so the reader's own work per
 * field must stay small), frame reading at least 1 GB/s, and a string map
 * fast enough for tens of millions of lookups a second.  Each subcommand
 * here times one of those paths on its own, with as little else as
 * possible in the loop, and prints one machine-readable line:
 *
 *   job=csv file=F bytes=B rows=R seconds=S MBps=M rowsps=P cpu=C maxrss_mb=X
 *
 * (MB = 10^6 bytes; cpu is user + system seconds; maxrss_mb is this
 * process's peak resident set, from getrusage).  bench/run.sh turns these
 * lines into the `make bench` table.
 *
 *   benchread csv FILE           hc_csv_next over every row, summing field
 *                                lengths (so every field is touched)
 *   benchread csv-batch FILE     the same through hc_csv_next_batch
 *   benchread libcsv FILE        libcsv alone with the reader's options
 *                                (CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL
 *                                | CSV_APPEND_NULL, no space trimming, 1 MiB
 *                                reads) and callbacks that only count: the
 *                                floor under hc_csv_*
 *   benchread strmap N           interns N distinct short keys, then finds
 *                                each again in a scattered order
 *   benchread frame-write OUT ROWS   writes ROWS rows shaped like a hashed
 *                                click log (label, 7 ids, 2 numbers)
 *   benchread frame-read FILE    reads and checks every block, summing
 *                                every value
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/csv_read.h"
#include "lib/err.h"
#include "lib/frame.h"
#include "lib/in.h"
#include "lib/mem.h"
#include "lib/out.h"
#include "lib/parse.h"
#include "lib/strmap.h"

#define PROG "benchread"

/* ---- timing and the report line --------------------------------------- */

struct clock {
	struct timespec wall;
	double cpu;
};

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static void clock_start(struct clock *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->wall);
	c->cpu = cpu_seconds();
}

static double wall_since(const struct clock *c)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - c->wall.tv_sec) +
	       (double)(t.tv_nsec - c->wall.tv_nsec) * 1e-9;
}

static double maxrss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0; /* Linux: KiB */
}

/* What one run of a job measured.  check is a value computed from the
 * data, printed so that no loop can be optimised away (and so that two
 * probes of the same file can be compared). */
struct result {
	const char *job, *file;
	uint64_t bytes, rows, check;
	uint64_t map_bytes; /* strmap: memory the map holds */
	double seconds, cpu;
};

static void finish(struct result *res, const char *job, const char *file,
		   uint64_t bytes, uint64_t rows, const struct clock *c,
		   uint64_t check)
{
	res->seconds = wall_since(c);
	res->cpu = cpu_seconds() - c->cpu;
	res->job = job;
	res->file = file ? file : "-";
	res->bytes = bytes;
	res->rows = rows;
	res->check = check;
	res->map_bytes = 0;
}

static void report(const struct result *res, int runs)
{
	double t = res->seconds > 0 ? res->seconds : 1e-9;

	printf("job=%s file=%s bytes=%llu rows=%llu seconds=%.3f MBps=%.1f "
	       "GBps=%.3f rowsps=%.0f cpu=%.3f maxrss_mb=%.1f runs=%d "
	       "check=%llu",
	       res->job, res->file, (unsigned long long)res->bytes,
	       (unsigned long long)res->rows, res->seconds,
	       (double)res->bytes / t / 1e6, (double)res->bytes / t / 1e9,
	       (double)res->rows / t, res->cpu, maxrss_mb(), runs,
	       (unsigned long long)res->check);
	if (res->map_bytes)
		printf(" map_mb=%.1f", (double)res->map_bytes / 1e6);
	printf("\n");
	fflush(stdout);
}

static int fail(const struct hc_err *err)
{
	fprintf(stderr, PROG ": %s\n", err->msg);
	return err->kind == HC_ERR_USAGE ? HC_EXIT_USAGE : HC_EXIT_FAIL;
}

/* ---- csv, csv-batch --------------------------------------------------- */

static int job_csv(const char *path, int batched, struct result *res)
{
	struct hc_csv_opts opts = { ',', 0 };
	struct hc_err err;
	struct clock c;
	struct hc_csv_reader *r;
	uint64_t rows = 0, sum = 0;
	int rc;

	hc_err_clear(&err);
	clock_start(&c);
	r = hc_csv_open(path, &opts, &err);
	if (!r)
		return fail(&err);
	if (batched) {
		const struct hc_csv_batch *b;
		while ((rc = hc_csv_next_batch(r, &b, &err)) > 0) {
			size_t n = b->nrows * b->ncols;
			for (size_t k = 0; k < n; k++)
				sum += b->len[k];
			rows += b->nrows;
		}
	} else {
		struct hc_csv_row row;
		while ((rc = hc_csv_next(r, &row, &err)) > 0) {
			for (size_t j = 0; j < row.nfields; j++)
				sum += hc_csv_field_len(&row, j);
			rows++;
		}
	}
	if (rc < 0) {
		hc_csv_close(r);
		return fail(&err);
	}
	finish(res, batched ? "csv-batch" : "csv", path, hc_csv_bytes_read(r),
	       rows, &c, sum);
	hc_csv_close(r);
	return 0;
}

/* ---- libcsv alone ----------------------------------------------------- */

struct counts {
	uint64_t fields, rows;
};

static void count_field(void *s, size_t len, void *data)
{
	struct counts *k = data;

	(void)s;
	(void)len;
	k->fields++;
}

static void count_row(int c, void *data)
{
	struct counts *k = data;

	(void)c;
	k->rows++;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int job_libcsv(const char *path, struct result *res)
{
	enum { CHUNK = 1 << 20 };
	struct csv_parser p;
	struct counts k = { 0, 0 };
	struct clock c;
	uint64_t bytes = 0;
	char *buf = hc_malloc(CHUNK);
	int fd;

	if (!buf) {
		fprintf(stderr, PROG ": out of memory\n");
		return HC_EXIT_FAIL;
	}
	clock_start(&c);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, PROG ": %s: cannot open: %s\n", path,
			strerror(errno));
		hc_free(buf);
		return HC_EXIT_FAIL;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL |
				 CSV_APPEND_NULL) != 0) {
		fprintf(stderr, PROG ": csv_init failed\n");
		close(fd);
		hc_free(buf);
		return HC_EXIT_FAIL;
	}
	csv_set_space_func(&p, no_space);
	csv_set_blk_size(&p, 1u << 20);
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, PROG ": %s: read failed: %s\n", path,
				strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		bytes += (uint64_t)n;
		if (csv_parse(&p, buf, (size_t)n, count_field, count_row, &k) !=
		    (size_t)n) {
			fprintf(stderr, PROG ": %s: %s\n", path,
				csv_strerror(csv_error(&p)));
			goto fail;
		}
	}
	if (csv_fini(&p, count_field, count_row, &k) != 0) {
		fprintf(stderr, PROG ": %s: %s\n", path,
			csv_strerror(csv_error(&p)));
		goto fail;
	}
	/* Rows as the reader counts them: without the header. */
	finish(res, "libcsv", path, bytes, k.rows ? k.rows - 1 : 0, &c,
	       k.fields);
	csv_free(&p);
	close(fd);
	hc_free(buf);
	return 0;
fail:
	csv_free(&p);
	close(fd);
	hc_free(buf);
	return HC_EXIT_FAIL;
}

/* ---- strmap ------------------------------------------------------------ */

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Key i: "u", five digits scrambled from i, then i in base 36: 7 to 13
 * bytes, distinct (the fixed-length prefix is followed by i itself), and
 * not sharing long prefixes in insertion order. */
static size_t make_key(char *p, uint64_t i)
{
	char tmp[40];
	size_t n = 0, len = 0;
	uint64_t v = mix64(i) % 100000;

	p[len++] = 'u';
	for (int d = 0; d < 5; d++) {
		p[len + 4 - (size_t)d] = (char)('0' + v % 10);
		v /= 10;
	}
	len += 5;
	v = i;
	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	while (n)
		p[len++] = tmp[--n];
	return len;
}

static int job_strmap(uint64_t nkeys, struct result *res)
{
	struct hc_strmap m;
	struct clock c;
	char *keys;
	uint64_t *off;
	uint64_t total = 0, sum = 0, stride;
	size_t cap;

	/* At most 6 + 7 bytes a key (i < 2^32 in base 36). */
	if (nkeys == 0 || nkeys > HC_STRMAP_MAX_KEYS ||
	    nkeys > SIZE_MAX / 32) {
		fprintf(stderr, PROG ": strmap: N must be 1 to %u\n",
			(unsigned)HC_STRMAP_MAX_KEYS);
		return HC_EXIT_USAGE;
	}
	cap = (size_t)nkeys * 20;
	keys = hc_malloc(cap);
	off = hc_mallocarray((size_t)nkeys + 1, sizeof(*off));
	if (!keys || !off) {
		hc_free(keys);
		hc_free(off);
		fprintf(stderr, PROG ": out of memory\n");
		return HC_EXIT_FAIL;
	}
	for (uint64_t i = 0; i < nkeys; i++) {
		off[i] = total;
		total += make_key(keys + total, i);
	}
	off[nkeys] = total;

	hc_strmap_init(&m);
	clock_start(&c);
	for (uint64_t i = 0; i < nkeys; i++) {
		int added;
		int64_t id = hc_strmap_intern(&m, keys + off[i],
					      off[i + 1] - off[i], &added);
		if (id != (int64_t)i || !added) {
			fprintf(stderr, PROG ": strmap: key %llu got id %lld\n",
				(unsigned long long)i, (long long)id);
			goto fail;
		}
	}
	finish(&res[0], "strmap-intern", NULL, total, nkeys, &c,
	       hc_strmap_count(&m));

	/* Look-ups in a scattered order: i * stride mod n visits every key
	 * once when the prime stride does not divide n. */
	stride = nkeys % 1000003 ? 1000003 : 999983;
	clock_start(&c);
	for (uint64_t i = 0, k = 0; i < nkeys; i++) {
		int64_t id = hc_strmap_find(&m, keys + off[k],
					    off[k + 1] - off[k]);
		if (id < 0) {
			fprintf(stderr, PROG ": strmap: key %llu not found\n",
				(unsigned long long)k);
			goto fail;
		}
		sum += (uint64_t)id;
		k += stride % nkeys;
		if (k >= nkeys)
			k -= nkeys;
	}
	finish(&res[1], "strmap-find", NULL, total, nkeys, &c, sum);
	res[0].map_bytes = res[1].map_bytes = hc_strmap_bytes(&m);
	hc_strmap_release(&m);
	hc_free(keys);
	hc_free(off);
	return 0;
fail:
	hc_strmap_release(&m);
	hc_free(keys);
	hc_free(off);
	return HC_EXIT_FAIL;
}

/* ---- frames ------------------------------------------------------------ */

#define FRAME_NCAT 7
#define FRAME_SPACE ((uint64_t)1 << 20)

/* The shape `hicard hash --format hcb` gives a click log: a label, seven
 * hashed ids (2^20 buckets) and two numeric columns. */
static int frame_schema(struct hc_frame_schema *s, struct hc_err *err)
{
	static const char *const cat[FRAME_NCAT] = {
		"user_id", "item_id", "ad_id", "site_id",
		"app_id", "device_model", "banner_pos"
	};

	if (hc_frame_schema_init(s, err) != 0)
		return -1;
	if (!hc_frame_schema_add(s, "click", HC_KIND_LABEL, 1, 0, err))
		return -1;
	for (int j = 0; j < FRAME_NCAT; j++)
		if (!hc_frame_schema_add(s, cat[j], HC_KIND_CAT, 1, FRAME_SPACE,
					 err))
			return -1;
	if (!hc_frame_schema_add(s, "num_a", HC_KIND_NUM, 1, 0, err) ||
	    !hc_frame_schema_add(s, "num_b", HC_KIND_NUM, 1, 0, err))
		return -1;
	return 0;
}

static int job_frame_write(const char *path, uint64_t rows,
			   struct result *res)
{
	struct hc_frame_schema s;
	struct hc_frame_writer *w = NULL;
	struct hc_out *o = NULL;
	struct hc_err err;
	struct clock c;
	struct stat st;
	uint64_t x = 0x9E3779B97F4A7C15ull, sum = 0, bytes = 0;

	hc_err_clear(&err);
	memset(&s, 0, sizeof(s));
	if (frame_schema(&s, &err) != 0)
		goto fail;
	clock_start(&c);
	o = hc_out_open(path, &err);
	if (!o)
		goto fail;
	w = hc_frame_writer_open(o, &s, &err);
	if (!w)
		goto fail;
	for (uint64_t i = 0; i < rows; i++) {
		uint64_t h;
		size_t col = 0;

		/* xorshift64: ids and values cost next to nothing. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		h = x;
		if (hc_frame_put_num(w, col++, (float)(h & 1), &err) != 0)
			goto fail;
		for (int j = 0; j < FRAME_NCAT; j++) {
			uint32_t id = (uint32_t)(h >> (j * 8)) &
				      (uint32_t)(FRAME_SPACE - 1);
			sum += id;
			if (hc_frame_put_ids(w, col++, &id, 1, &err) != 0)
				goto fail;
		}
		if (hc_frame_put_num(w, col++, (float)(h >> 40) * 1e-3f,
				     &err) != 0 ||
		    hc_frame_put_num(w, col++, (float)(h & 0xffff), &err) != 0 ||
		    hc_frame_end_row(w, &err) != 0)
			goto fail;
	}
	if (hc_frame_writer_close(w, &err) != 0) {
		w = NULL;
		goto fail;
	}
	w = NULL;
	if (hc_out_close(o, &err) != 0) {
		o = NULL;
		goto fail;
	}
	o = NULL;
	if (path && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode))
		bytes = (uint64_t)st.st_size;
	else /* not a regular file: what the rows took, without headers */
		bytes = rows * 40;
	finish(res, "frame-write", path, bytes, rows, &c, sum);
	hc_frame_schema_release(&s);
	return 0;
fail:
	hc_frame_writer_abort(w);
	hc_out_abort(o);
	hc_frame_schema_release(&s);
	return fail(&err);
}

static int job_frame_read(const char *path, struct result *res)
{
	struct hc_in *in;
	struct hc_frame_reader *r = NULL;
	const struct hc_frame_schema *s;
	const struct hc_frame_block *b;
	struct hc_err err;
	struct clock c;
	uint64_t rows = 0, sum = 0;
	int rc;

	hc_err_clear(&err);
	clock_start(&c);
	in = hc_in_open(path, &err);
	if (!in)
		return fail(&err);
	r = hc_frame_reader_open(in, &err);
	if (!r)
		goto fail;
	s = hc_frame_reader_schema(r);
	while ((rc = hc_frame_read_block(r, &b, &err)) > 0) {
		for (size_t j = 0; j < s->ncols; j++) {
			const struct hc_frame_col *col = &s->cols[j];
			const struct hc_frame_colview *v = &b->cols[j];
			size_t n;

			if (col->arity == HC_ARITY_VAR)
				n = v->start[b->nrows];
			else
				n = b->nrows * col->arity;
			if (col->kind == HC_KIND_CAT) {
				for (size_t i = 0; i < n; i++)
					sum += v->ids[i];
			} else {
				uint32_t bits;
				for (size_t i = 0; i < n; i++) {
					memcpy(&bits, &v->num[i], 4);
					sum += bits;
				}
			}
		}
		rows += b->nrows;
	}
	if (rc < 0)
		goto fail;
	finish(res, "frame-read", path, in->pos, rows, &c, sum);
	hc_frame_reader_close(r);
	hc_in_close(in);
	return 0;
fail:
	hc_frame_reader_close(r);
	hc_in_close(in);
	return fail(&err);
}

/* ---- command line ----------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: benchread [-r N] csv FILE\n"
	      "       benchread [-r N] csv-batch FILE\n"
	      "       benchread [-r N] libcsv FILE\n"
	      "       benchread [-r N] strmap N\n"
	      "       benchread [-r N] frame-write OUT ROWS\n"
	      "       benchread [-r N] frame-read FILE\n"
	      "\n"
	      "Times one lib/ path (-r N: N times, reporting the fastest run)\n"
	      "and prints one line (two for strmap: intern, then find):\n"
	      "  job=J file=F bytes=B rows=R seconds=S MBps=M GBps=G rowsps=P "
	      "cpu=C maxrss_mb=X check=K\n"
	      "(MB and GB are 10^6 and 10^9 bytes; for strmap, rows are keys "
	      "and bytes their total length.)\n",
	      f);
}

static int bad_usage(const char *msg)
{
	fprintf(stderr, PROG ": %s\nTry 'benchread --help'.\n", msg);
	return HC_EXIT_USAGE;
}

static int parse_count(const char *s, uint64_t *v)
{
	return hc_parse_u64(s, strlen(s), UINT64_MAX, v);
}

/* Runs the job named by argv[0] once; fills res (two results for strmap)
 * and sets *nres.  0, or an exit status. */
static int run_job(int argc, char **argv, struct result *res, int *nres)
{
	const char *job = argv[0];
	uint64_t n;

	*nres = 1;
	if (!strcmp(job, "csv") || !strcmp(job, "csv-batch")) {
		if (argc != 2)
			return bad_usage("csv: needs FILE");
		return job_csv(argv[1], !strcmp(job, "csv-batch"), res);
	}
	if (!strcmp(job, "libcsv")) {
		if (argc != 2)
			return bad_usage("libcsv: needs FILE");
		return job_libcsv(argv[1], res);
	}
	if (!strcmp(job, "strmap")) {
		if (argc != 2 || parse_count(argv[1], &n) != 0)
			return bad_usage("strmap: needs N, a count of keys");
		*nres = 2;
		return job_strmap(n, res);
	}
	if (!strcmp(job, "frame-write")) {
		if (argc != 3 || parse_count(argv[2], &n) != 0)
			return bad_usage("frame-write: needs OUT and ROWS");
		return job_frame_write(argv[1], n, res);
	}
	if (!strcmp(job, "frame-read")) {
		if (argc != 2)
			return bad_usage("frame-read: needs FILE");
		return job_frame_read(argv[1], res);
	}
	return bad_usage("unknown job (csv, csv-batch, libcsv, strmap, "
			 "frame-write, frame-read)");
}

int main(int argc, char **argv)
{
	struct result best[2], res[2];
	uint64_t repeat = 1;
	int nres = 0, argi = 1;

	hc_mem_init_from_env();
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 2 && (!strcmp(argv[1], "-r") ||
			 !strcmp(argv[1], "--repeat"))) {
		if (parse_count(argv[2], &repeat) != 0 || repeat == 0 ||
		    repeat > 1000)
			return bad_usage("--repeat: needs a count from 1 to 1000");
		argi = 3;
	}
	if (argi >= argc)
		return bad_usage("missing job");
	/* Best of the runs: on a shared machine the fastest run is the one
	 * least disturbed by others. */
	for (uint64_t run = 0; run < repeat; run++) {
		int st = run_job(argc - argi, argv + argi, res, &nres);
		if (st)
			return st;
		for (int k = 0; k < nres; k++)
			if (run == 0 || res[k].seconds < best[k].seconds)
				best[k] = res[k];
	}
	for (int k = 0; k < nres; k++)
		report(&best[k], (int)repeat);
	return 0;
}
