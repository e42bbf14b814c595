// examples/notifications: badges OR'd into the notification word, Poll,
// waking a waiting thread, and a bound notification ending a Recv.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/notifications", () => {
  const r = runCli(["run", "--check", join(ROOT, "images/notifications.elf")]);

  it("prints the expected transcript and halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    expectTranscript(r.stdout, [
      "== Signals before a wait are combined",
      "  signalled 0x1 and 0x4, wait returns 0x5",
      "== Poll does not block",
      "  nothing pending: poll returns 0x0",
      "  after a signal with badge 0x2: 0x2",
      "== A thread blocked in Wait is woken by a signal",
      "  waiter: waiting",
      "  root task: signalling 0x4",
      "  waiter: woken with badge bits 0x4",
      "  root task: the waiter has finished",
      "== A bound notification interrupts a Recv on an endpoint",
      "  Recv returns with badge 0x2: the signal, not a message",
      "notifications: done",
    ]);
  });
});
