/* fuzz_state.c - libFuzzer target: the profile state file (`hicard
 * profile --sketch-out`, read by --merge): lib/statefile.h around
 * src/profile.h's hc_profile_deserialize
 *
 * Input: one option byte, then bytes.  Bit 0 clear: the bytes are a whole
 * state file, read through hc_statefile_read (bit 1: its CRC is first
 * fixed to match, so mutations get past it).  Bit 0 set: the bytes are
 * the payload, wrapped in a valid container here.  Bit 2 reads from a
 * memory file, otherwise from stdin in pieces (where the file's size is
 * unknown).  A state that decodes is then used as --merge would: merged
 * with a second copy of itself under a budget (bit 3: 512 MiB, or 1 KiB
 * to force the switch to sketches), reported and saved again.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/crc32c.h"
#include "lib/mem.h"
#include "lib/statefile.h"
#include "src/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As cmd/profile.c writes them. */
#define STATE_MAGIC "\x89HCP\r\n\x1a\n"
#define STATE_VERSION 1

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *make_file(const uint8_t *data, size_t size, uint8_t opt,
			  size_t *n)
{
	uint8_t *f;

	if (!(opt & 1)) {
		if (!(f = malloc(size ? size : 1)))
			return NULL;
		memcpy(f, data, size);
		if ((opt & 2) && size >= 24)
			put32(f + size - 4, hc_crc32c(0, f + 20, size - 24));
		*n = size;
		return f;
	}
	if (!(f = malloc(size + 24)))
		return NULL;
	memcpy(f, STATE_MAGIC, 8);
	put32(f + 8, STATE_VERSION);
	put32(f + 12, (uint32_t)size);
	put32(f + 16, 0);
	memcpy(f + 20, data, size);
	put32(f + 20 + size, hc_crc32c(0, data, size));
	*n = size + 24;
	return f;
}

static void use(const unsigned char *payload, size_t len, uint64_t memory)
{
	struct hc_profile *p, *q;
	struct hc_cursor cur;
	struct hc_err err = {0};
	struct hc_buf b;
	cJSON *doc;

	hc_cursor_init(&cur, payload, len);
	if (!(p = hc_profile_deserialize(&cur, memory, &err))) {
		FZ_CHECK(err.msg[0]);
		return;
	}
	hc_cursor_init(&cur, payload, len);
	q = hc_profile_deserialize(&cur, memory, &err);
	FZ_CHECK(q != NULL); /* the same bytes decode the same way */
	if (hc_profile_merge(p, q, &err) != 0)
		FZ_CHECK(err.msg[0]);
	hc_profile_free(q);
	if ((doc = hc_profile_report(p, &err)))
		cJSON_Delete(doc);
	hc_buf_init(&b);
	hc_profile_serialize(p, &b);
	hc_buf_release(&b);
	hc_profile_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_input src;
	struct hc_err err = {0};
	unsigned char *payload;
	size_t n, len;
	uint8_t opt, *f;
	int rc;

	if (size < 1)
		return 0;
	opt = data[0];
	if (!(f = make_file(data + 1, size - 1, opt, &n)))
		return 0;
	rc = (opt & 4) ? fz_memfile(&src, f, n)
		       : fz_stdin(&src, f, n, 1 + (size_t)(opt >> 4) * 5);
	free(f);
	if (rc != 0)
		return 0;
	if (hc_statefile_read(src.path, STATE_MAGIC, STATE_VERSION,
			      "hicard profile state", &payload, &len, &err) == 0) {
		use(payload, len, (opt & 8) ? 1024 : (uint64_t)512 << 20);
		hc_free(payload);
	} else {
		FZ_CHECK(err.msg[0]);
	}
	fz_done(&src);
	return 0;
}
