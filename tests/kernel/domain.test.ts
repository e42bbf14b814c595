// Domains end to end: tests/kernel/src/domain.c run as a root task with
// `mica run --domain-schedule 0:2,1:3` (seL4's temporal partitioning).
import { describe, expect, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";
import { runCli } from "../support/run-cli.js";

const IDS = testIds("DOMAIN", 3);
const SCHEDULE = ["--domain-schedule", "0:2,1:3", "--max-instructions", "100000000"];

describe("domain root task", () => {
  it("passes every domain test with two domains", () =>
    expectAllPassed(runKtest("domain", SCHEDULE), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("domain", ["--check", ...SCHEDULE]), IDS));
  it("finds one domain by default, as seL4's default build", () => {
    const r = runKtest("domain", ["--max-instructions", "100000000"]);
    expect(r.verdicts.get("DOMAIN0001")).toMatch(/InvalidArgument/);
  });
});

describe("mica run domain options", () => {
  it.each([
    [["--domain-schedule", "0:2,x"], /each entry must be DOMAIN:TICKS/],
    [["--domain-schedule", "0:0"], /1\.\.2\^56-1 ticks/],
    [
      ["--domain-schedule", "0:2,3:1", "--domains", "2"],
      /--domains 2: must be a whole number from 4/,
    ],
    [["--domains", "300"], /from 1 to 256/],
  ])("rejects %j with one line and exit code 2", (args, message) => {
    const r = runCli(["run", ...args, "images/hello.elf"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
