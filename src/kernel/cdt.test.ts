// The capability derivation tree: links and flags as seL4 keeps them, the
// parent relation with badges, deletion with finalisation (CNodes and TCBs
// through zombies, including the cyclic zombies seL4 leaves behind), and
// revocation (sel4-semantics §2.3, §2.6; seL4 src/object/cnode.c).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  bootRoot,
  err,
  L,
  ok,
  ROOT_CNODE,
  type RootFixture,
  T,
} from "../../tests/support/root-task-fixture.js";
import {
  cteDelete,
  cteDeleteOne,
  cteInsert,
  cteMove,
  cteRevoke,
  cteSwap,
  isFinalCapability,
  isMDBParentOf,
  isZombie,
  slotCapLongRunningDelete,
} from "./cdt.js";
import type { Cap, CapOf } from "./object/cap.js";
import { CTE } from "./object/cte.js";
import { tcbBuffer, tcbCTable, tcbReply, tcbVTable } from "./object/tcb.js";

const D = 64n;
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

const copy = (dest: number, src: number) =>
  f.invoke(ROOT_CNODE, L.CNodeCopy, [BigInt(dest), D, BigInt(src), D, 0xfn], [ROOT_CNODE]);
const mint = (dest: number, src: number, badge: bigint) =>
  f.invoke(ROOT_CNODE, L.CNodeMint, [BigInt(dest), D, BigInt(src), D, 0xfn, badge], [ROOT_CNODE]);

/** The slots after `s` in list order, as (owner, index) names, up to n of them. */
function listAfter(s: CTE, n: number): string[] {
  const out: string[] = [];
  for (let p = s.mdbNext; p && out.length < n; p = p.mdbNext) out.push(`${p.owner}[${p.index}]`);
  return out;
}

describe("the tree at boot", () => {
  it("initial caps are standalone revocable roots", () => {
    for (const i of [1, 3, 4, 5, 6, 9, 11, f.ramUntyped]) {
      const s = f.slot(i);
      expect(s.mdbRevocable, `slot ${i}`).toBe(true);
      expect(s.mdbFirstBadged, `slot ${i}`).toBe(true);
      expect(s.mdbPrev, `slot ${i}`).toBeUndefined();
    }
  });

  it("the root thread's CSpace, VSpace and buffer caps are children of the root CNode's", () => {
    const t = f.root.cnode;
    expect(t[tcbCTable]!.mdbPrev).toBe(f.slot(2));
    expect(t[tcbVTable]!.mdbPrev).toBe(f.slot(3));
    expect(t[tcbBuffer]!.mdbPrev).toBe(f.slot(10));
    expect(t[tcbCTable]!.mdbRevocable).toBe(false);
    expect((t[tcbBuffer]!.cap as CapOf<"FrameCap">).mapping).toBeUndefined();
    expect(t[tcbReply]!.cap).toMatchObject({ type: "ReplyCap", master: true });
    expect(isFinalCapability(f.slot(2))).toBe(false);
  });
});

describe("the invariant check", () => {
  it("notices a cap to untyped memory outside the untyped's descendants", () => {
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free)).toEqual(ok);
    const stray = f.slot(free + 1);
    stray.cap = f.cap(free);
    stray.mdbRevocable = true;
    expect(f.treeViolation()).toMatch(/^descendants_inc: EndpointCap in cnode@\w+\[\d+\]/);
    stray.cap = { type: "NullCap" };
    expect(f.treeViolation()).toMatch(/^valid_ioc/);
    stray.mdbRevocable = false;
  });
});

describe("list operations", () => {
  const ep: Cap = { type: "DomainCap" };
  const chain = (n: number) => {
    const s = Array.from({ length: n }, (_, i) => new CTE("t", i));
    s[0]!.cap = ep;
    for (let i = 1; i < n; i++) cteInsert(ep, s[i - 1]!, s[i]!);
    return s;
  };
  const order = (s: CTE) => {
    const out: number[] = [s.index];
    for (let p = s.mdbNext; p; p = p.mdbNext) out.push(p.index);
    return out;
  };

  it("insert goes right after the source", () => {
    const s = chain(3);
    const x = new CTE("t", 9);
    cteInsert(ep, s[0]!, x);
    expect(order(s[0]!)).toEqual([0, 9, 1, 2]);
    expect(() => cteInsert(ep, s[0]!, x)).toThrow();
  });

  it("move takes over the position and flags", () => {
    const s = chain(3);
    s[1]!.mdbRevocable = true;
    const x = new CTE("t", 9);
    cteMove(ep, s[1]!, x);
    expect(order(s[0]!)).toEqual([0, 9, 2]);
    expect(x.mdbRevocable).toBe(true);
    expect(s[1]!.cap.type).toBe("NullCap");
    expect(s[1]!.mdbNext).toBeUndefined();
  });

  it("swap of neighbours, either way round, and of distant slots", () => {
    let s = chain(4);
    cteSwap(ep, s[1]!, ep, s[2]!);
    expect(order(s[0]!)).toEqual([0, 2, 1, 3]);
    expect(s[3]!.mdbPrev).toBe(s[1]);
    s = chain(4);
    cteSwap(ep, s[2]!, ep, s[1]!);
    expect(order(s[0]!)).toEqual([0, 2, 1, 3]);
    s = chain(5);
    cteSwap(ep, s[1]!, ep, s[3]!);
    expect(order(s[0]!)).toEqual([0, 3, 2, 1, 4]);
    for (let p: CTE | undefined = s[0]; p?.mdbNext; p = p.mdbNext)
      expect(p.mdbNext.mdbPrev).toBe(p);
  });
});

describe("badges and the parent relation", () => {
  let ep: number;
  beforeEach(() => {
    ep = free;
    free++;
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, ep)).toEqual(ok);
  });

  it("two mints of one badge are siblings: revoking one spares the other", () => {
    expect(mint(free, ep, 5n)).toEqual(ok);
    expect(mint(free + 1, ep, 5n)).toEqual(ok);
    expect(copy(free + 2, free)).toEqual(ok);
    expect(listAfter(f.slot(ep), 3).length).toBe(3);
    expect(isMDBParentOf(f.slot(free + 1), f.slot(free))).toBe(false);
    expect(isMDBParentOf(f.slot(free), f.slot(free + 2))).toBe(true);
    expect(f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(free + 1), D])).toEqual(ok);
    expect(f.cap(free).type).toBe("EndpointCap");
    expect(f.cap(free + 2).type).toBe("EndpointCap");
  });

  it("deleting the first of a badge run passes its mark on", () => {
    expect(mint(free, ep, 5n)).toEqual(ok);
    expect(copy(free + 1, free)).toEqual(ok);
    expect(f.slot(free + 1).mdbFirstBadged).toBe(false);
    cteDelete(f.kernel, f.slot(free), true);
    expect(f.slot(free + 1).mdbFirstBadged).toBe(true);
  });

  it("an unbadged endpoint parents every badge", () => {
    expect(mint(free, ep, 1n)).toEqual(ok);
    expect(mint(free + 1, ep, 2n)).toEqual(ok);
    expect(cteRevoke(f.kernel, f.slot(ep))).toBeUndefined();
    expect(f.cap(free).type).toBe("NullCap");
    expect(f.cap(free + 1).type).toBe("NullCap");
  });
});

describe("deletion and finalisation", () => {
  /** Retypes a CNode of 2^radix slots into `at`. */
  const cnodeAt = (at: number, radix = 2) => {
    expect(f.retype(f.ramUntyped, T.seL4_CapTableObject, radix, at)).toEqual(ok);
    return (f.cap(at) as CapOf<"CNodeCap">).obj;
  };

  it("deleting the last cap to a CNode deletes what it holds", () => {
    const c = cnodeAt(free);
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free + 1)).toEqual(ok);
    // Move the endpoint into slot 3 of the new CNode (invoked through its cap).
    expect(f.invoke(free, L.CNodeMove, [3n, 2n, BigInt(free + 1), D], [ROOT_CNODE])).toEqual(ok);
    expect(c.slot(3).cap.type).toBe("EndpointCap");
    expect(slotCapLongRunningDelete(f.slot(free))).toBe(true);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(c.slot(3).cap.type).toBe("NullCap");
    expect(c.namedSlots().some((s) => isZombie(s))).toBe(false);
  });

  it("deleting a big, sparsely used CNode empties the slots that hold caps", () => {
    // 2^12 slots, two of them used, one near the top: the deletion must reach
    // them even though the slots between were never named.
    const c = cnodeAt(free, 12);
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free + 1)).toEqual(ok);
    expect(
      f.invoke(free, L.CNodeCopy, [4_000n, 12n, BigInt(free + 1), D, 0xfn], [ROOT_CNODE]),
    ).toEqual(ok);
    expect(f.invoke(free, L.CNodeMove, [7n, 12n, BigInt(free + 1), D], [ROOT_CNODE])).toEqual(ok);
    expect(c.namedSlots().length).toBeLessThan(10);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(c.slot(4_000).cap.type).toBe("NullCap");
    expect(c.slot(7).cap.type).toBe("NullCap");
    expect(c.namedSlots().some((s) => isZombie(s))).toBe(false);
    // Both endpoint caps are gone, so the endpoint's untyped has no children left.
    expect(f.slot(f.ramUntyped).mdbNext).toBeUndefined();
  });

  it("a CNode found inside another is left as a cyclic zombie until its untyped is revoked", () => {
    const a = cnodeAt(free);
    const b = cnodeAt(free + 1);
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free + 2)).toEqual(ok);
    // B[2] gets the only endpoint cap, A[1] the only cap to B.
    expect(f.invoke(free + 1, L.CNodeMove, [2n, 2n, BigInt(free + 2), D], [ROOT_CNODE])).toEqual(
      ok,
    );
    expect(f.invoke(free, L.CNodeMove, [1n, 2n, BigInt(free + 1), D], [ROOT_CNODE])).toEqual(ok);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(a.namedSlots().every((s) => s.cap.type === "NullCap")).toBe(true);
    // seL4 manual 3.x (cspace.tex): B's cap was swapped into B's first slot.
    expect(isZombie(b.slot(0))).toBe(true);
    expect(b.slot(2).cap.type).toBe("EndpointCap");
    // The untyped still has children (the zombie), so it cannot reset...
    const ut = f.slot(f.ramUntyped);
    expect(isMDBParentOf(ut, ut.mdbNext!)).toBe(true);
    // ...until a revoke finishes the zombie off.
    expect(f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(f.ramUntyped), D])).toEqual(ok);
    expect(b.namedSlots().every((s) => s.cap.type === "NullCap" && !isZombie(s))).toBe(true);
    expect(ut.mdbNext).toBeUndefined();
  });

  it("a CNode holding the only cap to itself is destroyed by revoking its untyped", () => {
    const c = cnodeAt(free);
    // Copy the CNode's cap into its own slot 1, then delete the outside one.
    expect(f.invoke(free, L.CNodeCopy, [1n, 2n, BigInt(free), D, 0xfn], [ROOT_CNODE])).toEqual(ok);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(c.slot(1).cap.type).toBe("CNodeCap");
    expect(f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(f.ramUntyped), D])).toEqual(ok);
    expect(c.namedSlots().every((s) => s.cap.type === "NullCap" && !isZombie(s))).toBe(true);
    expect(f.slot(f.ramUntyped).mdbNext).toBeUndefined();
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free)).toEqual(ok);
    expect((f.cap(free) as CapOf<"EndpointCap">).obj.paddr).toBe(
      (f.cap(f.ramUntyped) as CapOf<"UntypedCap">).paddr,
    );
  });

  it("deleting the last cap to a TCB suspends it and empties its slots", () => {
    expect(f.retype(f.ramUntyped, T.seL4_TCBObject, 0, free)).toEqual(ok);
    const tcb = (f.cap(free) as CapOf<"ThreadCap">).tcb;
    cteInsert(f.cap(2), f.slot(2), tcb.cnode[tcbCTable]!);
    expect(f.kernel.ks.threads.has(tcb)).toBe(true);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(f.kernel.ks.threads.has(tcb)).toBe(false);
    expect(tcb.state.type).toBe("Inactive");
    expect(tcb.cnode.every((s) => s.cap.type === "NullCap")).toBe(true);
    expect(f.slot(2).mdbNext).toBe(f.root.cnode[tcbCTable]);
  });

  it("a TCB and a CNode holding each other's only caps go with their untyped", () => {
    const c = cnodeAt(free);
    expect(f.retype(f.ramUntyped, T.seL4_TCBObject, 0, free + 1)).toEqual(ok);
    const tcb = (f.cap(free + 1) as CapOf<"ThreadCap">).tcb;
    // The thread's CSpace is the CNode; the CNode holds the thread's cap.
    cteInsert(f.cap(free), f.slot(free), tcb.cnode[tcbCTable]!);
    cteInsert(f.cap(3), f.slot(3), tcb.cnode[tcbVTable]!);
    expect(f.invoke(free, L.CNodeMove, [1n, 2n, BigInt(free + 1), D], [ROOT_CNODE])).toEqual(ok);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    // Nothing final was deleted: both objects live on, unreachable.
    expect(c.slot(1).cap.type).toBe("ThreadCap");
    expect(f.kernel.ks.threads.has(tcb)).toBe(true);
    expect(f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(f.ramUntyped), D])).toEqual(ok);
    expect(c.namedSlots().every((s) => s.cap.type === "NullCap" && !isZombie(s))).toBe(true);
    expect(tcb.cnode.every((s) => s.cap.type === "NullCap" && !isZombie(s))).toBe(true);
    expect(f.kernel.ks.threads.has(tcb)).toBe(false);
    expect(f.slot(f.ramUntyped).mdbNext).toBeUndefined();
    expect(f.slot(3).mdbNext).toBe(f.root.cnode[tcbVTable]); // the VSpace copy went too
  });

  it("a TCB found inside a deleted CNode is suspended and left as a zombie", () => {
    cnodeAt(free);
    expect(f.retype(f.ramUntyped, T.seL4_TCBObject, 0, free + 1)).toEqual(ok);
    const tcb = (f.cap(free + 1) as CapOf<"ThreadCap">).tcb;
    cteInsert(f.cap(3), f.slot(3), tcb.cnode[tcbVTable]!);
    expect(f.invoke(free, L.CNodeMove, [1n, 2n, BigInt(free + 1), D], [ROOT_CNODE])).toEqual(ok);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(f.kernel.ks.threads.has(tcb)).toBe(false);
    expect(isZombie(tcb.cnode[tcbCTable]!)).toBe(true);
    expect(tcb.cnode[tcbVTable]!.cap.type).toBe("PageTableCap");
    expect(f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(f.ramUntyped), D])).toEqual(ok);
    expect(tcb.cnode.every((s) => s.cap.type === "NullCap")).toBe(true);
  });

  it("cteDeleteOne refuses caps that need a zombie", () => {
    cnodeAt(free);
    expect(() => cteDeleteOne(f.kernel, f.slot(free))).toThrow(/finalise/);
  });

  it("revoking an untyped removes every object made from it", () => {
    const c = cnodeAt(free);
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_4K_Page, 0, free + 1, 3)).toEqual(ok);
    expect(f.invoke(free, L.CNodeCopy, [0n, 2n, BigInt(free + 1), D, 0xfn], [ROOT_CNODE])).toEqual(
      ok,
    );
    expect(cteRevoke(f.kernel, f.slot(f.ramUntyped))).toBeUndefined();
    for (let i = free; i < free + 4; i++) expect(f.cap(i).type).toBe("NullCap");
    expect(c.slot(0).cap.type).toBe("NullCap");
    expect(f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(f.ramUntyped), D])).toEqual(ok);
  });

  it("revoking or deleting an empty slot does nothing", () => {
    expect(f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(free), D])).toEqual(ok);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(f.invoke(free, L.CNodeDelete, [0n, D])).toEqual(
      err("InvalidCapability", { capNumber: 0 }),
    );
  });
});
