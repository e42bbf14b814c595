// Untyped_Retype against a booted root task: every check in seL4's order
// (sel4-semantics §3, seL4 src/object/untyped.c), the watermark, reset and
// zeroing, device untypeds, and the objects each type makes.
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
import { cteDelete, isMDBParentOf } from "../cdt.js";
import type { CapOf } from "./cap.js";

let f: RootFixture;
let ut: number; // a 16 KiB RAM untyped made for the test
let free: number;

const retypeArgs = (
  type: bigint,
  size: bigint,
  index: bigint,
  depth: bigint,
  offset: bigint,
  n: bigint,
) => [type, size, index, depth, offset, n];

beforeEach(() => {
  f = bootRoot();
  ut = f.firstFree;
  expect(f.retype(f.ramUntyped, T.seL4_UntypedObject, 14, ut)).toEqual(ok);
  free = ut + 1;
});

// Every test leaves a well-formed derivation tree.
afterEach(() => {
  expect(f.treeViolation()).toBeUndefined();
});

const untyped = (s: number) => f.cap(s) as CapOf<"UntypedCap">;

describe("Untyped_Retype checks, in order", () => {
  const call = (mrs: bigint[], extra = [ROOT_CNODE], label: number = L.UntypedRetype) =>
    f.invoke(ut, label, mrs, extra);

  it("label, then length and the root cap", () => {
    expect(call(retypeArgs(2n, 0n, 0n, 0n, BigInt(free), 1n), [ROOT_CNODE], L.CNodeCopy)).toEqual(
      err("IllegalOperation"),
    );
    expect(call([2n, 0n, 0n, 0n, BigInt(free)])).toEqual(err("TruncatedMessage"));
    expect(call(retypeArgs(2n, 0n, 0n, 0n, BigInt(free), 1n), [])).toEqual(err("TruncatedMessage"));
  });

  it("type, then size range, then minimum sizes", () => {
    expect(call(retypeArgs(9n, 0n, 0n, 0n, BigInt(free), 1n))).toEqual(
      err("InvalidArgument", { argumentNumber: 0 }),
    );
    expect(call(retypeArgs(2n, 64n, 0n, 0n, BigInt(free), 1n))).toEqual(
      err("RangeError", { min: 0n, max: 38n }),
    );
    expect(call(retypeArgs(0n, 39n, 0n, 0n, BigInt(free), 1n))).toEqual(
      err("RangeError", { min: 0n, max: 38n }),
    );
    expect(call(retypeArgs(4n, 34n, 0n, 0n, BigInt(free), 1n))).toEqual(
      err("RangeError", { min: 0n, max: 38n }),
    );
    expect(call(retypeArgs(4n, 0n, 0n, 0n, BigInt(free), 1n))).toEqual(
      err("InvalidArgument", { argumentNumber: 1 }),
    );
    expect(call(retypeArgs(0n, 3n, 0n, 0n, BigInt(free), 1n))).toEqual(
      err("InvalidArgument", { argumentNumber: 1 }),
    );
  });

  it("destination CNode lookup", () => {
    // depth 0: cap0 itself must be a CNode.
    expect(call(retypeArgs(2n, 0n, 0n, 0n, BigInt(free), 1n), [BigInt(ut)])).toEqual(
      err("FailedLookup", { isSource: false, lookup: { type: "MissingCapability", bitsLeft: 0 } }),
    );
    expect(call(retypeArgs(2n, 0n, 0n, 65n, BigInt(free), 1n))).toEqual(
      err("RangeError", { min: 1n, max: 64n }),
    );
    expect(call(retypeArgs(2n, 0n, BigInt(ut), 64n, 0n, 1n))).toEqual(
      err("FailedLookup", { isSource: false, lookup: { type: "MissingCapability", bitsLeft: 64 } }),
    );
    // depth 64 naming slot 2 (the root CNode cap) works like depth 0.
    expect(call(retypeArgs(2n, 0n, 2n, 64n, BigInt(free), 1n))).toEqual(ok);
  });

  it("offset and window", () => {
    const slots = 1n << 8n;
    expect(call(retypeArgs(2n, 0n, 0n, 0n, slots, 1n))).toEqual(
      err("RangeError", { min: 0n, max: slots - 1n }),
    );
    expect(call(retypeArgs(2n, 0n, 0n, 0n, BigInt(free), 0n))).toEqual(
      err("RangeError", { min: 1n, max: 256n }),
    );
    expect(call(retypeArgs(2n, 0n, 0n, 0n, BigInt(free), 257n))).toEqual(
      err("RangeError", { min: 1n, max: 256n }),
    );
    expect(call(retypeArgs(2n, 0n, 0n, 0n, slots - 2n, 3n))).toEqual(
      err("RangeError", { min: 1n, max: 2n }),
    );
  });

  it("occupied slots, then memory, then device", () => {
    expect(call(retypeArgs(2n, 0n, 0n, 0n, BigInt(ut), 1n))).toEqual(err("DeleteFirst"));
    expect(call(retypeArgs(2n, 0n, 0n, 0n, BigInt(free - 1), 2n))).toEqual(err("DeleteFirst"));
    expect(call(retypeArgs(4n, 10n, 0n, 0n, BigInt(free), 1n))).toEqual(
      err("NotEnoughMemory", { bytesAvailable: 16384n }),
    );
    // A device untyped: kernel objects are refused only after the memory check.
    const dev = f.deviceUntyped;
    const d = untyped(dev);
    const big = BigInt(d.sizeBits + 1);
    expect(
      f.invoke(dev, L.UntypedRetype, retypeArgs(0n, big, 0n, 0n, BigInt(free), 1n), [ROOT_CNODE]),
    ).toEqual(err("NotEnoughMemory", { bytesAvailable: 1n << BigInt(d.sizeBits) }));
    expect(
      f.invoke(dev, L.UntypedRetype, retypeArgs(2n, 0n, 0n, 0n, BigInt(free), 1n), [ROOT_CNODE]),
    ).toEqual(err("InvalidArgument", { argumentNumber: 1 }));
  });
});

describe("Untyped_Retype effects", () => {
  it("lays objects out consecutively, aligned, as children of the untyped", () => {
    const base = untyped(ut).paddr;
    expect(f.retype(ut, T.seL4_EndpointObject, 0, free, 3)).toEqual(ok);
    expect(untyped(ut).obj.freeIndex).toBe(48n);
    expect(f.retype(ut, T.seL4_RISCV_4K_Page, 0, free + 3, 2)).toEqual(ok);
    const p0 = f.cap(free + 3) as CapOf<"FrameCap">;
    const p1 = f.cap(free + 4) as CapOf<"FrameCap">;
    expect(p0.paddr).toBe(base + 4096n);
    expect(p1.paddr).toBe(base + 8192n);
    expect(untyped(ut).obj.freeIndex).toBe(3n * 4096n);
    for (let s = free; s < free + 5; s++) {
      expect(isMDBParentOf(f.slot(ut), f.slot(s))).toBe(true);
      expect(f.slot(s).mdbRevocable).toBe(true);
    }
    expect(f.retype(ut, T.seL4_RISCV_4K_Page, 0, free + 5, 2)).toEqual(
      err("NotEnoughMemory", { bytesAvailable: 4096n }),
    );
    expect(f.retype(ut, T.seL4_RISCV_4K_Page, 0, free + 5, 1)).toEqual(ok);
  });

  it("creates every object type with seL4's sizes", () => {
    const cases: [number, number, string, number][] = [
      [T.seL4_TCBObject, 0, "ThreadCap", 11],
      [T.seL4_EndpointObject, 0, "EndpointCap", 4],
      [T.seL4_NotificationObject, 0, "NotificationCap", 5],
      [T.seL4_CapTableObject, 3, "CNodeCap", 8],
      [T.seL4_UntypedObject, 6, "UntypedCap", 6],
      [T.seL4_RISCV_4K_Page, 0, "FrameCap", 12],
      [T.seL4_RISCV_PageTableObject, 0, "PageTableCap", 12],
    ];
    for (const [i, [type, size, capType, bits]] of cases.entries()) {
      const before = untyped(ut).obj.freeIndex;
      expect(f.retype(ut, type, size, free + i)).toEqual(ok);
      const c = f.cap(free + i);
      expect(c.type).toBe(capType);
      const used = untyped(ut).obj.freeIndex;
      expect(used - before >= 1n << BigInt(bits)).toBe(true);
      expect(used % (1n << BigInt(bits))).toBe(0n);
    }
    const tcb = f.cap(free) as CapOf<"ThreadCap">;
    expect(tcb.tcb.state.type).toBe("Inactive");
    expect(tcb.tcb.priority).toBe(0);
    expect(f.kernel.ks.threads.has(tcb.tcb)).toBe(true);
    const ep = f.cap(free + 1) as CapOf<"EndpointCap">;
    expect([ep.badge, ep.canSend, ep.canReceive, ep.canGrant, ep.canGrantReply]).toEqual([
      0n,
      true,
      true,
      true,
      true,
    ]);
    const cn = f.cap(free + 3) as CapOf<"CNodeCap">;
    expect([cn.obj.radix, cn.guard, cn.guardSize]).toEqual([3, 0n, 0]);
    const fr = f.cap(free + 5) as CapOf<"FrameCap">;
    expect([fr.rights, fr.isDevice, fr.mapping]).toEqual(["ReadWrite", false, undefined]);
  });

  it("makes large frames from a big enough untyped", () => {
    const big =
      f.cnode
        .namedSlots()
        .find(
          (s) => s.index !== f.ramUntyped && s.cap.type === "UntypedCap" && s.cap.sizeBits >= 21,
        )?.index ?? -1;
    expect(f.retype(big, T.seL4_RISCV_Mega_Page, 0, free)).toEqual(ok);
    const c = f.cap(free) as CapOf<"FrameCap">;
    expect(c.sizeBits).toBe(21);
    expect(c.paddr % (1n << 21n)).toBe(0n);
  });

  it("device untypeds make device frames and untypeds, never touching memory", () => {
    const dev = f.deviceUntyped;
    const r = f.invoke(
      dev,
      L.UntypedRetype,
      retypeArgs(BigInt(T.seL4_RISCV_4K_Page), 0n, 0n, 0n, BigInt(free), 1n),
      [ROOT_CNODE],
    );
    expect(r).toEqual(ok);
    expect((f.cap(free) as CapOf<"FrameCap">).isDevice).toBe(true);
    expect(
      f.invoke(dev, L.UntypedRetype, retypeArgs(0n, 4n, 0n, 0n, BigInt(free + 1), 1n), [
        ROOT_CNODE,
      ]),
    ).toEqual(ok);
    expect(untyped(free + 1).isDevice).toBe(true);
  });

  it("resets and zeroes the region once the last child is gone", () => {
    expect(f.retype(ut, T.seL4_RISCV_4K_Page, 0, free)).toEqual(ok);
    const page = (f.cap(free) as CapOf<"FrameCap">).paddr;
    f.kernel.mem.write64(page + 8n, 0xdeadn);
    // With a child left, the watermark stays.
    expect(f.retype(ut, T.seL4_EndpointObject, 0, free + 1)).toEqual(ok);
    expect(untyped(ut).obj.freeIndex).toBe(4096n + 16n);
    cteDelete(f.kernel, f.slot(free), true);
    expect(f.retype(ut, T.seL4_EndpointObject, 0, free)).toEqual(ok);
    expect(untyped(ut).obj.freeIndex).toBe(4096n + 32n);
    // All children gone: the next retype starts at the base, over zeroed memory.
    f.invoke(ROOT_CNODE, L.CNodeRevoke, [BigInt(ut), 64n]);
    expect(f.cap(free).type).toBe("NullCap");
    expect(f.retype(ut, T.seL4_RISCV_4K_Page, 0, free)).toEqual(ok);
    expect((f.cap(free) as CapOf<"FrameCap">).paddr).toBe(page);
    expect(f.kernel.mem.read64(page + 8n)).toBe(0n);
    expect(untyped(ut).obj.freeIndex).toBe(4096n);
  });

  it("an untyped copy allocates; the original stays full until all its objects are gone", () => {
    const copy = (dest: number, src: number) =>
      f.invoke(ROOT_CNODE, L.CNodeCopy, [BigInt(dest), 64n, BigInt(src), 64n, 0xfn], [ROOT_CNODE]);
    expect(copy(free, ut)).toEqual(ok);
    expect(f.retype(free, T.seL4_EndpointObject, 0, free + 1)).toEqual(ok);
    expect(f.retype(ut, T.seL4_EndpointObject, 0, free + 2)).toEqual(
      err("NotEnoughMemory", { bytesAvailable: 0n }),
    );
    // Delete the copy: its endpoint now counts as the original's child.
    cteDelete(f.kernel, f.slot(free), true);
    expect(isMDBParentOf(f.slot(ut), f.slot(free + 1))).toBe(true);
    expect(f.retype(ut, T.seL4_EndpointObject, 0, free + 2)).toEqual(
      err("NotEnoughMemory", { bytesAvailable: 0n }),
    );
    cteDelete(f.kernel, f.slot(free + 1), true);
    expect(f.retype(ut, T.seL4_EndpointObject, 0, free + 2)).toEqual(ok);
  });

  it("packs 4 KiB pages exactly", () => {
    expect(f.retype(ut, T.seL4_RISCV_4K_Page, 0, free, 4)).toEqual(ok);
    expect(untyped(ut).obj.freeIndex).toBe(16384n);
    expect(f.retype(ut, T.seL4_EndpointObject, 0, free + 4)).toEqual(
      err("NotEnoughMemory", { bytesAvailable: 0n }),
    );
  });
});
