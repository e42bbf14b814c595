import { describe, expect, it } from "vitest";
import { Machine, RAM_BASE } from "./machine.js";

function code(...words: number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const v = new DataView(b.buffer);
  for (const [i, w] of words.entries()) v.setUint32(i * 4, w >>> 0, true);
  return b;
}

const MSTATUS = 0x300;
const MIE = 0x304;
const MTVEC = 0x305;
const MEPC = 0x341;
const MCAUSE = 0x342;
const LOOP = 0x0000006f; // jal x0, 0

describe("machine", () => {
  it("takes a device interrupt raised by an MMIO store at the next instruction", () => {
    const m = new Machine({ ramSize: 1 << 20, console: () => {} });
    m.writePhys(
      RAM_BASE,
      code(
        0x100002b7, // lui  t0, 0x10000      (UART0)
        0x00200313, // addi t1, x0, 2        (IER.ETBEI)
        0x006280a3, // sb   t1, 1(t0)        raises THR empty -> PLIC 10 -> MEIP
        0x00100393, // addi t2, x0, 1        must not run before the trap
        LOOP,
      ),
    );
    m.writePhys(RAM_BASE + 0x100n, code(LOOP));
    const core = m.hart.core;
    core.writeCsr(MTVEC, RAM_BASE + 0x100n);
    core.writeCsr(MIE, 1n << 11n);
    core.writeCsr(MSTATUS, 1n << 3n);
    m.plic.store(4 * 10, 4, 1);
    m.plic.store(0x2000, 4, 1 << 10);
    m.hart.pc = RAM_BASE;
    expect(m.run({ maxInstructions: 10n })).toEqual({ kind: "limit" });
    expect(BigInt.asUintN(64, core.readCsr(MCAUSE))).toBe((1n << 63n) | 11n);
    expect(core.readCsr(MEPC)).toBe(RAM_BASE + 12n);
    expect(m.hart.x[7]).toBe(0n);
  });

  it("skips a waiting hart ahead to the RTC alarm, deterministically", () => {
    const cyclesAtWake = () => {
      const m = new Machine({ ramSize: 1 << 20, console: () => {} });
      m.writePhys(RAM_BASE, code(0x10500073 /* wfi */, LOOP));
      const alarm = m.rtc.now() + 5_000_000n; // 5 ms
      m.rtc.store(0x0c, 4, Number(alarm >> 32n));
      m.rtc.store(0x08, 4, Number(alarm & 0xffffffffn));
      m.rtc.store(0x10, 4, 1);
      m.plic.store(4 * 11, 4, 1);
      m.plic.store(0x2000, 4, 1 << 11);
      m.hart.core.writeCsr(MIE, 1n << 11n); // wfi wakes on MEIP even with mstatus.MIE off
      m.hart.pc = RAM_BASE;
      expect(m.run({ maxInstructions: 3n })).toEqual({ kind: "limit" });
      expect(m.rtc.now()).toBeGreaterThanOrEqual(alarm);
      return m.hart.core.getCycles();
    };
    const a = cyclesAtWake();
    expect(a).toBeGreaterThanOrEqual(500_000n);
    expect(a).toBeLessThan(500_010n);
    expect(cyclesAtWake()).toBe(a);
  });

  it("stops as idle when nothing can wake a waiting hart", () => {
    const m = new Machine({ ramSize: 1 << 20, console: () => {} });
    m.writePhys(RAM_BASE, code(0x10500073, LOOP));
    m.hart.core.writeCsr(MIE, 1n << 11n);
    m.hart.pc = RAM_BASE;
    expect(m.run({ maxInstructions: 100n })).toEqual({ kind: "idle" });
  });
});
