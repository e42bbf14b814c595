// Emits the invocation wrappers (sel4/client.h): one static inline function per object method,
// marshalling as libsel4's generated stubs do (seL4/seL4 16.0.0 libsel4/tools/syscall_stub_gen.py
// generate_stub): message info (label, 0, extra caps, length); MR0..MR3 passed to
// seL4_CallWithMRs, the rest stored with seL4_SetMR; caps with seL4_SetCap; the reply's label is
// the seL4_Error; on error MR0..MR3 are stored back so seL4_GetMR reads the error's details.
// Positions come from interface/marshal.ts.
//
// seL4: two deliberate differences from libsel4, invisible to the kernel: on error nothing is
// written to output arguments (libsel4 fills ReadRegisters' regs anyway), and the register copy
// loops of Read/WriteRegisters stop at the end of seL4_UserContext even if count is larger.

import { type MethodLayout, type MrArg, methodLayout } from "../marshal.js";
import { allMethods, type MethodOf } from "../methods.js";
import { paramTypes } from "../param-types.js";
import { seL4_FastMessageRegisters, userContext } from "../registers.js";
import { type CFile, cHeader, hexUll, includes, lowMask } from "./c.js";
import { guarded } from "./c-basics.js";

const NMR = seL4_FastMessageRegisters;
const STRUCT_WORDS = userContext.length;

function funcName(m: MethodOf): string {
  return `${m.interface}_${m.name}`;
}

function isStruct(type: keyof typeof paramTypes): boolean {
  return paramTypes[type].kind === "struct";
}

function resultType(m: MethodOf): string | null {
  return m.out.some((p) => !isStruct(p.type)) ? `${funcName(m)}_t` : null;
}

/** The C expression for the part of MR word `word` that argument `a` contributes. */
function part(a: MrArg, word: number): string {
  const kind = paramTypes[a.type].kind;
  if (kind === "struct") return `${a.name}->${userContext[word - a.mr]}`;
  if (kind === "bitfield") return `${a.name}.words[0]`;
  if (a.bits === 64) return a.name;
  const masked = `((seL4_Word)${a.name} & ${hexUll(lowMask(a.bits))})`;
  return a.shift === 0 ? masked : `(${masked} << ${a.shift})`;
}

/** Word index -> C expression, for every request word. */
function requestWords(layout: MethodLayout): string[] {
  const words: string[][] = Array.from({ length: layout.length }, () => []);
  for (const a of layout.mrArgs) {
    const n = Math.max(1, a.bits / 64);
    for (let w = a.mr; w < a.mr + n; w++) words[w]!.push(part(a, w));
  }
  return words.map((parts) => parts.join(" | "));
}

function signature(m: MethodOf): string {
  const params = [`${m.interface} _service`];
  for (const p of m.in)
    params.push(isStruct(p.type) ? `${p.type} *${p.name}` : `${p.type} ${p.name}`);
  for (const p of m.out) if (isStruct(p.type)) params.push(`${p.type} *${p.name}`);
  return `${funcName(m)}(${params.join(", ")})`;
}

function describe(m: MethodOf, layout: MethodLayout): string {
  const mrs = layout.mrArgs.map((a) =>
    a.bits > 64
      ? `MR${a.mr}.. ${a.name}`
      : a.bits === 64
        ? `MR${a.mr} ${a.name}`
        : `MR${a.mr}[${a.shift + a.bits - 1}:${a.shift}] ${a.name}`,
  );
  const caps = layout.capArgs.map((c) => `cap${c.cap} ${c.name}`);
  const outs = layout.results.map((r) => `MR${r.mr} ${r.name}`);
  const parts = [
    `label ${m.label}`,
    ...mrs,
    ...caps,
    ...(outs.length ? [`-> ${outs.join(", ")}`] : []),
  ];
  return `/* ${funcName(m)}: ${parts.join("; ")}. */`;
}

/** The `count` argument that bounds a struct's words (Read/WriteRegisters). */
function countArg(m: MethodOf): string {
  if (!m.in.some((p) => p.name === "count"))
    throw new Error(`${funcName(m)}: struct without count`);
  return "count";
}

function stub(m: MethodOf): string[] {
  const layout = methodLayout(m);
  const words = requestWords(layout);
  const result = resultType(m);
  const body: string[] = [];
  body.push(
    `seL4_MessageInfo_t tag = seL4_MessageInfo_new(${m.label}, 0, ${layout.extraCaps}, ${layout.length});`,
  );
  for (let i = 0; i < NMR; i++) body.push(`seL4_Word mr${i} = ${words[i] ?? "0"};`);
  for (const c of layout.capArgs) body.push(`seL4_SetCap(${c.cap}, ${c.name});`);
  const structIn = layout.mrArgs.find((a) => paramTypes[a.type].kind === "struct");
  if (structIn) {
    // Only the first `count` registers are sent (libsel4 does the same), the rest left as is.
    const first = NMR - structIn.mr;
    body.push(
      `for (seL4_Word i = ${first}; i < ${countArg(m)} && i < ${STRUCT_WORDS}; i++) {`,
      `    seL4_SetMR(${structIn.mr} + i, ((seL4_Word *)${structIn.name})[i]);`,
      "}",
    );
  } else {
    for (let i = NMR; i < words.length; i++) body.push(`seL4_SetMR(${i}, ${words[i]});`);
  }
  if (result) {
    const zeros = ["0", ...m.out.filter((p) => !isStruct(p.type)).map(() => "0")];
    body.push(`${result} result = { ${zeros.join(", ")} };`);
  }
  body.push("seL4_MessageInfo_t reply = seL4_CallWithMRs(_service, tag, &mr0, &mr1, &mr2, &mr3);");
  body.push("seL4_Error error = (seL4_Error)seL4_MessageInfo_get_label(reply);");
  body.push("if (error != seL4_NoError) {");
  body.push("    /* Leave the error's details where seL4_GetMR finds them. */");
  for (let i = 0; i < NMR; i++) body.push(`    seL4_SetMR(${i}, mr${i});`);
  body.push(
    result ? "    result.error = error;" : "",
    result ? "    return result;" : "    return error;",
  );
  body.push("}");
  const word = (i: number) => (i < NMR ? `mr${i}` : `seL4_GetMR(${i})`);
  for (const r of layout.results) {
    if (paramTypes[r.type].kind === "struct") {
      for (let i = 0; i < NMR - r.mr; i++)
        body.push(`${r.name}->${userContext[i]} = ${word(r.mr + i)};`);
      body.push(
        `for (seL4_Word i = ${NMR - r.mr}; i < ${countArg(m)} && i < ${STRUCT_WORDS}; i++) {`,
        `    ((seL4_Word *)${r.name})[i] = seL4_GetMR(${r.mr} + i);`,
        "}",
      );
    } else if (r.bits === 64) {
      body.push(`result.${r.name} = ${word(r.mr)};`);
    } else {
      body.push(`result.${r.name} = (${word(r.mr)} >> ${r.shift}) & ${hexUll(lowMask(r.bits))};`);
    }
  }
  body.push(result ? "result.error = error;" : "", result ? "return result;" : "return error;");
  const lines = [
    describe(m, layout),
    `LIBSEL4_INLINE ${result ?? "seL4_Error"}`,
    signature(m),
    "{",
    ...body.filter((l) => l !== "").map((l) => `    ${l}`),
    "}",
    "",
  ];
  return guarded(m.since, lines);
}

function resultStruct(m: MethodOf): string[] {
  const name = funcName(m);
  return guarded(m.since, [
    `struct ${name} {`,
    "    int error;",
    ...m.out.filter((p) => !isStruct(p.type)).map((p) => `    ${p.type} ${p.name};`),
    "};",
    `typedef struct ${name} ${name}_t;`,
    "",
  ]);
}

function clientH(): CFile {
  const body = [
    ...includes("sel4/config.h", "sel4/types.h", "sel4/invocation.h", "sel4/syscalls.h"),
    "",
    "/* What methods with results return: the error, then the results (valid if error is 0). */",
    ...allMethods.filter((m) => resultType(m) !== null).flatMap(resultStruct),
    ...allMethods.flatMap(stub),
  ];
  return cHeader("sel4/client.h", "one wrapper per kernel-object method (invocation).", body);
}

export function clientHeaders(): CFile[] {
  return [clientH()];
}
