// The fastpath's endpoint lookup remembers, per thread, the slot its cap
// register named (TCB.epLookupSlot). These tests check that it follows a
// change of the cptr and of the thread's CSpace root. A Call with nobody
// waiting on the endpoint leaves the fastpath after the lookup, so the
// remembered slot shows what the lookup found.
import { beforeEach, describe, expect, it } from "vitest";
import { bootRoot, ok, type RootFixture, T } from "../../../tests/support/root-task-fixture.js";
import { capRegister, msgInfoRegister } from "../arch/riscv/registers.js";
import { tcbCTable } from "../object/tcb.js";
import { fastpathCall } from "./fastpath.js";

let f: RootFixture;
let free: number;

beforeEach(() => {
  f = bootRoot();
  free = f.firstFree;
});

/** The root thread tries a 0-word Call on `cptr`; nobody receives, so the fastpath declines. */
function tryCall(cptr: number): void {
  f.root.regs[capRegister] = BigInt(cptr);
  f.root.regs[msgInfoRegister] = 0n;
  expect(fastpathCall(f.kernel, f.root)).toBe(false);
}

describe("fastpath endpoint lookup", () => {
  it("finds the slot the cap register names, and another slot for another cptr", () => {
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free, 2)).toEqual(ok);
    tryCall(free);
    expect(f.root.epLookupSlot).toBe(f.slot(free));
    tryCall(free + 1);
    expect(f.root.epLookupSlot).toBe(f.slot(free + 1));
    tryCall(free);
    expect(f.root.epLookupSlot).toBe(f.slot(free));
  });

  it("looks again in a new CSpace root", () => {
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free)).toEqual(ok);
    expect(f.retype(f.ramUntyped, T.seL4_CapTableObject, 8, free + 1)).toEqual(ok);
    tryCall(free);
    expect(f.root.epLookupSlot).toBe(f.slot(free));
    // Only the cap object matters here; the slot gets its own cap back after.
    const ctable = f.root.cnode[tcbCTable]!;
    const own = ctable.cap;
    const other = f.cap(free + 1);
    ctable.cap = { ...other, type: "CNodeCap", guardSize: 56, guard: 0n } as typeof other;
    tryCall(free);
    expect(f.root.epLookupSlot).not.toBe(f.slot(free));
    ctable.cap = own;
    tryCall(free);
    expect(f.root.epLookupSlot).toBe(f.slot(free));
  });
});
