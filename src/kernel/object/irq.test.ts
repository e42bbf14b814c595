import { beforeEach, describe, expect, it } from "vitest";

import {
  bootRoot,
  err,
  L,
  ok,
  ROOT_CNODE,
  type RootFixture,
  T,
} from "../../../tests/support/root-task-fixture.js";
import type { PlicRegisters } from "../arch/riscv/plic.js";
import type { CapOf } from "./cap.js";
import { IRQState } from "./irq.js";

const IRQ_CONTROL = 4n;
const D = 64n; // depth: the fixture's root CNode resolves whole words

/** A PLIC that records what the kernel does to it; `raise` makes a source claimable. */
class FakePlic implements PlicRegisters {
  readonly enabled = new Set<number>();
  readonly completed: number[] = [];
  private claimable: number[] = [];

  raise(irq: number): void {
    this.claimable.push(irq);
  }

  load(offset: number): number {
    if (offset === 0x200004 + 0x1000) return this.claimable.shift() ?? 0;
    if (offset >= 0x2080 && offset < 0x2080 + 12) {
      let v = 0;
      const w = (offset - 0x2080) / 4;
      for (let b = 0; b < 32; b++) if (this.enabled.has(w * 32 + b)) v |= 1 << b;
      return v >>> 0;
    }
    return 0;
  }

  store(offset: number, _size: number, value: number): void {
    if (offset === 0x200004 + 0x1000) this.completed.push(value);
    else if (offset >= 0x2080 && offset < 0x2080 + 12) {
      const w = (offset - 0x2080) / 4;
      for (let b = 0; b < 32; b++) {
        if ((value >>> b) & 1) this.enabled.add(w * 32 + b);
        else this.enabled.delete(w * 32 + b);
      }
    }
  }
}

let f: RootFixture;
let plic: FakePlic;
let free: number;

beforeEach(() => {
  f = bootRoot();
  plic = new FakePlic();
  f.kernel.plic = plic;
  free = f.firstFree;
});

const get = (irq: bigint, slot: number) =>
  f.invoke(IRQ_CONTROL, L.IRQIssueIRQHandler, [irq, BigInt(slot), D], [ROOT_CNODE]);

describe("IRQControl_Get", () => {
  it("checks the IRQ number: 1..maxIRQ, and the timer is the kernel's", () => {
    expect(get(0n, free)).toEqual(err("RangeError", { min: 1n, max: 96n }));
    expect(get(97n, free)).toEqual(err("RangeError", { min: 1n, max: 96n }));
    expect(get(96n, free)).toEqual(err("RevokeFirst"));
  });

  it("issues a handler cap as a child of IRQControl and unmasks the source", () => {
    expect(get(10n, free)).toEqual(ok);
    expect(f.cap(free)).toEqual({ type: "IRQHandlerCap", irq: 10 });
    expect(f.slot(4).mdbNext).toBe(f.slot(free));
    expect(f.kernel.interrupts.states[10]).toBe(IRQState.Signal);
    expect(plic.enabled.has(10)).toBe(true);
    expect(get(10n, free + 1)).toEqual(err("RevokeFirst"));
    expect(f.treeViolation()).toBeUndefined();
  });

  it("needs three arguments and a root cap, and an empty slot", () => {
    expect(f.invoke(IRQ_CONTROL, L.IRQIssueIRQHandler, [10n, BigInt(free)], [ROOT_CNODE])).toEqual(
      err("TruncatedMessage"),
    );
    expect(f.invoke(IRQ_CONTROL, L.IRQIssueIRQHandler, [10n, BigInt(free), D])).toEqual(
      err("TruncatedMessage"),
    );
    expect(get(10n, 2)).toEqual(err("DeleteFirst"));
  });

  it("refuses GetTrigger: the PLIC cannot change triggers (qemu-riscv-virt)", () => {
    expect(
      f.invoke(
        IRQ_CONTROL,
        L.RISCVIRQIssueIRQHandlerTrigger,
        [10n, 1n, BigInt(free), D],
        [ROOT_CNODE],
      ),
    ).toEqual(err("IllegalOperation"));
  });
});

describe("IRQHandler", () => {
  beforeEach(() => {
    expect(get(10n, free)).toEqual(ok);
    expect(f.retype(f.ramUntyped, T.seL4_NotificationObject, 0, free + 1)).toEqual(ok);
    expect(f.retype(f.ramUntyped, T.seL4_EndpointObject, 0, free + 2)).toEqual(ok);
  });

  it("SetNotification takes only a notification cap that can send", () => {
    expect(f.invoke(free, L.IRQSetIRQHandler, [], [BigInt(free + 2)])).toEqual(
      err("InvalidCapability", { capNumber: 0 }),
    );
    expect(f.invoke(free, L.IRQSetIRQHandler, [], [])).toEqual(err("TruncatedMessage"));
    expect(f.invoke(free, L.IRQSetIRQHandler, [], [BigInt(free + 1)])).toEqual(ok);
    expect(f.kernel.interrupts.node[10]!.cap.type).toBe("NotificationCap");
  });

  it("an interrupt signals the notification; Ack completes the claim", () => {
    expect(
      f.invoke(
        ROOT_CNODE,
        L.CNodeMint,
        [BigInt(free + 3), D, BigInt(free + 1), D, 0xfn, 0x40n],
        [ROOT_CNODE],
      ),
    ).toEqual(ok);
    expect(f.invoke(free, L.IRQSetIRQHandler, [], [BigInt(free + 3)])).toEqual(ok);
    const ntfn = (f.cap(free + 1) as CapOf<"NotificationCap">).obj;
    plic.raise(10);
    f.kernel.handleInterruptEntry();
    expect(ntfn.state).toBe("Active");
    expect(ntfn.word).toBe(0x40n);
    expect(plic.completed).toEqual([]);
    expect(f.invoke(free, L.IRQAckIRQ, [])).toEqual(ok);
    expect(plic.completed).toEqual([10]);
  });

  it("without a notification the interrupt is dropped", () => {
    plic.raise(10);
    f.kernel.handleInterruptEntry();
    const ntfn = (f.cap(free + 1) as CapOf<"NotificationCap">).obj;
    expect(ntfn.state).toBe("Idle");
  });

  it("Clear removes the notification; deleting the handler makes the IRQ inactive", () => {
    expect(f.invoke(free, L.IRQSetIRQHandler, [], [BigInt(free + 1)])).toEqual(ok);
    expect(f.invoke(free, L.IRQClearIRQHandler, [])).toEqual(ok);
    expect(f.kernel.interrupts.node[10]!.cap.type).toBe("NullCap");
    expect(f.invoke(free, L.IRQSetIRQHandler, [], [BigInt(free + 1)])).toEqual(ok);
    expect(f.invoke(ROOT_CNODE, L.CNodeDelete, [BigInt(free), D])).toEqual(ok);
    expect(f.kernel.interrupts.states[10]).toBe(IRQState.Inactive);
    expect(f.kernel.interrupts.node[10]!.cap.type).toBe("NullCap");
    expect(plic.enabled.has(10)).toBe(false);
    expect(get(10n, free)).toEqual(ok);
    expect(f.treeViolation()).toBeUndefined();
  });

  it("an interrupt on an inactive IRQ is masked and its claim completed", () => {
    plic.raise(11);
    f.kernel.handleInterruptEntry();
    expect(plic.enabled.has(11)).toBe(false);
    expect(plic.completed).toEqual([11]);
  });
});
