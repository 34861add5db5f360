/* test_crc32c.c - CRC-32C against published vectors and a bitwise reference
 *
 * Frame blocks are checked with this CRC, so a wrong value would reject
 * every file (or, worse, one machine's files on another: hardware and
 * table paths must agree).  Known answers: the "123456789" check value and
 * the iSCSI vectors of RFC 3720 B.4.  Then a one-bit-at-a-time reference
 * must agree on random buffers of every small length and alignment, and a
 * CRC computed in pieces must equal the CRC of the whole.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "lib/crc32c.h"
#include "suites.h"

/* The definition, one bit at a time (reflected polynomial 0x82F63B78). */
static uint32_t crc_ref(uint32_t crc, const unsigned char *p, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
	}
	return ~crc;
}

static uint64_t rng_state = 0x853C49E6748FEA9Bull;

static unsigned char rng_byte(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned char)((rng_state * 2685821657736338717ull) >> 56);
}

START_TEST(test_check_value)
{
	ck_assert_uint_eq(hc_crc32c(0, "123456789", 9), 0xE3069283u);
	ck_assert_uint_eq(crc_ref(0, (const unsigned char *)"123456789", 9),
			  0xE3069283u);
	ck_assert_uint_eq(hc_crc32c(0, "a", 1), 0xC1D04330u);
	ck_assert_uint_eq(hc_crc32c(0, "The quick brown fox jumps over the lazy dog",
				    43),
			  0x22620404u);
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_uint_eq(hc_crc32c(0, "", 0), 0);
	ck_assert_uint_eq(hc_crc32c(0, NULL, 0), 0);
	/* no bytes: the running value passes through */
	ck_assert_uint_eq(hc_crc32c(0xE3069283u, "x", 0), 0xE3069283u);
	ck_assert_uint_eq(hc_crc32c(0xFFFFFFFFu, "x", 0), 0xFFFFFFFFu);
}
END_TEST

/* RFC 3720 appendix B.4 */
START_TEST(test_rfc3720)
{
	unsigned char buf[48];

	memset(buf, 0, 32);
	ck_assert_uint_eq(hc_crc32c(0, buf, 32), 0x8A9136AAu);
	memset(buf, 0xFF, 32);
	ck_assert_uint_eq(hc_crc32c(0, buf, 32), 0x62A8AB43u);
	for (int k = 0; k < 32; k++)
		buf[k] = (unsigned char)k;
	ck_assert_uint_eq(hc_crc32c(0, buf, 32), 0x46DD794Eu);
	for (int k = 0; k < 32; k++)
		buf[k] = (unsigned char)(31 - k);
	ck_assert_uint_eq(hc_crc32c(0, buf, 32), 0x113FDB5Cu);
	{
		static const unsigned char scsi[48] = {
			0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
			0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
			0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		};
		ck_assert_uint_eq(hc_crc32c(0, scsi, 48), 0xD9963A56u);
	}
}
END_TEST

/* Every length 0..300 at every alignment 0..15, then a few large odd
 * sizes, against the reference; mismatches reported one at a time. */
START_TEST(test_reference)
{
	static unsigned char buf[70000 + 16];

	for (size_t k = 0; k < sizeof(buf); k++)
		buf[k] = rng_byte();
	for (size_t align = 0; align < 16; align++)
		for (size_t len = 0; len <= 300; len++) {
			uint32_t got = hc_crc32c(0, buf + align, len);
			uint32_t want = crc_ref(0, buf + align, len);
			if (got != want)
				ck_abort_msg("length %zu at offset %zu: %08x, want %08x",
					     len, align, got, want);
		}
	{
		static const size_t big[] = { 4095, 4097, 65537, 70000 };
		for (size_t i = 0; i < 4; i++) {
			uint32_t got = hc_crc32c(0, buf + i * 3, big[i]);
			uint32_t want = crc_ref(0, buf + i * 3, big[i]);
			ck_assert_msg(got == want, "length %zu: %08x, want %08x",
				      big[i], got, want);
		}
	}
}
END_TEST

/* crc(crc(a), b) == crc(a b) at every split point. */
START_TEST(test_incremental)
{
	unsigned char buf[1031];
	uint32_t whole;

	for (size_t k = 0; k < sizeof(buf); k++)
		buf[k] = rng_byte();
	whole = hc_crc32c(0, buf, sizeof(buf));
	ck_assert_uint_eq(whole, crc_ref(0, buf, sizeof(buf)));
	for (size_t cut = 0; cut <= sizeof(buf); cut++) {
		uint32_t c = hc_crc32c(0, buf, cut);
		c = hc_crc32c(c, buf + cut, sizeof(buf) - cut);
		if (c != whole)
			ck_abort_msg("split at %zu: %08x, want %08x", cut, c, whole);
	}
	/* and in pieces of 1..13 bytes */
	{
		uint32_t c = 0;
		size_t off = 0;
		for (size_t step = 1; off < sizeof(buf); step = step % 13 + 1) {
			size_t n = step < sizeof(buf) - off ? step : sizeof(buf) - off;
			c = hc_crc32c(c, buf + off, n);
			off += n;
		}
		ck_assert_uint_eq(c, whole);
	}
	/* "123456789" in two calls */
	ck_assert_uint_eq(hc_crc32c(hc_crc32c(0, "1234", 4), "56789", 5),
			  0xE3069283u);
}
END_TEST

/* A changed bit changes the CRC (every single-bit flip of a block). */
START_TEST(test_bit_flips)
{
	unsigned char buf[256];
	uint32_t base;

	for (size_t k = 0; k < sizeof(buf); k++)
		buf[k] = rng_byte();
	base = hc_crc32c(0, buf, sizeof(buf));
	for (size_t bit = 0; bit < sizeof(buf) * 8; bit++) {
		uint32_t c;
		buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		c = hc_crc32c(0, buf, sizeof(buf));
		buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		if (c == base)
			ck_abort_msg("flipping bit %zu left the CRC unchanged", bit);
	}
}
END_TEST

Suite *suite_crc32c(void)
{
	Suite *s = suite_create("crc32c");
	TCase *tc = tcase_create("crc32c");

	tcase_add_test(tc, test_check_value);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_rfc3720);
	tcase_add_test(tc, test_reference);
	tcase_add_test(tc, test_incremental);
	tcase_add_test(tc, test_bit_flips);
	suite_add_tcase(s, tc);
	return s;
}
