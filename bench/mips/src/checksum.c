/* checksum: Adler-32 and Fletcher-64 over a 64 KiB buffer, one byte mutated per round. */
#include "bench.h"

#ifndef ROUNDS
#define ROUNDS 1900
#endif

#define BUF_BYTES 65536u
#define ADLER_MOD 65521u
#define ADLER_BLOCK 5552u    /* largest block whose sums cannot overflow 32 bits */
#define FLETCHER_BLOCK 1024u /* words per block before reducing the 64-bit sums */

static uint32_t buf32[BUF_BYTES / 4];

static uint32_t adler32(const uint8_t *p, uint32_t n) {
  uint32_t a = 1, b = 0;
  while (n > 0) {
    uint32_t k = n < ADLER_BLOCK ? n : ADLER_BLOCK;
    n -= k;
    while (k--) {
      a += *p++;
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return (b << 16) | a;
}

static uint64_t fletcher64(const uint32_t *p, uint32_t words) {
  const uint64_t mod = 0xFFFFFFFFu;
  uint64_t a = 0, b = 0;
  while (words > 0) {
    uint32_t k = words < FLETCHER_BLOCK ? words : FLETCHER_BLOCK;
    words -= k;
    while (k--) {
      a += *p++;
      b += a;
    }
    a %= mod;
    b %= mod;
  }
  return (b << 32) | a;
}

int main(void) {
  uint64_t rng = bench_seed();
  for (uint32_t i = 0; i < BUF_BYTES / 4; i++) buf32[i] = (uint32_t)rng_next(&rng);

  uint8_t *bytes = (uint8_t *)buf32;
  uint64_t h = 0;
  for (uint32_t r = 0; r < ROUNDS; r++) {
    uint32_t ad = adler32(bytes, BUF_BYTES);
    uint64_t fl = fletcher64(buf32, BUF_BYTES / 4);
    h = mix64(h, ((uint64_t)ad << 32) ^ fl);
    bytes[(r * 7919u + ad) % BUF_BYTES] ^= (uint8_t)(h | 1);
  }
  bench_report(h);
  return 0;
}
