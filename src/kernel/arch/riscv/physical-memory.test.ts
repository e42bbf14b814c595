import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { System } from "../../../boot/system.js";
import { PhysicalMemory } from "./physical-memory.js";

const BASE = 0x8000_0000n;
const PAGE = 4096n;

function memory(pages: number): { mem: PhysicalMemory; ram: Uint8Array } {
  const ram = new Uint8Array(pages * 4096);
  return { mem: new PhysicalMemory(ram, BASE), ram };
}

describe("PhysicalMemory page tracking", () => {
  it("treats every page as dirty until vouched clean", () => {
    const { mem, ram } = memory(4);
    ram.fill(7);
    mem.zero(BASE, 4n * PAGE);
    expect(ram.every((b) => b === 0)).toBe(true);
    // Plain zeroing (a page table being cleared) leaves the pages in use.
    expect(mem.isDirty(BASE)).toBe(true);
    mem.zeroForReuse(BASE, 4n * PAGE);
    expect(mem.isDirty(BASE)).toBe(false);
  });

  it("skips clean pages and zeroes dirty ones", () => {
    const { mem, ram } = memory(4);
    mem.markClean(BASE, 4n * PAGE);
    // Bytes written behind the tracker's back on a clean page stay: the
    // kernel promised nobody writes there.
    ram[10] = 1;
    mem.markDirty(BASE + PAGE, PAGE);
    ram[4096 + 5] = 2;
    mem.zeroForReuse(BASE, 4n * PAGE);
    expect(ram[10]).toBe(1);
    expect(ram[4096 + 5]).toBe(0);
    expect(mem.isDirty(BASE + PAGE)).toBe(false);
  });

  it("zeroes part of a dirty page but keeps it dirty", () => {
    const { mem, ram } = memory(2);
    ram.fill(3);
    mem.zeroForReuse(BASE + 16n, 32n);
    expect(ram[15]).toBe(3);
    expect(ram[16]).toBe(0);
    expect(ram[47]).toBe(0);
    expect(ram[48]).toBe(3);
    expect(mem.isDirty(BASE)).toBe(true);
  });

  it("marks dirty every page an unaligned range touches, and clean only whole pages", () => {
    const { mem } = memory(4);
    mem.markClean(BASE + 100n, 3n * PAGE);
    expect(mem.isDirty(BASE)).toBe(true);
    expect(mem.isDirty(BASE + PAGE)).toBe(false);
    expect(mem.isDirty(BASE + 2n * PAGE)).toBe(false);
    expect(mem.isDirty(BASE + 3n * PAGE)).toBe(true);
    mem.markDirty(BASE + PAGE + 4000n, 200n);
    expect(mem.isDirty(BASE + PAGE)).toBe(true);
    expect(mem.isDirty(BASE + 2n * PAGE)).toBe(true);
  });
});

describe("clean pages after a real run", () => {
  // The tracker is only sound if nothing the kernel or the user does writes
  // a page it thinks is clean. Run programs that retype, map, write and
  // revoke memory, then check every clean page really is zero.
  for (const image of [
    "images/untyped.elf",
    "images/mapping.elf",
    "tests/kernel/build/untyped.elf",
    "tests/kernel/build/vspace.elf",
  ]) {
    it(`holds for ${image}`, () => {
      const boot = System.boot(readFileSync(image), {
        ramSize: 64 << 20,
        cnodeSizeBits: 12,
        console: () => {},
        log: () => {},
      });
      if (!boot.ok) throw new Error(boot.error);
      const { system } = boot;
      const stop = system.run({ maxInstructions: 200_000_000n });
      expect(stop.kind).toBe("halt");
      const mem = system.kernel.mem;
      const ram = system.machine.hart.ram;
      let clean = 0;
      for (let off = 0; off < ram.length; off += 4096) {
        if (mem.isDirty(BASE + BigInt(off))) continue;
        clean++;
        const page = ram.subarray(off, off + 4096);
        if (!page.every((b) => b === 0)) {
          throw new Error(`clean page at 0x${(BASE + BigInt(off)).toString(16)} holds data`);
        }
      }
      expect(clean).toBeGreaterThan(1000);
    });
  }
});
