/*
 * uart-rx: a line of console input received by interrupts, in S-mode.
 * The UART's FIFO triggers at 8 bytes (a shorter tail comes by the
 * character timeout); each interrupt goes through the PLIC's S-mode context
 * (claim, drain the FIFO, complete). How many interrupts a line takes
 * depends on when the host delivers the bytes: on mica, all are there from
 * the start; on QEMU, they come as its event loop reads stdin.
 */
#include "machine.h"

static volatile char line[128];
static volatile unsigned len, irqs, done;

__attribute__((interrupt("supervisor"))) void s_trap(void) {
  unsigned long cause = csr_read(scause);
  if (cause != (CAUSE_INTERRUPT | IRQ_S_EXT)) fail("scause", cause);
  uint32_t src = PLIC_CLAIM(PLIC_S_CONTEXT);
  if (src != UART_IRQ) fail("claimed source", src);
  irqs++;
  while (UART_LSR & LSR_DR) {
    char c = (char)UART_RBR;
    if (len < sizeof line - 1) line[len++] = c;
    if (c == '\n') done = 1;
  }
  PLIC_CLAIM(PLIC_S_CONTEXT) = src;
}

int s_main(void) {
  PLIC_PRIORITY(UART_IRQ) = 1;
  PLIC_ENABLE(PLIC_S_CONTEXT, 0) = 1u << UART_IRQ;
  PLIC_THRESHOLD(PLIC_S_CONTEXT) = 0;
  /* A byte may have arrived before the FIFOs are on (one fits in the holding
   * register); turning the FIFOs on empties it, so take it first. */
  if (UART_LSR & LSR_DR) line[len++] = (char)UART_RBR;
  UART_FCR = 0x87; /* FIFOs on and reset, receive trigger at 8 bytes */
  if ((UART_IIR & 0xc0) != 0xc0) fail("IIR FIFO bits", UART_IIR);
  UART_IER = 0x01; /* received data available */
  csr_set(sie, SIE_SEIE);
  csr_set(sstatus, SSTATUS_SIE);
  WAIT_FOR(done);
  UART_IER = 0;
  line[len] = 0;
  puts_("uart-rx: ");
  putu(len);
  puts_(" bytes in ");
  putu(irqs);
  puts_(" interrupts: ");
  puts_((const char *)line);
  return 0;
}
