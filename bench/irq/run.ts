/**
 * bench/irq driver: boots build/irqbench.elf in-process (dist/boot/system.js) with a disk image
 * it writes (each 512-byte sector starts with its own number), times the guest's phases
 * between its marker lines with the host clock and the hart's retired instruction count, and,
 * in the same run, times a host `dd if=IMG of=/dev/null bs=1M` of the same file for scale.
 *
 *   npx tsx bench/irq/run.ts [--runs N] [--disk-mib M] [--timeout SECONDS]
 *
 * Figures: interrupt-to-driver latency (guest cycles by rdcycle, guest instructions and host
 * ns per interrupt) and block-driver read throughput (MiB/s). No thresholds.
 * Progress goes to stderr; stdout carries the table and, as its last line, one JSON object.
 * Exit status: 0 if every run completed with every phase measured, 1 if not, 2 on bad usage.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { GuestPhases, type Phase } from "../guest-phases.js";

type SystemModule = typeof import("../../src/boot/system.js");
type VirtioBlkModule = typeof import("../../src/machine/devices/virtio-blk.js");
type DiskFileModule = typeof import("../../src/cli/disk-file.js");

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const ELF = path.join(HERE, "build/irqbench.elf");
const DIST = path.join(ROOT, "dist");
/** The `mica run` defaults. */
const RAM_SIZE = 128 * 1024 * 1024;
const CNODE_SIZE_BITS = 12;

type GuestRun =
  | { ok: true; phases: Map<string, Phase>; cycles: Map<string, number> }
  | { ok: false; error: string };

function fail(message: string): never {
  process.stderr.write(`bench/irq: ${message}\n`);
  process.exit(2);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function parseOptions() {
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({
      options: {
        runs: { type: "string", default: "3" },
        "disk-mib": { type: "string", default: "32" },
        timeout: { type: "string", default: "300" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (v.help) {
    process.stdout.write(
      "usage: npx tsx bench/irq/run.ts [--runs N (default 3)] [--disk-mib M (default 32)] [--timeout SECONDS]\n",
    );
    process.exit(0);
  }
  const runs = Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, got ${v.runs}`);
  const mib = Number(v["disk-mib"]);
  if (!Number.isInteger(mib) || mib < 1 || mib > 1024)
    fail(`--disk-mib must be an integer in 1..1024, got ${v["disk-mib"]}`);
  const timeout = Number(v.timeout);
  if (!(timeout > 0)) fail(`--timeout must be a positive number of seconds, got ${v.timeout}`);
  return { runs, mib, timeoutMs: timeout * 1000 };
}

/** A disk image of `mib` MiB whose sector n begins with n (64-bit little-endian). */
function writeImage(file: string, mib: number): void {
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(1 << 20);
  for (let m = 0; m < mib; m++) {
    for (let s = 0; s < 2048; s++) chunk.writeBigUInt64LE(BigInt(m * 2048 + s), s * 512);
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

/** One boot of irqbench, its phases timed between its marker lines (bench/guest-phases.ts). */
function runGuest(
  mods: { sys: SystemModule; blk: VirtioBlkModule; disk: DiskFileModule },
  image: Uint8Array,
  diskFile: string,
  timeoutMs: number,
): GuestRun {
  const guest = new GuestPhases("irqbench", true);
  const kernelLog: string[] = [];
  const disk = mods.disk.openDiskImage(diskFile, false);
  try {
    const boot = mods.sys.System.boot(image, {
      ramSize: RAM_SIZE,
      cnodeSizeBits: CNODE_SIZE_BITS,
      console: guest.putChar,
      log: (l) => kernelLog.push(l),
      virtio: [new mods.blk.VirtioBlk({ backend: disk.backend })],
    });
    if (!boot.ok) return { ok: false, error: `boot failed: ${boot.error}` };
    guest.hart = boot.system.machine.hart;
    const stop = boot.system.run({ deadline: Date.now() + timeoutMs });
    if (guest.error !== undefined) return { ok: false, error: guest.error };
    if (stop.kind !== "halt" || !guest.done) {
      const why = stop.kind === "panic" ? `panic: ${stop.message}` : stop.kind;
      return {
        ok: false,
        error: `stopped (${why}) before "irqbench: done"; ${kernelLog.join("; ")}`,
      };
    }
  } finally {
    disk.file.close();
  }
  for (const name of ["latency", "read"]) {
    if (!guest.phases.has(name)) return { ok: false, error: `no measurement for ${name}` };
  }
  return { ok: true, phases: guest.phases, cycles: guest.cycles };
}

/** Host `dd` of the image to /dev/null: seconds, or null without dd. */
function hostDd(file: string): number | null {
  const start = process.hrtime.bigint();
  const r = spawnSync("dd", [`if=${file}`, "of=/dev/null", "bs=1M"], { encoding: "utf8" });
  const ns = Number(process.hrtime.bigint() - start);
  return r.error || r.status !== 0 ? null : ns / 1e9;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const best = (xs: number[], pick: (...v: number[]) => number) =>
  xs.length > 0 ? pick(...xs) : null;
const round = (x: number | null, digits: number) =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const opts = parseOptions();
  if (!existsSync(ELF)) fail("bench/irq/build/irqbench.elf is missing; run `make -C bench/irq`");
  if (!existsSync(path.join(DIST, "boot/system.js")))
    fail("dist/boot/system.js is missing; run `npm run build` first");
  const imp = async <T>(rel: string) =>
    (await import(pathToFileURL(path.join(DIST, rel)).href)) as T;
  const mods = {
    sys: await imp<SystemModule>("boot/system.js"),
    blk: await imp<VirtioBlkModule>("machine/devices/virtio-blk.js"),
    disk: await imp<DiskFileModule>("cli/disk-file.js"),
  };
  const image = readFileSync(ELF);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "mica-irqbench-"));
  const diskFile = path.join(tmp, "disk.img");
  const latNs: number[] = [];
  const latInsns: number[] = [];
  const latCycles: number[] = [];
  const readMiBs: number[] = [];
  const ddMiBs: number[] = [];
  let rounds = 0;
  const errors: string[] = [];
  try {
    writeImage(diskFile, opts.mib);
    for (let run = 1; run <= opts.runs; run++) {
      const g = runGuest(mods, image, diskFile, opts.timeoutMs);
      if (!g.ok) {
        errors.push(`run ${run}: ${g.error}`);
        log(`[mica] run ${run}/${opts.runs}: ${g.error}`);
        continue;
      }
      const lat = g.phases.get("latency")!;
      const read = g.phases.get("read")!;
      rounds = lat.count;
      latNs.push(Number(lat.ns) / lat.count);
      latInsns.push(Number(lat.instructions) / lat.count);
      latCycles.push((g.cycles.get("latency") ?? Number.NaN) / lat.count);
      readMiBs.push(read.count / 2 ** 20 / (Number(read.ns) / 1e9));
      const dd = hostDd(diskFile);
      if (dd === null) errors.push(`run ${run}: host dd failed`);
      else ddMiBs.push(opts.mib / dd);
      log(
        `[run ${run}/${opts.runs}] irq ${latNs.at(-1)!.toFixed(0)} ns, read ${readMiBs.at(-1)!.toFixed(1)} MiB/s, host dd ${dd === null ? "n/a" : (opts.mib / dd).toFixed(0)} MiB/s`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const latency = {
    rounds,
    bestNs: round(best(latNs, Math.min), 1),
    medianNs: latNs.length ? round(median(latNs), 1) : null,
    guestCycles: latCycles.length ? round(median(latCycles), 2) : null,
    guestInstructions: latInsns.length ? round(median(latInsns), 2) : null,
  };
  const read = {
    mib: opts.mib,
    bestMiBs: round(best(readMiBs, Math.max), 1),
    medianMiBs: readMiBs.length ? round(median(readMiBs), 1) : null,
    hostDdBestMiBs: round(best(ddMiBs, Math.max), 0),
  };
  const f = (x: number | null, d = 0) => (x === null ? "n/a" : x.toFixed(d));
  process.stdout.write(
    [
      `interrupt -> driver wake-up (${rounds} rounds): best ${f(latency.bestNs)} ns, median ${f(latency.medianNs)} ns per interrupt round trip;`,
      `  ${f(latency.guestCycles, 2)} guest cycles trigger -> wake-up (rdcycle), ${f(latency.guestInstructions, 2)} guest instructions per round`,
      `block driver read of a ${opts.mib} MiB image (64 KiB requests): best ${f(read.bestMiBs, 1)} MiB/s, median ${f(read.medianMiBs, 1)} MiB/s`,
      `host dd if=IMG of=/dev/null bs=1M, same file, same run: best ${f(read.hostDdBestMiBs)} MiB/s`,
      ...errors.map((e) => `error: ${e}`),
      "",
    ].join("\n"),
  );
  const summary = {
    bench: "irq",
    date: new Date().toISOString(),
    runs: opts.runs,
    host: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpu: os.cpus()[0]?.model ?? "unknown",
    },
    latency,
    read,
    errors,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  const complete = errors.length === 0 && latency.bestNs !== null && read.bestMiBs !== null;
  process.exitCode = complete ? 0 : 1;
}

await main();
