// TCB invocations end to end: tests/kernel/src/tcb.c run as a root task
// (registers, Configure/SetSpace/SetIPCBuffer, priorities, flags, TLS, domains).
import { describe, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";

const IDS = testIds("TCB", 14);

describe("tcb root task", () => {
  it("passes every TCB test", () => expectAllPassed(runKtest("tcb"), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("tcb", ["--check"]), IDS));
});
