// Emits the headers that declare types: the bit-field words and the fault union, the IPC buffer,
// seL4_UserContext, capability typedefs, boot info, and the fault-message readers.

import {
  bitfieldBlocks,
  namedRights,
  seL4_CapRights,
  seL4_CNode_CapData,
  seL4_Fault,
  seL4_MessageInfo,
  vm_attributes,
} from "../bitfields.js";
import {
  bootInfoIds,
  initialCapAliases,
  initialCaps,
  seL4_BootInfo,
  seL4_BootInfoHeader,
  seL4_NumInitialCaps,
  seL4_SlotRegion,
  seL4_UntypedDesc,
} from "../bootinfo.js";
import { vmAttributes } from "../constants.js";
import { faults } from "../faults.js";
import { seL4_IPCBuffer } from "../ipc-buffer.js";
import type { StructLayout } from "../layout.js";
import { capTypedefs, paramTypes } from "../param-types.js";
import { userContext } from "../registers.js";
import { type CFile, cHeader, includes } from "./c.js";
import { emitBlock, emitTaggedUnion } from "./c-bitfield.js";

/** A struct declaration from a layout, followed by compile-time checks of every offset. */
export function emitStruct(layout: StructLayout): string[] {
  const decl = (f: StructLayout["fields"][number]) => {
    const pointer = f.cType.endsWith("*");
    const type = pointer ? f.cType.slice(0, -1).trimEnd() : f.cType;
    const name = `${pointer ? "*" : ""}${f.name}`;
    return f.count === undefined
      ? `    ${type} ${name};`
      : `    ${type} ${name}[${f.countExpr ?? f.count}];`;
  };
  const align = layout.align ? ` __attribute__((__aligned__(${layout.align})))` : "";
  return [
    `typedef struct ${layout.tag} {`,
    ...layout.fields.map(decl),
    `} ${layout.name}${align};`,
    "",
    `SEL4_COMPILE_ASSERT(${layout.name}_size, sizeof(${layout.name}) == ${layout.size})`,
    ...layout.fields.map(
      (f) =>
        `SEL4_COMPILE_ASSERT(${layout.name}_${f.name}_offset, ` +
        `__builtin_offsetof(${layout.name}, ${f.name}) == ${f.offset})`,
    ),
    "",
  ];
}

function rightsMacro(name: string, bits: number): string {
  const bit = (n: number) => (bits >> n) & 1;
  return `#define ${name} seL4_CapRights_new(${bit(3)}, ${bit(2)}, ${bit(1)}, ${bit(0)})`;
}

function sharedTypesH(): CFile {
  if (bitfieldBlocks.length !== 4) throw new Error("update sharedTypesH for new bit-field blocks");
  const body = [
    ...includes("sel4/config.h", "sel4/simple_types.h", "sel4/debug_assert.h", "sel4/constants.h"),
    "",
    "/* seL4_MessageInfo: a1 of every syscall (label, capsUnwrapped, extraCaps, length). */",
    ...emitBlock(seL4_MessageInfo),
    "/* seL4_CapRights: the rights word of CNode_Copy/Mint and Page_Map. */",
    ...emitBlock(seL4_CapRights),
    "/* seL4_CapRights_new(grantReply, grant, read, write) values with names. */",
    ...Object.entries(namedRights).map(([n, v]) => rightsMacro(n, v)),
    "",
    "/* seL4_CNode_CapData: the data word that sets a CNode cap's guard (CNode_Mint/Mutate). */",
    ...emitBlock(seL4_CNode_CapData),
    "/* vm_attributes: the attribute word of RISCV Page_Map/PageTable_Map. */",
    ...emitBlock(vm_attributes),
    "/* seL4_Fault_t: a fault message read back into one value (see seL4_getFault). */",
    ...emitTaggedUnion(seL4_Fault),
    "/* The IPC buffer (MR i >= 4 is msg[i]; extra caps and received badges in caps_or_badges). */",
    ...emitStruct(seL4_IPCBuffer),
  ];
  return cHeader(
    "sel4/shared_types.h",
    "message info, cap rights, CNode guard data, fault union and the IPC buffer.",
    body,
  );
}

function typesH(): CFile {
  const body = [
    ...includes(
      "sel4/config.h",
      "sel4/macros.h",
      "sel4/simple_types.h",
      "sel4/constants.h",
      "sel4/errors.h",
      "sel4/objecttype.h",
      "sel4/syscall.h",
      "sel4/shared_types.h",
    ),
    "",
    "typedef seL4_Word seL4_NodeId;",
    "typedef seL4_Word seL4_PAddr;",
    "typedef seL4_Word seL4_Domain;",
    "typedef seL4_Uint64 seL4_Time;",
    "",
    "/* Capability types: each is a cptr to a cap of that kind. */",
    ...capTypedefs.map((t) => `typedef seL4_CPtr ${t};`),
    "",
    "/* A thread's registers, in the order TCB_ReadRegisters/WriteRegisters send them. */",
    "typedef struct seL4_UserContext_ {",
    ...userContext.map((r) => `    seL4_Word ${r};`),
    "} seL4_UserContext;",
    "",
    "typedef enum {",
    ...Object.entries(vmAttributes).map(([n, v]) => `    ${n} = 0x${v.toString(16)},`),
    "    SEL4_FORCE_LONG_ENUM(seL4_RISCV_VMAttributes)",
    "} seL4_RISCV_VMAttributes;",
    "",
    "/* The sizes the invocation stubs' packing assumes (one word unless stated). */",
    ...Object.entries(paramTypes).map(([name, t]) => {
      const bytes = name === "seL4_Bool" ? 1 : t.bits / 8;
      return `SEL4_COMPILE_ASSERT(${name}_size, sizeof(${name}) == ${bytes})`;
    }),
  ];
  return cHeader("sel4/types.h", "all seL4 types (includes the headers they live in).", body);
}

function bootinfoTypesH(): CFile {
  const ids = Object.entries(bootInfoIds);
  const body = [
    ...includes("sel4/config.h", "sel4/macros.h", "sel4/types.h"),
    "",
    "/* The root task's first CNode slots. */",
    "enum seL4_RootCNodeCapSlots {",
    ...initialCaps.map((c) => `    ${c.name} = ${c.slot}, /* ${c.note} */`),
    `    seL4_NumInitialCaps = ${seL4_NumInitialCaps}`,
    "};",
    ...Object.entries(initialCapAliases).map(([a, n]) => `#define ${a} ${n}`),
    "",
    "typedef seL4_Word seL4_SlotPos;",
    "",
    "/* Slots [start, end). */",
    ...emitStruct(seL4_SlotRegion),
    ...emitStruct(seL4_UntypedDesc),
    ...emitStruct(seL4_BootInfo),
    "SEL4_COMPILE_ASSERT(seL4_BootInfo_fits_its_frame, sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize)",
    "",
    "/* Chunks of extra boot info (after the seL4_BootInfo frame) start with this header. */",
    "typedef enum {",
    ...ids.map(([n, v]) => `    ${n} = ${v},`),
    "    SEL4_FORCE_LONG_ENUM(seL4_BootInfoID)",
    "} seL4_BootInfoID;",
    "",
    ...emitStruct(seL4_BootInfoHeader),
  ];
  return cHeader(
    "sel4/bootinfo_types.h",
    "initial cap slots and the seL4_BootInfo frame layout.",
    body,
  );
}

function bootinfoH(): CFile {
  const deprecated =
    'SEL4_DEPRECATED("libsel4 management of bootinfo is deprecated, see the BootInfo Frame section of the manual")';
  const body = [
    ...includes("sel4/types.h", "sel4/bootinfo_types.h", "sel4/macros.h"),
    "",
    "/* Kept for old programs; the C runtime (not the headers) would define them. */",
    `void seL4_InitBootInfo(seL4_BootInfo *bi) ${deprecated};`,
    `seL4_BootInfo *seL4_GetBootInfo(void) ${deprecated};`,
  ];
  return cHeader("sel4/bootinfo.h", "boot info types and the legacy bootinfo accessors.", body);
}

function faultsH(): CFile {
  const newFrom = (f: { readonly name: string; readonly mrs: readonly string[] }) => {
    const args = f.mrs.map((m) => `seL4_GetMR(${m})`);
    const block = f.name.replace(/^seL4_Fault_/, "");
    return [
      `    case ${f.name}:`,
      `        return seL4_Fault_${block}_new(${args.join(",\n                    ")});`,
    ];
  };
  const cap = faults.find((f) => f.name === "seL4_Fault_CapFault")!;
  const arch = faults.filter((f) => f.label !== 0 && f.name !== "seL4_Fault_CapFault");
  // seL4_Fault_CapFault_new's last three fields are MR4..MR6, whatever the lookup failure.
  const capArgs = [...cap.mrs.slice(0, 5), "seL4_CapFault_GuardMismatch_GuardFound", cap.mrs[6]!];
  const body = [
    ...includes("sel4/config.h", "sel4/types.h", "sel4/functions.h"),
    "",
    "/* Builds a seL4_Fault_t from the fault message just received (arch-specific kinds). */",
    "LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_getArchFault(seL4_MessageInfo_t tag)",
    "{",
    "    switch (seL4_MessageInfo_get_label(tag)) {",
    ...arch.flatMap(newFrom),
    "    default:",
    "        return seL4_Fault_NullFault_new();",
    "    }",
    "}",
    "",
    "/* Builds a seL4_Fault_t from the fault message just received. */",
    "LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_getFault(seL4_MessageInfo_t tag)",
    "{",
    "    switch (seL4_MessageInfo_get_label(tag)) {",
    ...newFrom({ ...cap, mrs: capArgs }),
    "    default:",
    "        return seL4_getArchFault(tag);",
    "    }",
    "}",
    "",
    ...faults.flatMap((f) => {
      const kind = f.name.replace(/^seL4_Fault_/, "");
      return [
        `LIBSEL4_INLINE_FUNC seL4_Bool seL4_is${kind}_tag(seL4_MessageInfo_t tag)`,
        "{",
        `    return seL4_MessageInfo_get_label(tag) == ${f.name};`,
        "}",
        "",
      ];
    }),
  ];
  return cHeader("sel4/faults.h", "reading fault messages (seL4_getFault, seL4_is*_tag).", body);
}

export function typeHeaders(): CFile[] {
  return [sharedTypesH(), typesH(), bootinfoTypesH(), bootinfoH(), faultsH()];
}
