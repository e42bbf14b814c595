// Guards a performance property the compiler can silently lose: the
// interpreter loop must dispatch through one dense br_table on opcode and
// funct3 (bench/mips: a chain of compares instead runs at a quarter of the
// speed; see the PERF note at the switch in core/hart.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("core.wasm dispatch", () => {
  it("the interpreter loop (runBudget) dispatches through a br_table with over 200 targets", () => {
    const wat = readFileSync(new URL("../../../build/core.wat", import.meta.url), "latin1");
    const start = wat.indexOf("(func $src/machine/cpu/core/hart/runBudget ");
    expect(start).toBeGreaterThan(0);
    const end = wat.indexOf("\n (func ", start + 1);
    const body = wat.slice(start, end < 0 ? undefined : end);
    const widest = Math.max(
      0,
      ...body
        .split("\n")
        .filter((l) => l.trim().startsWith("br_table"))
        .map((l) => l.trim().split(/\s+/).length - 1),
    );
    expect(widest).toBeGreaterThan(200);
  });
});
