// `mica run`: boot a root task on mica's seL4-compatible kernel.

import { fileURLToPath } from "node:url";

import {
  checkDomainConfig,
  DEFAULT_RELEASE,
  type DomainConfig,
  type DomainScheduleEntry,
  DSCHED_MAX_DURATION,
  MAX_NUM_DOMAINS,
  RELEASES,
  type Release,
  type RunLimits,
  System,
  type SystemStop,
} from "../../boot/system.js";
import { VirtioBlk } from "../../machine/devices/virtio-blk.js";
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
import { UsageError } from "../usage-error.js";

const DEFAULT_IMAGE = new URL("../../../images/demo.elf", import.meta.url);

export const RUN_HELP = `usage: mica run [options] [ROOT_TASK.elf]

Boots ROOT_TASK.elf as the root task of mica's seL4-compatible kernel (the
RISC-V 64-bit, non-MCS API of seL4, as a debug build) on the emulated virt
board, with the initial capabilities, untyped memory and boot info seL4 gives.
Without ROOT_TASK.elf it boots the default system (images/demo.elf).

options:
  --ram SIZE               RAM size, e.g. 128M (default), 1G; a bare number is MiB
  --cnode-bits N           root CNode of 2^N slots (default 12)
  --sel4-release R         the seL4 release the root task was built against, for its
                           invocation label numbers: 13.0, 14.0, 15.0 or 16.0 (default)
  --domain-schedule S      scheduling domains (seL4's temporal partitioning): a
                           comma-separated list of DOMAIN:TICKS entries the kernel
                           cycles through, e.g. 0:10,1:5 (a tick is 2 ms of guest
                           time); the number of domains is the highest DOMAIN + 1
                           unless --domains says more. Default: one domain
  --domains N              the number of domains (CONFIG_NUM_DOMAINS), 1..256
  --disk FILE              attach FILE (a raw image, whole 512-byte sectors) as a
                           virtio-blk disk in virtio-mmio slot 0 (PLIC source 1);
                           the guest's writes stay in memory unless --disk-write
  --disk-write             let the guest's writes reach FILE
  --max-instructions N     stop after N retired instructions (exit code 3)
  --timeout SECONDS        stop after this much wall-clock time (exit code 3)
  --check                  assert the kernel's invariants (from seL4's proofs)
                           after every kernel entry; a violation is a kernel panic
  --stats                  print instructions, time and MIPS to stderr at the end
  --no-jit                 interpret all guest code (no translation of hot pages
                           to WebAssembly); slower, for comparison and debugging
  --jit-threshold N        translate a page after N visits of its loops (default
                           8192; 0 translates all code as soon as it runs, for tests)
  -h, --help               this text

The root task's seL4_DebugPutChar output and the UART's output go to stdout;
the kernel's own messages go to stderr. Piped stdin feeds the UART's
receiver (all of it, read up front, so runs repeat exactly); a terminal is
put in raw mode and typed keys reach the UART, with QEMU's escape: Ctrl-A x
quits, Ctrl-A Ctrl-A sends Ctrl-A. mica run ends when the system halts (seL4_DebugHalt,
exit code 0), when no thread can run any more ("system idle", exit code 0),
on a limit (exit code 3), or on a kernel panic (exit code 4). Bad input
gives a one-line error and exit code 2.`;

export function run(args: string[]): number | Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError("give exactly one root task ELF");
  // With no image, boot the default system (examples/demo).
  const path = positionals[0] ?? fileURLToPath(DEFAULT_IMAGE);
  const ramSize = ramOption(values.ram, 4 * MiB);
  let cnodeSizeBits = 12;
  if (values["cnode-bits"] !== undefined) {
    const n = Number(values["cnode-bits"]);
    if (!Number.isInteger(n) || n < 4 || n > 20)
      throw new UsageError(
        `--cnode-bits ${values["cnode-bits"]}: must be a whole number from 4 to 20`,
      );
    cnodeSizeBits = n;
  }
  let release: Release = DEFAULT_RELEASE;
  if (values["sel4-release"] !== undefined) {
    const r = RELEASES.find((x) => x === values["sel4-release"]);
    if (r === undefined)
      throw new UsageError(
        `--sel4-release ${values["sel4-release"]}: must be one of ${RELEASES.join(", ")}`,
      );
    release = r;
  }
  const domains = domainOptions(values["domain-schedule"], values.domains);
  const maxInstructions = countOption(values["max-instructions"], "--max-instructions");
  const jitThreshold = jitThresholdOption(values["jit-threshold"]);
  let deadline: number | undefined;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!Number.isFinite(s) || s <= 0)
      throw new UsageError(`--timeout ${values.timeout}: must be a positive number of seconds`);
    deadline = Date.now() + s * 1000;
  }
  if (values["disk-write"] && values.disk === undefined) {
    throw new UsageError("--disk-write needs --disk FILE");
  }
  const image = readImage(path);
  const disk: DiskImage | undefined =
    values.disk === undefined ? undefined : openDiskImage(values.disk, !!values["disk-write"]);
  const out = new ConsoleOutput(1);
  const log = (line: string) => {
    out.flush();
    process.stderr.write(`mica: ${line}\n`);
  };
  const tty = process.stdin.isTTY ? new TtyConsole() : undefined;
  const input = tty ? tty.queue : new ByteQueue(readAll(0));
  const boot = System.boot(image, {
    ramSize,
    cnodeSizeBits,
    console: out.put,
    log,
    release,
    consoleInput: input,
    ...(domains ? { domains } : {}),
    ...(values["no-jit"] ? { jit: false } : {}),
    ...(jitThreshold !== undefined ? { jitThreshold } : {}),
    ...(disk ? { virtio: [new VirtioBlk({ backend: disk.backend })] } : {}),
  });
  if (!boot.ok) {
    tty?.restore();
    throw new UsageError(`${path}: ${boot.error}`);
  }
  const system = boot.system;
  const started = process.hrtime.bigint();
  const limits: RunLimits = {};
  if (values.check) limits.check = true;
  if (maxInstructions !== undefined) limits.maxInstructions = maxInstructions;
  if (deadline !== undefined) limits.deadline = deadline;
  const finish = (stop: SystemStop | "quit"): number => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    out.flush();
    disk?.file.close();
    const instret = system.machine.hart.instret;
    if (values.stats) {
      process.stderr.write(statsLine(instret, seconds));
      process.stderr.write(jitStatsLine(system.machine.hart.jit.stats));
    }
    if (stop === "quit") {
      process.stderr.write("\r\n");
      log("terminated (Ctrl-A x)");
      return 0;
    }
    switch (stop.kind) {
      case "halt":
        return 0;
      case "idle":
      case "paused":
        log("system idle: no thread can run and nothing can wake one");
        return 0;
      case "limit":
        log(`stopped after ${instret} instructions (--max-instructions)`);
        return 3;
      case "timeout":
        log(`stopped after ${values.timeout} s (--timeout)`);
        return 3;
      case "panic":
        log(`kernel panic: ${stop.message} (thread "${stop.thread}", syscall ${stop.syscall})`);
        return 4;
    }
  };
  if (!tty) return finish(system.run(limits));
  return runInteractive(system, limits, tty, out).then(finish, (e) => {
    tty.restore();
    throw e;
  });
}

/**
 * The run loop with a terminal: the system pauses at every tick so typed
 * bytes can arrive (setImmediate gives the event loop a turn), and when it
 * has nothing to do, waits for a key (the one thing that can still wake it).
 */
async function runInteractive(
  system: System,
  limits: RunLimits,
  tty: TtyConsole,
  out: ConsoleOutput,
): Promise<SystemStop | "quit"> {
  const opts: RunLimits = { ...limits, pauseForInput: true };
  try {
    for (;;) {
      if (tty.quit) return "quit";
      const stop = system.run(opts);
      out.flush();
      if (stop.kind !== "paused") return stop;
      if (system.kernel.ks.currentThread === system.kernel.ks.idleThread && tty.queue.length === 0)
        await tty.waitForInput();
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    tty.restore();
  }
}

/** --domain-schedule and --domains as a DomainConfig; undefined for the default. */
function domainOptions(
  schedule: string | undefined,
  count: string | undefined,
): DomainConfig | undefined {
  if (schedule === undefined && count === undefined) return undefined;
  const entries: DomainScheduleEntry[] = [];
  for (const item of (schedule ?? "0:1").split(",")) {
    const m = /^(\d+):(\d+)$/.exec(item.trim());
    if (!m)
      throw new UsageError(
        `--domain-schedule ${schedule}: each entry must be DOMAIN:TICKS, e.g. 0:10,1:5`,
      );
    entries.push({ domain: Number(m[1]), duration: BigInt(m[2]!) });
  }
  if (schedule === undefined) entries[0] = { domain: 0, duration: DSCHED_MAX_DURATION };
  let numDomains = Math.max(...entries.map((e) => e.domain)) + 1;
  if (count !== undefined) {
    const n = Number(count);
    if (!Number.isInteger(n) || n < numDomains || n > MAX_NUM_DOMAINS)
      throw new UsageError(
        `--domains ${count}: must be a whole number from ${numDomains} to ${MAX_NUM_DOMAINS}`,
      );
    numDomains = n;
  }
  const config = { numDomains, schedule: entries };
  const bad = checkDomainConfig(config);
  if (bad) throw new UsageError(`--domain-schedule ${schedule}: ${bad}`);
  return config;
}

function parse(args: string[]) {
  return parseCommandLine({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      ram: { type: "string" },
      "cnode-bits": { type: "string" },
      "sel4-release": { type: "string" },
      "domain-schedule": { type: "string" },
      domains: { type: "string" },
      disk: { type: "string" },
      "disk-write": { type: "boolean" },
      "max-instructions": { type: "string" },
      timeout: { type: "string" },
      stats: { type: "boolean" },
      "no-jit": { type: "boolean" },
      "jit-threshold": { type: "string" },
      check: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
