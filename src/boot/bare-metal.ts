// Boots an ELF on the bare machine as `qemu-system-riscv64 -machine virt
// -bios none -kernel ELF` does: PT_LOAD segments at their physical
// addresses, the device tree at the top of RAM, and hart 0 in M-mode at the
// entry with a0 = hartid and a1 = the device tree's address.

import type { VirtioDevice } from "../machine/devices/virtio.js";
import { Htif } from "../machine/htif.js";
import {
  Machine,
  type MachineConfig,
  RAM_BASE,
  type RunOptions,
  type StopReason,
} from "../machine/machine.js";
import { buildVirtDtb } from "../machine/virt-dtb.js";
import { parseElf } from "./elf.js";

/** The machine to build: RAM, harts, console, disks, clock (see MachineConfig). */
export type BareMetalOptions = MachineConfig;

export type BootResult = { ok: true; machine: Machine; htif?: Htif } | { ok: false; error: string };

const MiB = 1024 * 1024;

/** Where QEMU virt puts the device tree: 2 MiB-aligned below the end of RAM (or 3 GiB). */
export function dtbAddress(ramSize: number, dtbSize: number): bigint {
  const end = Math.min(Number(RAM_BASE) + ramSize, 3072 * MiB);
  return BigInt(Math.floor((end - dtbSize) / (2 * MiB)) * 2 * MiB);
}

export function bootBareMetal(image: Uint8Array, opts: BareMetalOptions): BootResult {
  const parsed = parseElf(image);
  if (!parsed.ok) return parsed;
  const elf = parsed.elf;
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  const ramEnd = RAM_BASE + BigInt(opts.ramSize);
  const harts = opts.harts ?? 1;
  const dtb = buildVirtDtb({ ramSize: BigInt(opts.ramSize), harts });
  if (!dtb.ok) return dtb;
  const dtbAddr = dtbAddress(opts.ramSize, dtb.dtb.length);
  const dtbEnd = dtbAddr + BigInt(dtb.dtb.length);
  // Decide everything before building the machine.
  for (const [i, seg] of elf.segments.entries()) {
    const end = seg.paddr + seg.memsz;
    if (seg.paddr < RAM_BASE || end > ramEnd) {
      return {
        ok: false,
        error: `segment ${i} at ${hex(seg.paddr)}..${hex(end)} lies outside RAM (${hex(RAM_BASE)}..${hex(ramEnd)})`,
      };
    }
    if (seg.paddr < dtbEnd && dtbAddr < end) {
      return {
        ok: false,
        error: `RAM too small: the device tree at ${hex(dtbAddr)} would overlap segment ${i}`,
      };
    }
  }
  const machine = new Machine({ ...opts, harts });
  for (const seg of elf.segments) {
    machine.writePhys(seg.paddr, seg.data);
    const bss = Number(seg.memsz) - seg.data.length;
    if (bss > 0) machine.writePhys(seg.paddr + BigInt(seg.data.length), new Uint8Array(bss));
  }
  machine.writePhys(dtbAddr, dtb.dtb);
  for (let id = harts - 1; id >= 0; id--) {
    machine.onHart(id, (h) => {
      h.pc = elf.entry;
      h.x[10] = BigInt(id);
      h.x[11] = dtbAddr;
    });
  }
  const hart = machine.hart;
  const tohost = elf.symbols.get("tohost");
  const htif =
    tohost !== undefined && tohost >= RAM_BASE && tohost + 8n <= ramEnd
      ? new Htif(hart, tohost, elf.symbols.get("fromhost"), opts.console)
      : undefined;
  return htif ? { ok: true, machine, htif } : { ok: true, machine };
}

export interface BareRunResult {
  reason: StopReason["kind"] | "error";
  exitCode: number;
  output: string;
  instret: bigint;
  error?: string;
}

/** Boots and runs an image to the end, collecting console output (for tests and tools). */
export function runBareMetal(
  image: Uint8Array,
  opts: {
    ramSize?: number;
    maxInstructions?: number | bigint;
    virtio?: readonly (VirtioDevice | undefined)[];
    jit?: boolean;
    jitThreshold?: number;
  } & Omit<RunOptions, "maxInstructions" | "htif"> = {},
): BareRunResult {
  const bytes: number[] = [];
  const boot = bootBareMetal(image, {
    ramSize: opts.ramSize ?? 128 * MiB,
    console: (b) => bytes.push(b),
    ...(opts.virtio ? { virtio: opts.virtio } : {}),
    ...(opts.jit !== undefined ? { jit: opts.jit } : {}),
    ...(opts.jitThreshold !== undefined ? { jitThreshold: opts.jitThreshold } : {}),
  });
  if (!boot.ok) return { reason: "error", exitCode: 2, output: "", instret: 0n, error: boot.error };
  const runOpts: RunOptions = {};
  if (opts.maxInstructions !== undefined) runOpts.maxInstructions = BigInt(opts.maxInstructions);
  if (boot.htif) runOpts.htif = boot.htif;
  if (opts.trace) runOpts.trace = opts.trace;
  const stop = boot.machine.run(runOpts);
  const output = Buffer.from(bytes).toString("latin1");
  const instret = boot.machine.hart.instret;
  switch (stop.kind) {
    case "poweroff":
    case "htif":
      return { reason: stop.kind, exitCode: stop.code, output, instret };
    default:
      return { reason: stop.kind, exitCode: stop.kind === "reset" ? 0 : 3, output, instret };
  }
}
