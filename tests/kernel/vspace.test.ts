// Frames, page tables and ASID pools end to end: tests/kernel/src/vspace.c run
// as a root task (VSPACE0001..0010), also with the invariant checks on.
import { describe, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";

const IDS = testIds("VSPACE", 10);

describe("vspace root task", () => {
  it("passes every VSPACE test", () => expectAllPassed(runKtest("vspace"), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("vspace", ["--check"]), IDS));
});
