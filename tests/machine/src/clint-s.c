/*
 * clint-s: the CLINT's timer and software interrupts reaching S-mode, as
 * SBI firmware routes them: the M-mode runtime takes the machine timer
 * interrupt and raises STIP, takes msip and raises SSIP; mideleg hands
 * both to the S-mode handler here. Also a software interrupt S-mode sends
 * itself by writing sip.SSIP.
 */
#include "machine.h"

static volatile unsigned ticks, softs;
static volatile uint64_t deadline;

__attribute__((interrupt("supervisor"))) void s_trap(void) {
  unsigned long cause = csr_read(scause);
  if (cause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
    if (CLINT_MTIME < deadline) fail("timer early by", deadline - CLINT_MTIME);
    ticks++;
    m_call(M_CLEAR_TIMER, 0);
  } else if (cause == (CAUSE_INTERRUPT | IRQ_S_SOFT)) {
    softs++;
    csr_clear(sip, SIP_SSIP);
  } else {
    fail("scause", cause);
  }
}

int s_main(void) {
  csr_set(sie, SIE_STIE | SIE_SSIE);
  csr_set(sstatus, SSTATUS_SIE);
  for (unsigned n = 1; n <= 3; n++) {
    deadline = CLINT_MTIME + 1000; /* 100 us at 10 MHz */
    m_call(M_SET_TIMER, deadline);
    WAIT_FOR(ticks >= n);
    csr_set(sstatus, SSTATUS_SIE);
  }
  CLINT_MSIP = 1; /* M-mode software interrupt, passed on as SSIP */
  WAIT_FOR(softs >= 1);
  csr_set(sstatus, SSTATUS_SIE);
  csr_set(sip, SIP_SSIP); /* S-mode's own software interrupt */
  WAIT_FOR(softs >= 2);
  puts_("clint-s: ");
  putu(ticks);
  puts_(" timer and ");
  putu(softs);
  puts_(" software interrupts in S-mode\n");
  return 0;
}
