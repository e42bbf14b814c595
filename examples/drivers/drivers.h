/*
 * The drivers demo's contract between the supervisor, the drivers and the
 * client: where things are mapped, which cap is in which slot, the IPC
 * labels, and the shared-memory layouts. Each process has a CNode of 64
 * slots (mica/process.h); slots 1..3 are its own TCB, CNode and VSpace.
 */
#pragma once

#include <mica/process.h>
#include <stdint.h>

/* Physical addresses and PLIC sources on QEMU's virt board. */
#define UART_PADDR 0x10000000ul
#define UART_IRQ 10
#define VIRTIO0_PADDR 0x10001000ul
#define VIRTIO0_IRQ 1

/* Virtual addresses inside the processes. */
#define DEVICE_VADDR 0x40000000ul     /* a driver's device registers */
#define SHARED_VADDR 0x40001000ul     /* the serial connection's shared page */
#define QUEUE_VADDR 0x40002000ul      /* the block driver's virtqueue (its own frame) */
#define BUFFER_VADDR 0x40100000ul     /* the block connection's data buffer */
#define BUFFER_SIZE 0x10000ul         /* 64 KiB, physically contiguous */

/* Slots in every process of the demo. */
#define SLOT_FAULT 4     /* the supervisor's endpoint, badged: where its faults go */
/* Slots in a driver. */
#define SLOT_EP 5        /* its service endpoint (clients hold badged copies) */
#define SLOT_NTFN 6      /* its notification: interrupts and client kicks (bound to its TCB) */
#define SLOT_IRQ 7       /* its IRQHandler (a copy: the supervisor keeps the original) */
#define SLOT_CLIENT 8    /* the serial driver: its client's notification, send only */
/* Slots in the client. */
#define SLOT_SERIAL 5    /* the serial driver's endpoint, badged */
#define SLOT_BLOCK 6     /* the block driver's endpoint, badged */
#define SLOT_WAIT 7      /* its own notification: input arrived, output drained */
#define SLOT_KICK 8      /* the serial driver's notification, badged NTFN_KICK */
#define SLOT_SUPERVISOR 9

/* Badges. Endpoint badges of clients have CLIENT_BADGE set so that a driver
   tells a client's message from its bound notification's word. */
#define CLIENT_BADGE (1ul << 62)
#define NTFN_IRQ 1ul     /* the device interrupted */
#define NTFN_KICK 2ul    /* the client put bytes in the TX ring */
#define FAULT_SERIAL 1ul /* fault endpoint badges at the supervisor */
#define FAULT_BLOCK 2ul
#define FAULT_CLIENT 3ul
#define FROM_CLIENT 4ul

/* Serial driver labels. */
enum {
  SERIAL_WRITE = 1, /* mr0: stream offset of the bytes, mr1: n (<= SERIAL_MAX), bytes in mr2..;
                       reply mr0: bytes accepted in all (tx_head) */
  SERIAL_READ,      /* mr0: stream offset wanted; reply mr0: n, bytes in mr1.. (n may be 0) */
  SERIAL_CRASH_AFTER, /* mr0: n; the driver dereferences NULL after n more output bytes */
};
#define SERIAL_MAX 64

/* Block driver labels: mr0 sector, mr1 count (<= BUFFER_SIZE / 512); reply mr0 status (0 ok). */
enum { BLOCK_READ = 1, BLOCK_WRITE, BLOCK_CAPACITY };

/* The client's label to the supervisor: mr0 what. */
enum { SUPERVISOR_DONE = 1 };

/*
 * The serial connection's shared page (supervisor-owned, so it outlives a
 * driver). TX: the client appends and advances tx_head (or asks the driver
 * to, with SERIAL_WRITE); the driver advances tx_tail only once a byte is
 * in the UART, so bytes accepted but not yet printed survive a crash.
 * RX: the driver appends and advances rx_head; the client owns rx_tail.
 * Counters are free-running stream offsets; ring index = offset % size.
 */
#define TX_RING 2048
#define RX_RING 1024
typedef struct serial_shared {
  volatile uint64_t tx_head, tx_tail, rx_head, rx_tail;
  /* Set by the client around its Calls (FAULT_SERIAL or FAULT_BLOCK: which
     driver it waits for), so the supervisor knows whom to restart. */
  volatile uint64_t calling;
  volatile uint8_t tx[TX_RING];
  volatile uint8_t rx[RX_RING];
} serial_shared_t;

/* Arguments (mica_process_args). */
typedef struct {
  unsigned incarnation;
} serial_args_t;

typedef struct {
  uint64_t queue_paddr, buffer_paddr;
} block_args_t;

/* Read and write an MMIO register of a given width. */
#define REG8(base, off) (*(volatile uint8_t *)((base) + (off)))
#define REG32(base, off) (*(volatile uint32_t *)((base) + (off)))
