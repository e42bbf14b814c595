// CNode invocations: Copy, Mint, Move, Mutate, Rotate, Delete, Revoke,
// SaveCaller, CancelBadgedSends (seL4/seL4: src/object/cnode.c
// decodeCNodeInvocation; l4v spec/haskell/src/SEL4/Object/CNode.lhs). Every
// check runs in seL4's order before anything changes.

import type { SyscallError } from "../api/failures.js";
import { InvocationLabel } from "../api/generated/abi.js";
import { cteDelete, cteInsert, cteMove, cteRevoke, cteSwap, ensureEmptySlot } from "../cdt.js";
import { lookupSlotForCNodeOp, wordBits } from "../cspace.js";
import { cancelBadgedSends } from "../ipc.js";
import type { Cap } from "./cap.js";
import type { CTE } from "./cte.js";
import { done, fail, type Invocation, type InvocationResult } from "./invocation.js";
import {
  deriveCap,
  hasCancelSendRights,
  maskCapRights,
  rightsFromWord,
  updateCapData,
} from "./objecttype.js";
import { tcbCaller } from "./tcb.js";

export type SlotLookup = { ok: true; slot: CTE } | { ok: false; error: SyscallError };

/**
 * A slot named by (root, index, depth) for a CNode-style operation (seL4's
 * lookupSlotForCNodeOp with its syscall errors): the root must be a CNode,
 * then 1 <= depth <= 64, then the address must resolve using exactly depth
 * bits. `isSource` is reported in FailedLookup.
 */
export function lookupSlotForCNodeOpErr(
  isSource: boolean,
  root: Cap,
  capptr: bigint,
  depth: bigint,
): SlotLookup {
  if (root.type !== "CNodeCap") {
    return {
      ok: false,
      error: { type: "FailedLookup", isSource, lookup: { type: "InvalidRoot" } },
    };
  }
  if (depth < 1n || depth > WORD_BITS) {
    return { ok: false, error: { type: "RangeError", min: 1n, max: WORD_BITS } };
  }
  const r = lookupSlotForCNodeOp(root, capptr, Number(depth));
  if (!r.ok) return { ok: false, error: { type: "FailedLookup", isSource, lookup: r.fault } };
  return { ok: true, slot: r.slot };
}

const WORD_BITS = BigInt(wordBits);

export const lookupSourceSlot = (root: Cap, capptr: bigint, depth: bigint) =>
  lookupSlotForCNodeOpErr(true, root, capptr, depth);
export const lookupTargetSlot = (root: Cap, capptr: bigint, depth: bigint) =>
  lookupSlotForCNodeOpErr(false, root, capptr, depth);
export const lookupPivotSlot = (root: Cap, capptr: bigint, depth: bigint) =>
  lookupSlotForCNodeOpErr(true, root, capptr, depth);

// Literal values: fail() is not yet defined while the module graph loads.
const truncated: InvocationResult = { type: "error", error: { type: "TruncatedMessage" } };
const illegal: InvocationResult = { type: "error", error: { type: "IllegalOperation" } };

function missingSource(isSource: boolean, depth: bigint): InvocationResult {
  return fail({
    type: "FailedLookup",
    isSource,
    lookup: { type: "MissingCapability", bitsLeft: Number(depth) },
  });
}

export function decodeCNodeInvocation(inv: Invocation): InvocationResult {
  const label = inv.label;
  const length = inv.info.length;
  const mr = inv.mrs;
  if (label < InvocationLabel.CNodeRevoke || label > InvocationLabel.CNodeSaveCaller)
    return illegal;
  if (length < 2) return truncated;
  const dest = lookupTargetSlot(inv.cap, mr[0]!, mr[1]!);
  if (!dest.ok) return fail(dest.error);
  const destSlot = dest.slot;

  switch (label) {
    case InvocationLabel.CNodeCopy:
    case InvocationLabel.CNodeMint:
    case InvocationLabel.CNodeMove:
    case InvocationLabel.CNodeMutate:
      return decodeCopyMove(inv, destSlot);
    case InvocationLabel.CNodeRevoke:
      cteRevoke(inv.kernel, destSlot);
      return done;
    case InvocationLabel.CNodeDelete:
      cteDelete(inv.kernel, destSlot, true);
      return done;
    case InvocationLabel.CNodeSaveCaller: {
      const e = ensureEmptySlot(destSlot);
      if (e) return fail(e);
      invokeCNodeSaveCaller(inv, destSlot);
      return done;
    }
    case InvocationLabel.CNodeCancelBadgedSends: {
      const cap = destSlot.cap;
      if (!hasCancelSendRights(cap)) return illegal;
      if (cap.badge !== 0n) cancelBadgedSends(inv.kernel, cap.obj, cap.badge);
      return done;
    }
    case InvocationLabel.CNodeRotate:
      return decodeRotate(inv, destSlot);
    default:
      return done;
  }
}

/** Copy, Mint, Move, Mutate: MR2 srcIndex, MR3 srcDepth, then rights/data; cap0 = source root. */
function decodeCopyMove(inv: Invocation, destSlot: CTE): InvocationResult {
  const mr = inv.mrs;
  const length = inv.info.length;
  if (length < 4 || inv.extraCaps.length < 1) return truncated;
  const srcIndex = mr[2]!;
  const srcDepth = mr[3]!;
  const srcRoot = inv.extraCaps[0]!.cap;
  const e = ensureEmptySlot(destSlot);
  if (e) return fail(e);
  const src = lookupSourceSlot(srcRoot, srcIndex, srcDepth);
  if (!src.ok) return fail(src.error);
  const srcSlot = src.slot;
  if (srcSlot.cap.type === "NullCap") return missingSource(true, srcDepth);

  let newCap: Cap;
  let isMove: boolean;
  switch (inv.label) {
    case InvocationLabel.CNodeCopy: {
      if (length < 5) return truncated;
      const masked = maskCapRights(rightsFromWord(mr[4]!), srcSlot.cap);
      const d = deriveCap(srcSlot, masked);
      if (!d.ok) return fail(d.error);
      newCap = d.cap;
      isMove = false;
      break;
    }
    case InvocationLabel.CNodeMint: {
      if (length < 6) return truncated;
      const masked = maskCapRights(rightsFromWord(mr[4]!), srcSlot.cap);
      const d = deriveCap(srcSlot, updateCapData(false, mr[5]!, masked));
      if (!d.ok) return fail(d.error);
      newCap = d.cap;
      isMove = false;
      break;
    }
    case InvocationLabel.CNodeMove:
      newCap = srcSlot.cap;
      isMove = true;
      break;
    default: // InvocationLabel.CNodeMutate
      if (length < 5) return truncated;
      newCap = updateCapData(true, mr[4]!, srcSlot.cap);
      isMove = true;
  }
  if (newCap.type === "NullCap") return illegal;

  if (isMove) cteMove(newCap, srcSlot, destSlot);
  else cteInsert(newCap, srcSlot, destSlot);
  return done;
}

/**
 * Rotate: MR2 pivotData, MR3 pivotIndex, MR4 pivotDepth, MR5 srcData,
 * MR6 srcIndex, MR7 srcDepth; cap0 pivot root, cap1 source root. The pivot's
 * cap moves to dest, the source's to the pivot (a swap when src = dest).
 */
function decodeRotate(inv: Invocation, destSlot: CTE): InvocationResult {
  const mr = inv.mrs;
  if (inv.info.length < 8 || inv.extraCaps.length < 2) return truncated;
  const pivotNewData = mr[2]!;
  const pivotIndex = mr[3]!;
  const pivotDepth = mr[4]!;
  const srcNewData = mr[5]!;
  const srcIndex = mr[6]!;
  const srcDepth = mr[7]!;
  const pivotRoot = inv.extraCaps[0]!.cap;
  const srcRoot = inv.extraCaps[1]!.cap;

  const src = lookupSourceSlot(srcRoot, srcIndex, srcDepth);
  if (!src.ok) return fail(src.error);
  const srcSlot = src.slot;
  const pivot = lookupPivotSlot(pivotRoot, pivotIndex, pivotDepth);
  if (!pivot.ok) return fail(pivot.error);
  const pivotSlot = pivot.slot;
  if (pivotSlot === srcSlot || pivotSlot === destSlot) return illegal;
  if (srcSlot !== destSlot) {
    const e = ensureEmptySlot(destSlot);
    if (e) return fail(e);
  }
  if (srcSlot.cap.type === "NullCap") return missingSource(true, srcDepth);
  if (pivotSlot.cap.type === "NullCap") return missingSource(false, pivotDepth);
  const newSrcCap = updateCapData(true, srcNewData, srcSlot.cap);
  const newPivotCap = updateCapData(true, pivotNewData, pivotSlot.cap);
  if (newSrcCap.type === "NullCap") return illegal;
  if (newPivotCap.type === "NullCap") return illegal;

  if (srcSlot === destSlot) {
    cteSwap(newSrcCap, srcSlot, newPivotCap, pivotSlot);
  } else {
    cteMove(newPivotCap, pivotSlot, destSlot);
    cteMove(newSrcCap, srcSlot, pivotSlot);
  }
  return done;
}

/** Moves the reply cap from the caller's own caller slot into dest; none there: nothing happens. */
function invokeCNodeSaveCaller(inv: Invocation, destSlot: CTE): void {
  const srcSlot = inv.thread.cnode[tcbCaller]!;
  const cap = srcSlot.cap;
  switch (cap.type) {
    case "NullCap":
      return;
    case "ReplyCap":
      if (!cap.master) cteMove(cap, srcSlot, destSlot);
      return;
    default:
      throw new Error(`caller slot holds a ${cap.type}`);
  }
}
