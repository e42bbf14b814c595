// Builds the device tree mica hands its guest: the shape QEMU 7.2's RISC-V `virt` board
// generates (hw/riscv/virt.c create_fdt*), restricted to the devices mica models, with the
// addresses and interrupts taken from memory-map.ts. Bindings: Devicetree Specification
// v0.4 chapter 3 (/, /chosen, /memory, /cpus) and the Linux bindings for riscv/cpus.yaml,
// sifive,plic-1.0.0, sifive,clint0, syscon-poweroff/-reboot.
//
// Compared with `qemu-system-riscv64 -machine virt,dumpdtb=` (7.2, -m 128M / 3G, -smp 1/2),
// the nodes mica emits carry the same properties, values and phandle numbers, except:
//   - /cpus/cpu@N riscv,isa is "rv64imafdc_zicntr_zicsr_zifencei_sstc" (what mica
//     implements); QEMU says "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc".
//     Both end in sstc: QEMU 7.2's default CPU has Sstc on, and so has mica.
//   - /cpus/cpu@N mmu-type is "riscv,sv39" (mica's MMU); QEMU 7.2 says "riscv,sv48".
//   - /chosen has no rng-seed (QEMU puts 32 random bytes there; mica stays deterministic).
//   - /chosen/bootargs is present only when given, as QEMU does with -append.
//   - Left out with the devices they describe: /pmu, /fw-cfg@10100000, /flash@20000000,
//     /platform-bus@4000000, /soc/pci@30000000, and /cpus/cpu-map (topology only).
//   - Node order: QEMU's libfdt inserts each new node first, so its children come out in
//     reverse creation order; mica writes them in address order. Order has no meaning.

import { encodeFdt, type FdtNode, type FdtProperty } from "./fdt.js";
import {
  type MemoryRegion,
  VIRT_CPUS_MAX,
  VIRT_DRAM_BASE,
  VIRT_MEMORY_MAP,
  VIRT_PLIC_NDEV,
  virtNodeName,
  virtRegion,
} from "./memory-map.js";

export interface VirtDtbConfig {
  /** Bytes of RAM at VIRT_DRAM_BASE. */
  readonly ramSize: bigint;
  /** Number of harts, hart IDs 0..harts-1. */
  readonly harts: number;
  /** /chosen/bootargs: the kernel command line. */
  readonly bootargs?: string;
}

export type VirtDtbResult = { ok: true; dtb: Uint8Array } | { ok: false; error: string };

/** The mtime tick rate, cpus/timebase-frequency (QEMU: RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ). */
export const VIRT_TIMEBASE_FREQUENCY = 10_000_000;
/** The ns16550a input clock QEMU's virt advertises (3.6864 MHz). */
export const VIRT_UART_CLOCK_FREQUENCY = 3_686_400;
export const VIRT_RISCV_ISA = "rv64imafdc_zicntr_zicsr_zifencei_sstc";
export const VIRT_MMU_TYPE = "riscv,sv39";

// Test finisher commands the syscon-poweroff/-reboot nodes write (QEMU hw/misc/sifive_test.h).
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

// Local interrupt numbers on a hart's riscv,cpu-intc (the mip/mie bit numbers).
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXT = 9;
const IRQ_M_EXT = 11;

const U64_LIMIT = 1n << 64n;

/** A node with 2 address cells and 2 size cells: a 64-bit base and a 64-bit size. */
function reg(base: number | bigint, size: number | bigint): FdtProperty {
  return ["reg", { u64: [BigInt(base), BigInt(size)] }];
}

function props(...list: FdtProperty[]): FdtProperty[] {
  return list;
}

export function buildVirtDtb(config: VirtDtbConfig): VirtDtbResult {
  const { ramSize, harts, bootargs } = config;
  if (!Number.isInteger(harts) || harts < 1 || harts > VIRT_CPUS_MAX) {
    return { ok: false, error: `hart count ${harts} is not between 1 and ${VIRT_CPUS_MAX}` };
  }
  if (ramSize <= 0n || BigInt(VIRT_DRAM_BASE) + ramSize > U64_LIMIT) {
    return {
      ok: false,
      error: `RAM size ${ramSize} does not fit above 0x${VIRT_DRAM_BASE.toString(16)}`,
    };
  }

  // Phandles are handed out in QEMU's order, so the numbers match its DTB: harts from the
  // highest ID down (each cpu, then its interrupt controller), then the PLIC, then the
  // test finisher.
  let nextPhandle = 1;
  const cpuPhandle: number[] = [];
  const intcPhandle: number[] = [];
  for (let hart = harts - 1; hart >= 0; hart--) {
    cpuPhandle[hart] = nextPhandle++;
    intcPhandle[hart] = nextPhandle++;
  }
  const plicPhandle = nextPhandle++;
  const testPhandle = nextPhandle++;

  const cpus: FdtNode[] = [];
  for (let hart = 0; hart < harts; hart++) {
    cpus.push({
      name: `cpu@${hart.toString(16)}`,
      props: props(
        ["phandle", { u32: [cpuPhandle[hart]!] }],
        ["device_type", { str: "cpu" }],
        ["reg", { u32: [hart] }],
        ["status", { str: "okay" }],
        ["compatible", { str: "riscv" }],
        ["riscv,isa", { str: VIRT_RISCV_ISA }],
        ["mmu-type", { str: VIRT_MMU_TYPE }],
      ),
      children: [
        {
          name: "interrupt-controller",
          props: props(
            ["#interrupt-cells", { u32: [1] }],
            ["interrupt-controller", { empty: true }],
            ["compatible", { str: "riscv,cpu-intc" }],
            ["phandle", { u32: [intcPhandle[hart]!] }],
          ),
          children: [],
        },
      ],
    });
  }

  // Each hart's interrupt-controller paired with a local interrupt, hart 0 first.
  const perHart = (...irqs: number[]) =>
    intcPhandle.flatMap((intc) => irqs.flatMap((irq) => [intc, irq]));

  const soc: FdtNode[] = [];
  for (const region of VIRT_MEMORY_MAP) {
    const device = socDevice(region, { plicPhandle, testPhandle, perHart });
    if (device !== undefined) soc.push(device);
  }

  const uart = virtNodeName(virtRegion("uart0"))!;
  const chosen: FdtProperty[] = [];
  if (bootargs !== undefined) chosen.push(["bootargs", { str: bootargs }]);
  chosen.push(["stdout-path", { str: `/soc/${uart}` }]);

  const syscon = (compatible: string, value: number): FdtNode => ({
    name: compatible.slice("syscon-".length),
    props: props(
      ["value", { u32: [value] }],
      ["offset", { u32: [0] }],
      ["regmap", { u32: [testPhandle] }],
      ["compatible", { str: compatible }],
    ),
    children: [],
  });

  const dram = virtRegion("dram");
  const root: FdtNode = {
    name: "",
    props: props(
      ["#address-cells", { u32: [2] }],
      ["#size-cells", { u32: [2] }],
      ["compatible", { str: "riscv-virtio" }],
      ["model", { str: "riscv-virtio,qemu" }],
    ),
    children: [
      { name: "chosen", props: chosen, children: [] },
      syscon("syscon-poweroff", FINISHER_PASS),
      syscon("syscon-reboot", FINISHER_RESET),
      {
        name: virtNodeName(dram)!,
        props: props(["device_type", { str: "memory" }], reg(dram.base, ramSize)),
        children: [],
      },
      {
        name: "cpus",
        props: props(
          ["#address-cells", { u32: [1] }],
          ["#size-cells", { u32: [0] }],
          ["timebase-frequency", { u32: [VIRT_TIMEBASE_FREQUENCY] }],
        ),
        children: cpus,
      },
      {
        name: "soc",
        props: props(
          ["#address-cells", { u32: [2] }],
          ["#size-cells", { u32: [2] }],
          ["compatible", { str: "simple-bus" }],
          ["ranges", { empty: true }],
        ),
        children: soc,
      },
    ],
  };

  const encoded = encodeFdt(root);
  return encoded.ok ? { ok: true, dtb: encoded.blob } : encoded;
}

interface SocContext {
  readonly plicPhandle: number;
  readonly testPhandle: number;
  readonly perHart: (...irqs: number[]) => number[];
}

/** The /soc child for a memory-map region, with the properties QEMU gives it. */
function socDevice(region: MemoryRegion, ctx: SocContext): FdtNode | undefined {
  const name = virtNodeName(region);
  if (name === undefined || region.kind === "dram") return undefined;
  const compatible: FdtProperty = ["compatible", { strs: region.compatible }];
  const interrupts = (): FdtProperty[] =>
    region.irq === undefined
      ? []
      : [
          ["interrupts", { u32: [region.irq] }],
          ["interrupt-parent", { u32: [ctx.plicPhandle] }],
        ];
  const node = (list: FdtProperty[]): FdtNode => ({ name, props: list, children: [] });

  switch (region.kind) {
    case "test":
      return node([
        ["phandle", { u32: [ctx.testPhandle] }],
        reg(region.base, region.size),
        compatible,
      ]);
    case "clint":
      return node([
        ["interrupts-extended", { u32: ctx.perHart(IRQ_M_SOFT, IRQ_M_TIMER) }],
        reg(region.base, region.size),
        compatible,
      ]);
    case "plic":
      return node([
        ["phandle", { u32: [ctx.plicPhandle] }],
        ["riscv,ndev", { u32: [VIRT_PLIC_NDEV] }],
        reg(region.base, region.size),
        ["interrupts-extended", { u32: ctx.perHart(IRQ_M_EXT, IRQ_S_EXT) }],
        ["interrupt-controller", { empty: true }],
        compatible,
        ["#address-cells", { u32: [0] }],
        ["#interrupt-cells", { u32: [1] }],
      ]);
    case "uart":
      return node([
        ...interrupts(),
        ["clock-frequency", { u32: [VIRT_UART_CLOCK_FREQUENCY] }],
        reg(region.base, region.size),
        compatible,
      ]);
    default:
      return node([...interrupts(), reg(region.base, region.size), compatible]);
  }
}
