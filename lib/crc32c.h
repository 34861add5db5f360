/* crc32c.h - CRC-32C (Castagnoli), the checksum of frame blocks
 *
 * Uses the SSE4.2 crc32 instruction when the CPU has it (about 10 GB/s, so
 * checking blocks costs little next to reading them) and a slicing-by-8
 * table otherwise; both give the same values.  Check value: crc32c of
 * "123456789" is 0xE3069283.
 */
#ifndef HC_CRC32C_H
#define HC_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* CRC of buf continuing from crc (start with 0). */
uint32_t hc_crc32c(uint32_t crc, const void *buf, size_t len);

#endif
