// The core's state stays where core/layout.ts puts it. Regression: the
// module's start function (which sets non-constant initial values, the TLB's
// base among them) was never called, so without TLB banks the TLB sat at
// address 0 and its fills overwrote the RVC expansion table, the CLINT and
// the register file.
import { describe, expect, it } from "vitest";
import { Machine, RAM_BASE } from "../machine.js";

const RVC_TABLE = 0x10000;
const TLB_BASE = 0x60000;

describe("core memory layout", () => {
  it("fills the TLB at TLB_BASE and leaves the tables below it alone", () => {
    const m = new Machine({ ramSize: 4 << 20, console: () => {}, jit: false });
    const mem = new Uint8Array(m.hart.memory.buffer);
    const tables = mem.slice(0x8000, TLB_BASE);
    const tlb = mem.slice(TLB_BASE, TLB_BASE + 0x20000);
    // loop: ld t0, 0(t1); lui t2, 1; add t1, t1, t2; j loop  (one load per page)
    const code = new Uint32Array([0x00033283, 0x000013b7, 0x00730333, 0xff5ff06f]);
    m.writePhys(RAM_BASE, new Uint8Array(code.buffer));
    m.hart.x[6] = RAM_BASE + 0x1000n;
    m.hart.pc = RAM_BASE;
    m.run({ maxInstructions: 3000n });
    expect(m.hart.x[6]).toBe(RAM_BASE + 0x1000n + 750n * 0x1000n);
    // The RVC table, the CLINT and the hart contexts are as they were...
    expect(mem.subarray(0x8000, TLB_BASE)).toEqual(tables);
    expect(mem[RVC_TABLE + 0x2000 * 4]).toBe(tables[RVC_TABLE + 0x2000 * 4 - 0x8000]);
    // ...and the loads' translations went into the TLB.
    expect(mem.subarray(TLB_BASE, TLB_BASE + 0x20000)).not.toEqual(tlb);
  });
});
