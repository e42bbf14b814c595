// examples/capabilities: CNode Copy, Mint, Move, Revoke and Delete.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/capabilities", () => {
  const r = runCli(["run", "--check", join(ROOT, "images/capabilities.elf")]);

  it("prints the expected transcript and halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    expectTranscript(r.stdout, [
      /== An endpoint in slot \d+: endpoint/,
      /copy {6}-> slot \d+: endpoint/,
      /mint \(badge 42, send only\) -> slot \d+: endpoint/,
      /move \d+ {2}-> slot \d+: endpoint; slot \d+: empty/,
      "copy onto a full slot: seL4_DeleteFirst",
      "== A second CNode",
      /copied into slot 3 of the CNode in slot \d+/,
      "== Revoke the original",
      "after revoke: ep endpoint, moved copy empty, badged empty",
      "copying from the other CNode's slot 3 now: seL4_FailedLookup",
      "after delete: ep empty",
      "capabilities: done",
    ]);
  });
});
