/*
 * cnode: the CNode invocations and the capability derivation tree, as
 * sel4test's CNODEOP and CSPACE tests check them, plus the error of every
 * check in seL4's order (sel4-semantics §2.7), deletion of CNodes and TCBs,
 * and the cyclic zombie a CNode found inside a deleted CNode becomes.
 */
#include <sel4platsupport/bootinfo.h>

#include "ktest.h"

#define ALL seL4_AllRights

/* log2 of the root CNode's slots (bootinfo initThreadCNodeSizeBits). */
static int radix;

static seL4_Error copy(seL4_CPtr dest, seL4_CPtr src, seL4_CapRights_t rights) {
  return seL4_CNode_Copy(ROOT, dest, DEPTH, ROOT, src, DEPTH, rights);
}
static seL4_Error mint(seL4_CPtr dest, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge) {
  return seL4_CNode_Mint(ROOT, dest, DEPTH, ROOT, src, DEPTH, rights, badge);
}
static seL4_Error move(seL4_CPtr dest, seL4_CPtr src) {
  return seL4_CNode_Move(ROOT, dest, DEPTH, ROOT, src, DEPTH);
}
static seL4_Error mutate(seL4_CPtr dest, seL4_CPtr src, seL4_Word data) {
  return seL4_CNode_Mutate(ROOT, dest, DEPTH, ROOT, src, DEPTH, data);
}
static seL4_Error rotate(seL4_CPtr dest, seL4_Word dest_badge, seL4_CPtr pivot,
                         seL4_Word pivot_badge, seL4_CPtr src) {
  return seL4_CNode_Rotate(ROOT, dest, DEPTH, dest_badge, ROOT, pivot, DEPTH, pivot_badge, ROOT,
                           src, DEPTH);
}
/* Whether an endpoint cap has all four rights: only then CancelBadgedSends accepts it. */
static int has_all_rights(seL4_CPtr ep) {
  return seL4_CNode_CancelBadgedSends(ROOT, ep, DEPTH) == seL4_NoError;
}
/*
 * A hand-made Call with a short message, for TruncatedMessage: MR0/MR1 name
 * a fresh empty destination and MR2/MR3 the root CNode cap as the source, so
 * that only the length (or a missing cap) is wrong.
 */
static seL4_Error short_call(seL4_CPtr cap, seL4_Word label, int length, int caps) {
  seL4_SetMR(0, kslot());
  seL4_SetMR(1, DEPTH);
  seL4_SetMR(2, ROOT);
  seL4_SetMR(3, DEPTH);
  seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(label, 0, caps, length));
  return (seL4_Error)seL4_MessageInfo_get_label(info);
}
/* Whether `slot` of an untyped of 16 KiB can hold four 4 KiB pages again, i.e. has reset. */
static int untyped_is_free(seL4_CPtr ut) {
  seL4_CPtr pages = kslots(4);
  if (seL4_Untyped_Retype(ut, seL4_RISCV_4K_Page, 0, ROOT, 0, 0, pages, 4) != seL4_NoError)
    return 0;
  return seL4_CNode_Revoke(ROOT, ut, DEPTH) == seL4_NoError;
}

/* CNODE0001: Copy makes a copy with masked rights; Copy checks in seL4's order. */
static void cnode0001(void) {
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr a = kslot(), b = kslot();
  CHECK_OK(copy(a, ep, ALL));
  CHECK_CAP(a, CAP_ENDPOINT);
  CHECK(has_all_rights(a));
  CHECK_OK(copy(b, ep, seL4_NoWrite));
  CHECK(!has_all_rights(b));
  /* order: truncated, destination full, source root, source lookup, source empty */
  seL4_SetCap(0, ROOT);
  CHECK_ERR(short_call(ROOT, CNodeCopy, 3, 1), seL4_TruncatedMessage);
  CHECK_ERR(short_call(ROOT, CNodeCopy, 5, 0), seL4_TruncatedMessage);
  seL4_CPtr c = kslot();
  CHECK_ERR(copy(a, c, ALL), seL4_DeleteFirst);
  CHECK_ERR(seL4_CNode_Copy(ROOT, c, DEPTH, ep, 0, DEPTH, ALL), seL4_FailedLookup);
  CHECK_MR(0, 1); /* the source */
  CHECK_MR(1, seL4_InvalidRoot);
  CHECK_ERR(seL4_CNode_Copy(ROOT, c, DEPTH, ROOT, ep, 0, ALL), seL4_RangeError);
  CHECK_MR(0, 1);
  CHECK_MR(1, 64);
  CHECK_ERR(copy(c, c, ALL), seL4_FailedLookup);
  CHECK_MR(0, 1);
  CHECK_MR(1, seL4_MissingCapability);
  CHECK_MR(2, 64);
}

/* CNODE0002: what cannot be copied: IRQControl, an untyped with children, an unmapped page table. */
static void cnode0002(void) {
  seL4_CPtr s = kslot();
  CHECK_ERR(copy(s, seL4_CapIRQControl, ALL), seL4_IllegalOperation);
  seL4_CPtr ut = kobj(seL4_UntypedObject, 14);
  seL4_CPtr ep = kslot();
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1));
  CHECK_ERR(copy(s, ut, ALL), seL4_RevokeFirst);
  CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
  CHECK_OK(copy(s, ut, ALL)); /* no children now */
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
  CHECK_ERR(copy(kslot(), pt, ALL), seL4_IllegalOperation);
  /* A copy of a full untyped leaves the original full. */
  CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, kslot(), 1),
            seL4_NotEnoughMemory);
  CHECK_MR(0, 0);
  CHECK_OK(seL4_Untyped_Retype(s, seL4_EndpointObject, 0, ROOT, 0, 0, kslot(), 1));
}

/* CNODE0003: Mint badges an unbadged cap once; sets a CNode's guard; refuses the impossible. */
static void cnode0003(void) {
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr a = kslot(), b = kslot(), c = kslot();
  CHECK_OK(mint(a, ep, ALL, 5));
  CHECK_ERR(mint(b, a, ALL, 6), seL4_IllegalOperation);
  CHECK_ERR(mint(b, a, ALL, 0), seL4_IllegalOperation);
  CHECK_OK(mint(b, ep, ALL, 0)); /* an unbadged copy */
  CHECK_OK(copy(c, a, ALL));     /* a badged cap still copies */
  seL4_SetCap(0, ROOT);
  CHECK_ERR(short_call(ROOT, CNodeMint, 5, 1), seL4_TruncatedMessage);
  /* A root CNode cap whose guard is one bit shorter resolves 63 bits... */
  seL4_CPtr g = kslot();
  CHECK_OK(mint(g, ROOT, ALL, seL4_CNode_CapData_new(0, 64 - radix - 1).words[0]));
  seL4_CPtr d = kslot();
  CHECK_OK(seL4_CNode_Copy(g, d, 63, g, ep, 63, ALL));
  CHECK_CAP(d, CAP_ENDPOINT);
  /* ...and guard size + radix may not exceed 64. */
  CHECK_ERR(mint(kslot(), ROOT, ALL, seL4_CNode_CapData_new(0, 64 - radix + 1).words[0]),
            seL4_IllegalOperation);
}

/* CNODE0004: Move keeps the cap and its children; Move onto itself tells full from empty. */
static void cnode0004(void) {
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr a = kslot(), b = kslot(), c = kslot();
  CHECK_OK(mint(a, ep, ALL, 9));
  CHECK_OK(copy(b, a, ALL));
  CHECK_OK(move(c, a));
  CHECK_CAP(a, CAP_NULL);
  CHECK_CAP(c, CAP_ENDPOINT);
  CHECK_OK(seL4_CNode_Revoke(ROOT, c, DEPTH)); /* the child moved with it */
  CHECK_CAP(b, CAP_NULL);
  CHECK_ERR(move(c, c), seL4_DeleteFirst);
  CHECK_ERR(move(a, a), seL4_FailedLookup);
  /* Move does not derive: IRQControl moves (and back). */
  CHECK_OK(move(a, seL4_CapIRQControl));
  CHECK_OK(move(seL4_CapIRQControl, a));
}

/* CNODE0005: Mutate moves with new data: never for endpoints, a new guard for CNodes. */
static void cnode0005(void) {
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr a = kslot(), b = kslot();
  CHECK_ERR(mutate(a, ep, 0), seL4_IllegalOperation);
  CHECK_CAP(ep, CAP_ENDPOINT);
  CHECK_OK(copy(a, ROOT, ALL));
  CHECK_OK(mutate(b, a, seL4_CNode_CapData_new(0, 4).words[0]));
  CHECK_CAP(a, CAP_NULL);
  seL4_CPtr d = kslot();
  CHECK_OK(seL4_CNode_Copy(b, d, 4 + radix, b, ep, 4 + radix, ALL)); /* guard bits + index bits */
  CHECK_CAP(d, CAP_ENDPOINT);
  seL4_SetCap(0, ROOT);
  CHECK_ERR(short_call(ROOT, CNodeMutate, 4, 1), seL4_TruncatedMessage);
}

/* CNODE0006: Rotate moves pivot to dest and source to pivot, or swaps; errors in order. */
static void cnode0006(void) {
  /* Rotate mutates both caps (preserving data), so endpoints cannot take part. */
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr src = kslot(), pivot = kslot(), dest = kslot();
  CHECK_OK(copy(src, ROOT, ALL));
  CHECK_OK(copy(pivot, seL4_CapInitThreadTCB, ALL));
  CHECK_OK(rotate(dest, 0, pivot, 0, src));
  CHECK_CAP(dest, CAP_THREAD);
  CHECK_CAP(pivot, CAP_CNODE);
  CHECK_CAP(src, CAP_NULL);
  CHECK_OK(rotate(dest, 0, pivot, 0, dest)); /* swap */
  CHECK_CAP(dest, CAP_CNODE);
  CHECK_CAP(pivot, CAP_THREAD);
  seL4_SetCap(0, ROOT);
  seL4_SetCap(1, ROOT);
  CHECK_ERR(short_call(ROOT, CNodeRotate, 7, 2), seL4_TruncatedMessage);
  CHECK_ERR(rotate(src, 0, dest, 0, dest), seL4_IllegalOperation);   /* pivot = src */
  CHECK_ERR(rotate(pivot, 0, pivot, 0, dest), seL4_IllegalOperation); /* pivot = dest */
  CHECK_ERR(rotate(ep, 0, pivot, 0, dest), seL4_DeleteFirst);
  seL4_CPtr e1 = kslot(), e2 = kslot();
  CHECK_ERR(rotate(e1, 0, pivot, 0, e2), seL4_FailedLookup);
  CHECK_MR(0, 1);
  CHECK_ERR(rotate(e1, 0, e2, 0, dest), seL4_FailedLookup);
  CHECK_MR(0, 0); /* an empty pivot is not the source */
  CHECK_ERR(rotate(e1, 0, dest, 0, ep), seL4_IllegalOperation); /* endpoint source */
  CHECK_ERR(rotate(e1, 0, ep, 0, dest), seL4_IllegalOperation); /* endpoint pivot */
  /* A CNode's guard changes on the way. */
  CHECK_OK(rotate(e1, seL4_CNode_CapData_new(0, 2).words[0], dest, 0, pivot));
  seL4_CPtr d = kslot();
  CHECK_OK(seL4_CNode_Copy(e1, d, 2 + radix, e1, ep, 2 + radix, ALL));
  CHECK_CAP(d, CAP_ENDPOINT);
}

/* CNODE0007: Delete keeps derived caps; Revoke deletes them, badge by badge. */
static void cnode0007(void) {
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr b1 = kslot(), b1c = kslot(), b2 = kslot(), b1s = kslot(), plain = kslot();
  CHECK_OK(mint(b1, ep, ALL, 1));
  CHECK_OK(copy(b1c, b1, ALL));
  CHECK_OK(mint(b1s, ep, ALL, 1)); /* same badge, another run: not b1's child */
  CHECK_OK(mint(b2, ep, ALL, 2));
  CHECK_OK(copy(plain, ep, ALL));
  CHECK_OK(seL4_CNode_Revoke(ROOT, b1, DEPTH));
  CHECK_CAP(b1, CAP_ENDPOINT);
  CHECK_CAP(b1c, CAP_NULL);
  CHECK_CAP(b1s, CAP_ENDPOINT);
  CHECK_OK(copy(b1c, b2, ALL));
  CHECK_OK(seL4_CNode_Delete(ROOT, b2, DEPTH));
  CHECK_CAP(b1c, CAP_ENDPOINT); /* delete keeps the copy */
  CHECK_OK(seL4_CNode_Revoke(ROOT, ep, DEPTH));
  CHECK_CAP(b1, CAP_NULL);
  CHECK_CAP(b1c, CAP_NULL);
  CHECK_CAP(b1s, CAP_NULL);
  CHECK_CAP(plain, CAP_NULL);
  CHECK_CAP(ep, CAP_ENDPOINT);
  CHECK_OK(seL4_CNode_Delete(ROOT, ep, DEPTH));
  CHECK_OK(seL4_CNode_Delete(ROOT, ep, DEPTH)); /* empty: nothing */
  CHECK_OK(seL4_CNode_Revoke(ROOT, ep, DEPTH));
}

/* CNODE0008: SaveCaller with no caller saves nothing; an occupied slot is DeleteFirst. */
static void cnode0008(void) {
  seL4_CPtr s = kslot();
  CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, DEPTH));
  CHECK_CAP(s, CAP_NULL);
  CHECK_ERR(seL4_CNode_SaveCaller(ROOT, ROOT, DEPTH), seL4_DeleteFirst);
}

/* CNODE0009: CancelBadgedSends needs an endpoint cap with all rights; badge 0 is a no-op. */
static void cnode0009(void) {
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  seL4_CPtr b = kslot(), weak = kslot();
  CHECK_OK(mint(b, ep, ALL, 3));
  CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, ep, DEPTH));
  CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, b, DEPTH));
  CHECK_OK(copy(weak, b, seL4_CapRights_new(0, 1, 1, 1)));
  CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, weak, DEPTH), seL4_IllegalOperation);
  CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, kslot(), DEPTH), seL4_IllegalOperation);
  CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, ROOT, DEPTH), seL4_IllegalOperation);
}

/* CNODE0010: the destination lookup: depth range, guard and depth mismatches. */
static void cnode0010(void) {
  CHECK_ERR(seL4_CNode_Delete(ROOT, 1, 0), seL4_RangeError);
  CHECK_MR(0, 1);
  CHECK_MR(1, 64);
  CHECK_ERR(seL4_CNode_Delete(ROOT, 1, 65), seL4_RangeError);
  CHECK_ERR(seL4_CNode_Delete(ROOT, 1ul << 63, DEPTH), seL4_FailedLookup);
  CHECK_MR(0, 0);
  CHECK_MR(1, seL4_GuardMismatch);
  CHECK_MR(2, 64); /* bits left */
  CHECK_MR(3, 0);          /* the guard */
  CHECK_MR(4, 64 - radix); /* its size */
  CHECK_ERR(seL4_CNode_Delete(ROOT, 1, 63), seL4_FailedLookup);
  CHECK_MR(1, seL4_DepthMismatch);
  CHECK_MR(2, 63);
  CHECK_MR(3, 64);
  /* A guardless copy of the root resolves `radix` bits per level: a path
     that ends early at a non-CNode cap leaves bits over. */
  seL4_CPtr g = kslot();
  CHECK_OK(mint(g, ROOT, ALL, 0));
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  CHECK_ERR(seL4_CNode_Delete(g, ep << radix, 2 * radix), seL4_FailedLookup);
  CHECK_MR(1, seL4_DepthMismatch);
  CHECK_MR(2, radix);
  CHECK_MR(3, 0);
}

/* CNODE0011: labels outside the CNode range, short messages, and invoking an empty slot. */
static void cnode0011(void) {
  CHECK_ERR(short_call(ROOT, UntypedRetype, 6, 0), seL4_IllegalOperation);
  CHECK_ERR(short_call(ROOT, CNodeSaveCaller + 1, 2, 0), seL4_IllegalOperation);
  CHECK_ERR(short_call(ROOT, CNodeDelete, 1, 0), seL4_TruncatedMessage);
  CHECK_ERR(short_call(kslot(), CNodeDelete, 2, 0), seL4_InvalidCapability);
  CHECK_MR(0, 0);
}

/* CNODE0012: frame copies start unmapped and map on their own. */
static void cnode0012(void) {
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
  CHECK_OK(seL4_RISCV_PageTable_Map(pt, seL4_CapInitThreadVSpace, 0x10200000,
                                    seL4_RISCV_Default_VMAttributes));
  seL4_CPtr f = kslot();
  CHECK_OK(copy(f, seL4_CapBootInfoFrame, seL4_CanRead));
  CHECK_OK(seL4_RISCV_Page_Map(f, seL4_CapInitThreadVSpace, 0x10200000, seL4_AllRights,
                               seL4_RISCV_Default_VMAttributes));
  seL4_BootInfo *bi = (seL4_BootInfo *)0x10200000;
  CHECK(bi->nodeID == 0 && bi->numNodes == 1);
  CHECK_OK(seL4_CNode_Delete(ROOT, f, DEPTH));
  CHECK_OK(seL4_CNode_Delete(ROOT, pt, DEPTH));
}

/* CNODE0013: deleting the last cap to a CNode deletes its contents, freeing their untyped. */
static void cnode0013(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 14);
  seL4_CPtr cn = kslot(), ep = kslot();
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_CapTableObject, 2, ROOT, 0, 0, cn, 1));
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1));
  CHECK_OK(seL4_CNode_Move(cn, 3, 2, ROOT, ep, DEPTH));
  CHECK_OK(seL4_CNode_Delete(ROOT, cn, DEPTH));
  CHECK(untyped_is_free(ut));
}

/* CNODE0014: a CNode whose only cap sits in a CNode being deleted is left as a cyclic zombie. */
static void cnode0014(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 14);
  seL4_CPtr a = kslot(), b = kslot(), ep = kslot();
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_CapTableObject, 2, ROOT, 0, 0, a, 1));
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_CapTableObject, 2, ROOT, 0, 0, b, 1));
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1));
  CHECK_OK(seL4_CNode_Move(b, 2, 2, ROOT, ep, DEPTH)); /* B[2] = the endpoint */
  CHECK_OK(seL4_CNode_Move(a, 1, 2, ROOT, b, DEPTH));  /* A[1] = B */
  CHECK_OK(seL4_CNode_Delete(ROOT, a, DEPTH));
  /* B (and the endpoint in it) still hold memory: the untyped cannot reset. */
  seL4_CPtr pages = kslots(4);
  CHECK_ERR(seL4_Untyped_Retype(ut, seL4_RISCV_4K_Page, 0, ROOT, 0, 0, pages, 4),
            seL4_NotEnoughMemory);
  CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
  CHECK(untyped_is_free(ut));
}

/* CNODE0015: deleting the last cap to a TCB destroys it, freeing its untyped. */
static void cnode0015(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 14);
  seL4_CPtr tcb = kslot();
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT, 0, 0, tcb, 1));
  CHECK_OK(seL4_CNode_Delete(ROOT, tcb, DEPTH));
  CHECK(untyped_is_free(ut));
}

/* CNODE0016 (as CSPACE0001): a chain of CNodes, one guard bit and one index bit per level. */
static void cnode0016(void) {
  enum { LEVELS = 16 };
  seL4_CPtr nodes[LEVELS];
  for (int i = 0; i < LEVELS; i++) {
    nodes[i] = kobj(seL4_CapTableObject, 1);
    CHECK(nodes[i] != 0);
  }
  /* Slot 1 of level i holds a cap to level i + 1 with a 1-bit guard 0. */
  for (int i = LEVELS - 2; i >= 0; i--) {
    CHECK_OK(seL4_CNode_Mint(nodes[i], 1, 1, ROOT, nodes[i + 1], DEPTH, ALL,
                             seL4_CNode_CapData_new(0, 1).words[0]));
  }
  seL4_CPtr ep = kobj(seL4_EndpointObject, 0);
  CHECK_OK(seL4_CNode_Copy(nodes[LEVELS - 1], 0, 1, ROOT, ep, DEPTH, ALL));
  /* The path: index 1; then guard 0, index 1 per middle level; then guard 0, index 0. */
  seL4_Word path = 1;
  for (int i = 1; i < LEVELS - 1; i++) path = (path << 2) | 1;
  path <<= 2;
  int depth = 1 + 2 * (LEVELS - 1);
  seL4_CPtr out = kslot();
  CHECK_OK(seL4_CNode_Copy(ROOT, out, DEPTH, nodes[0], path, depth, ALL));
  CHECK_CAP(out, CAP_ENDPOINT);
  /* One bit short: the last level needs 2 bits and finds 1. */
  CHECK_ERR(seL4_CNode_Copy(ROOT, kslot(), DEPTH, nodes[0], path >> 1, depth - 1, ALL),
            seL4_FailedLookup);
  CHECK_MR(0, 1);
  CHECK_MR(1, seL4_DepthMismatch);
  CHECK_MR(2, 1);
  CHECK_MR(3, 2);
}

int main(void) {
  static const struct ktest tests[] = {
      {"CNODE0001", cnode0001}, {"CNODE0002", cnode0002}, {"CNODE0003", cnode0003},
      {"CNODE0004", cnode0004}, {"CNODE0005", cnode0005}, {"CNODE0006", cnode0006},
      {"CNODE0007", cnode0007}, {"CNODE0008", cnode0008}, {"CNODE0009", cnode0009},
      {"CNODE0010", cnode0010}, {"CNODE0011", cnode0011}, {"CNODE0012", cnode0012},
      {"CNODE0013", cnode0013}, {"CNODE0014", cnode0014}, {"CNODE0015", cnode0015},
      {"CNODE0016", cnode0016},
  };
  radix = (int)platsupport_get_bootinfo()->initThreadCNodeSizeBits;
  ktest_run("cnode", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
