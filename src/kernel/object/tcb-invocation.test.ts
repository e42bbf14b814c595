// TCB invocations through the Call path: seL4's checks, their order and
// errors, and the effects (seL4/seL4 src/object/tcb.c; sel4-semantics 7.2).
import { beforeEach, describe, expect, it } from "vitest";
import { World } from "../../../tests/support/kernel-fixture.js";
import { seL4_Error } from "../api/failures.js";
import { InvocationLabel as L } from "../api/generated/abi.js";
import { messageInfoFromWord } from "../api/message-info.js";
import { SysCall, SysRecv } from "../api/syscall.js";
import { a0, a1, a2, a3, msgRegisters, ra, sp, tp } from "../arch/riscv/registers.js";
import { checkThreadInvariants } from "../thread-invariants.js";
import type { Cap } from "./cap.js";
import { type TCB, tcbBuffer, tcbCTable, tcbVTable } from "./tcb.js";

const info = (t: TCB) => messageInfoFromWord(t.regs[a1]!);

let w: World;
let me: TCB;
let other: TCB;
const ME = 10n;
const OTHER = 11n;

beforeEach(() => {
  w = new World();
  me = w.thread("me", 100, { mcp: 150 });
  other = w.thread("other", 50);
  w.put(me, Number(ME), { type: "ThreadCap", tcb: me });
  w.put(me, Number(OTHER), { type: "ThreadCap", tcb: other });
  w.boot(me);
});

/** Calls `cptr` with `label`, MRs and extra-cap cptrs; returns the reply's label and MRs. */
function call(cptr: bigint, label: number, mrs: bigint[] = [], caps: bigint[] = []) {
  for (const [i, c] of caps.entries()) w.setBufferWord(me, 122 + i, c);
  w.syscall(me, SysCall, { cptr, label: BigInt(label), mrs, extraCaps: caps.length });
  const r = info(me);
  return { label: Number(r.label), mrs: w.mrs(me, r.length) };
}

const err = (type: keyof typeof seL4_Error, ...mrs: bigint[]) => ({
  label: seL4_Error[type],
  mrs,
});
const ok = { label: 0, mrs: [] };

describe("ReadRegisters / WriteRegisters / CopyRegisters", () => {
  it("checks length, count range and self, in that order", () => {
    expect(call(OTHER, L.TCBReadRegisters, [0n])).toEqual(err("TruncatedMessage"));
    expect(call(ME, L.TCBReadRegisters, [0n, 0n])).toEqual(err("RangeError", 1n, 32n));
    expect(call(OTHER, L.TCBReadRegisters, [0n, 33n])).toEqual(err("RangeError", 1n, 32n));
    expect(call(ME, L.TCBReadRegisters, [0n, 1n])).toEqual(err("IllegalOperation"));
  });

  it("reads seL4_UserContext words: pc, ra, sp, gp, s0.., then a0..", () => {
    other.faultIP = 0x1234n;
    other.regs[ra] = 1n;
    other.regs[sp] = 2n;
    other.regs[a0] = 0xa0n;
    other.regs[tp] = 0x77n;
    const r = call(OTHER, L.TCBReadRegisters, [0n, 32n]);
    expect(r.label).toBe(0);
    expect(r.mrs).toHaveLength(32);
    expect(r.mrs.slice(0, 3)).toEqual([0x1234n, 1n, 2n]);
    expect(r.mrs[16]).toBe(0xa0n);
    expect(r.mrs[31]).toBe(0x77n);
    expect(me.regs[a0]).toBe(0n);
  });

  it("writes registers, makes the new pc take effect, and resumes on request", () => {
    expect(call(OTHER, L.TCBWriteRegisters, [1n, 3n, 5n, 6n])).toEqual(err("TruncatedMessage"));
    expect(call(ME, L.TCBWriteRegisters, [0n, 0n])).toEqual(err("IllegalOperation"));
    const words = Array.from({ length: 32 }, (_, i) => BigInt(0x100 + i));
    // A count above 32 writes 32 registers, if the message is that long.
    expect(call(OTHER, L.TCBWriteRegisters, [1n, 40n, ...words, ...words.slice(0, 8)])).toEqual(ok);
    expect(other.faultIP).toBe(0x100n);
    expect(other.nextIP).toBe(0x100n);
    expect(other.regs[ra]).toBe(0x101n);
    expect(other.regs[a0]).toBe(0x110n);
    expect(other.regs[tp]).toBe(0x11fn);
    expect(other.state.type).toBe("Restart");
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("CopyRegisters needs a TCB as cap 1 and copies the chosen groups", () => {
    w.put(me, 12, w.notification());
    expect(call(OTHER, L.TCBCopyRegisters, [0n])).toEqual(err("TruncatedMessage"));
    expect(call(OTHER, L.TCBCopyRegisters, [0n], [12n])).toEqual(err("InvalidCapability", 1n));
    const src = w.thread("src", 1);
    w.put(me, 13, { type: "ThreadCap", tcb: src });
    src.faultIP = 0x4444n;
    src.regs[sp] = 0x55n;
    src.regs[a3] = 0x66n;
    expect(call(OTHER, L.TCBCopyRegisters, [4n], [13n])).toEqual(ok);
    expect(other.nextIP).toBe(0x4444n);
    expect(other.regs[sp]).toBe(0x55n);
    expect(other.regs[a3]).toBe(0n);
    expect(call(OTHER, L.TCBCopyRegisters, [8n], [13n])).toEqual(ok);
    expect(other.regs[a3]).toBe(0x66n);
  });
});

describe("Suspend / Resume", () => {
  it("suspending oneself sends no reply", () => {
    me.regs[msgRegisters[0]!] = 0x5n;
    w.syscall(me, SysCall, { cptr: ME, label: BigInt(L.TCBSuspend) });
    expect(me.state.type).toBe("Inactive");
    expect(w.current).toBe(w.ks.idleThread);
  });

  it("Resume starts a stopped thread and is a no-op on a running one", () => {
    expect(call(OTHER, L.TCBResume)).toEqual(ok);
    expect(other.state.type).toBe("Restart");
    expect(call(ME, L.TCBResume)).toEqual(ok);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });
});

describe("priorities", () => {
  it("SetPriority: cap 1 must be a TCB, and the priority at most its MCP", () => {
    w.put(me, 12, w.notification());
    expect(call(OTHER, L.TCBSetPriority, [10n])).toEqual(err("TruncatedMessage"));
    expect(call(OTHER, L.TCBSetPriority, [10n], [12n])).toEqual(err("InvalidCapability", 1n));
    expect(call(OTHER, L.TCBSetPriority, [151n], [ME])).toEqual(err("RangeError", 0n, 150n));
    // The authority's MCP counts, not the target's.
    expect(call(OTHER, L.TCBSetPriority, [60n], [OTHER])).toEqual(err("RangeError", 0n, 50n));
    expect(call(OTHER, L.TCBSetPriority, [140n], [ME])).toEqual(ok);
    expect(other.priority).toBe(140);
  });

  it("raising a ready thread above the caller switches to it before the reply is read", () => {
    call(OTHER, L.TCBResume);
    w.setBufferWord(me, 122, ME);
    w.syscall(me, SysCall, {
      cptr: OTHER,
      label: BigInt(L.TCBSetPriority),
      mrs: [120n],
      extraCaps: 1,
    });
    expect(w.current).toBe(other);
    expect(me.queued).toBe(true);
  });

  it("SetSchedParams checks the MCP before the priority", () => {
    expect(call(OTHER, L.TCBSetSchedParams, [200n, 10n], [ME])).toEqual(
      err("RangeError", 0n, 150n),
    );
    expect(call(OTHER, L.TCBSetSchedParams, [10n, 200n], [ME])).toEqual(
      err("RangeError", 0n, 150n),
    );
    expect(call(OTHER, L.TCBSetSchedParams, [120n, 110n], [ME])).toEqual(ok);
    expect([other.mcp, other.priority]).toEqual([120, 110]);
    expect(call(OTHER, L.TCBSetMCPriority, [151n], [ME])).toEqual(err("RangeError", 0n, 150n));
    expect(call(OTHER, L.TCBSetMCPriority, [7n], [ME])).toEqual(ok);
    expect(other.mcp).toBe(7);
  });
});

describe("notifications, TLS base, flags", () => {
  it("BindNotification: errors in seL4's order, then both sides bound", () => {
    const n = w.notification();
    w.put(me, 12, n);
    w.put(me, 13, { ...n, canReceive: false });
    w.put(me, 14, w.endpoint());
    expect(call(OTHER, L.TCBBindNotification)).toEqual(err("TruncatedMessage"));
    expect(call(OTHER, L.TCBBindNotification, [], [14n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBBindNotification, [], [13n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBUnbindNotification)).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBBindNotification, [], [12n])).toEqual(ok);
    expect(other.boundNotification).toBe(n.obj);
    expect(n.obj.boundTCB).toBe(other);
    expect(call(ME, L.TCBBindNotification, [], [12n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBUnbindNotification)).toEqual(ok);
    expect(n.obj.boundTCB).toBeUndefined();
  });

  it("a notification with waiters cannot be bound", () => {
    const n = w.notification();
    w.put(me, 12, n);
    w.put(other, 2, n);
    call(OTHER, L.TCBSetPriority, [120n], [ME]);
    call(OTHER, L.TCBResume);
    w.syscall(other, SysRecv, { cptr: 2n });
    expect(call(ME, L.TCBBindNotification, [], [12n])).toEqual(err("IllegalOperation"));
  });

  it("SetTLSBase writes tp; SetFlags answers the new flags", () => {
    expect(call(OTHER, L.TCBSetTLSBase)).toEqual(err("TruncatedMessage"));
    expect(call(OTHER, L.TCBSetTLSBase, [0x7000n])).toEqual(ok);
    expect(other.regs[tp]).toBe(0x7000n);
    expect(call(OTHER, L.TCBSetFlags, [0n])).toEqual(err("TruncatedMessage"));
    expect(call(OTHER, L.TCBSetFlags, [0n, 0xffn])).toEqual({ label: 0, mrs: [1n] });
    expect(call(OTHER, L.TCBSetFlags, [1n, 0n])).toEqual({ label: 0, mrs: [0n] });
  });

  it("an unknown label is IllegalOperation", () => {
    expect(call(OTHER, L.CNodeCopy)).toEqual(err("IllegalOperation"));
    expect(call(OTHER, 0x1_0000_0000 + L.TCBResume)).toEqual(err("IllegalOperation"));
  });
});

describe("Configure / SetSpace / SetIPCBuffer", () => {
  const frame = (paddr: bigint, isDevice = false): Cap => ({
    type: "FrameCap",
    paddr,
    sizeBits: 12,
    rights: "ReadWrite",
    isDevice,
    mapping: undefined,
  });

  beforeEach(() => {
    w.put(me, 20, frame(0x8010_0000n));
    w.put(me, 21, frame(0xf000_0000n, true));
    w.put(me, 22, me.cnode[tcbCTable]!.cap);
    w.put(me, 23, { type: "PageTableCap", paddr: 0x8020_0000n, mapping: { asid: 1, vaddr: 0n } });
    w.put(me, 24, { type: "PageTableCap", paddr: 0x8030_0000n, mapping: undefined });
  });

  it("SetIPCBuffer checks the frame and the alignment", () => {
    expect(call(OTHER, L.TCBSetIPCBuffer, [0x1000n])).toEqual(err("TruncatedMessage"));
    expect(call(OTHER, L.TCBSetIPCBuffer, [0x1000n], [22n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBSetIPCBuffer, [0x1000n], [21n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBSetIPCBuffer, [0x1200n], [20n])).toEqual(err("AlignmentError"));
    expect(call(OTHER, L.TCBSetIPCBuffer, [0x1400n], [20n])).toEqual(ok);
    expect(other.ipcBuffer).toBe(0x1400n);
    expect(other.cnode[tcbBuffer]!.cap).toMatchObject({ type: "FrameCap", paddr: 0x8010_0000n });
    expect(w.kernel.lookupIPCBuffer(true, other)).toBe(0x8010_0400n);
    // A new address or a new frame is seen at once (lookupIPCBuffer caches its answer).
    expect(call(OTHER, L.TCBSetIPCBuffer, [0x1800n], [20n])).toEqual(ok);
    expect(w.kernel.lookupIPCBuffer(true, other)).toBe(0x8010_0800n);
    w.put(me, 25, frame(0x8011_0000n));
    expect(call(OTHER, L.TCBSetIPCBuffer, [0x1800n], [25n])).toEqual(ok);
    expect(w.kernel.lookupIPCBuffer(false, other)).toBe(0x8011_0800n);
    // Address 0: no buffer, whatever the cap.
    expect(call(OTHER, L.TCBSetIPCBuffer, [0n], [22n])).toEqual(ok);
    expect(other.cnode[tcbBuffer]!.cap.type).toBe("NullCap");
  });

  it("SetSpace needs a CNode and a mapped page table, and stores the fault cptr", () => {
    expect(call(OTHER, L.TCBSetSpace, [5n, 0n, 0n], [22n])).toEqual(err("TruncatedMessage"));
    expect(call(OTHER, L.TCBSetSpace, [5n, 0n, 0n], [20n, 23n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBSetSpace, [5n, 0n, 0n], [22n, 20n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBSetSpace, [5n, 0n, 0n], [22n, 24n])).toEqual(err("IllegalOperation"));
    expect(call(OTHER, L.TCBSetSpace, [5n, 0n, 0n], [22n, 23n])).toEqual(ok);
    expect(other.faultHandler).toBe(5n);
    expect(other.cnode[tcbVTable]!.cap).toMatchObject({
      type: "PageTableCap",
      paddr: 0x8020_0000n,
    });
    expect(other.cnode[tcbCTable]!.cap).toEqual(me.cnode[tcbCTable]!.cap);
  });

  it("Configure applies the CSpace data word as a guard", () => {
    expect(call(OTHER, L.TCBConfigure, [5n, 0n, 0n, 0n], [22n, 23n])).toEqual(
      err("TruncatedMessage"),
    );
    // Buffer checks come first.
    expect(call(OTHER, L.TCBConfigure, [5n, 0n, 0n, 0x1200n], [20n, 23n, 20n])).toEqual(
      err("AlignmentError"),
    );
    const guardWord = (3n << 6n) | 2n; // guard 3, guard size 2
    expect(call(OTHER, L.TCBConfigure, [6n, guardWord, 0n, 0x2000n], [22n, 23n, 20n])).toEqual(ok);
    expect(other.cnode[tcbCTable]!.cap).toMatchObject({
      type: "CNodeCap",
      guard: 3n,
      guardSize: 2,
    });
    expect(other.faultHandler).toBe(6n);
    expect(other.ipcBuffer).toBe(0x2000n);
    // The empty reply writes the badge and message info only.
    expect(me.regs[a0]).toBe(0n);
    expect(me.regs[a2]).toBe(6n);
  });
});
