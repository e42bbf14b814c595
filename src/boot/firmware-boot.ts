import { Machine, type MachineConfig, RAM_BASE } from "../machine/machine.js";
import { buildResetRom, MROM_BASE } from "../machine/mrom.js";
import { BuiltinSbi } from "../machine/sbi/builtin-sbi.js";
import { buildVirtDtb } from "../machine/virt-dtb.js";
import { dtbAddress } from "./bare-metal.js";
import { checkLayout, type Piece, placeImage, writePieces } from "./image-layout.js";

/**
 * The machine to build (see MachineConfig); with --bios FILE all harts start
 * in the reset ROM, with builtin hart 0 alone. consoleInput also feeds the
 * built-in SBI's getchar.
 */
export type FirmwareBootOptions = MachineConfig;

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
  const machine = new Machine({ ...opts, harts });
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
  const machine = new Machine({ ...opts, harts });
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
