// examples/hello: printf through picolibc and seL4_DebugPutChar, the bootinfo
// from the SDK runtime, and a clean halt when main returns.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";

describe("examples/hello", () => {
  const r = runCli(["run", join(ROOT, "images/hello.elf")]);

  it("prints its greeting and the bootinfo basics, then halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Hello, world!\nbootinfo at 0x[0-9a-f]+, IPC buffer at 0x[0-9a-f]+\nroot CNode: 4096 slots, \d+ free from slot \d+\nuntyped caps: \d+\n$/,
    );
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
  });

  it("finds the IPC buffer right after its image and the bootinfo one page later", () => {
    const m = /bootinfo at 0x([0-9a-f]+), IPC buffer at 0x([0-9a-f]+)/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number.parseInt(m![1]!, 16) - Number.parseInt(m![2]!, 16)).toBe(4096);
  });
});
