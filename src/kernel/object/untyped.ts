// Untyped memory and Retype (seL4/seL4: src/object/untyped.c,
// src/object/objecttype.c createNewObjects; l4v spec/haskell/src/SEL4/Object/Untyped.lhs).
// An untyped cap hands out its region from the bottom up: its free index
// (in bytes here; seL4 counts 16-byte units) only grows while the cap has
// children, and the whole region is reset (zeroed, free index 0) by the
// first Retype after the last child is gone.

import {
  InvocationLabel,
  ObjectType,
  seL4_MaxUntypedBits,
  seL4_MinUntypedBits,
  seL4_UntypedRetypeMaxObjects,
} from "../api/generated/abi.js";
import { ensureEmptySlot, ensureNoChildren, insertNewCap } from "../cdt.js";
import type { CapOf } from "./cap.js";
import { lookupTargetSlot } from "./cnode-invocation.js";
import type { CTE } from "./cte.js";
import { done, fail, type Invocation, type InvocationResult } from "./invocation.js";
import { createObject, getObjectSize, isFrameType, seL4_ObjectTypeCount } from "./objecttype.js";

/** seL4_UntypedRetypeMaxObjects is CONFIG_RETYPE_FAN_OUT_LIMIT. */
export const CONFIG_RETYPE_FAN_OUT_LIMIT = seL4_UntypedRetypeMaxObjects;
/** Reset zeroes in chunks of this many bytes (seL4 checks for preemption between them). */
const CONFIG_RESET_CHUNK_BITS = 8;

const OBJECT_TYPE_COUNT = BigInt(seL4_ObjectTypeCount);

/** v rounded up to a multiple of 2^bits (bits below 64). */
const alignUp = (v: bigint, bits: number) => (v + LOW_MASK[bits]!) & HIGH_MASK[bits]!;

/** 2^i - 1 and its complement for i < 64. PERF (sel4test): made once, not per retype. */
const LOW_MASK: readonly bigint[] = Array.from({ length: 64 }, (_, i) => (1n << BigInt(i)) - 1n);
const HIGH_MASK: readonly bigint[] = LOW_MASK.map((m) => ~m);

/**
 * Untyped_Retype: MR0 type, MR1 size_bits, MR2 node_index, MR3 node_depth,
 * MR4 node_offset, MR5 num_objects; cap0 = the CNode the destination is
 * looked up in. Checks in seL4's order (sel4-semantics §3).
 */
export function decodeUntypedInvocation(inv: Invocation): InvocationResult {
  if (inv.label !== InvocationLabel.UntypedRetype) return fail({ type: "IllegalOperation" });
  if (inv.info.length < 6 || inv.extraCaps.length < 1) return fail({ type: "TruncatedMessage" });
  const cap = inv.cap as CapOf<"UntypedCap">;
  const [newTypeWord, userObjSizeWord, nodeIndex, nodeDepth, nodeOffset, nodeWindow] = inv.mrs as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const rootCap = inv.extraCaps[0]!.cap;

  if (newTypeWord >= OBJECT_TYPE_COUNT) {
    return fail({ type: "InvalidArgument", argumentNumber: 0 });
  }
  const newType = Number(newTypeWord) as ObjectType;
  // A size of 64 or more is refused whatever the type (it would overflow in seL4).
  const userObjSize = userObjSizeWord < 64n ? Number(userObjSizeWord) : 64;
  const objectSize = getObjectSize(newType, userObjSize);
  if (userObjSizeWord >= 64n || objectSize > seL4_MaxUntypedBits) {
    return fail({ type: "RangeError", min: 0n, max: BigInt(seL4_MaxUntypedBits) });
  }
  if (newType === ObjectType.seL4_CapTableObject && userObjSize === 0) {
    return fail({ type: "InvalidArgument", argumentNumber: 1 });
  }
  if (newType === ObjectType.seL4_UntypedObject && userObjSize < seL4_MinUntypedBits) {
    return fail({ type: "InvalidArgument", argumentNumber: 1 });
  }

  let nodeCap = rootCap;
  if (nodeDepth !== 0n) {
    const lu = lookupTargetSlot(rootCap, nodeIndex, nodeDepth);
    if (!lu.ok) return fail(lu.error);
    nodeCap = lu.slot.cap;
  }
  if (nodeCap.type !== "CNodeCap") {
    // nodeDepth is 0 or was accepted by the lookup (1..64).
    return fail({
      type: "FailedLookup",
      isSource: false,
      lookup: { type: "MissingCapability", bitsLeft: Number(nodeDepth) },
    });
  }

  // PERF (sel4test: ~420k retypes): the window and the free space are
  // checked in numbers (all below 2^53; a huge MR saturates and fails the
  // same check); BigInts are made only for error values. This decoder's
  // self time per run fell from ~390 ms to ~160 ms.
  const nodeSize = nodeCap.obj.size;
  const offset = wordAsIndex(nodeOffset);
  if (offset > nodeSize - 1)
    return fail({ type: "RangeError", min: 0n, max: BigInt(nodeSize - 1) });
  const count = wordAsIndex(nodeWindow);
  if (count < 1 || count > CONFIG_RETYPE_FAN_OUT_LIMIT)
    return fail({ type: "RangeError", min: 1n, max: BigInt(CONFIG_RETYPE_FAN_OUT_LIMIT) });
  if (count > nodeSize - offset) {
    return fail({ type: "RangeError", min: 1n, max: BigInt(nodeSize - offset) });
  }
  const destSlots: CTE[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const s = nodeCap.obj.slot(offset + i);
    const e = ensureEmptySlot(s);
    if (e) return fail(e);
    destSlots[i] = s;
  }

  // With no children the untyped starts again from its base (after a reset).
  const reset = ensureNoChildren(inv.slot) === undefined;
  const freeIndex = reset ? 0 : Number(cap.obj.freeIndex);
  const untypedFreeBytes = POW2[cap.sizeBits]! - freeIndex;
  if (Math.floor(untypedFreeBytes / POW2[objectSize]!) < count) {
    return fail({ type: "NotEnoughMemory", bytesAvailable: BigInt(untypedFreeBytes) });
  }
  if (cap.isDevice && !isFrameType(newType) && newType !== ObjectType.seL4_UntypedObject) {
    return fail({ type: "InvalidArgument", argumentNumber: 1 });
  }
  // Anything that fits also fits aligned: the region's end is aligned to every object size.
  const retypeBase = alignUp(cap.paddr + BigInt(freeIndex), objectSize);

  invokeUntypedRetype(inv, inv.slot, cap, reset, retypeBase, newType, userObjSize, destSlots);
  return done;
}

/** A message word as a slot index or count: exact below 2^53, else Infinity (out of every range). */
function wordAsIndex(w: bigint): number {
  return w <= MAX_SAFE_WORD ? Number(w) : Number.POSITIVE_INFINITY;
}

const MAX_SAFE_WORD = BigInt(Number.MAX_SAFE_INTEGER);
/** 2^i as numbers, i <= 64 (a table: `2 ** i` with a variable i is a call). */
const POW2: readonly number[] = Array.from({ length: 65 }, (_, i) => 2 ** i);

/**
 * Zeroes the used part of a non-device untyped and sets its free index to
 * 0 (seL4's resetUntypedCap; seL4 zeroes from the top in 256-byte chunks,
 * a preemption point after each).
 */
function resetUntypedCap(inv: Invocation, cap: CapOf<"UntypedCap">): void {
  const used = cap.obj.freeIndex;
  if (used === 0n) return;
  if (!cap.isDevice) {
    const size = 1n << BigInt(cap.sizeBits);
    const end = alignUp(used, CONFIG_RESET_CHUNK_BITS);
    inv.kernel.mem.zeroForReuse(cap.paddr, end < size ? end : size);
  }
  cap.obj.freeIndex = 0n;
}

function invokeUntypedRetype(
  inv: Invocation,
  srcSlot: CTE,
  cap: CapOf<"UntypedCap">,
  reset: boolean,
  retypeBase: bigint,
  newType: ObjectType,
  userSize: number,
  destSlots: readonly CTE[],
): void {
  if (reset) resetUntypedCap(inv, cap);
  const objectBytes = 1n << BigInt(getObjectSize(newType, userSize));
  let paddr = retypeBase;
  for (const slot of destSlots) {
    insertNewCap(srcSlot, slot, createObject(inv.kernel, newType, paddr, userSize, cap.isDevice));
    paddr += objectBytes;
  }
  cap.obj.freeIndex = paddr - cap.paddr;
}
