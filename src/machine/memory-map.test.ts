import { describe, expect, it } from "vitest";
import {
  VIRT_DRAM_BASE,
  VIRT_MEMORY_MAP,
  VIRT_PLIC_NDEV,
  VIRT_VIRTIO_COUNT,
  type VirtRegionName,
  virtNodeName,
  virtRegion,
} from "./memory-map.js";

const ALL_NAMES: VirtRegionName[] = [
  "mrom",
  "test",
  "rtc",
  "clint",
  "plic",
  "uart0",
  "virtio0",
  "virtio1",
  "virtio2",
  "virtio3",
  "virtio4",
  "virtio5",
  "virtio6",
  "virtio7",
  "dram",
];

describe("VIRT_MEMORY_MAP", () => {
  it("has every region name exactly once", () => {
    expect(VIRT_MEMORY_MAP.map((r) => r.name).sort()).toEqual([...ALL_NAMES].sort());
    for (const name of ALL_NAMES) expect(virtRegion(name).name).toBe(name);
  });

  it("matches QEMU 7.2's virt_memmap for the modeled devices", () => {
    const row = (name: VirtRegionName) => {
      const r = virtRegion(name);
      return [r.base, r.size, r.irq, r.compatible];
    };
    expect(row("mrom")).toEqual([0x1000, 0xf000, undefined, []]);
    expect(row("test")).toEqual([
      0x100000,
      0x1000,
      undefined,
      ["sifive,test1", "sifive,test0", "syscon"],
    ]);
    expect(row("rtc")).toEqual([0x101000, 0x1000, 11, ["google,goldfish-rtc"]]);
    expect(row("clint")).toEqual([
      0x2000000,
      0x10000,
      undefined,
      ["sifive,clint0", "riscv,clint0"],
    ]);
    expect(row("plic")).toEqual([
      0xc000000,
      0x600000,
      undefined,
      ["sifive,plic-1.0.0", "riscv,plic0"],
    ]);
    expect(row("uart0")).toEqual([0x10000000, 0x100, 10, ["ns16550a"]]);
    for (let n = 0; n < VIRT_VIRTIO_COUNT; n++) {
      expect(row(`virtio${n}` as VirtRegionName)).toEqual([
        0x10001000 + n * 0x1000,
        0x1000,
        n + 1,
        ["virtio,mmio"],
      ]);
    }
    expect(row("dram")).toEqual([VIRT_DRAM_BASE, 0, undefined, []]);
    expect(VIRT_DRAM_BASE).toBe(0x80000000);
  });

  it("is in address order without overlaps, DRAM last", () => {
    for (let i = 1; i < VIRT_MEMORY_MAP.length; i++) {
      const prev = VIRT_MEMORY_MAP[i - 1]!;
      expect(prev.base + prev.size).toBeLessThanOrEqual(VIRT_MEMORY_MAP[i]!.base);
    }
    expect(VIRT_MEMORY_MAP.at(-1)!.name).toBe("dram");
  });

  it("gives interrupts only valid, distinct PLIC sources (0 means none)", () => {
    const irqs = VIRT_MEMORY_MAP.flatMap((r) => (r.irq === undefined ? [] : [r.irq]));
    expect(new Set(irqs).size).toBe(irqs.length);
    for (const irq of irqs) {
      expect(irq).toBeGreaterThan(0);
      expect(irq).toBeLessThanOrEqual(VIRT_PLIC_NDEV);
    }
  });

  it("names device-tree nodes as QEMU does", () => {
    expect(virtNodeName(virtRegion("uart0"))).toBe("serial@10000000");
    expect(virtNodeName(virtRegion("virtio7"))).toBe("virtio_mmio@10008000");
    expect(virtNodeName(virtRegion("plic"))).toBe("plic@c000000");
    expect(virtNodeName(virtRegion("dram"))).toBe("memory@80000000");
    expect(virtNodeName(virtRegion("mrom"))).toBeUndefined();
  });
});
