// Several harts on one core: each runs with its own mhartid and registers,
// CLINT msip reaches another hart and wakes it from wfi, a machine whose
// harts all wait with nothing armed stops as idle, and runs repeat exactly.
import { describe, expect, it } from "vitest";
import { Machine } from "./machine.js";

const MiB = 1024 * 1024;
const BASE = 0x8000_0000n;

// Assembled with riscv64-unknown-elf-gcc (-march=rv64gc, no RVC):
// every hart stores hartid + 1 to slot[hartid] at 0x80001000; hart 0 then
// sets hart 1's msip and waits; hart 1 enables MSIE (MIE stays 0), waits
// in wfi until mip.MSIP, stores 0x77 to slot[2], clears its msip, waits.
const PROGRAM = [
  0xf1402573, // csrr a0, mhartid
  0x000802b7, // lui t0, 0x80
  0x0012829b, // addiw t0, t0, 1
  0x00c29293, // slli t0, t0, 12        t0 = 0x80001000
  0x00351313, // slli t1, a0, 3
  0x006282b3, // add t0, t0, t1
  0x00150393, // addi t2, a0, 1
  0x0072b023, // sd t2, 0(t0)
  0x00051e63, // bnez a0, hart1
  0x020002b7, // lui t0, 0x2000
  0x0042829b, // addiw t0, t0, 4        CLINT msip of hart 1
  0x00100313, // li t1, 1
  0x0062a023, // sw t1, 0(t0)
  0x10500073, // 1: wfi
  0xffdff06f, // j 1b
  0x00800293, // hart1: li t0, 8
  0x30429073, // csrw mie, t0
  0x10500073, // 2: wfi
  0x344022f3, // csrr t0, mip
  0x0082f293, // andi t0, t0, 8
  0xfe028ae3, // beqz t0, 2b
  0x000802b7, // lui t0, 0x80
  0x0012829b, // addiw t0, t0, 1
  0x00c29293, // slli t0, t0, 12
  0x01028293, // addi t0, t0, 16
  0x07700313, // li t1, 0x77
  0x0062b023, // sd t1, 0(t0)
  0x020002b7, // lui t0, 0x2000
  0x0042829b, // addiw t0, t0, 4
  0x0002a023, // sw zero, 0(t0)
  0x10500073, // 3: wfi
  0xffdff06f, // j 3b
];

function boot(harts: number) {
  const m = new Machine({ ramSize: 2 * MiB, console: () => {}, harts });
  const code = new Uint8Array(PROGRAM.length * 4);
  const view = new DataView(code.buffer);
  for (const [i, w] of PROGRAM.entries()) view.setUint32(i * 4, w, true);
  m.writePhys(BASE, code);
  for (let id = 0; id < harts; id++) {
    m.onHart(id, (h) => {
      h.pc = BASE;
    });
  }
  return m;
}

describe("several harts", () => {
  it("run with their own hart IDs; msip wakes the other hart; all waiting = idle", () => {
    const m = boot(2);
    expect(m.run({ maxInstructions: 1_000_000n })).toEqual({ kind: "idle" });
    expect(m.hart.readU64(0x8000_1000n)).toBe(1n);
    expect(m.hart.readU64(0x8000_1008n)).toBe(2n);
    expect(m.hart.readU64(0x8000_1010n)).toBe(0x77n);
  });

  it("keep each hart's registers across switches", () => {
    const m = boot(3);
    m.run({ maxInstructions: 1_000_000n });
    for (let id = 0; id < 3; id++) {
      expect(m.onHart(id, (h) => h.x[10])).toBe(BigInt(id)); // a0 = mhartid
      expect(m.onHart(id, (h) => h.core.readCsr(0xf14))).toBe(BigInt(id));
    }
    // Hart 2 waits for good (nobody sets its msip); slot 2 holds its 3 or,
    // stored later, hart 1's 0x77: the order is fixed, so the value is too.
    expect(m.hart.readU64(0x8000_1010n)).toBe(0x77n);
  });

  it("repeat a run exactly (instructions, clock)", () => {
    const once = () => {
      const m = boot(2);
      m.run({ maxInstructions: 1_000_000n });
      return [m.instret, m.hart.core.getCycles()];
    };
    expect(once()).toEqual(once());
  });

  it("accept 1..8 harts only", () => {
    expect(() => new Machine({ ramSize: MiB, console: () => {}, harts: 9 })).toThrow(/harts/);
    expect(() => new Machine({ ramSize: MiB, console: () => {}, harts: 0 })).toThrow(/harts/);
  });
});
