// `mica machine run`: boot an ELF on the virt machine, like
// `qemu-system-riscv64 -machine virt -bios none -kernel ELF`, or with
// firmware: a real one (-bios FILE -kernel FILE) or mica's built-in SBI.

import { openSync, writeSync } from "node:fs";

import { type BareMetalOptions, bootBareMetal } from "../../boot/bare-metal.js";
import { bootBuiltinSbi, bootFirmware } from "../../boot/firmware-boot.js";
import { VirtioBlk } from "../../machine/devices/virtio-blk.js";
import type { Htif } from "../../machine/htif.js";
import {
  MAX_HARTS,
  type Machine,
  type RunOptions,
  type StopReason,
} from "../../machine/machine.js";
import {
  countOption,
  jitStatsLine,
  jitThresholdOption,
  MiB,
  parseCommandLine,
  ramOption,
  readImage,
  statsLine,
} from "../cli-args.js";
import { ByteQueue, readAll, TtyConsole } from "../console-input.js";
import { ConsoleOutput } from "../console-output.js";
import { type DiskImage, openDiskImage } from "../disk-file.js";
import { nodeClock } from "../host-clock.js";
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
  --disk FILE              attach FILE (a raw image, a whole number of 512-byte
                           sectors) as a virtio-blk disk in virtio-mmio slot 0
                           (0x10001000, PLIC IRQ 1), as QEMU's
                           -device virtio-blk-device,bus=virtio-mmio-bus.0;
                           the guest's writes stay in memory: FILE is unchanged
  --disk-write             let the guest's writes reach FILE (flush = fsync)
  --realtime               time (mtime, the RTC) follows the host's clock, and a
                           waiting hart sleeps for real; by default time derives
                           from retired instructions, so runs repeat exactly
  --max-instructions N     stop after N retired instructions (exit code 3)
  --trace                  log every instruction to stderr in spike's
                           commit-log format (slow)
  --trace-file FILE        the same, to FILE
  --stats                  print instructions, time and MIPS to stderr at the end
  --no-jit                 interpret all guest code (no translation of hot pages
                           to WebAssembly); slower, for comparison and debugging
  --jit-threshold N        translate a page after N visits of its loops (default
                           8192; 0 translates all code as soon as it runs, for tests)
  -h, --help               this text

The console is UART0 (NS16550A at 0x10000000, PLIC source 10). Guest output
goes to stdout; mica's own messages to stderr. Input: when stdin is a
terminal it is put in raw mode and keys go to the guest as typed; Ctrl-A x
quits, Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A h lists the keys. When stdin is a
pipe or file, mica reads all of it first (so it must end) and the guest
receives it in order as the UART's FIFO has room: the same bytes at the same
instructions every run.

The board: PLIC at 0xc000000, CLINT at 0x2000000, goldfish RTC at 0x101000
(time starts at 2026-01-01T00:00:00Z and advances with the hart's cycles),
SiFive test finisher at 0x100000, virtio-mmio slots at 0x10001000 + n*0x1000
(PLIC source 1 + n; empty unless --disk).
Exit code: the guest's, from the SiFive test finisher (0x100000) or HTIF
tohost; 2 for bad input; 3 when --max-instructions ran out; 4 when the hart
waits (wfi) for an interrupt that nothing can raise; 0 after Ctrl-A x.`;

export function machineRun(args: string[]): number | Promise<number> {
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
  const jitThreshold = jitThresholdOption(values["jit-threshold"]);
  if (maxInstructions !== undefined) runOpts.maxInstructions = maxInstructions;
  if (values["disk-write"] && values.disk === undefined) {
    throw new UsageError("--disk-write needs --disk FILE");
  }
  const disk: DiskImage | undefined =
    values.disk === undefined ? undefined : openDiskImage(values.disk, !!values["disk-write"]);
  const out = new ConsoleOutput(1);
  const tty = process.stdin.isTTY ? new TtyConsole() : undefined;
  const input = tty ? tty.queue : new ByteQueue(readAll(0));
  const devices: BoardDevices = {
    console: out.put,
    consoleInput: input,
    ...(values.realtime ? { realtime: nodeClock } : {}),
    ...(values["no-jit"] ? { jit: false } : {}),
    ...(jitThreshold !== undefined ? { jitThreshold } : {}),
    ...(disk ? { virtio: [new VirtioBlk({ backend: disk.backend })] } : {}),
  };
  let boot: { machine: Machine; htif?: Htif };
  try {
    boot = bootFor(bios, kernelPath, { ramSize, harts, ...devices });
  } catch (e) {
    tty?.restore();
    disk?.file.close();
    throw e;
  }
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
  const machine = boot.machine;
  const started = process.hrtime.bigint();
  const finish = (stop: StopReason | "quit"): number => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    out.flush();
    disk?.file.close();
    tracer?.finish(machine.hart);
    const instret = machine.instret;
    if (values.stats) {
      process.stderr.write(statsLine(instret, seconds));
      process.stderr.write(jitStatsLine(machine.hart.jit.stats));
    }
    return exitCode(stop, instret);
  };
  if (!tty) return finish(machine.run(runOpts));
  return runInteractive(machine, runOpts, tty, out).then(finish, (e) => {
    tty.restore();
    throw e;
  });
}

function exitCode(stop: StopReason | "quit", instret: bigint): number {
  if (stop === "quit") {
    process.stderr.write("\r\nmica: terminated (Ctrl-A x)\n");
    return 0;
  }
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
    case "paused":
      process.stderr.write(
        "mica: every hart waits for an interrupt that nothing can raise; stopping\n",
      );
      return 4;
  }
}

/**
 * The run loop with a terminal: one slice at a time, giving the event loop
 * a turn in between (setImmediate) so typed bytes arrive; when the hart
 * waits for an interrupt, waits for a key instead of stopping (a key is the
 * one thing that can still wake it).
 */
async function runInteractive(
  machine: Machine,
  runOpts: RunOptions,
  tty: TtyConsole,
  out: ConsoleOutput,
): Promise<StopReason | "quit"> {
  const opts: RunOptions = { ...runOpts, pauseEachSlice: true };
  try {
    for (;;) {
      if (tty.quit) return "quit";
      const stop = machine.run(opts);
      out.flush();
      if (stop.kind === "paused") {
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (stop.kind === "idle") {
        if (tty.queue.length === 0 && !tty.quit) await tty.waitForInput();
      } else {
        return stop;
      }
    }
  } finally {
    tty.restore();
  }
}

/** What the board is given besides RAM: console output and input, virtio devices. */
type BoardDevices = Omit<BareMetalOptions, "ramSize">;

/** Boots the machine with the firmware asked for; a UsageError when an image does not fit. */
function bootFor(
  bios: string,
  kernelPath: string | undefined,
  opts: BareMetalOptions,
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
      disk: { type: "string" },
      "disk-write": { type: "boolean" },
      realtime: { type: "boolean" },
      "max-instructions": { type: "string" },
      trace: { type: "boolean" },
      "trace-file": { type: "string" },
      stats: { type: "boolean" },
      "no-jit": { type: "boolean" },
      "jit-threshold": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
