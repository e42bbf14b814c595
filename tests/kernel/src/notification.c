/*
 * notification: signals, waits and polls, and notifications bound to a TCB,
 * as sel4test's BIND and NBWAIT tests check them (sel4-semantics 5).
 */
#include "kthread.h"

#define kstop(tcb) CHECK_OK(seL4_TCB_Suspend(tcb))

static volatile seL4_Word got[4];
static volatile int woken;

/* NTFN0001: signals before a wait are OR-ed; the wait takes them all. */
static void ntfn0001(void) {
  seL4_CPtr n = kobj(seL4_NotificationObject, 0);
  seL4_CPtr b1 = kmint(n, seL4_AllRights, 0x1);
  seL4_CPtr b4 = kmint(n, seL4_AllRights, 0x4);
  seL4_Signal(b1);
  seL4_Signal(b4);
  seL4_Signal(b1);
  seL4_Word badge = 0;
  seL4_Wait(n, &badge);
  CHECK_EQ(badge, 0x5);
  seL4_Poll(n, &badge);
  CHECK_EQ(badge, 0);
}

/* NTFN0002: Poll never blocks; Signal through an unbadged cap still counts (word 0). */
static void ntfn0002(void) {
  seL4_CPtr n = kobj(seL4_NotificationObject, 0);
  seL4_Word badge = 0x99;
  seL4_Poll(n, &badge);
  CHECK_EQ(badge, 0);
  seL4_CPtr b2 = kmint(n, seL4_AllRights, 0x2);
  seL4_Signal(b2);
  seL4_Poll(n, &badge);
  CHECK_EQ(badge, 0x2);
  seL4_Signal(n); /* badge 0: the notification becomes active with word 0 */
  badge = 0x99;
  seL4_Wait(n, &badge); /* must not block */
  CHECK_EQ(badge, 0);
}

static seL4_CPtr wait_ntfn;
static void waiter(void *arg) {
  seL4_Word badge;
  seL4_Wait(wait_ntfn, &badge);
  got[(seL4_Word)arg] = badge;
  woken++;
}

/* NTFN0003: blocked waiters wake in FIFO order, one per signal, with the signal's badge. */
static void ntfn0003(void) {
  wait_ntfn = kobj(seL4_NotificationObject, 0);
  seL4_CPtr b8 = kmint(wait_ntfn, seL4_AllRights, 0x8);
  seL4_CPtr b3 = kmint(wait_ntfn, seL4_AllRights, 0x3);
  got[0] = got[1] = 0;
  woken = 0;
  seL4_CPtr t0 = kthread(0, waiter, (void *)0, 200, seL4_CapNull);
  krun_others();
  seL4_CPtr t1 = kthread(1, waiter, (void *)1, 200, seL4_CapNull);
  krun_others(); /* both wait now, t0 first */
  CHECK_EQ(woken, 0);
  seL4_Signal(b8);
  krun_others();
  CHECK_EQ(woken, 1);
  CHECK_EQ(got[0], 0x8);
  seL4_Signal(b3);
  krun_others();
  CHECK_EQ(got[1], 0x3);
  kstop(t0);
  kstop(t1);
}

static seL4_CPtr bind_ep, bind_ntfn;
static void bound_receiver(void *unused) {
  (void)unused;
  for (int i = 0; i < 2; i++) {
    seL4_Word badge = 0;
    seL4_SetMR(0, 0);
    seL4_MessageInfo_t info = seL4_Recv(bind_ep, &badge);
    got[i] = badge;
    got[2 + i] = seL4_MessageInfo_get_label(info);
    woken++;
  }
}

/* BIND0001: a signal wakes the bound TCB blocked on an endpoint; a message still arrives as one. */
static void bind0001(void) {
  bind_ep = kobj(seL4_EndpointObject, 0);
  bind_ntfn = kobj(seL4_NotificationObject, 0);
  seL4_CPtr sig = kmint(bind_ntfn, seL4_AllRights, 0x40);
  seL4_CPtr msg = kmint(bind_ep, seL4_AllRights, 0x41);
  woken = 0;
  seL4_CPtr t = kthread(0, bound_receiver, NULL, 200, seL4_CapNull);
  CHECK_OK(seL4_TCB_BindNotification(t, bind_ntfn));
  krun_others(); /* blocked in Recv on the endpoint */
  seL4_Signal(sig);
  krun_others();
  CHECK_EQ(woken, 1);
  CHECK_EQ(got[0], 0x40);
  seL4_Send(msg, seL4_MessageInfo_new(0x123, 0, 0, 0));
  krun_others();
  CHECK_EQ(woken, 2);
  CHECK_EQ(got[1], 0x41);
  CHECK_EQ(got[3], 0x123);
  kstop(t);
  CHECK_OK(seL4_TCB_UnbindNotification(t));
}

/* BIND0002: a pending signal completes a Recv on an endpoint at once, before a queued sender. */
static void sender(void *arg) { seL4_Send((seL4_CPtr)arg, seL4_MessageInfo_new(0x77, 0, 0, 0)); }

static void bind0002(void) {
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr n = kobj(seL4_NotificationObject, 0);
  seL4_CPtr sig = kmint(n, seL4_AllRights, 0x10);
  CHECK_OK(seL4_TCB_BindNotification(SELF, n));
  seL4_CPtr t = kthread(0, sender, (void *)ep, 200, seL4_CapNull);
  krun_others(); /* the sender is queued on the endpoint */
  seL4_Signal(sig);
  seL4_Word badge = 0;
  seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
  CHECK_EQ(badge, 0x10);
  info = seL4_Recv(ep, &badge);
  CHECK_EQ(badge, 0);
  CHECK_EQ(seL4_MessageInfo_get_label(info), 0x77);
  /* A Wait on one's own bound notification works as on any other. */
  seL4_Signal(sig);
  seL4_Wait(n, &badge);
  CHECK_EQ(badge, 0x10);
  CHECK_OK(seL4_TCB_UnbindNotification(SELF));
  kstop(t);
}

/* BIND0003: binding errors (seL4's decodeBindNotification / decodeUnbindNotification order). */
static void bind0003(void) {
  seL4_CPtr n = kobj(seL4_NotificationObject, 0);
  seL4_CPtr n2 = kobj(seL4_NotificationObject, 0);
  seL4_CPtr no_read = kmint(n2, seL4_CanWrite, 0);
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr t = kthread(0, sender, (void *)ep, 1, seL4_CapNull);
  CHECK_ERR(seL4_TCB_UnbindNotification(t), seL4_IllegalOperation);
  CHECK_ERR(seL4_TCB_BindNotification(t, ep), seL4_IllegalOperation);
  CHECK_ERR(seL4_TCB_BindNotification(t, no_read), seL4_IllegalOperation);
  CHECK_OK(seL4_TCB_BindNotification(t, n));
  CHECK_ERR(seL4_TCB_BindNotification(t, n2), seL4_IllegalOperation); /* already bound */
  CHECK_ERR(seL4_TCB_BindNotification(SELF, n), seL4_IllegalOperation); /* n is bound */
  CHECK_OK(seL4_TCB_UnbindNotification(t));
  CHECK_OK(seL4_TCB_BindNotification(SELF, n));
  CHECK_OK(seL4_TCB_UnbindNotification(SELF));
  kstop(t);
}

static void wait_on(void *arg) {
  seL4_Word badge;
  seL4_Wait((seL4_CPtr)arg, &badge);
  woken++;
}

/* BIND0004: a notification with a waiter cannot be bound; waiting on another's bound one faults. */
static void bind0004(void) {
  seL4_CPtr n = kobj(seL4_NotificationObject, 0);
  woken = 0;
  seL4_CPtr t = kthread(0, wait_on, (void *)n, 200, seL4_CapNull);
  krun_others();
  CHECK_ERR(seL4_TCB_BindNotification(SELF, n), seL4_IllegalOperation);
  kstop(t);

  seL4_CPtr m = kobj(seL4_NotificationObject, 0);
  seL4_CPtr fault_ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr handler = kmint(fault_ep, seL4_CapRights_new(1, 0, 0, 1), 0);
  CHECK_OK(seL4_TCB_BindNotification(SELF, m));
  t = kthread(0, wait_on, (void *)m, 200, handler);
  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), m);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
  CHECK_EQ(woken, 0);
  CHECK_OK(seL4_TCB_UnbindNotification(SELF));
  kstop(t);
}

/* BIND0005: a bound TCB waiting for a reply is not woken by a signal; the signal stays pending. */
static seL4_CPtr call_ep, call_ntfn;
static void bound_caller(void *unused) {
  (void)unused;
  seL4_Call(call_ep, seL4_MessageInfo_new(0, 0, 0, 0));
  woken = 1;
  seL4_Word badge = 0;
  seL4_Wait(call_ntfn, &badge); /* the pending signal: returns at once */
  got[0] = badge;
  woken = 2;
}

static void bind0005(void) {
  call_ep = kobj(seL4_EndpointObject, 0);
  call_ntfn = kobj(seL4_NotificationObject, 0);
  seL4_CPtr sig = kmint(call_ntfn, seL4_AllRights, 0x20);
  woken = 0;
  got[0] = 0;
  seL4_CPtr t = kthread(0, bound_caller, NULL, 200, seL4_CapNull);
  CHECK_OK(seL4_TCB_BindNotification(t, call_ntfn));
  seL4_Word badge;
  seL4_Recv(call_ep, &badge); /* the caller runs and calls us */
  seL4_Signal(sig);
  krun_others();
  CHECK_EQ(woken, 0);
  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  krun_others();
  CHECK_EQ(woken, 2);
  CHECK_EQ(got[0], 0x20);
  kstop(t);
}

int main(void) {
  static const struct ktest tests[] = {
      {"NTFN0001", ntfn0001}, {"NTFN0002", ntfn0002}, {"NTFN0003", ntfn0003},
      {"BIND0001", bind0001}, {"BIND0002", bind0002}, {"BIND0003", bind0003},
      {"BIND0004", bind0004}, {"BIND0005", bind0005},
  };
  ktest_run("notification", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
