/* UART output, power-off and trap reporting shared by all workloads. */
#include "bench.h"

#define UART_BASE 0x10000000UL     /* NS16550A; THR at offset 0 */
#define TEST_FINISHER 0x100000UL   /* SiFive test device */
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

static volatile uint64_t seed_cell = 0x6D69636142656E63ULL; /* "micaBenc" */

uint64_t bench_seed(void) { return seed_cell; }

void uart_putc(char c) { *(volatile uint8_t *)UART_BASE = (uint8_t)c; }

void uart_puts(const char *s) {
  while (*s) uart_putc(*s++);
}

void uart_put_hex64(uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) uart_putc(digits[(v >> shift) & 0xF]);
}

void bench_report(uint64_t checksum) {
  uart_put_hex64(checksum);
  uart_putc('\n');
}

/* Called by crt0 with main's return value: 0 -> pass (QEMU exits 0), else fail(code). */
__attribute__((noreturn)) void bench_exit(int code) {
  uint32_t v = code == 0 ? FINISHER_PASS : (((uint32_t)code & 0xFFFF) << 16) | FINISHER_FAIL;
  *(volatile uint32_t *)TEST_FINISHER = v;
  for (;;) __asm__ volatile("wfi");
}

/* Any trap is a bug in a workload (or in the emulator running it). */
__attribute__((noreturn)) void bench_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval) {
  uart_puts("TRAP mcause=");
  uart_put_hex64(mcause);
  uart_puts(" mepc=");
  uart_put_hex64(mepc);
  uart_puts(" mtval=");
  uart_put_hex64(mtval);
  uart_putc('\n');
  bench_exit(0x7F);
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}
