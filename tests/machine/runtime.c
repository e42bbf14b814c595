/*
 * runtime.c - M-mode side of the board tests: set-up, the drop to S-mode,
 * and the services S-mode asks for by ecall (see machine.h).
 */
#include "machine.h"

#define FINISHER REG32(0x100000)
#define MSTATUS_MPP_MASK (3UL << 11)
#define MSTATUS_MPP_S (1UL << 11)
#define MSTATUS_FS_INITIAL (1UL << 13)
#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define MIP_STIP (1UL << 5)
#define MIP_SSIP (1UL << 1)
#define CAUSE_ECALL_S 9

/* The ecall's arguments travel through memory (the interrupt attribute
 * saves and restores a0..a7 around the handler). */
static volatile unsigned long call_fn, call_arg;

void putc_(char c) {
  while (!(UART_LSR & LSR_THRE)) {}
  UART_THR = (uint8_t)c;
}

void puts_(const char *s) {
  while (*s) putc_(*s++);
}

void putu(uint64_t v) {
  char buf[21];
  int i = 20;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  puts_(&buf[i]);
}

void finish(int code) {
  FINISHER = code == 0 ? 0x5555 : ((uint32_t)code << 16) | 0x3333;
  for (;;) {}
}

void fail(const char *what, uint64_t v) {
  puts_("FAIL: ");
  puts_(what);
  puts_(" ");
  putu(v);
  puts_("\n");
  m_call(M_EXIT, 1);
  for (;;) {}
}

void m_call(unsigned long fn, unsigned long arg) {
  call_fn = fn;
  call_arg = arg;
  __asm__ volatile("ecall" ::: "memory");
}

__attribute__((interrupt("machine"))) static void m_trap(void) {
  unsigned long cause = csr_read(mcause);
  if (cause == (CAUSE_INTERRUPT | 7)) {
    /* Machine timer: hand it to S-mode as STIP, and mask it until re-armed. */
    csr_clear(mie, MIE_MTIE);
    csr_set(mip, MIP_STIP);
    return;
  }
  if (cause == (CAUSE_INTERRUPT | 3)) {
    /* Machine software (CLINT msip): acknowledge, pass on as SSIP. */
    CLINT_MSIP = 0;
    csr_set(mip, MIP_SSIP);
    return;
  }
  if (cause == CAUSE_ECALL_S) {
    csr_write(mepc, csr_read(mepc) + 4);
    switch (call_fn) {
    case M_EXIT:
      finish((int)call_arg);
    case M_SET_TIMER:
      CLINT_MTIMECMP = call_arg;
      csr_clear(mip, MIP_STIP);
      csr_set(mie, MIE_MTIE);
      return;
    case M_CLEAR_TIMER:
      csr_clear(mip, MIP_STIP);
      return;
    }
  }
  puts_("FAIL: unexpected M-mode trap, mcause ");
  putu(cause);
  puts_("\n");
  finish(2);
}

static void s_entry(void) {
  m_call(M_EXIT, (unsigned long)s_main());
}

void m_main(void) {
  /* All of memory for S-mode: one NAPOT PMP region covering everything. */
  csr_write(pmpaddr0, -1UL);
  csr_write(pmpcfg0, 0x1f);
  csr_write(mtvec, (unsigned long)m_trap);
  csr_write(stvec, (unsigned long)s_trap);
  csr_write(mideleg, SIP_SSIP | MIP_STIP | (1UL << IRQ_S_EXT));
  csr_write(medeleg, 0);
  csr_write(mie, MIE_MSIE);
  CLINT_MTIMECMP = -1UL;
  unsigned long ms = csr_read(mstatus);
  /* FS on: the interrupt handlers save the FP registers too. */
  csr_write(mstatus, (ms & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S | MSTATUS_FS_INITIAL);
  csr_write(mepc, (unsigned long)s_entry);
  __asm__ volatile("mret");
  for (;;) {}
}
