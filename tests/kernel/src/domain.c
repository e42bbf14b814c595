/*
 * Domains (seL4's temporal partitioning) end to end. Run with
 *   mica run --domain-schedule 0:2,1:3 domain.elf
 * two domains: domain 0 for 2 ticks, then domain 1 for 3 ticks, and again.
 * A tick is 200,000 instructions of guest time, and rdcycle counts them.
 */
#include <sel4runtime.h>

#include "kthread.h"

#define kstop(tcb) CHECK_OK(seL4_TCB_Suspend(tcb))

static seL4_Word rdcycle(void) {
  seL4_Word c;
  __asm__ volatile("rdcycle %0" : "=r"(c));
  return c;
}

#define TICK 200000ul

/* DOMAIN0001: the root task starts in the schedule's first domain; Set checks the domain. */
static void domain0001(void) {
  CHECK_EQ(sel4runtime_bootinfo()->initThreadDomain, 0);
  seL4_CPtr t = kobj(seL4_TCBObject, 0);
  CHECK_OK(seL4_DomainSet_Set(seL4_CapDomain, 1, t));
  CHECK_ERR(seL4_DomainSet_Set(seL4_CapDomain, 2, t), seL4_InvalidArgument);
  CHECK_MR(0, 0);
}

#define SWITCHES 8
static volatile int log_n;
static volatile int log_who[SWITCHES];
static volatile seL4_Word log_at[SWITCHES];
static volatile int last_who = -1;

/* Spins, noting each moment it gets the CPU back from the other spinner. */
static void spinner(void *arg) {
  int me = (int)(seL4_Word)arg;
  while (log_n < SWITCHES) {
    if (last_who != me) {
      /* The other spinner may have ended the log while this one was preempted. */
      int n = log_n;
      if (n == SWITCHES) break;
      log_who[n] = me;
      log_at[n] = rdcycle();
      log_n = n + 1;
      last_who = me;
    }
  }
  seL4_TCB_Suspend(kthreads[me].tcb);
}

/*
 * DOMAIN0002: two threads that never block, one per domain, take turns at
 * the domain boundaries: domain 1's turns are 3 ticks, domain 0's 2 ticks.
 */
static void domain0002(void) {
  seL4_CPtr a = kthread(0, spinner, (void *)0, 100, seL4_CapNull);
  seL4_CPtr b = kthread(1, spinner, (void *)1, 100, seL4_CapNull);
  CHECK_OK(seL4_DomainSet_Set(seL4_CapDomain, 1, b));
  /* Below the spinners: the root task runs again only when both are done. */
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 50));
  while (log_n < SWITCHES) seL4_Yield();
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 255));
  for (int i = 0; i < SWITCHES; i++) CHECK_EQ(log_who[i], i & 1);
  /* Whole turns (the first one started part-way through a domain's time). */
  for (int i = 1; i + 1 < SWITCHES; i++) {
    seL4_Word turn = log_at[i + 1] - log_at[i];
    seL4_Word want = (log_who[i] == 1 ? 3 : 2) * TICK;
    if (turn < want - TICK / 10 || turn > want + TICK / 10)
      KFAIL("turn %d of domain %d took %lu cycles, expected about %lu", i, log_who[i], turn, want);
  }
  kstop(a);
  kstop(b);
}

static volatile int other_ran;

static void mark(void *unused) {
  (void)unused;
  other_ran = 1;
}

/*
 * DOMAIN0003: a thread of another domain does not run in this domain's time,
 * whatever its priority; it runs in its own domain's time.
 */
static void domain0003(void) {
  other_ran = 0;
  seL4_CPtr t = kthread(2, mark, NULL, 254, seL4_CapNull);
  CHECK_OK(seL4_TCB_Suspend(t));
  CHECK_OK(seL4_DomainSet_Set(seL4_CapDomain, 1, t));
  /* Start from the beginning of a domain-0 turn, then wake the thread. */
  seL4_Word start = rdcycle();
  while (rdcycle() - start < 6 * TICK && other_ran == 0) {
  }
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 10));
  CHECK_OK(seL4_TCB_Resume(t));
  CHECK_EQ(other_ran, 0);
  while (other_ran == 0) {
  }
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 255));
  kstop(t);
}

int main(void) {
  static const struct ktest tests[] = {
      {"DOMAIN0001", domain0001},
      {"DOMAIN0002", domain0002},
      {"DOMAIN0003", domain0003},
  };
  ktest_run("domain", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
