/* strmap.h - string-keyed hash map that interns keys to dense ids
 *
 * The core of profile, encode and cluster: each distinct key gets the next
 * id (0, 1, 2, ...) and callers keep their per-key values in plain arrays
 * indexed by id, which is faster and smaller than a value slot per entry.
 *
 * Open addressing with linear probing over 8-byte slots: the low 32 bits of
 * the key's XXH3 hash (which also pick the slot) and id + 1 (0 = empty).
 * Keys live NUL-terminated in one arena.  The table doubles at 3/4 load,
 * moving slots only (no key is hashed twice).  There is no deletion: no
 * user needs it, and it keeps ids dense.
 *
 * Limits: at most HC_STRMAP_MAX_KEYS keys (ids are 32-bit).
 * Ownership: the map owns its keys; hc_strmap_key pointers stay valid until
 * the next insertion (the arena may move) or hc_strmap_release.
 */
#ifndef HC_STRMAP_H
#define HC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#define HC_STRMAP_MAX_KEYS (UINT32_MAX - 1)

struct hc_strmap {
	uint64_t *slots;
	size_t mask;       /* slots - 1; slots is a power of two */
	size_t count;      /* keys, also the next id */
	char *arena;
	size_t arena_len, arena_cap;
	uint64_t *key_off; /* per id: offset of its key in the arena */
	uint32_t *key_len;
	size_t keys_cap;
};

/* Empty map; no allocation until the first insertion. */
void hc_strmap_init(struct hc_strmap *m);
void hc_strmap_release(struct hc_strmap *m);

/* Id of key, adding it if absent (then *added = 1).  -1 when out of memory
 * or full; the map is unchanged then. */
int64_t hc_strmap_intern(struct hc_strmap *m, const char *key, size_t len,
			 int *added);
/* Id of key, or -1 if absent. */
int64_t hc_strmap_find(const struct hc_strmap *m, const char *key,
		       size_t len);

static inline size_t hc_strmap_count(const struct hc_strmap *m)
{
	return m->count;
}

static inline const char *hc_strmap_key(const struct hc_strmap *m,
					size_t id, size_t *len)
{
	if (len)
		*len = m->key_len[id];
	return m->arena + m->key_off[id];
}

/* Bytes of memory the map holds (for memory budgets). */
size_t hc_strmap_bytes(const struct hc_strmap *m);

#endif
