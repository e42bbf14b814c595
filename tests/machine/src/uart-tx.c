/*
 * uart-tx: a message sent by THR-empty interrupts, in S-mode. Each
 * interrupt's handler reads IIR (which acknowledges THR empty), writes the
 * next byte (which arms the interrupt again) and completes at the PLIC;
 * after the last byte it turns the interrupt off.
 */
#include "machine.h"

static const char message[] = "sent by THRE interrupts, one byte each\n";
static volatile unsigned next, irqs, done;

__attribute__((interrupt("supervisor"))) void s_trap(void) {
  unsigned long cause = csr_read(scause);
  if (cause != (CAUSE_INTERRUPT | IRQ_S_EXT)) fail("scause", cause);
  uint32_t src = PLIC_CLAIM(PLIC_S_CONTEXT);
  if (src != UART_IRQ) fail("claimed source", src);
  irqs++;
  uint8_t iir = UART_IIR;
  if ((iir & 0x0f) != 0x02) fail("IIR", iir);
  if ((UART_IIR & 0x0f) != 0x01) fail("IIR after the read", UART_IIR);
  if (message[next]) {
    UART_THR = (uint8_t)message[next++];
  } else {
    UART_IER = 0;
    done = 1;
  }
  PLIC_CLAIM(PLIC_S_CONTEXT) = src;
}

int s_main(void) {
  PLIC_PRIORITY(UART_IRQ) = 2;
  PLIC_ENABLE(PLIC_S_CONTEXT, 0) = 1u << UART_IRQ;
  PLIC_THRESHOLD(PLIC_S_CONTEXT) = 1;
  UART_FCR = 0x07;
  csr_set(sie, SIE_SEIE);
  csr_set(sstatus, SSTATUS_SIE);
  UART_IER = 0x02; /* THR empty: pending at once, the transmitter is idle */
  WAIT_FOR(done);
  puts_("uart-tx: ");
  putu(irqs);
  puts_(" interrupts\n");
  return irqs == sizeof message ? 0 : 1;
}
