// The debug syscalls: DebugNameThread, DebugCapIdentify, DebugDumpScheduler
// and a readable DebugSnapshot (tests/kernel/src/debug.c).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runKernel } from "../support/run-cli.js";

describe("debug syscalls", () => {
  const r = runKernel([join(ROOT, "tests/kernel/build/debug.elf")]);

  it("identify caps by seL4's cap-type tags", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("DEBUG0001 cap type of the root TCB: 12\n");
    expect(r.stdout).toContain("DEBUG0002 cap type of an empty slot: 0\n");
    expect(r.stdout).toContain("DEBUG done\n");
  });

  it("dump the scheduler with the thread's name, state and priority", () => {
    expect(r.stderr).toMatch(/mica: debug-root {2,}Running {2,}0x[0-9a-f]{16} {2,}255 {4}0\n/);
    expect(r.stderr).toMatch(/mica: idle_thread {2,}IdleThreadState {2}0x0{16}/);
  });

  it("print the capability state readably, slot by slot", () => {
    const lines = r.stderr.split("\n");
    const at = lines.indexOf("mica: capability snapshot:");
    expect(at).toBeGreaterThan(0);
    const snap = lines.slice(at + 1).join("\n");
    expect(snap).toContain('thread "debug-root" (Running, priority 255)');
    expect(snap).toMatch(/\[1\] tcb 0x[0-9a-f]+ "debug-root"/);
    expect(snap).toMatch(/\[2\] cnode 0x[0-9a-f]+ radix 12 guard 0x0\/52/);
    expect(snap).toMatch(/\[3\] page table 0x[0-9a-f]+ asid 1 at 0x0/);
    expect(snap).toContain("[4] irq control");
    expect(snap).toContain("[5] asid control");
    expect(snap).toMatch(/\[10\] frame 0x[0-9a-f]+ 2\^12 ReadWrite mapped asid 1 at 0x[0-9a-f]+/);
    expect(snap).toContain("[11] domain");
    expect(snap).toMatch(/\[\d+\] untyped 0x[0-9a-f]+ 2\^\d+ device/);
  });
});
