/*
 * irqbench: the root task of bench/irq (run.ts boots it and times the
 * phases between its marker lines).
 *
 * latency: a trigger thread (priority 100) reads rdcycle and raises the
 * UART's THR-empty interrupt (IER.ETBEI on while THR is empty); the driver
 * thread (this one, 255) is blocked in seL4_Wait on the IRQ's notification,
 * wakes, reads rdcycle, drops the line, Acks. Each round is one interrupt
 * through the PLIC, the kernel and a notification to a blocked thread.
 *
 * read: the block driver of examples/drivers (its image embedded,
 * images.S), started as a process, reads the whole disk into a 64 KiB
 * shared buffer, 128 sectors a request; each sector must begin with its
 * own number (run.ts writes the image so).
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <mica/process.h>
#include <mica/thread.h>
#include <stdio.h>

#include "../../../examples/drivers/drivers.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define UART 0x30000000ul
#define BUF_HERE 0x31000000ul
#define IER 1
#define IIR 2
#define IER_ETBEI 0x02
#define WARMUP 1000
#define ROUNDS 20000
#define BUFFER_PAGES (BUFFER_SIZE / 4096)
#define SECTORS_PER_REQUEST (BUFFER_SIZE / 512)

extern const unsigned char block_image[], block_image_end[];

static inline uint64_t rdcycle(void) {
  uint64_t c;
  __asm__ volatile("rdcycle %0" : "=r"(c));
  return c;
}

static volatile uint64_t triggered_at;
static mica_thread_t trigger;

static void trigger_loop(void *arg) {
  (void)arg;
  for (;;) {
    triggered_at = rdcycle();
    *(volatile uint8_t *)(UART + IER) = IER_ETBEI; /* THR is empty: THRE at once */
  }
}

static uint64_t rounds(seL4_CPtr ntfn, seL4_CPtr handler, int n) {
  uint64_t cycles = 0;
  for (int i = 0; i < n; i++) {
    seL4_Wait(ntfn, NULL);
    cycles += rdcycle() - triggered_at;
    *(volatile uint8_t *)(UART + IER) = 0;
    (void)*(volatile uint8_t *)(UART + IIR);
    seL4_IRQHandler_Ack(handler);
  }
  return cycles;
}

static void latency(void) {
  seL4_CPtr frame, handler = mica_alloc_slot(), ntfn;
  MICA_CHECK(mica_alloc_device_frame(UART_PADDR, &frame));
  MICA_CHECK(mica_map_frame(frame, UART, seL4_ReadWrite, seL4_RISCV_ExecuteNever));
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &ntfn));
  MICA_CHECK(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, handler, DEPTH));
  MICA_CHECK(seL4_IRQHandler_SetNotification(handler, ntfn));
  MICA_CHECK(mica_thread_start(&trigger, trigger_loop, NULL, 100, seL4_CapNull));
  rounds(ntfn, handler, WARMUP);
  printf("irqbench: begin latency %d\n", ROUNDS);
  uint64_t cycles = rounds(ntfn, handler, ROUNDS);
  printf("irqbench: end latency\n");
  MICA_CHECK(seL4_TCB_Suspend(trigger.tcb));
  printf("irqbench: cycles latency %lu\n", (unsigned long)cycles);
}

static void throughput(void) {
  static mica_process_t block;
  seL4_CPtr ep, ntfn, handler = mica_alloc_slot(), fault_ep, virtio, buffer_untyped, client;
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &fault_ep));
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &ntfn));
  MICA_CHECK(seL4_IRQControl_Get(seL4_CapIRQControl, VIRTIO0_IRQ, ROOT, handler, DEPTH));
  MICA_CHECK(seL4_IRQHandler_SetNotification(handler, ntfn));
  MICA_CHECK(mica_alloc_device_frame(VIRTIO0_PADDR, &virtio));
  MICA_CHECK(mica_alloc_object(seL4_UntypedObject, 16, &buffer_untyped));
  seL4_CPtr frames = mica_alloc_slot();
  for (seL4_Word i = 1; i < BUFFER_PAGES; i++) mica_alloc_slot();
  MICA_CHECK(seL4_Untyped_Retype(buffer_untyped, seL4_RISCV_4K_Page, 0, ROOT, 0, 0, frames,
                                 BUFFER_PAGES));
  seL4_RISCV_Page_GetAddress_t b = seL4_RISCV_Page_GetAddress(frames);
  MICA_CHECK(b.error);

  MICA_CHECK(mica_process_init(&block, "block", block_image,
                               (size_t)(block_image_end - block_image), 20, 64));
  MICA_CHECK(mica_process_load(&block));
  MICA_CHECK(mica_process_alloc(&block, seL4_EndpointObject, 0, &ep));
  MICA_CHECK(mica_process_give(&block, SLOT_EP, ep, seL4_AllRights, 0));
  MICA_CHECK(mica_process_give(&block, SLOT_FAULT, fault_ep, seL4_AllRights, FAULT_BLOCK));
  MICA_CHECK(mica_process_give(&block, SLOT_NTFN, ntfn, seL4_AllRights, 0));
  MICA_CHECK(mica_process_give(&block, SLOT_IRQ, handler, seL4_AllRights, 0));
  MICA_CHECK(mica_process_map(&block, virtio, DEVICE_VADDR, seL4_ReadWrite, seL4_RISCV_ExecuteNever));
  seL4_CPtr queue;
  MICA_CHECK(mica_process_alloc(&block, seL4_RISCV_4K_Page, 0, &queue));
  seL4_RISCV_Page_GetAddress_t q = seL4_RISCV_Page_GetAddress(queue);
  MICA_CHECK(q.error);
  MICA_CHECK(mica_process_map(&block, queue, QUEUE_VADDR, seL4_ReadWrite, seL4_RISCV_ExecuteNever));
  for (seL4_Word i = 0; i < BUFFER_PAGES; i++) {
    MICA_CHECK(mica_process_map(&block, frames + i, BUFFER_VADDR + i * 4096, seL4_ReadWrite,
                                seL4_RISCV_ExecuteNever));
    MICA_CHECK(mica_map_frame(frames + i, BUF_HERE + i * 4096, seL4_ReadWrite,
                              seL4_RISCV_ExecuteNever));
  }
  block_args_t args = {q.paddr, b.paddr};
  MICA_CHECK(mica_process_start(&block, SLOT_FAULT, 200, &args, sizeof args));
  MICA_CHECK(seL4_TCB_Resume(block.tcb));
  client = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Mint(ROOT, client, DEPTH, ROOT, ep, DEPTH, seL4_AllRights, CLIENT_BADGE | 1));

  seL4_Call(client, seL4_MessageInfo_new(BLOCK_CAPACITY, 0, 0, 0));
  if (seL4_GetMR(0) != 0) {
    printf("irqbench: no disk\n");
    return;
  }
  uint64_t sectors = seL4_GetMR(1), bad = 0;
  printf("irqbench: begin read %lu\n", (unsigned long)(sectors * 512));
  for (uint64_t s = 0; s < sectors; s += SECTORS_PER_REQUEST) {
    uint64_t n = sectors - s < SECTORS_PER_REQUEST ? sectors - s : SECTORS_PER_REQUEST;
    seL4_SetMR(0, s);
    seL4_SetMR(1, n);
    seL4_Call(client, seL4_MessageInfo_new(BLOCK_READ, 0, 0, 2));
    if (seL4_GetMR(0) != 0) bad += n;
    else
      for (uint64_t i = 0; i < n; i++)
        if (*(volatile uint64_t *)(BUF_HERE + i * 512) != s + i) bad++;
  }
  printf("irqbench: end read\n");
  if (bad) printf("irqbench: %lu sectors read wrong\n", (unsigned long)bad);
}

int main(void) {
  latency();
  throughput();
  printf("irqbench: done\n");
  return 0;
}
