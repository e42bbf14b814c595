/*
 * faults: when a thread faults, the kernel does not kill it. It blocks the
 * thread and sends a message describing the fault to the thread's fault
 * endpoint, as if the thread had called it; the handler receives it like any
 * message and may reply, which restarts the thread -- with its registers
 * changed, if the reply says so. Pagers, debuggers and syscall emulation
 * are built this way.
 *
 * A worker thread here touches unmapped memory (a VM fault: the handler maps
 * a page and the load is retried), makes an unknown system call (emulated
 * by the handler, which sets a0 and moves the pc past the ecall), and runs
 * an illegal instruction (a user exception: the handler stops it).
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <mica/thread.h>
#include <sel4/sel4.h>
#include <stdio.h>

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define UNMAPPED 0x10000000ul /* nothing is mapped here (see examples/mapping) */

static mica_thread_t worker_thread;

static void worker(void *unused) {
  (void)unused;
  printf("  worker: reading 0x%lx\n", UNMAPPED);
  seL4_Word v = *(volatile seL4_Word *)UNMAPPED;
  printf("  worker: read %lu, the handler mapped a page\n", v);

  register seL4_Word a0 __asm__("a0") = 20;
  register seL4_Word a7 __asm__("a7") = 1000; /* no such syscall */
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
  printf("  worker: syscall 1000 returned %lu\n", a0);

  printf("  worker: running an illegal instruction\n");
  __asm__ volatile(".word 0"); /* all-zero: illegal in RISC-V */
  printf("  worker: not reached\n");
}

/* Map a fresh frame at the page holding vaddr (its page table included). */
static void map_page(seL4_Word vaddr) {
  seL4_CPtr table, frame;
  MICA_CHECK(mica_alloc_object(seL4_RISCV_PageTableObject, 0, &table));
  MICA_CHECK(seL4_RISCV_PageTable_Map(table, seL4_CapInitThreadVSpace, vaddr,
                                      seL4_RISCV_Default_VMAttributes));
  MICA_CHECK(mica_alloc_object(seL4_RISCV_4K_Page, 0, &frame));
  MICA_CHECK(seL4_RISCV_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr & ~0xfffull,
                                 seL4_ReadWrite, seL4_RISCV_Default_VMAttributes));
}

int main(void) {
  seL4_CPtr fault_ep, worker_ep = mica_alloc_slot();
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &fault_ep));
  /* The worker's fault endpoint: badged so the handler knows whose fault it
     is, with GrantReply so that the kernel can wait for the reply. */
  MICA_CHECK(seL4_CNode_Mint(ROOT, worker_ep, DEPTH, ROOT, fault_ep, DEPTH,
                             seL4_CapRights_new(1, 0, 0, 1), 7));
  MICA_CHECK(mica_thread_start(&worker_thread, worker, NULL, 255, worker_ep));

  for (;;) {
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
    switch (seL4_MessageInfo_get_label(info)) {
    case seL4_Fault_VMFault: {
      seL4_Word addr = seL4_GetMR(seL4_VMFault_Addr);
      /* FSR: on RISC-V the access-fault cause the kernel folds page faults
         into -- 5 for a load, 7 for a store, 1 for an instruction fetch. */
      printf("handler: VM fault from thread %lu at pc 0x%lx: address 0x%lx, %s, FSR %lu\n",
             badge, seL4_GetMR(seL4_VMFault_IP), addr,
             seL4_GetMR(seL4_VMFault_PrefetchFault) ? "instruction fetch" : "data access",
             seL4_GetMR(seL4_VMFault_FSR));
      map_page(addr);
      seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0)); /* restart the load */
      break;
    }
    case seL4_Fault_UnknownSyscall: {
      seL4_Word pc = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
      seL4_Word number = seL4_GetMR(seL4_UnknownSyscall_Syscall);
      seL4_Word arg = seL4_GetMR(seL4_UnknownSyscall_A0);
      printf("handler: unknown syscall %lu from thread %lu at pc 0x%lx, a0 = %lu\n", number, badge,
             pc, arg);
      /* The reply's words overwrite the registers the fault message
         reported, in its order (FaultIP, SP, RA, A0, ...): a0 gets the
         result and the pc skips the 4-byte ecall. SP and RA go back as
         they came (the message registers still hold them). */
      seL4_SetMR(seL4_UnknownSyscall_FaultIP, pc + 4);
      seL4_SetMR(seL4_UnknownSyscall_A0, arg * 2 + 2);
      seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_A0 + 1));
      break;
    }
    case seL4_Fault_UserException:
      /* Number: the RISC-V exception cause (2: illegal instruction). */
      printf("handler: user exception from thread %lu at pc 0x%lx, cause %lu; stopping it\n",
             badge, seL4_GetMR(seL4_UserException_FaultIP),
             seL4_GetMR(seL4_UserException_Number));
      /* No reply: the worker stays blocked. Suspending it tidies up. */
      MICA_CHECK(seL4_TCB_Suspend(worker_thread.tcb));
      printf("faults: done\n");
      return 0;
    default:
      printf("handler: unexpected message, label %lu\n", seL4_MessageInfo_get_label(info));
      return 1;
    }
  }
}
