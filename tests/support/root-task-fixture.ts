// A booted mica system (the boot-smoke root task in a small RAM) whose root
// thread's CSpace unit tests poke at directly: invocations are decoded and
// performed as if the root thread had made them with seL4_Call, without
// running any user code.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { System } from "../../src/boot/system.js";
import { InvocationLabel, ObjectType } from "../../src/kernel/api/generated/abi.js";
import { mdbInvariantViolation } from "../../src/kernel/cdt.js";
import { lookupCap } from "../../src/kernel/cspace.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import type { Cap, CapOf } from "../../src/kernel/object/cap.js";
import type { CNode } from "../../src/kernel/object/cnode.js";
import type { CTE } from "../../src/kernel/object/cte.js";
import { decodeInvocation, type InvocationResult } from "../../src/kernel/object/invocation.js";
import type { TCB } from "../../src/kernel/object/tcb.js";
import { ROOT } from "./run-cli.js";

const SMOKE = join(ROOT, "tests/kernel/build/boot-smoke.elf");
export const CNODE_BITS = 8;
/** The root CNode's cap, as seL4_CapInitThreadCNode. */
export const ROOT_CNODE = 2n;

export interface RootFixture {
  readonly system: System;
  readonly kernel: Kernel;
  readonly root: TCB;
  readonly cnode: CNode;
  slot(i: number | bigint): CTE;
  cap(i: number | bigint): Cap;
  /** The root thread Calls `cptr` with a label, message registers and extra cap cptrs. */
  invoke(
    cptr: number | bigint,
    label: number,
    mrs: readonly bigint[],
    extra?: readonly bigint[],
  ): InvocationResult;
  /** The largest RAM untyped's slot. */
  readonly ramUntyped: number;
  /** A device untyped's slot. */
  readonly deviceUntyped: number;
  /** First free slot of the root CNode. */
  readonly firstFree: number;
  /** The first violated derivation-tree invariant (cdt.ts mdbInvariantViolation), or undefined. */
  treeViolation(): string | undefined;
  /** Untyped_Retype into the root CNode at `offset`. */
  retype(
    ut: number,
    type: number,
    sizeBits: number,
    offset: number,
    count?: number,
  ): InvocationResult;
}

export function bootRoot(opts: { ramSize?: number } = {}): RootFixture {
  const logs: string[] = [];
  const boot = System.boot(readFileSync(SMOKE), {
    ramSize: opts.ramSize ?? 8 << 20,
    cnodeSizeBits: CNODE_BITS,
    console: () => {},
    log: (l) => logs.push(l),
  });
  if (!boot.ok) throw new Error(boot.error);
  const system = boot.system;
  const kernel = system.kernel;
  const root = [...kernel.ks.threads].find((t) => t.name === "rootserver");
  if (!root) throw new Error("no root thread");
  const rootCap = root.cnode[0]!.cap as CapOf<"CNodeCap">;
  const cnode = rootCap.obj;
  const slot = (i: number | bigint) => cnode.slot(Number(i));
  let ramUntyped = -1;
  let deviceUntyped = -1;
  let firstFree = -1;
  for (const s of cnode.namedSlots()) {
    const i = s.index;
    const c = s.cap;
    if (c.type === "UntypedCap") {
      if (c.isDevice) {
        if (deviceUntyped < 0) deviceUntyped = i;
      } else {
        const best = ramUntyped >= 0 ? (slot(ramUntyped).cap as CapOf<"UntypedCap">) : undefined;
        if (!best || c.sizeBits > best.sizeBits) ramUntyped = i;
      }
    }
  }
  for (let i = 16; i < cnode.size && firstFree < 0; i++) {
    if ((cnode.peek(i)?.cap.type ?? "NullCap") === "NullCap") firstFree = i;
  }
  const invoke = (
    cptr: number | bigint,
    label: number,
    mrs: readonly bigint[],
    extra: readonly bigint[] = [],
  ): InvocationResult => {
    const r = lookupCap(root, BigInt(cptr));
    if (!r.ok) throw new Error(`lookup of ${cptr} failed`);
    const extraCaps = extra.map((c) => {
      const e = lookupCap(root, c);
      if (!e.ok) throw new Error(`lookup of extra cap ${c} failed`);
      return { cap: e.cap, slot: e.slot };
    });
    return decodeInvocation({
      kernel,
      thread: root,
      cap: r.cap,
      slot: r.slot,
      info: {
        label: BigInt(label),
        capsUnwrapped: 0,
        extraCaps: extraCaps.length,
        length: mrs.length,
      },
      label,
      mrs,
      extraCaps,
      isCall: true,
      isBlocking: true,
    });
  };
  return {
    system,
    kernel,
    root,
    cnode,
    slot,
    cap: (i) => slot(i).cap,
    invoke,
    ramUntyped,
    deviceUntyped,
    firstFree,
    treeViolation: () => mdbInvariantViolation([...cnode.namedSlots(), ...root.cnode]),
    retype: (ut, type, sizeBits, offset, count = 1) =>
      invoke(
        ut,
        InvocationLabel.UntypedRetype,
        [BigInt(type), BigInt(sizeBits), 0n, 0n, BigInt(offset), BigInt(count)],
        [ROOT_CNODE],
      ),
  };
}

export const ok: InvocationResult = { type: "done" };

/** The error an invocation answered with (for toEqual). */
export function err(type: string, extra: Record<string, unknown> = {}): InvocationResult {
  return { type: "error", error: { type, ...extra } } as InvocationResult;
}

export { InvocationLabel as L, ObjectType as T };
