/* Shared helpers for the mica MIPS workloads (bare metal, QEMU virt, M-mode). */
#ifndef MICA_BENCH_H
#define MICA_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Print a string / a u64 as 16 lowercase hex digits on the NS16550A UART. */
void uart_putc(char c);
void uart_puts(const char *s);
void uart_put_hex64(uint64_t v);

/* Print the result checksum line ("%016llx\n"). */
void bench_report(uint64_t checksum);

/* Freestanding replacements; GCC may emit calls to these. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

/* Seed that the compiler cannot see through, so no workload can be folded at compile time. */
uint64_t bench_seed(void);

/* xorshift64* step: cheap, deterministic pseudo-random numbers. */
static inline uint64_t rng_next(uint64_t *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

/* Fold a value into a running 64-bit hash (multiply-rotate mixing). */
static inline uint64_t mix64(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 31);
}

#endif
