/*
 * irq: IRQControl and IRQHandler (seL4 manual 6.2 "Interrupts"; sel4test's
 * INTERRUPT tests exercise the same calls with a timer), using the UART's
 * THR-empty interrupt (PLIC source 10) as a line the test raises and drops
 * at will: IER.ETBEI on with THR empty raises it, reading IIR drops it.
 */
#include <mica/process.h>

#include "kthread.h"

#define UART 0x30000000ul
#define UART_IRQ 10
#define TIMER_IRQ 96 /* maxIRQ: the kernel's own */
#define IER 1
#define IIR 2
#define IER_ETBEI 0x02
#define REG(off) (*(volatile uint8_t *)(UART + (off)))

/* The UART drives its interrupt line again: THR-empty off, then on. */
static void uart_redrive(void) {
  REG(IER) = 0;
  REG(IER) = IER_ETBEI;
}

static void uart_line(int high) {
  if (high) {
    REG(IER) = 0;
    REG(IER) = IER_ETBEI; /* enabling it while THR is empty raises THRE */
  } else {
    REG(IER) = 0;
    (void)REG(IIR);
  }
}

/* Poll a few times, so that an interrupt that is coming has arrived. */
static seL4_Word poll(seL4_CPtr ntfn) {
  seL4_Word badge = 0, all = 0;
  for (int i = 0; i < 3; i++) {
    seL4_Poll(ntfn, &badge);
    all |= badge;
  }
  return all;
}

/* IRQ0001: IRQControl_Get's errors: range, the timer, an issued IRQ, a full slot; no triggers. */
static void irq0001(void) {
  seL4_CPtr slot = kslot();
  CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, 0, ROOT, slot, DEPTH), seL4_RangeError);
  CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, TIMER_IRQ + 1, ROOT, slot, DEPTH),
            seL4_RangeError);
  CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, TIMER_IRQ, ROOT, slot, DEPTH),
            seL4_RevokeFirst);
  CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, 5, ROOT, seL4_CapInitThreadTCB, DEPTH),
            seL4_DeleteFirst);
  CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 5, ROOT, slot, DEPTH));
  CHECK_CAP(slot, CAP_IRQ_HANDLER);
  CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, 5, ROOT, kslot(), DEPTH), seL4_RevokeFirst);
  CHECK_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 6, 1, ROOT, kslot(), DEPTH),
            seL4_IllegalOperation);
  /* Deleting the only handler cap makes the IRQ available again. */
  CHECK_OK(seL4_CNode_Delete(ROOT, slot, DEPTH));
  CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 5, ROOT, slot, DEPTH));
  CHECK_OK(seL4_CNode_Delete(ROOT, slot, DEPTH));
}

/* IRQ0002: SetNotification takes only a notification cap with the Write right. */
static void irq0002(void) {
  seL4_CPtr h = kslot();
  CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 7, ROOT, h, DEPTH));
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr n = kobj(seL4_NotificationObject, 0);
  CHECK_ERR(seL4_IRQHandler_SetNotification(h, ep), seL4_InvalidCapability);
  CHECK_ERR(seL4_IRQHandler_SetNotification(h, kmint(n, seL4_CanRead, 0)), seL4_InvalidCapability);
  CHECK_ERR(seL4_IRQHandler_SetNotification(h, kslot()), seL4_InvalidCapability);
  CHECK_OK(seL4_IRQHandler_SetNotification(h, kmint(n, seL4_CanWrite, 1)));
  CHECK_OK(seL4_IRQHandler_SetNotification(h, n)); /* replaces the first */
  CHECK_OK(seL4_IRQHandler_Clear(h));
  CHECK_OK(seL4_IRQHandler_Clear(h)); /* nothing to clear: fine */
  CHECK_OK(seL4_IRQHandler_Ack(h));   /* nothing claimed: fine */
  CHECK_OK(seL4_CNode_Delete(ROOT, h, DEPTH));
}

static seL4_CPtr uart_handler, uart_ntfn;

/* IRQ0003: one notification per interrupt, with the cap's badge; none before Ack. */
static void irq0003(void) {
  uart_handler = kslot();
  uart_ntfn = kobj(seL4_NotificationObject, 0);
  CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, uart_handler, DEPTH));
  CHECK_OK(seL4_IRQHandler_SetNotification(uart_handler, kmint(uart_ntfn, seL4_AllRights, 0x40)));
  CHECK_EQ(poll(uart_ntfn), 0);
  uart_line(1);
  seL4_Word badge = 0;
  seL4_Wait(uart_ntfn, &badge);
  CHECK_EQ(badge, 0x40);
  /* The line is still up, but the source stays claimed until Ack. */
  CHECK_EQ(poll(uart_ntfn), 0);
  CHECK_EQ(poll(uart_ntfn), 0);
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
  /*
   * The line is still up. As on QEMU's PLIC, a source pends again when its
   * device next drives the line high, not at the Ack.
   */
  CHECK_EQ(poll(uart_ntfn), 0);
  uart_redrive();
  CHECK_EQ(poll(uart_ntfn), 0x40);
  uart_line(0);
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
  CHECK_EQ(poll(uart_ntfn), 0); /* dropped before Ack: nothing more */
  uart_line(1);
  seL4_Wait(uart_ntfn, &badge); /* a new interrupt */
  CHECK_EQ(badge, 0x40);
  uart_line(0);
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
}

/* IRQ0004: after Clear no notification arrives; SetNotification brings them back. */
static void irq0004(void) {
  CHECK_OK(seL4_IRQHandler_Clear(uart_handler));
  uart_line(1);
  CHECK_EQ(poll(uart_ntfn), 0);
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
  CHECK_EQ(poll(uart_ntfn), 0);
  /* The interrupt taken with no notification left the source claimed. */
  CHECK_OK(seL4_IRQHandler_SetNotification(uart_handler, kmint(uart_ntfn, seL4_AllRights, 0x8)));
  CHECK_EQ(poll(uart_ntfn), 0);
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
  uart_redrive();
  CHECK_EQ(poll(uart_ntfn), 0x8);
}

/* IRQ0005: deleting the handler masks the IRQ; a new handler's Ack resumes delivery. */
static void irq0005(void) {
  CHECK_OK(seL4_CNode_Delete(ROOT, uart_handler, DEPTH)); /* claimed, line up */
  CHECK_ERR(seL4_IRQHandler_Ack(uart_handler), seL4_InvalidCapability);
  CHECK_EQ(poll(uart_ntfn), 0);
  CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, uart_handler, DEPTH));
  CHECK_OK(seL4_IRQHandler_SetNotification(uart_handler, kmint(uart_ntfn, seL4_AllRights, 0x2)));
  CHECK_EQ(poll(uart_ntfn), 0); /* the old claim is still open */
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
  uart_redrive();
  CHECK_EQ(poll(uart_ntfn), 0x2);
  uart_line(0);
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
  CHECK_EQ(poll(uart_ntfn), 0);
}

/* IRQ0006: badges of two handlers on one notification are OR-ed, like any signals. */
static void irq0006(void) {
  seL4_CPtr other = kslot();
  CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 11, ROOT, other, DEPTH));
  CHECK_OK(seL4_IRQHandler_SetNotification(other, kmint(uart_ntfn, seL4_AllRights, 0x100)));
  seL4_Signal(kmint(uart_ntfn, seL4_AllRights, 0x1000)); /* an ordinary signal too */
  uart_line(1);
  seL4_Word badge = 0;
  seL4_Wait(uart_ntfn, &badge);
  CHECK_EQ(badge, 0x1002);
  uart_line(0);
  CHECK_OK(seL4_IRQHandler_Ack(uart_handler));
  CHECK_OK(seL4_CNode_Delete(ROOT, other, DEPTH));
}

/* The UART's registers, from the device untyped that covers them. */
static void map_uart(void) {
  seL4_CPtr frame;
  CHECK_OK(mica_alloc_device_frame(0x10000000ul, &frame));
  CHECK_OK(mica_map_frame(frame, UART, seL4_ReadWrite, seL4_RISCV_ExecuteNever));
}

int main(void) {
  ktest_id = "setup";
  map_uart();
  static const struct ktest tests[] = {
      {"IRQ0001", irq0001}, {"IRQ0002", irq0002}, {"IRQ0003", irq0003},
      {"IRQ0004", irq0004}, {"IRQ0005", irq0005}, {"IRQ0006", irq0006},
  };
  ktest_run("irq", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
