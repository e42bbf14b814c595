/*
 * ipcbench: seL4 IPC round trips on mica, timed by the host (bench/ipc/run.ts).
 *
 * The root task is the client: seL4_Call on an endpoint, with 0 or 4
 * message words (the 4 travel in registers a2..a5). The server answers with
 * seL4_ReplyRecv, echoing the words back, as sel4bench's IPC benchmarks do.
 * There are two servers: a thread in our own address space, and a process
 * with its own VSpace and CSpace (so every round trip switches satp twice).
 *
 * User mode cannot read a clock or instret, so each measured phase is framed
 * by console lines the host watches for:
 *
 *   ipcbench: begin same-as-0 20000     (timing starts at its newline)
 *   ipcbench: end same-as-0             (timing stops at its first byte)
 *
 * Every case is warmed up (guest caches and the host's JIT) before any is
 * measured. A wrong reply prints `ipcbench: wrong reply ...` and exits 1.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <mica/thread.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 20000 /* measured round trips per case */
#define WARMUP 2000  /* unmeasured round trips per case, before any is measured */

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define ATTRS seL4_RISCV_Default_VMAttributes
#define PAGE 4096ul
#define SCRATCH 0x20000000ul   /* where a new frame is mapped for a moment to fill it */
#define PROCESS_EP_SLOT 1      /* the endpoint, in the server process's CSpace */
#define PROCESS_CNODE_BITS 4   /* its CSpace: 16 slots */
#define SERVER_PRIORITY 255    /* as ours: a Call switches straight to the server */

extern char __image_start[], __data_segment_start[], __image_end[], __stack_top[];

/* ---- the server: the same code in both address spaces */

static _Noreturn void serve(seL4_CPtr ep) {
  seL4_Word mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
  seL4_MessageInfo_t info = seL4_RecvWithMRs(ep, NULL, &mr0, &mr1, &mr2, &mr3);
  for (;;) /* reply with what came in: same length, same words */
    info = seL4_ReplyRecvWithMRs(ep, info, NULL, &mr0, &mr1, &mr2, &mr3);
}

static void server_thread(void *ep) { serve((seL4_CPtr)ep); }

static void server_process(seL4_Word ep) { serve(ep); }

/* ---- a server process: a clone of this image in its own VSpace and CSpace
   (as examples/demo/process.c: code shared read-only, data copied) */

/* Map a frame, first adding whatever page tables the kernel says are missing. */
static void map_frame(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights) {
  for (;;) {
    seL4_Error err = seL4_RISCV_Page_Map(frame, vspace, vaddr, rights, ATTRS);
    if (err != seL4_FailedLookup) {
      MICA_CHECK(err);
      return;
    }
    seL4_CPtr table;
    MICA_CHECK(mica_alloc_object(seL4_RISCV_PageTableObject, 0, &table));
    MICA_CHECK(seL4_RISCV_PageTable_Map(table, vspace, vaddr, ATTRS));
  }
}

/* A new frame holding a copy of our page at src (zeroes if src is NULL). */
static seL4_CPtr copy_of_page(const void *src) {
  seL4_CPtr frame;
  MICA_CHECK(mica_alloc_object(seL4_RISCV_4K_Page, 0, &frame));
  if (src != NULL) {
    map_frame(seL4_CapInitThreadVSpace, frame, SCRATCH, seL4_ReadWrite);
    memcpy((void *)SCRATCH, src, PAGE);
    MICA_CHECK(seL4_RISCV_Page_Unmap(frame));
  }
  return frame;
}

/* Start server_process in a new address space, holding `ep` in its CSpace. */
static void start_server_process(seL4_CPtr ep) {
  seL4_BootInfo *bi = platsupport_get_bootinfo();
  seL4_CPtr vspace, cspace, tcb;
  MICA_CHECK(mica_alloc_object(seL4_RISCV_PageTableObject, 0, &vspace));
  MICA_CHECK(seL4_RISCV_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vspace));
  for (char *v = __image_start; v < __data_segment_start; v += PAGE) {
    seL4_CPtr copy = mica_alloc_slot();
    seL4_CPtr ours = bi->userImageFrames.start + (seL4_Word)(v - __image_start) / PAGE;
    MICA_CHECK(seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT, ours, DEPTH, seL4_CanRead));
    map_frame(vspace, copy, (seL4_Word)v, seL4_CanRead);
  }
  for (char *v = __data_segment_start; v < __image_end; v += PAGE)
    map_frame(vspace, copy_of_page(v), (seL4_Word)v, seL4_ReadWrite);
  seL4_CPtr ipc_frame = copy_of_page(NULL);
  map_frame(vspace, ipc_frame, (seL4_Word)bi->ipcBuffer, seL4_ReadWrite);

  /* The guard makes a cptr in the process a plain slot number. */
  MICA_CHECK(mica_alloc_object(seL4_CapTableObject, PROCESS_CNODE_BITS, &cspace));
  MICA_CHECK(seL4_CNode_Copy(cspace, PROCESS_EP_SLOT, PROCESS_CNODE_BITS, ROOT, ep, DEPTH,
                             seL4_AllRights));
  MICA_CHECK(mica_alloc_object(seL4_TCBObject, 0, &tcb));
  MICA_CHECK(seL4_TCB_Configure(
      tcb, seL4_CapNull, cspace,
      seL4_CNode_CapData_new(0, seL4_WordBits - PROCESS_CNODE_BITS).words[0], vspace, 0,
      (seL4_Word)bi->ipcBuffer, ipc_frame));
  MICA_CHECK(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, SERVER_PRIORITY));

  /* Our stack, TLS block and global pointer, in its copy of our memory. */
  seL4_UserContext regs = {0};
  regs.pc = (seL4_Word)server_process;
  regs.sp = (seL4_Word)__stack_top;
  regs.a0 = PROCESS_EP_SLOT;
  regs.tp = sel4runtime_get_tls_base();
  __asm__("mv %0, gp" : "=r"(regs.gp));
  MICA_CHECK(seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof regs / sizeof(seL4_Word), &regs));
}

/* ---- the client */

typedef struct bench_case {
  const char *name;
  seL4_CPtr ep;
  seL4_MessageInfo_t tag; /* label 0, no caps, 0 or 4 words */
} bench_case_t;

/* `rounds` Calls on c->ep; exits if a reply is not the echo of its request. */
static void ping(const bench_case_t *c, int rounds) {
  seL4_Word words = seL4_MessageInfo_get_length(c->tag), bad = 0;
  for (int i = 0; i < rounds; i++) {
    seL4_Word mr0 = (seL4_Word)i, mr1 = 1, mr2 = 2, mr3 = ~(seL4_Word)i;
    seL4_MessageInfo_t reply = seL4_CallWithMRs(c->ep, c->tag, &mr0, &mr1, &mr2, &mr3);
    bad |= seL4_MessageInfo_get_length(reply) ^ words;
    if (words == 4) bad |= (mr0 ^ (seL4_Word)i) | (mr3 ^ ~(seL4_Word)i);
  }
  if (bad != 0) {
    printf("ipcbench: wrong reply in %s\n", c->name);
    exit(1);
  }
}

static mica_thread_t server;

int main(void) {
  seL4_CPtr same_ep, cross_ep;
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &same_ep));
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &cross_ep));
  start_server_process(cross_ep);
  MICA_CHECK(mica_thread_start(&server, server_thread, (void *)same_ep, SERVER_PRIORITY,
                               seL4_CapNull));

  const bench_case_t cases[] = {
      {"same-as-0", same_ep, seL4_MessageInfo_new(0, 0, 0, 0)},
      {"same-as-4", same_ep, seL4_MessageInfo_new(0, 0, 0, 4)},
      {"cross-as-0", cross_ep, seL4_MessageInfo_new(0, 0, 0, 0)},
      {"cross-as-4", cross_ep, seL4_MessageInfo_new(0, 0, 0, 4)},
  };
  const int count = sizeof cases / sizeof cases[0];
  for (int i = 0; i < count; i++) ping(&cases[i], WARMUP);
  for (int i = 0; i < count; i++) {
    printf("ipcbench: begin %s %d\n", cases[i].name, ROUNDS);
    ping(&cases[i], ROUNDS);
    printf("ipcbench: end %s\n", cases[i].name);
  }
  printf("ipcbench: done\n");
  return 0;
}
