// Notifications end to end: tests/kernel/src/notification.c run as a root
// task (signal, wait, poll, bound notifications and their errors).
import { describe, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";

const IDS = [...testIds("NTFN", 3), ...testIds("BIND", 5)];

describe("notification root task", () => {
  it("passes every NTFN and BIND test", () => expectAllPassed(runKtest("notification"), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("notification", ["--check"]), IDS));
});
