/* topk.c - Space-Saving heavy hitters over strings
 *
 * Implements topk.h: Metwally, Agrawal, El Abbadi, "Efficient Computation
 * of Frequent and Top-k Elements in Data Streams" (ICDT 2005), with the
 * merge of Agarwal, Cormode, Huang, Phillips, Wei, Yi, "Mergeable
 * Summaries" (PODS 2012).
 *
 * The structure
 * -------------
 *
 * Three arrays, addressed by 32-bit indices (capacity <= 2^24) so that they
 * can grow with realloc and stay small; nothing is allocated per add except
 * for values longer than 32 bytes:
 *
 *   counters  ctr[0..n), one 64-byte line each: error, the value's hash
 *             and length, its bucket, prev/next in the bucket's member
 *             list, and the value itself (inline up to 32 bytes, else a
 *             heap buffer).  n only grows (to capacity); an eviction gives
 *             the victim's slot to the new value.
 *   index     open addressing with linear probing, from the value's XXH3
 *             hash to its counter: 8-byte slots of (low 32 bits of the
 *             hash, counter + 1), 0 = empty, at most half full.  An evicted
 *             value's slot stays behind, stale: it names a counter that
 *             now holds another value, which the counter's hash and bytes
 *             tell apart, so a probe passes over it.  Once live and stale
 *             slots would pass half the table, it is rebuilt from the
 *             counters' hashes (index_room), with at least 8/3 slots per
 *             counter.  (Removing the victim's slot by backward shifting,
 *             as before, cost a cache miss per eviction to find it.)
 *   buckets   the paper's "stream summary": one bucket per distinct count,
 *             doubly linked in increasing count order (head = the minimum,
 *             tail = the maximum), each with its members and their number.
 *
 *      head                                          tail
 *   +---------+     +---------+     +---------+     +---------+
 *   | count 1 |<--->| count 2 |<--->| count 7 |<--->| count 90|
 *   +---------+     +---------+     +---------+     +---------+
 *     c4 c9 c2        c0              c5 c1           c3
 *
 * An increment by 1 moves a counter to the next bucket if that one holds
 * count + 1, bumps its bucket in place if it is the bucket's only member,
 * or else opens a bucket after it: O(1).  A weight w > 1 walks forward over
 * the buckets with counts below count + w, so it costs O(1 + buckets
 * passed); there are at most sqrt(2N) distinct counts.  The minimum is the
 * head bucket; the victim of an eviction is its first member (the one
 * attached last), which makes runs deterministic.  Bucket slots come from
 * a free list; there are never more buckets than counters.
 *
 * Deviations from the paper
 * -------------------------
 *
 * The values live in the counters rather than in the hash table's nodes,
 * and the table is lib/strmap.h's layout (hash and id per slot) plus
 * stale slots and rebuilds: an earlier version kept values in
 * a struct hc_strmap and rebuilt it once stale (evicted) keys outnumbered
 * the held ones; rebuilding and the extra cache misses of map, ids and
 * arena made it 105 ns per add on the benchmark below, against about 50
 * now.  Memory is O(capacity + bytes of the held values): 64-byte
 * counters, 24-byte buckets, 16 to 32 bytes of index per counter, and a
 * heap buffer for each held value over 32 bytes, reused for a replacing
 * value that fits and is at least half its size, else freed.
 *
 * Weights: an eviction by a value of weight w starts it at c_min + w with
 * error c_min, the natural extension (each unit of weight is one item of
 * the stream).  Counts and the total saturate at UINT64_MAX instead of
 * wrapping.
 *
 * Merge
 * -----
 *
 * As topk.h states: a value missing from a full side is charged that side's
 * minimum m_i as count and as error; the largest `capacity` of the union
 * are kept (in top order).  Why the bound survives: with C(u) the merged
 * count and M = m1 + m2, the sum over the union of C(u) - M equals
 * N1 + N2 - capacity * M and every term is >= 0; if capacity + 1 values
 * had C >= C(v), then C(v) <= (N1 + N2 + M) / (capacity + 1), and
 * M <= (N1 + N2) / capacity gives C(v) <= (N1 + N2) / capacity.  So every
 * value above that bound is kept, errors stay below it, and the kept
 * counts add up to at most N1 + N2, which keeps later adds within bounds.
 * A sketch with fewer than capacity counters is exact (all errors 0, counts
 * adding up to the total): adds and merges both preserve that, and
 * deserialisation checks it.
 *
 * Speed
 * -----
 *
 * 10^7 adds of Zipf(1) values over 10^6 distinct ids of 12 to 16 bytes,
 * capacity 10^4, the values laid out one after the other as a parser
 * hands them over: 17 to 23 M adds/s (44 to 58 ns of CPU time per add;
 * XXH3 alone takes 2.5), Zipf(1.2) 24 to 27 M/s, on the 2-vCPU AMD EPYC
 * build VM with a load average near 10, so with noise; that was with the
 * victim's slot removed at once, a second index cache miss per eviction
 * that stale slots avoid.  In `profile --approx` on the 10M-row mixed
 * benchmark file, stale slots, the prefetch of the victim after next
 * (prefetch_victims) and hc_memeq's compares took the top-k share of the
 * time from about 40% to 30%, with a batch's values already collapsed to
 * weighted adds by profile.  Weighted adds of 10^6 distinct values in
 * descending or random order of weight (profile's switch from exact
 * counts): 260 and 380 ns each, value formatting included.
 *
 * Serialised form (little-endian, hc_buf puts)
 * --------------------------------------------
 *
 *   +----------+----------+-------+
 *   | capacity |  total   |   n   |     u32, u64, u32
 *   +----------+----------+-------+
 *   then n items, in hc_topk_top order (count down, error up, bytes up):
 *   +-------+-------------+---------+---------+
 *   |  len  | len bytes   |  count  |  error  |   u32, bytes, u64, u64
 *   +-------+-------------+---------+---------+
 *
 * Deserialisation rejects (HC_ERR_DATA), before allocating anything sized
 * by the input: capacity 0 or above 2^24, n above capacity, n items that
 * cannot fit in the bytes left (an item takes at least 20 bytes).  Then per
 * item: a length past the end, count 0, error >= count, error above
 * total / capacity, a count above the previous one, counts adding up past
 * the total, a value seen twice; and, with n < capacity, counts that do
 * not add up to the total or a nonzero error.
 */
#include "topk.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lib/mem.h"
#include "lib/memeq.h"

#define NIL UINT32_MAX
#define MAX_CAPACITY ((size_t)1 << 24)
/* Values up to this many bytes live in the counter: with it, a counter is
 * one cache line, and ids, codes and most categorical values fit. */
#define INLINE_MAX 32
#define INDEX_MIN_SLOTS 64
/* The smallest serialised item: u32 len, no bytes, u64 count, u64 error. */
#define ITEM_MIN_BYTES 20

struct counter {
	uint64_t error;
	uint32_t hash;   /* low 32 bits of XXH3_64bits(value) */
	uint32_t len;
	uint32_t bucket;
	uint32_t prev, next; /* members of the bucket; NIL ends */
	uint32_t heap_cap;   /* bytes at v.heap when len > INLINE_MAX */
	union {
		char in[INLINE_MAX]; /* len <= INLINE_MAX */
		char *heap;
	} v;
};

_Static_assert(sizeof(struct counter) == 64, "a counter is one cache line");

struct bucket {
	uint64_t count;
	uint32_t prev, next; /* lower and higher counts; next links free ones */
	uint32_t first;      /* a member; NIL for a free slot */
	uint32_t size;       /* members */
};

struct hc_topk {
	size_t capacity;
	uint64_t total;
	size_t n;            /* counters in use: ctr[0..n) */
	size_t alloc;        /* ctr and bk have room for this many */
	struct counter *ctr;
	struct bucket *bk;
	size_t bk_used;      /* bk slots handed out before the free list */
	uint32_t bk_free;
	uint32_t head, tail; /* smallest and largest count */
	uint64_t *slot;      /* index: hash << 32 | (counter + 1); 0 = empty */
	size_t mask;         /* slots - 1 */
	size_t used;         /* nonzero slots: n, plus stale ones */
	size_t heap_bytes;   /* heap buffers of long values */
};

/* ---- small helpers ---------------------------------------------------- */

static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline const char *ctr_value(const struct counter *c)
{
	return c->len > INLINE_MAX ? c->v.heap : c->v.in;
}

static inline uint64_t ctr_count(const struct hc_topk *t, uint32_t x)
{
	return t->bk[t->ctr[x].bucket].count;
}

/* Room for need counters (and as many buckets). */
static int grow_counters(struct hc_topk *t, size_t need)
{
	size_t cap = t->alloc ? t->alloc : 8;
	void *p;

	if (need <= t->alloc)
		return 0;
	if (need > t->capacity)
		return -1;
	while (cap < need)
		cap *= 2;
	if (cap > t->capacity)
		cap = t->capacity;
	if (!(p = hc_reallocarray(t->ctr, cap, sizeof(*t->ctr))))
		return -1;
	t->ctr = p;
	if (!(p = hc_reallocarray(t->bk, cap, sizeof(*t->bk))))
		return -1; /* ctr is merely larger than alloc says */
	t->bk = p;
	t->alloc = cap;
	return 0;
}

/* Stores value in counter x, whose old value (if any) it replaces; only
 * x's value fields change, and nothing does on -1 (memory). */
static int value_store(struct hc_topk *t, uint32_t x, const char *v,
		       size_t len)
{
	struct counter *c = &t->ctr[x];
	char *old = c->len > INLINE_MAX ? c->v.heap : NULL, *nb;

	if (len <= INLINE_MAX) {
		memmove(c->v.in, v, len);
		if (old) {
			hc_free(old);
			t->heap_bytes -= c->heap_cap;
		}
	} else if (old && c->heap_cap >= len && c->heap_cap / 2 <= len) {
		memmove(old, v, len);
	} else {
		if (!(nb = hc_malloc(len)))
			return -1;
		memcpy(nb, v, len);
		if (old) {
			hc_free(old);
			t->heap_bytes -= c->heap_cap;
		}
		c->v.heap = nb;
		c->heap_cap = (uint32_t)len;
		t->heap_bytes += len;
	}
	c->len = (uint32_t)len;
	return 0;
}

/* ---- the index -------------------------------------------------------- */

static inline uint32_t slot_hash(uint64_t s)
{
	return (uint32_t)(s >> 32);
}

static inline uint32_t slot_ctr(uint64_t s)
{
	return (uint32_t)s - 1;
}

/* The slot holding value, or the empty slot where it would go.  A slot
 * whose counter now holds another value (stale, see index_room) fails the
 * counter's hash or value compare and is passed over. */
static size_t index_probe(const struct hc_topk *t, const char *v, size_t len,
			  uint32_t h)
{
	size_t i;

	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t s = t->slot[i];
		const struct counter *c;
		if (s == 0)
			return i;
		if (slot_hash(s) != h)
			continue;
		c = &t->ctr[slot_ctr(s)];
		if (c->hash == h && c->len == len &&
		    hc_memeq(ctr_value(c), v, len))
			return i;
	}
}

static size_t index_empty(const struct hc_topk *t, uint32_t h)
{
	size_t i;

	for (i = h & t->mask; t->slot[i]; i = (i + 1) & t->mask)
		;
	return i;
}

/* Room for `more` slots to be taken with the index at most half full.
 * An eviction leaves its victim's slot in place (stale) rather than
 * finding and removing it, which was a cache miss per eviction; once
 * taken slots would pass half, the index is rebuilt from the counters'
 * hashes with at least 8/3 slots per counter, which drops the stale slots
 * and leaves room for a quarter of its slots' worth of evictions before
 * the next rebuild (6384 at capacity 10^4: the rebuild's O(slots) is a few
 * ns per eviction). */
static int index_room(struct hc_topk *t, size_t more)
{
	size_t n = INDEX_MIN_SLOTS;
	uint64_t *ns;

	if (t->slot && 2 * (t->used + more) <= t->mask + 1)
		return 0;
	while (n * 3 < (t->n + more) * 8)
		n *= 2;
	if (t->slot && n == t->mask + 1) {
		ns = t->slot;
		memset(ns, 0, n * sizeof(*ns));
	} else {
		if (!(ns = hc_calloc(n, sizeof(*ns))))
			return -1;
		hc_free(t->slot);
	}
	t->slot = ns;
	t->mask = n - 1;
	for (uint32_t x = 0; x < t->n; x++)
		ns[index_empty(t, t->ctr[x].hash)] =
			(uint64_t)t->ctr[x].hash << 32 | (x + 1);
	t->used = t->n;
	return 0;
}

/* ---- the stream summary ---------------------------------------------- */

static uint32_t bucket_new(struct hc_topk *t, uint64_t count)
{
	uint32_t b;

	if (t->bk_free != NIL) {
		b = t->bk_free;
		t->bk_free = t->bk[b].next;
	} else {
		b = (uint32_t)t->bk_used++;
	}
	t->bk[b].count = count;
	t->bk[b].first = NIL;
	t->bk[b].size = 0;
	return b;
}

/* Links b into the list after p (at the head when p is NIL). */
static void bucket_link(struct hc_topk *t, uint32_t b, uint32_t p)
{
	uint32_t q = p == NIL ? t->head : t->bk[p].next;

	t->bk[b].prev = p;
	t->bk[b].next = q;
	if (p == NIL)
		t->head = b;
	else
		t->bk[p].next = b;
	if (q == NIL)
		t->tail = b;
	else
		t->bk[q].prev = b;
}

static void bucket_unlink(struct hc_topk *t, uint32_t b)
{
	uint32_t p = t->bk[b].prev, q = t->bk[b].next;

	if (p == NIL)
		t->head = q;
	else
		t->bk[p].next = q;
	if (q == NIL)
		t->tail = p;
	else
		t->bk[q].prev = p;
}

static void bucket_free(struct hc_topk *t, uint32_t b)
{
	bucket_unlink(t, b);
	t->bk[b].first = NIL;
	t->bk[b].next = t->bk_free;
	t->bk_free = b;
}

static void attach(struct hc_topk *t, uint32_t x, uint32_t b)
{
	struct counter *c = &t->ctr[x];

	c->bucket = b;
	c->prev = NIL;
	c->next = t->bk[b].first;
	if (c->next != NIL)
		t->ctr[c->next].prev = x;
	t->bk[b].first = x;
	t->bk[b].size++;
}

/* Takes x out of its bucket, freeing the bucket if it empties. */
static void detach(struct hc_topk *t, uint32_t x)
{
	struct counter *c = &t->ctr[x];
	uint32_t b = c->bucket;

	if (c->prev == NIL)
		t->bk[b].first = c->next;
	else
		t->ctr[c->prev].next = c->next;
	if (c->next != NIL)
		t->ctr[c->next].prev = c->prev;
	if (--t->bk[b].size == 0)
		bucket_free(t, b);
}

/* The last bucket with a count below target, searching forward from p
 * (from the head when p is NIL; p's count is below target).  A count past
 * the largest goes straight to the tail: weights often jump there. */
static uint32_t bucket_before(const struct hc_topk *t, uint32_t p,
			      uint64_t target)
{
	uint32_t q = p == NIL ? t->head : t->bk[p].next;

	if (t->tail != NIL && t->bk[t->tail].count < target)
		return t->tail;
	while (q != NIL && t->bk[q].count < target) {
		p = q;
		q = t->bk[q].next;
	}
	return p;
}

static inline uint32_t bucket_after(const struct hc_topk *t, uint32_t p)
{
	return p == NIL ? t->head : t->bk[p].next;
}

/* Puts x, which is in no bucket, into the one of count target, searching
 * forward from the bucket after p (from the head when p is NIL). */
static void place(struct hc_topk *t, uint32_t x, uint32_t p, uint64_t target)
{
	uint32_t q;

	p = bucket_before(t, p, target);
	q = bucket_after(t, p);
	if (q == NIL || t->bk[q].count != target) {
		q = bucket_new(t, target);
		bucket_link(t, q, p);
	}
	attach(t, x, q);
}

/* Adds w to x's count. */
static void increment(struct hc_topk *t, uint32_t x, uint64_t w)
{
	uint32_t b = t->ctr[x].bucket, p, q;
	uint64_t target = sat_add(t->bk[b].count, w);

	if (target == t->bk[b].count) /* saturated */
		return;
	if (t->bk[b].size > 1) {
		detach(t, x);
		place(t, x, b, target);
		return;
	}
	/* x alone: its bucket moves with it unless target has a bucket */
	p = bucket_before(t, b, target);
	q = bucket_after(t, p);
	if (q != NIL && t->bk[q].count == target) {
		detach(t, x); /* frees b */
		attach(t, x, q);
		return;
	}
	if (p != b) {
		bucket_unlink(t, b);
		bucket_link(t, b, p);
	}
	t->bk[b].count = target;
}

/* ---- building --------------------------------------------------------- */

/* Appends a counter whose count is at most every held count (callers go in
 * decreasing order).  0; -1 memory; -2 the value is held already. */
static int append_desc(struct hc_topk *t, const char *v, size_t len,
		       uint64_t count, uint64_t error)
{
	uint32_t x = (uint32_t)t->n, b, h;
	size_t i;

	if (len > UINT32_MAX || grow_counters(t, t->n + 1) != 0 ||
	    index_room(t, 1) != 0)
		return -1;
	h = (uint32_t)XXH3_64bits(v, len);
	i = index_probe(t, v, len, h);
	if (t->slot[i])
		return -2;
	t->ctr[x].len = 0;
	if (value_store(t, x, v, len) != 0)
		return -1;
	t->n++;
	t->ctr[x].error = error;
	t->ctr[x].hash = h;
	t->slot[i] = (uint64_t)h << 32 | (x + 1);
	t->used++;
	b = t->head;
	if (b == NIL || t->bk[b].count != count) {
		b = bucket_new(t, count);
		bucket_link(t, b, NIL);
	}
	attach(t, x, b);
	return 0;
}

/* ---- the API ---------------------------------------------------------- */

/* Allocates only the handle: counters grow as values arrive, so a sketch of
 * large capacity over few values (or a corrupt capacity field) stays small.
 * NULL with err set: capacity 0 or above 2^24 (HC_ERR_USAGE), memory. */
struct hc_topk *hc_topk_new(size_t capacity, struct hc_err *err)
{
	struct hc_topk *t;

	if (capacity == 0 || capacity > MAX_CAPACITY) {
		hc_err_set(err, HC_ERR_USAGE,
			   "top-k capacity %zu out of range 1..%zu", capacity,
			   MAX_CAPACITY);
		return NULL;
	}
	if (!(t = hc_calloc(1, sizeof(*t)))) {
		hc_err_nomem(err);
		return NULL;
	}
	t->capacity = capacity;
	t->bk_free = t->head = t->tail = NIL;
	return t;
}

/* Frees t and every value it holds; t may be NULL. */
void hc_topk_free(struct hc_topk *t)
{
	if (!t)
		return;
	for (size_t x = 0; x < t->n; x++)
		if (t->ctr[x].len > INLINE_MAX)
			hc_free(t->ctr[x].v.heap);
	hc_free(t->slot);
	hc_free(t->ctr);
	hc_free(t->bk);
	hc_free(t);
}

/* The value, not held, takes over a counter of the minimum count; i is
 * the empty index slot its probe ended at.  The victim's own slot stays,
 * stale (index_room). */
static int evict(struct hc_topk *t, const char *value, size_t len, uint32_t h,
		 size_t i, uint64_t w)
{
	uint32_t b = t->head, x = t->bk[b].first;

	if (value_store(t, x, value, len) != 0)
		return -1;
	t->ctr[x].hash = h;
	t->slot[i] = (uint64_t)h << 32 | (x + 1);
	t->used++;
	t->ctr[x].error = t->bk[b].count;
	increment(t, x, w);
	return 0;
}

/* Starts loading the counter the eviction after next takes over (the
 * head bucket's second member): victims have mostly sat untouched since
 * they reached the minimum, and storing the new value in the victim was
 * the slowest step of an eviction.  The next victim's line was requested
 * by the previous call in the same way, so reading its link is cheap. */
static inline void prefetch_victims(const struct hc_topk *t)
{
	uint32_t y = t->bk[t->head].first, z = t->ctr[y].next;

	if (z != NIL)
		__builtin_prefetch(&t->ctr[z]);
}

/* Counts w occurrences of value (w = 0 does nothing).  Every allocation
 * happens before the sketch changes, so on -1 (out of memory, or a value of
 * 4 GiB or more) t is as it was. */
int hc_topk_add(struct hc_topk *t, const char *value, size_t len, uint64_t w)
{
	return hc_topk_add_hashed(t, value, len, XXH3_64bits(value, len), w);
}

void hc_topk_prefetch(const struct hc_topk *t, uint64_t hash)
{
	if (t->slot)
		__builtin_prefetch(&t->slot[(uint32_t)hash & t->mask]);
}

void hc_topk_prefetch_counter(const struct hc_topk *t, uint64_t hash)
{
	uint64_t s;

	if (!t->slot)
		return;
	s = t->slot[(uint32_t)hash & t->mask];
	if (s && slot_hash(s) == (uint32_t)hash)
		__builtin_prefetch(&t->ctr[slot_ctr(s)]);
}

int hc_topk_add_hashed(struct hc_topk *t, const char *value, size_t len,
		       uint64_t hash, uint64_t w)
{
	uint32_t h, x;
	size_t i;

	if (w == 0)
		return 0;
	if (len > UINT32_MAX ||
	    (t->n < t->capacity && grow_counters(t, t->n + 1) != 0) ||
	    index_room(t, 1) != 0)
		return -1;
	h = (uint32_t)hash;
	i = index_probe(t, value, len, h);
	if (t->slot[i]) {
		increment(t, slot_ctr(t->slot[i]), w);
	} else if (t->n < t->capacity) {
		x = (uint32_t)t->n;
		t->ctr[x].len = 0;
		if (value_store(t, x, value, len) != 0)
			return -1;
		t->n++;
		t->ctr[x].error = 0;
		t->ctr[x].hash = h;
		t->slot[i] = (uint64_t)h << 32 | (x + 1);
		t->used++;
		place(t, x, NIL, w);
	} else if (evict(t, value, len, h, i, w) != 0) {
		return -1;
	}
	t->total = sat_add(t->total, w);
	if (t->n == t->capacity)
		prefetch_victims(t);
	return 0;
}

uint64_t hc_topk_total(const struct hc_topk *t)
{
	return t->total;
}

/* N / capacity once the sketch is full; 0 before, when it is exact. */
uint64_t hc_topk_max_error(const struct hc_topk *t)
{
	return t->n < t->capacity ? 0 : t->total / t->capacity;
}

size_t hc_topk_capacity(const struct hc_topk *t)
{
	return t->capacity;
}

size_t hc_topk_bytes(const struct hc_topk *t)
{
	return sizeof(*t) + t->alloc * (sizeof(*t->ctr) + sizeof(*t->bk)) +
	       (t->slot ? (t->mask + 1) * sizeof(*t->slot) : 0) +
	       t->heap_bytes;
}

/* The order of hc_topk_top: count down, then error up, then the bytes
 * (unsigned, a prefix first). */
static int item_cmp(const struct hc_topk_item *a, const struct hc_topk_item *b)
{
	size_t m = a->len < b->len ? a->len : b->len;
	int r;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->error != b->error)
		return a->error < b->error ? -1 : 1;
	r = m ? memcmp(a->value, b->value, m) : 0;
	if (r)
		return r;
	return (a->len > b->len) - (a->len < b->len);
}

static int item_qsort_cmp(const void *a, const void *b)
{
	return item_cmp(a, b);
}

static void fill_item(const struct hc_topk *t, uint32_t x,
		      struct hc_topk_item *it)
{
	it->value = ctr_value(&t->ctr[x]);
	it->len = t->ctr[x].len;
	it->count = ctr_count(t, x);
	it->error = t->ctr[x].error;
}

/* Max-heap by item_cmp (the worst item on top) over h[0..n). */
static void sift_down(struct hc_topk_item *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct hc_topk_item tmp;
		if (l < n && item_cmp(&h[l], &h[m]) > 0)
			m = l;
		if (r < n && item_cmp(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

/* The best r members of bucket b into out[0..r), sorted, with no memory
 * but out: a bounded heap, O(size log r). */
static void bucket_best(const struct hc_topk *t, uint32_t b, size_t r,
			struct hc_topk_item *out)
{
	uint32_t x = t->bk[b].first;
	size_t i;

	for (i = 0; i < r; i++, x = t->ctr[x].next)
		fill_item(t, x, &out[i]);
	for (i = r / 2; i-- > 0;)
		sift_down(out, r, i);
	for (; x != NIL; x = t->ctr[x].next) {
		struct hc_topk_item it;
		fill_item(t, x, &it);
		if (item_cmp(&it, &out[0]) < 0) {
			out[0] = it;
			sift_down(out, r, 0);
		}
	}
	qsort(out, r, sizeof(*out), item_qsort_cmp);
}

/* Walks buckets from the largest count; only the last bucket used can be
 * cut, and it is cut by a bounded heap, so no memory is needed. */
size_t hc_topk_top(const struct hc_topk *t, size_t k,
		   struct hc_topk_item *items)
{
	size_t n = 0;

	for (uint32_t b = t->tail; b != NIL && n < k; b = t->bk[b].prev) {
		size_t size = t->bk[b].size;
		if (size > k - n) {
			bucket_best(t, b, k - n, items + n);
			return k;
		}
		for (uint32_t x = t->bk[b].first; x != NIL; x = t->ctr[x].next)
			fill_item(t, x, &items[n++]);
		qsort(items + n - size, size, sizeof(*items), item_qsort_cmp);
	}
	return n;
}

/* ---- merge ------------------------------------------------------------ */

struct cand {
	struct hc_topk_item it;
	int matched;
};

static int cand_cmp(const void *a, const void *b)
{
	return item_cmp(&((const struct cand *)a)->it,
			&((const struct cand *)b)->it);
}

static uint64_t min_charge(const struct hc_topk *t)
{
	return t->n < t->capacity ? 0 : t->bk[t->head].count;
}

/* Takes over nt's contents into t and frees what t had. */
static void replace(struct hc_topk *t, struct hc_topk *nt)
{
	struct hc_topk tmp = *t;

	*t = *nt;
	*nt = tmp;
	hc_topk_free(nt);
}

/* The union of dst and src into c (room for dst->n + src->n), with counts
 * and errors added, a side's minimum charged where it lacks a value and is
 * full; dst's counters are c[0..dst->n).  Returns the number of entries. */
static size_t merge_union(const struct hc_topk *dst, const struct hc_topk *src,
			  struct cand *c)
{
	uint64_t m1 = min_charge(dst), m2 = min_charge(src);
	size_t nc = dst->n;

	for (uint32_t x = 0; x < dst->n; x++) {
		fill_item(dst, x, &c[x].it);
		c[x].matched = 0;
	}
	for (uint32_t y = 0; y < src->n; y++) {
		struct hc_topk_item it;
		size_t i;
		fill_item(src, y, &it);
		i = dst->slot ? index_probe(dst, it.value, it.len,
					    src->ctr[y].hash)
			      : 0;
		if (dst->slot && dst->slot[i]) {
			struct cand *d = &c[slot_ctr(dst->slot[i])];
			d->it.count += it.count;
			d->it.error += it.error;
			d->matched = 1;
			continue;
		}
		it.count += m1;
		it.error += m1;
		c[nc].it = it;
		c[nc++].matched = 1;
	}
	for (size_t x = 0; x < dst->n; x++) {
		if (!c[x].matched) {
			c[x].it.count += m2;
			c[x].it.error += m2;
		}
	}
	return nc;
}

/* Merges by building a new sketch from the largest `capacity` of the
 * union, so on -1 (memory, or totals past 2^64: HC_ERR_DATA; different
 * capacities: HC_ERR_USAGE) dst is unchanged.  src may be dst.  Counts
 * cannot overflow: each side's counts add up to at most its total. */
int hc_topk_merge(struct hc_topk *dst, const struct hc_topk *src,
		  struct hc_err *err)
{
	size_t nc, keep;
	struct cand *c;
	struct hc_topk *nt;

	if (dst->capacity != src->capacity)
		return hc_err_set(err, HC_ERR_USAGE,
				  "cannot merge top-k sketches of capacities %zu and %zu",
				  dst->capacity, src->capacity);
	if (dst->total > UINT64_MAX - src->total)
		return hc_err_set(err, HC_ERR_DATA,
				  "top-k merge: total count above 2^64");
	c = hc_mallocarray(dst->n + src->n ? dst->n + src->n : 1, sizeof(*c));
	if (!c)
		return hc_err_nomem(err);
	nc = merge_union(dst, src, c);
	qsort(c, nc, sizeof(*c), cand_cmp);
	keep = nc < dst->capacity ? nc : dst->capacity;
	if (!(nt = hc_topk_new(dst->capacity, err)))
		goto free_c;
	for (size_t i = 0; i < keep; i++) {
		if (append_desc(nt, c[i].it.value, c[i].it.len, c[i].it.count,
				c[i].it.error) != 0) {
			hc_err_nomem(err);
			goto free_nt;
		}
	}
	hc_free(c);
	nt->total = dst->total + src->total;
	replace(dst, nt);
	return 0;
free_nt:
	hc_topk_free(nt);
free_c:
	hc_free(c);
	return -1;
}

/* ---- serialisation ---------------------------------------------------- */

/* Writes the layout at the top of this file, items in top order so equal
 * sketches give equal bytes.  0, or -1 when an allocation failed (b's or
 * the sort's; b is then marked failed, as its own puts would). */
int hc_topk_serialize(const struct hc_topk *t, struct hc_buf *b)
{
	struct hc_topk_item *items = hc_mallocarray(t->n ? t->n : 1,
						    sizeof(*items));
	size_t n;
	int r;

	if (!items) {
		b->failed = 1;
		return -1;
	}
	n = hc_topk_top(t, t->n, items);
	r = hc_buf_put_u32(b, (uint32_t)t->capacity) |
	    hc_buf_put_u64(b, t->total) | hc_buf_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		r |= hc_buf_put_str(b, items[i].value, items[i].len) |
		     hc_buf_put_u64(b, items[i].count) |
		     hc_buf_put_u64(b, items[i].error);
	hc_free(items);
	return r ? -1 : 0;
}

static int bad(struct hc_err *err, const char *what, uint32_t i)
{
	return hc_err_set(err, HC_ERR_DATA, "top-k sketch: item %u: %s", i,
			  what);
}

/* Reads and checks the n items into t (see the top of the file). */
static int read_items(struct hc_topk *t, struct hc_cursor *c, uint32_t n,
		      struct hc_err *err)
{
	uint64_t sum = 0, prev = UINT64_MAX;
	int nonzero_error = 0;

	for (uint32_t i = 0; i < n; i++) {
		const char *v;
		size_t len;
		uint64_t count, error;
		int r;
		if (hc_get_str(c, &v, &len) != 0 || hc_get_u64(c, &count) != 0 ||
		    hc_get_u64(c, &error) != 0)
			return bad(err, "truncated", i);
		if (count == 0)
			return bad(err, "count 0", i);
		if (error >= count)
			return bad(err, "error not below its count", i);
		if (error > t->total / t->capacity)
			return bad(err, "error above total / capacity", i);
		if (count > prev)
			return bad(err, "count above the previous one", i);
		if (count > t->total - sum)
			return bad(err, "counts add up to more than the total", i);
		r = append_desc(t, v, len, count, error);
		if (r == -1)
			return hc_err_nomem(err);
		if (r == -2)
			return bad(err, "value held twice", i);
		sum += count;
		prev = count;
		nonzero_error |= error != 0;
	}
	if (n < t->capacity && (sum != t->total || nonzero_error))
		return hc_err_set(err, HC_ERR_DATA,
				  "top-k sketch: not full, yet not exact");
	return 0;
}

/* Reads what hc_topk_serialize wrote, leaving c after it.  NULL with err
 * set on corrupt input (HC_ERR_DATA; checks at the top of the file) or out
 * of memory; nothing sized by the input is allocated before it is checked
 * against the bytes left. */
struct hc_topk *hc_topk_deserialize(struct hc_cursor *c, struct hc_err *err)
{
	uint32_t cap, n;
	uint64_t total;
	struct hc_topk *t;

	if (hc_get_u32(c, &cap) != 0 || hc_get_u64(c, &total) != 0 ||
	    hc_get_u32(c, &n) != 0) {
		hc_err_set(err, HC_ERR_DATA, "top-k sketch: truncated header");
		return NULL;
	}
	if (cap == 0 || cap > MAX_CAPACITY) {
		hc_err_set(err, HC_ERR_DATA,
			   "top-k sketch: capacity %u out of range 1..%zu", cap,
			   MAX_CAPACITY);
		return NULL;
	}
	if (n > cap) {
		hc_err_set(err, HC_ERR_DATA,
			   "top-k sketch: %u items above the capacity %u", n,
			   cap);
		return NULL;
	}
	if (n > hc_cursor_left(c) / ITEM_MIN_BYTES) {
		hc_err_set(err, HC_ERR_DATA,
			   "top-k sketch: %u items cannot fit in %zu bytes", n,
			   hc_cursor_left(c));
		return NULL;
	}
	if (!(t = hc_topk_new(cap, err)))
		return NULL;
	t->total = total;
	if (grow_counters(t, n) != 0 || index_room(t, n) != 0) {
		hc_err_nomem(err);
		goto free_t;
	}
	if (read_items(t, c, n, err) != 0)
		goto free_t;
	return t;
free_t:
	hc_topk_free(t);
	return NULL;
}
