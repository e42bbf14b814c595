/*
 * vspace: frames, page tables and ASIDs as sel4test's VSPACE and
 * FRAMEEXPORTS tests check them, plus every error of Page_Map,
 * PageTable_Map/Unmap, ASIDControl_MakePool and ASIDPool_Assign in seL4's
 * order (sel4-riscv64-abi §9), and the unmapping that deletion does.
 */
#include <sel4/sel4_arch/mapping.h>
#include <sel4platsupport/bootinfo.h>

#include "ktest.h"

#define VSPACE seL4_CapInitThreadVSpace
#define ATTR seL4_RISCV_Default_VMAttributes
/* Free address space in the root task's first GiB (its middle table exists). */
#define AREA 0x20000000ul
#define MiB (1ul << 20)

static seL4_BootInfo *bi;

static seL4_Error map(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t r) {
  return seL4_RISCV_Page_Map(frame, vspace, vaddr, r, ATTR);
}
static seL4_Error map_pt(seL4_CPtr pt, seL4_CPtr vspace, seL4_Word vaddr) {
  return seL4_RISCV_PageTable_Map(pt, vspace, vaddr, ATTR);
}
static seL4_Word paddr_of(seL4_CPtr frame) {
  seL4_RISCV_Page_GetAddress_t r = seL4_RISCV_Page_GetAddress(frame);
  return r.error == seL4_NoError ? r.paddr : ~0ul;
}
static seL4_Error short_call(seL4_CPtr cap, seL4_Word label, int length, int caps) {
  seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(label, 0, caps, length));
  return (seL4_Error)seL4_MessageInfo_get_label(info);
}
/* A new address space: a pool and a root table assigned to it; returns the root's cap. */
static seL4_CPtr new_vspace(seL4_CPtr *pool_out) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 12);
  seL4_CPtr pool = kslot();
  if (seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT, pool, DEPTH) != seL4_NoError)
    return 0;
  seL4_CPtr root = kobj(seL4_RISCV_PageTableObject, 0);
  if (seL4_RISCV_ASIDPool_Assign(pool, root) != seL4_NoError) return 0;
  if (pool_out) *pool_out = pool;
  return root;
}

/* VSPACE0001: map, write, read back through a second mapping of a copy, unmap, remap. */
static void vspace0001(void) {
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0), alias = kslot();
  CHECK_OK(map_pt(pt, VSPACE, AREA));
  CHECK_OK(map(f, VSPACE, AREA, seL4_ReadWrite));
  volatile seL4_Word *p = (volatile seL4_Word *)AREA;
  CHECK(p[0] == 0 && p[511] == 0);
  p[7] = 0x5ca1ab1e;
  CHECK_ERR(map(f, VSPACE, AREA + 0x1000, seL4_ReadWrite), seL4_InvalidArgument);
  CHECK_OK(seL4_CNode_Copy(ROOT, alias, DEPTH, ROOT, f, DEPTH, seL4_AllRights));
  CHECK_OK(map(alias, VSPACE, AREA + 0x1000, seL4_CanRead));
  volatile seL4_Word *q = (volatile seL4_Word *)(AREA + 0x1000);
  CHECK(q[7] == 0x5ca1ab1e);
  CHECK(paddr_of(alias) == paddr_of(f));
  CHECK_OK(seL4_RISCV_Page_Unmap(f));
  CHECK_OK(seL4_RISCV_Page_Unmap(f)); /* unmapped already: nothing */
  CHECK_OK(map(f, VSPACE, AREA + 0x2000, seL4_ReadWrite));
  CHECK(((volatile seL4_Word *)(AREA + 0x2000))[7] == 0x5ca1ab1e);
  /* Re-mapping in place changes the rights. */
  CHECK_OK(map(f, VSPACE, AREA + 0x2000, seL4_CanRead));
  CHECK_OK(map(f, VSPACE, AREA + 0x2000, seL4_ReadWrite));
  ((volatile seL4_Word *)(AREA + 0x2000))[8] = 1;
  CHECK(q[8] == 1);
  CHECK_ERR(short_call(f, RISCVPageTableMap, 2, 0), seL4_IllegalOperation);
}

/* VSPACE0002: Page_Map checks in order, with FailedLookup's level. */
static void vspace0002(void) {
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0);
  seL4_CPtr unmapped_pt = kobj(seL4_RISCV_PageTableObject, 0);
  seL4_SetCap(0, VSPACE);
  CHECK_ERR(short_call(f, RISCVPageMap, 2, 1), seL4_TruncatedMessage);
  CHECK_ERR(short_call(f, RISCVPageMap, 3, 0), seL4_TruncatedMessage);
  CHECK_ERR(map(f, ROOT, AREA, seL4_ReadWrite), seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_ERR(map(f, unmapped_pt, AREA, seL4_ReadWrite), seL4_InvalidCapability);
  /* A mapped table that is not a VSpace root (one the kernel made for our image). */
  CHECK_ERR(map(f, bi->userImagePaging.start, AREA, seL4_ReadWrite), seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_ERR(map(f, VSPACE, seL4_UserTop, seL4_ReadWrite), seL4_InvalidArgument);
  CHECK_MR(0, 0);
  CHECK_ERR(map(f, VSPACE, AREA + 0x800, seL4_ReadWrite), seL4_AlignmentError);
  CHECK_ERR(map(f, VSPACE, 0x40000000ul * 5, seL4_ReadWrite), seL4_FailedLookup);
  CHECK_MR(0, 0);
  CHECK_MR(1, seL4_MissingCapability);
  CHECK(seL4_MappingFailedLookupLevel() == 30);
  CHECK_ERR(map(f, VSPACE, AREA + 64 * MiB, seL4_ReadWrite), seL4_FailedLookup);
  CHECK(seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PT);
  /* Where the image is: occupied. */
  CHECK_ERR(map(f, VSPACE, bi->ipcBuffer ? (seL4_Word)bi->ipcBuffer : 0x10000, seL4_ReadWrite),
            seL4_DeleteFirst);
  /* A stale ASID: the pool is gone. */
  seL4_CPtr pool;
  seL4_CPtr vs = new_vspace(&pool);
  CHECK(vs != 0);
  CHECK_OK(seL4_CNode_Delete(ROOT, pool, DEPTH));
  CHECK_ERR(map(f, vs, 0, seL4_ReadWrite), seL4_FailedLookup);
  CHECK_MR(1, seL4_InvalidRoot);
}

/* VSPACE0003: PageTable_Map picks the first missing level; its checks in order. */
static void vspace0003(void) {
  seL4_CPtr mid = kobj(seL4_RISCV_PageTableObject, 0), last = kobj(seL4_RISCV_PageTableObject, 0);
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0), spare = kobj(seL4_RISCV_PageTableObject, 0);
  seL4_Word v = 0x40000000ul * 7 + 0x00601000ul;
  seL4_SetCap(0, VSPACE);
  CHECK_ERR(short_call(mid, RISCVPageTableMap, 1, 1), seL4_TruncatedMessage);
  CHECK_ERR(short_call(mid, RISCVPageTableMap, 2, 0), seL4_TruncatedMessage);
  CHECK_ERR(map_pt(bi->userImagePaging.start, VSPACE, v), seL4_InvalidCapability);
  CHECK_MR(0, 0); /* already mapped */
  CHECK_ERR(map_pt(mid, spare, v), seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_ERR(map_pt(mid, VSPACE, seL4_UserTop), seL4_InvalidArgument);
  CHECK_ERR(map_pt(mid, bi->userImagePaging.start, v), seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_OK(map_pt(mid, VSPACE, v));  /* into the root: covers the GiB */
  CHECK_OK(map_pt(last, VSPACE, v)); /* into mid: covers 2 MiB */
  CHECK_ERR(map_pt(spare, VSPACE, v), seL4_DeleteFirst);
  CHECK_OK(map(f, VSPACE, v, seL4_ReadWrite));
  *(volatile seL4_Word *)v = 42;
  CHECK(*(volatile seL4_Word *)v == 42);
  CHECK_ERR(short_call(mid, RISCVPageMap, 3, 0), seL4_IllegalOperation);
}

/* VSPACE0004: PageTable_Unmap refuses copies and roots; it clears the table. */
static void vspace0004(void) {
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0), copy = kslot();
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0), g = kobj(seL4_RISCV_4K_Page, 0);
  seL4_Word v = AREA + 8 * MiB;
  CHECK_OK(map_pt(pt, VSPACE, v));
  CHECK_OK(map(f, VSPACE, v, seL4_ReadWrite));
  CHECK_ERR(seL4_RISCV_PageTable_Unmap(VSPACE), seL4_RevokeFirst);
  CHECK_OK(seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT, pt, DEPTH, seL4_AllRights));
  CHECK_ERR(seL4_RISCV_PageTable_Unmap(pt), seL4_RevokeFirst);
  CHECK_OK(seL4_CNode_Delete(ROOT, copy, DEPTH));
  CHECK_OK(seL4_RISCV_PageTable_Unmap(pt));
  CHECK_ERR(map(g, VSPACE, v + 0x1000, seL4_ReadWrite), seL4_FailedLookup);
  CHECK(seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PT);
  /* Mapped again, the table is empty: f's entry went with the unmap. */
  CHECK_OK(map_pt(pt, VSPACE, v));
  CHECK_OK(map(g, VSPACE, v, seL4_ReadWrite));
  CHECK_OK(seL4_RISCV_PageTable_Unmap(pt));
  CHECK_OK(seL4_RISCV_PageTable_Unmap(pt)); /* unmapped: nothing */
}

/* VSPACE0005: deleting caps unmaps: a frame's entry, a table's link. */
static void vspace0005(void) {
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0), g = kobj(seL4_RISCV_4K_Page, 0);
  seL4_Word v = AREA + 10 * MiB;
  CHECK_OK(map_pt(pt, VSPACE, v));
  CHECK_OK(map(f, VSPACE, v, seL4_ReadWrite));
  CHECK_ERR(map(g, VSPACE, v, seL4_ReadWrite), seL4_DeleteFirst);
  CHECK_OK(seL4_CNode_Delete(ROOT, f, DEPTH));
  CHECK_OK(map(g, VSPACE, v, seL4_ReadWrite));
  CHECK_OK(seL4_CNode_Delete(ROOT, pt, DEPTH));
  seL4_CPtr h = kobj(seL4_RISCV_4K_Page, 0);
  CHECK_ERR(map(h, VSPACE, v + 0x1000, seL4_ReadWrite), seL4_FailedLookup);
  CHECK_OK(seL4_RISCV_Page_Unmap(g)); /* its table is gone: nothing to do */
}

/* VSPACE0006: MakePool: checks in order, and running out of pools. */
static void vspace0006(void) {
  seL4_CPtr ut = kobj(seL4_UntypedObject, 12), big = kobj(seL4_UntypedObject, 13);
  seL4_CPtr dest = kslot();
  seL4_SetCap(0, ut);
  seL4_SetCap(1, ROOT);
  CHECK_ERR(short_call(seL4_CapASIDControl, RISCVASIDPoolAssign, 2, 2), seL4_IllegalOperation);
  CHECK_ERR(short_call(seL4_CapASIDControl, RISCVASIDControlMakePool, 1, 2),
            seL4_TruncatedMessage);
  CHECK_ERR(short_call(seL4_CapASIDControl, RISCVASIDControlMakePool, 2, 1),
            seL4_TruncatedMessage);
  CHECK_ERR(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, big, ROOT, dest, DEPTH),
            seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_ERR(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, ROOT, ROOT, dest, DEPTH),
            seL4_InvalidCapability);
  CHECK_ERR(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT, ut, DEPTH),
            seL4_DeleteFirst);
  CHECK_ERR(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT, dest, 0),
            seL4_RangeError);
  CHECK_OK(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT, dest, DEPTH));
  CHECK_CAP(dest, CAP_ASID_POOL);
  CHECK_ERR(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT, kslot(), DEPTH),
            seL4_RevokeFirst);
  /* Make pools until none is left (128 in all, some made by earlier tests). */
  seL4_CPtr last = 0;
  seL4_Error err = seL4_NoError;
  for (int i = 0; i < 128 && err == seL4_NoError; i++) {
    seL4_CPtr u = kobj(seL4_UntypedObject, 12);
    seL4_CPtr p = kslot();
    err = seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, u, ROOT, p, DEPTH);
    if (err == seL4_NoError) last = p;
  }
  CHECK_ERR(err, seL4_DeleteFirst);
  /* Checked before the untyped: even a bad untyped gets DeleteFirst. */
  CHECK_ERR(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, ROOT, ROOT, kslot(), DEPTH),
            seL4_DeleteFirst);
  CHECK(last != 0);
  CHECK_OK(seL4_CNode_Delete(ROOT, last, DEPTH));
  seL4_CPtr u = kobj(seL4_UntypedObject, 12), again = kslot();
  CHECK_OK(seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, u, ROOT, again, DEPTH));
  CHECK_OK(seL4_CNode_Delete(ROOT, again, DEPTH)); /* leave one pool for later tests */
}

/* VSPACE0007: Assign: checks in order; a full pool; deleting a root frees its ASID. */
static void vspace0007(void) {
  /* The root task's pool (ASID 1 is ours, 0 is never used). */
  seL4_CPtr pool = seL4_CapInitThreadASIDPool;
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
  CHECK_ERR(short_call(pool, RISCVASIDControlMakePool, 0, 0), seL4_IllegalOperation);
  CHECK_ERR(short_call(pool, RISCVASIDPoolAssign, 0, 0), seL4_TruncatedMessage);
  CHECK_ERR(seL4_RISCV_ASIDPool_Assign(pool, VSPACE), seL4_InvalidCapability);
  CHECK_MR(0, 1);
  CHECK_ERR(seL4_RISCV_ASIDPool_Assign(pool, ROOT), seL4_InvalidCapability);
  CHECK_OK(seL4_RISCV_ASIDPool_Assign(pool, pt));
  CHECK_ERR(seL4_RISCV_ASIDPool_Assign(pool, pt), seL4_InvalidCapability);
  /* Fill the pool: 512 ASIDs minus 0, ours and pt's. */
  seL4_CPtr first = 0;
  int n = 0;
  seL4_Error err = seL4_NoError;
  while (err == seL4_NoError && n < 512) {
    seL4_CPtr root = kobj(seL4_RISCV_PageTableObject, 0);
    CHECK(root != 0);
    err = seL4_RISCV_ASIDPool_Assign(pool, root);
    if (err == seL4_NoError) {
      if (!first) first = root;
      n++;
    }
  }
  CHECK_ERR(err, seL4_DeleteFirst);
  CHECK(n == 509);
  /* A root with its ASID gone and a new one in its place. */
  CHECK_OK(seL4_CNode_Delete(ROOT, first, DEPTH));
  seL4_CPtr again = kobj(seL4_RISCV_PageTableObject, 0);
  CHECK_OK(seL4_RISCV_ASIDPool_Assign(pool, again));
}

/* VSPACE0008: an address space of its own: mappings there, and one mapping per frame cap. */
static void vspace0008(void) {
  seL4_CPtr vs = new_vspace(NULL);
  CHECK(vs != 0);
  seL4_CPtr mid = kobj(seL4_RISCV_PageTableObject, 0), last = kobj(seL4_RISCV_PageTableObject, 0);
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0), ourpt = kobj(seL4_RISCV_PageTableObject, 0);
  CHECK_ERR(map(f, vs, 0x1000, seL4_ReadWrite), seL4_FailedLookup);
  CHECK(seL4_MappingFailedLookupLevel() == 30);
  CHECK_OK(map_pt(mid, vs, 0x1000));
  CHECK_OK(map_pt(last, vs, 0x1000));
  CHECK_OK(map(f, vs, 0x1000, seL4_ReadWrite));
  /* The same cap into our own address space: it belongs to the other one. */
  CHECK_OK(map_pt(ourpt, VSPACE, AREA + 12 * MiB));
  CHECK_ERR(map(f, VSPACE, AREA + 12 * MiB, seL4_ReadWrite), seL4_InvalidCapability);
  CHECK_MR(0, 1);
  /* A page-table cap of the other space cannot name our root. */
  CHECK_ERR(map_pt(kobj(seL4_RISCV_PageTableObject, 0), mid, 0x1000), seL4_InvalidCapability);
}

/* VSPACE0009 (as FRAMEEXPORTS0001): 2 MiB and 1 GiB frames map at their own levels. */
static void vspace0009(void) {
  seL4_CPtr mega = kobj(seL4_RISCV_Mega_Page, 0);
  CHECK(mega != 0);
  seL4_Word v = AREA + 32 * MiB;
  CHECK_ERR(map(mega, VSPACE, v + 0x1000, seL4_ReadWrite), seL4_AlignmentError);
  CHECK_OK(map(mega, VSPACE, v, seL4_ReadWrite));
  volatile char *b = (volatile char *)v;
  CHECK(b[0] == 0 && b[2 * MiB - 1] == 0);
  b[2 * MiB - 1] = 9;
  CHECK(b[2 * MiB - 1] == 9);
  /* A 4 KiB page inside the 2 MiB mapping: the walk stops at level 21. */
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0);
  CHECK_ERR(map(f, VSPACE, v + 0x3000, seL4_ReadWrite), seL4_FailedLookup);
  CHECK(seL4_MappingFailedLookupLevel() == 21);
  CHECK_OK(seL4_RISCV_Page_Unmap(mega));
  /* A 1 GiB device frame, mapped straight into the root table (not touched). */
  seL4_CPtr dev = 0;
  for (seL4_CPtr s = bi->untyped.start; s < bi->untyped.end; s++) {
    seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
    if (d->isDevice && d->sizeBits >= 30) {
      dev = s;
      break;
    }
  }
  CHECK(dev != 0);
  seL4_CPtr giga = kslot();
  CHECK_OK(seL4_Untyped_Retype(dev, seL4_RISCV_Giga_Page, 0, ROOT, 0, 0, giga, 1));
  CHECK_ERR(map(giga, VSPACE, 0, seL4_ReadWrite), seL4_FailedLookup); /* a table is there */
  CHECK(seL4_MappingFailedLookupLevel() == 12);
  CHECK_OK(map(giga, VSPACE, 0x40000000ul * 9, seL4_ReadWrite));
  CHECK_OK(seL4_CNode_Delete(ROOT, giga, DEPTH));
  CHECK_OK(seL4_CNode_Revoke(ROOT, dev, DEPTH));
}

/* VSPACE0010: kernel-only mappings (no Read in the mask) are accepted and recorded. */
static void vspace0010(void) {
  seL4_CPtr pt = kobj(seL4_RISCV_PageTableObject, 0);
  seL4_CPtr f = kobj(seL4_RISCV_4K_Page, 0), g = kobj(seL4_RISCV_4K_Page, 0);
  seL4_Word v = AREA + 14 * MiB;
  CHECK_OK(map_pt(pt, VSPACE, v));
  CHECK_OK(seL4_RISCV_Page_Map(f, VSPACE, v, seL4_CanWrite, seL4_RISCV_ExecuteNever));
  /* No entry was written (kernel-only, not executable): the slot is free for another frame. */
  CHECK_OK(map(g, VSPACE, v, seL4_ReadWrite));
  /* f still counts as mapped there. */
  CHECK_ERR(map(f, VSPACE, v + 0x1000, seL4_ReadWrite), seL4_InvalidArgument);
  *(volatile seL4_Word *)v = 3;
  CHECK_OK(seL4_RISCV_Page_Unmap(f)); /* the entry maps g: left alone */
  CHECK(*(volatile seL4_Word *)v == 3);
}

int main(void) {
  bi = platsupport_get_bootinfo();
  static const struct ktest tests[] = {
      {"VSPACE0001", vspace0001}, {"VSPACE0002", vspace0002}, {"VSPACE0003", vspace0003},
      {"VSPACE0004", vspace0004}, {"VSPACE0005", vspace0005}, {"VSPACE0006", vspace0006},
      {"VSPACE0007", vspace0007}, {"VSPACE0008", vspace0008}, {"VSPACE0009", vspace0009},
      {"VSPACE0010", vspace0010},
  };
  ktest_run("vspace", tests, sizeof tests / sizeof tests[0]);
  return 0;
}
