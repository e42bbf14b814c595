import { describe, expect, it } from "vitest";

import { CNode } from "./cnode.js";

describe("CNode slots", () => {
  it("makes a slot the first time it is named, and the same one after", () => {
    const c = new CNode(0x8010_0000n, 20);
    expect(c.size).toBe(1 << 20);
    expect(c.peek(123_456)).toBeUndefined();
    const s = c.slot(123_456);
    expect(s.cap.type).toBe("NullCap");
    expect(s.index).toBe(123_456);
    expect(c.slot(123_456)).toBe(s);
    expect(c.peek(123_456)).toBe(s);
  });

  it("lists named slots in index order", () => {
    const c = new CNode(0x8010_0000n, 4);
    c.slot(9);
    c.slot(2);
    expect(c.namedSlots().map((s) => s.index)).toEqual([2, 9]);
  });

  it("finds the highest named slot below an index, whatever the naming order", () => {
    const c = new CNode(0x8010_0000n, 13);
    expect(c.lastNamedBelow(8192)).toBe(-1);
    for (const i of [4000, 7, 0, 8191, 12]) c.slot(i);
    expect(c.lastNamedBelow(8192)).toBe(8191);
    expect(c.lastNamedBelow(8191)).toBe(4000);
    expect(c.lastNamedBelow(4000)).toBe(12);
    expect(c.lastNamedBelow(8)).toBe(7);
    expect(c.lastNamedBelow(7)).toBe(0);
    expect(c.lastNamedBelow(0)).toBe(-1);
    c.slot(100);
    expect(c.lastNamedBelow(4000)).toBe(100);
    expect(c.namedSlots().map((s) => s.index)).toEqual([0, 7, 12, 100, 4000, 8191]);
  });

  it("refuses an index outside the node (a kernel bug)", () => {
    const c = new CNode(0x8010_0000n, 4);
    expect(() => c.slot(16)).toThrow(/out of range/);
    expect(() => c.slot(-1)).toThrow(/out of range/);
  });
});
