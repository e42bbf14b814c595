// examples/untyped: Untyped_Retype into each object type, an untyped's
// capacity, Revoke freeing its memory, and Retype's argument errors.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/untyped", () => {
  const r = runCli(["run", "--check", join(ROOT, "images/untyped.elf")]);

  it("prints the expected transcript and halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    expectTranscript(r.stdout, [
      "== One object of each kind",
      / {2}seL4_EndpointObject +-> slot \d+: endpoint cap, object of 2\^4 bytes/,
      / {2}seL4_NotificationObject +-> slot \d+: notification cap, object of 2\^5 bytes/,
      / {2}seL4_TCBObject +-> slot \d+: TCB cap, object of 2\^11 bytes/,
      / {2}seL4_CapTableObject \(16 slots\) +-> slot \d+: CNode cap, object of 2\^9 bytes/,
      / {2}seL4_RISCV_4K_Page +-> slot \d+: frame cap, object of 2\^12 bytes/,
      / {2}seL4_RISCV_PageTableObject +-> slot \d+: page table cap, object of 2\^12 bytes/,
      "== A 16 KiB untyped holds four 4 KiB frames, and no more",
      / {2}child untyped in slot \d+: untyped/,
      / {2}4 frames in slots \d+\.\.\d+/,
      "  a fifth frame: seL4_NotEnoughMemory",
      "  retype into an occupied slot: seL4_DeleteFirst",
      "== Revoke the untyped: its frames go, its memory is free again",
      / {2}slot \d+ now holds a null cap/,
      / {2}4 new frames in slots \d+\.\.\d+/,
      "== Retype's argument checks",
      "  unknown object type:        seL4_InvalidArgument",
      "  untyped smaller than 16 B:  seL4_InvalidArgument",
      "  slot past the CNode's end:  seL4_RangeError",
      "  device memory as a TCB:     seL4_InvalidArgument",
      "untyped: done",
    ]);
  });
});
