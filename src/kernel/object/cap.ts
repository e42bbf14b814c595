// Capabilities: what a CNode slot can hold (seL4/seL4:
// include/object/structures.h, spec/haskell/src/SEL4/Object/Structures.lhs).
// A cap names an object by reference plus the per-cap data seL4 keeps in
// its 128-bit cap words (rights, badge, guard, mapping). Tags equal seL4's
// cap type names.

import type { ASIDPool } from "../arch/riscv/asid.js";
import type { CNode } from "./cnode.js";
import type { Endpoint } from "./endpoint.js";
import type { Notification } from "./notification.js";
import type { TCB } from "./tcb.js";

export type Cap =
  | { readonly type: "NullCap" }
  | {
      readonly type: "UntypedCap";
      readonly paddr: bigint;
      readonly sizeBits: number;
      readonly isDevice: boolean;
      /** This cap's free index (seL4 keeps it per cap: a derived copy gets its own). */
      readonly obj: UntypedObject;
    }
  | {
      readonly type: "EndpointCap";
      readonly obj: Endpoint;
      readonly badge: bigint;
      readonly canSend: boolean;
      readonly canReceive: boolean;
      readonly canGrant: boolean;
      readonly canGrantReply: boolean;
    }
  | {
      readonly type: "NotificationCap";
      readonly obj: Notification;
      readonly badge: bigint;
      readonly canSend: boolean;
      readonly canReceive: boolean;
    }
  | {
      readonly type: "ReplyCap";
      readonly tcb: TCB;
      readonly master: boolean;
      readonly canGrant: boolean;
    }
  | {
      readonly type: "CNodeCap";
      readonly obj: CNode;
      readonly guardSize: number;
      readonly guard: bigint;
    }
  | { readonly type: "ThreadCap"; readonly tcb: TCB }
  | { readonly type: "IRQControlCap" }
  | { readonly type: "IRQHandlerCap"; readonly irq: number }
  | { readonly type: "DomainCap" }
  | {
      readonly type: "FrameCap";
      readonly paddr: bigint;
      /** 12 (4 KiB), 21 (2 MiB) or 30 (1 GiB). */
      readonly sizeBits: number;
      readonly rights: FrameRights;
      readonly isDevice: boolean;
      readonly mapping: Mapping | undefined;
    }
  | { readonly type: "PageTableCap"; readonly paddr: bigint; readonly mapping: Mapping | undefined }
  | { readonly type: "ASIDControlCap" }
  | { readonly type: "ASIDPoolCap"; readonly pool: ASIDPool; readonly asidBase: number };

export type CapType = Cap["type"];
export type CapOf<T extends CapType> = Extract<Cap, { type: T }>;

/** Frame rights as seL4 stores them (no write-only frames). */
export type FrameRights = "ReadWrite" | "ReadOnly" | "KernelOnly";

/** Where a frame or page table is mapped: its address space (ASID) and virtual address. */
export interface Mapping {
  readonly asid: number;
  readonly vaddr: bigint;
}

/** The mutable part of an untyped cap: how much of the region is handed out. */
export interface UntypedObject {
  /** Bytes from the start already handed out (seL4's freeIndex, in bytes). */
  freeIndex: bigint;
}

export const NullCap: Cap = Object.freeze({ type: "NullCap" });

/**
 * A frame cap like `cap` but with the given rights and mapping.
 * PERF (sel4test, ~600k Page_Map/Unmap): frame and page-table caps are
 * built field by field in their declared order, here and at creation, so
 * they share one hidden class; a spread copy ({ ...cap, mapping }) cost
 * ~300 ns each.
 */
export function frameCapWith(
  cap: CapOf<"FrameCap">,
  rights: FrameRights,
  mapping: Mapping | undefined,
): CapOf<"FrameCap"> {
  return {
    type: "FrameCap",
    paddr: cap.paddr,
    sizeBits: cap.sizeBits,
    rights,
    isDevice: cap.isDevice,
    mapping,
  };
}

/** A page-table cap like `cap` but with the given mapping (see frameCapWith). */
export function pageTableCapWith(
  cap: CapOf<"PageTableCap">,
  mapping: Mapping | undefined,
): CapOf<"PageTableCap"> {
  return { type: "PageTableCap", paddr: cap.paddr, mapping };
}

/** seL4's cap-type tags as DebugCapIdentify reports them (structures.bf, riscv64). */
export const CAP_TAG: Record<CapType, number> = {
  NullCap: 0,
  FrameCap: 1,
  UntypedCap: 2,
  PageTableCap: 3,
  EndpointCap: 4,
  NotificationCap: 6,
  ReplyCap: 8,
  CNodeCap: 10,
  ASIDControlCap: 11,
  ThreadCap: 12,
  ASIDPoolCap: 13,
  IRQControlCap: 14,
  IRQHandlerCap: 16,
  DomainCap: 20,
};
