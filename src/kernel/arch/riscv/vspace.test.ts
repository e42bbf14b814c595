// lookupPTSlot's walk, which reads PTEs as 32-bit halves, against tables
// placed where the PPN needs both halves (physical addresses above 2^34).
import { describe, expect, it } from "vitest";

import { PhysicalMemory } from "./physical-memory.js";
import { leafPte, lookupPTSlot, ptIndex, tablePte, writePte } from "./vspace.js";

const PAGE = 4096n;
// 2^34 + 2^32: the PPN's bit 22 lands in the PTE's upper half.
const BASE = 0x5_0000_0000n;

function threeLevels(): { mem: PhysicalMemory; root: bigint; mid: bigint; leaf: bigint } {
  const mem = new PhysicalMemory(new Uint8Array(3 * 4096), BASE);
  return { mem, root: BASE, mid: BASE + PAGE, leaf: BASE + 2n * PAGE };
}

describe("lookupPTSlot", () => {
  it("stops at an invalid root entry with 30 bits left", () => {
    const { mem, root } = threeLevels();
    const vaddr = 0x3f_c000_0000n;
    expect(lookupPTSlot(mem, root, vaddr)).toEqual({
      slot: root + ptIndex(vaddr, 2) * 8n,
      bitsLeft: 30,
    });
  });

  it("follows table entries whose PPN spans both halves of the PTE", () => {
    const { mem, root, mid, leaf } = threeLevels();
    expect(tablePte(mid) >> 32n).not.toBe(0n);
    const vaddr = 0x3f_ffff_f000n; // the last user page: every index is 511
    writePte(mem, root, ptIndex(vaddr, 2), tablePte(mid));
    expect(lookupPTSlot(mem, root, vaddr)).toEqual({
      slot: mid + ptIndex(vaddr, 1) * 8n,
      bitsLeft: 21,
    });
    writePte(mem, mid, ptIndex(vaddr, 1), tablePte(leaf));
    expect(lookupPTSlot(mem, root, vaddr)).toEqual({
      slot: leaf + 511n * 8n,
      bitsLeft: 12,
    });
    // A different vaddr under the same root entry takes its own indices.
    const other = 0x3f_c020_3000n;
    expect(lookupPTSlot(mem, root, other)).toEqual({
      slot: mid + ptIndex(other, 1) * 8n,
      bitsLeft: 21,
    });
  });

  it("stops at a leaf (a mega page) and ignores vaddr bits above Sv39", () => {
    const { mem, root, mid } = threeLevels();
    const vaddr = 0x0000_0040_0020_0000n;
    writePte(mem, root, ptIndex(vaddr, 2), tablePte(mid));
    writePte(mem, mid, ptIndex(vaddr, 1), leafPte(BASE, true, true, false));
    const expected = { slot: mid + ptIndex(vaddr, 1) * 8n, bitsLeft: 21 };
    expect(lookupPTSlot(mem, root, vaddr)).toEqual(expected);
    expect(lookupPTSlot(mem, root, vaddr | 0xffff_ff80_0000_0000n)).toEqual(expected);
  });
});
