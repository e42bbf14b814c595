// The capability derivation tree (seL4/seL4: src/object/cnode.c; l4v
// spec/haskell/src/SEL4/Object/CNode.lhs): every non-empty slot sits in one
// doubly linked list in tree order, with two flags per slot (revocable,
// firstBadged). The descendants of a slot are the run of slots right after
// it for which isMDBParentOf holds. Insertion, moving, swapping, deletion
// (with finalisation of the object when the last cap goes) and revocation.
//
// Other kernel code changes slot contents only through these functions.
//
// seL4: deletion is never preempted in mica (there are no pending IRQs to
// give way to yet), so a delete or revoke always runs to completion and the
// SyscallError they may return is always undefined. Zombie caps exist only
// inside a deletion; a CNode or TCB whose last cap was found inside another
// container being deleted is left, as in seL4, as a cyclic zombie in its own
// first slot, unreachable until a revoke of its untyped removes it. The
// zombie is recorded beside the slot (CTE.zombie), the slot keeping the
// object's original cap so that the tree stays well formed.

import type { SyscallError } from "./api/failures.js";
import type { Kernel } from "./kernel.js";
import { type Cap, NullCap } from "./object/cap.js";
import type { CTE } from "./object/cte.js";
import { deletedIRQHandler } from "./object/irq.js";
import {
  capIsPhysical,
  capPtr,
  capSizeBits,
  finaliseCap,
  isCapRevocable,
  sameObjectAs,
  sameRegionAs,
  untypedCovers,
  type Zombie,
} from "./object/objecttype.js";
import { type TCB, tcbReply } from "./object/tcb.js";

/** Whether a slot holds a zombie: a CNode or TCB being destroyed. */
export function isZombie(slot: CTE): boolean {
  return slot.zombie !== undefined;
}

function clearMDB(slot: CTE): void {
  slot.mdbPrev = undefined;
  slot.mdbNext = undefined;
  slot.mdbRevocable = false;
  slot.mdbFirstBadged = false;
}

// ---- insertion and moving

/**
 * A copy of an untyped covering the whole region makes the original unable
 * to allocate (seL4's setUntypedCapAsFull): it would otherwise hand out the
 * same memory twice.
 */
function setUntypedCapAsFull(srcCap: Cap, newCap: Cap): void {
  if (
    srcCap.type === "UntypedCap" &&
    newCap.type === "UntypedCap" &&
    srcCap.paddr === newCap.paddr &&
    srcCap.sizeBits === newCap.sizeBits
  ) {
    srcCap.obj.freeIndex = 1n << BigInt(srcCap.sizeBits);
  }
}

/**
 * Puts newCap, derived from the cap in src, into the empty slot dest,
 * directly after src in the tree (seL4's cteInsert). Copy, Mint, IPC cap
 * transfer, TCB configuration, IRQ handler issue.
 */
export function cteInsert(newCap: Cap, src: CTE, dest: CTE): void {
  if (dest.cap.type !== "NullCap" || dest.mdbNext || dest.mdbPrev) {
    throw new Error("cteInsert to a non-empty slot");
  }
  const revocable = isCapRevocable(newCap, src.cap);
  setUntypedCapAsFull(src.cap, newCap);
  dest.cap = newCap;
  dest.mdbPrev = src;
  dest.mdbNext = src.mdbNext;
  dest.mdbRevocable = revocable;
  dest.mdbFirstBadged = revocable;
  if (src.mdbNext) src.mdbNext.mdbPrev = dest;
  src.mdbNext = dest;
}

/** Puts a cap to a new object into an empty slot as a child of its untyped (seL4's insertNewCap). */
export function insertNewCap(parent: CTE, slot: CTE, cap: Cap): void {
  if (slot.cap.type !== "NullCap") throw new Error("insertNewCap to a non-empty slot");
  const next = parent.mdbNext;
  slot.cap = cap;
  slot.mdbPrev = parent;
  slot.mdbNext = next;
  slot.mdbRevocable = true;
  slot.mdbFirstBadged = true;
  if (next) next.mdbPrev = slot;
  parent.mdbNext = slot;
}

/**
 * Moves the cap in src, replaced by newCap, to the empty slot dest; dest
 * takes src's place in the tree and its flags (seL4's cteMove).
 */
export function cteMove(newCap: Cap, src: CTE, dest: CTE): void {
  if (dest.cap.type !== "NullCap" || dest.mdbNext || dest.mdbPrev) {
    throw new Error("cteMove to a non-empty slot");
  }
  dest.cap = newCap;
  dest.mdbPrev = src.mdbPrev;
  dest.mdbNext = src.mdbNext;
  dest.mdbRevocable = src.mdbRevocable;
  dest.mdbFirstBadged = src.mdbFirstBadged;
  if (dest.mdbPrev) dest.mdbPrev.mdbNext = dest;
  if (dest.mdbNext) dest.mdbNext.mdbPrev = dest;
  moveZombie(src, dest);
  src.cap = NullCap;
  clearMDB(src);
}

/**
 * Exchanges two slots' caps (given as cap1, cap2, possibly updated) and
 * their places in the tree (seL4's cteSwap; Rotate with src = dest).
 */
export function cteSwap(cap1: Cap, slot1: CTE, cap2: Cap, slot2: CTE): void {
  slot1.cap = cap2;
  slot2.cap = cap1;
  // The order matters when the two slots are neighbours in the list.
  const prev1 = slot1.mdbPrev;
  const next1 = slot1.mdbNext;
  if (prev1) prev1.mdbNext = slot2;
  if (next1) next1.mdbPrev = slot2;
  const mdb1 = { ...pickMDB(slot1) };
  const mdb2 = { ...pickMDB(slot2) };
  setMDB(slot1, mdb2);
  setMDB(slot2, mdb1);
  if (mdb2.prev) mdb2.prev.mdbNext = slot1;
  if (mdb2.next) mdb2.next.mdbPrev = slot1;
  const z1 = slot1.zombie;
  const z2 = slot2.zombie;
  setZombie(slot1, z2);
  setZombie(slot2, z1);
}

interface MDBNode {
  prev: CTE | undefined;
  next: CTE | undefined;
  revocable: boolean;
  firstBadged: boolean;
}

function pickMDB(s: CTE): MDBNode {
  return {
    prev: s.mdbPrev,
    next: s.mdbNext,
    revocable: s.mdbRevocable,
    firstBadged: s.mdbFirstBadged,
  };
}

function setMDB(s: CTE, m: MDBNode): void {
  s.mdbPrev = m.prev;
  s.mdbNext = m.next;
  s.mdbRevocable = m.revocable;
  s.mdbFirstBadged = m.firstBadged;
}

function setZombie(slot: CTE, z: Zombie | undefined): void {
  slot.zombie = z;
}

function moveZombie(src: CTE, dest: CTE): void {
  dest.zombie = src.zombie;
  src.zombie = undefined;
}

/** Swaps two slots during deletion (seL4's capSwapForDelete). */
function capSwapForDelete(slot1: CTE, slot2: CTE): void {
  if (slot1 === slot2) return;
  cteSwap(slot1.cap, slot1, slot2.cap, slot2);
}

// ---- the parent relation

/**
 * Whether b is a child of a (seL4's isMDBParentOf): a is revocable, b lies
 * in a's region, and for a badged EP/notification b has the same badge and
 * does not start a new badge run.
 */
export function isMDBParentOf(a: CTE, b: CTE): boolean {
  if (!a.mdbRevocable) return false;
  // A zombie is never a parent; a zombie child counts only under an untyped.
  if (a.zombie !== undefined) return false;
  if (b.zombie !== undefined) {
    return a.cap.type === "UntypedCap" && untypedCovers(a.cap.paddr, a.cap.sizeBits, b.cap);
  }
  if (!sameRegionAs(a.cap, b.cap)) return false;
  const ac = a.cap;
  const bc = b.cap;
  if (ac.type === "EndpointCap" || ac.type === "NotificationCap") {
    if (ac.badge === 0n) return true;
    return bc.type === ac.type && bc.badge === ac.badge && !b.mdbFirstBadged;
  }
  return true;
}

/** RevokeFirst if the slot has children (seL4's ensureNoChildren). */
export function ensureNoChildren(slot: CTE): SyscallError | undefined {
  const next = slot.mdbNext;
  if (next && isMDBParentOf(slot, next)) return { type: "RevokeFirst" };
  return undefined;
}

/** DeleteFirst if the slot holds a cap (seL4's ensureEmptySlot). */
export function ensureEmptySlot(slot: CTE): SyscallError | undefined {
  return slot.cap.type === "NullCap" ? undefined : { type: "DeleteFirst" };
}

/** Whether two slots hold caps to the same object (a zombie is the same object as nothing). */
function sameObjectSlots(a: CTE, b: CTE): boolean {
  if (a.zombie !== undefined || b.zombie !== undefined) return false;
  return sameObjectAs(a.cap, b.cap);
}

/**
 * Whether no other cap names this slot's object (seL4's isFinalCapability).
 * Caps to one object are neighbours in the list, so the two neighbours
 * decide.
 */
export function isFinalCapability(slot: CTE): boolean {
  if (slot.mdbPrev && sameObjectSlots(slot.mdbPrev, slot)) return false;
  return !(slot.mdbNext && sameObjectSlots(slot, slot.mdbNext));
}

/**
 * Whether deleting this slot's cap would destroy a CNode or TCB, a deletion
 * that may take long (seL4's slotCapLongRunningDelete; TCB_Configure and
 * SetSpace refuse such roots).
 */
export function slotCapLongRunningDelete(slot: CTE): boolean {
  if (slot.cap.type === "NullCap" || !isFinalCapability(slot)) return false;
  return slot.zombie !== undefined || slot.cap.type === "ThreadCap" || slot.cap.type === "CNodeCap";
}

// ---- deletion

/**
 * Deletes the cap in a slot, finalising the object if it was the last cap
 * to it (seL4's cteDelete). `exposed`: the slot is visible to user level,
 * as opposed to a slot inside an object being destroyed. Caps derived from
 * the deleted one stay (only Revoke removes them). Returns an error only
 * when preempted, which mica never is.
 */
export function cteDelete(kernel: Kernel, slot: CTE, exposed: boolean): SyscallError | undefined {
  const r = finaliseSlot(kernel, slot, exposed);
  if (exposed || r.success) emptySlot(kernel, slot, r.cleanupInfo);
  return undefined;
}

/**
 * Unlinks the slot from the tree and empties it (seL4's emptySlot). Its
 * firstBadged mark passes to the next slot, which may start the badge run.
 */
function emptySlot(kernel: Kernel, slot: CTE, cleanupInfo: Cap): void {
  if (slot.cap.type === "NullCap") return;
  unlinkSlot(slot);
  slot.zombie = undefined;
  postCapDeletion(kernel, cleanupInfo);
}

/**
 * Takes the slot out of the tree and leaves it empty; its firstBadged mark
 * passes to the next slot. The caller has finalised the cap (emptySlot; the
 * fastpath for a reply cap, which needs no finalisation).
 */
export function unlinkSlot(slot: CTE): void {
  const prev = slot.mdbPrev;
  const next = slot.mdbNext;
  if (prev) prev.mdbNext = next;
  if (next) {
    next.mdbPrev = prev;
    next.mdbFirstBadged = next.mdbFirstBadged || slot.mdbFirstBadged;
  }
  slot.cap = NullCap;
  clearMDB(slot);
}

/** Work left after a slot is emptied (seL4's postCapDeletion): IRQ handlers. */
function postCapDeletion(kernel: Kernel, cleanupInfo: Cap): void {
  if (cleanupInfo.type === "IRQHandlerCap") deletedIRQHandler(kernel, cleanupInfo.irq);
}

/** finaliseCap on a slot, taking a zombie in the slot into account. */
function finaliseSlotCap(kernel: Kernel, slot: CTE, final: boolean, exposed: boolean) {
  const z = slot.zombie;
  if (z) return { remainder: z, cleanupInfo: NullCap };
  return finaliseCap(kernel, slot.cap, final, exposed);
}

/** A zombie that may leave its slot: nothing left, or only the slot it sits in (seL4's capRemovable). */
function capRemovable(z: Zombie | undefined, slot: CTE): boolean {
  return z === undefined || z.n === 0 || (z.n === 1 && z.first === slot);
}

/** A zombie sitting in its own object's first slot (seL4's capCyclicZombie). */
function capCyclicZombie(z: Zombie | undefined, slot: CTE): boolean {
  return z !== undefined && z.first === slot;
}

/**
 * Finalises the slot's cap until the slot may be emptied (seL4's
 * finaliseSlot). Unexposed deletion stops at a cyclic zombie
 * (success = false): the exposed deletion above it owns that zombie.
 */
function finaliseSlot(kernel: Kernel, slot: CTE, exposed: boolean): FinaliseSlotResult {
  while (slot.cap.type !== "NullCap") {
    const final = isFinalCapability(slot);
    const fc = finaliseSlotCap(kernel, slot, final, false);
    if (capRemovable(fc.remainder, slot)) {
      const cleanupInfo = fc.cleanupInfo;
      return cleanupInfo.type === "NullCap" ? finalised : { success: true, cleanupInfo };
    }
    setZombie(slot, fc.remainder);
    if (!exposed && capCyclicZombie(fc.remainder, slot)) return stoppedAtCyclicZombie;
    reduceZombie(kernel, slot, exposed);
    // seL4: preemptionPoint() here.
  }
  return finalised;
}

interface FinaliseSlotResult {
  readonly success: boolean;
  readonly cleanupInfo: Cap;
}

// PERF (sel4test: ~500k deletions): the usual results, made once.
const finalised: FinaliseSlotResult = { success: true, cleanupInfo: NullCap };
const stoppedAtCyclicZombie: FinaliseSlotResult = { success: false, cleanupInfo: NullCap };

/**
 * One step of destroying a zombie's object (seL4's reduceZombie). Exposed:
 * delete the last remaining slot of the object and count it off. Not
 * exposed: move the zombie into its object's first slot (out of the way)
 * and carry on deleting what was there; this bounds the recursion.
 */
function reduceZombie(kernel: Kernel, slot: CTE, exposed: boolean): void {
  const z = slot.zombie;
  if (!z || z.n === 0) throw new Error("reduceZombie: expected an unremovable zombie");
  const first = z.first;
  if (!exposed) {
    if (first === slot)
      throw new Error("reduceZombie: cyclic zombie passed to unexposed reduction");
    capSwapForDelete(first, slot);
    return;
  }
  const endSlot = z.slots.peek(z.n - 1);
  if (endSlot) cteDelete(kernel, endSlot, false);
  if (slot.cap.type === "NullCap") return;
  const z2 = slot.zombie;
  if (!z2) throw new Error("reduceZombie: expected recursion to result in a zombie");
  if (z2 === z) {
    if (endSlot && endSlot.cap.type !== "NullCap")
      throw new Error("reduceZombie: end slot not emptied");
    // seL4 counts off one slot per step; slots never named are empty, so
    // mica counts off a run of them at once (the first slot is always named).
    // PERF (sel4test): the next named slot comes from the CNode's index of
    // named slots, not from a scan of the empty ones (160 ms per run).
    let n = z.n - 1;
    if (n > 1) n = Math.max(1, z.slots.lastNamedBelow(n) + 1);
    slot.zombie = { first: z.first, slots: z.slots, n };
  } else if (!(z2.first === slot && first !== slot)) {
    throw new Error("reduceZombie: expected the new zombie to be self-referential");
  }
}

/**
 * Deletes a cap that can be neither a CNode nor a TCB cap (seL4's
 * cteDeleteOne): reply caps, the caller slot, IRQ notification slots.
 */
export function cteDeleteOne(kernel: Kernel, slot: CTE): void {
  if (slot.cap.type === "NullCap") return;
  const final = isFinalCapability(slot);
  const fc = finaliseSlotCap(kernel, slot, final, true);
  if (!capRemovable(fc.remainder, slot) || fc.cleanupInfo.type !== "NullCap") {
    throw new Error("cteDeleteOne: cap should be removable");
  }
  emptySlot(kernel, slot, NullCap);
}

/**
 * Deletes every descendant of the slot's cap, the slot itself staying
 * (seL4's cteRevoke). Revoking an empty slot or a childless cap does nothing.
 */
export function cteRevoke(kernel: Kernel, slot: CTE): SyscallError | undefined {
  for (let next = slot.mdbNext; next && isMDBParentOf(slot, next); next = slot.mdbNext) {
    cteDelete(kernel, next, true);
    // seL4: preemptionPoint() here.
  }
  return undefined;
}

// ---- invariants (for --check mode and tests)

/**
 * The first violation of the derivation tree's invariants among the trees
 * the given slots belong to, or undefined (sel4-semantics §13; l4v
 * valid_mdb, valid_ioc, untyped_inc, descendants_inc): links are mutual and
 * acyclic; empty slots carry no links or flags; untyped, IRQControl and
 * master reply caps are revocable; zombies are final; every cap to memory
 * inside an untyped is contained in it and follows it as a descendant.
 */
export function mdbInvariantViolation(start: Iterable<CTE>): string | undefined {
  const name = (s: CTE) => `${s.owner}[${s.index}]`;
  // Every slot of every list reachable from the given slots, in list order.
  const seen = new Set<CTE>();
  const lists: CTE[][] = [];
  for (const s0 of start) {
    if (seen.has(s0)) continue;
    let head = s0;
    for (let n = 0; head.mdbPrev; n++) {
      if (head.mdbPrev.mdbNext !== head)
        return `valid_dlist: ${name(head)}.prev does not point back`;
      head = head.mdbPrev;
      if (head === s0 || n > 1 << 24) return `no_loops: cycle through ${name(s0)}`;
    }
    const list: CTE[] = [];
    for (let s: CTE | undefined = head; s; s = s.mdbNext) {
      if (seen.has(s)) return `no_loops: ${name(s)} reached twice`;
      if (s.mdbNext && s.mdbNext.mdbPrev !== s)
        return `valid_dlist: ${name(s)}.next does not point back`;
      seen.add(s);
      list.push(s);
    }
    lists.push(list);
  }
  for (const s of seen) {
    const c = s.cap;
    if (c.type === "NullCap") {
      if (s.mdbPrev || s.mdbNext || s.mdbRevocable || s.mdbFirstBadged)
        return `valid_ioc: empty slot ${name(s)} has tree links or flags`;
      continue;
    }
    const mustRevoke =
      c.type === "UntypedCap" || c.type === "IRQControlCap" || (c.type === "ReplyCap" && c.master);
    if (mustRevoke && !s.mdbRevocable) return `valid_mdb: ${c.type} in ${name(s)} is not revocable`;
    if (s.zombie !== undefined && !isFinalCapability(s)) return `zombies_final: ${name(s)}`;
  }
  // Physical caps by base address, and each slot's list and position.
  const where = new Map<CTE, { list: number; pos: number }>();
  for (const [l, list] of lists.entries())
    for (const [pos, s] of list.entries()) where.set(s, { list: l, pos });
  const phys = [...seen]
    .filter((s) => capIsPhysical(s.cap))
    .map((s) => ({
      s,
      base: capPtr(s.cap),
      top: capPtr(s.cap) + (1n << BigInt(capSizeBits(s.cap))),
    }))
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  for (const u of seen) {
    const uc = u.cap;
    if (uc.type !== "UntypedCap" || u.zombie !== undefined) continue;
    const base = uc.paddr;
    const top = base + (1n << BigInt(uc.sizeBits));
    const { list: l, pos: i } = where.get(u)!;
    const list = lists[l]!;
    let end = i + 1; // the run of u's descendants right after it
    while (end < list.length && isMDBParentOf(u, list[end]!)) end++;
    let k = 0;
    for (let lo = 0, hi = phys.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (phys[mid]!.base < base) lo = mid + 1;
      else hi = mid;
      k = lo;
    }
    for (; k < phys.length && phys[k]!.base < top; k++) {
      const x = phys[k]!;
      if (x.s === u) continue;
      const sameRegionUntyped = x.s.cap.type === "UntypedCap" && x.base === base && x.top === top;
      if (x.top > top) {
        if (x.s.cap.type === "UntypedCap" && x.base === base) continue; // a bigger ancestor
        return `untyped_inc: ${x.s.cap.type} in ${name(x.s)} straddles the untyped in ${name(u)}`;
      }
      const w = where.get(x.s)!;
      const inRun = w.list === l && w.pos > i && w.pos < end;
      if (!inRun && !sameRegionUntyped)
        return `descendants_inc: ${x.s.cap.type} in ${name(x.s)} lies in the untyped in ${name(u)} but is not its descendant`;
    }
  }
  return undefined;
}

// ---- reply masters

/**
 * Gives a thread its master reply cap, a standalone revocable cap in its
 * reply slot, if it has none (seL4's setupReplyMaster; done when a thread
 * is first started).
 */
export function setupReplyMaster(tcb: TCB): void {
  const slot = tcb.cnode[tcbReply]!;
  if (slot.cap.type !== "NullCap") return;
  slot.cap = { type: "ReplyCap", tcb, master: true, canGrant: true };
  clearMDB(slot);
  slot.mdbRevocable = true;
  slot.mdbFirstBadged = true;
}
