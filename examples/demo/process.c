/*
 * Step 2: processes. A process is a thread with its own VSpace (page
 * tables, so its own memory) and its own CSpace (so its own, small, set of
 * capabilities). The demo makes each one as a clone of this program: the
 * code pages are shared read-only, the data pages (globals, heap, stack) are
 * fresh frames with a copy of ours, so the clone starts with our state but
 * changes only its own. Everything is built from untyped memory with
 * ordinary invocations; the kernel has no notion of "process".
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define ATTRS seL4_RISCV_Default_VMAttributes
#define PAGE 4096ul
/* Where we map a new frame for a moment to fill it (unused otherwise). */
#define SCRATCH 0x20000000ul

extern char __image_start[], __data_segment_start[], __image_end[], __stack_top[];

/* Map a frame, first adding whatever page tables the kernel says are missing. */
static seL4_Error map_frame(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr,
                            seL4_CapRights_t rights) {
  for (;;) {
    seL4_Error err = seL4_RISCV_Page_Map(frame, vspace, vaddr, rights, ATTRS);
    if (err != seL4_FailedLookup) return err;
    seL4_CPtr table;
    err = mica_alloc_object(seL4_RISCV_PageTableObject, 0, &table);
    if (err == seL4_NoError) err = seL4_RISCV_PageTable_Map(table, vspace, vaddr, ATTRS);
    if (err != seL4_NoError) return err;
  }
}

seL4_Error map_new_page(seL4_CPtr vspace, seL4_Word vaddr) {
  seL4_CPtr frame;
  seL4_Error err = mica_alloc_object(seL4_RISCV_4K_Page, 0, &frame);
  return err != seL4_NoError ? err : map_frame(vspace, frame, vaddr & ~(PAGE - 1), seL4_ReadWrite);
}

/* A new frame holding a copy of our page at vaddr (or zeroes if src is NULL). */
static seL4_CPtr copy_of_page(const void *src) {
  seL4_CPtr frame;
  MICA_CHECK(mica_alloc_object(seL4_RISCV_4K_Page, 0, &frame));
  if (src != NULL) {
    MICA_CHECK(map_frame(seL4_CapInitThreadVSpace, frame, SCRATCH, seL4_ReadWrite));
    memcpy((void *)SCRATCH, src, PAGE);
    MICA_CHECK(seL4_RISCV_Page_Unmap(frame));
  }
  return frame;
}

void process_create(process_t *p, int id, seL4_CPtr endpoint, void (*entry)(seL4_Word)) {
  seL4_BootInfo *bi = platsupport_get_bootinfo();
  p->id = id;

  /* A VSpace: a top-level page table with an ASID from the root pool. */
  MICA_CHECK(mica_alloc_object(seL4_RISCV_PageTableObject, 0, &p->vspace));
  MICA_CHECK(seL4_RISCV_ASIDPool_Assign(seL4_CapInitThreadASIDPool, p->vspace));

  /* Code: our own frames, through copies of their caps, read-only. */
  seL4_Word pages = 0;
  for (char *v = __image_start; v < __data_segment_start; v += PAGE, pages++) {
    seL4_CPtr copy = mica_alloc_slot();
    seL4_CPtr ours = bi->userImageFrames.start + (seL4_Word)(v - __image_start) / PAGE;
    MICA_CHECK(seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT, ours, DEPTH, seL4_CanRead));
    MICA_CHECK(map_frame(p->vspace, copy, (seL4_Word)v, seL4_CanRead));
  }
  /* Data: new frames with a copy of ours. */
  seL4_Word copied = 0;
  for (char *v = __data_segment_start; v < __image_end; v += PAGE, copied++)
    MICA_CHECK(map_frame(p->vspace, copy_of_page(v), (seL4_Word)v, seL4_ReadWrite));
  /* An IPC buffer where ours is, so the copied __sel4_ipc_buffer is right. */
  seL4_CPtr ipc_frame = copy_of_page(NULL);
  MICA_CHECK(map_frame(p->vspace, ipc_frame, (seL4_Word)bi->ipcBuffer, seL4_ReadWrite));

  /* A CSpace of 16 slots. Its guard (60 bits of zero) makes a cptr in the
     process simply a slot number, as in ours. */
  MICA_CHECK(mica_alloc_object(seL4_CapTableObject, 4, &p->cspace));
  seL4_CapRights_t call_only = seL4_CapRights_new(1, 0, 0, 1); /* GrantReply, Write */
  MICA_CHECK(seL4_CNode_Mint(p->cspace, PROCESS_SERVER_SLOT, 4, ROOT, endpoint, DEPTH, call_only,
                             (seL4_Word)id));
  MICA_CHECK(seL4_CNode_Mint(p->cspace, PROCESS_FAULT_SLOT, 4, ROOT, endpoint, DEPTH, call_only,
                             FAULT_BADGE | (seL4_Word)id));

  /* The thread: faults go to PROCESS_FAULT_SLOT, looked up in its CSpace. */
  MICA_CHECK(mica_alloc_object(seL4_TCBObject, 0, &p->tcb));
  MICA_CHECK(seL4_TCB_Configure(p->tcb, PROCESS_FAULT_SLOT, p->cspace,
                                seL4_CNode_CapData_new(0, seL4_WordBits - 4).words[0], p->vspace,
                                0, (seL4_Word)bi->ipcBuffer, ipc_frame));
  MICA_CHECK(seL4_TCB_SetPriority(p->tcb, seL4_CapInitThreadTCB, 254));
  printf("  process %d: %lu code pages shared, %lu data pages copied, 2 caps\n", id, pages,
         copied);

  /* Our stack, TLS block and global pointer, in its copy of our memory. */
  seL4_UserContext regs = {0};
  regs.pc = (seL4_Word)entry;
  regs.sp = (seL4_Word)__stack_top;
  regs.a0 = (seL4_Word)id;
  regs.tp = sel4runtime_get_tls_base();
  __asm__("mv %0, gp" : "=r"(regs.gp));
  MICA_CHECK(seL4_TCB_WriteRegisters(p->tcb, 1, 0, sizeof regs / sizeof(seL4_Word), &regs));
}
