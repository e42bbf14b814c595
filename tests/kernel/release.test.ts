// Root tasks built against seL4 14.0's libsel4 numbering (-DMICA_SEL4_RELEASE=1400; sel4test's
// pinned kernel of mid-2025 numbers its labels this way): RISC-V invocation labels sit two below
// 16.0's, so without --sel4-release 14.0 every Page/PageTable invocation is an illegal operation.
import { describe, expect, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";
import { runCli } from "../support/run-cli.js";

describe("root tasks of an older release", () => {
  it("pass the VSPACE tests with --sel4-release 14.0", () =>
    expectAllPassed(runKtest("vspace-r1400", ["--sel4-release", "14.0"]), testIds("VSPACE", 10)));
  it("pass the TCB tests (SetFlags is 14.0's) with --sel4-release 14.0", () =>
    expectAllPassed(runKtest("tcb-r1400", ["--sel4-release", "14.0"]), testIds("TCB", 13)));
  it("fail under the default numbering", () => {
    const run = runKtest("vspace-r1400");
    expect(run.verdicts.get("VSPACE0001")).toContain("seL4_IllegalOperation");
  });
  it("rejects a release mica does not know", () => {
    const r = runCli(["run", "--sel4-release", "12.0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--sel4-release 12.0: must be one of 13.0, 14.0, 15.0, 16.0");
  });
});
