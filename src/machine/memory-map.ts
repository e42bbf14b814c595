// The physical memory map of QEMU's RISC-V `virt` board, as one table that both the bus
// and the device tree are built from. Source: QEMU 7.2 hw/riscv/virt.c (virt_memmap[] and
// the UART0_IRQ/RTC_IRQ/VIRTIO_IRQ enum in include/hw/riscv/virt.h), checked against
// `qemu-system-riscv64 -machine virt,dumpdtb=...` of QEMU 7.2.
//
// Regions of QEMU's map that mica does not model are left out rather than stubbed:
// debug (0x0), ACLINT SSWI (0x2f00000), PCIe PIO/ECAM/MMIO (0x3000000, 0x30000000,
// 0x40000000), platform bus (0x4000000), APLIC/IMSIC (only with aia=...), fw_cfg
// (0x10100000) and flash (0x20000000).
//
// Every base and size is below 4 GiB, so they are plain numbers (exact, and cheap for the
// bus to compare); only the RAM size, which comes from the machine's configuration, is not.

export type VirtRegionKind =
  | "mrom"
  | "test"
  | "rtc"
  | "clint"
  | "plic"
  | "uart"
  | "virtio-mmio"
  | "dram";

export type VirtRegionName =
  | "mrom"
  | "test"
  | "rtc"
  | "clint"
  | "plic"
  | "uart0"
  | "virtio0"
  | "virtio1"
  | "virtio2"
  | "virtio3"
  | "virtio4"
  | "virtio5"
  | "virtio6"
  | "virtio7"
  | "dram";

export interface MemoryRegion {
  /** After QEMU's VIRT_* memmap index (VIRT_UART0 -> "uart0"). */
  readonly name: VirtRegionName;
  /** Which device model serves the region. */
  readonly kind: VirtRegionKind;
  readonly base: number;
  /** In bytes. 0 for DRAM, whose size is the machine's RAM size (QEMU: -m). */
  readonly size: number;
  /** The PLIC interrupt source the device raises, if any. */
  readonly irq?: number;
  /** Device-tree node name, before "@unit-address"; absent when the DTB omits the region. */
  readonly node?: string;
  /** Device-tree "compatible", most specific first; empty when the DTB omits the region. */
  readonly compatible: readonly string[];
}

/** QEMU's VIRTIO_COUNT: virtio-mmio transports at VIRT_VIRTIO.base + n * size. */
export const VIRT_VIRTIO_COUNT = 8;
const VIRTIO_BASE = 0x10001000;
const VIRTIO_SIZE = 0x1000;
/** QEMU's VIRTIO_IRQ: transport n raises PLIC source VIRTIO_IRQ + n. */
const VIRTIO_IRQ = 1;

/** The largest hart count QEMU 7.2's virt accepts (VIRT_CPUS_MAX); the PLIC region is sized for it. */
export const VIRT_CPUS_MAX = 512;

/**
 * PLIC interrupt sources, as the "riscv,ndev" of QEMU 7.2's dumped DTB (0x60). The PLIC
 * itself has 96 counting the reserved source 0, so sources 1..95 (probed on QEMU 7.2:
 * enable bits past source 95 read 0; see devices/plic.ts).
 */
export const VIRT_PLIC_NDEV = 96;

// VIRT_PLIC_SIZE(VIRT_CPUS_MAX * 2): the context base 0x200000 plus one 0x1000 context page
// per hart per privilege mode (M and S), for the largest machine. QEMU sizes the PLIC this
// way whatever -smp says, and its DTB reg says 0x600000 too.
const PLIC_CONTEXT_BASE = 0x200000;
const PLIC_CONTEXT_STRIDE = 0x1000;
const PLIC_SIZE = PLIC_CONTEXT_BASE + VIRT_CPUS_MAX * 2 * PLIC_CONTEXT_STRIDE;

export const VIRT_DRAM_BASE = 0x80000000;

function virtio(n: number): MemoryRegion {
  return {
    name: `virtio${n}` as VirtRegionName,
    kind: "virtio-mmio",
    base: VIRTIO_BASE + n * VIRTIO_SIZE,
    size: VIRTIO_SIZE,
    irq: VIRTIO_IRQ + n,
    node: "virtio_mmio",
    compatible: ["virtio,mmio"],
  };
}

/** In address order. */
export const VIRT_MEMORY_MAP: readonly MemoryRegion[] = [
  // The boot ROM: QEMU's reset vector (jump to DRAM with a0 = mhartid, a1 = DTB address).
  { name: "mrom", kind: "mrom", base: 0x1000, size: 0xf000, compatible: [] },
  // SiFive test finisher: a write of 0x5555/0x3333/0x7777 ends the run (pass/fail/reset).
  {
    name: "test",
    kind: "test",
    base: 0x100000,
    size: 0x1000,
    node: "test",
    compatible: ["sifive,test1", "sifive,test0", "syscon"],
  },
  {
    name: "rtc",
    kind: "rtc",
    base: 0x101000,
    size: 0x1000,
    irq: 11,
    node: "rtc",
    compatible: ["google,goldfish-rtc"],
  },
  {
    name: "clint",
    kind: "clint",
    base: 0x2000000,
    size: 0x10000,
    node: "clint",
    compatible: ["sifive,clint0", "riscv,clint0"],
  },
  {
    name: "plic",
    kind: "plic",
    base: 0xc000000,
    size: PLIC_SIZE,
    node: "plic",
    compatible: ["sifive,plic-1.0.0", "riscv,plic0"],
  },
  {
    name: "uart0",
    kind: "uart",
    base: 0x10000000,
    size: 0x100,
    irq: 10,
    node: "serial",
    compatible: ["ns16550a"],
  },
  ...Array.from({ length: VIRT_VIRTIO_COUNT }, (_, n) => virtio(n)),
  { name: "dram", kind: "dram", base: VIRT_DRAM_BASE, size: 0, node: "memory", compatible: [] },
];

const byName = new Map(VIRT_MEMORY_MAP.map((r) => [r.name, r]));

export function virtRegion(name: VirtRegionName): MemoryRegion {
  // Every VirtRegionName is in the table (a test checks it).
  return byName.get(name)!;
}

/** The device-tree node name with unit address, e.g. "serial@10000000". */
export function virtNodeName(region: MemoryRegion): string | undefined {
  return region.node === undefined ? undefined : `${region.node}@${region.base.toString(16)}`;
}
