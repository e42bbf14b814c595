// What the root task finds at boot: the capabilities in its CNode's first slots and the
// seL4_BootInfo frame (a0 at entry points to it) describing the rest.
//
// Source: seL4/seL4 16.0.0 libsel4/include/sel4/bootinfo_types.h (seL4_RootCNodeCapSlots,
// seL4_SlotRegion, seL4_UntypedDesc, seL4_BootInfo, seL4_BootInfoHeader, seL4_BootInfoID).
// Offsets are for 64-bit words, non-MCS (MCS inserts a `schedcontrol` region before `untyped`).

import { configNumber } from "./config.js";
import { checkLayout, type StructLayout } from "./layout.js";

/** seL4_RootCNodeCapSlots. Slots a RISC-V kernel leaves empty are marked "null on RISC-V". */
export const initialCaps = [
  { name: "seL4_CapNull", slot: 0, note: "always empty" },
  { name: "seL4_CapInitThreadTCB", slot: 1, note: "root task TCB" },
  { name: "seL4_CapInitThreadCNode", slot: 2, note: "root CNode" },
  {
    name: "seL4_CapInitThreadVSpace",
    slot: 3,
    note: "root page table (alias seL4_CapInitThreadPD)",
  },
  { name: "seL4_CapIRQControl", slot: 4, note: "IRQ control" },
  { name: "seL4_CapASIDControl", slot: 5, note: "ASID control" },
  { name: "seL4_CapInitThreadASIDPool", slot: 6, note: "the first ASID pool" },
  { name: "seL4_CapIOPortControl", slot: 7, note: "null on RISC-V (x86 only)" },
  { name: "seL4_CapIOSpace", slot: 8, note: "null on RISC-V (no IOMMU)" },
  { name: "seL4_CapBootInfoFrame", slot: 9, note: "the frame holding seL4_BootInfo" },
  { name: "seL4_CapInitThreadIPCBuffer", slot: 10, note: "root task IPC buffer frame" },
  { name: "seL4_CapDomain", slot: 11, note: "domain control" },
  { name: "seL4_CapSMMUSIDControl", slot: 12, note: "null on RISC-V (Arm SMMU)" },
  { name: "seL4_CapSMMUCBControl", slot: 13, note: "null on RISC-V (Arm SMMU)" },
  { name: "seL4_CapInitThreadSC", slot: 14, note: "null on non-MCS" },
  { name: "seL4_CapSMC", slot: 15, note: "null on RISC-V (Arm SMC)" },
] as const;

/** seL4_NumInitialCaps: the first slot the kernel fills with boot-time caps (frames, untypeds). */
export const seL4_NumInitialCaps = 16;

/** `#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace` */
export const initialCapAliases = { seL4_CapInitThreadPD: "seL4_CapInitThreadVSpace" } as const;

/** A half-open range [start, end) of CNode slots. */
export const seL4_SlotRegion: StructLayout = {
  name: "seL4_SlotRegion",
  tag: "seL4_SlotRegion",
  size: 16,
  fields: [
    { name: "start", cType: "seL4_SlotPos", offset: 0, size: 8 },
    { name: "end", cType: "seL4_SlotPos", offset: 8, size: 8 },
  ],
};

/** One boot untyped: isDevice 1 = device memory (never zeroed, frames and untyped only). */
export const seL4_UntypedDesc: StructLayout = {
  name: "seL4_UntypedDesc",
  tag: "seL4_UntypedDesc",
  size: 16,
  fields: [
    { name: "paddr", cType: "seL4_Word", offset: 0, size: 8 },
    { name: "sizeBits", cType: "seL4_Uint8", offset: 8, size: 1 },
    { name: "isDevice", cType: "seL4_Uint8", offset: 9, size: 1 },
    {
      name: "padding",
      cType: "seL4_Uint8",
      offset: 10,
      size: 1,
      count: 6,
      countExpr: "sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)",
    },
  ],
};

const maxUntypeds = configNumber("CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS");

const region = (name: string, offset: number) =>
  ({ name, cType: "seL4_SlotRegion", offset, size: 16 }) as const;

/**
 * seL4_BootInfo (non-MCS). The number of valid untypedList entries is untyped.end - untyped.start.
 * `empty` is the free slots; the others hold boot-time caps (sharedFrames and ioSpaceCaps are
 * empty on RISC-V).
 */
export const seL4_BootInfo: StructLayout = {
  name: "seL4_BootInfo",
  tag: "seL4_BootInfo",
  size: 168 + 16 * maxUntypeds,
  fields: [
    { name: "extraLen", cType: "seL4_Word", offset: 0, size: 8 },
    { name: "nodeID", cType: "seL4_NodeId", offset: 8, size: 8 },
    { name: "numNodes", cType: "seL4_Word", offset: 16, size: 8 },
    { name: "numIOPTLevels", cType: "seL4_Word", offset: 24, size: 8 },
    { name: "ipcBuffer", cType: "seL4_IPCBuffer *", offset: 32, size: 8 },
    region("empty", 40),
    region("sharedFrames", 56),
    region("userImageFrames", 72),
    region("userImagePaging", 88),
    region("ioSpaceCaps", 104),
    region("extraBIPages", 120),
    { name: "initThreadCNodeSizeBits", cType: "seL4_Word", offset: 136, size: 8 },
    { name: "initThreadDomain", cType: "seL4_Domain", offset: 144, size: 8 },
    region("untyped", 152),
    {
      name: "untypedList",
      cType: "seL4_UntypedDesc",
      offset: 168,
      size: 16,
      count: maxUntypeds,
      countExpr: "CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS",
    },
  ],
};

/** The header of each chunk of extra bootinfo (after the seL4_BootInfo frame); len includes it. */
export const seL4_BootInfoHeader: StructLayout = {
  name: "seL4_BootInfoHeader",
  tag: "seL4_BootInfoHeader",
  size: 16,
  fields: [
    { name: "id", cType: "seL4_Word", offset: 0, size: 8 },
    { name: "len", cType: "seL4_Word", offset: 8, size: 8 },
  ],
};

/** seL4_BootInfoID: chunk ids. A RISC-V kernel emits only FDT (a copy of the device tree). */
export const bootInfoIds = {
  SEL4_BOOTINFO_HEADER_PADDING: 0,
  SEL4_BOOTINFO_HEADER_X86_VBE: 1,
  SEL4_BOOTINFO_HEADER_X86_MBMMAP: 2,
  SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP: 3,
  SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER: 4,
  SEL4_BOOTINFO_HEADER_X86_TSC_FREQ: 5,
  SEL4_BOOTINFO_HEADER_FDT: 6,
  SEL4_BOOTINFO_HEADER_NUM: 7,
} as const;

for (const layout of [seL4_SlotRegion, seL4_UntypedDesc, seL4_BootInfo, seL4_BootInfoHeader]) {
  checkLayout(layout);
}
