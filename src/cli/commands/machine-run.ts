// `mica machine run`: boot an ELF on the virt machine, like
// `qemu-system-riscv64 -machine virt -bios none -kernel ELF`, or with
// firmware: a real one (-bios FILE -kernel FILE) or mica's built-in SBI.

import { openSync, writeSync } from "node:fs";

import { bootBareMetal } from "../../boot/bare-metal.js";
import { bootBuiltinSbi, bootFirmware } from "../../boot/firmware-boot.js";
import type { Htif } from "../../machine/htif.js";
import { MAX_HARTS, type Machine, type RunOptions } from "../../machine/machine.js";
import {
  countOption,
  MiB,
  parseCommandLine,
  ramOption,
  readImage,
  statsLine,
} from "../cli-args.js";
import { ConsoleOutput } from "../console-output.js";
import { Tracer } from "../trace.js";
import { UsageError } from "../usage-error.js";

export const MACHINE_RUN_HELP = `usage: mica machine run [options] ELF
       mica machine run --bios builtin [options] KERNEL
       mica machine run --bios FILE [--kernel KERNEL] [options]

Boots on mica's emulated RISC-V virt board, as qemu-system-riscv64
-machine virt does. With --bios none (the default), as -bios none -kernel
ELF: the PT_LOAD segments are loaded at their physical addresses and hart 0
starts in M-mode at the entry with a0 = hartid, a1 = address of the device
tree.

With --bios builtin, mica's own SBI (base, TIME, IPI, RFENCE, HSM, SRST,
DBCN, legacy console) is the firmware: KERNEL is entered in S-mode at its
entry with a0 = hartid, a1 = device tree, as OpenSBI's fw_jump does.

With --bios FILE, FILE is M-mode firmware (e.g. OpenSBI's fw_jump.elf or
fw_dynamic.elf; an ELF, or a raw binary loaded at 0x80000000) and KERNEL its
payload (an ELF at its addresses, or a raw image at the first 2 MiB boundary
after the firmware). The hart starts at QEMU's reset ROM (0x1000), which
passes a0 = hartid, a1 = device tree, a2 = fw_dynamic_info.

options:
  --bios none|builtin|FILE firmware (default: none)
  --kernel FILE            the kernel (payload) for --bios builtin or FILE;
                           the positional argument does the same
  --smp N                  harts, 1..8 (default 1); they take turns of
                           10,000 instructions, in hart ID order
  --ram SIZE               RAM size, e.g. 128M (default), 1G; a bare number is MiB
  --max-instructions N     stop after N retired instructions (exit code 3)
  --trace                  log every instruction to stderr in spike's
                           commit-log format (slow)
  --trace-file FILE        the same, to FILE
  --stats                  print instructions, time and MIPS to stderr at the end
  -h, --help               this text

Guest console output goes to stdout; mica's own messages to stderr.
Exit code: the guest's, from the SiFive test finisher (0x100000) or HTIF
tohost; 2 for bad input; 3 when --max-instructions ran out; 4 when the hart
waits (wfi) for an interrupt that nothing can raise.`;

export function machineRun(args: string[]): number {
  const { values, positionals } = parse(args);
  if (values.help) {
    console.log(MACHINE_RUN_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError("give exactly one ELF file");
  if (positionals.length === 1 && values.kernel !== undefined) {
    throw new UsageError("give the kernel either as --kernel or as the positional argument");
  }
  const bios = values.bios ?? "none";
  if (bios === "") throw new UsageError("--bios: give none, builtin or a firmware file");
  const kernelPath = values.kernel ?? positionals[0];
  if (bios === "none" && values.kernel !== undefined) {
    throw new UsageError(
      "--kernel needs firmware (--bios builtin or --bios FILE); with --bios none give the ELF as the positional argument",
    );
  }
  if (bios !== "none" && bios !== "builtin" && positionals.length === 1) {
    throw new UsageError(`with --bios FILE give the payload as --kernel ${positionals[0]}`);
  }
  if (kernelPath === undefined && bios !== "none" && bios !== "builtin") {
    // QEMU boots firmware without a payload too (next_addr 0).
  } else if (kernelPath === undefined) {
    throw new UsageError(bios === "builtin" ? "no kernel given" : "no ELF file given");
  }
  const ramSize = ramOption(values.ram, 1 * MiB);
  const harts = smpOption(values.smp);
  const runOpts: RunOptions = {};
  const maxInstructions = countOption(values["max-instructions"], "--max-instructions");
  if (maxInstructions !== undefined) runOpts.maxInstructions = maxInstructions;
  const out = new ConsoleOutput(1);
  const boot = bootFor(bios, kernelPath, { ramSize, harts, console: out.put });
  if (boot.htif) runOpts.htif = boot.htif;
  let tracer: Tracer | undefined;
  let traceFd = 2;
  if (values.trace || values["trace-file"] !== undefined) {
    const file = values["trace-file"];
    if (file !== undefined) {
      try {
        traceFd = openSync(file, "w");
      } catch (e) {
        throw new UsageError(
          `--trace-file ${file}: cannot open (${(e as NodeJS.ErrnoException).code})`,
        );
      }
    }
    tracer = new Tracer((line) => writeSync(traceFd, `${line}\n`));
    runOpts.trace = tracer.step;
  }
  const started = process.hrtime.bigint();
  const stop = boot.machine.run(runOpts);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  out.flush();
  tracer?.finish(boot.machine.hart);
  const instret = boot.machine.instret;
  if (values.stats) process.stderr.write(statsLine(instret, seconds));
  switch (stop.kind) {
    case "poweroff":
    case "htif":
      return stop.code;
    case "reset":
      process.stderr.write("mica: the guest asked for a reset; stopping\n");
      return 0;
    case "limit":
      process.stderr.write(`mica: stopped after ${instret} instructions (--max-instructions)\n`);
      return 3;
    case "idle":
      process.stderr.write(
        "mica: every hart waits for an interrupt that nothing can raise; stopping\n",
      );
      return 4;
  }
}

/** Boots the machine with the firmware asked for; a UsageError when an image does not fit. */
function bootFor(
  bios: string,
  kernelPath: string | undefined,
  opts: { ramSize: number; harts: number; console: (byte: number) => void },
): { machine: Machine; htif?: Htif } {
  if (bios === "none") {
    const boot = bootBareMetal(readImage(kernelPath!), opts);
    if (!boot.ok) throw new UsageError(`${kernelPath}: ${boot.error}`);
    return boot.htif ? { machine: boot.machine, htif: boot.htif } : { machine: boot.machine };
  }
  const kernel = kernelPath === undefined ? undefined : readImage(kernelPath);
  const boot =
    bios === "builtin"
      ? bootBuiltinSbi(kernel!, opts)
      : bootFirmware(readImage(bios), kernel, opts);
  if (!boot.ok) throw new UsageError(boot.error);
  return { machine: boot.machine };
}

/** --smp N: a hart count QEMU's virt accepts and mica's core holds. */
function smpOption(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_HARTS)) {
    throw new UsageError(`--smp ${text}: give a hart count from 1 to ${MAX_HARTS}`);
  }
  return n;
}

function parse(args: string[]) {
  return parseCommandLine({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      bios: { type: "string" },
      kernel: { type: "string" },
      smp: { type: "string" },
      ram: { type: "string" },
      "max-instructions": { type: "string" },
      trace: { type: "boolean" },
      "trace-file": { type: "string" },
      stats: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
