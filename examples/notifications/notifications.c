/*
 * notifications: a notification is a word of flags. seL4_Signal through a
 * badged cap ORs the badge into the word (it never blocks); seL4_Wait
 * blocks until the word is non-zero, then returns it and clears it. Several
 * signals before a wait arrive as one, with their badges combined -- the
 * way interrupts and other events are delivered in seL4.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <mica/thread.h>
#include <sel4/sel4.h>
#include <stdio.h>

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

static seL4_CPtr ntfn;
static mica_thread_t waiter_thread;

static seL4_CPtr badged(seL4_Word badge) {
  seL4_CPtr cap = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Mint(ROOT, cap, DEPTH, ROOT, ntfn, DEPTH, seL4_CanWrite, badge));
  return cap;
}

/* Waits for a signal, then tells the root task through another notification. */
static void waiter(void *arg) {
  seL4_CPtr done = (seL4_CPtr)arg;
  seL4_Word bits;
  printf("  waiter: waiting\n");
  seL4_Wait(ntfn, &bits);
  printf("  waiter: woken with badge bits 0x%lx\n", bits);
  seL4_Signal(done);
}

int main(void) {
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &ntfn));
  seL4_CPtr a = badged(0x1), b = badged(0x2), c = badged(0x4);

  printf("== Signals before a wait are combined\n");
  seL4_Signal(a);
  seL4_Signal(c);
  seL4_Word bits;
  seL4_Wait(ntfn, &bits);
  printf("  signalled 0x1 and 0x4, wait returns 0x%lx\n", bits);

  printf("== Poll does not block\n");
  seL4_Poll(ntfn, &bits);
  printf("  nothing pending: poll returns 0x%lx\n", bits);
  seL4_Signal(b);
  seL4_Poll(ntfn, &bits);
  printf("  after a signal with badge 0x2: 0x%lx\n", bits);

  printf("== A thread blocked in Wait is woken by a signal\n");
  seL4_CPtr done;
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &done));
  MICA_CHECK(mica_thread_start(&waiter_thread, waiter, (void *)done, 255, seL4_CapNull));
  seL4_Yield(); /* the waiter, at our priority, runs until it blocks */
  printf("  root task: signalling 0x4\n");
  seL4_Signal(c);
  seL4_Wait(done, NULL); /* we block; the waiter runs and signals `done` */
  printf("  root task: the waiter has finished\n");

  /* A notification bound to a thread also ends that thread's seL4_Recv on
     an endpoint: one blocking call serves both messages and signals. */
  printf("== A bound notification interrupts a Recv on an endpoint\n");
  seL4_CPtr ep;
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &ep));
  MICA_CHECK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn));
  seL4_Signal(b);
  seL4_Word badge;
  seL4_Recv(ep, &badge);
  /* Only the badge says what happened; the message info is not set. */
  printf("  Recv returns with badge 0x%lx: the signal, not a message\n", badge);

  printf("notifications: done\n");
  return 0;
}
