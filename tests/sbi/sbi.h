/* SBI calls and console output for the S-mode test programs.
 * Numbers from the RISC-V SBI specification v2.0. */
#ifndef SBI_H
#define SBI_H

typedef unsigned long u64;
typedef long i64;

struct sbiret {
  i64 error;
  i64 value;
};

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434e

static inline struct sbiret sbi_call(u64 ext, u64 fid, u64 a0, u64 a1, u64 a2, u64 a3) {
  register u64 r0 asm("a0") = a0;
  register u64 r1 asm("a1") = a1;
  register u64 r2 asm("a2") = a2;
  register u64 r3 asm("a3") = a3;
  register u64 r6 asm("a6") = fid;
  register u64 r7 asm("a7") = ext;
  asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r3), "r"(r6), "r"(r7) : "memory");
  struct sbiret r = {(i64)r0, (i64)r1};
  return r;
}

/* Legacy (v0.1) calls return in a0 only. */
static inline i64 sbi_legacy(u64 ext, u64 a0) {
  register u64 r0 asm("a0") = a0;
  register u64 r7 asm("a7") = ext;
  asm volatile("ecall" : "+r"(r0) : "r"(r7) : "a1", "memory");
  return (i64)r0;
}

static inline void putc_legacy(char c) { sbi_legacy(0x01, (unsigned char)c); }

static inline void puts_legacy(const char *s) {
  while (*s) putc_legacy(*s++);
}

static inline void put_hex(u64 v) {
  char buf[19];
  buf[0] = '0';
  buf[1] = 'x';
  int n = 0;
  u64 t = v;
  do {
    n++;
    t >>= 4;
  } while (t);
  for (int i = n - 1; i >= 0; i--) {
    buf[2 + i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  }
  buf[2 + n] = 0;
  puts_legacy(buf);
}

static inline void put_dec(i64 v) {
  char buf[24];
  int n = 0;
  u64 u = v < 0 ? -(u64)v : (u64)v;
  do {
    buf[n++] = '0' + u % 10;
    u /= 10;
  } while (u);
  if (v < 0) putc_legacy('-');
  while (n) putc_legacy(buf[--n]);
}

static inline u64 rdtime(void) {
  u64 t;
  asm volatile("rdtime %0" : "=r"(t));
  return t;
}

#endif
