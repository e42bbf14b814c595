// Runs every SDK syscall and invocation wrapper on mica's machine against a fake kernel
// (marshal/fake-kernel.c, in M-mode) that logs the registers, caps and IPC-buffer words each
// `ecall` carries and answers with set replies. The log must equal the trace computed from
// interface/ (marshal-program.ts): the C headers marshal exactly as the ABI tables say, at -O0
// and -O2 (the inline-asm register bindings must survive both), for every seL4 release.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_RELEASE, RELEASES, releaseNumber } from "../../interface/index.js";
import { runBareMetal } from "../../src/boot/bare-metal.js";
import { marshalProgram } from "./marshal-program.js";
import { compile, haveCompiler, SDK_INCLUDE } from "./toolchain.js";

const here = (f: string) => new URL(f, import.meta.url).pathname;

const cases = [
  ...RELEASES.map((release) => ({ release, opt: "-O2" })),
  { release: DEFAULT_RELEASE, opt: "-O0" },
];

describe("SDK wrappers marshal as interface/ says", () => {
  const dir = mkdtempSync(join(tmpdir(), "mica-sdk-marshal-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!haveCompiler).each(cases)("seL4 $release, $opt", ({ release, opt }) => {
    const program = marshalProgram(release);
    const calls = join(dir, `calls-${release}${opt}.c`);
    const elf = join(dir, `marshal-${release}${opt}.elf`);
    writeFileSync(calls, program.source);
    const build = compile([
      "-march=rv64imac_zicsr",
      "-mabi=lp64",
      opt,
      "-ffreestanding",
      "-nostdlib",
      "-nostartfiles",
      "-static",
      "-mcmodel=medany",
      "-fno-pic",
      "-Wall",
      "-Wextra",
      "-Werror",
      `-DMICA_SEL4_RELEASE=${releaseNumber(release)}`,
      "-I",
      SDK_INCLUDE,
      "-T",
      here("./marshal/link.ld"),
      "-o",
      elf,
      here("./marshal/crt0.S"),
      here("./marshal/fake-kernel.c"),
      calls,
    ]);
    expect(build.output).toBe("");
    const run = runBareMetal(new Uint8Array(readFileSync(elf)), { maxInstructions: 50_000_000 });
    expect(run.output).toBe(program.expected);
    expect(run.reason).toBe("poweroff");
    expect(run.exitCode).toBe(0);
  });
});
