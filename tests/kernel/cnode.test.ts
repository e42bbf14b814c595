// CNode invocations and the derivation tree end to end: tests/kernel/src/cnode.c
// run as a root task (CNODE0001..0016), also with the invariant checks on.
import { describe, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";

const IDS = testIds("CNODE", 16);

describe("cnode root task", () => {
  it("passes every CNODE test", () => expectAllPassed(runKtest("cnode"), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("cnode", ["--check"]), IDS));
});
