/*
 * hello: the smallest tour of mica's emulated machine. It runs in M-mode on
 * the bare virt board (no kernel), prints what the hart says about itself,
 * computes a little, and powers off through the SiFive test finisher.
 */
#include <stdint.h>

#define UART0 ((volatile uint8_t *)0x10000000)
#define UART_LSR_THRE 0x20
#define FINISHER ((volatile uint32_t *)0x100000)
#define FINISHER_PASS 0x5555

static void putc(char c) {
  while ((UART0[5] & UART_LSR_THRE) == 0) {
  }
  UART0[0] = (uint8_t)c;
}

static void puts(const char *s) {
  while (*s) putc(*s++);
}

static void puthex(uint64_t v) {
  puts("0x");
  for (int i = 60; i >= 0; i -= 4) putc("0123456789abcdef"[(v >> i) & 15]);
}

static void putdec(uint64_t v) {
  char buf[21];
  int n = 0;
  do buf[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n) putc(buf[--n]);
}

#define csr_read(name)                                  \
  ({                                                    \
    uint64_t v_;                                        \
    __asm__ volatile("csrr %0, " #name : "=r"(v_));     \
    v_;                                                 \
  })

void main(uint64_t hartid, uint64_t dtb) {
  puts("Hello from mica's RISC-V machine!\n");
  uint64_t misa = csr_read(misa);
  puts("  hart ");
  putdec(hartid);
  puts(": RV64");
  for (int i = 0; i < 26; i++)
    if (misa & (1ull << i)) putc((char)('A' + i));
  puts(", device tree at ");
  puthex(dtb);
  putc('\n');

  /* A little work: count primes below 20000 by trial division. */
  uint64_t start = csr_read(instret);
  unsigned primes = 0;
  for (unsigned n = 2; n < 20000; n++) {
    unsigned d = 2;
    while (d * d <= n && n % d != 0) d++;
    if (d * d > n) primes++;
  }
  uint64_t spent = csr_read(instret) - start;
  puts("  ");
  putdec(primes);
  puts(" primes below 20000, found in ");
  putdec(spent);
  puts(" instructions\n");
  puts("Powering off.\n");
  *FINISHER = FINISHER_PASS;
  for (;;) {
  }
}
