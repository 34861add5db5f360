/* strmap.c - interning string map; see strmap.h for the layout
 */
#include "strmap.h"

#include <string.h>
#include <xxhash.h>

#include "mem.h"

#define SLOT_EMPTY 0
#define INITIAL_SLOTS 64

static inline uint32_t slot_hash(uint64_t s)
{
	return (uint32_t)(s >> 32);
}

static inline uint32_t slot_id(uint64_t s)
{
	return (uint32_t)s - 1;
}

void hc_strmap_init(struct hc_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void hc_strmap_release(struct hc_strmap *m)
{
	hc_free(m->slots);
	hc_free(m->arena);
	hc_free(m->key_off);
	hc_free(m->key_len);
	memset(m, 0, sizeof(*m));
}

static int key_equal(const struct hc_strmap *m, uint32_t id, const char *key,
		     size_t len)
{
	return m->key_len[id] == len &&
	       memcmp(m->arena + m->key_off[id], key, len) == 0;
}

int64_t hc_strmap_find(const struct hc_strmap *m, const char *key,
		       size_t len)
{
	uint32_t h;
	size_t i;

	if (!m->slots)
		return -1;
	h = (uint32_t)XXH3_64bits(key, len);
	for (i = h & m->mask;; i = (i + 1) & m->mask) {
		uint64_t s = m->slots[i];
		if (s == SLOT_EMPTY)
			return -1;
		if (slot_hash(s) == h && key_equal(m, slot_id(s), key, len))
			return slot_id(s);
	}
}

/* Doubles the slot array; slots carry their hash, so keys are not read. */
static int grow_slots(struct hc_strmap *m)
{
	size_t n = m->slots ? (m->mask + 1) * 2 : INITIAL_SLOTS;
	uint64_t *ns = hc_calloc(n, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t i = 0; m->slots && i <= m->mask; i++) {
		uint64_t s = m->slots[i];
		size_t j;
		if (s == SLOT_EMPTY)
			continue;
		for (j = slot_hash(s) & (n - 1); ns[j]; j = (j + 1) & (n - 1))
			;
		ns[j] = s;
	}
	hc_free(m->slots);
	m->slots = ns;
	m->mask = n - 1;
	return 0;
}

static int store_key(struct hc_strmap *m, const char *key, size_t len)
{
	void *p;

	if (len > UINT32_MAX)
		return -1;
	if (m->count == m->keys_cap) {
		size_t cap = m->keys_cap;
		p = m->key_off;
		if (hc_grow(&p, &cap, m->count + 1, sizeof(*m->key_off)) != 0)
			return -1;
		m->key_off = p;
		p = m->key_len;
		if (hc_grow(&p, &m->keys_cap, m->count + 1,
			    sizeof(*m->key_len)) != 0)
			return -1;
		m->key_len = p;
	}
	p = m->arena;
	if (hc_grow(&p, &m->arena_cap, m->arena_len + len + 1, 1) != 0)
		return -1;
	m->arena = p;
	memcpy(m->arena + m->arena_len, key, len);
	m->arena[m->arena_len + len] = '\0';
	m->key_off[m->count] = m->arena_len;
	m->key_len[m->count] = (uint32_t)len;
	m->arena_len += len + 1;
	return 0;
}

int64_t hc_strmap_intern(struct hc_strmap *m, const char *key, size_t len,
			 int *added)
{
	uint32_t h = (uint32_t)XXH3_64bits(key, len);
	size_t i;

	if (added)
		*added = 0;
	/* Growing first keeps the load at most 3/4, so probes always end. */
	if ((!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) &&
	    grow_slots(m) != 0)
		return -1;
	for (i = h & m->mask;; i = (i + 1) & m->mask) {
		uint64_t s = m->slots[i];
		if (s == SLOT_EMPTY)
			break;
		if (slot_hash(s) == h && key_equal(m, slot_id(s), key, len))
			return slot_id(s);
	}
	if (m->count >= HC_STRMAP_MAX_KEYS || store_key(m, key, len) != 0)
		return -1;
	m->slots[i] = ((uint64_t)h << 32) | (uint64_t)(m->count + 1);
	m->count++;
	if (added)
		*added = 1;
	return (int64_t)(m->count - 1);
}

size_t hc_strmap_bytes(const struct hc_strmap *m)
{
	return (m->slots ? (m->mask + 1) * sizeof(*m->slots) : 0) +
	       m->arena_cap +
	       m->keys_cap * (sizeof(*m->key_off) + sizeof(*m->key_len));
}
