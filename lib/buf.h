/* buf.h - growable byte buffers and bounds-checked readers
 *
 * Every serialised state (sketches, encoder states, models) is built in a
 * struct hc_buf with little-endian puts, and read back through a struct
 * hc_cursor whose gets fail (return -1, set ->bad) instead of reading past
 * the end, so a truncated or lying length cannot cause an overread.
 * A cursor may also be a window onto bytes still being read (a state
 * file decoded as it is read, lib/statefile.h): then its source refills
 * the window when a get needs more than it holds.
 */
#ifndef HC_BUF_H
#define HC_BUF_H

#include <stddef.h>
#include <stdint.h>

struct hc_buf {
	unsigned char *data;
	size_t len, cap;
	int failed; /* an allocation (or the sink) failed: later puts do
		       nothing */
	/* Optional: once HC_BUF_SINK_AT bytes are in, a put hands them to
	 * sink (which returns 0, or -1 to fail the buffer) and the buffer
	 * starts again empty, so that a big serialisation streams out
	 * (lib/statefile.h) instead of being held whole. */
	int (*sink)(struct hc_buf *b, void *ctx);
	void *sink_ctx;
};

#define HC_BUF_SINK_AT ((size_t)1 << 20)

void hc_buf_init(struct hc_buf *b);
void hc_buf_release(struct hc_buf *b);
/* Each returns 0, or -1 once an allocation has failed (sticky). */
int hc_buf_put(struct hc_buf *b, const void *p, size_t n);
int hc_buf_put_u8(struct hc_buf *b, uint8_t v);
int hc_buf_put_u32(struct hc_buf *b, uint32_t v);
int hc_buf_put_u64(struct hc_buf *b, uint64_t v);
int hc_buf_put_f64(struct hc_buf *b, double v);
/* A length (u32) and the bytes. */
int hc_buf_put_str(struct hc_buf *b, const char *s, size_t len);

struct hc_cursor;

/* Where a window's further bytes come from.  fill makes at least n bytes
 * readable at c->p, or all that are left when fewer are; it may move the
 * window, so that pointers from earlier gets (hc_get_str's) are void
 * after it.  0, or -1 when the bytes cannot be read (the source keeps the
 * error). */
struct hc_cursor_src {
	uint64_t unread; /* bytes after c->end, not read yet */
	int (*fill)(struct hc_cursor *c, size_t n);
};

struct hc_cursor {
	const unsigned char *p, *end;
	int bad; /* a get ran past the end */
	struct hc_cursor_src *src; /* NULL: every byte is in [p, end) */
};

void hc_cursor_init(struct hc_cursor *c, const void *p, size_t len);
int hc_get(struct hc_cursor *c, void *out, size_t n);
int hc_get_u8(struct hc_cursor *c, uint8_t *v);
int hc_get_u32(struct hc_cursor *c, uint32_t *v);
int hc_get_u64(struct hc_cursor *c, uint64_t *v);
int hc_get_f64(struct hc_cursor *c, double *v);
/* Points *s at a length-prefixed string inside the cursor's memory (not
 * NUL-terminated); *len its length.  With a source, valid until the next
 * get that refills the window. */
int hc_get_str(struct hc_cursor *c, const char **s, size_t *len);
/* Bytes left in all, read or not. */
static inline size_t hc_cursor_left(const struct hc_cursor *c)
{
	return (size_t)(c->end - c->p) + (c->src ? (size_t)c->src->unread : 0);
}
/* Bytes left in the window: those that can be read without a refill. */
static inline size_t hc_cursor_window(const struct hc_cursor *c)
{
	return (size_t)(c->end - c->p);
}
/* Makes n bytes (or all that are left) readable without a refill; 0, or
 * -1 (and ->bad) when the source fails. */
int hc_cursor_need(struct hc_cursor *c, size_t n);

#endif
