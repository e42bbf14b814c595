// Runs one of the kernel's sel4test-style root tasks (tests/kernel/src/*.c,
// harness tests/kernel/src/ktest.h) with `mica run` and reads its verdicts:
// one line per test ID, "ID ok" or "ID FAIL where: why".
import { join } from "node:path";
import { expect } from "vitest";
import { ROOT, runCli } from "./run-cli.js";

export interface KtestRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Test ID -> "ok", or the failure text after "FAIL". */
  verdicts: Map<string, string>;
}

export function runKtest(name: string, args: readonly string[] = []): KtestRun {
  const elf = join(ROOT, "tests/kernel/build", `${name}.elf`);
  const r = runCli(["run", ...args, elf]);
  const verdicts = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const m = /^([A-Z_]+\d+) (ok|FAIL (.*))$/.exec(line);
    if (m) verdicts.set(m[1]!, m[2] === "ok" ? "ok" : m[3]!);
  }
  return { ...r, verdicts };
}

/** Asserts that the run halted cleanly and every listed ID passed. */
export function expectAllPassed(run: KtestRun, ids: readonly string[]): void {
  expect(run.stderr).toContain("halting the system (seL4_DebugHalt)");
  for (const id of ids) expect(`${id} ${run.verdicts.get(id) ?? "did not run"}`).toBe(`${id} ok`);
  expect(run.status, run.stderr).toBe(0);
}

/** "P0001".."P00nn". */
export function testIds(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, "0")}`);
}
