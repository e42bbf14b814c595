// Emits the umbrella header <sel4/sel4.h>, <sel4/sel4_arch/mapping.h>, <sel4/deprecated.h>, and
// one-line forwarding headers at the other paths programs include (sel4/arch/..., sel4/sel4_arch/
// ..., sel4/mode/..., sel4/plat/...). libsel4 splits declarations between generic, arch and mode
// headers; here each topic lives in one header and those paths include it.

import { type CFile, cHeader, includes } from "./c.js";

function sel4H(): CFile {
  return cHeader("sel4/sel4.h", "everything a seL4 program uses; include this one.", [
    ...includes(
      "sel4/config.h",
      "sel4/macros.h",
      "sel4/types.h",
      "sel4/constants.h",
      "sel4/functions.h",
      "sel4/syscalls.h",
      "sel4/invocation.h",
      "sel4/client.h",
      "sel4/bootinfo.h",
      "sel4/faults.h",
      "sel4/deprecated.h",
    ),
  ]);
}

function mappingH(): CFile {
  return cHeader(
    "sel4/sel4_arch/mapping.h",
    "reading why a Page_Map failed (the page-table level that was missing).",
    [
      ...includes("sel4/constants.h", "sel4/functions.h"),
      "",
      "/*",
      " * After Page_Map fails with seL4_FailedLookup: the bitsLeft of the lookup failure, i.e.",
      " * the size of the region the missing table would cover (SEL4_MAPPING_LOOKUP_NO_PT when a",
      " * last-level table is missing).",
      " */",
      "LIBSEL4_INLINE_FUNC seL4_Word seL4_MappingFailedLookupLevel(void)",
      "{",
      "    return seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL);",
      "}",
    ],
  );
}

function deprecatedH(): CFile {
  return cHeader("sel4/deprecated.h", "old names libsel4 still accepts.", [
    ...includes("sel4/types.h", "sel4/functions.h", "sel4/faults.h"),
    "",
    'typedef seL4_CapRights_t seL4_CapRights SEL4_DEPRECATED("use seL4_CapRights_t");',
    'typedef seL4_Fault_tag_t seL4_FaultType SEL4_DEPRECATED("use seL4_Fault_tag_t");',
    'typedef seL4_Word seL4_CapData_t SEL4_DEPRECATED("Badge and guard data are just seL4_Word type");',
    "",
    "#define seL4_NoFault SEL4_DEPRECATE_MACRO(seL4_Fault_NullFault)",
    "#define seL4_CapFault SEL4_DEPRECATE_MACRO(seL4_Fault_CapFault)",
    "#define seL4_UnknownSyscall SEL4_DEPRECATE_MACRO(seL4_Fault_UnknownSyscall)",
    "#define seL4_UserException SEL4_DEPRECATE_MACRO(seL4_Fault_UserException)",
    "#define seL4_VMFault SEL4_DEPRECATE_MACRO(seL4_Fault_VMFault)",
    "",
    'static inline SEL4_DEPRECATED("Badges do not need to be constructed") seL4_Word',
    "seL4_CapData_Badge_new(seL4_Word badge)",
    "{",
    "    return badge;",
    "}",
    "",
    'static inline SEL4_DEPRECATED("Use seL4_CNode_CapData_new().words[0]") seL4_Word',
    "seL4_CapData_Guard_new(seL4_Word guard, seL4_Word bits)",
    "{",
    "    return seL4_CNode_CapData_new(guard, bits).words[0];",
    "}",
  ]);
}

/** Path -> the header it forwards to. */
const forwards: Record<string, string> = {
  "sel4/arch/constants.h": "sel4/constants.h",
  "sel4/arch/types.h": "sel4/types.h",
  "sel4/arch/objecttype.h": "sel4/objecttype.h",
  "sel4/arch/simple_types.h": "sel4/simple_types.h",
  "sel4/arch/shared_types.h": "sel4/shared_types.h",
  "sel4/arch/syscalls.h": "sel4/syscalls.h",
  "sel4/arch/invocation.h": "sel4/invocation.h",
  "sel4/arch/mapping.h": "sel4/sel4_arch/mapping.h",
  "sel4/sel4_arch/constants.h": "sel4/constants.h",
  "sel4/sel4_arch/types.h": "sel4/types.h",
  "sel4/sel4_arch/types_gen.h": "sel4/shared_types.h",
  "sel4/sel4_arch/objecttype.h": "sel4/objecttype.h",
  "sel4/sel4_arch/simple_types.h": "sel4/simple_types.h",
  "sel4/sel4_arch/syscalls.h": "sel4/syscalls.h",
  "sel4/sel4_arch/invocation.h": "sel4/invocation.h",
  "sel4/sel4_arch/faults.h": "sel4/faults.h",
  "sel4/shared_types_gen.h": "sel4/shared_types.h",
  "sel4/mode/types.h": "sel4/constants.h",
  "sel4/plat/api/constants.h": "sel4/constants.h",
};

function forwardH(path: string, target: string): CFile {
  return cHeader(path, `where libsel4 has this header; the names are in <${target}>.`, [
    ...includes(target),
  ]);
}

export function otherHeaders(): CFile[] {
  return [
    sel4H(),
    mappingH(),
    deprecatedH(),
    ...Object.entries(forwards).map(([path, target]) => forwardH(path, target)),
  ];
}
