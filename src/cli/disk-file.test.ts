import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDiskImage } from "./disk-file.js";
import { UsageError } from "./usage-error.js";

const dir = mkdtempSync(join(tmpdir(), "mica-disk-"));

function image(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe("openDiskImage", () => {
  it("reads a file at each request's offset, and by default keeps writes in memory", () => {
    const bytes = new Uint8Array(8192).map((_, i) => i & 0xff);
    const p = image("cow.img", bytes);
    const d = openDiskImage(p, false);
    expect(d.backend.sizeBytes).toBe(8192);
    expect(d.backend.write(1000, new Uint8Array(10).fill(0xee))).toBe(true);
    const back = new Uint8Array(20);
    expect(d.backend.read(995, back)).toBe(true);
    expect(Array.from(back.subarray(0, 5))).toEqual([995, 996, 997, 998, 999].map((v) => v & 0xff));
    expect(back.subarray(5, 15).every((b) => b === 0xee)).toBe(true);
    expect(d.backend.flush()).toBe(true);
    d.file.close();
    expect(new Uint8Array(readFileSync(p))).toEqual(bytes);
  });

  it("writes the file in place with write = true", () => {
    const p = image("rw.img", new Uint8Array(1024));
    const d = openDiskImage(p, true);
    expect(d.backend.write(512, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(d.backend.flush()).toBe(true);
    d.file.close();
    expect(Array.from(readFileSync(p).subarray(511, 515))).toEqual([0, 1, 2, 3]);
  });

  it("opens a large sparse image without reading it whole", () => {
    const p = join(dir, "big.img");
    const fd = openSync(p, "w");
    ftruncateSync(fd, 8 * 2 ** 30); // 8 GiB, more than a Node buffer may hold
    closeSync(fd);
    const d = openDiskImage(p, false);
    expect(d.backend.sizeBytes).toBe(8 * 2 ** 30);
    const last = new Uint8Array(512).fill(7);
    expect(d.backend.read(8 * 2 ** 30 - 512, last)).toBe(true);
    expect(last.every((b) => b === 0)).toBe(true);
    d.file.close();
  });

  it("reports an I/O failure as false, not an exception", () => {
    const p = image("short.img", new Uint8Array(512));
    const d = openDiskImage(p, false);
    // A read the file cannot satisfy (it shrank, or the caller overran it).
    expect(d.backend.read(512, new Uint8Array(512))).toBe(false);
    d.file.close();
  });

  it("throws UsageError for a missing file or a partial sector", () => {
    expect(() => openDiskImage(join(dir, "none.img"), false)).toThrow(UsageError);
    expect(() => openDiskImage(image("odd.img", new Uint8Array(513)), false)).toThrow(
      /size 513 is not a multiple of 512 bytes/,
    );
  });
});
