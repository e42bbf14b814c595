// The scheduler end to end: tests/kernel/src/sched.c run as a root task
// (priorities, Resume order, Yield, round robin on the kernel tick, wake-ups).
import { describe, it } from "vitest";
import { expectAllPassed, runKtest } from "../support/ktest-run.js";

const IDS = [
  "SCHED0002",
  "SCHED0003",
  "SCHED0004",
  "SCHED0005",
  "SCHED0006",
  "SCHED0007",
  "SCHED0020",
  "SCHED0021",
];

describe("sched root task", () => {
  // --timeout: a broken round robin would spin forever.
  it("passes every SCHED test", () => expectAllPassed(runKtest("sched", ["--timeout", "30"]), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("sched", ["--check", "--timeout", "30"]), IDS));
});
