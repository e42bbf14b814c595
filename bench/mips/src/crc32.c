/* crc32: byte-at-a-time table-driven CRC-32 (reflected 0xEDB88320) over a 64 KiB buffer. */
#include "bench.h"

#ifndef ROUNDS
#define ROUNDS 900
#endif

#define BUF_BYTES 65536u

static uint32_t table[256];
static uint8_t buf[BUF_BYTES];

static void make_table(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t n) {
  crc = ~crc;
  while (n--) crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

int main(void) {
  make_table();
  /* Sanity check against the standard check value of "123456789". */
  static const uint8_t check[] = "123456789";
  if (crc32(0, check, 9) != 0xCBF43926u) return 1;

  uint64_t rng = bench_seed();
  for (uint32_t i = 0; i < BUF_BYTES; i += 8) {
    uint64_t v = rng_next(&rng);
    for (int k = 0; k < 8; k++) buf[i + k] = (uint8_t)(v >> (8 * k));
  }

  uint64_t h = 0;
  uint32_t crc = 0;
  for (uint32_t r = 0; r < ROUNDS; r++) {
    crc = crc32(crc, buf, BUF_BYTES);
    h = mix64(h, crc);
    buf[(crc ^ (r * 40503u)) % BUF_BYTES] += (uint8_t)r;
  }
  bench_report(h);
  return 0;
}
