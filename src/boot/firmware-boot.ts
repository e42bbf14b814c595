// Boots with firmware, as QEMU's virt does with -bios FILE or as OpenSBI's
// fw_jump does for mica's built-in SBI (-bios builtin).
//
// -bios FILE (QEMU 7.2 hw/riscv/virt.c virt_machine_done, hw/riscv/boot.c):
// the firmware at the start of DRAM (an ELF at its own addresses, otherwise
// a raw binary at 0x80000000); the -kernel payload, an ELF at its own
// addresses or a raw image at the first 2 MiB boundary after the
// firmware's end; the device tree 2 MiB-aligned below the end of RAM; and
// every hart starts in M-mode in the reset ROM at 0x1000, which jumps to
// the firmware with a0 = hartid, a1 = device tree, a2 = fw_dynamic_info.
// fw_dynamic_info.next_addr is the payload's lowest load address (QEMU
// takes that, not e_entry, so that fw_dynamic matches fw_jump), 0 without
// a payload.
//
// -bios builtin: the kernel loaded the same way (a raw image at 0x80200000,
// where fw_jump expects it) and hart 0 entered in S-mode at the ELF's entry
// with a0 = 0, a1 = device tree; ecall from S-mode reaches BuiltinSbi.

import type { VirtioDevice } from "../machine/devices/virtio.js";
import type { ByteSource, HostClock } from "../machine/host-ports.js";
import { Machine, type MachineConfig, RAM_BASE } from "../machine/machine.js";
import { buildResetRom, MROM_BASE } from "../machine/mrom.js";
import { BuiltinSbi } from "../machine/sbi/builtin-sbi.js";
import { buildVirtDtb } from "../machine/virt-dtb.js";
import { dtbAddress } from "./bare-metal.js";
import { checkLayout, type Piece, placeImage, writePieces } from "./image-layout.js";

export interface FirmwareBootOptions {
  ramSize: number;
  /** Harts (-smp): all start in the reset ROM with --bios FILE; hart 0 alone with builtin. */
  harts?: number;
  console: (byte: number) => void;
  /** Console input: the UART's receiver, and the built-in SBI's getchar. */
  consoleInput?: ByteSource;
  /** Devices behind the virtio-mmio transports, by slot (see MachineConfig). */
  virtio?: readonly (VirtioDevice | undefined)[];
  /** --realtime: the host's clock (see MachineConfig). */
  realtime?: HostClock;
}

export type FirmwareBootResult =
  | { ok: true; machine: Machine; kernelEntry: bigint }
  | { ok: false; error: string };

const MiB = 1n << 20n;
/** QEMU's riscv_calc_kernel_start_addr for RV64: the firmware's end, 2 MiB-aligned up. */
const KERNEL_ALIGN = 2n * MiB;
/** Where a raw kernel goes under the built-in SBI: after a 2 MiB firmware slot, as fw_jump. */
export const BUILTIN_KERNEL_ADDR = RAM_BASE + KERNEL_ALIGN;

const alignUp = (v: bigint, a: bigint) => ((v + a - 1n) / a) * a;

/** QEMU's -bios FILE [-kernel FILE]. */
export function bootFirmware(
  bios: Uint8Array,
  kernel: Uint8Array | undefined,
  opts: FirmwareBootOptions,
): FirmwareBootResult {
  const fw = placeImage("firmware", bios, RAM_BASE);
  if (!fw.ok) return fw;
  const pieces: Piece[] = [...fw.image.pieces];
  let nextAddr = 0n;
  if (kernel) {
    const k = placeImage("kernel", kernel, alignUp(fw.image.high, KERNEL_ALIGN));
    if (!k.ok) return k;
    pieces.push(...k.image.pieces);
    nextAddr = k.image.low;
  }
  const harts = opts.harts ?? 1;
  const laid = layOut(pieces, opts.ramSize, harts);
  if (!laid.ok) return laid;
  const machine = new Machine(machineConfig(opts, harts));
  writePieces(machine, laid.pieces);
  machine.hart.rom.set(buildResetRom({ start: RAM_BASE, fdt: laid.dtbAddr, nextAddr }));
  for (let id = harts - 1; id >= 0; id--) {
    machine.onHart(id, (h) => {
      h.pc = MROM_BASE;
    });
  }
  return { ok: true, machine, kernelEntry: nextAddr };
}

/** -bios builtin: the kernel in S-mode under mica's own SBI. */
export function bootBuiltinSbi(kernel: Uint8Array, opts: FirmwareBootOptions): FirmwareBootResult {
  const k = placeImage("kernel", kernel, BUILTIN_KERNEL_ADDR);
  if (!k.ok) return k;
  const harts = opts.harts ?? 1;
  const laid = layOut([...k.image.pieces], opts.ramSize, harts);
  if (!laid.ok) return laid;
  const machine = new Machine(machineConfig(opts, harts));
  writePieces(machine, laid.pieces);
  // seL4: OpenSBI's getchar reads the UART; the built-in SBI takes the
  // console's input directly (a guest uses one or the other).
  const source = opts.consoleInput;
  const input = source ? () => source.read() : () => -1;
  const sbi = new BuiltinSbi(machine, { putByte: opts.console, getByte: input });
  machine.sbi = sbi;
  sbi.enterSupervisor(0, k.image.entry, laid.dtbAddr);
  return { ok: true, machine, kernelEntry: k.image.entry };
}

function machineConfig(opts: FirmwareBootOptions, harts: number): MachineConfig {
  return {
    ramSize: opts.ramSize,
    console: opts.console,
    harts,
    ...(opts.consoleInput ? { consoleInput: opts.consoleInput } : {}),
    ...(opts.virtio ? { virtio: opts.virtio } : {}),
    ...(opts.realtime ? { realtime: opts.realtime } : {}),
  };
}

/** Adds the device tree to the pieces and checks the whole layout. */
function layOut(
  pieces: Piece[],
  ramSize: number,
  harts: number,
): { ok: true; pieces: Piece[]; dtbAddr: bigint } | { ok: false; error: string } {
  const dtb = buildVirtDtb({ ramSize: BigInt(ramSize), harts });
  if (!dtb.ok) return dtb;
  const dtbAddr = dtbAddress(ramSize, dtb.dtb.length);
  const all = [
    ...pieces,
    { what: "the device tree", paddr: dtbAddr, data: dtb.dtb, memsz: BigInt(dtb.dtb.length) },
  ];
  const error = checkLayout(all, ramSize);
  return error ? { ok: false, error } : { ok: true, pieces: all, dtbAddr };
}
