// The kernel boots a root task as seL4 does: bootinfo, initial caps,
// untyped memory, extra bootinfo, debug syscalls, timer ticks, halt.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, runKernel } from "../support/run-cli.js";

const SMOKE = join(ROOT, "tests/kernel/build/boot-smoke.elf");

describe("mica run: booting a root task", () => {
  const r = runKernel([SMOKE]);

  it("halts cleanly through seL4_DebugHalt", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("mica: halting the system (seL4_DebugHalt)");
    expect(r.stdout).toContain("boot-smoke: done");
  });

  it("hands over bootinfo laid out as seL4's", () => {
    expect(r.stdout).toContain("nodeID = 0\nnumNodes = 1\ninitThreadCNodeSizeBits = 12\n");
    // IPC buffer right after the image, bootinfo one page later.
    expect(r.stdout).toContain("ipcBuffer = 0x16000 (bootinfo at 0x17000)");
    expect(r.stdout).toContain("userImageFrames = 6\nuserImagePaging = 2\nextraBIPages = 1\n");
    expect(r.stdout).toContain("empty.end = 4096");
    expect(r.stdout).toContain("extra bootinfo: device tree found");
  });

  it("gives all free RAM and the device space as untyped memory", () => {
    expect(r.stdout).toMatch(/device untypeds = \d+/);
    const kib = Number(/RAM untyped KiB = (\d+)/.exec(r.stdout)?.[1]);
    expect(kib).toBeGreaterThan(127 * 1024);
    expect(kib).toBeLessThan(128 * 1024);
  });

  it("puts the initial caps in seL4's fixed slots", () => {
    // null, TCB 12, CNode 10, VSpace (page table) 3, IRQControl 14, ASIDControl 11,
    // ASID pool 13, two null slots, bootinfo frame 1, IPC buffer frame 1, domain 20
    expect(r.stdout).toContain("cap types in slots 0..11: 0 12 10 3 14 11 13 0 0 1 1 20");
  });

  it("keeps running across timer ticks", () => {
    expect(r.stdout).toContain("counted = 3000000");
  });

  it("follows the cnode size option", () => {
    const small = runKernel(["--cnode-bits", "10", SMOKE]);
    expect(small.stdout).toContain("initThreadCNodeSizeBits = 10");
    expect(small.stdout).toContain("empty.end = 1024");
  });

  it("stops at --max-instructions with exit code 3", () => {
    const l = runKernel(["--max-instructions", "1000", SMOKE]);
    expect(l.status).toBe(3);
    expect(l.stderr).toContain("stopped after 1000 instructions");
  });

  it("boots the default system when no image is given", () => {
    const d = runCli(["run"]);
    expect(d.status, d.stderr).toBe(0);
    expect(d.stdout).toContain("mica demo: done, halting");
  });

  it("rejects bad input with one line and exit code 2", () => {
    for (const args of [
      ["run", "a.elf", "b.elf"],
      ["run", "--cnode-bits", "99", SMOKE],
      ["run", "nope.elf"],
      ["run", "package.json"],
    ]) {
      const b = runCli(args);
      expect(b.status, args.join(" ")).toBe(2);
      expect(b.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});
