/* buf.h - growable byte buffers and bounds-checked readers
 *
 * Every serialised state (sketches, encoder states, models) is built in a
 * struct hc_buf with little-endian puts, and read back through a struct
 * hc_cursor whose gets fail (return -1, set ->bad) instead of reading past
 * the end, so a truncated or lying length cannot cause an overread.
 */
#ifndef HC_BUF_H
#define HC_BUF_H

#include <stddef.h>
#include <stdint.h>

struct hc_buf {
	unsigned char *data;
	size_t len, cap;
	int failed; /* an allocation failed: later puts do nothing */
};

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

struct hc_cursor {
	const unsigned char *p, *end;
	int bad; /* a get ran past the end */
};

void hc_cursor_init(struct hc_cursor *c, const void *p, size_t len);
int hc_get(struct hc_cursor *c, void *out, size_t n);
int hc_get_u8(struct hc_cursor *c, uint8_t *v);
int hc_get_u32(struct hc_cursor *c, uint32_t *v);
int hc_get_u64(struct hc_cursor *c, uint64_t *v);
int hc_get_f64(struct hc_cursor *c, double *v);
/* Points *s at a length-prefixed string inside the cursor's memory (not
 * NUL-terminated); *len its length. */
int hc_get_str(struct hc_cursor *c, const char **s, size_t *len);
static inline size_t hc_cursor_left(const struct hc_cursor *c)
{
	return (size_t)(c->end - c->p);
}

#endif
