import { describe, expect, it } from "vitest";
import { COW_BLOCK, CopyOnWriteBackend, MemoryBackend } from "./block-backend.js";

function counting(size: number) {
  const bytes = new Uint8Array(size).map((_, i) => (i * 31 + (i >> 12)) & 0xff);
  const base = new MemoryBackend(bytes.slice());
  const reads: [number, number][] = [];
  const read = base.read.bind(base);
  base.read = (off, dst) => {
    reads.push([off, dst.length]);
    return read(off, dst);
  };
  return { bytes, base, reads };
}

describe("CopyOnWriteBackend", () => {
  it("reads through to the base until a block is written", () => {
    const { bytes, base } = counting(4 * COW_BLOCK);
    const cow = new CopyOnWriteBackend(base);
    const dst = new Uint8Array(3 * COW_BLOCK);
    expect(cow.read(100, dst)).toBe(true);
    expect(dst).toEqual(bytes.subarray(100, 100 + dst.length));
  });

  it("keeps writes in the overlay, merging partial blocks with the base", () => {
    const { bytes, base } = counting(4 * COW_BLOCK);
    const cow = new CopyOnWriteBackend(base);
    const src = new Uint8Array(COW_BLOCK + 600).fill(0xab);
    expect(cow.write(COW_BLOCK - 300, src)).toBe(true);
    expect(cow.dirtyBlocks).toBe(3);
    expect(base.bytes).toEqual(bytes);
    const all = new Uint8Array(4 * COW_BLOCK);
    cow.read(0, all);
    const want = bytes.slice();
    want.set(src, COW_BLOCK - 300);
    expect(all).toEqual(want);
  });

  it("reads unwritten runs from the base in one call each", () => {
    const { base, reads } = counting(8 * COW_BLOCK);
    const cow = new CopyOnWriteBackend(base);
    cow.write(3 * COW_BLOCK, new Uint8Array(COW_BLOCK)); // a whole block: no base read
    expect(reads).toEqual([]);
    cow.read(0, new Uint8Array(8 * COW_BLOCK));
    expect(reads).toEqual([
      [0, 3 * COW_BLOCK],
      [4 * COW_BLOCK, 4 * COW_BLOCK],
    ]);
  });

  it("handles a short last block when the size is not a multiple of 4 KiB", () => {
    const { bytes, base } = counting(COW_BLOCK + 1024);
    const cow = new CopyOnWriteBackend(base);
    expect(cow.write(COW_BLOCK + 512, new Uint8Array(512).fill(1))).toBe(true);
    const tail = new Uint8Array(1024);
    cow.read(COW_BLOCK, tail);
    expect(tail.subarray(0, 512)).toEqual(bytes.subarray(COW_BLOCK, COW_BLOCK + 512));
    expect(tail.subarray(512).every((b) => b === 1)).toBe(true);
  });

  it("flush succeeds without touching the base", () => {
    const { base } = counting(COW_BLOCK);
    const cow = new CopyOnWriteBackend(base);
    expect(cow.flush()).toBe(true);
    expect(base.flushes).toBe(0);
  });
});
