// examples/ipc: Call and ReplyRecv with badges, long messages through the
// IPC buffer, and cap transfer needing the Grant right.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/ipc", () => {
  const r = runCli(["run", "--check", join(ROOT, "images/ipc.elf")]);

  it("prints the expected transcript and halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    expectTranscript(r.stdout, [
      "== Call with two words in registers",
      "  server: client 1 asks 20 + 22",
      "  client 1 gets 42",
      "== Call with ten words: the last six go through the IPC buffer",
      "  server: client 2 sends 10 words to add up",
      "  client 2 gets 55 (reply length 1)",
      "== Send a capability with the message",
      / {2}server: client 3 sends 1 cap\(s\); slot \d+ holds cap type 6/,
      "  client 3: done",
      "== Without the Grant right the cap is not transferred",
      / {2}server: client 1 sends 0 cap\(s\); slot \d+ holds cap type 0/,
      "ipc: done",
    ]);
  });
});
