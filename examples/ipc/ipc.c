/*
 * ipc: threads talk through endpoints. seL4_Call sends a message and waits
 * for the reply; the server's seL4_Recv returns the sender's badge (set when
 * the cap was minted, so the server knows who is calling) and seL4_Reply
 * answers through the one-shot reply capability the Call left behind.
 *
 * A message is a label, up to 120 words (message registers: the first four
 * travel in registers a2..a5, the rest in the IPC buffer) and up to three
 * capabilities. Here the root task is the client and a thread is the server.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <mica/thread.h>
#include <sel4/sel4.h>
#include <stdio.h>

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

enum { OP_ADD = 1, OP_SUM = 2, OP_TAKE_CAP = 3 };

static mica_thread_t server_thread;
static seL4_CPtr endpoint, received_slot;

/* The server: answer requests forever, telling callers apart by badge. */
static void server(void *unused) {
  (void)unused;
  seL4_Word badge;
  seL4_SetCapReceivePath(ROOT, received_slot, DEPTH); /* where a sent cap lands */
  seL4_MessageInfo_t info = seL4_Recv(endpoint, &badge);
  for (;;) {
    seL4_Word label = seL4_MessageInfo_get_label(info), reply = 0;
    seL4_Word length = seL4_MessageInfo_get_length(info);
    switch (label) {
    case OP_ADD:
      reply = seL4_GetMR(0) + seL4_GetMR(1);
      printf("  server: client %lu asks %lu + %lu\n", badge, seL4_GetMR(0), seL4_GetMR(1));
      break;
    case OP_SUM:
      for (seL4_Word i = 0; i < length; i++) reply += seL4_GetMR(i);
      printf("  server: client %lu sends %lu words to add up\n", badge, length);
      break;
    case OP_TAKE_CAP:
      printf("  server: client %lu sends %lu cap(s); slot %lu holds cap type %u\n", badge,
             (seL4_Word)seL4_MessageInfo_get_extraCaps(info), received_slot,
             seL4_DebugCapIdentify(received_slot));
      seL4_CNode_Delete(ROOT, received_slot, DEPTH); /* empty again for the next one */
      break;
    }
    seL4_SetMR(0, reply);
    /* Reply to this caller and wait for the next one, in one system call. */
    info = seL4_ReplyRecv(endpoint, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
  }
}

/*
 * A client's cap to the endpoint: badged, with Write (to send) and
 * GrantReply (so that seL4_Call can wait for a reply; without it the kernel
 * would leave the caller inactive), but no Read (it cannot receive) and no
 * Grant (it cannot send caps).
 */
static seL4_CPtr client_cap(seL4_Word badge, seL4_CapRights_t rights) {
  seL4_CPtr cap = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Mint(ROOT, cap, DEPTH, ROOT, endpoint, DEPTH, rights, badge));
  return cap;
}

int main(void) {
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &endpoint));
  received_slot = mica_alloc_slot();
  /* Our priority: the server runs when we block in seL4_Call. */
  MICA_CHECK(mica_thread_start(&server_thread, server, NULL, 255, seL4_CapNull));
  seL4_CapRights_t call_only = seL4_CapRights_new(1, 0, 0, 1); /* GrantReply, Write */
  seL4_CPtr alice = client_cap(1, call_only), bob = client_cap(2, call_only);

  printf("== Call with two words in registers\n");
  seL4_SetMR(0, 20);
  seL4_SetMR(1, 22);
  seL4_MessageInfo_t reply = seL4_Call(alice, seL4_MessageInfo_new(OP_ADD, 0, 0, 2));
  printf("  client 1 gets %lu\n", seL4_GetMR(0));

  printf("== Call with ten words: the last six go through the IPC buffer\n");
  for (int i = 0; i < 10; i++) seL4_SetMR(i, (seL4_Word)i + 1);
  reply = seL4_Call(bob, seL4_MessageInfo_new(OP_SUM, 0, 0, 10));
  printf("  client 2 gets %lu (reply length %lu)\n", seL4_GetMR(0),
         seL4_MessageInfo_get_length(reply));

  printf("== Send a capability with the message\n");
  seL4_CPtr gift;
  MICA_CHECK(mica_alloc_object(seL4_NotificationObject, 0, &gift));
  /* Sending caps needs the Grant right on the endpoint cap. */
  seL4_CPtr granting = client_cap(3, seL4_CapRights_new(0, 1, 0, 1));
  seL4_SetCap(0, gift);
  seL4_Call(granting, seL4_MessageInfo_new(OP_TAKE_CAP, 0, 1, 0));
  printf("  client 3: done\n");

  printf("== Without the Grant right the cap is not transferred\n");
  seL4_SetCap(0, gift);
  seL4_Call(alice, seL4_MessageInfo_new(OP_TAKE_CAP, 0, 1, 0));

  printf("ipc: done\n");
  return 0;
}
