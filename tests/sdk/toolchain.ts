// Finding and running the RISC-V cross compiler for the SDK tests (Debian's
// gcc-riscv64-unknown-elf). Tests that need it skip, visibly, when it is absent.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CC = "riscv64-unknown-elf-gcc";
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SDK_INCLUDE = fileURLToPath(new URL("../../sdk/include", import.meta.url));

export const haveCompiler = spawnSync(CC, ["--version"], { encoding: "utf8" }).status === 0;

export interface CompileResult {
  readonly ok: boolean;
  readonly output: string;
}

export function compile(args: readonly string[]): CompileResult {
  const r = spawnSync(CC, [...args], { cwd: ROOT, encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** The two ABIs every SDK test builds for: with and without the F/D extensions. */
export const TARGETS = [
  ["-march=rv64gc", "-mabi=lp64d"],
  ["-march=rv64imac", "-mabi=lp64"],
] as const;
