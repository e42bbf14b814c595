// CNode invocations against a booted root task: every operation, and every
// error in seL4's order (sel4-semantics §2.7; seL4 src/object/cnode.c).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  bootRoot,
  err,
  L,
  ok,
  ROOT_CNODE,
  type RootFixture,
  T,
} from "../../../tests/support/root-task-fixture.js";
import { isMDBParentOf } from "../cdt.js";
import type { CapOf } from "./cap.js";
import { tcbCaller } from "./tcb.js";

const D = 64n; // depth that names a root-CNode slot by its number
const ALL = 0xfn;

let f: RootFixture;
let ep: number; // an endpoint cap (all rights, unbadged)
let free: number; // first free slot after the setup

beforeEach(() => {
  f = bootRoot();
  ep = f.firstFree;
  expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, ep)).toEqual(ok);
  free = ep + 1;
});

// Every test leaves a well-formed derivation tree.
afterEach(() => {
  expect(f.treeViolation()).toBeUndefined();
});

const copy = (dest: number, src: number, rights = ALL, root = ROOT_CNODE) =>
  f.invoke(ROOT_CNODE, L.CNodeCopy, [BigInt(dest), D, BigInt(src), D, rights], [root]);
const mint = (dest: number, src: number, badge: bigint, rights = ALL) =>
  f.invoke(ROOT_CNODE, L.CNodeMint, [BigInt(dest), D, BigInt(src), D, rights, badge], [ROOT_CNODE]);
const move = (dest: number, src: number) =>
  f.invoke(ROOT_CNODE, L.CNodeMove, [BigInt(dest), D, BigInt(src), D], [ROOT_CNODE]);
const mutate = (dest: number, src: number, data: bigint) =>
  f.invoke(ROOT_CNODE, L.CNodeMutate, [BigInt(dest), D, BigInt(src), D, data], [ROOT_CNODE]);
const del = (slot: number) => f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(slot), D]);
const revoke = (slot: number) => f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(slot), D]);
const rotate = (dest: number, destBadge: bigint, pivot: number, pivotBadge: bigint, src: number) =>
  f.invoke(
    ROOT_CNODE,
    L.CNodeRotate,
    [BigInt(dest), D, destBadge, BigInt(pivot), D, pivotBadge, BigInt(src), D],
    [ROOT_CNODE, ROOT_CNODE],
  );

describe("CNode invocations: common prefix", () => {
  it("rejects labels outside Revoke..SaveCaller", () => {
    expect(f.invoke(ROOT_CNODE, L.UntypedRetype, [0n, D])).toEqual(err("IllegalOperation"));
    expect(f.invoke(ROOT_CNODE, L.CNodeSaveCaller + 1, [0n, D])).toEqual(err("IllegalOperation"));
  });

  it("needs two message registers", () => {
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [0n])).toEqual(err("TruncatedMessage"));
  });

  it("checks the destination depth range, then resolves it", () => {
    expect(del(0).type).toBe("done");
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [0n, 0n])).toEqual(
      err("RangeError", { min: 1n, max: 64n }),
    );
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [0n, 65n])).toEqual(
      err("RangeError", { min: 1n, max: 64n }),
    );
    // Guard 0 of size 56: any bit set in the top 56 bits is a guard mismatch.
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [1n << 63n, D])).toEqual(
      err("FailedLookup", {
        isSource: false,
        lookup: { type: "GuardMismatch", bitsLeft: 64, guardFound: 0n, guardSize: 56 },
      }),
    );
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [0n, 63n])).toEqual(
      err("FailedLookup", {
        isSource: false,
        lookup: { type: "DepthMismatch", bitsLeft: 63, bitsFound: 64 },
      }),
    );
  });

  it("refuses a path that ends early at a non-CNode cap", () => {
    // A copy of the root CNode cap without a guard resolves 8 bits per level.
    expect(mint(free, 2, 0n)).toEqual(ok);
    const r = f.invoke(free, L.CNodeDelete, [BigInt(ep) << 8n, 16n]);
    expect(r).toEqual(
      err("FailedLookup", {
        isSource: false,
        lookup: { type: "DepthMismatch", bitsLeft: 8, bitsFound: 0 },
      }),
    );
    // Through slot 2 (a CNode cap with the 56-bit guard) a 72-bit path is out of range.
    expect(f.invoke(free, L.CNodeDelete, [2n << 8n, 16n])).toEqual(
      err("FailedLookup", {
        isSource: false,
        lookup: { type: "GuardMismatch", bitsLeft: 8, guardFound: 0n, guardSize: 56 },
      }),
    );
  });
});

describe("CNode_Copy", () => {
  it("copies with masked rights as a non-revocable child", () => {
    expect(copy(free, ep, 0b0011n)).toEqual(ok); // Read|Write
    const c = f.cap(free) as CapOf<"EndpointCap">;
    expect(c.type).toBe("EndpointCap");
    expect([c.canSend, c.canReceive, c.canGrant, c.canGrantReply]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(f.slot(free).mdbRevocable).toBe(false);
    expect(f.slot(ep).mdbNext).toBe(f.slot(free));
    expect(isMDBParentOf(f.slot(ep), f.slot(free))).toBe(true);
  });

  it("checks in order: truncated, dest empty, source lookup, source present, rights word", () => {
    expect(f.invoke(ROOT_CNODE, L.CNodeCopy, [BigInt(free), D, BigInt(ep)], [ROOT_CNODE])).toEqual(
      err("TruncatedMessage"),
    );
    expect(f.invoke(ROOT_CNODE, L.CNodeCopy, [BigInt(free), D, BigInt(ep), D, ALL])).toEqual(
      err("TruncatedMessage"),
    );
    // Occupied destination beats a bad source.
    expect(copy(ep, 9999)).toEqual(err("DeleteFirst"));
    expect(copy(free, ep, ALL, BigInt(ep))).toEqual(
      err("FailedLookup", { isSource: true, lookup: { type: "InvalidRoot" } }),
    );
    expect(
      f.invoke(ROOT_CNODE, L.CNodeCopy, [BigInt(free), D, BigInt(ep), 0n, ALL], [ROOT_CNODE]),
    ).toEqual(err("RangeError", { min: 1n, max: 64n }));
    expect(copy(free, free + 1)).toEqual(
      err("FailedLookup", { isSource: true, lookup: { type: "MissingCapability", bitsLeft: 64 } }),
    );
    expect(
      f.invoke(ROOT_CNODE, L.CNodeCopy, [BigInt(free), D, BigInt(ep), D], [ROOT_CNODE]),
    ).toEqual(err("TruncatedMessage"));
  });

  it("refuses what cannot be derived", () => {
    expect(copy(free, 4)).toEqual(err("IllegalOperation")); // IRQControl
    // An untyped with children.
    expect(copy(free, f.ramUntyped)).toEqual(err("RevokeFirst"));
    // An unmapped page table.
    expect(f.retype(f.ramUntyped, T.seL4_RISCV_PageTableObject, 0, free)).toEqual(ok);
    expect(copy(free + 1, free)).toEqual(err("IllegalOperation"));
  });

  it("makes frame copies unmapped and a full-size untyped copy leaves the original full", () => {
    expect(copy(free, 10)).toEqual(ok); // the IPC buffer frame (mapped)
    expect((f.cap(free) as CapOf<"FrameCap">).mapping).toBeUndefined();
    expect((f.cap(10) as CapOf<"FrameCap">).mapping).toBeDefined();
    const ut = free + 1;
    expect(f.retype(f.ramUntyped, T.seL4_UntypedObject, 12, ut)).toEqual(ok);
    expect(copy(ut + 1, ut)).toEqual(ok);
    const orig = f.cap(ut) as CapOf<"UntypedCap">;
    const dup = f.cap(ut + 1) as CapOf<"UntypedCap">;
    expect(orig.obj.freeIndex).toBe(4096n);
    expect(dup.obj).not.toBe(orig.obj);
    expect(dup.obj.freeIndex).toBe(0n);
    expect(f.slot(ut + 1).mdbRevocable).toBe(true);
  });
});

describe("CNode_Mint", () => {
  it("badges an unbadged endpoint: a revocable child starting a badge run", () => {
    expect(mint(free, ep, 42n)).toEqual(ok);
    const c = f.cap(free) as CapOf<"EndpointCap">;
    expect(c.badge).toBe(42n);
    expect(f.slot(free).mdbRevocable).toBe(true);
    expect(f.slot(free).mdbFirstBadged).toBe(true);
    // A copy of the badged cap is its child; a differently badged sibling is not.
    expect(copy(free + 1, free)).toEqual(ok);
    expect(isMDBParentOf(f.slot(free), f.slot(free + 1))).toBe(true);
  });

  it("with badge 0 on an unbadged cap gives a non-revocable copy", () => {
    expect(mint(free, ep, 0n)).toEqual(ok);
    expect(f.slot(free).mdbRevocable).toBe(false);
  });

  it("refuses to re-badge, even with 0", () => {
    expect(mint(free, ep, 5n)).toEqual(ok);
    expect(mint(free + 1, free, 6n)).toEqual(err("IllegalOperation"));
    expect(mint(free + 1, free, 0n)).toEqual(err("IllegalOperation"));
  });

  it("needs six message registers", () => {
    expect(
      f.invoke(ROOT_CNODE, L.CNodeMint, [BigInt(free), D, BigInt(ep), D, ALL], [ROOT_CNODE]),
    ).toEqual(err("TruncatedMessage"));
  });

  it("sets a CNode's guard, refusing guard + radix > 64", () => {
    expect(mint(free, 2, (2n << 6n) | 4n)).toEqual(ok); // guard 2, size 4
    const c = f.cap(free) as CapOf<"CNodeCap">;
    expect([c.guard, c.guardSize]).toEqual([2n, 4]);
    expect(mint(free + 1, 2, 57n)).toEqual(err("IllegalOperation")); // 57 + 8 > 64
    expect(mint(free + 1, 2, (0xffn << 6n) | 3n)).toEqual(ok); // guard masked to 3 bits
    expect((f.cap(free + 1) as CapOf<"CNodeCap">).guard).toBe(7n);
  });
});

describe("CNode_Move and CNode_Mutate", () => {
  it("move keeps the tree position and flags", () => {
    expect(mint(free, ep, 7n)).toEqual(ok);
    const prev = f.slot(free).mdbPrev;
    expect(move(free + 1, free)).toEqual(ok);
    expect(f.cap(free).type).toBe("NullCap");
    expect(f.slot(free + 1).mdbPrev).toBe(prev);
    expect(f.slot(free + 1).mdbRevocable).toBe(true);
    expect(f.slot(free).mdbPrev).toBeUndefined();
  });

  it("move does not derive: IRQControl and untypeds with children move", () => {
    expect(move(free, 4)).toEqual(ok);
    expect(f.cap(free).type).toBe("IRQControlCap");
    expect(move(free + 1, f.ramUntyped)).toEqual(ok);
  });

  it("move to itself: DeleteFirst when full, FailedLookup when empty", () => {
    expect(move(ep, ep)).toEqual(err("DeleteFirst"));
    expect(move(free, free)).toEqual(
      err("FailedLookup", { isSource: true, lookup: { type: "MissingCapability", bitsLeft: 64 } }),
    );
  });

  it("mutate of an endpoint always fails; of a CNode sets the guard", () => {
    expect(mutate(free, ep, 0n)).toEqual(err("IllegalOperation"));
    expect(f.cap(ep).type).toBe("EndpointCap");
    expect(copy(free, 2)).toEqual(ok);
    expect(mutate(free + 1, free, 1n)).toEqual(ok);
    expect((f.cap(free + 1) as CapOf<"CNodeCap">).guardSize).toBe(1);
    expect(
      f.invoke(ROOT_CNODE, L.CNodeMutate, [BigInt(free), D, BigInt(free + 1), D], [ROOT_CNODE]),
    ).toEqual(err("TruncatedMessage"));
  });
});

describe("CNode_Rotate", () => {
  it("moves pivot to dest and src to pivot", () => {
    expect(copy(free, 2)).toEqual(ok); // src: CNode cap
    expect(copy(free + 1, 10)).toEqual(ok); // pivot: frame
    expect(rotate(free + 2, 0n, free + 1, 0n, free)).toEqual(ok);
    expect(f.cap(free + 2).type).toBe("FrameCap");
    expect(f.cap(free + 1).type).toBe("CNodeCap");
    expect(f.cap(free).type).toBe("NullCap");
  });

  it("swaps when src = dest", () => {
    expect(copy(free, 2)).toEqual(ok);
    expect(copy(free + 1, 10)).toEqual(ok);
    expect(rotate(free, 0n, free + 1, 0n, free)).toEqual(ok);
    expect(f.cap(free).type).toBe("FrameCap");
    expect(f.cap(free + 1).type).toBe("CNodeCap");
  });

  it("checks in order", () => {
    expect(
      f.invoke(ROOT_CNODE, L.CNodeRotate, [BigInt(free), D, 0n, 0n, D, 0n, 0n, D], [ROOT_CNODE]),
    ).toEqual(err("TruncatedMessage"));
    expect(copy(free, 2)).toEqual(ok);
    expect(copy(free + 1, 10)).toEqual(ok);
    // pivot = src, pivot = dest
    expect(rotate(free + 2, 0n, free, 0n, free)).toEqual(err("IllegalOperation"));
    expect(rotate(free + 1, 0n, free + 1, 0n, free)).toEqual(err("IllegalOperation"));
    // dest occupied (src != dest)
    expect(rotate(ep, 0n, free + 1, 0n, free)).toEqual(err("DeleteFirst"));
    // src empty, then pivot empty (reported as not the source)
    expect(rotate(free + 3, 0n, free + 1, 0n, free + 2)).toEqual(
      err("FailedLookup", { isSource: true, lookup: { type: "MissingCapability", bitsLeft: 64 } }),
    );
    expect(rotate(free + 3, 0n, free + 2, 0n, free)).toEqual(
      err("FailedLookup", { isSource: false, lookup: { type: "MissingCapability", bitsLeft: 64 } }),
    );
    // An endpoint cannot be mutated: as the source, then as the pivot.
    expect(rotate(free + 3, 0n, free + 1, 0n, ep)).toEqual(err("IllegalOperation"));
    expect(rotate(free + 3, 0n, ep, 0n, free)).toEqual(err("IllegalOperation"));
  });
});

describe("CNode_Delete and CNode_Revoke", () => {
  it("delete empties the slot and keeps children", () => {
    expect(mint(free, ep, 1n)).toEqual(ok);
    expect(copy(free + 1, free)).toEqual(ok);
    expect(del(free)).toEqual(ok);
    expect(f.cap(free).type).toBe("NullCap");
    expect(f.cap(free + 1).type).toBe("EndpointCap");
    expect(del(free)).toEqual(ok); // empty slot: nothing
  });

  it("revoke deletes the descendants only", () => {
    expect(mint(free, ep, 1n)).toEqual(ok);
    expect(copy(free + 1, free)).toEqual(ok);
    expect(mint(free + 2, ep, 2n)).toEqual(ok);
    expect(copy(free + 3, ep)).toEqual(ok);
    expect(revoke(free)).toEqual(ok);
    expect(f.cap(free).type).toBe("EndpointCap");
    expect(f.cap(free + 1).type).toBe("NullCap");
    expect(f.cap(free + 2).type).toBe("EndpointCap");
    expect(revoke(ep)).toEqual(ok);
    for (const s of [free, free + 2, free + 3]) expect(f.cap(s).type).toBe("NullCap");
    expect(f.cap(ep).type).toBe("EndpointCap");
  });
});

describe("CNode_SaveCaller and CNode_CancelBadgedSends", () => {
  it("SaveCaller: DeleteFirst on a full slot, nothing to save is success", () => {
    expect(f.invoke(ROOT_CNODE, L.CNodeSaveCaller, [BigInt(ep), D])).toEqual(err("DeleteFirst"));
    expect(f.root.cnode[tcbCaller]!.cap.type).toBe("NullCap");
    expect(f.invoke(ROOT_CNODE, L.CNodeSaveCaller, [BigInt(free), D])).toEqual(ok);
    expect(f.cap(free).type).toBe("NullCap");
  });

  it("SaveCaller moves a reply cap out of the caller slot", () => {
    const caller = f.root.cnode[tcbCaller]!;
    caller.cap = { type: "ReplyCap", tcb: f.root, master: false, canGrant: true };
    expect(f.invoke(ROOT_CNODE, L.CNodeSaveCaller, [BigInt(free), D])).toEqual(ok);
    expect(f.cap(free).type).toBe("ReplyCap");
    expect(caller.cap.type).toBe("NullCap");
  });

  it("CancelBadgedSends needs an endpoint cap with all rights", () => {
    const cbs = (s: number) => f.invoke(ROOT_CNODE, L.CNodeCancelBadgedSends, [BigInt(s), D]);
    expect(cbs(ep)).toEqual(ok);
    expect(cbs(free)).toEqual(err("IllegalOperation"));
    expect(copy(free, ep, 0b0111n)).toEqual(ok);
    expect(cbs(free)).toEqual(err("IllegalOperation"));
    expect(cbs(2)).toEqual(err("IllegalOperation"));
  });
});
