/*
 * fault: faults delivered as IPC to the fault endpoint, with seL4's RISC-V
 * message layouts, and what the handler's reply does (restart, registers
 * written, thread left stopped), as sel4test's PAGEFAULT tests check them
 * (sel4-semantics 6, ABI sheet 7).
 */
#include "kthread.h"

#define kstop(tcb) CHECK_OK(seL4_TCB_Suspend(tcb))
#define ROOT_GUARD_BITS (seL4_WordBits - 12) /* root CNode: 2^12 slots, guard 0 */

static volatile int stage;
static volatile seL4_Word value;
static seL4_CPtr fault_ep, handler_cap, worker;

/* Every test: a fault endpoint, a badged handler cap with GrantReply, a worker at 200. */
static void start_worker(void (*fn)(void *), void *arg) {
  fault_ep = kobj(seL4_EndpointObject, 0);
  handler_cap = kmint(fault_ep, seL4_CapRights_new(1, 0, 0, 1), 0xfa);
  stage = 0;
  value = 0;
  worker = kthread(0, fn, arg, 200, handler_cap);
}

static seL4_MessageInfo_t wait_fault(void) {
  seL4_Word badge = 0;
  seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
  if (badge != 0xfa) printf("  unexpected badge 0x%lx\n", badge);
  return info;
}

/* Maps a fresh frame at vaddr, adding page tables as the walk needs them. */
static seL4_Error map_page(seL4_Word vaddr) {
  seL4_CPtr frame = kobj(seL4_RISCV_4K_Page, 0);
  for (int i = 0; i < 3; i++) {
    seL4_Error e = seL4_RISCV_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, seL4_ReadWrite,
                                       seL4_RISCV_Default_VMAttributes);
    if (e != seL4_FailedLookup) return e;
    seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
    e = seL4_RISCV_PageTable_Map(pt, seL4_CapInitThreadVSpace, vaddr,
                                 seL4_RISCV_Default_VMAttributes);
    if (e != seL4_NoError) return e;
  }
  return seL4_FailedLookup;
}

#define READ_ADDR 0x10400000ul
#define WRITE_ADDR 0x10600000ul
#define EXEC_ADDR 0x10800000ul

static void reader(void *unused) {
  (void)unused;
  stage = 1;
  value = *(volatile seL4_Word *)READ_ADDR;
  stage = 2;
}

/* FAULT0001: a load from unmapped memory: VMFault(IP, addr, 0, FSR 5); map and reply restarts it. */
static void fault0001(void) {
  start_worker(reader, NULL);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
  CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), READ_ADDR);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 5);
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(worker, 0, 0, 1, &regs));
  CHECK_EQ(regs.pc, seL4_GetMR(seL4_VMFault_IP));
  CHECK_EQ(stage, 1);
  CHECK_OK(map_page(READ_ADDR));
  *(volatile seL4_Word *)READ_ADDR = 0x5eed;
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  krun_others();
  CHECK_EQ(stage, 2);
  CHECK_EQ(value, 0x5eed);
}

static void writer(void *unused) {
  (void)unused;
  stage = 1;
  /* A 4-byte store, so that the handler can step over it. */
  __asm__ volatile(".option push\n.option norvc\nsd %0, 0(%1)\n.option pop" ::"r"(1ul),
                   "r"(WRITE_ADDR)
                   : "memory");
  stage = 2;
}

/* FAULT0002: a store fault has FSR 7; the handler steps over it with WriteRegisters and replies. */
static void fault0002(void) {
  start_worker(writer, NULL);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), WRITE_ADDR);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 7);
  seL4_Word pc = seL4_GetMR(seL4_VMFault_IP);
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(worker, 0, 0, sizeof regs / sizeof(seL4_Word), &regs));
  CHECK_EQ(regs.pc, pc);
  regs.pc = pc + 4;
  CHECK_OK(seL4_TCB_WriteRegisters(worker, 0, 0, sizeof regs / sizeof(seL4_Word), &regs));
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  krun_others();
  CHECK_EQ(stage, 2);
}

static void recovered(void) { stage = 3; }

static void jumper(void *unused) {
  (void)unused;
  stage = 1;
  ((void (*)(void))EXEC_ADDR)();
  stage = 4;
}

/* FAULT0003: an instruction fetch fault: FSR 1, prefetch flag, addr = IP; resume elsewhere. */
static void fault0003(void) {
  start_worker(jumper, NULL);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_IP), EXEC_ADDR);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), EXEC_ADDR);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
  CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 1);
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(worker, 0, 0, sizeof regs / sizeof(seL4_Word), &regs));
  regs.pc = (seL4_Word)recovered; /* returns through ra to jumper */
  CHECK_OK(seL4_TCB_WriteRegisters(worker, 0, 0, sizeof regs / sizeof(seL4_Word), &regs));
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  krun_others();
  CHECK_EQ(stage, 4);
}

static void syscaller(void *unused) {
  (void)unused;
  register seL4_Word a0 __asm__("a0") = 20;
  register seL4_Word a1 __asm__("a1") = 21;
  register seL4_Word a6 __asm__("a6") = 26;
  register seL4_Word a7 __asm__("a7") = 1000; /* no such syscall */
  stage = 1;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
  value = a0 + a1;
  stage = 2;
}

/* FAULT0004: UnknownSyscall: FaultIP, SP, RA, A0..A6, number; a label-0 reply sets registers. */
static void fault0004(void) {
  start_worker(syscaller, NULL);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
  CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UnknownSyscall_Length);
  CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_A0), 20);
  CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_A1), 21);
  CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_A6), 26);
  CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 1000);
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(worker, 0, 0, 3, &regs));
  CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), regs.pc);
  CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RA), regs.ra);
  CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_SP), regs.sp);
  seL4_SetMR(seL4_UnknownSyscall_FaultIP, regs.pc + 4);
  seL4_SetMR(seL4_UnknownSyscall_SP, regs.sp);
  seL4_SetMR(seL4_UnknownSyscall_RA, regs.ra);
  seL4_SetMR(seL4_UnknownSyscall_A0, 100);
  seL4_SetMR(seL4_UnknownSyscall_A1, 11);
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_A1 + 1));
  krun_others();
  CHECK_EQ(stage, 2);
  CHECK_EQ(value, 111);
}

/* FAULT0005: an UnknownSyscall reply with a non-zero label leaves the thread stopped. */
static void fault0005(void) {
  start_worker(syscaller, NULL);
  wait_fault();
  seL4_Reply(seL4_MessageInfo_new(1, 0, 0, 0));
  krun_others();
  CHECK_EQ(stage, 1);
  /* Stopped, not faulting again: Resume re-executes the ecall, which faults anew. */
  CHECK_OK(seL4_TCB_Resume(worker));
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
  kstop(worker);
}

static void illegal(void *unused) {
  (void)unused;
  stage = 1;
  __asm__ volatile(".word 0"); /* all-zero: illegal */
  stage = 2;
}

/* FAULT0006: UserException(FaultIP, SP, scause 2, code 0); a reply with FaultIP + 4 skips it. */
static void fault0006(void) {
  start_worker(illegal, NULL);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
  CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
  CHECK_EQ(seL4_GetMR(seL4_UserException_Number), 2);
  CHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0);
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(worker, 0, 0, 3, &regs));
  CHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), regs.pc);
  CHECK_EQ(seL4_GetMR(seL4_UserException_SP), regs.sp);
  seL4_SetMR(0, regs.pc + 4);
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
  krun_others();
  CHECK_EQ(stage, 2);
}

static seL4_CPtr signal_target;
static void bad_sender(void *unused) {
  (void)unused;
  stage = 1;
  seL4_NBSend(1ul << 62, seL4_MessageInfo_new(0, 0, 0, 0)); /* no fault for NBSend */
  stage = 2;
  seL4_Send(1ul << 62, seL4_MessageInfo_new(0, 0, 0, 0));
  stage = 3;
}

/*
 * FAULT0007: a Send on an unresolvable cptr is a CapFault (guard mismatch,
 * send phase); any reply restarts the syscall, here with a0 changed to a
 * notification cap by WriteRegisters.
 */
static void fault0007(void) {
  signal_target = kobj(seL4_NotificationObject, 0);
  seL4_CPtr badged = kmint(signal_target, seL4_AllRights, 0x3);
  start_worker(bad_sender, NULL);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(stage, 2);
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
  CHECK_EQ(seL4_MessageInfo_get_length(info), 7);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), 1ul << 62);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 64);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound), 0);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound), ROOT_GUARD_BITS);
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(worker, 0, 0, sizeof regs / sizeof(seL4_Word), &regs));
  CHECK_EQ(regs.pc, seL4_GetMR(seL4_CapFault_IP));
  regs.a0 = badged;
  CHECK_OK(seL4_TCB_WriteRegisters(worker, 0, 0, sizeof regs / sizeof(seL4_Word), &regs));
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  krun_others();
  CHECK_EQ(stage, 3);
  seL4_Word badge = 0;
  seL4_Poll(signal_target, &badge);
  CHECK_EQ(badge, 0x3);
}

/* FAULT0008: without a usable fault endpoint a fault stops the thread (double fault). */
static void fault0008(void) {
  stage = 0;
  seL4_CPtr t = kthread(0, illegal, NULL, 200, seL4_CapNull);
  krun_others();
  CHECK_EQ(stage, 1);
  kstop(t);
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr no_grant = kmint(ep, seL4_CanWrite, 0);
  stage = 0;
  t = kthread(0, illegal, NULL, 200, no_grant);
  krun_others();
  CHECK_EQ(stage, 1);
  seL4_Word badge = 0;
  seL4_NBRecv(ep, &badge); /* nothing was sent */
  CHECK_EQ(badge, 0);
  /* Resume restarts the faulting instruction: it faults again. */
  CHECK_OK(seL4_TCB_Resume(t));
  krun_others();
  CHECK_EQ(stage, 1);
  kstop(t);
}

/* FAULT0009: a fault endpoint with Grant only (no GrantReply) also works. */
static void fault0009(void) {
  fault_ep = kobj(seL4_EndpointObject, 0);
  handler_cap = kmint(fault_ep, seL4_CapRights_new(0, 1, 0, 1), 0xfa);
  stage = 0;
  worker = kthread(0, illegal, NULL, 200, handler_cap);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
  seL4_SetMR(0, seL4_GetMR(seL4_UserException_FaultIP) + 4);
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
  krun_others();
  CHECK_EQ(stage, 2);
}

static volatile double fp_in = 1.5, fp_out;

static void fp_user(void *unused) {
  (void)unused;
  stage = 1;
  fp_out = fp_in + fp_in; /* fld: the first FP instruction */
  stage = 2;
}

/*
 * FAULT0010: a thread whose FPU is off (seL4_TCBFlag_fpuDisabled) takes a UserException
 * (illegal instruction) at its first FP instruction; with the flag cleared, an empty reply
 * restarts the instruction and the sum comes out right.
 */
static void fault0010(void) {
  start_worker(fp_user, NULL);
  seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(worker, 0, seL4_TCBFlag_fpuDisabled);
  CHECK_OK(r.error);
  CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
  seL4_MessageInfo_t info = wait_fault();
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
  CHECK_EQ(seL4_GetMR(seL4_UserException_Number), 2);
  CHECK_EQ(stage, 1);
  r = seL4_TCB_SetFlags(worker, seL4_TCBFlag_fpuDisabled, 0);
  CHECK_OK(r.error);
  CHECK_EQ(r.flags, 0);
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  krun_others();
  CHECK_EQ(stage, 2);
  CHECK_EQ(fp_out == 3.0, 1);
}

static volatile seL4_Word self_flags = ~0ul;

static void fp_self_enable(void *unused) {
  (void)unused;
  stage = 1;
  seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(worker, seL4_TCBFlag_fpuDisabled, 0);
  self_flags = r.error == seL4_NoError ? r.flags : ~0ul;
  fp_out = fp_in + fp_in; /* no thread switch since SetFlags: the FPU must be on already */
  stage = 2;
}

/*
 * FAULT0011 (seL4 15.0's fix "task enabling FPU for itself"): a thread started with its FPU
 * off turns it on for itself with SetFlags and uses it at once, without a fault.
 */
static void fault0011(void) {
  start_worker(fp_self_enable, NULL);
  self_flags = ~0ul;
  fp_out = 0;
  seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(worker, 0, seL4_TCBFlag_fpuDisabled);
  CHECK_OK(r.error);
  krun_others();
  CHECK_EQ(self_flags, 0);
  CHECK_EQ(stage, 2);
  CHECK_EQ(fp_out == 3.0, 1);
  if (stage != 2) kstop(worker); /* blocked on its fault endpoint */
}

int main(void) {
  static const struct ktest tests[] = {
      {"FAULT0001", fault0001}, {"FAULT0002", fault0002}, {"FAULT0003", fault0003},
      {"FAULT0004", fault0004}, {"FAULT0005", fault0005}, {"FAULT0006", fault0006},
      {"FAULT0007", fault0007}, {"FAULT0008", fault0008}, {"FAULT0009", fault0009},
      {"FAULT0010", fault0010}, {"FAULT0011", fault0011},
  };
  ktest_run("fault", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
