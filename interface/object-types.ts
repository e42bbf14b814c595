// Kernel object types that Untyped_Retype can create, with their numbers and sizes (non-MCS,
// riscv64, Sv39).
//
// Sources (seL4/seL4 16.0.0): libsel4/include/sel4/objecttype.h (generic: api_object),
// libsel4/sel4_arch_include/riscv64/sel4/sel4_arch/objecttype.h (mode: Giga page; Tera page only
// when CONFIG_PT_LEVELS > 3), libsel4/arch_include/riscv/sel4/arch/objecttype.h (arch). Numbers
// run on from one group to the next. Sizes: interface/constants.ts; object size rules:
// src/object/objecttype.c getObjectSize.

import { constants } from "./constants.js";

export type ObjectGroup = "api" | "mode" | "arch";

export interface ObjectType {
  readonly name: string;
  readonly number: number;
  /** Which libsel4 enum declares it (seL4_ObjectType, seL4_ModeObjectType, seL4_ArchObjectType). */
  readonly group: ObjectGroup;
  /**
   * Object size in bits: a fixed number, or "sized" when Retype's size_bits chooses it (Untyped:
   * 2^size_bits bytes; CapTable: 2^size_bits slots of 2^seL4_SlotBits bytes).
   */
  readonly sizeBits: number | "sized";
}

function bits(name: string): number {
  const c = constants.find((k) => k.name === name);
  if (!c) throw new Error(`no constant ${name}`);
  return c.value;
}

export const objectTypes = [
  { name: "seL4_UntypedObject", number: 0, group: "api", sizeBits: "sized" },
  { name: "seL4_TCBObject", number: 1, group: "api", sizeBits: bits("seL4_TCBBits") },
  { name: "seL4_EndpointObject", number: 2, group: "api", sizeBits: bits("seL4_EndpointBits") },
  {
    name: "seL4_NotificationObject",
    number: 3,
    group: "api",
    sizeBits: bits("seL4_NotificationBits"),
  },
  { name: "seL4_CapTableObject", number: 4, group: "api", sizeBits: "sized" },
  { name: "seL4_RISCV_Giga_Page", number: 5, group: "mode", sizeBits: bits("seL4_HugePageBits") },
  { name: "seL4_RISCV_4K_Page", number: 6, group: "arch", sizeBits: bits("seL4_PageBits") },
  { name: "seL4_RISCV_Mega_Page", number: 7, group: "arch", sizeBits: bits("seL4_LargePageBits") },
  {
    name: "seL4_RISCV_PageTableObject",
    number: 8,
    group: "arch",
    sizeBits: bits("seL4_PageTableBits"),
  },
] as const satisfies readonly ObjectType[];

/** The count markers that close each libsel4 enum (also the first number of the next group). */
export const objectTypeCounts = {
  seL4_NonArchObjectTypeCount: 5,
  seL4_ModeObjectTypeCount: 6,
  seL4_ObjectTypeCount: 9,
} as const;

/**
 * seL4_RISCV_Tera_Page is a #define to this placeholder when CONFIG_PT_LEVELS <= 3, so code that
 * names it still compiles; Retype rejects it (type >= seL4_ObjectTypeCount).
 */
export const teraPagePlaceholder = 0xffffffff;
