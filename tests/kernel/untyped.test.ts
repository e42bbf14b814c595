// Untyped_Retype end to end: tests/kernel/src/untyped.c run as a root task
// (RETYPE0001..0009), also with the invariant checks on.
import { describe, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";

const IDS = testIds("RETYPE", 9);

describe("untyped root task", () => {
  it("passes every RETYPE test", () => expectAllPassed(runKtest("untyped"), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("untyped", ["--check"]), IDS));
});
