// Translated code must never outlive the guest code it was made from: a
// guest store into a translated page, and the host's own writes to RAM (a
// loader, the kernel, DMA), drop the page's translation.
import { describe, expect, it } from "vitest";
import { Machine, RAM_BASE } from "../../src/machine/machine.js";
import { addi, blt, code, j, sw } from "../support/rv-encode.js";

const A0 = 10;
const T0 = 5;
const T1 = 6;
const T2 = 7;
const T3 = 28;

function machine(jit: boolean): Machine {
  return new Machine({ ramSize: 1 << 20, console: () => {}, jit, jitThreshold: 0 });
}

describe("translated code and writes to it", () => {
  it("a host write to a translated page takes effect", () => {
    const m = machine(true);
    // loop: addi a0, a0, 1; j loop
    m.writePhys(RAM_BASE, code(addi(A0, A0, 1), j(-4)));
    m.hart.pc = RAM_BASE;
    m.run({ maxInstructions: 1000n });
    expect(m.hart.x[A0]).toBe(500n);
    expect(m.hart.jit.stats.compiles).toBeGreaterThan(0);
    // Now add 2 a turn.
    m.writePhys(RAM_BASE, code(addi(A0, A0, 2)));
    m.run({ maxInstructions: 2000n });
    expect(m.hart.x[A0]).toBe(1500n);
  });

  it("a guest store into its own translated loop takes effect, as in the interpreter", () => {
    const outcome = (jit: boolean) => {
      const m = machine(jit);
      m.writePhys(
        RAM_BASE,
        code(
          addi(A0, A0, 1), // 0x00 the instruction patched below
          addi(T0, T0, 1), // 0x04
          blt(T0, T1, -8), // 0x08 blt t0, t1, 0x00
          sw(T3, T2, 0), // 0x0c sw t2, 0(t3): patch 0x00
          addi(T0, 0, 0), // 0x10 li t0, 0
          j(-0x14), // 0x14 j 0x00
        ),
      );
      m.hart.x[T1] = 50n;
      m.hart.x[T2] = BigInt(addi(A0, A0, 2));
      m.hart.x[T3] = RAM_BASE;
      m.hart.pc = RAM_BASE;
      m.run({ maxInstructions: 5000n });
      return { x: [...m.hart.x], pc: m.hart.pc, translated: m.hart.jit.stats.compiles };
    };
    const interpreted = outcome(false);
    const translated = outcome(true);
    expect(translated.translated).toBeGreaterThan(0);
    // The patch took effect: after the first pass of 50, every pass adds 100.
    expect(interpreted.x[A0]).toBeGreaterThan(2000n);
    expect(translated.x).toEqual(interpreted.x);
    expect(translated.pc).toBe(interpreted.pc);
  });
});
