/*
 * uart-tx-noiir: THR-empty interrupts driven as xv6's UART driver drives
 * them. The handler reads LSR (never IIR, so THR-empty is never
 * acknowledged), writes the next byte while LSR says THR is empty, and
 * completes at the PLIC; the interrupt stays enabled after the last byte.
 * On QEMU's PLIC a source pends when its device drives the line high, not
 * again at the complete: each THR write gives one more interrupt, and once
 * nothing is written the interrupts stop. (A PLIC that re-pended at the
 * complete while THR-empty is still asserted would never let s_main run
 * again.)
 */
#include "machine.h"

static const char message[] = "sent as xv6 sends, IIR never read\n";
static volatile unsigned next, irqs;

__attribute__((interrupt("supervisor"))) void s_trap(void) {
  unsigned long cause = csr_read(scause);
  if (cause != (CAUSE_INTERRUPT | IRQ_S_EXT)) fail("scause", cause);
  uint32_t src = PLIC_CLAIM(PLIC_S_CONTEXT);
  if (src != UART_IRQ) fail("claimed source", src);
  irqs++;
  if ((UART_LSR & LSR_THRE) && message[next]) UART_THR = (uint8_t)message[next++];
  PLIC_CLAIM(PLIC_S_CONTEXT) = src;
}

int s_main(void) {
  PLIC_PRIORITY(UART_IRQ) = 1;
  PLIC_ENABLE(PLIC_S_CONTEXT, 0) = 1u << UART_IRQ;
  PLIC_THRESHOLD(PLIC_S_CONTEXT) = 0;
  UART_FCR = 0x07;
  csr_set(sie, SIE_SEIE);
  csr_set(sstatus, SSTATUS_SIE);
  UART_IER = 0x03; /* received data and THR empty, as xv6's uartinit */
  WAIT_FOR(!message[next]);
  /* Time for any further interrupt to arrive: there should be exactly one. */
  for (volatile int i = 0; i < 100000; i++) {
  }
  csr_clear(sstatus, SSTATUS_SIE);
  unsigned n = irqs;
  puts_("uart-tx-noiir: ");
  putu(n);
  puts_(" interrupts\n");
  return n == sizeof message ? 0 : 1;
}
