/**
 * bench/mips driver: runs each bare-metal workload ELF under mica (`machine run --stats`)
 * and, for scale, under qemu-system-riscv64; checks both print the same checksum line and
 * prints a table, then (as the very last stdout line) one JSON object with all figures.
 *
 *   npx tsx bench/mips/run.ts [--runs N] [--only NAME[,NAME...]] [--no-qemu]
 *                             [--timeout SECONDS] [--mica PATH] [--qemu PATH]
 *
 * Progress goes to stderr; stdout carries only the table and the JSON line.
 * Exit status: 0 if every selected workload ran under mica with the expected output, else 1.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const BUILD_DIR = path.join(HERE, "build");

/** Workloads in table order; names match src/<name>.c and build/<name>.elf. */
const WORKLOADS = ["checksum", "crc32", "sort", "vm", "matmul", "strsearch"] as const;

/** The stats line `machine run --stats` prints on stderr. */
const STATS_EXAMPLE = "mica: instructions=123456 seconds=0.812 mips=152.0";

interface Options {
  runs: number;
  only: string[];
  qemu: string | null;
  micaCli: string;
  timeoutMs: number;
}

interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  timedOut: boolean;
  spawnError?: string;
}

interface MicaStats {
  instructions: number;
  seconds: number;
  mips: number;
}

interface Expected {
  output: string;
  qemuInstructions: number;
}

interface WorkloadResult {
  name: string;
  status: "ok" | "mismatch" | "error";
  notes: string[];
  expectedOutput: string | null;
  qemuReferenceInstructions: number | null;
  micaOutput: string | null;
  instructions: number | null;
  micaSeconds: number | null;
  micaWallSeconds: number | null;
  micaMips: number | null;
  qemuOutput: string | null;
  qemuSeconds: number | null;
  ratio: number | null;
}

function usage(): string {
  return [
    "usage: npx tsx bench/mips/run.ts [options]",
    "  --runs N           runs per workload and emulator; best (fastest) counts (default 3)",
    `  --only NAMES       comma-separated subset of: ${WORKLOADS.join(", ")}`,
    "  --no-qemu          skip the QEMU comparison",
    "  --timeout SECONDS  per-run time limit (default 600)",
    "  --mica PATH        mica CLI script (default dist/cli/main.js)",
    "  --qemu PATH        QEMU binary (default qemu-system-riscv64)",
  ].join("\n");
}

function fail(message: string): never {
  process.stderr.write(`bench/mips: ${message}\n`);
  process.exit(2);
}

function parseCommandLine() {
  return parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      only: { type: "string", multiple: true },
      "no-qemu": { type: "boolean", default: false },
      timeout: { type: "string", default: "600" },
      mica: { type: "string" },
      qemu: { type: "string", default: "qemu-system-riscv64" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

function parseOptions(): Options {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine();
  } catch (err) {
    fail(`${(err as Error).message}\n${usage()}`);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${usage()}\n`);
    process.exit(0);
  }
  const runs = Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, got ${v.runs}`);
  const timeout = Number(v.timeout);
  if (!(timeout > 0)) fail(`--timeout must be a positive number of seconds, got ${v.timeout}`);
  const only = (v.only ?? [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of only) {
    if (!(WORKLOADS as readonly string[]).includes(name)) {
      fail(`unknown workload "${name}"; choose from ${WORKLOADS.join(", ")}`);
    }
  }
  return {
    runs,
    only,
    qemu: v["no-qemu"] ? null : v.qemu,
    micaCli: path.resolve(ROOT, v.mica ?? "dist/cli/main.js"),
    timeoutMs: timeout * 1000,
  };
}

/** Run a command to completion, capturing output and wall time (spawn to exit). */
function runProcess(cmd: string, args: string[], timeoutMs: number): Promise<ProcResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: string) => {
      clearTimeout(timer);
      const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("latin1"),
        stderr: Buffer.concat(err).toString("latin1"),
        wallSeconds,
        timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    };
    child.on("error", (e) => finish(null, null, e.message));
    child.on("close", (code, signal) => finish(code, signal));
  });
}

/** The workload's result line: the last non-empty stdout line, without a trailing CR. */
function checksumLine(stdout: string): string | null {
  const lines = stdout
    .split("\n")
    .map((l) => l.replace(/\r$/, "").trim())
    .filter((l) => l.length > 0);
  return lines.length > 0 ? lines[lines.length - 1]! : null;
}

/** Parse the last `mica: instructions=N seconds=S mips=M` line (extra key=value pairs ignored). */
function parseMicaStats(stderr: string): MicaStats | null {
  let stats: MicaStats | null = null;
  for (const raw of stderr.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("mica:") || !line.includes("instructions=")) continue;
    const fields = new Map<string, string>();
    for (const m of line.matchAll(/([A-Za-z_]+)=(\S+)/g)) fields.set(m[1]!, m[2]!);
    const instructions = Number(fields.get("instructions"));
    const seconds = Number(fields.get("seconds"));
    if (!Number.isFinite(instructions) || !Number.isFinite(seconds)) continue;
    const mipsField = fields.has("mips") ? Number(fields.get("mips")) : Number.NaN;
    const mips = Number.isFinite(mipsField)
      ? mipsField
      : seconds > 0
        ? instructions / seconds / 1e6
        : 0;
    stats = { instructions, seconds, mips };
  }
  return stats;
}

function tail(text: string, lines = 6): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function describeExit(r: ProcResult): string {
  if (r.spawnError) return `could not start: ${r.spawnError}`;
  if (r.timedOut) return "timed out (see --timeout)";
  if (r.signal) return `killed by ${r.signal}`;
  return `exit status ${r.code}`;
}

function qemuVersion(qemu: string): string | null {
  const r = spawnSync(qemu, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split("\n")[0]?.trim() ?? "unknown";
}

function loadExpected(): Record<string, Expected> {
  const file = path.join(HERE, "expected.json");
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, Expected>;
}

function round(x: number | null, digits: number): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function fmt(x: number | null, digits: number): string {
  return x === null ? "n/a" : x.toFixed(digits);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function benchMica(
  name: string,
  elf: string,
  opts: Options,
  res: WorkloadResult,
): Promise<void> {
  let best: { stats: MicaStats; wall: number; output: string | null } | null = null;
  for (let i = 1; i <= opts.runs; i++) {
    const r = await runProcess(
      process.execPath,
      [opts.micaCli, "machine", "run", "--stats", elf],
      opts.timeoutMs,
    );
    const stats = parseMicaStats(r.stderr);
    if (r.code !== 0 || stats === null) {
      const why =
        r.code !== 0
          ? `mica failed (${describeExit(r)})`
          : `mica printed no stats line on stderr (expected e.g. "${STATS_EXAMPLE}"; does \`machine run --stats\` exist yet?)`;
      res.notes.push(why);
      log(`[mica] ${name}: ${why}`);
      const detail = tail(r.stderr) || tail(r.stdout);
      if (detail) log(detail.replace(/^/gm, "  | "));
      res.status = "error";
      return;
    }
    const output = checksumLine(r.stdout);
    log(
      `[mica] ${name} run ${i}/${opts.runs}: ${stats.seconds.toFixed(3)} s, ` +
        `${stats.mips.toFixed(1)} MIPS, wall ${r.wallSeconds.toFixed(3)} s, output ${output ?? "(none)"}`,
    );
    if (best !== null && output !== best.output) {
      res.notes.push(`mica output differs between runs (${best.output} vs ${output})`);
      res.status = "mismatch";
    }
    if (best === null || stats.seconds < best.stats.seconds) {
      best = { stats, wall: r.wallSeconds, output };
    }
  }
  if (best === null) return;
  res.micaOutput = best.output;
  res.instructions = best.stats.instructions;
  res.micaSeconds = best.stats.seconds;
  res.micaWallSeconds = best.wall;
  res.micaMips = best.stats.mips;
}

async function benchQemu(
  name: string,
  elf: string,
  qemu: string,
  opts: Options,
  res: WorkloadResult,
): Promise<void> {
  const args = ["-machine", "virt", "-bios", "none", "-nographic", "-kernel", elf];
  let best: number | null = null;
  for (let i = 1; i <= opts.runs; i++) {
    const r = await runProcess(qemu, args, opts.timeoutMs);
    const output = checksumLine(r.stdout);
    if (r.code !== 0) {
      res.notes.push(`QEMU failed (${describeExit(r)}), output ${output ?? "(none)"}`);
      log(`[qemu] ${name}: failed (${describeExit(r)})`);
      const detail = tail(r.stderr) || tail(r.stdout);
      if (detail) log(detail.replace(/^/gm, "  | "));
      res.status = "error";
      return;
    }
    log(
      `[qemu] ${name} run ${i}/${opts.runs}: wall ${r.wallSeconds.toFixed(3)} s, output ${output}`,
    );
    res.qemuOutput = output;
    if (best === null || r.wallSeconds < best) best = r.wallSeconds;
  }
  res.qemuSeconds = best;
}

function check(res: WorkloadResult): void {
  const mismatch = (note: string) => {
    res.notes.push(note);
    if (res.status === "ok") res.status = "mismatch";
  };
  if (res.expectedOutput !== null) {
    if (res.micaOutput !== null && res.micaOutput !== res.expectedOutput) {
      mismatch(`mica printed ${res.micaOutput}, expected ${res.expectedOutput}`);
    }
    if (res.qemuOutput !== null && res.qemuOutput !== res.expectedOutput) {
      mismatch(`QEMU printed ${res.qemuOutput}, expected.json says ${res.expectedOutput} (stale?)`);
    }
  }
  if (res.micaOutput !== null && res.qemuOutput !== null && res.micaOutput !== res.qemuOutput) {
    mismatch(`mica printed ${res.micaOutput}, QEMU printed ${res.qemuOutput}`);
  }
  if (res.micaOutput === null && res.status === "ok") {
    res.status = "error";
    res.notes.push("mica result unavailable");
  }
  // mica's instret and QEMU's plugin count differ by at most a handful (reset vector, the
  // final translation block); anything larger means an instruction is counted wrongly.
  if (res.instructions !== null && res.qemuReferenceInstructions !== null) {
    const diff = Math.abs(res.instructions - res.qemuReferenceInstructions);
    if (diff > 64) {
      res.notes.push(
        `note: mica counted ${res.instructions} instructions, QEMU plugin ${res.qemuReferenceInstructions}`,
      );
    }
  }
}

function table(rows: WorkloadResult[]): string {
  const header = [
    "workload",
    "instructions",
    "mica s",
    "mica wall s",
    "mica MIPS",
    "QEMU s",
    "ratio",
    "check",
  ];
  const body = rows.map((r) => [
    r.name,
    r.instructions === null ? "n/a" : String(r.instructions),
    fmt(r.micaSeconds, 3),
    fmt(r.micaWallSeconds, 3),
    fmt(r.micaMips, 1),
    fmt(r.qemuSeconds, 3),
    r.ratio === null ? "n/a" : `${r.ratio.toFixed(1)}x`,
    r.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

async function main(): Promise<void> {
  const opts = parseOptions();
  const names = opts.only.length > 0 ? WORKLOADS.filter((w) => opts.only.includes(w)) : WORKLOADS;
  const expected = loadExpected();

  for (const name of names) {
    if (!existsSync(path.join(BUILD_DIR, `${name}.elf`))) {
      fail(`bench/mips/build/${name}.elf is missing; run \`make -C bench/mips\``);
    }
  }

  const micaBuilt = existsSync(opts.micaCli);
  if (!micaBuilt) {
    log(
      `bench/mips: mica is not built (${path.relative(ROOT, opts.micaCli)} not found); ` +
        "run `npm run build` first. Continuing with QEMU only.",
    );
  }
  const qemuVer = opts.qemu === null ? null : qemuVersion(opts.qemu);
  if (opts.qemu !== null && qemuVer === null) {
    log(`bench/mips: ${opts.qemu} not found or not runnable; QEMU columns will be n/a`);
  }

  const results: WorkloadResult[] = [];
  for (const name of names) {
    const elf = path.relative(ROOT, path.join(BUILD_DIR, `${name}.elf`));
    const res: WorkloadResult = {
      name,
      status: "ok",
      notes: [],
      expectedOutput: expected[name]?.output ?? null,
      qemuReferenceInstructions: expected[name]?.qemuInstructions ?? null,
      micaOutput: null,
      instructions: null,
      micaSeconds: null,
      micaWallSeconds: null,
      micaMips: null,
      qemuOutput: null,
      qemuSeconds: null,
      ratio: null,
    };
    if (micaBuilt) await benchMica(name, elf, opts, res);
    else {
      res.status = "error";
      res.notes.push("mica not built");
    }
    if (opts.qemu !== null && qemuVer !== null) await benchQemu(name, elf, opts.qemu, opts, res);
    if (res.micaWallSeconds !== null && res.qemuSeconds !== null && res.qemuSeconds > 0) {
      res.ratio = res.micaWallSeconds / res.qemuSeconds;
    }
    check(res);
    results.push(res);
  }

  process.stdout.write(`${table(results)}\n`);
  for (const r of results) {
    for (const note of r.notes) process.stdout.write(`${r.name}: ${note}\n`);
  }

  // Summary figures cover only workloads that ran under mica and printed the right answer.
  const good = results.filter((r) => r.status === "ok" && r.micaMips !== null && r.micaMips > 0);
  const mips = good.map((r) => r.micaMips!);
  const totalInsns = good.reduce((s, r) => s + (r.instructions ?? 0), 0);
  const totalSecs = good.reduce((s, r) => s + (r.micaSeconds ?? 0), 0);
  const complete = good.length > 0;
  const summary = {
    bench: "mips",
    date: new Date().toISOString(),
    runs: opts.runs,
    host: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpu: os.cpus()[0]?.model ?? "unknown",
    },
    mica: { cli: path.relative(ROOT, opts.micaCli), built: micaBuilt },
    qemu: qemuVer,
    workloads: results.map((r) => ({
      name: r.name,
      status: r.status,
      output: r.micaOutput,
      expected: r.expectedOutput,
      qemuOutput: r.qemuOutput,
      instructions: r.instructions,
      qemuInstructions: r.qemuReferenceInstructions,
      micaSeconds: round(r.micaSeconds, 4),
      micaWallSeconds: round(r.micaWallSeconds, 4),
      micaMips: round(r.micaMips, 2),
      qemuSeconds: round(r.qemuSeconds, 4),
      ratio: round(r.ratio, 3),
      notes: r.notes,
    })),
    // Over the workloads with status "ok": slowest workload's MIPS, fastest ("hot") one's.
    minMips: complete ? round(Math.min(...mips), 2) : null,
    hotMips: complete ? round(Math.max(...mips), 2) : null,
    geomeanMips: complete
      ? round(Math.exp(mips.reduce((s, m) => s + Math.log(m), 0) / mips.length), 2)
      : null,
    // All instructions over all mica seconds.
    aggregateMips: complete && totalSecs > 0 ? round(totalInsns / totalSecs / 1e6, 2) : null,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = results.every((r) => r.status === "ok") ? 0 : 1;
}

await main();
