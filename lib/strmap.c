/* strmap.c - interning string map; see strmap.h for the layout */
#include "strmap.h"

#include <string.h>
#include <xxhash.h>

#include "hugepage.h"
#include "mem.h"

#define INITIAL_SLOTS 64
#define SLOT_ALIGN 64 /* a cache line: a 32-byte slot never straddles two */
#define HUGE_ALIGN ((size_t)2 << 20)

_Static_assert(sizeof(struct hc_strmap_slot) == 32, "slot is 32 bytes");

void hc_strmap_init(struct hc_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void hc_strmap_release(struct hc_strmap *m)
{
	hc_free(m->slots_mem);
	hc_free(m->arena);
	hc_free(m->slot_of);
	memset(m, 0, sizeof(*m));
}

static uint64_t slot_off(const struct hc_strmap_slot *s)
{
	uint64_t off;

	memcpy(&off, s->rest + 4, 8);
	return off;
}

/* A key as a lookup compares it: short keys NUL-padded to the slot's 12
 * bytes (one 8-byte and one 4-byte compare), long keys with the high half
 * of their hash, so that a long key's bytes are read only when all 64
 * bits of the hash match. */
struct probe_key {
	const char *key;
	size_t len;
	uint32_t h, hi;
	unsigned char pad[12];
};

static void probe_key_init(struct probe_key *k, const char *key, size_t len,
			   uint64_t hash)
{
	k->key = key;
	k->len = len;
	k->h = (uint32_t)hash;
	k->hi = (uint32_t)(hash >> 32);
	memset(k->pad, 0, sizeof(k->pad));
	if (len <= HC_STRMAP_INLINE)
		memcpy(k->pad, key, len);
	else
		memcpy(k->pad, &k->hi, 4);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t probe(const struct hc_strmap *m, const struct probe_key *k)
{
	uint32_t len1 = (uint32_t)k->len + 1;
	size_t i;

	if (k->len <= HC_STRMAP_INLINE) {
		for (i = k->h & m->mask;; i = (i + 1) & m->mask) {
			const struct hc_strmap_slot *s = &m->slots[i];
			if (s->len1 == 0 || (s->hash == k->h && s->len1 == len1 &&
					     memcmp(s->rest, k->pad, 12) == 0))
				return i;
		}
	}
	for (i = k->h & m->mask;; i = (i + 1) & m->mask) {
		const struct hc_strmap_slot *s = &m->slots[i];
		if (s->len1 == 0)
			return i;
		if (s->hash == k->h && s->len1 == len1 &&
		    memcmp(s->rest, k->pad, 4) == 0 &&
		    memcmp(m->arena + slot_off(s), k->key, k->len) == 0)
			return i;
	}
}

int64_t hc_strmap_find(const struct hc_strmap *m, const char *key,
		       size_t len)
{
	struct probe_key k;
	size_t i;

	if (!m->slots || len > UINT32_MAX - 1)
		return -1;
	probe_key_init(&k, key, len, XXH3_64bits(key, len));
	i = probe(m, &k);
	return m->slots[i].len1 ? (int64_t)m->slots[i].id : -1;
}

/* The bytes charged for an array of n slots.  The padding is charged as
 * it was when only arrays of 4 MiB or more were aligned to 2 MiB: the part
 * of it that is never touched takes no memory, and memory budgets (profile
 * --memory) then switch at the same row as before. */
static size_t slots_charge(size_t n)
{
	size_t bytes = n * sizeof(struct hc_strmap_slot);

	return bytes + (bytes >= HC_HUGEPAGE_MIN ? HUGE_ALIGN : SLOT_ALIGN);
}

/* Old slots moved between two discards of the pages they were in. */
#define DISCARD_SLOTS ((size_t)1 << 16)

/* Moves the slots into a new array of n (a power of two, more than the
 * keys); slots carry their hash, so keys are not read.  The old slots are
 * read in order, and each lands near its old index or that plus the old
 * size: the new array (zero pages from calloc, not cleared by hand) is
 * touched in two sequential sweeps while the pages of old slots already
 * moved are given back, so a big table grows with about the new array's
 * memory at the peak, not the new and the old together: a 32 MB table
 * growing to 64 MB took 96 MB, now about 64 (on the 10M-row mixed file,
 * profile's peak went from 196 to 176 MB with this alone). */
static int resize_slots(struct hc_strmap *m, size_t n)
{
	struct hc_strmap_slot *ns;
	size_t bytes, align = SLOT_ALIGN, old_bytes = m->slots ? (m->mask + 1) * sizeof(*ns) : 0;
	void *mem;

	if (n > (SIZE_MAX - HUGE_ALIGN) / sizeof(*ns))
		return -1;
	bytes = n * sizeof(*ns);
	/* From 2 MiB on, huge pages: a page fault per 2 MiB instead of one
	 * per 4 KiB (on a virtual machine each costs microseconds: the
	 * 10M-row profile took 29,000 faults, 11,600 with this and the
	 * report's arrays on huge pages). */
	if (bytes >= HUGE_ALIGN)
		align = HUGE_ALIGN;
	if (!(mem = hc_calloc(bytes + align, 1)))
		return -1;
	ns = (void *)(((uintptr_t)mem + align - 1) & ~(uintptr_t)(align - 1));
	/* Advice before the first touch, so that the pages are huge from the
	 * start. */
	hc_mem_advise_huge_min(ns, bytes, HUGE_ALIGN);
	for (size_t i = 0; m->slots && i <= m->mask; i++) {
		size_t j;
		if (old_bytes >= HC_HUGEPAGE_MIN && i % DISCARD_SLOTS == 0 && i)
			hc_mem_discard(m->slots + i - DISCARD_SLOTS,
				       DISCARD_SLOTS * sizeof(*ns));
		if (m->slots[i].len1 == 0)
			continue;
		for (j = m->slots[i].hash & (n - 1); ns[j].len1; j = (j + 1) & (n - 1))
			;
		ns[j] = m->slots[i];
		m->slot_of[ns[j].id] = (uint32_t)j;
	}
	hc_free(m->slots_mem);
	m->slots_mem = mem;
	m->slots = ns;
	m->mask = n - 1;
	m->slots_bytes = slots_charge(n);
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
	size_t total = m->count + keys, n = INITIAL_SLOTS, arena, nlong;
	void *p;

	/* Only long keys go to the arena, each with a NUL; there are at most
	 * key_bytes / (HC_STRMAP_INLINE + 1) of them. */
	nlong = key_bytes / (HC_STRMAP_INLINE + 1);
	if (nlong > keys)
		nlong = keys;
	if (keys > HC_STRMAP_MAX_KEYS - m->count ||
	    __builtin_add_overflow(key_bytes, nlong, &arena) ||
	    __builtin_add_overflow(arena, m->arena_len, &arena))
		return -1;
	while (n / 4 * 3 < total)
		n *= 2;
	/* slot_of first: resize_slots writes it for every key. */
	p = m->slot_of;
	if (reserve_exact(&p, &m->keys_cap, total, sizeof(*m->slot_of)) != 0)
		return -1;
	m->slot_of = p;
	if (n > (m->slots ? m->mask + 1 : 0) && resize_slots(m, n) != 0)
		return -1;
	p = m->arena;
	if (nlong && reserve_exact(&p, &m->arena_cap, arena, 1) != 0)
		return -1;
	m->arena = p;
	return 0;
}

/* Makes room for one more id, and for key in the arena if it is long;
 * fills in the slot's key part.  -1 on failure (nothing changed that
 * matters: capacity only). */
static int store_key(struct hc_strmap *m, struct hc_strmap_slot *s,
		     const struct probe_key *k)
{
	void *p;

	if (m->count == m->keys_cap) {
		p = m->slot_of;
		if (hc_grow(&p, &m->keys_cap, m->count + 1, sizeof(*m->slot_of)) != 0)
			return -1;
		m->slot_of = p;
		hc_mem_advise_huge_min(p, m->keys_cap * sizeof(*m->slot_of),
				       HUGE_ALIGN);
	}
	if (k->len > HC_STRMAP_INLINE) {
		uint64_t off = m->arena_len;
		p = m->arena;
		if (hc_grow(&p, &m->arena_cap, off + k->len + 1, 1) != 0)
			return -1;
		m->arena = p;
		memcpy(m->arena + off, k->key, k->len);
		m->arena[off + k->len] = '\0';
		m->arena_len = off + k->len + 1;
		memcpy(s->rest, &k->hi, 4);
		memcpy(s->rest + 4, &off, 8);
	} else {
		memcpy(s->rest, k->pad, 12);
	}
	return 0;
}

int64_t hc_strmap_intern(struct hc_strmap *m, const char *key, size_t len,
			 int *added)
{
	return hc_strmap_intern_hashed(m, key, len, XXH3_64bits(key, len),
				       added);
}

/* The slot of key, inserting it if absent; SIZE_MAX on failure. */
static size_t upsert(struct hc_strmap *m, const char *key, size_t len,
		     uint64_t hash, int *added)
{
	struct probe_key k;
	struct hc_strmap_slot *s;
	size_t i;

	if (added)
		*added = 0;
	if (len > UINT32_MAX - 1)
		return SIZE_MAX;
	/* Growing first keeps the load at most 3/4, so probes always end. */
	if ((!m->slots || (m->count < HC_STRMAP_MAX_KEYS &&
			   (m->count + 1) * 4 > (m->mask + 1) * 3)) &&
	    resize_slots(m, m->slots ? (m->mask + 1) * 2 : INITIAL_SLOTS) != 0)
		return SIZE_MAX;
	probe_key_init(&k, key, len, hash);
	i = probe(m, &k);
	s = &m->slots[i];
	if (s->len1)
		return i;
	if (m->count >= HC_STRMAP_MAX_KEYS || store_key(m, s, &k) != 0)
		return SIZE_MAX;
	s->hash = k.h;
	s->len1 = (uint32_t)len + 1;
	s->value = 0;
	s->id = (uint32_t)m->count;
	m->slot_of[m->count] = (uint32_t)i;
	m->count++;
	if (added)
		*added = 1;
	return i;
}

int64_t hc_strmap_intern_hashed(struct hc_strmap *m, const char *key,
				size_t len, uint64_t hash, int *added)
{
	size_t i = upsert(m, key, len, hash, added);

	return i == SIZE_MAX ? -1 : (int64_t)m->slots[i].id;
}

uint64_t *hc_strmap_upsert_hashed(struct hc_strmap *m, const char *key,
				  size_t len, uint64_t hash, int *added,
				  uint32_t *id)
{
	size_t i = upsert(m, key, len, hash, added);

	if (i == SIZE_MAX)
		return NULL;
	if (id)
		*id = m->slots[i].id;
	return &m->slots[i].value;
}

size_t hc_strmap_bytes(const struct hc_strmap *m)
{
	return m->slots_bytes +
	       m->arena_cap + m->keys_cap * sizeof(*m->slot_of);
}

size_t hc_strmap_bytes_after(const struct hc_strmap *m, size_t more)
{
	size_t keys = more > HC_STRMAP_MAX_KEYS - m->count ? HC_STRMAP_MAX_KEYS
							    : m->count + more;
	size_t slots = m->slots ? m->mask + 1 : INITIAL_SLOTS;
	size_t kcap = m->keys_cap ? m->keys_cap : 16;

	while (keys * 4 > slots * 3)
		slots *= 2;
	while (kcap < keys)
		kcap *= 2;
	return (slots > m->mask + 1 || !m->slots ? slots_charge(slots)
						 : m->slots_bytes) +
	       m->arena_cap + kcap * sizeof(*m->slot_of);
}
