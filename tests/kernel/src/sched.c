/*
 * sched: the non-MCS scheduler as sel4test's SCHED tests and seL4's
 * thread.c define it (sel4-semantics 8): strict priorities, Resume at the
 * head of the queue, Yield to the tail, round robin on the kernel's tick,
 * and who runs after a wake-up.
 */
#include "kthread.h"

#define kstop(tcb) CHECK_OK(seL4_TCB_Suspend(tcb))

static char order[16];
static volatile int norder;

static void note(void *arg) { order[norder++] = (char)(seL4_Word)arg; }

static void reset_order(void) {
  for (unsigned i = 0; i < sizeof order; i++) order[i] = 0;
  norder = 0;
}

static int same(const char *want) {
  for (int i = 0;; i++) {
    if (order[i] != want[i]) return 0;
    if (!want[i]) return 1;
  }
}

#define CHECK_ORDER(want)                                              \
  do {                                                                 \
    if (!same(want)) KFAIL("ran in order \"%s\", expected \"%s\"", order, want); \
  } while (0)

/* SCHED0002: Resume on oneself is a no-op. */
static void sched0002(void) {
  CHECK_OK(seL4_TCB_Resume(SELF));
  CHECK_OK(seL4_TCB_Resume(SELF));
}

/* SCHED0004: threads of different priorities run highest first, whatever the start order. */
static void sched0004(void) {
  reset_order();
  static const int prios[] = {60, 160, 10, 110};
  static const char names[] = "bdac";
  for (int i = 0; i < 4; i++) kthread(i, note, (void *)(seL4_Word)names[i], prios[i], 0);
  CHECK_EQ(norder, 0);
  krun_others();
  CHECK_ORDER("dcba");
}

/* SCHED0006: threads resumed A, B, C at one priority run C, B, A (Resume enqueues at the head). */
static void sched0006(void) {
  reset_order();
  kthread(0, note, (void *)'A', 100, 0);
  kthread(1, note, (void *)'B', 100, 0);
  kthread(2, note, (void *)'C', 100, 0);
  krun_others();
  CHECK_ORDER("CBA");
}

static void yielder(void *arg) {
  for (int i = 0; i < 3; i++) {
    order[norder++] = (char)(seL4_Word)arg;
    seL4_Yield();
  }
}

/* SCHED0007: Yield goes to the back of the queue: two equal threads alternate. */
static void sched0007(void) {
  reset_order();
  kthread(0, yielder, (void *)'a', 100, 0);
  kthread(1, yielder, (void *)'b', 100, 0);
  krun_others();
  CHECK_ORDER("bababa");
  /* Alone at the top priority, Yield returns at once. */
  reset_order();
  seL4_CPtr t = kthread(0, note, (void *)'x', 254, 0);
  seL4_Yield();
  CHECK_EQ(norder, 0);
  kstop(t);
}

static volatile seL4_Word counter[2];
static volatile int finished[2];
static void round_robin(void *arg) {
  int me = (int)(seL4_Word)arg, other = 1 - me;
  seL4_Word last = counter[other];
  int switches = 0;
  while (switches < 3) {
    counter[me]++;
    if (counter[other] != last) {
      last = counter[other];
      switches++;
    }
  }
  finished[me] = 1;
}

/* SCHED0003: two equal-priority threads that never block share the CPU through the timer tick. */
static void sched0003(void) {
  counter[0] = counter[1] = 0;
  finished[0] = finished[1] = 0;
  kthread(0, round_robin, (void *)0, 100, 0);
  kthread(1, round_robin, (void *)1, 100, 0);
  krun_others();
  CHECK(finished[0] && finished[1]);
}

static volatile int flag;
static void set_flag(void *unused) {
  (void)unused;
  flag = 1;
}

/* SCHED0005: SetPriority preempts at once when it raises another thread above the caller. */
static void sched0005(void) {
  flag = 0;
  seL4_CPtr t = kthread(0, set_flag, NULL, 100, 0);
  CHECK_OK(seL4_TCB_SetPriority(t, SELF, 254)); /* still below us */
  CHECK_EQ(flag, 0);
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 200));
  CHECK_EQ(flag, 1); /* lowering ourselves below it gave it the CPU */
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 255));
  /* An MCP limits what a thread may hand out, its own priority included. */
  seL4_CPtr auth = kobj(seL4_TCBObject, 0);
  CHECK_OK(seL4_TCB_SetMCPriority(auth, SELF, 120));
  CHECK_ERR(seL4_TCB_SetPriority(t, auth, 121), seL4_RangeError);
  CHECK_OK(seL4_TCB_SetPriority(t, auth, 120));
}

/* SCHED0020: raising another thread above oneself switches to it before the call returns. */
static void sched0020(void) {
  flag = 0;
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 150));
  seL4_CPtr t = kthread(0, set_flag, NULL, 100, 0);
  CHECK_EQ(flag, 0);
  CHECK_OK(seL4_TCB_SetPriority(t, SELF, 151));
  CHECK_EQ(flag, 1);
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 255));
}

static seL4_CPtr wake_ep;
static void receive_then_note(void *arg) {
  seL4_Word badge;
  seL4_Recv(wake_ep, &badge);
  order[norder++] = (char)(seL4_Word)arg;
}

/*
 * SCHED0021: who runs after a Send wakes a receiver: a higher-priority one
 * at once; an equal-priority one after the sender gives up the CPU (it is
 * appended); a lower-priority one when nothing better is ready.
 */
static void sched0021(void) {
  wake_ep = kobj(seL4_EndpointObject, 0);
  reset_order();
  seL4_CPtr t = kthread(0, receive_then_note, (void *)'e', 255, 0);
  seL4_Yield(); /* it blocks in Recv */
  seL4_Send(wake_ep, seL4_MessageInfo_new(0, 0, 0, 0));
  order[norder++] = 'S';
  seL4_Yield();
  CHECK_ORDER("Se");
  kstop(t);

  reset_order();
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 150));
  t = kthread(0, receive_then_note, (void *)'h', 200, 0); /* runs now and blocks */
  seL4_Send(wake_ep, seL4_MessageInfo_new(0, 0, 0, 0));
  order[norder++] = 'S';
  CHECK_ORDER("hS");
  kstop(t);
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 255));
}

int main(void) {
  static const struct ktest tests[] = {
      {"SCHED0002", sched0002}, {"SCHED0003", sched0003}, {"SCHED0004", sched0004},
      {"SCHED0005", sched0005}, {"SCHED0006", sched0006}, {"SCHED0007", sched0007},
      {"SCHED0020", sched0020}, {"SCHED0021", sched0021},
  };
  ktest_run("sched", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
