import { closeSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ByteQueue, type EscapeAction, EscapeDecoder, readAll } from "./console-input.js";

function decode(bytes: number[]) {
  const out: number[] = [];
  const actions: EscapeAction[] = [];
  new EscapeDecoder(
    (b) => out.push(b),
    (a) => actions.push(a),
  ).feed(Uint8Array.from(bytes));
  return { out, actions };
}

describe("console input", () => {
  it("passes bytes through, Ctrl-A x quits, Ctrl-A Ctrl-A sends one Ctrl-A", () => {
    expect(decode([0x61, 0x03, 0x62])).toEqual({ out: [0x61, 0x03, 0x62], actions: [] });
    expect(decode([0x61, 0x01, 0x78, 0x62])).toEqual({ out: [0x61, 0x62], actions: ["quit"] });
    expect(decode([0x01, 0x01, 0x01, 0x68])).toEqual({ out: [0x01], actions: ["help"] });
    expect(decode([0x01, 0x7a, 0x63])).toEqual({ out: [0x63], actions: [] });
  });

  it("keeps the escape state across chunks", () => {
    const out: number[] = [];
    const actions: EscapeAction[] = [];
    const d = new EscapeDecoder(
      (b) => out.push(b),
      (a) => actions.push(a),
    );
    d.feed(Uint8Array.of(0x41, 0x01));
    d.feed(Uint8Array.of(0x78));
    expect(out).toEqual([0x41]);
    expect(actions).toEqual(["quit"]);
  });

  it("queues bytes in order as they come and go", () => {
    const q = new ByteQueue(Uint8Array.of(1, 2));
    expect(q.read()).toBe(1);
    for (let i = 0; i < 200; i++) q.push(i & 0xff);
    expect(q.length).toBe(201);
    expect(q.read()).toBe(2);
    for (let i = 0; i < 200; i++) expect(q.read()).toBe(i & 0xff);
    expect(q.read()).toBe(-1);
  });

  it("reads a file descriptor to its end", () => {
    const path = join(tmpdir(), `mica-input-${process.pid}`);
    const data = Buffer.alloc(150_000, 7);
    data[149_999] = 9;
    writeFileSync(path, data);
    const fd = openSync(path, "r");
    const got = readAll(fd);
    closeSync(fd);
    expect(got.length).toBe(150_000);
    expect(got[149_999]).toBe(9);
  });
});
