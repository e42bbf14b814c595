// examples/faults: a fault handler receives a VM fault (maps a page and
// restarts), an unknown syscall (emulates it), and a user exception.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/faults", () => {
  const r = runCli(["run", "--check", join(ROOT, "images/faults.elf")]);

  it("prints the expected transcript and halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    expectTranscript(r.stdout, [
      "  worker: reading 0x10000000",
      /handler: VM fault from thread 7 at pc 0x[0-9a-f]+: address 0x10000000, data access, FSR 5/,
      "  worker: read 0, the handler mapped a page",
      /handler: unknown syscall 1000 from thread 7 at pc 0x[0-9a-f]+, a0 = 20/,
      "  worker: syscall 1000 returned 42",
      "  worker: running an illegal instruction",
      /handler: user exception from thread 7 at pc 0x[0-9a-f]+, cause 2; stopping it/,
      "faults: done",
    ]);
  });
});
