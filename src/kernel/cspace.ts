// Capability address resolution (seL4/seL4: src/kernel/cspace.c,
// spec/haskell/src/SEL4/Kernel/CSpace.lhs): walking guarded CNodes from a
// root cap, consuming the capability address's bits from the top.

import type { Cap, CapOf } from "./object/cap.js";
import type { CTE } from "./object/cte.js";
import { type TCB, tcbCTable } from "./object/tcb.js";

export const wordBits = 64;

export type LookupFault =
  | { readonly type: "InvalidRoot" }
  | { readonly type: "MissingCapability"; readonly bitsLeft: number }
  | { readonly type: "DepthMismatch"; readonly bitsLeft: number; readonly bitsFound: number }
  | {
      readonly type: "GuardMismatch";
      readonly bitsLeft: number;
      readonly guardFound: bigint;
      readonly guardSize: number;
    };

export type ResolveResult =
  | { readonly ok: true; readonly slot: CTE; readonly bitsRemaining: number }
  | { readonly ok: false; readonly fault: LookupFault };

/** 2^bits - 1 for bits 0..64. PERF (sel4test): made once, not per lookup. */
const MASKS: readonly bigint[] = Array.from(
  { length: wordBits + 1 },
  (_, i) => (1n << BigInt(i)) - 1n,
);

function mask(bits: number): bigint {
  return MASKS[bits]!;
}

/**
 * Resolves the top `nBits` bits of `capptr` starting at the CNode `nodeCap`.
 * Stops early at a slot whose cap is not a CNode (bitsRemaining > 0).
 */
export function resolveAddressBits(nodeCap: Cap, capptr: bigint, nBits: number): ResolveResult {
  if (nodeCap.type !== "CNodeCap") return { ok: false, fault: { type: "InvalidRoot" } };
  let node = nodeCap;
  let n = nBits;
  for (;;) {
    const radix = node.obj.radix;
    const guardSize = node.guardSize;
    const levelBits = radix + guardSize;
    // seL4: levelBits is never 0 (a CNode of radix 0 with no guard is rejected at creation).
    const guard = node.guard & mask(guardSize);
    const capGuard =
      guardSize > n ? undefined : (capptr >> BigInt(n - guardSize)) & mask(guardSize);
    if (capGuard === undefined || capGuard !== guard) {
      return {
        ok: false,
        fault: { type: "GuardMismatch", bitsLeft: n, guardFound: guard, guardSize },
      };
    }
    if (levelBits > n) {
      return { ok: false, fault: { type: "DepthMismatch", bitsLeft: n, bitsFound: levelBits } };
    }
    const offset = Number((capptr >> BigInt(n - levelBits)) & mask(radix));
    const slot = node.obj.slot(offset);
    if (n === levelBits) return { ok: true, slot, bitsRemaining: 0 };
    n -= levelBits;
    const next = slot.cap;
    if (next.type !== "CNodeCap") return { ok: true, slot, bitsRemaining: n };
    node = next;
  }
}

/**
 * The slot a thread names, for a capability address given as 32-bit
 * halves, when its root CNode resolves the whole word in one level with a
 * zero guard and a radix below 32 (the usual single-level CSpace);
 * undefined otherwise, and then lookupSlot's general walk decides. Where it
 * answers, it answers as resolveAddressBits does.
 * PERF (bench/ipc): no BigInt and no result object.
 */
export function lookupSlotDirect32(thread: TCB, lo: number, hi: number): CTE | undefined {
  const node = thread.cnode[tcbCTable]!.cap;
  if (node.type !== "CNodeCap" || hi !== 0) return undefined;
  return singleLevelSlot(node, lo, wordBits);
}

/**
 * The slot `depth` bits of a capability address below 2^32 name under
 * `node`, when node resolves exactly those bits in one level with a zero
 * guard and a radix below 32, and the address has no bits above the radix;
 * undefined otherwise (resolveAddressBits decides). Where it answers, it
 * answers as resolveAddressBits does.
 */
function singleLevelSlot(node: CapOf<"CNodeCap">, capptr: number, depth: number): CTE | undefined {
  const radix = node.obj.radix;
  if (node.guardSize + radix !== depth || radix >= 32 || node.guard !== 0n) return undefined;
  if (capptr >>> radix !== 0) return undefined;
  return node.obj.slot(capptr);
}

/** The slot a thread names with a full-word capability address (seL4's lookupSlot). */
export function lookupSlot(thread: TCB, capptr: bigint): ResolveResult {
  // PERF (bench/irq, sel4test): the usual single-level CSpace without BigInt arithmetic.
  if (capptr <= MAX_U32) {
    const slot = lookupSlotDirect32(thread, Number(capptr), 0);
    if (slot !== undefined) return { ok: true, slot, bitsRemaining: 0 };
  }
  return resolveAddressBits(thread.cnode[tcbCTable]!.cap, capptr, wordBits);
}

const MAX_U32 = 0xffff_ffffn;

export type LookupCapResult = { ok: true; cap: Cap; slot: CTE } | { ok: false; fault: LookupFault };

/** The cap a thread names (seL4's lookupCap); an empty slot is a successful lookup of NullCap. */
export function lookupCap(thread: TCB, capptr: bigint): LookupCapResult {
  const r = lookupSlot(thread, capptr);
  if (!r.ok) return r;
  return { ok: true, cap: r.slot.cap, slot: r.slot };
}

/**
 * A slot for a CNode operation: `depth` bits of `capptr` under `root`, which
 * must be consumed exactly (seL4's lookupSlotForCNodeOp). The caller has
 * checked 1 <= depth <= wordBits (else seL4 answers RangeError).
 */
export function lookupSlotForCNodeOp(root: Cap, capptr: bigint, depth: number): ResolveResult {
  if (root.type !== "CNodeCap") return { ok: false, fault: { type: "InvalidRoot" } };
  // PERF (sel4test: ~700k CNode operations): the usual single-level CSpace without BigInt arithmetic.
  if (capptr <= MAX_U32) {
    const slot = singleLevelSlot(root, Number(capptr), depth);
    if (slot !== undefined) return { ok: true, slot, bitsRemaining: 0 };
  }
  const r = resolveAddressBits(root, capptr, depth);
  if (!r.ok) return r;
  if (r.bitsRemaining !== 0) {
    return { ok: false, fault: { type: "DepthMismatch", bitsLeft: r.bitsRemaining, bitsFound: 0 } };
  }
  return r;
}
