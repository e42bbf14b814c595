// Frame, PageTable, ASIDControl and ASIDPool invocations against a booted
// root task: page-table entries in guest memory, errors in seL4's order
// (sel4-riscv64-abi §9; seL4 src/arch/riscv/kernel/vspace.c).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  bootRoot,
  err,
  L,
  ok,
  ROOT_CNODE,
  type RootFixture,
  T,
} from "../../../../tests/support/root-task-fixture.js";
import { cteDelete } from "../../cdt.js";
import type { CapOf } from "../../object/cap.js";
import { ASID_POOL_SIZE } from "./asid.js";
import {
  findVSpaceForASID,
  lookupPTSlot,
  PTE_A,
  PTE_D,
  PTE_R,
  PTE_U,
  PTE_V,
  PTE_W,
  PTE_X,
} from "./vspace.js";

const D = 64n;
const ROOT_VSPACE = 3n;
const ASID_CONTROL = 5;
const ROOT_POOL = 6;
const RW = 0x3n;

let f: RootFixture;
let free: number;

beforeEach(() => {
  f = bootRoot();
  free = f.firstFree;
});

// Every test leaves a well-formed derivation tree.
afterEach(() => {
  expect(f.treeViolation()).toBeUndefined();
});

const mapPage = (frame: number, vspace: bigint, vaddr: bigint, rights = RW, attr = 0n) =>
  f.invoke(frame, L.RISCVPageMap, [vaddr, rights, attr], [vspace]);
const mapPT = (pt: number, vspace: bigint, vaddr: bigint) =>
  f.invoke(pt, L.RISCVPageTableMap, [vaddr, 0n], [vspace]);
const pteAt = (vspace: bigint, vaddr: bigint) => {
  const root = (f.cap(vspace) as CapOf<"PageTableCap">).paddr;
  const lu = lookupPTSlot(f.kernel.mem, root, vaddr);
  return { pte: f.kernel.mem.read64(lu.slot), bitsLeft: lu.bitsLeft };
};
const frameAt = (slot: number) => f.cap(slot) as CapOf<"FrameCap">;
const ptAt = (slot: number) => f.cap(slot) as CapOf<"PageTableCap">;

/** A new address space: pool + root table assigned; returns the root table's slot. */
function newVSpace(at: number): number {
  expect(f.retype(f.ramUntyped, T.seL4_UntypedObject, 12, at)).toEqual(ok);
  expect(
    f.invoke(
      ASID_CONTROL,
      L.RISCVASIDControlMakePool,
      [BigInt(at + 1), D],
      [BigInt(at), ROOT_CNODE],
    ),
  ).toEqual(ok);
  expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, at + 2)).toEqual(ok);
  expect(f.invoke(at + 1, L.RISCVASIDPoolAssign, [], [BigInt(at + 2)])).toEqual(ok);
  return at + 2;
}

describe("frames", () => {
  it("GetAddress answers with the physical address", () => {
    expect(f.invoke(10, L.RISCVPageGetAddress, [])).toEqual({
      type: "reply",
      label: 0n,
      mrs: [frameAt(10).paddr],
    });
  });

  it("maps into the root task's address space with the PTE seL4 writes", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_4K_Page, 0, free, 4)).toEqual(ok);
    const v = 0x10_0000n; // inside the 2 MiB the boot tables cover
    expect(mapPage(free, ROOT_VSPACE, v)).toEqual(ok);
    const base = PTE_V | PTE_U | PTE_A | PTE_D;
    const ppn = (frameAt(free).paddr >> 12n) << 10n;
    expect(pteAt(ROOT_VSPACE, v)).toEqual({
      pte: ppn | base | PTE_R | PTE_W | PTE_X,
      bitsLeft: 12,
    });
    expect(frameAt(free).mapping).toEqual({ asid: 1, vaddr: v });
    // Read-only, not executable.
    expect(mapPage(free + 1, ROOT_VSPACE, v + 0x1000n, 0x2n, 1n)).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v + 0x1000n).pte & 0xffn).toBe(base | PTE_R);
    // No Read in the mask: kernel-only; not executable -> no entry at all.
    expect(mapPage(free + 2, ROOT_VSPACE, v + 0x2000n, 0x1n, 1n)).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v + 0x2000n).pte).toBe(0n);
    // Kernel-only but executable: an execute-only entry.
    expect(mapPage(free + 3, ROOT_VSPACE, v + 0x3000n, 0x0n, 0n)).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v + 0x3000n).pte & 0xffn).toBe(base | PTE_X);
  });

  it("re-maps in place to change rights; one mapping per cap otherwise", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_4K_Page, 0, free)).toEqual(ok);
    const v = 0x10_0000n;
    expect(mapPage(free, ROOT_VSPACE, v)).toEqual(ok);
    expect(mapPage(free, ROOT_VSPACE, v, 0x2n)).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v).pte & PTE_W).toBe(0n);
    expect(mapPage(free, ROOT_VSPACE, v + 0x1000n)).toEqual(
      err("InvalidArgument", { argumentNumber: 0 }),
    );
    const other = newVSpace(free + 1);
    // Mapped into another address space: InvalidCapability(1) once the walk reaches a 4 KiB slot.
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free + 4, 2)).toEqual(ok);
    expect(mapPT(free + 4, BigInt(other), v)).toEqual(ok);
    expect(mapPT(free + 5, BigInt(other), v)).toEqual(ok);
    expect(mapPage(free, BigInt(other), v)).toEqual(err("InvalidCapability", { capNumber: 1 }));
  });

  it("checks Page_Map in order", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_4K_Page, 0, free)).toEqual(ok);
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free + 1)).toEqual(ok);
    expect(f.invoke(free, L.RISCVPageMap, [0x10_0000n, RW], [ROOT_VSPACE])).toEqual(
      err("TruncatedMessage"),
    );
    expect(f.invoke(free, L.RISCVPageMap, [0x10_0000n, RW, 0n])).toEqual(err("TruncatedMessage"));
    expect(mapPage(free, ROOT_CNODE, 0x10_0000n)).toEqual(
      err("InvalidCapability", { capNumber: 1 }),
    );
    expect(mapPage(free, BigInt(free + 1), 0x10_0000n)).toEqual(
      err("InvalidCapability", { capNumber: 1 }),
    );
    // A mapped table that is not the ASID's root (a boot paging cap).
    expect(mapPage(free, 16n, 0x10_0000n)).toEqual(err("InvalidCapability", { capNumber: 1 }));
    expect(mapPage(free, ROOT_VSPACE, 0x3f_ffff_f000n)).toEqual(
      err("InvalidArgument", { argumentNumber: 0 }),
    );
    expect(mapPage(free, ROOT_VSPACE, 0x10_0800n)).toEqual(err("AlignmentError"));
    // Wrapping in 64 bits: an unaligned address near the top is an alignment error.
    expect(mapPage(free, ROOT_VSPACE, (1n << 64n) - 1n)).toEqual(err("AlignmentError"));
    // No level-1 table for this GiB.
    expect(mapPage(free, ROOT_VSPACE, 0x4000_0000n)).toEqual(
      err("FailedLookup", { isSource: false, lookup: { type: "MissingCapability", bitsLeft: 30 } }),
    );
    // No last-level table for this 2 MiB.
    expect(mapPage(free, ROOT_VSPACE, 0x20_0000n * 100n)).toEqual(
      err("FailedLookup", { isSource: false, lookup: { type: "MissingCapability", bitsLeft: 21 } }),
    );
    // Occupied: the root task's own image.
    const entry = 0x1_0000n;
    expect(mapPage(free, ROOT_VSPACE, entry)).toEqual(err("DeleteFirst"));
    // A stale ASID (its pool deleted): FailedLookup(InvalidRoot).
    const vs = newVSpace(free + 2);
    cteDelete(f.kernel, f.slot(free + 3), true); // the pool cap
    expect(mapPage(free, BigInt(vs), 0n)).toEqual(
      err("FailedLookup", { isSource: false, lookup: { type: "InvalidRoot" } }),
    );
  });

  it("unmap clears the entry; unmapping or deleting a stale cap is harmless", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_4K_Page, 0, free, 2)).toEqual(ok);
    const v = 0x10_0000n;
    expect(mapPage(free, ROOT_VSPACE, v)).toEqual(ok);
    expect(f.invoke(free, L.RISCVPageUnmap, [])).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v).pte).toBe(0n);
    expect(frameAt(free).mapping).toBeUndefined();
    expect(f.invoke(free, L.RISCVPageUnmap, [])).toEqual(ok);
    // Another frame at the same place is not touched by a stale record.
    expect(mapPage(free + 1, ROOT_VSPACE, v)).toEqual(ok);
    f.slot(free).cap = { ...frameAt(free), mapping: { asid: 1, vaddr: v } };
    expect(f.invoke(free, L.RISCVPageUnmap, [])).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v).pte).not.toBe(0n);
    // Deleting a mapped frame cap unmaps it.
    cteDelete(f.kernel, f.slot(free + 1), true);
    expect(pteAt(ROOT_VSPACE, v).pte).toBe(0n);
  });

  it("unknown labels are illegal", () => {
    expect(f.invoke(10, L.RISCVPageTableMap, [0n, 0n], [ROOT_VSPACE])).toEqual(
      err("IllegalOperation"),
    );
  });
});

describe("page tables", () => {
  it("map at the first missing level, recording the region's base", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free, 2)).toEqual(ok);
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_4K_Page, 0, free + 2)).toEqual(ok);
    const v = 0x4060_1000n;
    expect(mapPT(free, ROOT_VSPACE, v)).toEqual(ok);
    expect(ptAt(free).mapping).toEqual({ asid: 1, vaddr: 0x4000_0000n });
    expect(mapPT(free + 1, ROOT_VSPACE, v)).toEqual(ok);
    expect(ptAt(free + 1).mapping).toEqual({ asid: 1, vaddr: 0x4060_0000n });
    expect(mapPage(free + 2, ROOT_VSPACE, v)).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v).bitsLeft).toBe(12);
  });

  it("checks PageTable_Map in order", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free, 2)).toEqual(ok);
    expect(f.invoke(free, L.RISCVPageTableMap, [0n], [ROOT_VSPACE])).toEqual(
      err("TruncatedMessage"),
    );
    expect(f.invoke(free, L.RISCVPageTableMap, [0n, 0n])).toEqual(err("TruncatedMessage"));
    expect(mapPT(16, ROOT_VSPACE, 0x4000_0000n)).toEqual(
      err("InvalidCapability", { capNumber: 0 }),
    );
    expect(mapPT(free, BigInt(free + 1), 0x4000_0000n)).toEqual(
      err("InvalidCapability", { capNumber: 1 }),
    );
    expect(mapPT(free, ROOT_VSPACE, 0x3f_ffff_f000n)).toEqual(
      err("InvalidArgument", { argumentNumber: 0 }),
    );
    expect(mapPT(free, 16n, 0x4000_0000n)).toEqual(err("InvalidCapability", { capNumber: 1 }));
    // Every level present: nothing left to map a table into.
    expect(mapPT(free, ROOT_VSPACE, 0x1_0000n)).toEqual(err("DeleteFirst"));
  });

  it("unmap refuses copies and roots, and clears the table", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free)).toEqual(ok);
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_4K_Page, 0, free + 1)).toEqual(ok);
    const v = 0x4000_0000n;
    expect(mapPT(free, ROOT_VSPACE, v)).toEqual(ok);
    expect(f.invoke(free, L.RISCVPageTableUnmap, [])).toEqual(ok); // a level-1 table, empty
    expect(ptAt(free).mapping).toBeUndefined();
    expect(pteAt(ROOT_VSPACE, v)).toEqual({ pte: 0n, bitsLeft: 30 });
    // The root's own table cannot be unmapped; neither can a table with copies.
    expect(f.invoke(Number(ROOT_VSPACE), L.RISCVPageTableUnmap, [])).toEqual(err("RevokeFirst"));
    expect(mapPT(free, ROOT_VSPACE, v)).toEqual(ok);
    const copy = f.invoke(
      ROOT_CNODE,
      L.CNodeCopy,
      [BigInt(free + 2), D, BigInt(free), D, 0xfn],
      [ROOT_CNODE],
    );
    expect(copy).toEqual(ok);
    expect(f.invoke(free, L.RISCVPageTableUnmap, [])).toEqual(err("RevokeFirst"));
    cteDelete(f.kernel, f.slot(free + 2), true);
    // Unmapping a table with a page-table entry inside zeroes it.
    const pt = ptAt(free).paddr;
    f.kernel.mem.write64(pt + 8n, 0x1234n);
    expect(f.invoke(free, L.RISCVPageTableUnmap, [])).toEqual(ok);
    expect(f.kernel.mem.read64(pt + 8n)).toBe(0n);
  });

  it("deleting the last cap to a mapped table unlinks it", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free)).toEqual(ok);
    const v = 0x4000_0000n;
    expect(mapPT(free, ROOT_VSPACE, v)).toEqual(ok);
    expect(pteAt(ROOT_VSPACE, v).bitsLeft).toBe(21);
    cteDelete(f.kernel, f.slot(free), true);
    expect(pteAt(ROOT_VSPACE, v)).toEqual({ pte: 0n, bitsLeft: 30 });
  });
});

describe("ASID pools", () => {
  it("MakePool takes the lowest free pool, a 4 KiB untyped and marks it full", () => {
    expect(f.retype(f.ramUntyped, T.seL4_UntypedObject, 12, free)).toEqual(ok);
    expect(
      f.invoke(
        ASID_CONTROL,
        L.RISCVASIDControlMakePool,
        [BigInt(free + 1), D],
        [BigInt(free), ROOT_CNODE],
      ),
    ).toEqual(ok);
    const pool = f.cap(free + 1) as CapOf<"ASIDPoolCap">;
    expect(pool.asidBase).toBe(512);
    expect(f.kernel.ks.asidTable[1]).toBe(pool.pool);
    expect((f.cap(free) as CapOf<"UntypedCap">).obj.freeIndex).toBe(4096n);
    expect(f.slot(free).mdbNext).toBe(f.slot(free + 1));
    // The untyped now has a child.
    expect(
      f.invoke(
        ASID_CONTROL,
        L.RISCVASIDControlMakePool,
        [BigInt(free + 2), D],
        [BigInt(free), ROOT_CNODE],
      ),
    ).toEqual(err("RevokeFirst"));
  });

  it("checks MakePool in order", () => {
    const make = (ut: bigint, dest: bigint, label: number = L.RISCVASIDControlMakePool) =>
      f.invoke(ASID_CONTROL, label, [dest, D], [ut, ROOT_CNODE]);
    expect(f.retype(f.ramUntyped, T.seL4_UntypedObject, 12, free)).toEqual(ok);
    expect(f.retype(f.ramUntyped, T.seL4_UntypedObject, 13, free + 1)).toEqual(ok);
    expect(make(BigInt(free), BigInt(free + 2), L.RISCVASIDPoolAssign)).toEqual(
      err("IllegalOperation"),
    );
    expect(f.invoke(ASID_CONTROL, L.RISCVASIDControlMakePool, [0n, D], [BigInt(free)])).toEqual(
      err("TruncatedMessage"),
    );
    expect(make(BigInt(free + 1), BigInt(free + 2))).toEqual(
      err("InvalidCapability", { capNumber: 1 }),
    );
    expect(make(ROOT_CNODE, BigInt(free + 2))).toEqual(err("InvalidCapability", { capNumber: 1 }));
    expect(make(BigInt(free), BigInt(free + 1))).toEqual(err("DeleteFirst"));
    expect(
      f.invoke(ASID_CONTROL, L.RISCVASIDControlMakePool, [0n, 0n], [BigInt(free), ROOT_CNODE]),
    ).toEqual(err("RangeError", { min: 1n, max: 64n }));
    // All pools in use.
    const table = f.kernel.ks.asidTable;
    const pool0 = table[0]!;
    for (let i = 0; i < table.length; i++) table[i] ??= pool0;
    expect(make(ROOT_CNODE, BigInt(free + 2))).toEqual(err("DeleteFirst"));
  });

  it("Assign gives the lowest free ASID, never 0, and checks in order", () => {
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free, 3)).toEqual(ok);
    expect(f.invoke(ROOT_POOL, L.RISCVASIDPoolAssign, [], [BigInt(free)])).toEqual(ok);
    expect(ptAt(free).mapping).toEqual({ asid: 2, vaddr: 0n }); // 0 never, 1 is the root task's
    expect(findVSpaceForASID(f.kernel.ks, 2)).toEqual({ ok: true, paddr: ptAt(free).paddr });
    expect(f.invoke(ROOT_POOL, L.RISCVASIDControlMakePool, [], [BigInt(free + 1)])).toEqual(
      err("IllegalOperation"),
    );
    expect(f.invoke(ROOT_POOL, L.RISCVASIDPoolAssign, [])).toEqual(err("TruncatedMessage"));
    expect(f.invoke(ROOT_POOL, L.RISCVASIDPoolAssign, [], [BigInt(free)])).toEqual(
      err("InvalidCapability", { capNumber: 1 }),
    );
    expect(f.invoke(ROOT_POOL, L.RISCVASIDPoolAssign, [], [ROOT_CNODE])).toEqual(
      err("InvalidCapability", { capNumber: 1 }),
    );
    const pool = (f.cap(ROOT_POOL) as CapOf<"ASIDPoolCap">).pool;
    for (let i = 0; i < ASID_POOL_SIZE; i++) pool.entries[i] ??= 0x1000n;
    expect(f.invoke(ROOT_POOL, L.RISCVASIDPoolAssign, [], [BigInt(free + 1)])).toEqual(
      err("DeleteFirst"),
    );
  });

  it("a stale or foreign pool cap is refused", () => {
    const vs = newVSpace(free);
    expect(vs).toBe(free + 2);
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free + 3)).toEqual(ok);
    const poolCap = f.cap(free + 1) as CapOf<"ASIDPoolCap">;
    // A cap naming the pool's ASID range but another pool object.
    f.slot(free + 4).cap = { ...poolCap, pool: (f.cap(ROOT_POOL) as CapOf<"ASIDPoolCap">).pool };
    expect(f.invoke(free + 4, L.RISCVASIDPoolAssign, [], [BigInt(free + 3)])).toEqual(
      err("InvalidCapability", { capNumber: 0 }),
    );
    f.slot(free + 4).cap = { type: "NullCap" };
    cteDelete(f.kernel, f.slot(free + 1), true);
    expect(f.kernel.ks.asidTable[1]).toBeUndefined();
    f.slot(free + 4).cap = poolCap;
    expect(f.invoke(free + 4, L.RISCVASIDPoolAssign, [], [BigInt(free + 3)])).toEqual(
      err("FailedLookup", { isSource: false, lookup: { type: "InvalidRoot" } }),
    );
    f.slot(free + 4).cap = { type: "NullCap" };
  });

  it("deleting the last cap to a VSpace root frees its ASID", () => {
    const vs = newVSpace(free);
    const asid = ptAt(vs).mapping!.asid;
    expect(findVSpaceForASID(f.kernel.ks, asid).ok).toBe(true);
    cteDelete(f.kernel, f.slot(vs), true);
    expect(findVSpaceForASID(f.kernel.ks, asid).ok).toBe(false);
  });
});

// Kernel exit works satp out once per thread and VSpace (TCB.satpLo/satpHi);
// a change of the thread's VTable cap or of the ASID table must show.
describe("satp at kernel exit", () => {
  const CSR_SATP = 0x180;
  const satp = () => BigInt.asUintN(64, f.system.machine.hart.core.readCsr(CSR_SATP));
  const satpOf = (root: bigint, asid: number) =>
    (8n << 60n) | (BigInt(asid) << 44n) | (root >> 12n);

  it("follows the root thread's VSpace, then the empty one once its ASID pool is deleted", () => {
    f.kernel.exit();
    const root = ptAt(Number(ROOT_VSPACE));
    expect(satp()).toBe(satpOf(root.paddr, root.mapping!.asid));
    cteDelete(f.kernel, f.slot(ROOT_POOL), true);
    f.kernel.exit();
    expect(satp()).toBe(satpOf(f.kernel.emptyVSpace, 0));
  });

  it("follows a new cap in the thread's VTable slot", () => {
    f.kernel.exit();
    const vs = newVSpace(free);
    // Only the cap object matters here; the slot gets its own cap back after.
    const vtable = f.root.cnode[1]!;
    const own = vtable.cap;
    vtable.cap = f.cap(vs);
    f.kernel.exit();
    const pt = ptAt(vs);
    expect(pt.mapping!.asid).not.toBe(ptAt(Number(ROOT_VSPACE)).mapping!.asid);
    expect(satp()).toBe(satpOf(pt.paddr, pt.mapping!.asid));
    vtable.cap = own;
    f.kernel.exit();
    const root = ptAt(Number(ROOT_VSPACE));
    expect(satp()).toBe(satpOf(root.paddr, root.mapping!.asid));
  });
});
