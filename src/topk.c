/* topk.c - heavy hitters over strings: Misra-Gries with batched decrements
 *
 * Implements topk.h.  Misra and Gries, "Finding repeated elements" (1982),
 * in the weighted, batched-decrement form of Berinde, Cormode, Indyk,
 * Strauss ("Space-optimal heavy hitters with strong error bounds", 2010)
 * and Anderson et al. ("A high-performance algorithm for identifying
 * frequent items in data streams", 2017), with the merge of Agarwal,
 * Cormode, Huang, Phillips, Wei, Yi ("Mergeable summaries", PODS 2012).
 * It replaced Space-Saving's stream summary (Metwally et al. 2005), whose
 * linked buckets and one eviction per new value took about 30% of
 * `profile --approx`'s time.
 *
 * The state
 * ---------
 *
 * A floor D (the total of all decrements so far) and up to 2k counters
 * (k = capacity), each a value with count c (an upper bound of its true
 * count f) and error e (so that c - e <= f <= c).  The Misra-Gries counter
 * of a held value is c - D > 0; a new value of weight w starts at
 * c = D + w, e = D: it may have been counted and decremented away before,
 * which cost it at most D.  When all 2k counters are in use, a decrement
 * subtracts d, the k-th largest of the c - D, from every counter (D += d)
 * and drops those no longer positive (c <= D): at most k - 1 stay, so the
 * O(2k) selection and rebuild run once per k or more new values, O(1)
 * amortised per add, with no per-add list surgery.
 *
 * Why the bound holds: each decrement takes d from at least k counters, so
 * with S = the sum of the held c - D, S <= N - k D at all times (adds
 * raise S and N alike).  Hence D <= N / k; every error is at most D; a
 * value not held has f <= D; and fewer than k values have c > N / k, so
 * the top k reported include every value with f > N / k.
 *
 * Reporting and merging look at the top k counters only: the sketch's
 * logical content is those k, with floor max(D, the (k+1)-th count); the
 * rest of the 2k are working room.  S <= N - k D survives that cut: the k
 * kept values have c >= the new floor D', so S' = S - k (D' - D) at most.
 *
 * Merge: counts and errors of equal values add; a value missing from one
 * side is charged that side's floor as count and as error (its true count
 * there is at most the floor); then the largest k are kept, with floor
 * max(D1 + D2, the (k+1)-th merged count).  With M = D1 + D2, the merged
 * c - M add up to at most N1 + N2 - k M, so the invariant above holds for
 * the result and its floor stays <= (N1 + N2) / k.
 *
 * The index
 * ---------
 *
 * Open addressing with linear probing from the value's XXH3 hash to its
 * counter: 8-byte slots of (low 32 bits of the hash, counter + 1), 0 =
 * empty, at most half full.  Nothing is removed between decrements; each
 * decrement compacts the counters and rebuilds the index from their
 * hashes.  Counters are 64 bytes with values up to 32 bytes inline, a heap
 * buffer for longer ones.  Memory: 2k counters, 4k or more index slots,
 * 2k counts of selection scratch: about 1.9 MB at k = 10^4.
 *
 * Serialised form (little-endian, hc_buf puts), version 2 (the Space-
 * Saving form had no floor):
 *
 *   u32 capacity, u64 total, u64 floor, u32 n (<= capacity), then n items
 *   in hc_topk_top order: u32 len, bytes, u64 count, u64 error.
 *
 * Deserialisation rejects (HC_ERR_DATA), before allocating anything sized
 * by the input: capacity 0 or above 2^24, n above capacity, n items that
 * cannot fit in the bytes left, a floor above total / capacity.  Then per
 * item: a length past the end, count 0, error >= count, an error above the
 * floor, a count below the floor, a count above the previous one, a value
 * seen twice, counts whose excess over the floor passes total - capacity *
 * floor; and with floor 0 (exact), a nonzero error or counts that do not
 * add up to the total.
 */
#include "topk.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lib/mem.h"
#include "lib/memeq.h"

#define MAX_CAPACITY ((size_t)1 << 24)
#define INLINE_MAX 32
#define INDEX_MIN_SLOTS 64
/* The smallest serialised item: u32 len, no bytes, u64 count, u64 error. */
#define ITEM_MIN_BYTES 20

struct counter {
	uint64_t count;
	uint64_t error;
	uint32_t hash;     /* low 32 bits of XXH3_64bits(value) */
	uint32_t len;
	uint32_t heap_cap; /* bytes at v.heap when len > INLINE_MAX */
	uint32_t pad;
	union {
		char in[INLINE_MAX];
		char *heap;
	} v;
};

_Static_assert(sizeof(struct counter) == 64, "a counter is one cache line");

struct hc_topk {
	size_t capacity;   /* k */
	size_t room;       /* 2k: counters before a decrement */
	uint64_t total;
	uint64_t floor;    /* D */
	size_t n;          /* counters in use: ctr[0..n) */
	size_t alloc;      /* ctr has room for this many */
	struct counter *ctr;
	uint64_t *slot;    /* index: hash << 32 | (counter + 1); 0 = empty */
	size_t mask;
	uint64_t *scratch; /* room counts, for the selection of a decrement */
	size_t heap_bytes;
};

static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline const char *ctr_value(const struct counter *c)
{
	return c->len > INLINE_MAX ? c->v.heap : c->v.in;
}

static void value_drop(struct hc_topk *t, struct counter *c)
{
	if (c->len > INLINE_MAX) {
		hc_free(c->v.heap);
		t->heap_bytes -= c->heap_cap;
	}
	c->len = 0;
}

/* Stores value in counter c, which holds none, in buf (len bytes from
 * hc_malloc, or NULL to allocate here) when it is long.  0, or -1. */
static int value_store(struct hc_topk *t, struct counter *c, const char *v,
		       size_t len, char *buf)
{
	if (len <= INLINE_MAX) {
		memcpy(c->v.in, v, len);
	} else {
		if (!buf && !(buf = hc_malloc(len)))
			return -1;
		c->v.heap = buf;
		memcpy(c->v.heap, v, len);
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

/* The slot holding value, or the empty slot where it would go. */
static size_t index_probe(const struct hc_topk *t, const char *v, size_t len,
			  uint32_t h)
{
	for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t s = t->slot[i];
		const struct counter *c;
		if (s == 0)
			return i;
		if (slot_hash(s) != h)
			continue;
		c = &t->ctr[slot_ctr(s)];
		if (c->len == len && hc_memeq(ctr_value(c), v, len))
			return i;
	}
}

static void index_rebuild(struct hc_topk *t)
{
	memset(t->slot, 0, (t->mask + 1) * sizeof(*t->slot));
	for (uint32_t x = 0; x < t->n; x++) {
		size_t i = t->ctr[x].hash & t->mask;
		while (t->slot[i])
			i = (i + 1) & t->mask;
		t->slot[i] = (uint64_t)t->ctr[x].hash << 32 | (x + 1);
	}
}

/* Room for one more counter (ctr, index at most half full, scratch). */
static int grow(struct hc_topk *t)
{
	size_t cap = t->alloc ? 2 * t->alloc : 8, slots = INDEX_MIN_SLOTS;
	void *p;

	if (t->n < t->alloc)
		return 0;
	if (cap > t->room)
		cap = t->room;
	while (slots < 2 * cap)
		slots *= 2;
	if (!(p = hc_reallocarray(t->ctr, cap, sizeof(*t->ctr))))
		return -1;
	t->ctr = p;
	if (!(p = hc_reallocarray(t->scratch, cap, sizeof(*t->scratch))))
		return -1;
	t->scratch = p;
	if (slots != (t->slot ? t->mask + 1 : 0)) {
		if (!(p = hc_calloc(slots, sizeof(*t->slot))))
			return -1;
		hc_free(t->slot);
		t->slot = p;
		t->mask = slots - 1;
		index_rebuild(t);
	}
	t->alloc = cap;
	return 0;
}

/* ---- the decrement ---------------------------------------------------- */

/* The r-th largest (r from 0) of a[0..n), reordering a: quickselect with
 * a three-way partition, as counts of 1 and 2 abound. */
static uint64_t select_desc(uint64_t *a, size_t n, size_t r)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		uint64_t x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1], pv;
		size_t lt = lo, i = lo, gt = hi;
		pv = x > y ? (y > z ? y : (x > z ? z : x))
			   : (x > z ? x : (y > z ? z : y));
		while (i < gt) {
			uint64_t v = a[i];
			if (v > pv) {
				a[i++] = a[lt];
				a[lt++] = v;
			} else if (v < pv) {
				a[i] = a[--gt];
				a[gt] = v;
			} else {
				i++;
			}
		}
		if (r < lt)
			hi = lt;
		else if (r >= gt)
			lo = gt;
		else
			return pv;
	}
	return a[lo];
}

/* Subtracts the k-th largest c - D from every counter and drops those
 * left at or below the floor; at most k - 1 stay. */
static void decrement(struct hc_topk *t)
{
	size_t m = 0;

	for (size_t x = 0; x < t->n; x++)
		t->scratch[x] = t->ctr[x].count - t->floor;
	t->floor += select_desc(t->scratch, t->n, t->capacity - 1);
	for (size_t x = 0; x < t->n; x++) {
		struct counter *c = &t->ctr[x];
		if (c->count <= t->floor) {
			value_drop(t, c);
			continue;
		}
		if (m != x)
			t->ctr[m] = *c;
		m++;
	}
	t->n = m;
	index_rebuild(t);
}

/* ---- the API ---------------------------------------------------------- */

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
	t->room = 2 * capacity;
	return t;
}

void hc_topk_free(struct hc_topk *t)
{
	if (!t)
		return;
	for (size_t x = 0; x < t->n; x++)
		value_drop(t, &t->ctr[x]);
	hc_free(t->slot);
	hc_free(t->ctr);
	hc_free(t->scratch);
	hc_free(t);
}

/* A new counter for value (not held) at empty slot i, room permitting. */
static int insert(struct hc_topk *t, size_t i, const char *v, size_t len,
		  uint32_t h, uint64_t count, uint64_t error, char *buf)
{
	struct counter *c = &t->ctr[t->n];

	if (value_store(t, c, v, len, buf) != 0)
		return -1;
	c->count = count;
	c->error = error;
	c->hash = h;
	t->slot[i] = (uint64_t)h << 32 | (t->n + 1);
	t->n++;
	return 0;
}

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

/* Every allocation happens before the sketch changes (a long value's
 * buffer before a decrement), so on -1 (memory, or a value of 4 GiB or
 * more) t is as it was. */
int hc_topk_add_hashed(struct hc_topk *t, const char *value, size_t len,
		       uint64_t hash, uint64_t w)
{
	uint32_t h = (uint32_t)hash;
	size_t i;

	if (w == 0)
		return 0;
	if (len > UINT32_MAX || grow(t) != 0)
		return -1;
	i = index_probe(t, value, len, h);
	if (t->slot[i]) {
		struct counter *c = &t->ctr[slot_ctr(t->slot[i])];
		c->count = sat_add(c->count, w);
	} else {
		char *buf = NULL;
		if (len > INLINE_MAX && !(buf = hc_malloc(len)))
			return -1;
		if (t->n == t->room) {
			decrement(t);
			i = index_probe(t, value, len, h);
		}
		insert(t, i, value, len, h, sat_add(t->floor, w), t->floor, buf);
	}
	t->total = sat_add(t->total, w);
	return 0;
}

uint64_t hc_topk_total(const struct hc_topk *t)
{
	return t->total;
}

uint64_t hc_topk_max_error(const struct hc_topk *t)
{
	return t->floor == 0 && t->n < t->capacity ? 0
						   : t->total / t->capacity;
}

size_t hc_topk_capacity(const struct hc_topk *t)
{
	return t->capacity;
}

size_t hc_topk_bytes(const struct hc_topk *t)
{
	return sizeof(*t) +
	       t->alloc * (sizeof(*t->ctr) + sizeof(*t->scratch)) +
	       (t->slot ? (t->mask + 1) * sizeof(*t->slot) : 0) +
	       t->heap_bytes;
}

/* ---- the top ---------------------------------------------------------- */

/* Count down, then error up, then the bytes (unsigned, a prefix first). */
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

static void fill_item(const struct hc_topk *t, size_t x,
		      struct hc_topk_item *it)
{
	it->value = ctr_value(&t->ctr[x]);
	it->len = t->ctr[x].len;
	it->count = t->ctr[x].count;
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

/* The best r of all held counters into out[0..r), sorted, with no memory
 * but out: a bounded heap, O(n log r). */
static size_t best(const struct hc_topk *t, size_t r, struct hc_topk_item *out)
{
	size_t x, i;

	if (r > t->n)
		r = t->n;
	for (x = 0; x < r; x++)
		fill_item(t, x, &out[x]);
	for (i = r / 2; i-- > 0;)
		sift_down(out, r, i);
	for (; r && x < t->n; x++) {
		struct hc_topk_item it;
		fill_item(t, x, &it);
		if (item_cmp(&it, &out[0]) < 0) {
			out[0] = it;
			sift_down(out, r, 0);
		}
	}
	qsort(out, r, sizeof(*out), item_qsort_cmp);
	return r;
}

size_t hc_topk_top(const struct hc_topk *t, size_t k,
		   struct hc_topk_item *items)
{
	return best(t, k < t->capacity ? k : t->capacity, items);
}

/* ---- merge ------------------------------------------------------------ */

/* The sketch's logical content (see the top of the file): its best
 * min(n, k) counters into out (room for k + 1), sorted; *floor the floor
 * they leave.  Returns their number. */
static size_t view(const struct hc_topk *t, struct hc_topk_item *out,
		   uint64_t *floor)
{
	size_t n = best(t, t->capacity + 1, out);

	*floor = t->floor;
	if (n > t->capacity) {
		n = t->capacity;
		if (out[n].count > *floor)
			*floor = out[n].count;
	}
	return n;
}

/* A new sketch holding it[0..n) (n <= capacity, distinct values), with
 * that floor and total.  NULL with err set. */
static struct hc_topk *build(size_t capacity, const struct hc_topk_item *it,
			     size_t n, uint64_t floor, uint64_t total,
			     struct hc_err *err)
{
	struct hc_topk *nt = hc_topk_new(capacity, err);

	if (!nt)
		return NULL;
	nt->floor = floor;
	nt->total = total;
	for (size_t i = 0; i < n; i++) {
		uint32_t h = (uint32_t)XXH3_64bits(it[i].value, it[i].len);
		size_t s;
		if (grow(nt) != 0)
			goto nomem;
		s = index_probe(nt, it[i].value, it[i].len, h);
		if (insert(nt, s, it[i].value, it[i].len, h, it[i].count,
			   it[i].error, NULL) != 0)
			goto nomem;
	}
	return nt;
nomem:
	hc_err_nomem(err);
	hc_topk_free(nt);
	return NULL;
}

/* t's logical content as a sketch of its own (at most k counters). */
static struct hc_topk *logical(const struct hc_topk *t, struct hc_err *err)
{
	struct hc_topk_item *it = hc_mallocarray(t->capacity + 1, sizeof(*it));
	struct hc_topk *r;
	uint64_t floor;
	size_t n;

	if (!it) {
		hc_err_nomem(err);
		return NULL;
	}
	n = view(t, it, &floor);
	r = build(t->capacity, it, n, floor, t->total, err);
	hc_free(it);
	return r;
}

struct cand {
	struct hc_topk_item it;
	int matched;
};

static int cand_cmp(const void *a, const void *b)
{
	return item_cmp(&((const struct cand *)a)->it,
			&((const struct cand *)b)->it);
}

static void replace(struct hc_topk *t, struct hc_topk *nt)
{
	struct hc_topk tmp = *t;

	*t = *nt;
	*nt = tmp;
	hc_topk_free(nt);
}

/* The union of a and b (at most k counters each, as logical() makes them)
 * into c, counts and errors added, a side's floor charged where it lacks a
 * value.  Returns the number of entries. */
static size_t merge_union(const struct hc_topk *a, const struct hc_topk *b,
			  struct cand *c)
{
	size_t nc = a->n;

	for (size_t x = 0; x < a->n; x++) {
		fill_item(a, x, &c[x].it);
		c[x].matched = 0;
	}
	for (size_t y = 0; y < b->n; y++) {
		struct hc_topk_item it;
		size_t i;
		fill_item(b, y, &it);
		i = a->slot ? index_probe(a, it.value, it.len, b->ctr[y].hash)
			    : 0;
		if (a->slot && a->slot[i]) {
			struct cand *d = &c[slot_ctr(a->slot[i])];
			d->it.count += it.count;
			d->it.error += it.error;
			d->matched = 1;
			continue;
		}
		it.count += a->floor;
		it.error += a->floor;
		c[nc].it = it;
		c[nc++].matched = 1;
	}
	for (size_t x = 0; x < a->n; x++) {
		if (!c[x].matched) {
			c[x].it.count += b->floor;
			c[x].it.error += b->floor;
		}
	}
	return nc;
}

/* Merges the logical contents of dst and src by building a new sketch, so
 * on -1 (memory, or totals past 2^64: HC_ERR_DATA; different capacities:
 * HC_ERR_USAGE) dst is unchanged.  src may be dst.  Counts cannot
 * overflow: each side's counts add up to at most its total plus k times
 * its floor, which is at most twice its total. */
int hc_topk_merge(struct hc_topk *dst, const struct hc_topk *src,
		  struct hc_err *err)
{
	size_t nc, keep;
	uint64_t floor;
	struct cand *c = NULL;
	struct hc_topk_item *it = NULL;
	struct hc_topk *a = NULL, *b = NULL, *nt = NULL;

	if (dst->capacity != src->capacity)
		return hc_err_set(err, HC_ERR_USAGE,
				  "cannot merge top-k sketches of capacities %zu and %zu",
				  dst->capacity, src->capacity);
	if (dst->total > UINT64_MAX - src->total)
		return hc_err_set(err, HC_ERR_DATA,
				  "top-k merge: total count above 2^64");
	if (!(a = logical(dst, err)) || !(b = logical(src, err)))
		goto out;
	c = hc_mallocarray(a->n + b->n + 1, sizeof(*c));
	it = hc_mallocarray(a->n + b->n + 1, sizeof(*it));
	if (!c || !it) {
		hc_err_nomem(err);
		goto out;
	}
	nc = merge_union(a, b, c);
	qsort(c, nc, sizeof(*c), cand_cmp);
	keep = nc < dst->capacity ? nc : dst->capacity;
	floor = a->floor + b->floor;
	if (nc > keep && c[keep].it.count > floor)
		floor = c[keep].it.count;
	for (size_t i = 0; i < keep; i++)
		it[i] = c[i].it;
	nt = build(dst->capacity, it, keep, floor, dst->total + src->total,
		   err);
	if (nt)
		replace(dst, nt);
out:
	hc_free(c);
	hc_free(it);
	hc_topk_free(a);
	hc_topk_free(b);
	return nt ? 0 : -1;
}

/* ---- serialisation ---------------------------------------------------- */

/* Writes the top k held and the floor they leave (the (k+1)-th count when
 * more are held), so equal sketches give equal bytes. */
int hc_topk_serialize(const struct hc_topk *t, struct hc_buf *b)
{
	struct hc_topk_item *items = hc_mallocarray(t->capacity + 1,
						    sizeof(*items));
	uint64_t floor;
	size_t n;
	int r;

	if (!items) {
		b->failed = 1;
		return -1;
	}
	n = view(t, items, &floor);
	r = hc_buf_put_u32(b, (uint32_t)t->capacity) |
	    hc_buf_put_u64(b, t->total) | hc_buf_put_u64(b, floor) |
	    hc_buf_put_u32(b, (uint32_t)n);
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
	uint64_t excess = 0, prev = UINT64_MAX, sum = 0;
	uint64_t room = t->total - t->capacity * t->floor;
	int nonzero_error = 0;

	for (uint32_t i = 0; i < n; i++) {
		const char *v;
		size_t len, s;
		uint64_t count, error;
		uint32_t h;
		if (hc_get_str(c, &v, &len) != 0 || hc_get_u64(c, &count) != 0 ||
		    hc_get_u64(c, &error) != 0)
			return bad(err, "truncated", i);
		if (count == 0)
			return bad(err, "count 0", i);
		if (error >= count)
			return bad(err, "error not below its count", i);
		if (error > t->floor)
			return bad(err, "error above the floor", i);
		if (count < t->floor)
			return bad(err, "count below the floor", i);
		if (count > prev)
			return bad(err, "count above the previous one", i);
		if (count - t->floor > room - excess)
			return bad(err, "counts add up to more than the total", i);
		h = (uint32_t)XXH3_64bits(v, len);
		if (len > UINT32_MAX || grow(t) != 0)
			return hc_err_nomem(err);
		s = index_probe(t, v, len, h);
		if (t->slot[s])
			return bad(err, "value held twice", i);
		if (insert(t, s, v, len, h, count, error, NULL) != 0)
			return hc_err_nomem(err);
		excess += count - t->floor;
		sum += count;
		prev = count;
		nonzero_error |= error != 0;
	}
	if (t->floor == 0 && (sum != t->total || nonzero_error))
		return hc_err_set(err, HC_ERR_DATA,
				  "top-k sketch: floor 0, yet not exact");
	return 0;
}

struct hc_topk *hc_topk_deserialize(struct hc_cursor *c, struct hc_err *err)
{
	uint32_t cap, n;
	uint64_t total, floor;
	struct hc_topk *t;

	if (hc_get_u32(c, &cap) != 0 || hc_get_u64(c, &total) != 0 ||
	    hc_get_u64(c, &floor) != 0 || hc_get_u32(c, &n) != 0) {
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
	if (floor > total / cap) {
		hc_err_set(err, HC_ERR_DATA,
			   "top-k sketch: floor above total / capacity");
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
	t->floor = floor;
	if (read_items(t, c, n, err) != 0) {
		hc_topk_free(t);
		return NULL;
	}
	return t;
}
