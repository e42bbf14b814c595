// Frame, PageTable, ASIDControl and ASIDPool invocations (seL4/seL4:
// src/arch/riscv/kernel/vspace.c decodeRISCVMMUInvocation; l4v
// spec/haskell/src/SEL4/Object/ObjectType/RISCV64.hs, Kernel/VSpace/RISCV64.hs).
// Checks in seL4's order (sel4-riscv64-abi §9, sel4-semantics §9.2), then
// the change to the page tables and the caps.

import { InvocationLabel, seL4_ASIDPoolBits } from "../../api/generated/abi.js";
import { cteInsert, ensureEmptySlot, ensureNoChildren, isFinalCapability } from "../../cdt.js";
import { type CapOf, frameCapWith, pageTableCapWith } from "../../object/cap.js";
import { lookupTargetSlot } from "../../object/cnode-invocation.js";
import type { CTE } from "../../object/cte.js";
import { done, fail, type Invocation, type InvocationResult } from "../../object/invocation.js";
import { createASIDPool, maskVMRights, rightsFromWord } from "../../object/objecttype.js";
import { ASID_POOL_SIZE, seL4_ASIDPoolIndexBits, seL4_NumASIDPoolsBits } from "./asid.js";
import {
  findVSpaceForASID,
  isPTEPageTable,
  lookupPTSlot,
  makeUserPTE,
  pteValid,
  seL4_PageBits,
  seL4_PageTableBits,
  seL4_UserTop,
  sfence,
  tablePte,
  unmapPage,
  unmapPageTable,
} from "./vspace.js";

/** 2^sizeBits by frame size (PERF, sel4test: made once, not per Page_Map). */
const FRAME_SIZE: readonly bigint[] = Array.from({ length: 31 }, (_, i) => 1n << BigInt(i));

/** seL4_RISCV_VMAttributes bit 0. */
const seL4_RISCV_ExecuteNever = 1n;

const illegal: InvocationResult = { type: "error", error: { type: "IllegalOperation" } };
// Literal values: fail() is not yet defined while the module graph loads.
const truncated: InvocationResult = { type: "error", error: { type: "TruncatedMessage" } };
const invalidRoot: InvocationResult = {
  type: "error",
  error: { type: "FailedLookup", isSource: false, lookup: { type: "InvalidRoot" } },
};

export function decodeRISCVMMUInvocation(inv: Invocation): InvocationResult {
  switch (inv.cap.type) {
    case "PageTableCap":
      return decodeRISCVPageTableInvocation(inv, inv.cap);
    case "FrameCap":
      return decodeRISCVFrameInvocation(inv, inv.cap);
    case "ASIDControlCap":
      return decodeASIDControlInvocation(inv);
    case "ASIDPoolCap":
      return decodeASIDPoolInvocation(inv, inv.cap);
    default:
      throw new Error(`decodeRISCVMMUInvocation: ${inv.cap.type} is not an arch cap`);
  }
}

// ---- page tables

function decodeRISCVPageTableInvocation(
  inv: Invocation,
  cap: CapOf<"PageTableCap">,
): InvocationResult {
  const ks = inv.kernel.ks;
  if (inv.label === InvocationLabel.RISCVPageTableUnmap) {
    if (!isFinalCapability(inv.slot)) return fail({ type: "RevokeFirst" });
    if (cap.mapping) {
      const root = findVSpaceForASID(ks, cap.mapping.asid);
      if (root.ok && root.paddr === cap.paddr) return fail({ type: "RevokeFirst" });
    }
    performPageTableInvocationUnmap(inv, cap, inv.slot);
    return done;
  }
  if (inv.label !== InvocationLabel.RISCVPageTableMap) return illegal;
  if (inv.info.length < 2 || inv.extraCaps.length < 1) return truncated;
  if (cap.mapping) return fail({ type: "InvalidCapability", capNumber: 0 });
  const vaddr = inv.mrs[0]!;
  const lvl1ptCap = inv.extraCaps[0]!.cap;
  if (lvl1ptCap.type !== "PageTableCap" || !lvl1ptCap.mapping) {
    return fail({ type: "InvalidCapability", capNumber: 1 });
  }
  const asid = lvl1ptCap.mapping.asid;
  if (vaddr >= seL4_UserTop) return fail({ type: "InvalidArgument", argumentNumber: 0 });
  const root = findVSpaceForASID(ks, asid);
  if (!root.ok) return invalidRoot;
  if (root.paddr !== lvl1ptCap.paddr) return fail({ type: "InvalidCapability", capNumber: 1 });
  const mem = inv.kernel.mem;
  const lu = lookupPTSlot(mem, root.paddr, vaddr);
  if (lu.bitsLeft === seL4_PageBits || pteValid(mem.read64(lu.slot))) {
    return fail({ type: "DeleteFirst" });
  }
  // The table covers the region of the entry it goes in.
  const mappedVaddr = vaddr & ~((1n << BigInt(lu.bitsLeft)) - 1n);
  inv.slot.cap = pageTableCapWith(cap, { asid, vaddr: mappedVaddr });
  // The entry was invalid, and mica's TLB never holds a failed walk: no
  // flush (seL4 issues sfence.vma here; the guest cannot tell the difference).
  mem.write64(lu.slot, tablePte(cap.paddr));
  return done;
}

/** Unlinks the table and clears it: mappings inside it vanish (seL4's performPageTableInvocationUnmap). */
function performPageTableInvocationUnmap(inv: Invocation, cap: CapOf<"PageTableCap">, slot: CTE) {
  if (cap.mapping) {
    unmapPageTable(inv.kernel, cap.mapping.asid, cap.mapping.vaddr, cap.paddr);
    inv.kernel.mem.zero(cap.paddr, 1n << BigInt(seL4_PageTableBits));
    sfence(inv.kernel);
  }
  slot.cap = pageTableCapWith(cap, undefined);
}

// ---- frames

function decodeRISCVFrameInvocation(inv: Invocation, cap: CapOf<"FrameCap">): InvocationResult {
  switch (inv.label) {
    case InvocationLabel.RISCVPageMap:
      return decodePageMap(inv, cap);
    case InvocationLabel.RISCVPageUnmap:
      if (cap.mapping) {
        const m = cap.mapping;
        unmapPage(inv.kernel, cap.sizeBits, m.asid, m.vaddr, cap.paddr);
      }
      inv.slot.cap = frameCapWith(cap, cap.rights, undefined);
      return done;
    case InvocationLabel.RISCVPageGetAddress:
      return { type: "reply", label: 0n, mrs: [cap.paddr] };
    default:
      return illegal;
  }
}

/** Page_Map: MR0 vaddr, MR1 rights mask, MR2 attributes; cap0 = the address space's root. */
function decodePageMap(inv: Invocation, cap: CapOf<"FrameCap">): InvocationResult {
  if (inv.info.length < 3 || inv.extraCaps.length < 1) return truncated;
  const [vaddr, rightsMask, attr] = inv.mrs as [bigint, bigint, bigint];
  const lvl1ptCap = inv.extraCaps[0]!.cap;
  if (lvl1ptCap.type !== "PageTableCap" || !lvl1ptCap.mapping) {
    return fail({ type: "InvalidCapability", capNumber: 1 });
  }
  const asid = lvl1ptCap.mapping.asid;
  const root = findVSpaceForASID(inv.kernel.ks, asid);
  if (!root.ok) return invalidRoot;
  if (root.paddr !== lvl1ptCap.paddr) return fail({ type: "InvalidCapability", capNumber: 1 });
  const size = FRAME_SIZE[cap.sizeBits]!;
  // seL4 computes the last address in a 64-bit word, wrapping.
  const vtop = BigInt.asUintN(64, vaddr + size - 1n);
  if (vtop >= seL4_UserTop) return fail({ type: "InvalidArgument", argumentNumber: 0 });
  if ((vaddr & (size - 1n)) !== 0n) return fail({ type: "AlignmentError" });
  const mem = inv.kernel.mem;
  const lu = lookupPTSlot(mem, root.paddr, vaddr);
  if (lu.bitsLeft !== cap.sizeBits) {
    return fail({
      type: "FailedLookup",
      isSource: false,
      lookup: { type: "MissingCapability", bitsLeft: lu.bitsLeft },
    });
  }
  const pte = mem.read64(lu.slot);
  if (cap.mapping) {
    // Only a re-map in place (e.g. to change rights) is allowed.
    if (cap.mapping.asid !== asid) return fail({ type: "InvalidCapability", capNumber: 1 });
    if (cap.mapping.vaddr !== vaddr) return fail({ type: "InvalidArgument", argumentNumber: 0 });
    if (isPTEPageTable(pte)) return fail({ type: "DeleteFirst" });
  } else if (pteValid(pte)) {
    return fail({ type: "DeleteFirst" });
  }

  const rights = maskVMRights(cap.rights, rightsFromWord(rightsMask));
  const executable = (attr & seL4_RISCV_ExecuteNever) === 0n;
  inv.slot.cap = frameCapWith(cap, cap.rights, { asid, vaddr });
  mem.write64(lu.slot, makeUserPTE(cap.paddr, executable, rights));
  // Only a re-map replaces a valid entry the TLB may hold: mica's TLB never
  // holds a failed walk (seL4 issues sfence.vma for both; the guest cannot
  // tell the difference). PERF: sel4test maps ~600k pages.
  if (pteValid(pte)) sfence(inv.kernel);
  return done;
}

// ---- ASIDs

/** ASIDControl_MakePool: MR0 index, MR1 depth; cap0 a 4 KiB untyped, cap1 the destination root. */
function decodeASIDControlInvocation(inv: Invocation): InvocationResult {
  if (inv.label !== InvocationLabel.RISCVASIDControlMakePool) return illegal;
  if (inv.info.length < 2 || inv.extraCaps.length < 2) return truncated;
  const [index, depth] = inv.mrs as [bigint, bigint];
  const parentSlot = inv.extraCaps[0]!.slot;
  const untyped = inv.extraCaps[0]!.cap;
  const root = inv.extraCaps[1]!.cap;
  const asidTable = inv.kernel.ks.asidTable;
  const i = asidTable.indexOf(undefined);
  if (i < 0 || i >= 1 << seL4_NumASIDPoolsBits) return fail({ type: "DeleteFirst" });
  if (untyped.type !== "UntypedCap" || untyped.sizeBits !== seL4_ASIDPoolBits || untyped.isDevice) {
    return fail({ type: "InvalidCapability", capNumber: 1 });
  }
  const e = ensureNoChildren(parentSlot);
  if (e) return fail(e);
  const dest = lookupTargetSlot(root, index, depth);
  if (!dest.ok) return fail(dest.error);
  const full = ensureEmptySlot(dest.slot);
  if (full) return fail(full);

  // The pool takes the whole untyped, which can then never allocate again.
  untyped.obj.freeIndex = 1n << BigInt(untyped.sizeBits);
  inv.kernel.mem.zero(untyped.paddr, 1n << BigInt(seL4_PageBits));
  const asidBase = i << seL4_ASIDPoolIndexBits;
  const poolCap = createASIDPool(untyped.paddr, asidBase);
  cteInsert(poolCap, parentSlot, dest.slot);
  asidTable[i] = poolCap.pool;
  inv.kernel.ks.asidVersion++;
  return done;
}

/** ASIDPool_Assign: cap0 an unmapped page table, which becomes a VSpace root with the lowest free ASID. */
function decodeASIDPoolInvocation(inv: Invocation, cap: CapOf<"ASIDPoolCap">): InvocationResult {
  if (inv.label !== InvocationLabel.RISCVASIDPoolAssign) return illegal;
  if (inv.extraCaps.length < 1) return truncated;
  const vspaceCapSlot = inv.extraCaps[0]!.slot;
  const vspaceCap = inv.extraCaps[0]!.cap;
  if (vspaceCap.type !== "PageTableCap" || vspaceCap.mapping) {
    return fail({ type: "InvalidCapability", capNumber: 1 });
  }
  const pool = inv.kernel.ks.asidTable[cap.asidBase >> seL4_ASIDPoolIndexBits];
  if (!pool) return invalidRoot;
  if (pool !== cap.pool) return fail({ type: "InvalidCapability", capNumber: 0 });
  let i = 0;
  while (i < ASID_POOL_SIZE && (cap.asidBase + i === 0 || pool.entries[i] !== undefined)) i++;
  if (i === ASID_POOL_SIZE) return fail({ type: "DeleteFirst" });
  const asid = cap.asidBase + i;

  // seL4 copies the kernel's global mappings into the new root here; mica's
  // kernel lives outside the guest's address spaces, so there are none.
  vspaceCapSlot.cap = pageTableCapWith(vspaceCap, { asid, vaddr: 0n });
  pool.entries[i] = vspaceCap.paddr;
  inv.kernel.ks.asidVersion++;
  return done;
}
