/*
 * Helpers for the thread, IPC and scheduling tests, on top of ktest.h:
 * minted copies of caps, a pool of helper threads sharing the root task's
 * CSpace and VSpace (mica/thread.h), and a CHECK that prints both values.
 *
 * The root task runs at priority 255, so a helper runs only when the root
 * task blocks, yields to an equal priority, or lowers its own priority.
 */
#pragma once

#include <mica/thread.h>

#include "ktest.h"

#define SELF seL4_CapInitThreadTCB

#define CHECK_EQ(a, b)                                                                   \
  do {                                                                                   \
    seL4_Word a_ = (seL4_Word)(a), b_ = (seL4_Word)(b);                                  \
    if (a_ != b_) KFAIL("%s is 0x%lx, expected %s = 0x%lx", #a, a_, #b, b_);             \
  } while (0)

/* A copy of `cap` in a fresh slot with the given rights and badge (0 when that fails). */
static inline seL4_CPtr kmint(seL4_CPtr cap, seL4_CapRights_t rights, seL4_Word badge) {
  seL4_CPtr slot = kslot();
  return seL4_CNode_Mint(ROOT, slot, DEPTH, ROOT, cap, DEPTH, rights, badge) == seL4_NoError
             ? slot
             : 0;
}

/* Helper threads: a small pool, reused (each start makes a new TCB). */
#define KTHREADS 4
static mica_thread_t kthreads[KTHREADS];

/* Starts fn(arg) in pool thread i at `prio` with fault endpoint `fault_ep`; its TCB, or 0. */
static inline seL4_CPtr kthread(int i, void (*fn)(void *), void *arg, seL4_Word prio,
                                seL4_CPtr fault_ep) {
  if (mica_thread_start(&kthreads[i], fn, arg, prio, fault_ep) != seL4_NoError) return 0;
  return kthreads[i].tcb;
}

/* Lets every runnable thread below our priority run, then takes the CPU back. */
static inline void krun_others(void) {
  seL4_TCB_SetPriority(SELF, SELF, 0);
  seL4_TCB_SetPriority(SELF, SELF, 255);
}
