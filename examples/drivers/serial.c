/*
 * serial: a user-level driver for the NS16550A UART (TI PC16550D
 * datasheet; QEMU's virt board, PLIC source 10). It owns the UART's
 * registers (a device frame) and one IRQHandler, and serves one client:
 *
 *   - RX by interrupt: each byte goes into the shared page's RX ring and the
 *     client's notification is signalled; SERIAL_READ returns bytes too.
 *   - TX by interrupt: bytes wait in the shared page's TX ring; the driver
 *     writes at most a FIFO's worth (16) per THR-empty interrupt.
 *   - SERIAL_WRITE takes bytes in message registers, with their stream
 *     offset, so a write re-sent after a crash is taken once.
 *
 * Everything the driver must not lose lives in the shared page, which the
 * supervisor owns: a restarted driver carries on from tx_tail and rx_head.
 * Its bound notification carries NTFN_IRQ (the interrupt) and NTFN_KICK
 * (the client appended to the TX ring without IPC).
 */
#include <sel4/sel4.h>
#include <string.h>

#include "drivers.h"

/* Register offsets (DLAB = 0) and bits. */
#define RBR 0
#define THR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define IER_ERBFI 0x01
#define IER_ETBEI 0x02
#define IIR_NONE 0x01
#define IIR_ID 0x0e
#define IIR_RLS 0x06
#define IIR_RDA 0x04
#define IIR_CTI 0x0c
#define IIR_THRE 0x02
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define FIFO_DEPTH 16

#define UART DEVICE_VADDR
static serial_shared_t *const sh = (serial_shared_t *)SHARED_VADDR;

/* SERIAL_CRASH_AFTER: output bytes left before the deliberate NULL dereference. */
static seL4_Word crash_countdown;
static volatile uintptr_t null_pointer;

static void crash_if_due(void) {
  if (crash_countdown != 0 && --crash_countdown == 0) *(volatile int *)null_pointer = 1;
}

/* Move received bytes into the RX ring; when it is full leave them in the
   UART (RX interrupts off until the client reads). Returns bytes moved. */
static int receive(void) {
  int moved = 0;
  while (REG8(UART, LSR) & LSR_DR) {
    if (sh->rx_head - sh->rx_tail >= RX_RING) {
      REG8(UART, IER) &= ~IER_ERBFI;
      break;
    }
    sh->rx[sh->rx_head % RX_RING] = REG8(UART, RBR);
    sh->rx_head++;
    moved++;
  }
  return moved;
}

/* Give the UART up to a FIFO's worth of the TX ring; keep the THRE
   interrupt on while bytes remain. tx_tail moves only after the byte is
   in THR: a crash between the two stores would repeat one byte, never
   drop one. */
static void transmit(void) {
  uint64_t tail = sh->tx_tail, head = sh->tx_head;
  int sent = 0;
  if (REG8(UART, LSR) & LSR_THRE) {
    for (; tail != head && sent < FIFO_DEPTH; sent++) {
      REG8(UART, THR) = sh->tx[tail % TX_RING];
      sh->tx_tail = ++tail;
      crash_if_due();
    }
  }
  uint8_t ier = REG8(UART, IER);
  if (tail != head) {
    if (!(ier & IER_ETBEI)) REG8(UART, IER) = ier | IER_ETBEI;
  } else {
    if (ier & IER_ETBEI) REG8(UART, IER) = ier & ~IER_ETBEI;
    if (sent) seL4_Signal(SLOT_CLIENT); /* drained: a waiting writer may go on */
  }
}

/* The UART interrupted: serve every cause IIR reports, then Ack. */
static void interrupt(void) {
  int received = 0;
  for (;;) {
    uint8_t iir = REG8(UART, IIR); /* reading it clears a THRE cause */
    if (iir & IIR_NONE) break;
    switch (iir & IIR_ID) {
    case IIR_RDA:
    case IIR_CTI: {
      int n = receive();
      received += n;
      if (n == 0) goto done; /* ring full: RX interrupts are off now */
      break;
    }
    case IIR_RLS:
      (void)REG8(UART, LSR);
      break;
    case IIR_THRE:
      transmit();
      break;
    default:
      (void)REG8(UART, MSR);
      break;
    }
  }
done:
  if (received) seL4_Signal(SLOT_CLIENT);
  seL4_IRQHandler_Ack(SLOT_IRQ);
}

static seL4_MessageInfo_t reply(seL4_Word label, seL4_Word words) {
  return seL4_MessageInfo_new(label, 0, 0, words);
}

/* A client's request; returns the reply (label 0 ok, 1 bad request). */
static seL4_MessageInfo_t request(seL4_MessageInfo_t info) {
  seL4_IPCBuffer *ipc = seL4_GetIPCBuffer();
  switch (seL4_MessageInfo_get_label(info)) {
  case SERIAL_WRITE: {
    uint64_t off = seL4_GetMR(0), n = seL4_GetMR(1), head = sh->tx_head;
    if (n > SERIAL_MAX || off > head || seL4_MessageInfo_get_length(info) < 2 + (n + 7) / 8)
      return reply(1, 0);
    /* Bytes below tx_head were taken before (a call re-sent after a crash). */
    const uint8_t *bytes = (const uint8_t *)&ipc->msg[2];
    for (uint64_t i = head - off; i < n && head - sh->tx_tail < TX_RING; i++)
      sh->tx[head++ % TX_RING] = bytes[i];
    sh->tx_head = head;
    transmit();
    seL4_SetMR(0, sh->tx_head);
    return reply(0, 1);
  }
  case SERIAL_READ: {
    uint64_t off = seL4_GetMR(0), head = sh->rx_head;
    if (off > head || head - off > RX_RING) return reply(1, 0);
    uint64_t n = head - off < SERIAL_MAX ? head - off : SERIAL_MAX;
    uint8_t *bytes = (uint8_t *)&ipc->msg[1];
    for (uint64_t i = 0; i < n; i++) bytes[i] = sh->rx[(off + i) % RX_RING];
    sh->rx_tail = off + n;
    if (!(REG8(UART, IER) & IER_ERBFI)) REG8(UART, IER) |= IER_ERBFI; /* room again */
    seL4_SetMR(0, n);
    return reply(0, 1 + (n + 7) / 8);
  }
  case SERIAL_CRASH_AFTER:
    crash_countdown = seL4_GetMR(0);
    return reply(0, 0);
  default:
    return reply(1, 0);
  }
}

int main(void) {
  /* Bytes that came before FIFOs were on: enabling them flushes the receiver. */
  receive();
  /* 8N1, FIFOs on with a 1-byte trigger. FCR keeps FIFO enable as it was,
     so a restarted driver does not flush input that came while it was dead. */
  REG8(UART, LCR) = 0x03;
  REG8(UART, FCR) = 0x01;
  REG8(UART, MCR) = 0x08; /* OUT2: the interrupt output on a PC */
  REG8(UART, IER) = IER_ERBFI;
  /* The previous incarnation may have died between an interrupt and its
     Ack, leaving the source claimed; Ack is harmless otherwise. */
  seL4_IRQHandler_Ack(SLOT_IRQ);
  if (receive()) seL4_Signal(SLOT_CLIENT);
  transmit(); /* what the previous incarnation accepted but did not print */

  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(SLOT_EP, &badge);
  for (;;) {
    if (badge & CLIENT_BADGE) {
      info = seL4_ReplyRecv(SLOT_EP, request(info), &badge);
      continue;
    }
    /* The bound notification's word. */
    if (badge & NTFN_IRQ) interrupt();
    if (badge & NTFN_KICK) transmit();
    info = seL4_Recv(SLOT_EP, &badge);
  }
}
