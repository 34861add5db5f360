/* test_strmap.c - interning map: dense ids, binary keys, a million keys, growth
 *
 * profile, encode and cluster index per-category arrays by the ids this map
 * hands out, so an id given twice, skipped, or mapped to the wrong key would
 * corrupt every count.  Keys are byte strings (embedded NULs, the empty
 * key); a million keys push the table through many doublings and make full
 * 32-bit hash collisions likely (about a hundred pairs), so the key compare
 * after a hash match is exercised too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lib/strmap.h"
#include "suites.h"

START_TEST(test_basics)
{
	struct hc_strmap m;
	int added = -1;
	size_t len = 99;
	const char *k;

	hc_strmap_init(&m);
	ck_assert_uint_eq(hc_strmap_count(&m), 0);
	ck_assert_uint_eq(hc_strmap_bytes(&m), 0);
	ck_assert_int_eq(hc_strmap_find(&m, "a", 1), -1);
	ck_assert_int_eq(hc_strmap_find(&m, "", 0), -1);

	ck_assert_int_eq(hc_strmap_intern(&m, "apple", 5, &added), 0);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(hc_strmap_intern(&m, "pear", 4, &added), 1);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(hc_strmap_intern(&m, "apple", 5, &added), 0);
	ck_assert_int_eq(added, 0);
	ck_assert_int_eq(hc_strmap_intern(&m, "app", 3, NULL), 2);
	ck_assert_int_eq(hc_strmap_intern(&m, "apple pie", 5, NULL), 0);
	ck_assert_uint_eq(hc_strmap_count(&m), 3);

	ck_assert_int_eq(hc_strmap_find(&m, "pear", 4), 1);
	ck_assert_int_eq(hc_strmap_find(&m, "app", 3), 2);
	ck_assert_int_eq(hc_strmap_find(&m, "ap", 2), -1);
	ck_assert_int_eq(hc_strmap_find(&m, "apples", 6), -1);

	k = hc_strmap_key(&m, 1, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(k, "pear"); /* NUL-terminated */
	ck_assert_str_eq(hc_strmap_key(&m, 2, NULL), "app");
	ck_assert_uint_gt(hc_strmap_bytes(&m), 0);

	hc_strmap_release(&m);
	ck_assert_uint_eq(hc_strmap_count(&m), 0);
	ck_assert_int_eq(hc_strmap_find(&m, "apple", 5), -1);
	/* usable again after release */
	ck_assert_int_eq(hc_strmap_intern(&m, "pear", 4, &added), 0);
	ck_assert_int_eq(added, 1);
	hc_strmap_release(&m);
}
END_TEST

/* Keys are (ptr, len): NUL bytes inside are part of the key. */
START_TEST(test_binary_keys)
{
	static const struct {
		const char *s;
		size_t len;
	} keys[] = {
		{ "", 0 },	  { "a", 1 },	  { "a\0", 2 },	  { "a\0b", 3 },
		{ "a\0c", 3 },	  { "\0", 1 },	  { "\0\0", 2 },  { "b\0a", 3 },
		{ "\xff\xfe", 2 }, { "a\0b\0", 4 },
	};
	const size_t n = sizeof(keys) / sizeof(keys[0]);
	struct hc_strmap m;
	int added;

	hc_strmap_init(&m);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(hc_strmap_intern(&m, keys[i].s, keys[i].len, &added),
				 (int64_t)i);
		ck_assert_int_eq(added, 1);
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *k = hc_strmap_key(&m, i, &len);
		ck_assert_int_eq(hc_strmap_find(&m, keys[i].s, keys[i].len),
				 (int64_t)i);
		ck_assert_int_eq(hc_strmap_intern(&m, keys[i].s, keys[i].len, &added),
				 (int64_t)i);
		ck_assert_int_eq(added, 0);
		ck_assert_uint_eq(len, keys[i].len);
		ck_assert_mem_eq(k, keys[i].s, len);
		ck_assert_int_eq(k[len], '\0');
	}
	ck_assert_uint_eq(hc_strmap_count(&m), n);
	hc_strmap_release(&m);
}
END_TEST

#define MANY 1000000

static size_t many_key(size_t i, char *buf)
{
	/* varied lengths; the prefix makes some keys share long stems */
	return (size_t)snprintf(buf, 64, "%s%zx", i % 3 ? "k" : "category-",
				i * 2654435761u);
}

/* A million distinct keys: ids 0..n-1 in order, each key back unchanged,
 * memory growing with the map; checked without an assertion per key
 * (Check records each one). */
START_TEST(test_million)
{
	struct hc_strmap m;
	char buf[64];
	size_t prev_bytes = 0, grew = 0;
	int added;

	hc_strmap_init(&m);
	for (size_t i = 0; i < MANY; i++) {
		size_t n = many_key(i, buf);
		int64_t id = hc_strmap_intern(&m, buf, n, &added);
		if (id != (int64_t)i || added != 1)
			ck_abort_msg("key %zu '%s': id %lld, added %d", i, buf,
				     (long long)id, added);
		if (hc_strmap_bytes(&m) < prev_bytes)
			ck_abort_msg("hc_strmap_bytes shrank at key %zu", i);
		grew += hc_strmap_bytes(&m) > prev_bytes;
		prev_bytes = hc_strmap_bytes(&m);
	}
	ck_assert_uint_eq(hc_strmap_count(&m), MANY);
	/* slots, keys and arena all doubled many times */
	ck_assert_uint_ge(grew, 15);
	/* at least the 8-byte slots at <= 3/4 load and the key bytes */
	ck_assert_uint_ge(hc_strmap_bytes(&m), (size_t)MANY * 8 * 4 / 3 + (size_t)MANY * 8);
	for (size_t i = 0; i < MANY; i++) {
		size_t n = many_key(i, buf), len;
		const char *k = hc_strmap_key(&m, i, &len);
		int64_t id = hc_strmap_find(&m, buf, n);
		if (id != (int64_t)i)
			ck_abort_msg("find '%s': %lld, want %zu", buf, (long long)id, i);
		if (len != n || memcmp(k, buf, n) != 0 || k[n] != '\0')
			ck_abort_msg("key %zu reads back '%.*s', want '%s'", i,
				     (int)len, k, buf);
		id = hc_strmap_intern(&m, buf, n, &added);
		if (id != (int64_t)i || added != 0)
			ck_abort_msg("re-intern '%s': id %lld, added %d", buf,
				     (long long)id, added);
	}
	/* absent keys near the present ones */
	for (size_t i = 0; i < 1000; i++) {
		size_t n = many_key(MANY + i, buf);
		if (hc_strmap_find(&m, buf, n) != -1)
			ck_abort_msg("absent key '%s' found", buf);
	}
	ck_assert_uint_eq(hc_strmap_count(&m), MANY);
	hc_strmap_release(&m);
}
END_TEST

/* Keys interned before growth keep their ids; pointers from
 * hc_strmap_key taken after the last insertion stay valid. */
START_TEST(test_growth)
{
	struct hc_strmap m;
	char buf[32];
	size_t bytes_small;

	hc_strmap_init(&m);
	ck_assert_int_eq(hc_strmap_intern(&m, "first", 5, NULL), 0);
	bytes_small = hc_strmap_bytes(&m);
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "key-%d", i);
		ck_assert_int_eq(hc_strmap_intern(&m, buf, (size_t)n, NULL), i + 1);
		ck_assert_int_eq(hc_strmap_find(&m, "first", 5), 0);
	}
	ck_assert_uint_gt(hc_strmap_bytes(&m), bytes_small);
	ck_assert_str_eq(hc_strmap_key(&m, 0, NULL), "first");
	ck_assert_str_eq(hc_strmap_key(&m, 5000, NULL), "key-4999");
	/* a key of a few kilobytes grows the arena in one go */
	{
		char *big = malloc(100000);
		size_t len;
		memset(big, 'z', 100000);
		ck_assert_int_eq(hc_strmap_intern(&m, big, 100000, NULL), 5001);
		ck_assert_int_eq(hc_strmap_find(&m, big, 100000), 5001);
		ck_assert_int_eq(hc_strmap_find(&m, big, 99999), -1);
		ck_assert_mem_eq(hc_strmap_key(&m, 5001, &len), big, 100000);
		ck_assert_uint_eq(len, 100000);
		free(big);
	}
	ck_assert_str_eq(hc_strmap_key(&m, 1, NULL), "key-0");
	hc_strmap_release(&m);
}
END_TEST

/* hc_strmap_intern_hashed with the key's XXH3_64bits is hc_strmap_intern:
 * the same ids, whichever of the two added a key. */
START_TEST(test_intern_hashed)
{
	struct hc_strmap m;
	char buf[32];
	int added;

	hc_strmap_init(&m);
	for (int i = 0; i < 3000; i++) {
		int n = snprintf(buf, sizeof(buf), "h%d", i);
		uint64_t h = XXH3_64bits(buf, (size_t)n);
		int64_t id = i % 2 ? hc_strmap_intern(&m, buf, (size_t)n, &added)
				   : hc_strmap_intern_hashed(&m, buf, (size_t)n,
							     h, &added);
		if (id != i || added != 1)
			ck_abort_msg("'%s': id %lld, added %d", buf, (long long)id,
				     added);
	}
	for (int i = 0; i < 3000; i++) {
		int n = snprintf(buf, sizeof(buf), "h%d", i);
		uint64_t h = XXH3_64bits(buf, (size_t)n);
		if (hc_strmap_intern_hashed(&m, buf, (size_t)n, h, &added) != i ||
		    added != 0 || hc_strmap_find(&m, buf, (size_t)n) != i)
			ck_abort_msg("'%s' is not id %d", buf, i);
	}
	ck_assert_uint_eq(hc_strmap_count(&m), 3000);
	hc_strmap_release(&m);
}
END_TEST

/* After hc_strmap_reserve for N keys of B bytes, inserting exactly those
 * allocates nothing (the slot array and the arena stay where they are),
 * on an empty map and on one that already holds keys; an impossible
 * reservation fails and leaves the map usable. */
START_TEST(test_reserve)
{
	struct hc_strmap m;
	char buf[32];
	size_t bytes = 0;
	const void *slots, *arena;

	hc_strmap_init(&m);
	if (_i == 1)
		ck_assert_int_eq(hc_strmap_intern(&m, "already", 7, NULL), 0);
	for (int i = 0; i < 20000; i++)
		bytes += (size_t)snprintf(buf, sizeof(buf), "reserved-%d", i);
	ck_assert_int_eq(hc_strmap_reserve(&m, 20000, bytes), 0);
	slots = m.slots;
	arena = m.arena;
	ck_assert_uint_ge((m.mask + 1) * 3 / 4, 20000 + (size_t)_i);
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(buf, sizeof(buf), "reserved-%d", i);
		ck_assert_int_eq(hc_strmap_intern(&m, buf, (size_t)n, NULL), i + _i);
	}
	ck_assert_ptr_eq(m.slots, slots);
	ck_assert_ptr_eq(m.arena, arena);
	ck_assert_int_eq(hc_strmap_find(&m, "reserved-12345", 14), 12345 + _i);
	/* a reservation that cannot be met */
	ck_assert_int_eq(hc_strmap_reserve(&m, HC_STRMAP_MAX_KEYS, 0), -1);
	ck_assert_int_eq(hc_strmap_reserve(&m, 10, SIZE_MAX - 64), -1);
	ck_assert_int_eq(hc_strmap_intern(&m, "after", 5, NULL), 20000 + _i);
	ck_assert_int_eq(hc_strmap_find(&m, "reserved-0", 10), _i);
	hc_strmap_release(&m);
}
END_TEST

/* Key of length len in style fill: 0 letters, 1 letters then a NUL, 2 all
 * NULs ("ab" and "ab\0" pad to the same slot bytes: only the length tells
 * them apart). */
static void limit_key(char *key, size_t len, int fill)
{
	for (size_t i = 0; i < len; i++)
		key[i] = fill == 2 || (fill == 1 && i == len - 1) ? '\0'
								: (char)('a' + i % 26);
}

/* The distinct styles of a length: "" is one key, "a" and "\0" two. */
static int limit_fills(size_t len)
{
	return len == 0 ? 1 : len == 1 ? 2 : 3;
}

/* Keys of 0 to 40 bytes, around the HC_STRMAP_INLINE bytes a slot holds
 * inline, with NULs inside and at the end: each gets its own id, reads
 * back NUL-terminated, and is found again after the growth that moves
 * inline keys with their slots. */
START_TEST(test_inline_limit)
{
	struct hc_strmap m;
	char key[48], buf[32];
	int added;
	int64_t id = 0;

	ck_assert_int_lt(HC_STRMAP_INLINE, 40);
	hc_strmap_init(&m);
	for (size_t len = 0; len <= 40; len++)
		for (int fill = 0; fill < limit_fills(len); fill++) {
			limit_key(key, len, fill);
			ck_assert_int_eq(hc_strmap_intern(&m, key, len, &added), id);
			ck_assert_int_eq(added, 1);
			id++;
		}
	/* growth: the slots move (many times), keys and ids stay */
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "%d", i * 7919);
		ck_assert_int_eq(hc_strmap_intern(&m, buf, (size_t)n, NULL), id + i);
	}
	id = 0;
	for (size_t len = 0; len <= 40; len++)
		for (int fill = 0; fill < limit_fills(len); fill++) {
			size_t got_len;
			const char *s = hc_strmap_key(&m, (size_t)id, &got_len);
			limit_key(key, len, fill);
			ck_assert_uint_eq(got_len, len);
			ck_assert_mem_eq(s, key, len);
			ck_assert_int_eq(s[len], '\0');
			ck_assert_int_eq(hc_strmap_find(&m, key, len), id);
			ck_assert_int_eq(hc_strmap_intern(&m, key, len, &added), id);
			ck_assert_int_eq(added, 0);
			id++;
		}
	hc_strmap_release(&m);
}
END_TEST

/* Different keys under one caller-given hash: every probe passes the hash
 * test, and the key compare alone must tell them apart, inline and in the
 * arena.  A long key under a hash with the same low but other high 32 bits
 * is another key to the map (the high half is compared before the
 * arena's bytes); a short key is compared whole, so it stays one key. */
START_TEST(test_equal_hashes)
{
	static const char *keys[] = {
		"", "a", "b", "ab", "abcdefghijk", "abcdefghijj", "abcdefghijkl",
		"abcdefghijkm", "a much longer key than the slot holds",
		"a much longer key than the slot holdz",
	};
	const size_t n = sizeof(keys) / sizeof(keys[0]);
	const uint64_t h0 = 0x1234567887654321ull, h1 = 0x9999999987654321ull;
	struct hc_strmap m;
	size_t nlong = 0;
	int added;
	uint32_t id;

	hc_strmap_init(&m);
	for (size_t i = 0; i < n; i++) {
		uint64_t *v = hc_strmap_upsert_hashed(&m, keys[i], strlen(keys[i]),
						      h0, &added, &id);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(added, 1);
		ck_assert_uint_eq(id, i);
		*v = i + 100;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(keys[i]);
		uint64_t *v = hc_strmap_upsert_hashed(&m, keys[i], len, h0, &added, &id);
		ck_assert_int_eq(added, 0);
		ck_assert_uint_eq(id, i);
		ck_assert_uint_eq(*v, i + 100);
		ck_assert_uint_eq(*hc_strmap_valuep(&m, id), i + 100);
		ck_assert_str_eq(hc_strmap_key(&m, id, NULL), keys[i]);
		v = hc_strmap_upsert_hashed(&m, keys[i], len, h1, &added, &id);
		ck_assert_ptr_nonnull(v);
		if (len <= HC_STRMAP_INLINE) {
			ck_assert_int_eq(added, 0);
			ck_assert_uint_eq(id, i);
		} else {
			ck_assert_int_eq(added, 1);
			ck_assert_uint_eq(id, n + nlong++);
		}
	}
	ck_assert_uint_eq(hc_strmap_count(&m), n + nlong);
	ck_assert_uint_eq(nlong, 4);
	hc_strmap_release(&m);
}
END_TEST

/* Values live beside the keys: hc_strmap_valuep(id) and the pointer of
 * hc_strmap_upsert_hashed are the same value, through growth. */
START_TEST(test_values)
{
	struct hc_strmap m;
	char buf[48];
	int added;
	uint32_t id;

	hc_strmap_init(&m);
	for (int pass = 0; pass < 3; pass++)
		for (int i = 0; i < 20000; i++) {
			/* short and long keys alike */
			int n = snprintf(buf, sizeof(buf),
					 i % 2 ? "v%d" : "a-longer-value-%d", i);
			uint64_t *v = hc_strmap_upsert_hashed(&m, buf, (size_t)n,
							      XXH3_64bits(buf, (size_t)n),
							      &added, &id);
			if (!v || id != (uint32_t)i || added != (pass == 0))
				ck_abort_msg("'%s' pass %d: id %u added %d", buf,
					     pass, id, added);
			*v += (uint64_t)i;
		}
	for (size_t i = 0; i < 20000; i++)
		if (*hc_strmap_valuep(&m, i) != 3 * i)
			ck_abort_msg("value of %zu: %llu", i,
				     (unsigned long long)*hc_strmap_valuep(&m, i));
	hc_strmap_release(&m);
}
END_TEST

/* hc_strmap_short_valuep finds short keys only, as upsert does, and
 * inserts nothing; keys of one hash and of lengths up to the limit stay
 * apart ("ab" and "ab\0"). */
START_TEST(test_short_valuep)
{
	static const char *keys[] = {"", "a", "ab", "abcdefghijk", "abcdefghijkl"};
	const size_t n = sizeof(keys) / sizeof(keys[0]);
	const uint64_t h = 0x1234567887654321ull;
	struct hc_strmap m;
	int added;
	uint32_t id;

	hc_strmap_init(&m);
	ck_assert_ptr_null(hc_strmap_short_valuep(&m, "a", 1, h));
	for (size_t i = 0; i < n; i++) {
		uint64_t *v = hc_strmap_upsert_hashed(&m, keys[i], strlen(keys[i]),
						      h, &added, &id);
		ck_assert_ptr_nonnull(v);
		*v = 10 + i;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(keys[i]);
		uint64_t *v = hc_strmap_short_valuep(&m, keys[i], len, h);
		if (len > HC_STRMAP_INLINE) {
			ck_assert_ptr_null(v);
			continue;
		}
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(*v, 10 + i);
		ck_assert_ptr_eq(v, hc_strmap_valuep(&m, i));
	}
	ck_assert_ptr_null(hc_strmap_short_valuep(&m, "ab\0", 3, h));
	ck_assert_ptr_null(hc_strmap_short_valuep(&m, "b", 1, h));
	ck_assert_ptr_null(hc_strmap_short_valuep(&m, "a", 1, h ^ 1));
	ck_assert_uint_eq(hc_strmap_count(&m), n);
	hc_strmap_release(&m);
}
END_TEST

Suite *suite_strmap(void)
{
	Suite *s = suite_create("strmap");
	TCase *tc = tcase_create("strmap");

	tcase_add_test(tc, test_basics);
	tcase_add_test(tc, test_binary_keys);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_intern_hashed);
	tcase_add_loop_test(tc, test_reserve, 0, 2);
	tcase_add_test(tc, test_inline_limit);
	tcase_add_test(tc, test_equal_hashes);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_short_valuep);
	tcase_add_test(tc, test_million);
	suite_add_tcase(s, tc);
	return s;
}
