// Compiles tests/sdk/headers.c, which uses every SDK wrapper and struct, against sdk/include with
// -Wall -Wextra -Werror, for both ABIs and every seL4 release the headers support. The struct
// offsets and the numbers it checks come from "expected.h", written here from interface/, so the
// headers are held to the ABI tables rather than to themselves.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  allMethods,
  blockBits,
  bootInfoIds,
  capFaultMsg,
  configOn,
  constants,
  errors,
  faults,
  initialCaps,
  inRelease,
  invocationLabels,
  kernelConfig,
  lookupFailureTypes,
  objectTypes,
  RELEASES,
  type Release,
  releaseNumber,
  type StructLayout,
  seL4_BootInfo,
  seL4_BootInfoHeader,
  seL4_Fault,
  seL4_IPCBuffer,
  seL4_SlotRegion,
  seL4_UntypedDesc,
  syscallNumbers,
  userContext,
} from "../../interface/index.js";
import { compile, haveCompiler, SDK_INCLUDE, TARGETS } from "./toolchain.js";

const HEADERS_C = new URL("./headers.c", import.meta.url);
const layouts: StructLayout[] = [
  seL4_IPCBuffer,
  seL4_SlotRegion,
  seL4_UntypedDesc,
  seL4_BootInfo,
  seL4_BootInfoHeader,
];

function check(expr: string, what: string): string {
  return `_Static_assert(${expr}, "${what.replace(/"/g, "'")}");`;
}

/** expected.h: the numbers of `release` as interface/ has them. */
function expectedHeader(release: Release): string {
  const lines = ["/* Written by tests/sdk/headers.test.ts from interface/. */", "#pragma once"];
  for (const l of layouts) {
    lines.push(`#define EXPECT_SIZE_${l.name} ${l.size}`);
    for (const f of l.fields) lines.push(`#define EXPECT_OFFSET_${l.name}_${f.name} ${f.offset}`);
  }
  lines.push(`#define EXPECT_SIZE_seL4_UserContext ${userContext.length * 8}`);
  for (const [i, r] of userContext.entries()) {
    lines.push(`#define EXPECT_OFFSET_seL4_UserContext_${r} ${i * 8}`);
  }
  lines.push(`#define EXPECT_SIZE_seL4_Fault_t ${blockBits(seL4_Fault.blocks[0]!) / 8}`);
  const labels = invocationLabels(release);
  for (const [name, n] of Object.entries(labels.labels)) lines.push(check(`${name} == ${n}`, name));
  lines.push(check(`nInvocationLabels == ${labels.nInvocationLabels}`, "nInvocationLabels"));
  lines.push(
    check(`nArchInvocationLabels == ${labels.nArchInvocationLabels}`, "nArchInvocationLabels"),
  );
  for (const s of syscallNumbers(release)) {
    if (s.needs.every((n) => configOn(n)))
      lines.push(check(`seL4_Sys${s.name} == ${s.number}`, s.name));
  }
  for (const t of objectTypes) lines.push(check(`${t.name} == ${t.number}`, t.name));
  for (const e of errors) lines.push(check(`${e.name} == ${e.number}`, e.name));
  for (const t of lookupFailureTypes) lines.push(check(`${t.name} == ${t.number}`, t.name));
  for (const c of initialCaps) lines.push(check(`${c.name} == ${c.slot}`, c.name));
  for (const f of faults) {
    lines.push(check(`${f.name} == ${f.label}`, f.name));
    if (f.msgEnum && f.msgEnum !== "seL4_CapFault_Msg") {
      for (const [i, mr] of f.mrs.entries()) lines.push(check(`${mr} == ${i}`, mr));
    }
  }
  for (const [name, n] of Object.entries(capFaultMsg)) lines.push(check(`${name} == ${n}`, name));
  for (const [name, n] of Object.entries(bootInfoIds)) lines.push(check(`${name} == ${n}`, name));
  for (const c of constants) {
    if (inRelease(c, release)) lines.push(check(`${c.name} == ${c.value}`, c.name));
  }
  for (const c of kernelConfig) {
    if (typeof c.value === "number") lines.push(check(`${c.name} == ${c.value}`, c.name));
  }
  return `${lines.join("\n")}\n`;
}

describe("SDK headers (sdk/include/sel4)", () => {
  const dir = mkdtempSync(join(tmpdir(), "mica-sdk-headers-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = readFileSync(HEADERS_C, "utf8");

  it("headers.c calls every invocation wrapper in interface/", () => {
    const missing = allMethods
      .map((m) => `${m.interface}_${m.name}(`)
      .filter((name) => !source.includes(name));
    expect(missing).toEqual([]);
  });

  it("headers.c checks every field of the shared structs", () => {
    const missing = layouts.flatMap((l) =>
      l.fields.map((f) => `OFFSET_IS(${l.name}, ${f.name})`).filter((s) => !source.includes(s)),
    );
    expect(missing).toEqual([]);
  });

  const cases = TARGETS.flatMap((target) => RELEASES.map((release) => ({ target, release })));
  it.skipIf(!haveCompiler).each(cases)(
    "compiles cleanly for $target.0 / $target.1, seL4 $release",
    ({ target, release }) => {
      const include = join(dir, `${target[0]!.slice("-march=".length)}-${release}`);
      mkdirSync(include, { recursive: true });
      writeFileSync(join(include, "expected.h"), expectedHeader(release));
      const r = compile([
        ...target,
        "-std=gnu11",
        "-O2",
        "-c",
        "-Wall",
        "-Wextra",
        "-Werror",
        `-DMICA_SEL4_RELEASE=${releaseNumber(release)}`,
        "-I",
        SDK_INCLUDE,
        "-I",
        include,
        "-o",
        join(include, "headers.o"),
        HEADERS_C.pathname,
      ]);
      expect(r.output).toBe("");
      expect(r.ok).toBe(true);
    },
  );

  it.skipIf(!haveCompiler)("every header compiles on its own", () => {
    const headers = readFileSync(join(SDK_INCLUDE, "sel4", "sel4.h"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("#include <"))
      .map((l) => l.slice("#include <".length, -1));
    const extra = ["sel4/sel4_arch/mapping.h", "sel4/arch/mapping.h", "sel4/bootinfo_types.h"];
    const failures: string[] = [];
    for (const h of [...headers, ...extra]) {
      const file = join(dir, `${h.replace(/\//g, "_")}.c`);
      writeFileSync(file, `#include <${h}>\n`);
      const r = compile([
        ...TARGETS[0],
        "-c",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-I",
        SDK_INCLUDE,
        "-o",
        `${file}.o`,
        file,
      ]);
      if (!r.ok) failures.push(`${h}:\n${r.output}`);
    }
    expect(failures).toEqual([]);
  });

  it.skipIf(!haveCompiler)("an unknown MICA_SEL4_RELEASE is refused", () => {
    const file = join(dir, "bad-release.c");
    writeFileSync(file, "#include <sel4/sel4.h>\n");
    const r = compile([
      ...TARGETS[0],
      "-c",
      "-DMICA_SEL4_RELEASE=1200",
      "-I",
      SDK_INCLUDE,
      "-o",
      `${file}.o`,
      file,
    ]);
    expect(r.ok).toBe(false);
    expect(r.output).toContain("MICA_SEL4_RELEASE must be one of");
  });
});
