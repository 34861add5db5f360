/* strmap.c - interning string map; see strmap.h for the layout */
#include "strmap.h"

#include <string.h>
#include <xxhash.h>

#include "mem.h"

#define INITIAL_SLOTS 64
#define ENTRY_HEAD 16 /* u32 id, u32 length, u64 value */

void hc_strmap_init(struct hc_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void hc_strmap_release(struct hc_strmap *m)
{
	hc_free(m->slots);
	hc_free(m->arena);
	hc_free(m->key_off);
	memset(m, 0, sizeof(*m));
}

static uint32_t entry_id(const struct hc_strmap *m, uint64_t off)
{
	uint32_t id;

	memcpy(&id, m->arena + off, 4);
	return id;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t probe(const struct hc_strmap *m, const char *key, size_t len,
		    uint32_t h)
{
	size_t i;

	for (i = h & m->mask;; i = (i + 1) & m->mask) {
		const struct hc_strmap_slot *s = &m->slots[i];
		if (s->off == 0)
			return i;
		if (s->hash == h && s->len == len &&
		    memcmp(m->arena + s->off + ENTRY_HEAD, key, len) == 0)
			return i;
	}
}

int64_t hc_strmap_find(const struct hc_strmap *m, const char *key,
		       size_t len)
{
	uint32_t h;
	size_t i;

	if (!m->slots || len > UINT32_MAX)
		return -1;
	h = (uint32_t)XXH3_64bits(key, len);
	i = probe(m, key, len, h);
	return m->slots[i].off ? (int64_t)entry_id(m, m->slots[i].off) : -1;
}

/* Moves the slots into a new array of n (a power of two, more than the
 * keys); slots carry their hash, so keys are not read. */
static int resize_slots(struct hc_strmap *m, size_t n)
{
	struct hc_strmap_slot *ns = hc_calloc(n, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t i = 0; m->slots && i <= m->mask; i++) {
		size_t j;
		if (m->slots[i].off == 0)
			continue;
		for (j = m->slots[i].hash & (n - 1); ns[j].off; j = (j + 1) & (n - 1))
			;
		ns[j] = m->slots[i];
	}
	hc_free(m->slots);
	m->slots = ns;
	m->mask = n - 1;
	return 0;
}

/* Sets *cap to exactly need (not the next power of two, as hc_grow would:
 * a reservation is the size). */
static int reserve_exact(void **p, size_t *cap, size_t need, size_t elem)
{
	void *np;

	if (need <= *cap)
		return 0;
	if (!(np = hc_reallocarray(*p, need, elem)))
		return -1;
	*p = np;
	*cap = need;
	return 0;
}

int hc_strmap_reserve(struct hc_strmap *m, size_t keys, size_t key_bytes)
{
	size_t total = m->count + keys, n = INITIAL_SLOTS, arena;
	void *p;

	/* Each entry: its head, its bytes and NUL, up to 7 bytes of padding. */
	if (keys > HC_STRMAP_MAX_KEYS - m->count ||
	    __builtin_mul_overflow(keys, (size_t)ENTRY_HEAD + 8, &arena) ||
	    __builtin_add_overflow(arena, key_bytes, &arena) ||
	    __builtin_add_overflow(arena, m->arena_len + 8, &arena))
		return -1;
	while (n / 4 * 3 < total)
		n *= 2;
	if (n > (m->slots ? m->mask + 1 : 0) && resize_slots(m, n) != 0)
		return -1;
	p = m->key_off;
	if (reserve_exact(&p, &m->keys_cap, total, sizeof(*m->key_off)) != 0)
		return -1;
	m->key_off = p;
	p = m->arena;
	if (reserve_exact(&p, &m->arena_cap, arena, 1) != 0)
		return -1;
	m->arena = p;
	return 0;
}

/* Appends key's entry to the arena; its offset, or 0 on failure. */
static uint64_t store_key(struct hc_strmap *m, const char *key, size_t len)
{
	uint32_t head[2] = {(uint32_t)m->count, (uint32_t)len};
	uint64_t off;
	void *p;

	if (m->count == m->keys_cap) {
		p = m->key_off;
		if (hc_grow(&p, &m->keys_cap, m->count + 1, sizeof(*m->key_off)) != 0)
			return 0;
		m->key_off = p;
	}
	p = m->arena;
	/* Offset 0 marks an empty slot; entries start 8-byte aligned. */
	off = (m->arena_len + 8) & ~(uint64_t)7;
	if (hc_grow(&p, &m->arena_cap, off + ENTRY_HEAD + len + 1, 1) != 0)
		return 0;
	m->arena = p;
	memcpy(m->arena + off, head, 8);
	memset(m->arena + off + 8, 0, 8);
	memcpy(m->arena + off + ENTRY_HEAD, key, len);
	m->arena[off + ENTRY_HEAD + len] = '\0';
	m->arena_len = off + ENTRY_HEAD + len + 1;
	m->key_off[m->count] = off;
	return off;
}

int64_t hc_strmap_intern(struct hc_strmap *m, const char *key, size_t len,
			 int *added)
{
	return hc_strmap_intern_hashed(m, key, len, XXH3_64bits(key, len),
				       added);
}

/* The slot of key, inserting it if absent; SIZE_MAX on failure. */
static size_t upsert(struct hc_strmap *m, const char *key, size_t len,
		     uint32_t h, int *added)
{
	uint64_t off;
	size_t i;

	if (added)
		*added = 0;
	if (len > UINT32_MAX - 1)
		return SIZE_MAX;
	/* Growing first keeps the load at most 3/4, so probes always end. */
	if ((!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) &&
	    resize_slots(m, m->slots ? (m->mask + 1) * 2 : INITIAL_SLOTS) != 0)
		return SIZE_MAX;
	i = probe(m, key, len, h);
	if (m->slots[i].off)
		return i;
	if (m->count >= HC_STRMAP_MAX_KEYS || !(off = store_key(m, key, len)))
		return SIZE_MAX;
	m->slots[i].hash = h;
	m->slots[i].len = (uint32_t)len;
	m->slots[i].off = off;
	m->count++;
	if (added)
		*added = 1;
	return i;
}

int64_t hc_strmap_intern_hashed(struct hc_strmap *m, const char *key,
				size_t len, uint64_t hash, int *added)
{
	size_t i = upsert(m, key, len, (uint32_t)hash, added);

	return i == SIZE_MAX ? -1 : (int64_t)entry_id(m, m->slots[i].off);
}

uint64_t *hc_strmap_upsert_hashed(struct hc_strmap *m, const char *key,
				  size_t len, uint64_t hash, int *added,
				  uint32_t *id)
{
	size_t i = upsert(m, key, len, (uint32_t)hash, added);

	if (i == SIZE_MAX)
		return NULL;
	if (id)
		*id = entry_id(m, m->slots[i].off);
	return (uint64_t *)(void *)(m->arena + m->slots[i].off + 8);
}

size_t hc_strmap_bytes(const struct hc_strmap *m)
{
	return (m->slots ? (m->mask + 1) * sizeof(*m->slots) : 0) +
	       m->arena_cap + m->keys_cap * sizeof(*m->key_off);
}
