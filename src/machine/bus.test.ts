import { describe, expect, it } from "vitest";
import { Bus } from "./bus.js";
import type { MmioDevice } from "./devices/mmio-device.js";
import { Machine } from "./machine.js";
import { VIRT_MEMORY_MAP } from "./memory-map.js";

class Recorder implements MmioDevice {
  log: string[] = [];
  constructor(private readonly value: number) {}
  load(offset: number, size: number): number {
    this.log.push(`load ${offset.toString(16)}/${size}`);
    return this.value;
  }
  store(offset: number, size: number, value: number): void {
    this.log.push(`store ${offset.toString(16)}/${size}=${value.toString(16)}`);
  }
}

describe("bus", () => {
  it("routes by region with offsets, and answers undefined/false outside every region", () => {
    const a = new Recorder(1);
    const b = new Recorder(2);
    const bus = new Bus([
      { base: 0x10000000, size: 0x100, device: b },
      { base: 0x100000, size: 0x1000, device: a },
    ]);
    expect(bus.load(0x100ffc, 4)).toBe(1);
    expect(bus.load(0x10000005, 1)).toBe(2);
    expect(bus.store(0x10000000, 1, 0x41)).toBe(true);
    expect(bus.load(0x101000, 4)).toBeUndefined();
    expect(bus.load(0x100000ff + 1, 4)).toBeUndefined();
    expect(bus.store(0xfffff, 4, 0)).toBe(false);
    expect(a.log).toEqual(["load ffc/4"]);
    expect(b.log).toEqual(["load 5/1", "store 0/1=41"]);
  });

  it("refuses overlapping regions and attaches a device to an existing region only", () => {
    const d = new Recorder(0);
    expect(
      () =>
        new Bus([
          { base: 0x1000, size: 0x1000, device: d },
          { base: 0x1800, size: 0x1000, device: d },
        ]),
    ).toThrow(/overlap/);
    const bus = new Bus([{ base: 0x1000, size: 0x1000, device: d }]);
    const e = new Recorder(7);
    bus.attach(0x1000, e);
    expect(bus.load(0x1004, 4)).toBe(7);
    expect(() => bus.attach(0x2000, e)).toThrow();
  });
});

describe("the virt board's bus", () => {
  const m = new Machine({ ramSize: 1 << 20, console: () => {} });

  it("answers at every modelled region of the memory map", () => {
    for (const r of VIRT_MEMORY_MAP) {
      const served = !["mrom", "dram", "clint"].includes(r.kind);
      expect(m.bus.load(r.base, 4) !== undefined, r.name).toBe(served);
    }
  });

  it("shows empty virtio-mmio transports: magic, version 2, device 0, QEMU's vendor", () => {
    for (let n = 0; n < 8; n++) {
      const base = 0x10001000 + n * 0x1000;
      expect(m.bus.load(base, 4)).toBe(0x74726976);
      expect(m.bus.load(base + 4, 4)).toBe(2);
      expect(m.bus.load(base + 8, 4)).toBe(0);
      expect(m.bus.load(base + 12, 4)).toBe(0x554d4551);
    }
  });

  it("wires each virtio-mmio transport to PLIC source 1 + n and answers only its register window", () => {
    const machine = new Machine({ ramSize: 1 << 20, console: () => {} });
    expect(machine.virtio).toHaveLength(8);
    expect(machine.bus.load(0x10003000 + 0x1fc, 4)).toBeDefined();
    expect(machine.bus.load(0x10003000 + 0x200, 4)).toBeUndefined();
    expect(machine.virtio[2]!.irq).toBe(false);
  });
});
