/*
 * untyped: Untyped_Retype as sel4test's RETYPE tests check it, plus every
 * check in seL4's order with its error data (sel4-semantics §3), the
 * watermark and reset, zeroing, untyped copies, device untypeds and the size
 * of every object type.
 */
#include <sel4platsupport/bootinfo.h>

#include "ktest.h"

static seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits, seL4_CPtr first,
                         seL4_Word count) {
  return seL4_Untyped_Retype(ut, type, size_bits, ROOT, 0, 0, first, count);
}
static seL4_Word paddr_of(seL4_CPtr frame) {
  seL4_RISCV_Page_GetAddress_t r = seL4_RISCV_Page_GetAddress(frame);
  return r.error == seL4_NoError ? r.paddr : ~0ul;
}
static seL4_Error short_call(seL4_CPtr cap, seL4_Word label, int length, int caps) {
  seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(label, 0, caps, length));
  return (seL4_Error)seL4_MessageInfo_get_label(info);
}

static seL4_BootInfo *bi;
static int radix;

/* RETYPE0001: label, length, type, sizes: checked before the destination. */
static void retype0001(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 14);
  seL4_CPtr s = kslot();
  CHECK_ERR(short_call(ut, CNodeCopy, 6, 0), seL4_IllegalOperation);
  seL4_SetCap(0, ROOT);
  CHECK_ERR(short_call(ut, UntypedRetype, 5, 1), seL4_TruncatedMessage);
  CHECK_ERR(short_call(ut, UntypedRetype, 6, 0), seL4_TruncatedMessage);
  CHECK_ERR(retype(ut, seL4_ObjectTypeCount, 0, s, 1), seL4_InvalidArgument);
  CHECK_MR(0, 0);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 64, s, 1), seL4_RangeError);
  CHECK_MR(0, 0);
  CHECK_MR(1, 38);
  CHECK_ERR(retype(ut, seL4_UntypedObject, 39, s, 1), seL4_RangeError);
  CHECK_ERR(retype(ut, seL4_CapTableObject, 34, s, 1), seL4_RangeError); /* 2^39 bytes */
  CHECK_ERR(retype(ut, seL4_CapTableObject, 0, s, 1), seL4_InvalidArgument);
  CHECK_MR(0, 1);
  CHECK_ERR(retype(ut, seL4_UntypedObject, 3, s, 1), seL4_InvalidArgument);
  CHECK_MR(0, 1);
}

/* RETYPE0002: the destination: its CNode, offset, window and emptiness. */
static void retype0002(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 14);
  seL4_CPtr s = kslot();
  seL4_Word slots = 1ul << radix;
  /* node_depth 0 uses the root cap itself, which must be a CNode. */
  CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ut, 0, 0, s, 1), seL4_FailedLookup);
  CHECK_MR(0, 0);
  CHECK_MR(1, seL4_MissingCapability);
  CHECK_MR(2, 0);
  CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 65, s, 1), seL4_RangeError);
  CHECK_MR(0, 1);
  CHECK_MR(1, 64);
  CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ut, DEPTH, 0, 1),
            seL4_FailedLookup);
  CHECK_MR(1, seL4_MissingCapability);
  CHECK_MR(2, 64);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 0, slots, 1), seL4_RangeError);
  CHECK_MR(0, 0);
  CHECK_MR(1, slots - 1);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 0, s, 0), seL4_RangeError);
  CHECK_MR(0, 1);
  CHECK_MR(1, 256);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 0, s, 257), seL4_RangeError);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 0, slots - 2, 3), seL4_RangeError);
  CHECK_MR(0, 1);
  CHECK_MR(1, 2);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 0, ut, 1), seL4_DeleteFirst);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 0, ut - 1, 3), seL4_DeleteFirst);
  /* Into another CNode, named by index and depth. */
  seL4_CPtr cn = kobj(seL4_CapTableObject, 3);
  CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 5, 3));
  CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 7, 1),
            seL4_DeleteFirst);
  CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 6, 3),
            seL4_RangeError);
  CHECK_MR(1, 2);
  seL4_CPtr out = kslot();
  CHECK_OK(seL4_CNode_Move(ROOT, out, DEPTH, cn, 6, 3));
  CHECK_CAP(out, CAP_ENDPOINT);
}

/* RETYPE0003: objects are laid out consecutively, each aligned to its size; exact fit. */
static void retype0003(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 14);
  seL4_CPtr pages = kslots(4), eps = kslots(2), more = kslot();
  CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, pages, 1));
  seL4_Word base = paddr_of(pages);
  CHECK(base % (1ul << 14) == 0); /* the first object is at the untyped's base */
  CHECK_OK(retype(ut, seL4_EndpointObject, 0, eps, 2));
  CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, pages + 1, 2));
  CHECK(paddr_of(pages + 1) == base + 0x2000); /* the endpoints' page is skipped */
  CHECK(paddr_of(pages + 2) == base + 0x3000);
  CHECK_ERR(retype(ut, seL4_EndpointObject, 0, more, 1), seL4_NotEnoughMemory);
  CHECK_MR(0, 0);
  /* Four 4 KiB pages fit a 16 KiB untyped exactly; five do not. */
  seL4_CPtr ut2 = kobj(seL4_UntypedObject, 14);
  seL4_CPtr four = kslots(5);
  CHECK_ERR(retype(ut2, seL4_RISCV_4K_Page, 0, four, 5), seL4_NotEnoughMemory);
  CHECK_MR(0, 1ul << 14);
  CHECK_OK(retype(ut2, seL4_RISCV_4K_Page, 0, four, 4));
}

/* RETYPE0004: deleted objects' memory returns only when the untyped has no children left. */
static void retype0004(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 13);
  seL4_CPtr a = kslot(), b = kslot(), c = kslot();
  CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, a, 1));
  CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, b, 1));
  seL4_Word pa = paddr_of(a);
  CHECK_OK(seL4_CNode_Delete(ROOT, a, DEPTH));
  CHECK_ERR(retype(ut, seL4_RISCV_4K_Page, 0, c, 1), seL4_NotEnoughMemory);
  CHECK_OK(seL4_CNode_Delete(ROOT, b, DEPTH));
  CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, c, 1));
  CHECK(paddr_of(c) == pa);
  CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
  CHECK_CAP(c, CAP_NULL);
  CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, a, 2));
}

/* RETYPE0005: memory comes out of a reset zeroed, whatever was written before. */
static void retype0005(void) {
  enum { AT = 0x10400000 };
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
  CHECK_OK(seL4_RISCV_PageTable_Map(pt, seL4_CapInitThreadVSpace, AT,
                                    seL4_RISCV_Default_VMAttributes));
  seL4_CPtr ut = kobj(seL4_UntypedObject, 12);
  seL4_CPtr f = kslot();
  for (int round = 0; round < 2; round++) {
    CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, f, 1));
    CHECK_OK(seL4_RISCV_Page_Map(f, seL4_CapInitThreadVSpace, AT, seL4_ReadWrite,
                                 seL4_RISCV_Default_VMAttributes));
    volatile seL4_Word *p = (volatile seL4_Word *)AT;
    for (int i = 0; i < 512; i++) CHECK(p[i] == 0);
    for (int i = 0; i < 512; i++) p[i] = 0x1111111111111111ul * (seL4_Word)(i + 1);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH)); /* deletes f: unmapped */
  }
  CHECK_OK(seL4_CNode_Delete(ROOT, pt, DEPTH));
}

/* RETYPE0006: a copy of an untyped allocates on its own; the original stays full. */
static void retype0006(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 13);
  seL4_CPtr dup = kslot(), a = kslot(), b = kslot();
  CHECK_OK(seL4_CNode_Copy(ROOT, dup, DEPTH, ROOT, ut, DEPTH, seL4_AllRights));
  CHECK_ERR(seL4_CNode_Copy(ROOT, kslot(), DEPTH, ROOT, ut, DEPTH, seL4_AllRights),
            seL4_RevokeFirst);
  CHECK_OK(retype(dup, seL4_RISCV_4K_Page, 0, a, 1));
  CHECK_ERR(retype(ut, seL4_RISCV_4K_Page, 0, b, 1), seL4_NotEnoughMemory);
  CHECK_MR(0, 0);
  /* With the copy gone, its page counts as the original's child: still full. */
  CHECK_OK(seL4_CNode_Delete(ROOT, dup, DEPTH));
  CHECK_ERR(retype(ut, seL4_RISCV_4K_Page, 0, b, 1), seL4_NotEnoughMemory);
  CHECK_OK(seL4_CNode_Delete(ROOT, a, DEPTH));
  CHECK_OK(retype(ut, seL4_RISCV_4K_Page, 0, b, 2));
}

/* RETYPE0007: every object type, with its cap type and size in bytes (exact fit). */
static void retype0007(void) {
  static const struct {
    seL4_Word type, size_bits, bits;
    seL4_Uint32 tag;
  } kinds[] = {
      {seL4_TCBObject, 0, 11, CAP_THREAD},
      {seL4_EndpointObject, 0, 4, CAP_ENDPOINT},
      {seL4_NotificationObject, 0, 5, CAP_NOTIFICATION},
      {seL4_CapTableObject, 3, 8, CAP_CNODE},
      {seL4_UntypedObject, 5, 5, CAP_UNTYPED},
      {seL4_RISCV_4K_Page, 0, 12, CAP_FRAME},
      {seL4_RISCV_PageTableObject, 0, 12, CAP_PAGE_TABLE},
  };
  for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    /* An untyped of 4 objects' size holds exactly 4. */
    seL4_CPtr ut = kobj(seL4_UntypedObject, kinds[i].bits + 2);
    CHECK(ut != 0);
    seL4_CPtr first = kslots(5);
    CHECK_ERR(retype(ut, kinds[i].type, kinds[i].size_bits, first, 5), seL4_NotEnoughMemory);
    CHECK_OK(retype(ut, kinds[i].type, kinds[i].size_bits, first, 4));
    for (int k = 0; k < 4; k++) CHECK_CAP(first + k, kinds[i].tag);
  }
  /* Large frames: a 2 MiB page from a 4 MiB untyped, aligned. */
  seL4_CPtr big = kobj(seL4_UntypedObject, 22);
  CHECK(big != 0);
  seL4_CPtr mega = kslots(3);
  CHECK_OK(retype(big, seL4_RISCV_Mega_Page, 0, mega, 2));
  CHECK(paddr_of(mega) % (1ul << 21) == 0);
  CHECK(paddr_of(mega + 1) == paddr_of(mega) + (1ul << 21));
  CHECK_ERR(retype(big, seL4_RISCV_Giga_Page, 0, mega + 2, 1), seL4_NotEnoughMemory);
}

/* RETYPE0008: device untypeds give device frames and untypeds; kernel objects fail last. */
static void retype0008(void) {
  seL4_CPtr dev = 0;
  seL4_Word dev_bits = 0, dev_paddr = 0;
  for (seL4_CPtr s = bi->untyped.start; s < bi->untyped.end; s++) {
    seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
    if (d->isDevice && d->sizeBits >= 14 && d->sizeBits <= 30) {
      dev = s;
      dev_bits = d->sizeBits;
      dev_paddr = d->paddr;
      break;
    }
  }
  CHECK(dev != 0);
  seL4_CPtr f = kslot(), u = kslot(), e = kslot();
  /* Too big for it: NotEnoughMemory comes before the device check. */
  CHECK_ERR(retype(dev, seL4_CapTableObject, dev_bits, e, 1), seL4_NotEnoughMemory);
  CHECK_MR(0, 1ul << dev_bits);
  CHECK_ERR(retype(dev, seL4_EndpointObject, 0, e, 1), seL4_InvalidArgument);
  CHECK_MR(0, 1);
  CHECK_ERR(retype(dev, seL4_RISCV_PageTableObject, 0, e, 1), seL4_InvalidArgument);
  CHECK_OK(retype(dev, seL4_RISCV_4K_Page, 0, f, 1));
  CHECK(paddr_of(f) == dev_paddr);
  CHECK_OK(retype(dev, seL4_UntypedObject, 12, u, 1));
  CHECK_ERR(retype(u, seL4_TCBObject, 0, e, 1), seL4_InvalidArgument); /* inherits "device" */
  CHECK_OK(retype(u, seL4_RISCV_4K_Page, 0, e, 1));
  CHECK(paddr_of(e) == dev_paddr + 0x1000);
  CHECK_OK(seL4_CNode_Revoke(ROOT, dev, DEPTH));
}

/* RETYPE0009: a fan-out of 256 objects in one call. */
static void retype0009(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 12);
  seL4_CPtr first = kslots(256);
  CHECK_OK(retype(ut, seL4_EndpointObject, 0, first, 256));
  CHECK_CAP(first, CAP_ENDPOINT);
  CHECK_CAP(first + 255, CAP_ENDPOINT);
  CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
  CHECK_CAP(first + 128, CAP_NULL);
}

int main(void) {
  bi = platsupport_get_bootinfo();
  radix = (int)bi->initThreadCNodeSizeBits;
  static const struct ktest tests[] = {
      {"RETYPE0001", retype0001}, {"RETYPE0002", retype0002}, {"RETYPE0003", retype0003},
      {"RETYPE0004", retype0004}, {"RETYPE0005", retype0005}, {"RETYPE0006", retype0006},
      {"RETYPE0007", retype0007}, {"RETYPE0008", retype0008}, {"RETYPE0009", retype0009},
  };
  ktest_run("untyped", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
