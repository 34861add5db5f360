/* buf.c - growable byte buffers and bounds-checked readers; see buf.h */
#include "buf.h"

#include <string.h>

#include "mem.h"

void hc_buf_init(struct hc_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void hc_buf_release(struct hc_buf *b)
{
	hc_free(b->data);
	memset(b, 0, sizeof(*b));
}

int hc_buf_put(struct hc_buf *b, const void *p, size_t n)
{
	void *d = b->data;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX - b->len || hc_grow(&d, &b->cap, b->len + n, 1) != 0) {
		b->failed = 1;
		return -1;
	}
	b->data = d;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	if (b->sink && b->len >= HC_BUF_SINK_AT) {
		if (b->sink(b, b->sink_ctx) != 0) {
			b->failed = 1;
			return -1;
		}
		b->len = 0;
	}
	return 0;
}

int hc_buf_put_u8(struct hc_buf *b, uint8_t v)
{
	return hc_buf_put(b, &v, 1);
}

/* Stored little-endian whatever the host: byte by byte. */
int hc_buf_put_u32(struct hc_buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 24)};

	return hc_buf_put(b, x, 4);
}

int hc_buf_put_u64(struct hc_buf *b, uint64_t v)
{
	return hc_buf_put_u32(b, (uint32_t)v) | hc_buf_put_u32(b, (uint32_t)(v >> 32));
}

int hc_buf_put_f64(struct hc_buf *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	return hc_buf_put_u64(b, u);
}

int hc_buf_put_str(struct hc_buf *b, const char *s, size_t len)
{
	if (len > UINT32_MAX) {
		b->failed = 1;
		return -1;
	}
	return hc_buf_put_u32(b, (uint32_t)len) | hc_buf_put(b, s, len);
}

void hc_cursor_init(struct hc_cursor *c, const void *p, size_t len)
{
	c->p = p;
	c->end = c->p + len;
	c->bad = 0;
	c->src = NULL;
}

int hc_cursor_need(struct hc_cursor *c, size_t n)
{
	if (hc_cursor_window(c) >= n || !c->src || c->src->unread == 0)
		return 0;
	if (c->src->fill(c, n) != 0) {
		c->bad = 1;
		return -1;
	}
	return 0;
}

int hc_get(struct hc_cursor *c, void *out, size_t n)
{
	if (c->bad || hc_cursor_need(c, n) != 0 || hc_cursor_window(c) < n) {
		c->bad = 1;
		return -1;
	}
	memcpy(out, c->p, n);
	c->p += n;
	return 0;
}

int hc_get_u8(struct hc_cursor *c, uint8_t *v)
{
	return hc_get(c, v, 1);
}

int hc_get_u32(struct hc_cursor *c, uint32_t *v)
{
	unsigned char x[4];

	if (hc_get(c, x, 4) != 0)
		return -1;
	*v = (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 |
	     (uint32_t)x[3] << 24;
	return 0;
}

int hc_get_u64(struct hc_cursor *c, uint64_t *v)
{
	uint32_t lo, hi;

	if (hc_get_u32(c, &lo) != 0 || hc_get_u32(c, &hi) != 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int hc_get_f64(struct hc_cursor *c, double *v)
{
	uint64_t u;

	if (hc_get_u64(c, &u) != 0)
		return -1;
	memcpy(v, &u, 8);
	return 0;
}

int hc_get_str(struct hc_cursor *c, const char **s, size_t *len)
{
	uint32_t n;

	if (hc_get_u32(c, &n) != 0)
		return -1;
	if (hc_cursor_need(c, n) != 0 || hc_cursor_window(c) < n) {
		c->bad = 1;
		return -1;
	}
	*s = (const char *)c->p;
	*len = n;
	c->p += n;
	return 0;
}
