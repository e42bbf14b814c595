// Numeric constants of the riscv64 seL4 API: word and object sizes, message limits, priorities,
// address-space limits.
//
// Sources (seL4/seL4 16.0.0):
//   [s]  libsel4/sel4_arch_include/riscv64/sel4/sel4_arch/constants.h
//   [c]  libsel4/include/sel4/constants.h
//   [m]  libsel4/mode_include/64/sel4/mode/types.h
//   [t]  libsel4/include/sel4/types.h
//   [b]  libsel4/include/sel4/bootinfo_types.h
//   [a]  libsel4/arch_include/riscv/sel4/arch/types.h
//   [mp] libsel4/sel4_arch_include/riscv64/sel4/sel4_arch/mapping.h
// Values that depend on the configuration read interface/config.ts.

import { configNumber, configOn } from "./config.js";
import type { Versioned } from "./release.js";

export interface Constant extends Versioned {
  readonly name: string;
  readonly value: number;
  /** How libsel4 declares it: a #define (default) or a member of the named C enum. */
  readonly cEnum?: string;
  /** The C spelling when it is not the plain value (kept so types match libsel4's). */
  readonly cExpr?: string;
  /** Print the value in hex. */
  readonly hex?: boolean;
  readonly source: string;
}

const hasFpu = configOn("CONFIG_HAVE_FPU");
const userTop = 0x3f_ffff_f000;

export const constants: readonly Constant[] = [
  // Words [s], [m]
  { name: "seL4_WordBits", value: 64, source: "[s]" },
  { name: "seL4_WordSizeBits", value: 3, source: "[s]" },
  { name: "seL4_GuardSizeBits", value: 6, source: "[m]" },
  { name: "seL4_GuardBits", value: 58, source: "[m]" },
  { name: "seL4_BadgeBits", value: 64, source: "[m]" },

  // Object sizes (log2 bytes) [s], [a]
  { name: "seL4_SlotBits", value: 5, source: "[s]" },
  { name: "seL4_NotificationBits", value: 5, source: "[s] (MCS: 6)" },
  { name: "seL4_EndpointBits", value: 4, source: "[s], also [a]" },
  { name: "seL4_IPCBufferSizeBits", value: 10, source: "[s]" },
  {
    name: "seL4_TCBBits",
    value: hasFpu ? 11 : 10,
    source: "[s]: 11 with CONFIG_HAVE_FPU, else 10",
  },
  { name: "seL4_PageTableEntryBits", value: 3, source: "[s]" },
  { name: "seL4_PageTableIndexBits", value: 9, source: "[s]" },
  { name: "seL4_PageBits", value: 12, source: "[s]" },
  { name: "seL4_LargePageBits", value: 21, source: "[s]" },
  { name: "seL4_HugePageBits", value: 30, source: "[s]" },
  { name: "seL4_TeraPageBits", value: 39, source: "[s] (no such frame under Sv39)" },
  { name: "seL4_PageTableBits", value: 12, source: "[s]" },
  { name: "seL4_VSpaceBits", value: 12, cExpr: "seL4_PageTableBits", source: "[s]" },
  { name: "seL4_NumASIDPoolsBits", value: 7, source: "[s]" },
  { name: "seL4_ASIDPoolIndexBits", value: 9, source: "[s]" },
  { name: "seL4_ASIDPoolBits", value: 12, source: "[s]" },
  { name: "seL4_MinUntypedBits", value: 4, source: "[s]" },
  { name: "seL4_MaxUntypedBits", value: 38, source: "[s]" },

  // Address space [s]
  {
    name: "seL4_UserTop",
    value: userTop,
    hex: true,
    source: "[s] (first address user code cannot use)",
  },
  {
    name: "seL4_UserVSpaceTop",
    value: userTop - 1,
    cExpr: "(seL4_UserTop - 1)",
    since: "16.0",
    source: "[s] (last address user code can use)",
  },

  // Messages [c]
  { name: "seL4_MsgLengthBits", value: 7, cEnum: "seL4_MsgLimits", source: "[c]" },
  { name: "seL4_MsgExtraCapBits", value: 2, cEnum: "seL4_MsgLimits", source: "[c]" },
  { name: "seL4_MsgMaxLength", value: 120, cEnum: "seL4_MsgLimits", source: "[c]" },
  {
    name: "seL4_MsgMaxExtraCaps",
    value: 3,
    cExpr: "(LIBSEL4_BIT(seL4_MsgExtraCapBits) - 1)",
    source: "[c]",
  },
  { name: "seL4_CapRightsBits", value: 4, source: "[c]" },

  // Priorities [c]
  { name: "seL4_InvalidPrio", value: -1, cEnum: "priorityConstants", source: "[c]" },
  { name: "seL4_MinPrio", value: 0, cEnum: "priorityConstants", source: "[c]" },
  {
    name: "seL4_MaxPrio",
    value: configNumber("CONFIG_NUM_PRIORITIES") - 1,
    cEnum: "priorityConstants",
    cExpr: "CONFIG_NUM_PRIORITIES - 1",
    source: "[c]",
  },

  // Untyped and boot [t], [b]
  {
    name: "seL4_UntypedRetypeMaxObjects",
    value: configNumber("CONFIG_RETYPE_FAN_OUT_LIMIT"),
    cExpr: "CONFIG_RETYPE_FAN_OUT_LIMIT",
    source: "[t]",
  },
  { name: "seL4_NilData", value: 0, source: "[t]" },
  { name: "seL4_BootInfoFrameBits", value: 12, cExpr: "seL4_PageBits", source: "[b]" },
  {
    name: "seL4_BootInfoFrameSize",
    value: 4096,
    cExpr: "LIBSEL4_BIT(seL4_BootInfoFrameBits)",
    source: "[b]",
  },

  // Mapping failures [mp]: a failed Page_Map's FailedLookup error carries bitsLeft in MR2.
  { name: "SEL4_MAPPING_LOOKUP_LEVEL", value: 2, source: "[mp]" },
  { name: "SEL4_MAPPING_LOOKUP_NO_PT", value: 21, source: "[mp]" },
];

/** seL4_TCBFlag (14.0+), for TCB_SetFlags [c]. MASK = the flags the kernel lets user code set. */
export const tcbFlags = {
  seL4_TCBFlag_NoFlag: 0,
  seL4_TCBFlag_fpuDisabled: 1,
  seL4_TCBFlag_MASK: hasFpu ? 1 : 0,
} as const;
export const tcbFlagsSince = "14.0" as const;

/** seL4_RISCV_VMAttributes [a]: the attr word of Page_Map / PageTable_Map. */
export const vmAttributes = {
  seL4_RISCV_ExecuteNever: 0x1,
  seL4_RISCV_Default_VMAttributes: 0,
} as const;
