/*
 * capabilities: a capability is a kernel-protected reference to an object
 * together with rights. The CNode invocations copy caps (optionally with
 * fewer rights, or a badge: Mint), move them, delete them, and revoke every
 * cap derived from one. In the root CNode a cptr is simply the slot number
 * (its guard covers the bits above the radix), looked up at depth 64.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <sel4/sel4.h>
#include <stdio.h>

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits /* resolve a cptr through the whole root CNode */

static const char *what(seL4_CPtr slot) {
  switch (seL4_DebugCapIdentify(slot)) {
  case 0: return "empty";
  case 4: return "endpoint";
  case 10: return "CNode";
  default: return "other";
  }
}

int main(void) {
  seL4_CPtr ep;
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &ep));
  printf("== An endpoint in slot %lu: %s\n", ep, what(ep));

  /* Copy: a second cap to the same object, with all or fewer rights. */
  seL4_CPtr copy = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT, ep, DEPTH, seL4_AllRights));
  printf("copy      -> slot %lu: %s\n", copy, what(copy));

  /* Mint: a copy with a badge, which receivers of messages through it see. */
  seL4_CPtr badged = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Mint(ROOT, badged, DEPTH, ROOT, ep, DEPTH, seL4_CanWrite, 42));
  printf("mint (badge 42, send only) -> slot %lu: %s\n", badged, what(badged));

  /* Move: the cap leaves its slot. */
  seL4_CPtr moved = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Move(ROOT, moved, DEPTH, ROOT, copy, DEPTH));
  printf("move %lu  -> slot %lu: %s; slot %lu: %s\n", copy, moved, what(moved), copy, what(copy));

  /* The kernel refuses to overwrite a cap. */
  printf("copy onto a full slot: %s\n",
         mica_error_name(seL4_CNode_Copy(ROOT, moved, DEPTH, ROOT, ep, DEPTH, seL4_AllRights)));

  /* Another CNode of 16 slots. An invocation on a CNode cap names slots in
     that CNode: index 3 at depth 4 (its radix) is its slot 3. */
  printf("== A second CNode\n");
  seL4_CPtr cnode;
  MICA_CHECK(mica_alloc_object(seL4_CapTableObject, 4, &cnode));
  MICA_CHECK(seL4_CNode_Copy(cnode, 3, 4, ROOT, ep, DEPTH, seL4_AllRights));
  printf("copied into slot 3 of the CNode in slot %lu\n", cnode);

  /* Revoke: delete every cap derived from ep -- copies, mints, and the
     copies inside the other CNode -- but not ep itself. */
  printf("== Revoke the original\n");
  MICA_CHECK(seL4_CNode_Revoke(ROOT, ep, DEPTH));
  printf("after revoke: ep %s, moved copy %s, badged %s\n", what(ep), what(moved), what(badged));
  printf("copying from the other CNode's slot 3 now: %s\n",
         mica_error_name(seL4_CNode_Copy(ROOT, mica_alloc_slot(), DEPTH, cnode, 3, 4,
                                         seL4_AllRights)));

  /* Delete: the last cap to the endpoint goes, and the endpoint with it. */
  MICA_CHECK(seL4_CNode_Delete(ROOT, ep, DEPTH));
  printf("after delete: ep %s\n", what(ep));
  printf("capabilities: done\n");
  return 0;
}
