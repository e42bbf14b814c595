// The translator against the interpreter (docs/decisions/0002-jit.md): the
// same guest programs, once interpreted and once with every page translated
// as soon as it runs (--jit-threshold 0), must end in the same state: the
// same console output, stop reason, retired instruction count, pc and x/f
// registers. The programs are our ISA suite (each instruction class, traps,
// Sv39, self-modifying code), the board tests (interrupts, devices) and the
// bench/mips workloads (cut off after a fixed count).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bootBareMetal } from "../../src/boot/bare-metal.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dirs = ["tests/isa/build", "tests/machine/build", "bench/mips/build"];
const programs = dirs.flatMap((d) =>
  readdirSync(join(root, d))
    .filter((f) => f.endsWith(".elf"))
    .sort()
    .map((f) => join(d, f)),
);

interface Outcome {
  stop: string;
  output: string;
  instret: bigint;
  pc: bigint;
  x: bigint[];
  f: bigint[];
  translated: number;
}

function run(path: string, jit: boolean): Outcome {
  const bytes: number[] = [];
  const boot = bootBareMetal(new Uint8Array(readFileSync(join(root, path))), {
    ramSize: 64 * 1024 * 1024,
    console: (b) => bytes.push(b),
    jit,
    jitThreshold: 0,
  });
  if (!boot.ok) throw new Error(boot.error);
  const stop = boot.machine.run({
    maxInstructions: 30_000_000n,
    ...(boot.htif ? { htif: boot.htif } : {}),
  });
  const hart = boot.machine.hart;
  return {
    stop: JSON.stringify(stop),
    output: Buffer.from(bytes).toString("latin1"),
    instret: hart.instret,
    pc: hart.pc,
    x: [...hart.x],
    f: [...hart.f],
    translated: hart.jit.stats.instructions,
  };
}

describe("translated code ends where the interpreter ends", () => {
  it("finds the programs", () => {
    expect(programs.length).toBeGreaterThan(30);
  });

  it.each(programs)("%s", (path) => {
    const interpreted = run(path, false);
    const translated = run(path, true);
    expect(interpreted.translated).toBe(0);
    // The translator really ran: the comparison is not interpreter against itself.
    expect(translated.translated).toBeGreaterThan(0);
    const { translated: _a, ...a } = interpreted;
    const { translated: _b, ...b } = translated;
    expect(b).toEqual(a);
  });
});
