/* strmap.h - string-keyed hash map that interns keys to dense ids
 *
 * The core of profile, encode and cluster: each distinct key gets the next
 * id (0, 1, 2, ...) and callers keep their per-key values in plain arrays
 * indexed by id, which is faster and smaller than a value slot per entry.
 *
 * Open addressing with linear probing over 32-byte slots, two to a cache
 * line (the array is 64-byte aligned), each holding the low 32 bits of
 * the key's XXH3 hash (which also pick the slot), the key's length, the
 * caller's 64-bit value (a count, say), the id and then either the key
 * itself, NUL-padded, when it has at most HC_STRMAP_INLINE (11) bytes, or
 * the high 32 bits of the hash and the key's offset in the arena, which
 * holds long keys only, each followed by a NUL.  A hit on a short key
 * (the ids, codes and numbers that fill categorical columns) thus reads
 * one slot and nothing else: one cache miss, and the compare is two loads
 * against the padded probe key, with no memcmp call.  A long key is read
 * from the arena only when all 64 bits of its hash match, so it is read
 * once per hit and practically never in vain.  Per id, an array gives the
 * slot (rewritten when the table grows), for hc_strmap_key and
 * hc_strmap_valuep; a short key's pointer is into its slot (the padding
 * NUL-terminates it).  The table doubles at 3/4 load, moving slots only
 * (no key is hashed twice).  Slot arrays of 2 MiB or more are 2 MiB
 * aligned and advised to transparent huge pages: random probes over tens
 * of megabytes otherwise miss the TLB as well as the cache.  There is no
 * deletion: no user needs it, and it keeps ids dense.
 *
 * The layout before was 16-byte slots (hash, length, arena offset) and
 * every key in the arena behind a 16-byte head with its id and value: two
 * cache misses per hit, slot then entry, and the entry's line was needed
 * for the compare.  Memory per key is about the same for short keys (a
 * million keys of 8 bytes: 74 MB against 72), 16 bytes more per slot for
 * long ones.  Measured, CPU seconds, best of 3, old against new
 * interleaved on a 2-core machine shared with other work (load 7 to 14):
 * profile --json of the 10M-row mixed file (exact, 2 threads) 11.0 ->
 * 8.1; encode fit-apply, 5-fold target encoding of the 7 columns of the
 * 1M-row ctr file to hcb, 1.59 -> 1.35; 10M lookups of 8-byte keys
 * (Zipf-like over 1M, 813k distinct) with the callers' prefetch pipeline:
 * upsert 1.9 -> 1.0, find 1.0 -> 0.7 (the new layout without the huge
 * page advice: upsert 0.9 to 1.25 against 0.5 to 0.7 with it, noisy);
 * 16-byte keys: upsert 2.0 -> 1.4, find about equal.
 *
 * For loops over many keys, hc_strmap_prefetch lets a caller start the
 * slot's cache miss for a key some iterations before looking it up, and
 * hc_strmap_prefetch_entry, later, the arena bytes of a long key.
 *
 * Limits: at most HC_STRMAP_MAX_KEYS keys (3 * 2^30: ids and slot
 * indexes are 32-bit); keys of at most 4 GiB - 1.
 * Ownership: the map owns its keys; hc_strmap_key and hc_strmap_valuep
 * pointers stay valid until the next insertion or reservation (slots and
 * arena may move) or hc_strmap_release.
 */
#ifndef HC_STRMAP_H
#define HC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/* Ids are 32-bit, and so are slot indexes: at 3/4 load, 2^32 slots. */
#define HC_STRMAP_MAX_KEYS ((size_t)3 << 30)
#define HC_STRMAP_INLINE 11 /* longest key kept in its slot */

struct hc_strmap_slot {
	uint32_t hash;  /* low 32 bits of XXH3_64bits(key) */
	uint32_t len1;  /* key length + 1; 0 = empty slot */
	uint64_t value; /* the caller's */
	uint32_t id;
	/* Short key (length <= HC_STRMAP_INLINE): its bytes, NUL-padded.
	 * Long key: bytes 0-3 the high 32 bits of the hash, 4-11 the key's
	 * offset in the arena. */
	unsigned char rest[12];
};

struct hc_strmap {
	struct hc_strmap_slot *slots; /* 64-byte aligned inside slots_mem */
	void *slots_mem;
	size_t slots_bytes; /* allocated at slots_mem */
	size_t mask;       /* slots - 1; slots is a power of two */
	size_t count;      /* keys, also the next id */
	char *arena;       /* long keys, each followed by a NUL */
	size_t arena_len, arena_cap;
	uint32_t *slot_of; /* per id: the index of its slot */
	size_t keys_cap;
};

/* Empty map; no allocation until the first insertion. */
void hc_strmap_init(struct hc_strmap *m);
void hc_strmap_release(struct hc_strmap *m);

/* Makes room for keys more keys of key_bytes bytes in all, so that
 * inserting them allocates nothing: a map loaded from a file of known size
 * then grows once, not two dozen times (each a copy of everything).
 * Returns 0, or -1 when memory runs out (the map stays as it was, if
 * perhaps with more room). */
int hc_strmap_reserve(struct hc_strmap *m, size_t keys, size_t key_bytes);

/* Id of key, adding it if absent (then *added = 1).  -1 when out of memory
 * or full; the map is unchanged then. */
int64_t hc_strmap_intern(struct hc_strmap *m, const char *key, size_t len,
			 int *added);
/* As hc_strmap_intern, for a caller that already has the key's XXH3_64bits
 * hash (seed 0) and uses it elsewhere too: each value is hashed once. */
int64_t hc_strmap_intern_hashed(struct hc_strmap *m, const char *key,
				size_t len, uint64_t hash, int *added);
/* The value of key, added with value 0 if absent (then *added = 1); *id
 * (if not NULL) gets its id.  The pointer is valid until the next
 * insertion.  NULL when out of memory or full. */
uint64_t *hc_strmap_upsert_hashed(struct hc_strmap *m, const char *key,
				  size_t len, uint64_t hash, int *added,
				  uint32_t *id);
/* Id of key, or -1 if absent. */
int64_t hc_strmap_find(const struct hc_strmap *m, const char *key,
		       size_t len);

/* Starts loading the slot a key of this hash would probe first. */
static inline void hc_strmap_prefetch(const struct hc_strmap *m,
				      uint64_t hash)
{
	if (m->slots)
		__builtin_prefetch(&m->slots[(uint32_t)hash & m->mask]);
}

/* Second stage, some iterations after the first: if the first slot for
 * the hash (loaded by now) holds a long key of that hash, starts loading
 * its bytes in the arena, so that the key compare does not wait for them
 * either.  Short keys are compared in the slot: nothing to do. */
static inline void hc_strmap_prefetch_entry(const struct hc_strmap *m,
					    uint64_t hash)
{
	const struct hc_strmap_slot *s;
	uint64_t off;

	if (!m->slots)
		return;
	s = &m->slots[(uint32_t)hash & m->mask];
	if (s->len1 > HC_STRMAP_INLINE + 1 && s->hash == (uint32_t)hash) {
		__builtin_memcpy(&off, s->rest + 4, 8);
		__builtin_prefetch(m->arena + off);
	}
}

/* The value of a short key (at most HC_STRMAP_INLINE bytes) of that
 * XXH3_64bits hash if it is in the map, else NULL (and NULL for every
 * long key): the lookup that a counting loop does per row, inlined into
 * it; a miss then goes to hc_strmap_upsert_hashed.  Does not insert. */
static inline uint64_t *hc_strmap_short_valuep(const struct hc_strmap *m,
					       const char *key, size_t len,
					       uint64_t hash)
{
	unsigned char pad[12] = {0};
	uint32_t h = (uint32_t)hash, len1 = (uint32_t)len + 1;

	if (!m->slots || len > HC_STRMAP_INLINE)
		return NULL;
	__builtin_memcpy(pad, key, len);
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		struct hc_strmap_slot *s = &m->slots[i];
		if (s->len1 == 0)
			return NULL;
		if (s->hash == h && s->len1 == len1 &&
		    __builtin_memcmp(s->rest, pad, 12) == 0)
			return &s->value;
	}
}

static inline size_t hc_strmap_count(const struct hc_strmap *m)
{
	return m->count;
}

/* The key held by a full slot: in the slot, or in the arena. */
static inline const char *hc_strmap_slot_key(const struct hc_strmap *m,
					     const struct hc_strmap_slot *s,
					     size_t *len)
{
	uint64_t off;

	if (len)
		*len = s->len1 - 1;
	if (s->len1 <= HC_STRMAP_INLINE + 1)
		return (const char *)s->rest;
	__builtin_memcpy(&off, s->rest + 4, 8);
	return m->arena + off;
}

/* Key of id (NUL-terminated); *len (if not NULL) gets its length. */
static inline const char *hc_strmap_key(const struct hc_strmap *m,
					size_t id, size_t *len)
{
	return hc_strmap_slot_key(m, &m->slots[m->slot_of[id]], len);
}

/* The key in slot i (i below hc_strmap_nslots), NULL for an empty slot;
 * *len and *value (if not NULL) get its length and its value.  Walking
 * the slots reads the table in memory order, where walking the ids jumps
 * about it, a cache miss a key: the way for a caller to whom the order
 * does not matter (a column's report over a million values took 0.3 s,
 * most of it in those misses). */
static inline size_t hc_strmap_nslots(const struct hc_strmap *m)
{
	return m->slots ? m->mask + 1 : 0;
}

static inline const char *hc_strmap_at(const struct hc_strmap *m, size_t i,
				       size_t *len, uint64_t *value)
{
	const struct hc_strmap_slot *s = &m->slots[i];

	if (!s->len1)
		return NULL;
	if (value)
		*value = s->value;
	return hc_strmap_slot_key(m, s, len);
}

/* The id of the key in slot i, or -1 for an empty slot. */
static inline int64_t hc_strmap_id_at(const struct hc_strmap *m, size_t i)
{
	return m->slots[i].len1 ? (int64_t)m->slots[i].id : -1;
}

/* The value of id. */
static inline uint64_t *hc_strmap_valuep(const struct hc_strmap *m, size_t id)
{
	return &m->slots[m->slot_of[id]].value;
}

/* Bytes of memory the map holds (for memory budgets). */
size_t hc_strmap_bytes(const struct hc_strmap *m);
/* The same once `more` new keys are in (their arena bytes aside): what
 * the map would hold after the growth they bring, so that a budget can be
 * kept before a table doubles rather than found broken after. */
size_t hc_strmap_bytes_after(const struct hc_strmap *m, size_t more);

#endif
