/*
 * sleep: waits 200 ms of guest time for the CLINT timer (in wfi), then
 * reports how much time passed by mtime. With deterministic time the wait
 * takes no host time at all; with `mica machine run --realtime` it takes
 * 200 ms of the host's clock (tests/machine/machine.test.ts checks both).
 */
#include "machine.h"

static volatile unsigned ticks;

__attribute__((interrupt("supervisor"))) void s_trap(void) {
  unsigned long cause = csr_read(scause);
  if (cause != (CAUSE_INTERRUPT | IRQ_S_TIMER)) fail("scause", cause);
  ticks++;
  m_call(M_CLEAR_TIMER, 0);
}

int s_main(void) {
  csr_set(sie, SIE_STIE);
  csr_set(sstatus, SSTATUS_SIE);
  uint64_t start = CLINT_MTIME;
  m_call(M_SET_TIMER, start + 2000000); /* 200 ms at 10 MHz */
  WAIT_FOR(ticks >= 1);
  uint64_t waited = CLINT_MTIME - start;
  puts_("sleep: woke after ");
  putu(waited / 10000 >= 200 ? 200 : (unsigned)(waited / 10000));
  puts_(" ms or more\n");
  return 0;
}
