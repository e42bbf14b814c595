// `mica machine run`: boot an ELF on the bare virt machine, like
// `qemu-system-riscv64 -machine virt -bios none -kernel ELF`.

import { openSync, writeSync } from "node:fs";

import { bootBareMetal } from "../../boot/bare-metal.js";
import { VirtioBlk } from "../../machine/devices/virtio-blk.js";
import type { Machine, RunOptions, StopReason } from "../../machine/machine.js";
import {
  countOption,
  MiB,
  parseCommandLine,
  ramOption,
  readImage,
  statsLine,
} from "../cli-args.js";
import { ByteQueue, readAll, TtyConsole } from "../console-input.js";
import { ConsoleOutput } from "../console-output.js";
import { type DiskImage, openDiskImage } from "../disk-file.js";
import { Tracer } from "../trace.js";
import { UsageError } from "../usage-error.js";

export const MACHINE_RUN_HELP = `usage: mica machine run [options] ELF

Boots ELF on mica's emulated RISC-V virt board, as
qemu-system-riscv64 -machine virt -bios none -kernel ELF does: the PT_LOAD
segments are loaded at their physical addresses and hart 0 starts in M-mode
at the entry with a0 = hartid, a1 = address of the device tree.

options:
  --bios none              firmware: only 'none' exists so far (the default)
  --ram SIZE               RAM size, e.g. 128M (default), 1G; a bare number is MiB
  --disk FILE              attach FILE (a raw image, a whole number of 512-byte
                           sectors) as a virtio-blk disk in virtio-mmio slot 0
                           (0x10001000, PLIC IRQ 1), as QEMU's
                           -device virtio-blk-device,bus=virtio-mmio-bus.0;
                           the guest's writes stay in memory: FILE is unchanged
  --disk-write             let the guest's writes reach FILE (flush = fsync)
  --max-instructions N     stop after N retired instructions (exit code 3)
  --trace                  log every instruction to stderr in spike's
                           commit-log format (slow)
  --trace-file FILE        the same, to FILE
  --stats                  print instructions, time and MIPS to stderr at the end
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
  if (values.bios !== undefined && values.bios !== "none") {
    throw new UsageError(`--bios ${values.bios}: only --bios none is supported so far`);
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "no ELF file given" : "give exactly one ELF file",
    );
  }
  const path = positionals[0]!;
  const ramSize = ramOption(values.ram, 1 * MiB);
  const runOpts: RunOptions = {};
  const maxInstructions = countOption(values["max-instructions"], "--max-instructions");
  if (maxInstructions !== undefined) runOpts.maxInstructions = maxInstructions;
  if (values["disk-write"] && values.disk === undefined) {
    throw new UsageError("--disk-write needs --disk FILE");
  }
  const image = readImage(path);
  const disk: DiskImage | undefined =
    values.disk === undefined ? undefined : openDiskImage(values.disk, !!values["disk-write"]);
  const out = new ConsoleOutput(1);
  const tty = process.stdin.isTTY ? new TtyConsole() : undefined;
  const input = tty ? tty.queue : new ByteQueue(readAll(0));
  const boot = bootBareMetal(image, {
    ramSize,
    console: out.put,
    consoleInput: input,
    ...(disk ? { virtio: [new VirtioBlk({ backend: disk.backend })] } : {}),
  });
  if (!boot.ok) {
    tty?.restore();
    throw new UsageError(`${path}: ${boot.error}`);
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
    const instret = machine.hart.instret;
    if (values.stats) process.stderr.write(statsLine(instret, seconds));
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
        "mica: hart 0 waits for an interrupt that nothing can raise; stopping\n",
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

function parse(args: string[]) {
  return parseCommandLine({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      bios: { type: "string" },
      ram: { type: "string" },
      disk: { type: "string" },
      "disk-write": { type: "boolean" },
      "max-instructions": { type: "string" },
      trace: { type: "boolean" },
      "trace-file": { type: "string" },
      stats: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
