// Faults end to end: tests/kernel/src/fault.c run as a root task (VM faults,
// unknown syscalls, user exceptions, a disabled FPU, cap faults, double faults, replies).
import { describe, expect, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";

const IDS = testIds("FAULT", 11);

describe("fault root task", () => {
  const run = runKtest("fault");
  it("passes every FAULT test", () => expectAllPassed(run, IDS));
  it("reports double faults as a debug kernel does", () => {
    expect(run.stderr).toContain("mica: Caught cap fault (MissingCapability) on cptr 0x0");
    expect(run.stderr).toContain("while trying to handle:");
  });
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("fault", ["--check"]), IDS));
});
