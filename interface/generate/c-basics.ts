// Emits the headers that declare plain names and numbers: configuration, macros, integer types,
// constants, errors, object types, syscall numbers and invocation labels.

import { configOn, kernelConfig } from "../config.js";
import { type Constant, constants, tcbFlags, tcbFlagsSince } from "../constants.js";
import { errors, lookupFailureTypes } from "../errors.js";
import { capFaultMsg, faults } from "../faults.js";
import { allMethods } from "../methods.js";
import { objectTypeCounts, objectTypes, teraPagePlaceholder } from "../object-types.js";
import { DEFAULT_RELEASE, RELEASES, type Release, releaseNumber } from "../release.js";
import { syscallNumbers } from "../syscalls.js";
import { type CFile, cHeader, includes } from "./c.js";

/** `#if` line for an entry that exists from `since` on. */
export function releaseGuard(since: Release | undefined): string | null {
  return since === undefined ? null : `#if MICA_SEL4_RELEASE >= ${releaseNumber(since)}`;
}

/** Wraps lines in the release guard of `since`, if any. */
export function guarded(since: Release | undefined, lines: readonly string[]): string[] {
  const guard = releaseGuard(since);
  return guard === null ? [...lines] : [guard, ...lines, "#endif"];
}

function configH(): CFile {
  const known = RELEASES.map(releaseNumber);
  const body = [
    "/*",
    " * The seL4 release whose invocation labels and methods to use: 1300, 1400, 1500 or 1600",
    " * (13.0 ... 16.0). Build with -DMICA_SEL4_RELEASE=1400 for a kernel running 14.0 numbering.",
    " */",
    "#ifndef MICA_SEL4_RELEASE",
    `#define MICA_SEL4_RELEASE ${releaseNumber(DEFAULT_RELEASE)}`,
    "#endif",
    `#if ${known.map((n) => `MICA_SEL4_RELEASE != ${n}`).join(" && ")}`,
    `#error "MICA_SEL4_RELEASE must be one of ${known.join(", ")}"`,
    "#endif",
    "",
    "/* The kernel configuration (what seL4's generated gen_config.h would say). */",
    ...kernelConfig.flatMap((c) => {
      if (c.value === false) return [`/* ${c.name} is not set: ${c.note} */`];
      return [`#define ${c.name} ${c.value === true ? 1 : c.value} /* ${c.note} */`];
    }),
  ];
  return cHeader("sel4/config.h", "the kernel configuration and the seL4 release.", body);
}

function macrosH(): CFile {
  const body = [
    ...includes("sel4/config.h"),
    "",
    "#ifndef CONST",
    "#define CONST __attribute__((__const__))",
    "#endif",
    "#ifndef PURE",
    "#define PURE __attribute__((__pure__))",
    "#endif",
    "",
    "#define SEL4_PACKED __attribute__((packed))",
    "#define SEL4_DEPRECATED(x) __attribute__((deprecated(x)))",
    '#define SEL4_DEPRECATE_MACRO(x) _Pragma("deprecated") x',
    "#define LIBSEL4_UNUSED __attribute__((unused))",
    "#define LIBSEL4_WEAK __attribute__((weak))",
    "#define LIBSEL4_NOINLINE __attribute__((noinline))",
    "",
    "/* There is no libsel4 library in mica's SDK: every function is a static inline here. */",
    "#define LIBSEL4_INLINE static inline",
    "#define LIBSEL4_INLINE_FUNC static inline",
    "",
    "#ifdef CONFIG_LIB_SEL4_USE_THREAD_LOCALS",
    "#define LIBSEL4_THREAD_LOCAL __thread",
    "#else",
    "#define LIBSEL4_THREAD_LOCAL",
    "#endif",
    "",
    "#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L",
    "#define SEL4_COMPILE_ASSERT(name, expr) _Static_assert(expr, #name);",
    "#else",
    "#define SEL4_COMPILE_ASSERT(name, expr) \\",
    "    typedef int __assert_failed_##name[(expr) ? 1 : -1] LIBSEL4_UNUSED;",
    "#endif",
    "",
    "#define SEL4_SIZE_SANITY(index, entry, size) \\",
    "    SEL4_COMPILE_ASSERT(index##_##entry##_##size, (index) + (entry) == size)",
    "",
    "/* Makes an enum as wide as a long (libsel4's ABI depends on it for some enums). */",
    "#define SEL4_FORCE_LONG_ENUM(type) \\",
    "    _enum_pad_##type = ((1ULL << ((sizeof(long) * 8) - 1)) - 1)",
    "",
    "#define LIBSEL4_BIT(n) (1ul << (n))",
  ];
  return cHeader("sel4/macros.h", "attribute and helper macros libsel4 code uses.", body);
}

function assertH(): CFile[] {
  const assert = cHeader(
    "sel4/assert.h",
    "seL4_Assert and seL4_Fail (the C runtime provides __assert_fail).",
    [
      ...includes("sel4/macros.h"),
      "",
      "void __assert_fail(const char *str, const char *file, int line, const char *function);",
      "",
      "#define seL4_Fail(s) __assert_fail(s, __FILE__, __LINE__, __func__)",
      "#define seL4_Assert(expr) \\",
      "    do { \\",
      "        if (!(expr)) { \\",
      "            __assert_fail(#expr, __FILE__, __LINE__, __func__); \\",
      "        } \\",
      "    } while (0)",
      "#define seL4_CompileTimeAssert(expr) SEL4_COMPILE_ASSERT(seL4_CompileTimeAssert, expr)",
    ],
  );
  const debug = cHeader("sel4/debug_assert.h", "seL4_DebugAssert: seL4_Assert unless NDEBUG.", [
    "#ifdef NDEBUG",
    "#define seL4_DebugAssert(expr) ((void)(0))",
    "#else",
    ...includes("sel4/assert.h"),
    "#define seL4_DebugAssert(expr) seL4_Assert(expr)",
    "#endif",
  ]);
  return [assert, debug];
}

function simpleTypesH(): CFile {
  const ints = [8, 16, 32, 64] as const;
  const cName = { 8: "char", 16: "short", 32: "int", 64: "long" } as const;
  const body = [
    ...includes("sel4/macros.h"),
    "",
    "/* riscv64 (LP64): seL4_Word is a 64-bit unsigned long. */",
    "#define SEL4_WORD_IS_UINT64",
    "#define SEL4_INT64_IS_LONG",
    "",
    ...ints.flatMap((n) => [
      `typedef signed ${cName[n]} seL4_Int${n};`,
      `typedef unsigned ${cName[n]} seL4_Uint${n};`,
    ]),
    "",
    ...ints.flatMap((n) => [
      `SEL4_COMPILE_ASSERT(sizeof_seL4_Int${n}_is_${n / 8}_byte, sizeof(seL4_Int${n}) == ${n / 8})`,
      `SEL4_COMPILE_ASSERT(sizeof_seL4_Uint${n}_is_${n / 8}_byte, sizeof(seL4_Uint${n}) == ${n / 8})`,
    ]),
    "",
    "/* printf formats for the 64-bit types and for seL4_Word. */",
    ...["d", "i", "u", "x"].map((c) => `#define SEL4_PRI${c}64 "l${c}"`),
    ...["d", "i", "u", "x"].map((c) => `#define SEL4_PRI${c}_word "l${c}"`),
    "#define SEL4_PRI_word SEL4_PRIu_word",
    "",
    "#define seL4_True 1",
    "#define seL4_False 0",
    "typedef seL4_Int8 seL4_Bool;",
    "",
    "#ifdef __cplusplus",
    "#define seL4_Null 0L",
    "#else",
    "#define seL4_Null ((void *)0)",
    "#endif",
    "",
    "typedef seL4_Uint64 seL4_Word;",
    "typedef seL4_Word seL4_CPtr;",
  ];
  return cHeader("sel4/simple_types.h", "fixed-width integers, seL4_Word, seL4_CPtr.", body);
}

function constantValue(c: Constant): string {
  if (c.cExpr !== undefined) return c.cExpr;
  if (c.hex) return `0x${c.value.toString(16).padStart(16, "0")}`;
  return String(c.value);
}

/** An enum from `names` (MR indices counting from 0), closed by `${prefix}_Length`. */
function mrEnum(typeName: string, names: readonly string[], prefix: string): string[] {
  return [
    "typedef enum {",
    ...names.map((n, i) => `    ${n} = ${i},`),
    `    ${prefix}_Length,`,
    `} ${typeName};`,
  ];
}

function constantsH(): CFile {
  const defines = constants.filter((c) => c.cEnum === undefined);
  const enumNames = [...new Set(constants.flatMap((c) => (c.cEnum ? [c.cEnum] : [])))];
  const lines: string[] = [...includes("sel4/config.h", "sel4/macros.h"), ""];
  for (const c of defines) {
    lines.push(...guarded(c.since, [`#define ${c.name} ${constantValue(c)}`]));
  }
  lines.push("", "#ifndef __ASSEMBLER__", "");
  for (const e of enumNames) {
    lines.push(`enum ${e} {`);
    for (const c of constants.filter((k) => k.cEnum === e)) {
      lines.push(`    ${c.name} = ${constantValue(c)},`);
    }
    lines.push("};", "");
  }
  lines.push(
    "/* The first word of a lookup-failure description (FailedLookup errors, cap faults). */",
    "typedef enum {",
    ...lookupFailureTypes.map((t) => `    ${t.name} = ${t.number},`),
    "    SEL4_FORCE_LONG_ENUM(seL4_LookupFailureType),",
    "} seL4_LookupFailureType;",
    "",
    ...guarded(tcbFlagsSince, [
      "/* Flags of TCB_SetFlags; MASK is the set the kernel accepts. */",
      "typedef enum {",
      ...Object.entries(tcbFlags)
        .filter(([n]) => n !== "seL4_TCBFlag_MASK")
        .map(([n, v]) => `    ${n} = ${v},`),
      "    SEL4_FORCE_LONG_ENUM(seL4_TCBFlag),",
      `    seL4_TCBFlag_MASK = ${tcbFlags.seL4_TCBFlag_MASK},`,
      "} seL4_TCBFlag;",
    ]),
    "",
    "/* Message-register indices of fault messages (seL4_GetMR(seL4_VMFault_Addr) ...). */",
    "typedef enum {",
    ...Object.entries(capFaultMsg).map(([n, v]) => `    ${n} = ${v},`),
    "    SEL4_FORCE_LONG_ENUM(seL4_CapFault_Msg),",
    "} seL4_CapFault_Msg;",
  );
  for (const f of faults) {
    if (f.msgEnum === null || f.msgEnum === "seL4_CapFault_Msg") continue;
    const prefix = f.msgEnum.replace(/_Msg$/, "");
    lines.push("", ...mrEnum(f.msgEnum, f.mrs, prefix));
  }
  lines.push("", "#endif /* !__ASSEMBLER__ */");
  return cHeader(
    "sel4/constants.h",
    "sizes, limits, priorities, lookup-failure types and fault message indices.",
    lines,
  );
}

function errorsH(): CFile {
  const body = [
    "typedef enum {",
    ...errors.map((e) => `    ${e.name} = ${e.number},`),
    "    seL4_NumErrors",
    "} seL4_Error;",
  ];
  return cHeader("sel4/errors.h", "seL4_Error, the label of a failed invocation's reply.", body);
}

function objectTypeH(): CFile {
  const group = (g: string) => objectTypes.filter((t) => t.group === g);
  const members = (g: string) => group(g).map((t) => `    ${t.name} = ${t.number},`);
  const body = [
    ...includes("sel4/simple_types.h"),
    "",
    "typedef enum api_object {",
    ...members("api"),
    `    seL4_NonArchObjectTypeCount = ${objectTypeCounts.seL4_NonArchObjectTypeCount},`,
    "} seL4_ObjectType;",
    "",
    "typedef enum _mode_object {",
    ...members("mode"),
    `    seL4_ModeObjectTypeCount = ${objectTypeCounts.seL4_ModeObjectTypeCount},`,
    "} seL4_ModeObjectType;",
    "",
    "/* Sv39 has no 512 GiB frames: the name exists so code compiles; Retype rejects it. */",
    `#define seL4_RISCV_Tera_Page 0x${teraPagePlaceholder.toString(16)}`,
    "",
    "typedef enum _object {",
    ...members("arch"),
    `    seL4_ObjectTypeCount = ${objectTypeCounts.seL4_ObjectTypeCount},`,
    "} seL4_ArchObjectType;",
    "",
    'static const seL4_ObjectType seL4_AsyncEndpointObject __attribute__((deprecated("use seL4_NotificationObject"), unused)) =',
    "    seL4_NotificationObject;",
    "",
    "typedef seL4_Word api_object_t;",
    "typedef seL4_Word object_t;",
  ];
  return cHeader("sel4/objecttype.h", "the object types Untyped_Retype creates.", body);
}

/**
 * The syscall numbers. Only the debug syscalls mica's configuration enables are declared; their
 * numbers are the same in every release we know (checked here), so no release guard is needed.
 */
function syscallH(): CFile {
  const perRelease = RELEASES.map((r) => syscallNumbers(r));
  const current = syscallNumbers(DEFAULT_RELEASE);
  const lines = ["typedef enum {"];
  for (const s of current) {
    if (!s.needs.every((n) => configOn(n))) continue;
    for (const table of perRelease) {
      const other = table.find((t) => t.name === s.name);
      if (other && other.number !== s.number) {
        throw new Error(`seL4_Sys${s.name} is numbered differently across releases`);
      }
    }
    const cond = s.needs.map((n) => `defined(${n})`).join(" && ");
    lines.push(...(cond ? [`#if ${cond}`] : []), `    seL4_Sys${s.name} = ${s.number},`);
    if (cond) lines.push("#endif");
  }
  lines.push("    SEL4_FORCE_LONG_ENUM(seL4_Syscall_ID)", "} seL4_Syscall_ID;");
  return cHeader("sel4/syscall.h", "syscall numbers (the value in a7 at ecall).", [
    ...includes("sel4/config.h", "sel4/macros.h"),
    "",
    ...lines,
  ]);
}

/** Invocation labels as libsel4 declares them: enums numbered by position. */
function invocationH(): CFile {
  const lines = ["enum invocation_label {", "    InvalidInvocation,"];
  const member = (m: (typeof allMethods)[number], first: string | null) =>
    guarded(m.since, [`    ${m.label}${first ? ` = ${first}` : ""},`]);
  for (const m of allMethods.filter((k) => k.layer === "generic")) lines.push(...member(m, null));
  lines.push("    nInvocationLabels", "};", "");
  lines.push("/* riscv64 adds no labels of its own. */");
  lines.push("enum sel4_arch_invocation_label {");
  lines.push("    nSeL4ArchInvocationLabels = nInvocationLabels", "};", "");
  lines.push("enum arch_invocation_label {");
  const arch = allMethods.filter((k) => k.layer === "arch");
  for (const [i, m] of arch.entries()) {
    if (i === 0 && m.since !== undefined) throw new Error("the first arch label cannot be guarded");
    lines.push(...member(m, i === 0 ? "nSeL4ArchInvocationLabels" : null));
  }
  lines.push("    nArchInvocationLabels", "};");
  return cHeader(
    "sel4/invocation.h",
    "invocation labels (the message label of a call on a kernel object).",
    [...includes("sel4/config.h"), "", ...lines],
  );
}

export function basicHeaders(): CFile[] {
  return [
    configH(),
    macrosH(),
    ...assertH(),
    simpleTypesH(),
    constantsH(),
    errorsH(),
    objectTypeH(),
    syscallH(),
    invocationH(),
  ];
}
