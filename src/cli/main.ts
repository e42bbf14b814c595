#!/usr/bin/env node
// mica's command line: `mica machine run` (the bare emulated machine) and,
// as the kernel lands, `mica run` (a root task on mica's seL4 kernel).

import "./v8-flags.js";
import { MACHINE_RUN_HELP, machineRun } from "./commands/machine-run.js";
import { RUN_HELP, run } from "./commands/run.js";
import { EXIT_USAGE, UsageError } from "./usage-error.js";

const HELP = `usage: mica <command> [options]

commands:
  run ROOT_TASK.elf  boot a root task on mica's seL4-compatible kernel
  machine run ELF    boot ELF on the emulated RISC-V virt board (M-mode, like
                     qemu-system-riscv64 -machine virt -bios none -kernel ELF)
  help [command]     show help

Run 'mica run --help' or 'mica machine run --help' for their options.`;

function main(argv: string[]): number | Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      if (rest[0] === "machine") console.log(MACHINE_RUN_HELP);
      else if (rest[0] === "run") console.log(RUN_HELP);
      else console.log(HELP);
      return 0;
    case "run":
      return run(rest);
    case "machine": {
      const [sub, ...args] = rest;
      if (sub === "run") return machineRun(args);
      throw new UsageError(
        sub
          ? `unknown machine command '${sub}' (try 'mica machine run')`
          : "missing machine command (try 'mica machine run ELF')",
      );
    }
    default:
      throw new UsageError(`unknown command '${cmd}' (try 'mica help')`);
  }
}

function usageError(e: unknown): void {
  if (e instanceof UsageError) {
    process.stderr.write(`mica: ${e.message}\n`);
    process.exitCode = EXIT_USAGE;
  } else {
    throw e;
  }
}

try {
  const code = main(process.argv.slice(2));
  // An interactive console runs asynchronously (see commands/machine-run.ts).
  if (typeof code === "number") process.exitCode = code;
  else
    code.then((c) => {
      process.exitCode = c;
    }, usageError);
} catch (e) {
  usageError(e);
}
