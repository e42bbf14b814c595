// The SDK runtime (sdk/runtime) end to end: tests/sdk/src/runtime-check.c,
// built for rv64gc/lp64d and rv64imac/lp64, checks what the runtime sets up
// before main and does after it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";

const EXPECTED = `argc 1 argv[0] rootserver
constructor: ok
tdata: 42, tbss: 0
bootinfo accessors: ok
__sel4_ipc_buffer is bootinfo->ipcBuffer: ok
tp 16-aligned inside the image: ok
message info from run-time values: ok
errno after overflow: ok
malloc: ok
malloc beyond the heap returns NULL: ok
tls size fits: ok
new thread TLS: ok
float printf: 3.125
stderr goes to the console too
atexit handler ran
root task exited with status 3
`;

describe.each(["rv64gc", "rv64imac"])("SDK runtime (%s)", (isa) => {
  const r = runCli(["run", join(ROOT, `tests/sdk/build/runtime-check-${isa}.elf`)]);

  it("sets up TLS, the IPC buffer, bootinfo, stdio, errno and malloc; exits through atexit", () => {
    expect(r.stdout).toBe(EXPECTED);
  });

  it("halts the system when main returns, whatever the status", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
  });
});
