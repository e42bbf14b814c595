/*
 * drivers: the supervisor (the root task). It starts a serial driver, a
 * block driver and a client as separate processes, each from its ELF image
 * (embedded: images.S) with its own CSpace and VSpace, and connects them:
 * endpoints, notifications, the shared page and buffer, device frames and
 * IRQHandlers (drivers.h says which cap goes where). It is every process's
 * fault handler. When a driver faults it destroys it (one Revoke of the
 * driver's untyped), builds it again from its image, mints the client a
 * cap to the new endpoint and re-sends the client's call if the client was
 * waiting on the dead driver. What the client had handed over survives in
 * the shared page, which the supervisor owns.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <mica/process.h>
#include <sel4platsupport/bootinfo.h>
#include <stdio.h>

#include "drivers.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define SHARED_HERE 0x50000000ul /* the shared page in our own VSpace */
#define BUFFER_PAGES (BUFFER_SIZE / 4096)

extern const unsigned char serial_image[], serial_image_end[], block_image[], block_image_end[],
    echo_image[], echo_image_end[];

static mica_process_t serial, block, echo;
static seL4_CPtr supervisor_ep, serial_ntfn, block_ntfn, echo_ntfn, serial_irq, block_irq;
static seL4_CPtr uart_frame, virtio_frame, shared_frame, buffer_frames;
static seL4_Word buffer_paddr;
static serial_shared_t *const sh = (serial_shared_t *)SHARED_HERE;

static const seL4_CapRights_t send_only = {{0x5}}; /* GrantReply | Write: call, no grant */

/* A badged copy of a notification in a new slot of ours. */
static seL4_CPtr badged(seL4_CPtr ntfn, seL4_Word badge) {
  seL4_CPtr slot = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Mint(ROOT, slot, DEPTH, ROOT, ntfn, DEPTH, seL4_AllRights, badge));
  return slot;
}

/* The driver's endpoint (its untyped's: it dies with the driver) and a
   badged, call-only copy in the client's CSpace. */
static void connect(mica_process_t *driver, seL4_CPtr client_slot, seL4_Word fault_badge) {
  seL4_CPtr ep;
  MICA_CHECK(mica_process_alloc(driver, seL4_EndpointObject, 0, &ep));
  MICA_CHECK(mica_process_give(driver, SLOT_EP, ep, seL4_AllRights, 0));
  MICA_CHECK(mica_process_give(driver, SLOT_FAULT, supervisor_ep, send_only, fault_badge));
  /* The client's old cap (if any) went with the old endpoint. */
  MICA_CHECK(mica_process_give(&echo, client_slot, ep, send_only, CLIENT_BADGE | 1));
}

static void start_serial(void) {
  MICA_CHECK(mica_process_load(&serial));
  connect(&serial, SLOT_SERIAL, FAULT_SERIAL);
  MICA_CHECK(mica_process_give(&serial, SLOT_NTFN, serial_ntfn, seL4_AllRights, 0));
  MICA_CHECK(mica_process_give(&serial, SLOT_IRQ, serial_irq, seL4_AllRights, 0));
  MICA_CHECK(mica_process_give(&serial, SLOT_CLIENT, echo_ntfn, seL4_CanWrite, 0));
  MICA_CHECK(mica_process_map(&serial, uart_frame, DEVICE_VADDR, seL4_ReadWrite,
                              seL4_RISCV_ExecuteNever));
  MICA_CHECK(mica_process_map(&serial, shared_frame, SHARED_VADDR, seL4_ReadWrite,
                              seL4_RISCV_ExecuteNever));
  MICA_CHECK(seL4_TCB_BindNotification(serial.tcb, serial_ntfn));
  serial_args_t args = {serial.incarnation};
  MICA_CHECK(mica_process_start(&serial, SLOT_FAULT, 200, &args, sizeof args));
  MICA_CHECK(seL4_TCB_Resume(serial.tcb));
}

static void start_block(void) {
  MICA_CHECK(mica_process_load(&block));
  connect(&block, SLOT_BLOCK, FAULT_BLOCK);
  MICA_CHECK(mica_process_give(&block, SLOT_NTFN, block_ntfn, seL4_AllRights, 0));
  MICA_CHECK(mica_process_give(&block, SLOT_IRQ, block_irq, seL4_AllRights, 0));
  MICA_CHECK(mica_process_map(&block, virtio_frame, DEVICE_VADDR, seL4_ReadWrite,
                              seL4_RISCV_ExecuteNever));
  seL4_CPtr queue;
  MICA_CHECK(mica_process_alloc(&block, seL4_RISCV_4K_Page, 0, &queue));
  seL4_RISCV_Page_GetAddress_t q = seL4_RISCV_Page_GetAddress(queue);
  MICA_CHECK(q.error);
  MICA_CHECK(mica_process_map(&block, queue, QUEUE_VADDR, seL4_ReadWrite, seL4_RISCV_ExecuteNever));
  for (seL4_Word i = 0; i < BUFFER_PAGES; i++)
    MICA_CHECK(mica_process_map(&block, buffer_frames + i, BUFFER_VADDR + i * 4096, seL4_ReadWrite,
                                seL4_RISCV_ExecuteNever));
  block_args_t args = {q.paddr, buffer_paddr};
  MICA_CHECK(mica_process_start(&block, SLOT_FAULT, 200, &args, sizeof args));
  MICA_CHECK(seL4_TCB_Resume(block.tcb));
}

static void start_echo(void) {
  MICA_CHECK(mica_process_give(&echo, SLOT_FAULT, supervisor_ep, send_only, FAULT_CLIENT));
  MICA_CHECK(mica_process_give(&echo, SLOT_WAIT, echo_ntfn, seL4_AllRights, 0));
  MICA_CHECK(mica_process_give(&echo, SLOT_KICK, serial_ntfn, seL4_CanWrite, NTFN_KICK));
  MICA_CHECK(mica_process_give(&echo, SLOT_SUPERVISOR, supervisor_ep, send_only, FROM_CLIENT));
  MICA_CHECK(mica_process_map(&echo, shared_frame, SHARED_VADDR, seL4_ReadWrite,
                              seL4_RISCV_ExecuteNever));
  for (seL4_Word i = 0; i < BUFFER_PAGES; i++)
    MICA_CHECK(mica_process_map(&echo, buffer_frames + i, BUFFER_VADDR + i * 4096, seL4_ReadWrite,
                                seL4_RISCV_ExecuteNever));
  MICA_CHECK(mica_process_start(&echo, SLOT_FAULT, 100, NULL, 0));
  MICA_CHECK(seL4_TCB_Resume(echo.tcb));
}

/* An IRQHandler for irq whose interrupts signal ntfn with badge NTFN_IRQ. */
static seL4_CPtr irq_handler(seL4_Word irq, seL4_CPtr ntfn) {
  seL4_CPtr handler = mica_alloc_slot();
  MICA_CHECK(seL4_IRQControl_Get(seL4_CapIRQControl, irq, ROOT, handler, DEPTH));
  MICA_CHECK(seL4_IRQHandler_SetNotification(handler, badged(ntfn, NTFN_IRQ)));
  return handler;
}

static void describe_fault(mica_process_t *p, seL4_MessageInfo_t info) {
  if (seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault)
    printf("\n[supervisor] %s driver faulted: VM fault at address 0x%lx (pc 0x%lx)\n", p->name,
           seL4_GetMR(seL4_VMFault_Addr), seL4_GetMR(seL4_VMFault_IP));
  else
    printf("\n[supervisor] %s driver faulted (fault type %lu)\n", p->name,
           (unsigned long)seL4_MessageInfo_get_label(info));
}

/* Tear the driver down, build it again from its image, reconnect the client. */
static void restart(mica_process_t *p, void (*start)(void), seL4_Word which) {
  MICA_CHECK(mica_process_destroy(p));
  start();
  printf("[supervisor] %s driver restarted from its image (incarnation %u)\n", p->name,
         p->incarnation);
  /* A client blocked on the dead driver's reply is restarted: seL4 re-runs
     its Call, now on the new endpoint cap in the same slot. */
  if (sh->calling == which) MICA_CHECK(seL4_TCB_Resume(echo.tcb));
}

int main(void) {
  printf("[supervisor] starting the serial driver, the block driver and a client\n");
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &supervisor_ep));
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &serial_ntfn));
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &block_ntfn));
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &echo_ntfn));
  serial_irq = irq_handler(UART_IRQ, serial_ntfn);
  block_irq = irq_handler(VIRTIO0_IRQ, block_ntfn);
  MICA_CHECK(mica_alloc_device_frame(UART_PADDR, &uart_frame));
  MICA_CHECK(mica_alloc_device_frame(VIRTIO0_PADDR, &virtio_frame));

  /* The connections' memory is ours, so it outlives any driver. */
  MICA_CHECK(mica_alloc_object(seL4_RISCV_4K_Page, 0, &shared_frame));
  MICA_CHECK(mica_map_frame(shared_frame, SHARED_HERE, seL4_ReadWrite, seL4_RISCV_ExecuteNever));
  seL4_CPtr buffer_untyped;
  MICA_CHECK(mica_alloc_object(seL4_UntypedObject, 16, &buffer_untyped));
  buffer_frames = mica_alloc_slot();
  for (seL4_Word i = 1; i < BUFFER_PAGES; i++) mica_alloc_slot();
  /* One retype of 16 frames from a 64 KiB untyped: physically contiguous. */
  MICA_CHECK(seL4_Untyped_Retype(buffer_untyped, seL4_RISCV_4K_Page, 0, ROOT, 0, 0, buffer_frames,
                                 BUFFER_PAGES));
  seL4_RISCV_Page_GetAddress_t b = seL4_RISCV_Page_GetAddress(buffer_frames);
  MICA_CHECK(b.error);
  buffer_paddr = b.paddr;

  MICA_CHECK(mica_process_init(&serial, "serial", serial_image,
                               (size_t)(serial_image_end - serial_image), 20, 64));
  MICA_CHECK(mica_process_init(&block, "block", block_image,
                               (size_t)(block_image_end - block_image), 20, 64));
  MICA_CHECK(mica_process_init(&echo, "echo", echo_image, (size_t)(echo_image_end - echo_image),
                               20, 64));
  MICA_CHECK(mica_process_load(&echo)); /* first: the drivers give it caps */
  start_serial();
  start_block();
  start_echo();

  for (;;) {
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(supervisor_ep, &badge);
    switch (badge) {
    case FAULT_SERIAL:
      describe_fault(&serial, info);
      restart(&serial, start_serial, FAULT_SERIAL);
      break;
    case FAULT_BLOCK:
      describe_fault(&block, info);
      restart(&block, start_block, FAULT_BLOCK);
      break;
    case FROM_CLIENT:
      printf("[supervisor] client done: %lu lines; serial driver restarted %u times\n",
             seL4_GetMR(0), serial.incarnation - 1);
      return 0;
    default:
      describe_fault(&echo, info);
      return 1;
    }
  }
}
