/* test_hash.c - hash schemes: each formula against xxhash directly, the
 * uniformity of mod and multiplex (chi-square), ranked and mapped tables,
 * bucket specs and column roles, counts and map files, collision figures
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "helpers.h"
#include "lib/mem.h"
#include "src/hash_plan.h"
#include "src/hash_scheme.h"
#include "src/hash_stats.h"
#include "src/hash_table.h"
#include "suites.h"

/* The documented formula, from xxhash itself: H(H(seed + p, name), v). */
static uint64_t formula(uint64_t seed, const char *name, uint32_t p,
			const char *v)
{
	uint64_t salt = XXH3_64bits_withSeed(name, strlen(name), seed + p);

	return XXH3_64bits_withSeed(v, strlen(v), salt);
}

static int hash_str(const struct hc_col_hasher *h, const char *v, uint32_t *ids)
{
	return hc_col_hash(h, v, strlen(v), ids);
}

START_TEST(test_mod_formula)
{
	struct hc_col_hasher h;
	uint32_t ids[HC_HASH_PROBES_MAX];
	char v[32];

	hc_col_hasher_init(&h, HC_SCHEME_MOD, "user_id", 42, 1000003, 1);
	ck_assert_uint_eq(h.space, 1000003);
	ck_assert_uint_eq(h.arity, 1);
	for (int i = 0; i < 1000; i++) {
		snprintf(v, sizeof(v), "u%d", i);
		ck_assert_int_eq(hash_str(&h, v, ids), 1);
		ck_assert_uint_eq(ids[0], formula(42, "user_id", 0, v) % 1000003);
	}
	/* The empty value is a value like any other. */
	ck_assert_int_eq(hash_str(&h, "", ids), 1);
	ck_assert_uint_eq(ids[0], formula(42, "user_id", 0, "") % 1000003);
	hc_col_hasher_release(&h);
}
END_TEST

/* Another seed or another column name gives other ids. */
START_TEST(test_salts_differ)
{
	struct hc_col_hasher a, b, c;
	uint32_t x[HC_HASH_PROBES_MAX], y[HC_HASH_PROBES_MAX], z[HC_HASH_PROBES_MAX];
	int same_seed = 0, same_col = 0;
	char v[32];

	hc_col_hasher_init(&a, HC_SCHEME_MOD, "a", 1, 1u << 30, 1);
	hc_col_hasher_init(&b, HC_SCHEME_MOD, "a", 2, 1u << 30, 1);
	hc_col_hasher_init(&c, HC_SCHEME_MOD, "b", 1, 1u << 30, 1);
	for (int i = 0; i < 1000; i++) {
		snprintf(v, sizeof(v), "%d", i);
		hash_str(&a, v, x);
		hash_str(&b, v, y);
		hash_str(&c, v, z);
		same_seed += x[0] == y[0];
		same_col += x[0] == z[0];
	}
	ck_assert_int_le(same_seed, 1);
	ck_assert_int_le(same_col, 1);
	hc_col_hasher_release(&a);
	hc_col_hasher_release(&b);
	hc_col_hasher_release(&c);
}
END_TEST

/* Pearson's chi-square of n distinct values over m buckets, probe p. */
static double chi_square(const struct hc_col_hasher *h, int n, uint32_t m,
			 uint32_t p)
{
	uint32_t *count = calloc(m, sizeof(*count));
	uint32_t ids[HC_HASH_PROBES_MAX];
	double e = (double)n / m, chi = 0;
	char v[32];

	ck_assert_ptr_nonnull(count);
	for (int i = 0; i < n; i++) {
		snprintf(v, sizeof(v), "id%07d", i);
		hash_str(h, v, ids);
		count[ids[p]]++;
	}
	for (uint32_t b = 0; b < m; b++)
		chi += (count[b] - e) * (count[b] - e) / e;
	free(count);
	return chi;
}

/* 199 degrees of freedom: P(chi2 > 276.1) = 0.0002.  The inputs are fixed,
 * so the test is deterministic; a biased formula fails it by far. */
#define CHI2_199_CRIT 276.1

START_TEST(test_mod_uniform)
{
	struct hc_col_hasher h;
	double chi;

	hc_col_hasher_init(&h, HC_SCHEME_MOD, "item_id", 7, 200, 1);
	chi = chi_square(&h, 200000, 200, 0);
	ck_assert_msg(chi < CHI2_199_CRIT, "chi-square %g", chi);
	hc_col_hasher_release(&h);
}
END_TEST

START_TEST(test_multiplex_uniform_and_formula)
{
	struct hc_col_hasher h, g;
	uint32_t ids[HC_HASH_PROBES_MAX], other[HC_HASH_PROBES_MAX];
	int same = 0;

	hc_col_hasher_init(&h, HC_SCHEME_MULTIPLEX, "site", 3, 200, 4);
	hc_col_hasher_init(&g, HC_SCHEME_MULTIPLEX, "app", 3, 200, 4);
	ck_assert_uint_eq(h.arity, 4);
	ck_assert_int_eq(hash_str(&h, "x", ids), 4);
	for (uint32_t p = 0; p < 4; p++) {
		double chi = chi_square(&h, 200000, 200, p);
		ck_assert_msg(chi < CHI2_199_CRIT, "probe %u: chi-square %g", p, chi);
		ck_assert_uint_eq(ids[p], formula(3, "site", p, "x") % 200);
	}
	/* Each column has its own salts in the shared range. */
	for (int i = 0; i < 1000; i++) {
		char v[16];
		snprintf(v, sizeof(v), "%d", i);
		hash_str(&h, v, ids);
		hash_str(&g, v, other);
		same += ids[0] == other[0];
	}
	ck_assert_int_lt(same, 20); /* about 1000/200 = 5 by chance */
	hc_col_hasher_release(&h);
	hc_col_hasher_release(&g);
}
END_TEST

START_TEST(test_double_formula)
{
	struct hc_col_hasher h;
	uint32_t ids[HC_HASH_PROBES_MAX];

	hc_col_hasher_init(&h, HC_SCHEME_DOUBLE, "u", 0, 5000, 1);
	ck_assert_uint_eq(h.arity, 2);
	ck_assert_int_eq(hash_str(&h, "abc", ids), 2);
	ck_assert_uint_eq(ids[0], formula(0, "u", 0, "abc") % 5000);
	ck_assert_uint_eq(ids[1], formula(0, "u", 1, "abc") % 5000);
	hc_col_hasher_release(&h);
}
END_TEST

/* counts: a:5 b:5 c:3 d:1 e:1 f:1 (a before b by bytes at equal counts). */
static void fill_counts(struct hc_strmap *m)
{
	static const char *const v[] = { "f", "e", "d", "c", "b", "a" };
	static const uint64_t n[] = { 1, 1, 1, 3, 5, 5 };

	hc_strmap_init(m);
	for (int i = 0; i < 6; i++) {
		int added;
		uint64_t *p = hc_strmap_upsert_hashed(m, v[i], 1, XXH3_64bits(v[i], 1),
						      &added, NULL);
		ck_assert_ptr_nonnull(p);
		*p = n[i];
	}
}

START_TEST(test_frequency)
{
	struct hc_col_hasher h;
	struct hc_strmap counts;
	struct hc_err err = { 0 };
	uint32_t ids[HC_HASH_PROBES_MAX];

	fill_counts(&counts);
	hc_col_hasher_init(&h, HC_SCHEME_FREQUENCY, "c", 9, 10, 1);
	/* floor(0.3 * 10) = 3 frequent values: a, b, c. */
	ck_assert_int_eq(hc_col_hasher_rank(&h, &counts, 0.3, 1, &err), 0);
	ck_assert_uint_eq(h.ntable, 3);
	ck_assert_uint_eq(h.space, 10);
	hash_str(&h, "a", ids);
	ck_assert_uint_eq(ids[0], 0);
	hash_str(&h, "b", ids);
	ck_assert_uint_eq(ids[0], 1);
	hash_str(&h, "c", ids);
	ck_assert_uint_eq(ids[0], 2);
	ck_assert_int_eq(hash_str(&h, "d", ids), 1);
	ck_assert_uint_eq(ids[0], 3 + formula(9, "c", 0, "d") % 7);
	ck_assert_int_eq(hash_str(&h, "never seen", ids), 1);
	ck_assert_uint_eq(ids[0], 3 + formula(9, "c", 0, "never seen") % 7);
	/* A cutoff past the distinct count keeps them all; one bucket is
	 * always left for hashing. */
	ck_assert_int_eq(hc_col_hasher_rank(&h, &counts, 1.0, 1, &err), 0);
	ck_assert_uint_eq(h.ntable, 6);
	hc_col_hasher_release(&h);
	hc_col_hasher_init(&h, HC_SCHEME_FREQUENCY, "c", 9, 4, 1);
	ck_assert_int_eq(hc_col_hasher_rank(&h, &counts, 1.0, 1, &err), 0);
	ck_assert_uint_eq(h.ntable, 3);
	hash_str(&h, "zzz", ids);
	ck_assert_uint_eq(ids[0], 3);
	hc_col_hasher_release(&h);
	hc_strmap_release(&counts);
}
END_TEST

START_TEST(test_double_frequency)
{
	struct hc_col_hasher h;
	struct hc_strmap counts;
	struct hc_err err = { 0 };
	uint32_t ids[HC_HASH_PROBES_MAX];

	fill_counts(&counts);
	hc_col_hasher_init(&h, HC_SCHEME_DOUBLE_FREQUENCY, "c", 0, 100, 1);
	ck_assert_uint_eq(h.arity, 0); /* variable: one id or two */
	ck_assert_int_eq(hc_col_hasher_rank(&h, &counts, 0.02, 1, &err), 0);
	ck_assert_uint_eq(h.ntable, 2);
	ck_assert_int_eq(hash_str(&h, "b", ids), 1);
	ck_assert_uint_eq(ids[0], 1);
	ck_assert_int_eq(hash_str(&h, "c", ids), 2);
	ck_assert_uint_eq(ids[0], 2 + formula(0, "c", 0, "c") % 98);
	ck_assert_uint_eq(ids[1], 2 + formula(0, "c", 1, "c") % 98);
	hc_col_hasher_release(&h);
	hc_strmap_release(&counts);
}
END_TEST

START_TEST(test_vocab)
{
	struct hc_col_hasher h;
	struct hc_strmap counts;
	struct hc_err err = { 0 };
	uint32_t ids[HC_HASH_PROBES_MAX];

	fill_counts(&counts);
	hc_col_hasher_init(&h, HC_SCHEME_VOCAB, "c", 0, 1, 1);
	ck_assert_int_eq(hc_col_hasher_rank(&h, &counts, 0.5, 2, &err), 0);
	ck_assert_uint_eq(h.ntable, 3); /* a, b, c: count >= 2 */
	ck_assert_uint_eq(h.space, 4);  /* and the out-of-vocabulary id */
	hash_str(&h, "c", ids);
	ck_assert_uint_eq(ids[0], 2);
	hash_str(&h, "d", ids);
	ck_assert_uint_eq(ids[0], 3);
	hash_str(&h, "unseen", ids);
	ck_assert_uint_eq(ids[0], 3);
	ck_assert_int_eq(hc_col_hasher_rank(&h, &counts, 0.5, 1, &err), 0);
	ck_assert_uint_eq(h.space, 7);
	hash_str(&h, "f", ids);
	ck_assert_uint_eq(ids[0], 5);
	hc_col_hasher_release(&h);
	hc_strmap_release(&counts);
}
END_TEST

static void map_put(struct hc_strmap *m, const char *v, uint64_t cluster)
{
	int added;
	uint64_t *p = hc_strmap_upsert_hashed(m, v, strlen(v),
					      XXH3_64bits(v, strlen(v)), &added, NULL);

	ck_assert_ptr_nonnull(p);
	*p = cluster;
}

START_TEST(test_graph)
{
	struct hc_col_hasher h;
	struct hc_strmap map;
	uint32_t ids[HC_HASH_PROBES_MAX];
	int in_overflow[3] = { 0, 0, 0 };

	for (int dbl = 0; dbl < 2; dbl++) {
		hc_strmap_init(&map);
		map_put(&map, "u1", 0);
		map_put(&map, "u2", 4);
		map_put(&map, "u3", 4);
		hc_col_hasher_init(&h, dbl ? HC_SCHEME_DOUBLE_GRAPH : HC_SCHEME_GRAPH,
				   "user", 5, 1, 1);
		hc_col_hasher_map(&h, &map, 5, 3);
		ck_assert_uint_eq(hc_strmap_count(&map), 0); /* moved */
		ck_assert_uint_eq(h.space, 8);
		ck_assert_int_eq(hash_str(&h, "u2", ids), dbl ? 2 : 1);
		ck_assert_uint_eq(ids[0], 4);
		if (dbl)
			ck_assert_uint_eq(ids[1], formula(5, "user", 1, "u2") % 8);
		hash_str(&h, "u3", ids);
		ck_assert_uint_eq(ids[0], 4);
		hash_str(&h, "missing", ids);
		ck_assert_uint_eq(ids[0], 5 + formula(5, "user", 0, "missing") % 3);
		for (int i = 0; i < 300 && !dbl; i++) {
			char v[16];
			snprintf(v, sizeof(v), "x%d", i);
			hash_str(&h, v, ids);
			ck_assert(ids[0] >= 5 && ids[0] < 8);
			in_overflow[ids[0] - 5]++;
		}
		hc_col_hasher_release(&h);
		hc_strmap_release(&map);
	}
	/* Missing values spread over the whole overflow range. */
	for (int i = 0; i < 3; i++)
		ck_assert_int_gt(in_overflow[i], 50);
}
END_TEST

START_TEST(test_modulo)
{
	struct hc_col_hasher h;
	uint32_t ids[HC_HASH_PROBES_MAX];
	static const char *const bad[] = { "", "-1", "x", "1.5", " 3",
					   "18446744073709551616" };

	hc_col_hasher_init(&h, HC_SCHEME_MODULO, "id", 0, 10, 1);
	ck_assert_int_eq(hash_str(&h, "12", ids), 1);
	ck_assert_uint_eq(ids[0], 2);
	ck_assert_int_eq(hash_str(&h, "18446744073709551615", ids), 1);
	ck_assert_uint_eq(ids[0], 5);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(hash_str(&h, bad[i], ids) == -1, "'%s'", bad[i]);
	hc_col_hasher_release(&h);
}
END_TEST

START_TEST(test_scheme_names)
{
	enum hc_scheme s;
	struct hc_err err = { 0 };

	for (int i = HC_SCHEME_MOD; i <= HC_SCHEME_MODULO; i++) {
		ck_assert_int_eq(hc_scheme_parse(hc_scheme_name((enum hc_scheme)i), &s, &err), 0);
		ck_assert_int_eq(s, i);
	}
	ck_assert_int_eq(hc_scheme_parse("lsh", &s, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg, "unknown scheme 'lsh' (mod, multiplex, double, frequency, double-frequency, graph, double-graph, vocab, modulo)");
}
END_TEST

/* ---- bucket specs and column roles ------------------------------------ */

static const char *const hnames[] = { "user", "item", "site" };

static void buckets_bad(const char *spec, const char *msg)
{
	uint64_t m[3];
	struct hc_err err = { 0 };

	ck_assert_msg(hc_buckets_parse(spec, hnames, 3, m, &err) == -1, "%s", spec);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg, msg);
}

START_TEST(test_buckets_spec)
{
	uint64_t m[3];
	struct hc_err err = { 0 };

	ck_assert_int_eq(hc_buckets_parse("100", hnames, 3, m, &err), 0);
	ck_assert(m[0] == 100 && m[1] == 100 && m[2] == 100);
	ck_assert_int_eq(hc_buckets_parse("item=7,50,user=4294967296", hnames, 3, m, &err), 0);
	ck_assert(m[0] == 4294967296ull && m[1] == 7 && m[2] == 50);
	buckets_bad("0", "--buckets: '0' is not a bucket count from 1 to 4294967296");
	buckets_bad("4294967297", "--buckets: '4294967297' is not a bucket count from 1 to 4294967296");
	buckets_bad("user=x", "--buckets: 'x' is not a bucket count from 1 to 4294967296");
	buckets_bad("user=5,item=5", "--buckets gives no count for column 'site'");
	buckets_bad("10,price=5", "--buckets names 'price', which is not a hashed column");
	buckets_bad("10,user=5,user=6", "--buckets names 'user' twice");
	buckets_bad("10,20", "--buckets gives two counts for all columns");
	buckets_bad("", "--buckets gives no count for column 'user'");
}
END_TEST

static const char *const cnames[] = { "click", "user", "item", "price", "w" };

static void plan_bad(const char *sel, const char *label, const char *num,
		     const char *msg)
{
	struct hc_hash_cols c;
	struct hc_err err = { 0 };

	ck_assert_int_eq(hc_hash_cols_plan(&c, cnames, 5, sel, label, NULL, num, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_USAGE);
	ck_assert_str_eq(err.msg, msg);
}

START_TEST(test_column_roles)
{
	struct hc_hash_cols c;
	struct hc_err err = { 0 };

	/* By default every column without another role is hashed. */
	ck_assert_int_eq(hc_hash_cols_plan(&c, cnames, 5, NULL, "click", "w", "price", &err), 0);
	ck_assert_int_eq(c.label, 0);
	ck_assert_int_eq(c.weight, 4);
	ck_assert_uint_eq(c.hashed.n, 2);
	ck_assert_uint_eq(c.hashed.idx[0], 1);
	ck_assert_uint_eq(c.hashed.idx[1], 2);
	ck_assert_uint_eq(c.num.n, 1);
	hc_hash_cols_release(&c);
	plan_bad("user,click", "click", NULL, "column 'click' is the --label column; it cannot also be hashed");
	plan_bad("user,user", NULL, NULL, "column 'user' is selected twice");
	plan_bad("user", "click", "click", "column 'click' is the --label column; it cannot also be a --num column");
	plan_bad(NULL, NULL, "1-5", "no columns to hash");
}
END_TEST

/* ---- counts and map files --------------------------------------------- */

static struct hc_csv_reader *reader_of(const char *text, char **path)
{
	struct hc_csv_opts o = { ',', 0 };
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;

	*path = th_tmp_str(text);
	r = hc_csv_open(*path, &o, &err);
	ck_assert_msg(r != NULL, "%s", err.msg);
	return r;
}

START_TEST(test_counts_round_trip)
{
	static const char *const names[] = { "user", "item" };
	struct hc_counts c, back;
	struct hc_err err = { 0 };
	struct hc_csv_reader *r;
	struct hc_out *out;
	struct hc_csv_writer w;
	char *path, *dir = th_tmp_dir(), *opath = th_path_join(dir, "c.csv"), *text;
	size_t len;

	r = reader_of("user,item,x\nb,1,\na,1,\nb,\"2,3\",\nb,1,\n", &path);
	ck_assert_int_eq(hc_counts_init(&c, 2, &err), 0);
	{
		const struct hc_csv_batch *b;
		size_t cols[2] = { 0, 1 };
		ck_assert_int_eq(hc_csv_next_batch(r, &b, &err), 1);
		ck_assert_int_eq(hc_counts_add_batch(&c, b, cols, &err), 0);
	}
	hc_csv_close(r);
	unlink(path);
	free(path);
	out = hc_out_open(opath, &err);
	ck_assert_ptr_nonnull(out);
	hc_csv_writer_init(&w, out, ',');
	ck_assert_int_eq(hc_counts_write(&c, names, &w, &err), 0);
	ck_assert_int_eq(hc_out_close(out, &err), 0);
	text = th_read_file(opath, &len);
	ck_assert_str_eq(text, "column,value,count\nuser,b,3\nuser,a,1\nitem,1,3\nitem,\"2,3\",1\n");
	/* Read back, with a second copy of the rows: counts add up. */
	r = reader_of("column,value,count\nuser,b,3\nuser,a,1\nitem,1,3\nitem,\"2,3\",1\nother,z,9\nuser,a,1\n", &path);
	ck_assert_int_eq(hc_counts_init(&back, 2, &err), 0);
	ck_assert_int_eq(hc_counts_read(&back, r, names, &err), 0);
	ck_assert_uint_eq(hc_strmap_count(&back.maps[0]), 2);
	ck_assert_uint_eq(*hc_strmap_valuep(&back.maps[0],
					    (size_t)hc_strmap_find(&back.maps[0], "a", 1)), 2);
	ck_assert_uint_eq(*hc_strmap_valuep(&back.maps[1],
					    (size_t)hc_strmap_find(&back.maps[1], "2,3", 3)), 1);
	hc_csv_close(r);
	unlink(path);
	free(path);
	hc_counts_release(&back);
	hc_counts_release(&c);
	free(text);
	unlink(opath);
	th_rm_dir(dir);
	free(opath);
	free(dir);
}
END_TEST

static void counts_bad(const char *text, const char *msg_after_path)
{
	static const char *const names[] = { "user" };
	struct hc_counts c;
	struct hc_err err = { 0 };
	char *path, want[512];
	struct hc_csv_reader *r = reader_of(text, &path);

	ck_assert_int_eq(hc_counts_init(&c, 1, &err), 0);
	ck_assert_int_eq(hc_counts_read(&c, r, names, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	snprintf(want, sizeof(want), "%s%s", path, msg_after_path);
	ck_assert_str_eq(err.msg, want);
	hc_counts_release(&c);
	hc_csv_close(r);
	unlink(path);
	free(path);
}

START_TEST(test_counts_bad)
{
	counts_bad("column,value\nuser,a\n",
		   ": not a counts file: its header must be column,value,count (no column 'count')");
	counts_bad("column,value,count\nuser,a,0\n",
		   ":2: column 'count' (3): '0' is not a count (1 or more)");
	counts_bad("column,value,count\nuser,a,-3\n",
		   ":2: column 'count' (3): '-3' is not a count (1 or more)");
	counts_bad("column,value,count\nuser,a,x\n",
		   ":2: column 'count' (3): 'x' is not a count (1 or more)");
}
END_TEST

static void map_bad(const char *text, const char *msg_after_path)
{
	static const char *const names[] = { "user", "item" };
	struct hc_strmap cl[2];
	uint64_t k[2];
	struct hc_err err = { 0 };
	char *path, want[512];
	struct hc_csv_reader *r = reader_of(text, &path);

	ck_assert_int_eq(hc_map_read(r, names, 2, cl, k, &err), -1);
	ck_assert_int_eq(err.kind, HC_ERR_DATA);
	snprintf(want, sizeof(want), "%s%s", path, msg_after_path);
	ck_assert_str_eq(err.msg, want);
	hc_csv_close(r);
	unlink(path);
	free(path);
}

START_TEST(test_map_read)
{
	static const char *const names[] = { "user", "item" };
	struct hc_strmap cl[2];
	uint64_t k[2];
	struct hc_err err = { 0 };
	char *path;
	struct hc_csv_reader *r = reader_of(
		"column,value,cluster\nuser,u1,0\nuser,u2,2\nitem,i1,0\nother,x,7\n", &path);

	ck_assert_int_eq(hc_map_read(r, names, 2, cl, k, &err), 0);
	ck_assert_uint_eq(k[0], 3);
	ck_assert_uint_eq(k[1], 1);
	ck_assert_uint_eq(hc_strmap_count(&cl[0]), 2);
	ck_assert_uint_eq(*hc_strmap_valuep(&cl[0], (size_t)hc_strmap_find(&cl[0], "u2", 2)), 2);
	hc_strmap_release(&cl[0]);
	hc_strmap_release(&cl[1]);
	hc_csv_close(r);
	unlink(path);
	free(path);
	map_bad("column,value,cluster\nuser,u1,0\nitem,i1,x\n",
		":3: column 'cluster' (3): 'x' is not a cluster id (0 to 2^32-2)");
	map_bad("column,value,cluster\nuser,u1,0\nuser,u1,1\n",
		":3: column 'value' (2): value 'u1' of column 'user' is in the map twice");
	map_bad("column,value,cluster\nuser,u1,0\nuid,i1,0\n",
		": the map has no values of column 'item' (it has user, uid): was it made for other columns?");
	map_bad("column,value,count\nuser,u1,0\n",
		": not a map file: its header must be column,value,cluster (no column 'cluster')");
}
END_TEST

/* ---- collision figures ------------------------------------------------ */

START_TEST(test_uniform_formulas)
{
	/* One value never shares; two values in two buckets share with
	 * probability 1/2, and use 1.5 buckets on average. */
	ck_assert(hc_uniform_shared(1, 10) == 0);
	ck_assert(fabs(hc_uniform_shared(2, 2) - 0.5) < 1e-12);
	ck_assert(fabs(hc_uniform_used(2, 2) - 1.5) < 1e-12);
	ck_assert(fabs(hc_uniform_used(1, 1) - 1) < 1e-12);
	ck_assert(hc_uniform_used(0, 5) == 0);
	/* n = m = 1e6: used is about m(1 - 1/e). */
	ck_assert(fabs(hc_uniform_used(1e6, 1e6) / 1e6 - (1 - exp(-1))) < 1e-6);
}
END_TEST

START_TEST(test_stats_counts)
{
	struct hc_col_hasher h;
	struct hc_hash_stats s;
	struct hc_err err = { 0 };
	static const uint32_t ids_a[] = { 0 }, ids_b[] = { 0 }, ids_c[] = { 1 };
	cJSON *o;

	hc_col_hasher_init(&h, HC_SCHEME_MOD, "x", 0, 4, 1);
	hc_hash_stats_init(&s, 1);
	/* a twice and b once share bucket 0; c alone in 1. */
	ck_assert_int_eq(hc_hash_stats_add(&s, &h, "a", 1, ids_a, 1, &err), 0);
	ck_assert_int_eq(hc_hash_stats_add(&s, &h, "a", 1, ids_a, 1, &err), 0);
	ck_assert_int_eq(hc_hash_stats_add(&s, &h, "b", 1, ids_b, 1, &err), 0);
	ck_assert_int_eq(hc_hash_stats_add(&s, &h, "c", 1, ids_c, 1, &err), 0);
	o = hc_hash_stats_json(&s, &h, "x");
	ck_assert_ptr_nonnull(o);
	ck_assert(cJSON_GetObjectItem(o, "rows")->valuedouble == 4);
	ck_assert(cJSON_GetObjectItem(o, "distinct")->valuedouble == 3);
	ck_assert(cJSON_GetObjectItem(o, "buckets_used")->valuedouble == 2);
	ck_assert(fabs(cJSON_GetObjectItem(o, "shared_values")->valuedouble - 2.0 / 3) < 1e-12);
	ck_assert(fabs(cJSON_GetObjectItem(o, "shared_rows")->valuedouble - 0.75) < 1e-12);
	ck_assert(fabs(cJSON_GetObjectItem(o, "uniform_shared_values")->valuedouble -
		       (1 - 0.75 * 0.75)) < 1e-12);
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "in_map_values"));
	cJSON_Delete(o);
	hc_hash_stats_release(&s);
	hc_col_hasher_release(&h);
}
END_TEST

/* Double ids collide only when both match. */
START_TEST(test_stats_pairs)
{
	struct hc_col_hasher h;
	struct hc_hash_stats s;
	struct hc_err err = { 0 };
	static const uint32_t a[] = { 1, 2 }, b[] = { 1, 3 }, c[] = { 1, 2 };
	cJSON *o;

	hc_col_hasher_init(&h, HC_SCHEME_DOUBLE, "x", 0, 4, 1);
	hc_hash_stats_init(&s, 2);
	ck_assert_int_eq(hc_hash_stats_add(&s, &h, "a", 1, a, 2, &err), 0);
	ck_assert_int_eq(hc_hash_stats_add(&s, &h, "b", 1, b, 2, &err), 0);
	ck_assert_int_eq(hc_hash_stats_add(&s, &h, "c", 1, c, 2, &err), 0);
	o = hc_hash_stats_json(&s, &h, "x");
	ck_assert_ptr_nonnull(o);
	ck_assert(cJSON_GetObjectItem(o, "buckets_used")->valuedouble == 3);
	ck_assert(fabs(cJSON_GetObjectItem(o, "shared_values")->valuedouble - 2.0 / 3) < 1e-12);
	cJSON_Delete(o);
	hc_hash_stats_release(&s);
	hc_col_hasher_release(&h);
}
END_TEST

Suite *suite_hash(void)
{
	Suite *s = suite_create("hash");
	TCase *f = tcase_create("formulas");
	TCase *p = tcase_create("plan");
	TCase *t = tcase_create("tables");
	TCase *st = tcase_create("stats");

	tcase_add_test(f, test_mod_formula);
	tcase_add_test(f, test_salts_differ);
	tcase_add_test(f, test_mod_uniform);
	tcase_add_test(f, test_multiplex_uniform_and_formula);
	tcase_add_test(f, test_double_formula);
	tcase_add_test(f, test_frequency);
	tcase_add_test(f, test_double_frequency);
	tcase_add_test(f, test_vocab);
	tcase_add_test(f, test_graph);
	tcase_add_test(f, test_modulo);
	tcase_add_test(f, test_scheme_names);
	tcase_add_test(p, test_buckets_spec);
	tcase_add_test(p, test_column_roles);
	tcase_add_test(t, test_counts_round_trip);
	tcase_add_test(t, test_counts_bad);
	tcase_add_test(t, test_map_read);
	tcase_add_test(st, test_uniform_formulas);
	tcase_add_test(st, test_stats_counts);
	tcase_add_test(st, test_stats_pairs);
	suite_add_tcase(s, f);
	suite_add_tcase(s, p);
	suite_add_tcase(s, t);
	suite_add_tcase(s, st);
	return s;
}
