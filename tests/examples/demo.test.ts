// examples/demo: the default system's root task. Checks each step's output
// and that the whole run stays well under a second of emulated work.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/demo", () => {
  const r = runCli(["run", "--stats", "--check", join(ROOT, "images/demo.elf")]);

  it("runs from start to a clean halt", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mica demo: a root task on a seL4-compatible kernel/);
    expect(r.stdout).toMatch(/\nmica demo: done, halting\n$/);
    expect(r.stderr).toContain("mica: halting the system (seL4_DebugHalt)");
  });

  it("shows the bootinfo regions", () => {
    expect(r.stdout).toContain("== Boot info: node 0 of 1, domain 0\n");
    expect(r.stdout).toContain("  root CNode       4096 slots (initThreadCNodeSizeBits 12)\n");
    expect(r.stdout).toMatch(/ {2}extra bootinfo {3}slot \d+ \(\d+ bytes: the device tree\)\n/);
    expect(r.stdout).toMatch(/ {2}free {13}slots \d+\.\.4095\n/);
  });

  it("summarises untyped memory: all free RAM, and device space beside it", () => {
    const m = /RAM {6}(\d+) caps, (\d+) KiB in all; the largest is 32 MiB/.exec(r.stdout);
    expect(m).not.toBeNull();
    const kib = Number(m![2]);
    expect(kib).toBeGreaterThan(127 * 1024);
    expect(kib).toBeLessThan(128 * 1024);
    expect(r.stdout).toMatch(/devices {2}\d+ caps covering the rest of the physical address space/);
  });

  it("names the initial caps seL4 puts in fixed slots", () => {
    expect(r.stdout).toContain(
      [
        "== Initial capabilities (seL4_DebugCapIdentify)",
        "   1  seL4_CapInitThreadTCB        thread (TCB)",
        "   2  seL4_CapInitThreadCNode      CNode",
        "   3  seL4_CapInitThreadVSpace     page table",
        "   4  seL4_CapIRQControl           IRQ control",
        "   5  seL4_CapASIDControl          ASID control",
        "   6  seL4_CapInitThreadASIDPool   ASID pool",
        "   9  seL4_CapBootInfoFrame        frame",
        "  10  seL4_CapInitThreadIPCBuffer  frame",
        "  11  seL4_CapDomain               domain",
      ].join("\n"),
    );
  });

  it("runs two processes in their own address spaces, with IPC by badge and a page fault handled", () => {
    const from = r.stdout.indexOf("\n== Two processes");
    expect(from).toBeGreaterThan(0);
    expectTranscript(r.stdout.slice(from + 1), [
      "== Two processes, cloned from this program",
      / {2}process 1: \d+ code pages shared, \d+ data pages copied, 2 caps/,
      / {2}process 2: \d+ code pages shared, \d+ data pages copied, 2 caps/,
      "",
      "== Messages and faults (the processes run while we wait)",
      "  process 2: hello from my own address space (my counter: 200)",
      "root: process 2 asks for 2 + 41",
      "  process 2: the root task says 2 + 41 = 43",
      "  process 2: touching 0x30000000, which nobody has mapped",
      /root: process 2 page-faulted at 0x30000000 \(pc 0x[0-9a-f]+\); mapping a page there/,
      "  process 2: wrote 7 there after the root task mapped it",
      "root: process 2 is done",
      "  process 1: hello from my own address space (my counter: 100)",
      "root: process 1 asks for 1 + 41",
      "  process 1: the root task says 1 + 41 = 42",
      "root: process 1 is done",
      "  the root task's own counter is still 0: each process changed its own copy",
      "",
      "mica demo: done, halting",
    ]);
  });

  it("takes well under a second of guest work", () => {
    const instructions = Number(/instructions=(\d+)/.exec(r.stderr)?.[1]);
    expect(instructions).toBeGreaterThan(0);
    expect(instructions).toBeLessThan(5_000_000);
  });
});
