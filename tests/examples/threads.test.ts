// examples/threads: two threads in the root task's address space, each with
// its own stack, IPC buffer and TLS, taking turns with the root task.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/threads", () => {
  const r = runCli(["run", "--check", join(ROOT, "images/threads.elf")]);

  it("prints the expected transcript and halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    // seL4 puts a restarted thread at the head of its priority's queue, so
    // the thread started last runs first.
    const round = (n: number) =>
      [
        / {2}thread 1, round \d \(IPC buffer at 0x[0-9a-f]+\)/,
        / {2}thread 0, round \d \(IPC buffer at 0x[0-9a-f]+\)/,
        "  root task yields",
      ].map((l) => (l instanceof RegExp ? new RegExp(l.source.replace("\\d", String(n))) : l));
    expectTranscript(r.stdout, [
      "== Starting 2 threads",
      "  root task yields",
      ...round(1),
      ...round(2),
      ...round(3),
      "== All threads finished",
      "threads: done",
    ]);
  });

  it("gives each thread its own IPC buffer, through its own TLS", () => {
    const buffers = new Set(
      [...r.stdout.matchAll(/thread (\d), .*IPC buffer at (0x[0-9a-f]+)/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    );
    expect(buffers.size).toBe(2);
  });
});
