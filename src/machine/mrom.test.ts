// The reset ROM runs on a hart: it must reach the firmware with a0, a1 and
// a2 as QEMU's does, and fw_dynamic_info must hold OpenSBI's fields.
import { describe, expect, it } from "vitest";
import { Machine } from "./machine.js";
import {
  buildResetRom,
  FW_DYNAMIC_INFO_MAGIC,
  FW_DYNAMIC_INFO_NEXT_MODE_S,
  FW_DYNAMIC_INFO_VERSION,
  MROM_BASE,
} from "./mrom.js";

const MiB = 1024 * 1024;

function bootRom(nextAddr: bigint) {
  const m = new Machine({ ramSize: 4 * MiB, console: () => {} });
  const rom = buildResetRom({ start: 0x8000_0000n, fdt: 0x8030_0000n, nextAddr });
  m.hart.rom.set(rom);
  m.hart.pc = MROM_BASE;
  // The firmware: a loop at the start of DRAM (jal x0, 0).
  m.writePhys(0x8000_0000n, new Uint8Array([0x6f, 0, 0, 0]));
  m.run({ maxInstructions: 20n });
  return m;
}

describe("reset ROM", () => {
  it("enters the firmware with a0 = mhartid, a1 = device tree, a2 = fw_dynamic_info", () => {
    const m = bootRom(0x8020_0000n);
    const h = m.hart;
    expect(h.pc).toBe(0x8000_0000n);
    expect(h.x[10]).toBe(0n);
    expect(h.x[11]).toBe(0x8030_0000n);
    const info = h.x[12]!;
    expect(info).toBeGreaterThan(MROM_BASE);
    // The guest reads fw_dynamic_info through loads: compare with the ROM's bytes.
    const view = new DataView(h.rom.buffer, h.rom.byteOffset + Number(info - MROM_BASE), 48);
    const word = (i: number) => view.getBigUint64(i * 8, true);
    expect(word(0)).toBe(FW_DYNAMIC_INFO_MAGIC);
    expect(word(1)).toBe(FW_DYNAMIC_INFO_VERSION);
    expect(word(2)).toBe(0x8020_0000n);
    expect(word(3)).toBe(FW_DYNAMIC_INFO_NEXT_MODE_S);
    expect(word(4)).toBe(0n);
    expect(word(5)).toBe(0n);
  });

  it("is read-only: a store to it leaves it unchanged and does not fault", () => {
    const m = new Machine({ ramSize: 4 * MiB, console: () => {} });
    m.hart.rom.set(buildResetRom({ start: 0x8000_0000n, fdt: 0n, nextAddr: 0n }));
    // li t0, 0x1000; sd t0, 0(t0); ld t1, 0(t0); jal x0, 0
    const prog = [0x000012b7, 0x0052b023, 0x0002b303, 0x0000006f];
    const bytes = new Uint8Array(16);
    prog.forEach((w, i) => {
      new DataView(bytes.buffer).setUint32(i * 4, w, true);
    });
    m.writePhys(0x8000_0000n, bytes);
    m.hart.pc = 0x8000_0000n;
    m.run({ maxInstructions: 10n });
    expect(m.hart.pc).toBe(0x8000_000cn);
    expect(m.hart.x[6]).toBe(0x0000_0297n | (0x02828613n << 32n)); // auipc t0 / addi a2
  });
});
