/*
 * ipc: endpoint IPC as sel4test's IPC, IPCRIGHTS and NBWAIT tests check it:
 * Send/Recv, Call/ReplyRecv, Call/Reply/Recv, NBSend, message lengths up to
 * 120 words, badges, cap transfer and unwrapping, the rights each operation
 * needs, and a caller suspended and resumed in the middle of a Call.
 */
#include "kthread.h"

static const int lengths[] = {0, 1, 2, 3, 4, 5, 10, 63, 119, 120};
#define NLENGTHS (int)(sizeof lengths / sizeof lengths[0])

static seL4_Word pattern(int len, int i) { return ((seL4_Word)len << 32) | (seL4_Word)(i * 3 + 1); }

#define kobj0(type) kobj(type, 0)
#define kstop(tcb) CHECK_OK(seL4_TCB_Suspend(tcb))

static volatile int flag;
static volatile seL4_Word seen_badge;

/* Sends one message of every length, MR i = pattern(len, i), label 0x100 + len. */
static void sender(void *arg) {
  seL4_CPtr ep = (seL4_CPtr)arg;
  for (int k = 0; k < NLENGTHS; k++) {
    int len = lengths[k];
    for (int i = 0; i < len; i++) seL4_SetMR(i, pattern(len, i));
    seL4_Send(ep, seL4_MessageInfo_new(0x100 + len, 0, 0, len));
  }
}

static void check_messages(seL4_CPtr ep, seL4_Word badge_expected) {
  for (int k = 0; k < NLENGTHS; k++) {
    int len = lengths[k];
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(badge, badge_expected);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0x100 + len);
    CHECK_EQ(seL4_MessageInfo_get_length(info), len);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    for (int i = 0; i < len; i++) CHECK_EQ(seL4_GetMR(i), pattern(len, i));
  }
}

/* IPC0001: Send/Recv, every length, a lower- and an equal-priority sender. */
static void ipc0001(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_CPtr badged = kmint(ep, seL4_AllRights, 0x55);
  seL4_CPtr t = kthread(0, sender, (void *)badged, 254, seL4_CapNull);
  check_messages(ep, 0x55);
  kstop(t);
  t = kthread(0, sender, (void *)ep, 255, seL4_CapNull);
  check_messages(ep, 0);
  kstop(t);
}

/* Echo server: replies with label + 1 and every MR + 1. */
static void replyrecv_server(void *arg) {
  seL4_CPtr ep = (seL4_CPtr)arg;
  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
  for (;;) {
    seen_badge = badge;
    int len = (int)seL4_MessageInfo_get_length(info);
    for (int i = 0; i < len; i++) seL4_SetMR(i, seL4_GetMR(i) + 1);
    info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, len),
                          &badge);
  }
}

static void reply_recv_server(void *arg) {
  seL4_CPtr ep = (seL4_CPtr)arg;
  for (;;) {
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    seen_badge = badge;
    int len = (int)seL4_MessageInfo_get_length(info);
    for (int i = 0; i < len; i++) seL4_SetMR(i, seL4_GetMR(i) + 1);
    seL4_Reply(seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, len));
  }
}

static void calls(seL4_CPtr cap, seL4_Word badge) {
  for (int k = 0; k < NLENGTHS; k++) {
    int len = lengths[k];
    for (int i = 0; i < len; i++) seL4_SetMR(i, pattern(len, i));
    seen_badge = 0;
    seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(0x200 + len, 0, 0, len));
    CHECK_EQ(seen_badge, badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0x201 + len);
    CHECK_EQ(seL4_MessageInfo_get_length(info), len);
    for (int i = 0; i < len; i++) CHECK_EQ(seL4_GetMR(i), pattern(len, i) + 1);
  }
}

/* IPC0002: Call and ReplyRecv, every length, servers below and at our priority. */
static void ipc0002(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_CPtr badged = kmint(ep, seL4_AllRights, 0x66);
  seL4_CPtr t = kthread(0, replyrecv_server, (void *)ep, 254, seL4_CapNull);
  calls(badged, 0x66);
  kstop(t);
  t = kthread(0, replyrecv_server, (void *)ep, 255, seL4_CapNull);
  calls(ep, 0);
  kstop(t);
}

/* IPC0003: Call, then Reply and Recv as two syscalls. */
static void ipc0003(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_CPtr badged = kmint(ep, seL4_AllRights, 0x77);
  seL4_CPtr t = kthread(0, reply_recv_server, (void *)ep, 200, seL4_CapNull);
  calls(badged, 0x77);
  kstop(t);
}

static seL4_CPtr nb_ep, nb_ack;
static void nb_receiver(void *unused) {
  (void)unused;
  seL4_Word badge;
  seL4_Recv(nb_ep, &badge);
  seL4_SetMR(0, seL4_GetMR(0));
  seL4_Send(nb_ack, seL4_MessageInfo_new(0, 0, 0, 1));
}

/* IPC0004: NBSend is dropped when nobody waits and delivered when someone does. */
static void ipc0004(void) {
  nb_ep = kobj0(seL4_EndpointObject);
  nb_ack = kobj0(seL4_EndpointObject);
  seL4_CPtr t = kthread(0, nb_receiver, NULL, 255, seL4_CapNull);
  seL4_SetMR(0, 1);
  seL4_NBSend(nb_ep, seL4_MessageInfo_new(0, 0, 0, 1)); /* nobody waits yet: dropped */
  seL4_Yield();                                          /* the receiver blocks in Recv */
  seL4_SetMR(0, 2);
  seL4_NBSend(nb_ep, seL4_MessageInfo_new(0, 0, 0, 1));
  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(nb_ack, &badge);
  CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
  CHECK_EQ(seL4_GetMR(0), 2);
  kstop(t);
}

static seL4_CPtr xfer_ep, xfer_same, xfer_other;
static void cap_sender(void *arg) {
  seL4_SetCap(0, xfer_same);  /* a cap to the endpoint we send on: unwrapped */
  seL4_SetCap(1, xfer_other); /* any other cap: transferred */
  seL4_SetMR(0, 0xabc);
  seL4_Send((seL4_CPtr)arg, seL4_MessageInfo_new(7, 0, 2, 1));
}

/* IPC0005: a cap to the endpoint itself is unwrapped into its badge, another cap is transferred. */
static void ipc0005(void) {
  xfer_ep = kobj0(seL4_EndpointObject);
  xfer_same = kmint(xfer_ep, seL4_AllRights, 0x99);
  xfer_other = kobj0(seL4_NotificationObject);
  seL4_CPtr via = kmint(xfer_ep, seL4_AllRights, 0x11);
  seL4_CPtr slot = kslot();
  seL4_SetCapReceivePath(ROOT, slot, DEPTH);
  seL4_CPtr t = kthread(0, cap_sender, (void *)via, 254, seL4_CapNull);
  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(xfer_ep, &badge);
  CHECK_EQ(badge, 0x11);
  CHECK_EQ(seL4_MessageInfo_get_label(info), 7);
  CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
  CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 2);
  CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 1);
  CHECK_EQ(seL4_GetBadge(0), 0x99);
  CHECK_EQ(seL4_GetMR(0), 0xabc);
  CHECK_EQ(seL4_DebugCapIdentify(slot), 6); /* notification */
  kstop(t);
}

/* IPCRIGHTS0001: Send and NBSend without Write do nothing; Call gets InvalidCapability(0). */
static void ipcrights0001(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_CPtr ro = kmint(ep, seL4_CanRead, 0);
  seL4_Send(ro, seL4_MessageInfo_new(0, 0, 0, 0)); /* would block if it were sent */
  seL4_NBSend(ro, seL4_MessageInfo_new(0, 0, 0, 0));
  seL4_SetMR(0, 0x1234);
  seL4_MessageInfo_t info = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 1));
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
  CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
  CHECK_EQ(seL4_GetMR(0), 0);
}

static void receive_on(void *arg) {
  seL4_Word badge;
  seL4_Recv((seL4_CPtr)arg, &badge);
  flag = 1;
}

/* IPCRIGHTS0002: Recv without Read is a cap fault (MissingCapability, receive phase). */
static void ipcrights0002(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_CPtr wo = kmint(ep, seL4_CanWrite, 0);
  seL4_CPtr fault_ep = kobj0(seL4_EndpointObject);
  seL4_CPtr handler_cap = kmint(fault_ep, seL4_CapRights_new(1, 0, 0, 1), 0xf0);
  flag = 0;
  seL4_CPtr t = kthread(0, receive_on, (void *)wo, 254, handler_cap);
  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
  CHECK_EQ(badge, 0xf0);
  CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), wo);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
  CHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
  CHECK_EQ(flag, 0);
  kstop(t);
}

/* IPCRIGHTS0003: caps travel only through a cap with Grant. */
static void ipcrights0003(void) {
  xfer_ep = kobj0(seL4_EndpointObject);
  xfer_same = kobj0(seL4_NotificationObject);
  xfer_other = kobj0(seL4_NotificationObject);
  seL4_CPtr no_grant = kmint(xfer_ep, seL4_CapRights_new(1, 0, 1, 1), 0);
  seL4_CPtr slot = kslot();
  seL4_SetCapReceivePath(ROOT, slot, DEPTH);
  seL4_CPtr t = kthread(0, cap_sender, (void *)no_grant, 254, seL4_CapNull);
  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(xfer_ep, &badge);
  CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
  CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
  CHECK_EQ(seL4_DebugCapIdentify(slot), 0);
  kstop(t);
}

static void caller(void *arg) {
  seL4_SetMR(0, 5);
  seL4_MessageInfo_t info = seL4_Call((seL4_CPtr)arg, seL4_MessageInfo_new(0, 0, 0, 1));
  flag = (int)seL4_GetMR(0) + (int)seL4_MessageInfo_get_length(info);
}

/* IPCRIGHTS0004: a Call needs Grant or GrantReply to get a reply cap; the saved cap replies. */
static void ipcrights0004(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_CPtr write_only = kmint(ep, seL4_CanWrite, 0);
  seL4_CPtr grant_reply = kmint(ep, seL4_CapRights_new(1, 0, 0, 1), 0);
  seL4_Word badge;
  flag = 0;
  seL4_CPtr t = kthread(0, caller, (void *)write_only, 254, seL4_CapNull);
  seL4_Recv(ep, &badge);
  CHECK_EQ(seL4_GetMR(0), 5);
  seL4_CPtr saved = kslot();
  CHECK_OK(seL4_CNode_SaveCaller(ROOT, saved, DEPTH));
  CHECK_EQ(seL4_DebugCapIdentify(saved), 0); /* no reply cap: the caller is Inactive */
  kstop(t);

  t = kthread(0, caller, (void *)grant_reply, 254, seL4_CapNull);
  seL4_Recv(ep, &badge);
  CHECK_OK(seL4_CNode_SaveCaller(ROOT, saved, DEPTH));
  CHECK_EQ(seL4_DebugCapIdentify(saved), 8); /* reply cap */
  seL4_SetMR(0, 40);
  seL4_Send(saved, seL4_MessageInfo_new(0, 0, 0, 1)); /* reply through the saved cap */
  CHECK_EQ(seL4_DebugCapIdentify(saved), 0);      /* used up */
  seL4_CPtr ntfn = kobj0(seL4_NotificationObject);
  seL4_Word dummy;
  seL4_Poll(ntfn, &dummy); /* a syscall; the caller is lower priority and has not run */
  CHECK_EQ(flag, 0);
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 100)); /* let it run */
  CHECK_OK(seL4_TCB_SetPriority(SELF, SELF, 255));
  CHECK_EQ(flag, 41);
  kstop(t);
}

/* NBWAIT0001: NBRecv returns at once: badge 0 with no sender, the message with one. */
static void nbwait0001(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_CPtr badged = kmint(ep, seL4_AllRights, 0x31);
  seL4_Word badge = 0xdead;
  seL4_NBRecv(ep, &badge);
  CHECK_EQ(badge, 0);
  seL4_CPtr t = kthread(0, sender, (void *)badged, 255, seL4_CapNull);
  seL4_Yield(); /* the sender queues its first message and blocks */
  seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
  CHECK_EQ(badge, 0x31);
  CHECK_EQ(seL4_MessageInfo_get_label(info), 0x100);
  kstop(t);
}

static volatile int calls_made;
static void counting_caller(void *arg) {
  calls_made++;
  seL4_SetMR(0, 0x77);
  seL4_Call((seL4_CPtr)arg, seL4_MessageInfo_new(3, 0, 0, 1));
  flag = 1;
}

/*
 * IPC0010: a thread blocked in a Call is suspended and resumed: it restarts
 * the Call (the same message arrives again); suspended again and deleted.
 */
static void ipc0010(void) {
  seL4_CPtr ep = kobj0(seL4_EndpointObject);
  seL4_Word badge;
  flag = 0;
  calls_made = 0;
  seL4_CPtr t = kthread(0, counting_caller, (void *)ep, 254, seL4_CapNull);
  seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
  CHECK_EQ(seL4_MessageInfo_get_label(info), 3);
  CHECK_OK(seL4_TCB_Suspend(t));
  seL4_CPtr saved = kslot();
  CHECK_OK(seL4_CNode_SaveCaller(ROOT, saved, DEPTH));
  CHECK_EQ(seL4_DebugCapIdentify(saved), 0); /* the reply cap went with the suspension */
  CHECK_OK(seL4_TCB_Resume(t));
  info = seL4_Recv(ep, &badge);
  CHECK_EQ(seL4_MessageInfo_get_label(info), 3);
  CHECK_EQ(seL4_GetMR(0), 0x77);
  CHECK_EQ(calls_made, 1); /* re-executed the syscall, not the function */
  CHECK_OK(seL4_TCB_Suspend(t));
  CHECK_OK(seL4_CNode_Delete(ROOT, t, DEPTH));
  CHECK_EQ(flag, 0);
}

int main(void) {
  static const struct ktest tests[] = {
      {"IPC0001", ipc0001},
      {"IPC0002", ipc0002},
      {"IPC0003", ipc0003},
      {"IPC0004", ipc0004},
      {"IPC0005", ipc0005},
      {"IPC0010", ipc0010},
      {"IPCRIGHTS0001", ipcrights0001},
      {"IPCRIGHTS0002", ipcrights0002},
      {"IPCRIGHTS0003", ipcrights0003},
      {"IPCRIGHTS0004", ipcrights0004},
      {"NBWAIT0001", nbwait0001},
  };
  ktest_run("ipc", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
