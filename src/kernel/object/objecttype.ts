// What the kernel knows about every kind of cap: derivation, rights masking,
// badge/guard updates, region and object identity, revocability,
// finalisation and creation (seL4/seL4: src/object/objecttype.c,
// src/arch/riscv/object/objecttype.c; l4v spec/haskell/src/SEL4/Object/ObjectType.lhs,
// ObjectType/RISCV64.hs). The RISC-V cases sit in the same switch as the
// generic ones, as seL4's Arch_* hooks would.

import type { SyscallError } from "../api/failures.js";
import {
  ObjectType,
  ObjectTypeCount,
  seL4_ASIDPoolBits,
  seL4_EndpointBits,
  seL4_HugePageBits,
  seL4_LargePageBits,
  seL4_NotificationBits,
  seL4_PageBits,
  seL4_PageTableBits,
  seL4_TCBBits,
} from "../api/generated/abi.js";
import { ASIDPool } from "../arch/riscv/asid.js";
import {
  deleteASID,
  deleteASIDPool,
  findVSpaceForASID,
  unmapPage,
  unmapPageTable,
} from "../arch/riscv/vspace.js";
import { ensureNoChildren } from "../cdt.js";
import {
  cancelAllIPC,
  cancelAllSignals,
  suspend,
  unbindMaybeNotification,
  unbindNotification,
} from "../ipc.js";
import type { Kernel } from "../kernel.js";
import { CONFIG_TIME_SLICE } from "../state.js";
import { type Cap, type CapOf, type FrameRights, frameCapWith, NullCap } from "./cap.js";
import { CNode, seL4_SlotBits } from "./cnode.js";
import type { CTE } from "./cte.js";
import { Endpoint } from "./endpoint.js";
import { deletingIRQHandler } from "./irq.js";
import { Notification } from "./notification.js";
import { TCB } from "./tcb.js";

// ---- object types and sizes (numbers from the generated ABI table)

export type { ObjectType };
export const seL4_ObjectTypeCount = ObjectTypeCount.seL4_ObjectTypeCount;

/** log2 of an object's size in bytes; userSize matters only for Untyped and CapTable. */
export function getObjectSize(t: ObjectType, userSize: number): number {
  switch (t) {
    case ObjectType.seL4_UntypedObject:
      return userSize;
    case ObjectType.seL4_TCBObject:
      return seL4_TCBBits;
    case ObjectType.seL4_EndpointObject:
      return seL4_EndpointBits;
    case ObjectType.seL4_NotificationObject:
      return seL4_NotificationBits;
    case ObjectType.seL4_CapTableObject:
      return seL4_SlotBits + userSize;
    case ObjectType.seL4_RISCV_Giga_Page:
      return seL4_HugePageBits;
    case ObjectType.seL4_RISCV_4K_Page:
      return seL4_PageBits;
    case ObjectType.seL4_RISCV_Mega_Page:
      return seL4_LargePageBits;
    case ObjectType.seL4_RISCV_PageTableObject:
      return seL4_PageTableBits;
  }
}

/** Frames are the only objects a device untyped may hold besides untypeds (Arch_isFrameType). */
export function isFrameType(t: ObjectType): boolean {
  return (
    t === ObjectType.seL4_RISCV_4K_Page ||
    t === ObjectType.seL4_RISCV_Mega_Page ||
    t === ObjectType.seL4_RISCV_Giga_Page
  );
}

// ---- rights

/** seL4_CapRights: bit 0 Write, 1 Read, 2 Grant, 3 GrantReply; the rest ignored. */
export interface CapRights {
  readonly allowWrite: boolean;
  readonly allowRead: boolean;
  readonly allowGrant: boolean;
  readonly allowGrantReply: boolean;
}

export function rightsFromWord(w: bigint): CapRights {
  const bits = Number(w & 0xfn); // PERF (sel4test): one BigInt operation, not four
  return {
    allowWrite: (bits & 1) !== 0,
    allowRead: (bits & 2) !== 0,
    allowGrant: (bits & 4) !== 0,
    allowGrantReply: (bits & 8) !== 0,
  };
}

/**
 * Frame rights after a mask (seL4's maskVMRights): write-only does not
 * exist, so anything without Read leaves the frame kernel-only.
 */
export function maskVMRights(r: FrameRights, m: CapRights): FrameRights {
  if (r === "ReadOnly" && m.allowRead) return "ReadOnly";
  if (r === "ReadWrite" && m.allowRead) return m.allowWrite ? "ReadWrite" : "ReadOnly";
  return "KernelOnly";
}

/** The cap with its rights ANDed with the mask; caps without rights are unchanged. */
export function maskCapRights(m: CapRights, cap: Cap): Cap {
  switch (cap.type) {
    case "EndpointCap":
      return {
        ...cap,
        canSend: cap.canSend && m.allowWrite,
        canReceive: cap.canReceive && m.allowRead,
        canGrant: cap.canGrant && m.allowGrant,
        canGrantReply: cap.canGrantReply && m.allowGrantReply,
      };
    case "NotificationCap":
      return {
        ...cap,
        canSend: cap.canSend && m.allowWrite,
        canReceive: cap.canReceive && m.allowRead,
      };
    case "ReplyCap":
      return { ...cap, canGrant: cap.canGrant && m.allowGrant };
    case "FrameCap":
      return frameCapWith(cap, maskVMRights(cap.rights, m), cap.mapping);
    default:
      return cap;
  }
}

/**
 * Applies a Mint/Mutate data word (seL4's updateCapData). Returns NullCap
 * when the result would be invalid: re-badging a badged EP/notification,
 * any badge change when `preserve` (Mutate, Rotate), or a CNode whose guard
 * and radix exceed the word.
 */
export function updateCapData(preserve: boolean, data: bigint, cap: Cap): Cap {
  switch (cap.type) {
    case "EndpointCap":
    case "NotificationCap":
      return !preserve && cap.badge === 0n ? { ...cap, badge: data } : NullCap;
    case "CNodeCap": {
      // seL4_CNode_CapData: guardSize in bits 5..0, guard in bits 63..6.
      const guardSize = Number(data & 0x3fn);
      if (guardSize + cap.obj.radix > 64) return NullCap;
      const guard = (data >> 6n) & ((1n << BigInt(guardSize)) - 1n);
      return { ...cap, guard, guardSize };
    }
    default:
      return cap;
  }
}

export type DeriveCapResult = { ok: true; cap: Cap } | { ok: false; error: SyscallError };

/**
 * The cap a copy of `cap` (found in `slot`) would hold (seL4's deriveCap).
 * IRQControl and reply caps cannot be copied (NullCap); an untyped only
 * while it has no children; a page table only while mapped; frame copies
 * start unmapped.
 */
export function deriveCap(slot: CTE, cap: Cap): DeriveCapResult {
  switch (cap.type) {
    case "IRQControlCap":
    case "ReplyCap":
      return { ok: true, cap: NullCap };
    case "UntypedCap": {
      const e = ensureNoChildren(slot);
      if (e) return { ok: false, error: e };
      // seL4 keeps the free index in each cap word: a copy has its own.
      return { ok: true, cap: { ...cap, obj: { freeIndex: cap.obj.freeIndex } } };
    }
    case "PageTableCap":
      return cap.mapping ? { ok: true, cap } : { ok: false, error: { type: "IllegalOperation" } };
    case "FrameCap":
      return { ok: true, cap: frameCapWith(cap, cap.rights, undefined) };
    default:
      return { ok: true, cap };
  }
}

/** Whether a cap may be the target of CNode_CancelBadgedSends: an endpoint cap with all rights. */
export function hasCancelSendRights(cap: Cap): cap is CapOf<"EndpointCap"> {
  return (
    cap.type === "EndpointCap" && cap.canSend && cap.canReceive && cap.canGrant && cap.canGrantReply
  );
}

// ---- identity

/** Whether the cap names memory (seL4's cap_get_capIsPhysical). */
export function capIsPhysical(cap: Cap): boolean {
  switch (cap.type) {
    case "NullCap":
    case "DomainCap":
    case "ReplyCap":
    case "IRQControlCap":
    case "IRQHandlerCap":
    case "ASIDControlCap":
      return false;
    default:
      return true;
  }
}

/** Physical address of the object a physical cap names (seL4's cap_get_capPtr). */
export function capPtr(cap: Cap): bigint {
  switch (cap.type) {
    case "UntypedCap":
    case "FrameCap":
    case "PageTableCap":
      return cap.paddr;
    case "EndpointCap":
    case "NotificationCap":
    case "CNodeCap":
      return cap.obj.paddr;
    case "ThreadCap":
      return cap.tcb.paddr;
    case "ASIDPoolCap":
      return cap.pool.paddr;
    default:
      return 0n;
  }
}

/** log2 of the object's size (seL4's cap_get_capSizeBits). */
export function capSizeBits(cap: Cap): number {
  switch (cap.type) {
    case "UntypedCap":
    case "FrameCap":
      return cap.sizeBits;
    case "EndpointCap":
      return seL4_EndpointBits;
    case "NotificationCap":
      return seL4_NotificationBits;
    case "CNodeCap":
      return cap.obj.radix + seL4_SlotBits;
    case "ThreadCap":
      return seL4_TCBBits;
    case "PageTableCap":
      return seL4_PageTableBits;
    case "ASIDPoolCap":
      return seL4_ASIDPoolBits;
    default:
      return 0;
  }
}

/** Whether an untyped [base, base + 2^sizeBits) covers the object b names. */
export function untypedCovers(paddr: bigint, sizeBits: number, b: Cap): boolean {
  if (!capIsPhysical(b)) return false;
  // [bBase, bBase + bSize) inside [paddr, paddr + aSize); seL4's extra
  // bBase <= bTop guards a wrap that BigInts cannot have.
  const bBase = capPtr(b);
  return paddr <= bBase && bBase + POW2[capSizeBits(b)]! <= paddr + POW2[sizeBits]!;
}

/** 2^i for object sizes 0..64. PERF (sel4test): made once, not per region check. */
const POW2: readonly bigint[] = Array.from({ length: 65 }, (_, i) => 1n << BigInt(i));

/**
 * Whether b names (part of) what a names (seL4's sameRegionAs): an untyped
 * covers everything physical inside it, a frame the frames inside it,
 * IRQControl every IRQ handler; otherwise the same object.
 */
export function sameRegionAs(a: Cap, b: Cap): boolean {
  switch (a.type) {
    case "UntypedCap":
      return untypedCovers(a.paddr, a.sizeBits, b);
    case "EndpointCap":
    case "NotificationCap":
    case "CNodeCap":
      return b.type === a.type && b.obj === a.obj;
    case "ThreadCap":
      return b.type === "ThreadCap" && b.tcb === a.tcb;
    case "ReplyCap":
      return b.type === "ReplyCap" && b.tcb === a.tcb;
    case "DomainCap":
    case "ASIDControlCap":
      return b.type === a.type;
    case "IRQControlCap":
      return b.type === "IRQControlCap" || b.type === "IRQHandlerCap";
    case "IRQHandlerCap":
      return b.type === "IRQHandlerCap" && b.irq === a.irq;
    case "FrameCap":
      // The same containment test as an untyped's, among frames.
      return b.type === "FrameCap" && untypedCovers(a.paddr, a.sizeBits, b);
    case "PageTableCap":
      return b.type === "PageTableCap" && b.paddr === a.paddr;
    case "ASIDPoolCap":
      return b.type === "ASIDPoolCap" && b.pool === a.pool;
    case "NullCap":
      return false;
  }
}

/**
 * Whether a and b name the same object (seL4's sameObjectAs): as
 * sameRegionAs, but an untyped or IRQControl is never "the same object" and
 * frames must match exactly.
 */
export function sameObjectAs(a: Cap, b: Cap): boolean {
  if (a.type === "UntypedCap" || a.type === "IRQControlCap") return false;
  if (a.type === "FrameCap" && b.type === "FrameCap") {
    return a.paddr === b.paddr && a.sizeBits === b.sizeBits && a.isDevice === b.isDevice;
  }
  return sameRegionAs(a, b);
}

/**
 * Whether a copy becomes revocable, i.e. a parent of its own later copies
 * (seL4's isCapRevocable): a newly badged EP/notification, an IRQ handler
 * issued by IRQControl, an untyped.
 */
export function isCapRevocable(derived: Cap, src: Cap): boolean {
  switch (derived.type) {
    case "EndpointCap":
    case "NotificationCap":
      return src.type === derived.type && derived.badge !== src.badge;
    case "IRQHandlerCap":
      return src.type === "IRQControlCap";
    case "UntypedCap":
      return true;
    default:
      return false;
  }
}

// ---- finalisation

/**
 * Deletion of a CNode or TCB in progress (seL4's Zombie cap): the object's
 * slots, of which the first `n` still have to be emptied.
 */
export interface Zombie {
  /** The object's first slot (seL4's capZombiePtr). */
  readonly first: CTE;
  /**
   * The object's slot i, if it was ever named (an unnamed CNode slot is
   * empty), and the highest index below n of a named slot (-1: none).
   */
  readonly slots: { peek(i: number): CTE | undefined; lastNamedBelow(n: number): number };
  readonly n: number;
}

export interface FinaliseCapResult {
  /** undefined: the slot may now be emptied (seL4's NullCap remainder). */
  readonly remainder: Zombie | undefined;
  /** A cap whose deletion needs work after the slot is empty (IRQ handlers). */
  readonly cleanupInfo: Cap;
}

const removable: FinaliseCapResult = { remainder: undefined, cleanupInfo: NullCap };

/**
 * Tears down what a cap refers to when it is deleted (seL4's finaliseCap).
 * `final`: no other cap names the object. `exposed`: the caller
 * (cteDeleteOne) cannot deal with a zombie, so CNode and TCB caps are bugs.
 */
export function finaliseCap(
  kernel: Kernel,
  cap: Cap,
  final: boolean,
  exposed: boolean,
): FinaliseCapResult {
  switch (cap.type) {
    case "EndpointCap":
      if (final) cancelAllIPC(kernel, cap.obj);
      return removable;
    case "NotificationCap":
      if (final) {
        unbindMaybeNotification(kernel, cap.obj);
        cancelAllSignals(kernel, cap.obj);
      }
      return removable;
    case "ReplyCap":
    case "NullCap":
    case "DomainCap":
      return removable;
    case "FrameCap":
      // Each frame cap owns its own mapping: removed even when not final.
      if (cap.mapping)
        unmapPage(kernel, cap.sizeBits, cap.mapping.asid, cap.mapping.vaddr, cap.paddr);
      return removable;
    case "PageTableCap":
      if (final && cap.mapping) {
        const root = findVSpaceForASID(kernel.ks, cap.mapping.asid);
        if (root.ok && root.paddr === cap.paddr) deleteASID(kernel, cap.mapping.asid, cap.paddr);
        else unmapPageTable(kernel, cap.mapping.asid, cap.mapping.vaddr, cap.paddr);
      }
      return removable;
    case "ASIDPoolCap":
      if (final) deleteASIDPool(kernel, cap.asidBase, cap.pool);
      return removable;
    case "ASIDControlCap":
    case "UntypedCap":
    case "IRQControlCap":
      return removable;
    default:
      break;
  }
  if (exposed) throw new Error(`finaliseCap: ${cap.type} cannot be finalised immediately`);
  switch (cap.type) {
    case "CNodeCap":
      if (final)
        return {
          remainder: { first: cap.obj.slot(0), slots: cap.obj, n: cap.obj.size },
          cleanupInfo: NullCap,
        };
      return removable;
    case "ThreadCap":
      if (final) {
        const tcb = cap.tcb;
        unbindNotification(kernel, tcb);
        suspend(kernel, tcb);
        kernel.ks.threads.delete(tcb); // seL4's tcbDebugRemove
        const slots = tcb.cnode;
        return {
          remainder: {
            first: slots[0]!,
            slots: { peek: (i) => slots[i], lastNamedBelow: (n) => Math.min(n, slots.length) - 1 },
            n: slots.length,
          },
          cleanupInfo: NullCap,
        };
      }
      return removable;
    case "IRQHandlerCap":
      // The IRQ becomes Inactive once the slot is empty (postCapDeletion).
      if (final) {
        deletingIRQHandler(kernel, cap.irq);
        return { remainder: undefined, cleanupInfo: cap };
      }
      return removable;
  }
}

// ---- creation

/**
 * A new object of type t at paddr, and the cap to it (seL4's createObject).
 * The memory is already zero (untyped memory above the watermark always is).
 * Frames and page tables mark their pages dirty: from now on they may be
 * written (see PhysicalMemory).
 */
export function createObject(
  kernel: Kernel,
  t: ObjectType,
  paddr: bigint,
  userSize: number,
  isDevice: boolean,
): Cap {
  switch (t) {
    case ObjectType.seL4_TCBObject: {
      const tcb = new TCB(paddr);
      tcb.timeSlice = CONFIG_TIME_SLICE;
      tcb.domain = kernel.ks.curDomain;
      kernel.ks.threads.add(tcb); // seL4's tcbDebugAppend
      return { type: "ThreadCap", tcb };
    }
    case ObjectType.seL4_EndpointObject:
      return {
        type: "EndpointCap",
        obj: new Endpoint(paddr),
        badge: 0n,
        canSend: true,
        canReceive: true,
        canGrant: true,
        canGrantReply: true,
      };
    case ObjectType.seL4_NotificationObject:
      return {
        type: "NotificationCap",
        obj: new Notification(paddr),
        badge: 0n,
        canSend: true,
        canReceive: true,
      };
    case ObjectType.seL4_CapTableObject:
      return { type: "CNodeCap", obj: new CNode(paddr, userSize), guard: 0n, guardSize: 0 };
    case ObjectType.seL4_UntypedObject:
      return { type: "UntypedCap", paddr, sizeBits: userSize, isDevice, obj: { freeIndex: 0n } };
    case ObjectType.seL4_RISCV_4K_Page:
    case ObjectType.seL4_RISCV_Mega_Page:
    case ObjectType.seL4_RISCV_Giga_Page: {
      const sizeBits = getObjectSize(t, 0);
      // The user (and the kernel, for IPC buffers) may write it from now on.
      if (!isDevice) kernel.mem.markDirty(paddr, 1n << BigInt(sizeBits));
      return {
        type: "FrameCap",
        paddr,
        sizeBits,
        rights: "ReadWrite",
        isDevice,
        mapping: undefined,
      };
    }
    case ObjectType.seL4_RISCV_PageTableObject:
      kernel.mem.markDirty(paddr, 1n << BigInt(seL4_PageTableBits));
      return { type: "PageTableCap", paddr, mapping: undefined };
  }
}

/** A new ASID pool in a 4 KiB frame and its cap (MakePool; not a Retype type). */
export function createASIDPool(paddr: bigint, asidBase: number): CapOf<"ASIDPoolCap"> {
  return { type: "ASIDPoolCap", pool: new ASIDPool(paddr), asidBase };
}
