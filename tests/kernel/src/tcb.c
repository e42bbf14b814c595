/*
 * tcb: TCB invocations, their checks and errors in seL4's order, as
 * sel4test's THREADS, REGRESSIONS and TLS tests and seL4's tcb.c define them
 * (sel4-semantics 7.2).
 */
#include "kthread.h"

#define kstop(tcb) CHECK_OK(seL4_TCB_Suspend(tcb))
#define NREGS (sizeof(seL4_UserContext) / sizeof(seL4_Word))

static volatile int stage;

static void idle_fn(void *unused) {
  (void)unused;
  stage = 1;
}

/* A fresh, never-started TCB (Configure'd like a helper, but not resumed). */
static seL4_CPtr new_tcb(void) {
  seL4_CPtr t = kobj(seL4_TCBObject, 0);
  return t;
}

/* TCB0001 (REGRESSIONS0001): WriteRegisters sets every register; ReadRegisters reads them back. */
static void tcb0001(void) {
  seL4_CPtr t = new_tcb();
  seL4_UserContext in, out;
  seL4_Word *w = (seL4_Word *)&in;
  for (unsigned i = 0; i < NREGS; i++) w[i] = 0x1000 + i * 0x11;
  CHECK_OK(seL4_TCB_WriteRegisters(t, 0, 0, NREGS, &in));
  CHECK_OK(seL4_TCB_ReadRegisters(t, 0, 0, NREGS, &out));
  seL4_Word *r = (seL4_Word *)&out;
  for (unsigned i = 0; i < NREGS; i++) CHECK_EQ(r[i], w[i]);
  /* A shorter write leaves the rest alone. */
  seL4_UserContext two = {.pc = 0x42, .ra = 0x43};
  CHECK_OK(seL4_TCB_WriteRegisters(t, 0, 0, 2, &two));
  CHECK_OK(seL4_TCB_ReadRegisters(t, 0, 0, NREGS, &out));
  CHECK_EQ(out.pc, 0x42);
  CHECK_EQ(out.ra, 0x43);
  CHECK_EQ(out.sp, in.sp);
  CHECK_EQ(out.tp, in.tp);
}

/* TCB0002: ReadRegisters / WriteRegisters errors. */
static void tcb0002(void) {
  seL4_CPtr t = new_tcb();
  seL4_UserContext regs;
  CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 0, &regs), seL4_RangeError);
  CHECK_MR(0, 1);
  CHECK_MR(1, 32);
  CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 33, &regs), seL4_RangeError);
  CHECK_ERR(seL4_TCB_ReadRegisters(SELF, 0, 0, 1, &regs), seL4_IllegalOperation);
  CHECK_ERR(seL4_TCB_WriteRegisters(SELF, 0, 0, 1, &regs), seL4_IllegalOperation);
}

static seL4_Word helper_stack[256] __attribute__((aligned(16)));
static void raw_entry(void) {
  stage = 7;
  seL4_TCB_Suspend(kthreads[0].tcb); /* ourselves */
  for (;;) {
  }
}

/* TCB0003: WriteRegisters with resume starts the thread at the written pc. */
static void tcb0003(void) {
  stage = 0;
  seL4_CPtr t = kthread(0, idle_fn, NULL, 200, seL4_CapNull);
  krun_others();
  CHECK_EQ(stage, 1); /* the helper ran and suspended itself */
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(t, 0, 0, NREGS, &regs));
  regs.pc = (seL4_Word)raw_entry;
  regs.sp = (seL4_Word)(helper_stack + 256);
  CHECK_OK(seL4_TCB_WriteRegisters(t, 1, 0, NREGS, &regs));
  CHECK_EQ(stage, 1); /* lower priority: not yet */
  krun_others();
  CHECK_EQ(stage, 7);
  kstop(t);
}

/* TCB0004 (THREADS0004): Configure with a null CSpace fails. */
static void tcb0004(void) {
  seL4_CPtr t = new_tcb();
  CHECK_ERR(seL4_TCB_Configure(t, 0, seL4_CapNull, 0, seL4_CapInitThreadVSpace, 0, 0, 0),
            seL4_IllegalOperation);
  CHECK_ERR(seL4_TCB_Configure(t, 0, ROOT, 0, seL4_CapNull, 0, 0, 0), seL4_IllegalOperation);
  CHECK_OK(seL4_TCB_Configure(t, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0, 0));
}

/* TCB0005 (THREADS0005): SetSpace with a null CSpace fails. */
static void tcb0005(void) {
  seL4_CPtr t = new_tcb();
  CHECK_ERR(seL4_TCB_SetSpace(t, 0, seL4_CapNull, 0, seL4_CapInitThreadVSpace, 0),
            seL4_IllegalOperation);
  CHECK_OK(seL4_TCB_SetSpace(t, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0));
}

/* TCB0006: priorities are bounded by the authority's MCP; a non-TCB authority is cap 1. */
static void tcb0006(void) {
  seL4_CPtr t = new_tcb();
  seL4_CPtr auth = new_tcb();
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  CHECK_ERR(seL4_TCB_SetPriority(t, ep, 10), seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_OK(seL4_TCB_SetMCPriority(auth, SELF, 100));
  CHECK_ERR(seL4_TCB_SetPriority(t, auth, 101), seL4_RangeError);
  CHECK_MR(0, 0);
  CHECK_MR(1, 100);
  CHECK_OK(seL4_TCB_SetPriority(t, auth, 100));
  CHECK_ERR(seL4_TCB_SetSchedParams(t, auth, 101, 1), seL4_RangeError);
  CHECK_ERR(seL4_TCB_SetSchedParams(t, auth, 1, 101), seL4_RangeError);
  CHECK_OK(seL4_TCB_SetSchedParams(t, auth, 50, 60));
  CHECK_ERR(seL4_TCB_SetPriority(t, SELF, 256), seL4_RangeError);
  CHECK_MR(1, 255);
}

/* TCB0007: SetTLSBase writes tp; SetFlags answers the new flags (only fpuDisabled exists). */
static void tcb0007(void) {
  seL4_CPtr t = new_tcb();
  CHECK_OK(seL4_TCB_SetTLSBase(t, 0x7777000));
  seL4_UserContext regs;
  CHECK_OK(seL4_TCB_ReadRegisters(t, 0, 0, NREGS, &regs));
  CHECK_EQ(regs.tp, 0x7777000);
  seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(t, 0, ~0ul);
  CHECK_ERR(r.error, seL4_NoError);
  CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
  r = seL4_TCB_SetFlags(t, seL4_TCBFlag_fpuDisabled, 0);
  CHECK_EQ(r.flags, 0);
}

/* TCB0008: CopyRegisters copies the frame group (pc, ra, sp, gp, s0-s11) and the gp group apart. */
static void tcb0008(void) {
  seL4_CPtr src = new_tcb();
  seL4_CPtr dst = new_tcb();
  seL4_UserContext in = {0}, out;
  in.pc = 0x100;
  in.sp = 0x200;
  in.s11 = 0x300;
  in.a0 = 0x400;
  in.tp = 0x500;
  CHECK_OK(seL4_TCB_WriteRegisters(src, 0, 0, NREGS, &in));
  CHECK_ERR(seL4_TCB_CopyRegisters(dst, kobj(seL4_EndpointObject, 0), 0, 0, 1, 1, 0),
            seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_OK(seL4_TCB_CopyRegisters(dst, src, 0, 0, 1, 0, 0));
  CHECK_OK(seL4_TCB_ReadRegisters(dst, 0, 0, NREGS, &out));
  CHECK_EQ(out.pc, 0x100);
  CHECK_EQ(out.s11, 0x300);
  CHECK_EQ(out.a0, 0);
  CHECK_OK(seL4_TCB_CopyRegisters(dst, src, 0, 0, 0, 1, 0));
  CHECK_OK(seL4_TCB_ReadRegisters(dst, 0, 0, NREGS, &out));
  CHECK_EQ(out.a0, 0x400);
  CHECK_EQ(out.tp, 0x500);
}

/* TCB0009: SetIPCBuffer checks alignment and the frame; address 0 removes the buffer. */
static void tcb0009(void) {
  seL4_CPtr t = new_tcb();
  seL4_CPtr frame = kobj(seL4_RISCV_4K_Page, 0);
  CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0x10000100, frame), seL4_AlignmentError);
  CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0x10000000, kobj(seL4_EndpointObject, 0)),
            seL4_IllegalOperation);
  CHECK_OK(seL4_TCB_SetIPCBuffer(t, 0x10000400, frame));
  CHECK_OK(seL4_TCB_SetIPCBuffer(t, 0, seL4_CapNull));
}

/* TCB0010: Suspend and Resume of a runnable thread; Resume of a running one does nothing. */
static volatile int spins;
static void spinner(void *unused) {
  (void)unused;
  for (;;) spins++;
}

static void tcb0010(void) {
  spins = 0;
  seL4_CPtr t = kthread(0, spinner, NULL, 100, seL4_CapNull);
  CHECK_OK(seL4_TCB_Suspend(t));
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 50));
  CHECK_EQ(spins, 0); /* suspended: did not run while we were lower */
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 255));
  CHECK_OK(seL4_TCB_Resume(t));
  CHECK_OK(seL4_TCB_Resume(t)); /* no-op */
  CHECK_OK(seL4_TCB_Resume(SELF));
  CHECK_EQ(spins, 0);
  kstop(t);
}

/* TCB0011: a label that is not a TCB method is IllegalOperation. */
static void tcb0011(void) {
  seL4_CPtr t = new_tcb();
  seL4_MessageInfo_t info = seL4_Call(t, seL4_MessageInfo_new(CNodeCopy, 0, 0, 0));
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_IllegalOperation);
  info = seL4_Call(t, seL4_MessageInfo_new(0, 0, 0, 0));
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_IllegalOperation);
}

/* TCB0012: DomainSet_Set (one domain): domain 0 works, others are InvalidArgument(0). */
static void tcb0012(void) {
  seL4_CPtr t = new_tcb();
  CHECK_OK(seL4_DomainSet_Set(seL4_CapDomain, 0, t));
  CHECK_ERR(seL4_DomainSet_Set(seL4_CapDomain, 1, t), seL4_InvalidArgument);
  CHECK_MR(0, 0);
  CHECK_ERR(seL4_DomainSet_Set(seL4_CapDomain, 0, kobj(seL4_EndpointObject, 0)),
            seL4_InvalidArgument);
  CHECK_MR(0, 1);
}

/*
 * TCB0013: each thread has its own FP registers and fcsr: two helpers and the
 * root task put different values in fs0 and different rounding modes in frm,
 * then switch back and forth many times (the kernel moves FP state lazily,
 * at a thread's first FP instruction after another thread used the FPU).
 */
static volatile int fp_done[2];
static volatile int fp_bad[2];

static void fp_worker(void *arg) {
  seL4_Word id = (seL4_Word)arg;
  seL4_Word mine = 0x4000000000000000ul + id, frm = id + 1, got, got_frm;
  __asm__ volatile("fmv.d.x fs0, %0\n\tfsrm %1" : : "r"(mine), "r"(frm) : "fs0");
  for (int i = 0; i < 20; i++) {
    seL4_Yield();
    __asm__ volatile("fmv.x.d %0, fs0\n\tfrrm %1" : "=r"(got), "=r"(got_frm));
    if (got != mine || got_frm != frm) fp_bad[id]++;
  }
  fp_done[id] = 1;
}

static void tcb0013(void) {
  seL4_Word mine = 0x3ff0000000000000ul, got, got_frm;
  __asm__ volatile("fmv.d.x fs0, %0\n\tfsrmi 3" : : "r"(mine) : "fs0");
  seL4_CPtr a = kthread(0, fp_worker, (void *)0, 200, seL4_CapNull);
  seL4_CPtr b = kthread(1, fp_worker, (void *)1, 200, seL4_CapNull);
  krun_others();
  __asm__ volatile("fmv.x.d %0, fs0\n\tfrrm %1" : "=r"(got), "=r"(got_frm));
  CHECK_EQ(fp_done[0] && fp_done[1], 1);
  CHECK_EQ(fp_bad[0], 0);
  CHECK_EQ(fp_bad[1], 0);
  CHECK_EQ(got, mine);
  CHECK_EQ(got_frm, 3);
  kstop(a);
  kstop(b);
}

#if MICA_SEL4_RELEASE >= 1500
/*
 * TCB0014 (15.0+, as DOMAINS0000 checks them): the domain schedule invocations with one
 * domain and two schedule entries (entry 1 is the end marker and stays one). Checks in
 * seL4's order: index, domain, duration width, end-marker shape, the start entry's duration.
 */
static void tcb0014(void) {
  const seL4_Word max = 0x00fffffffffffffful; /* durations are 56 bits */
  CHECK_OK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0));
  CHECK_ERR(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, -1ul), seL4_RangeError);
  CHECK_MR(0, 0);
  CHECK_MR(1, 1);
  CHECK_ERR(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 2), seL4_RangeError);
  CHECK_ERR(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 1), seL4_InvalidArgument);
  CHECK_MR(0, 0);
  CHECK_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, -1ul, 0, 10), seL4_RangeError);
  CHECK_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 0, 10), seL4_RangeError);
  CHECK_MR(0, 0);
  CHECK_MR(1, 0);
  /* The domain is checked before the durations. */
  CHECK_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 1, 0), seL4_RangeError);
  CHECK_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0xff, 10), seL4_RangeError);
  CHECK_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, max + 1), seL4_InvalidArgument);
  CHECK_MR(0, 2);
  CHECK_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, 0), seL4_InvalidArgument);
  CHECK_MR(0, 2);
  seL4_MessageInfo_t info =
      seL4_Call(seL4_CapDomain, seL4_MessageInfo_new(DomainScheduleConfigure, 0, 0, 2));
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_TruncatedMessage);
  info = seL4_Call(seL4_CapDomain, seL4_MessageInfo_new(DomainScheduleSetStart, 0, 0, 0));
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_TruncatedMessage);
  /* A short entry, restarted at once: threads still run, then the boot-time entry is back. */
  CHECK_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, 3));
  CHECK_OK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0));
  stage = 0;
  kthread(0, idle_fn, NULL, 100, seL4_CapNull);
  krun_others();
  CHECK_EQ(stage, 1);
  CHECK_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, max));
  CHECK_OK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0));
}
#endif

int main(void) {
  static const struct ktest tests[] = {
      {"TCB0001", tcb0001}, {"TCB0002", tcb0002}, {"TCB0003", tcb0003}, {"TCB0004", tcb0004},
      {"TCB0005", tcb0005}, {"TCB0006", tcb0006}, {"TCB0007", tcb0007}, {"TCB0008", tcb0008},
      {"TCB0009", tcb0009}, {"TCB0010", tcb0010}, {"TCB0011", tcb0011}, {"TCB0012", tcb0012},
      {"TCB0013", tcb0013},
#if MICA_SEL4_RELEASE >= 1500
      {"TCB0014", tcb0014},
#endif
  };
  ktest_run("tcb", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
