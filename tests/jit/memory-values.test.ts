// Translated code reuses a value a block already loaded or stored at the
// same base register and offset (jit/translate.ts emitLoad). A store through
// another register may alias that address, and so may a narrower store
// through the same one, and a load may replace its own base register: this
// block does all three, in a loop, and must end in the interpreter's state.
import { describe, expect, it } from "vitest";
import { Machine, RAM_BASE } from "../../src/machine/machine.js";
import { add, addi, blt, code, j, ld, sb, sd, sw } from "../support/rv-encode.js";

const [T0, T1, T2, SP, A1, A2, A3, A4, A6, A7] = [5, 6, 7, 2, 11, 12, 13, 14, 16, 17];
const [S3, S4, S6, S7, S8, S9, S10] = [19, 20, 22, 23, 24, 25, 26];
const [T3, T4] = [28, 29];

const HALT = j(0);

const LOOP = [
  addi(A1, A1, 1),
  addi(A2, A2, 5),
  sd(SP, A1, 0),
  sd(T0, A2, 0), // t0 == sp: the same doubleword through another register
  ld(A3, SP, 0), // must read a2
  ld(A4, SP, 8),
  sw(T0, A1, 8), // half of 8(sp), through t0
  ld(A6, SP, 8), // must see it
  ld(A7, SP, 16),
  sb(SP, A2, 17), // one byte inside 16(sp), through sp itself
  ld(S3, SP, 16), // must see it
  ld(S4, SP, 24),
  sd(SP, A1, 32), // next to 24(sp): does not touch it
  ld(S6, SP, 24), // may come from s4's load
  ld(S7, S8, 0),
  addi(S8, S8, 8), // a new base value: 0(s8) is another address now
  ld(S9, S8, 0),
  addi(S8, S8, -8),
  addi(T3, SP, 8),
  sd(SP, T3, 48), // 48(sp) = sp + 8
  addi(T3, SP, 48),
  ld(T3, T3, 0), // t3 = sp + 8: a load that replaces its own base
  ld(T4, T3, 0), // 8(sp), not the value just loaded
  add(S10, S10, T4),
  add(S10, S10, A3),
  add(S10, S10, A6),
  add(S10, S10, S3),
  add(S10, S10, S6),
  add(S10, S10, S7),
  add(S10, S10, S9),
  sd(SP, S10, 24),
  sd(S8, S10, 8),
  addi(T1, T1, 1),
];

function run(jit: boolean) {
  const m = new Machine({ ramSize: 1 << 20, console: () => {}, jit, jitThreshold: 0 });
  m.writePhys(RAM_BASE, code(...LOOP, blt(T1, T2, -4 * LOOP.length), HALT));
  const data = RAM_BASE + 0x2000n;
  const h = m.hart;
  h.x[SP] = data;
  h.x[T0] = data;
  h.x[S8] = data + 40n;
  h.x[T2] = 200n;
  h.pc = RAM_BASE;
  m.run({ maxInstructions: 200n * BigInt(LOOP.length + 1) + 10n });
  const mem = [...h.ramSlice(data, 64)!];
  return { x: [...h.x], pc: h.pc, mem, compiles: h.jit.stats.compiles };
}

describe("memory values a translated block reuses", () => {
  it("end in the interpreter's state when stores alias them", () => {
    const interpreted = run(false);
    const translated = run(true);
    expect(translated.compiles).toBeGreaterThan(0);
    expect(interpreted.x[T1]).toBe(200n);
    expect(translated.x).toEqual(interpreted.x);
    expect(translated.pc).toBe(interpreted.pc);
    expect(translated.mem).toEqual(interpreted.mem);
  });
});
