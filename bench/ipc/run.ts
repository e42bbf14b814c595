/**
 * bench/ipc driver: boots build/ipcbench.elf in-process (dist/boot/system.js), times each
 * measured phase between the guest's marker lines with the host clock and the hart's retired
 * instruction count, and, in the same run, times a Linux pipe round trip on the host
 * (src/pipe-rtt.c, compiled with the host's cc; a node child if there is no cc).
 *
 *   npx tsx bench/ipc/run.ts [--runs N] [--no-pipe] [--timeout SECONDS]
 *
 * Progress goes to stderr; stdout carries the table and, as its last line, one JSON object.
 * Exit status: 0 if every run completed with every case measured, 1 if not, 2 on bad usage.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { GuestPhases, type Phase } from "../guest-phases.js";

type SystemModule = typeof import("../../src/boot/system.js");

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const ELF = path.join(HERE, "build/ipcbench.elf");
const SYSTEM_JS = path.join(ROOT, "dist/boot/system.js");
const PIPE_SRC = path.join(HERE, "src/pipe-rtt.c");

/** The cases ipcbench.c measures, in its order. */
const CASES = [
  { name: "same-as-0", words: 0, addressSpaces: 1 },
  { name: "same-as-4", words: 4, addressSpaces: 1 },
  { name: "cross-as-0", words: 0, addressSpaces: 2 },
  { name: "cross-as-4", words: 4, addressSpaces: 2 },
] as const;
const PIPE_ROUNDS = 20000;
const TARGET_NS = 500;
/** The `mica run` defaults. */
const RAM_SIZE = 128 * 1024 * 1024;
const CNODE_SIZE_BITS = 12;

type GuestRun = { ok: true; phases: Map<string, Phase> } | { ok: false; error: string };

function fail(message: string): never {
  process.stderr.write(`bench/ipc: ${message}\n`);
  process.exit(2);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function parseOptions() {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      options: {
        runs: { type: "string", default: "3" },
        "no-pipe": { type: "boolean", default: false },
        "no-jit": { type: "boolean", default: false },
        timeout: { type: "string", default: "300" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  }
  try {
    parsed = parse();
  } catch (err) {
    fail((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(
      "usage: npx tsx bench/ipc/run.ts [--runs N (default 3)] [--no-pipe] [--no-jit] [--timeout SECONDS]\n",
    );
    process.exit(0);
  }
  const runs = Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, got ${v.runs}`);
  const timeout = Number(v.timeout);
  if (!(timeout > 0)) fail(`--timeout must be a positive number of seconds, got ${v.timeout}`);
  return { runs, pipe: !v["no-pipe"], jit: !v["no-jit"], timeoutMs: timeout * 1000 };
}

/** One boot of ipcbench, its phases timed between its marker lines (bench/guest-phases.ts). */
function runGuest(mod: SystemModule, image: Uint8Array, timeoutMs: number, jit: boolean): GuestRun {
  const guest = new GuestPhases("ipcbench");
  const kernelLog: string[] = [];
  const boot = mod.System.boot(image, {
    ramSize: RAM_SIZE,
    cnodeSizeBits: CNODE_SIZE_BITS,
    console: guest.putChar,
    log: (l) => kernelLog.push(l),
    jit,
  });
  if (!boot.ok) return { ok: false, error: `boot failed: ${boot.error}` };
  guest.hart = boot.system.machine.hart;
  const stop = boot.system.run({ deadline: Date.now() + timeoutMs });
  if (guest.error !== undefined) return { ok: false, error: guest.error };
  if (stop.kind !== "halt" || !guest.done) {
    const why = stop.kind === "panic" ? `panic: ${stop.message}` : stop.kind;
    return {
      ok: false,
      error: `stopped (${why}) before "ipcbench: done"; ${kernelLog.join("; ")}`,
    };
  }
  for (const c of CASES) {
    if (!guest.phases.has(c.name)) return { ok: false, error: `no measurement for ${c.name}` };
  }
  return { ok: true, phases: guest.phases };
}

/** The pipe round-trip program, compiled into a temporary directory; null without a cc. */
function buildPipeProgram(dir: string): string | null {
  const exe = path.join(dir, "pipe-rtt");
  const r = spawnSync("cc", ["-O2", "-o", exe, PIPE_SRC], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    log(`bench/ipc: cc failed (${r.error?.message ?? r.stderr.trim()}); timing pipes from node`);
    return null;
  }
  return exe;
}

function runProcess(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.on("error", () => resolve({ code: null, out }));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** ns per round trip from pipe-rtt, or null if it failed. */
async function pipeC(exe: string): Promise<number | null> {
  const r = await runProcess(exe, [String(PIPE_ROUNDS)]);
  const m = r.out.match(/ns_per_round_trip=([\d.]+)/);
  return r.code === 0 && m ? Number(m[1]) : null;
}

/** Without a cc: a node child echoes bytes on its stdin to its stdout (node's overhead too). */
function pipeNode(): Promise<number | null> {
  const echo = "process.stdin.on('data', (b) => process.stdout.write(b));";
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", echo], { stdio: ["pipe", "pipe", "inherit"] });
    const warmup = 1000;
    let n = 0;
    let start = 0n;
    child.stdout.on("data", () => {
      n++;
      if (n === warmup) start = process.hrtime.bigint();
      if (n === warmup + PIPE_ROUNDS) {
        const ns = Number(process.hrtime.bigint() - start) / PIPE_ROUNDS;
        child.stdin.end();
        resolve(ns);
      } else child.stdin.write("x");
    });
    child.on("error", () => resolve(null));
    child.stdin.write("x");
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(rows[0]!), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)].join(
    "\n",
  );
}

async function main(): Promise<void> {
  const opts = parseOptions();
  if (!existsSync(ELF)) fail("bench/ipc/build/ipcbench.elf is missing; run `make -C bench/ipc`");
  if (!existsSync(SYSTEM_JS)) fail("dist/boot/system.js is missing; run `npm run build` first");
  const mod = (await import(pathToFileURL(SYSTEM_JS).href)) as SystemModule;
  const image = readFileSync(ELF);

  const tmp = mkdtempSync(path.join(os.tmpdir(), "mica-ipcbench-"));
  const pipeExe = opts.pipe ? buildPipeProgram(tmp) : null;
  const nsPerRT = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const insnsPerRT = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const rounds = new Map<string, number>();
  const pipeNs: number[] = [];
  const errors: string[] = [];
  try {
    for (let run = 1; run <= opts.runs; run++) {
      const g = runGuest(mod, image, opts.timeoutMs, opts.jit);
      if (!g.ok) {
        errors.push(`run ${run}: ${g.error}`);
        log(`[mica] run ${run}/${opts.runs}: ${g.error}`);
        continue;
      }
      const parts: string[] = [];
      for (const c of CASES) {
        const p = g.phases.get(c.name)!;
        const ns = Number(p.ns) / p.count;
        nsPerRT.get(c.name)!.push(ns);
        insnsPerRT.get(c.name)!.push(Number(p.instructions) / p.count);
        rounds.set(c.name, p.count);
        parts.push(`${c.name} ${ns.toFixed(0)} ns`);
      }
      log(`[mica] run ${run}/${opts.runs}: ${parts.join(", ")}`);
      if (opts.pipe) {
        const ns = pipeExe !== null ? await pipeC(pipeExe) : await pipeNode();
        if (ns === null) errors.push(`run ${run}: the pipe round trip failed`);
        else {
          pipeNs.push(ns);
          log(`[pipe] run ${run}/${opts.runs}: ${ns.toFixed(0)} ns`);
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const cases = CASES.map((c) => {
    const ns = nsPerRT.get(c.name)!;
    const insns = insnsPerRT.get(c.name)!;
    const measured = ns.length > 0;
    return {
      ...c,
      rounds: rounds.get(c.name) ?? null,
      bestNs: measured ? round(Math.min(...ns), 1) : null,
      medianNs: measured ? round(median(ns), 1) : null,
      allNs: ns.map((x) => round(x, 1)),
      // The guest is deterministic: every run retires the same instructions.
      instructions: measured ? round(median(insns), 2) : null,
    };
  });
  const pipe = {
    method: !opts.pipe ? null : pipeExe !== null ? "c: fork + two pipes" : "node child",
    rounds: PIPE_ROUNDS,
    bestNs: pipeNs.length > 0 ? round(Math.min(...pipeNs), 1) : null,
    medianNs: pipeNs.length > 0 ? round(median(pipeNs), 1) : null,
    allNs: pipeNs.map((x) => round(x, 1)),
  };

  const f = (x: number | null, d = 0) => (x === null ? "n/a" : x.toFixed(d));
  const rows = [
    ["case", "words", "rounds", "best ns/rt", "median ns/rt", "guest insns/rt"],
    ...cases.map((c) => [
      c.name,
      String(c.words),
      String(c.rounds ?? "n/a"),
      f(c.bestNs),
      f(c.medianNs),
      f(c.instructions, 2),
    ]),
  ];
  if (opts.pipe) {
    rows.push([
      "linux pipe (host)",
      "1 B",
      String(PIPE_ROUNDS),
      f(pipe.bestNs),
      f(pipe.medianNs),
      "-",
    ]);
  }
  process.stdout.write(`${table(rows)}\n`);
  process.stdout.write(`target: <= ${TARGET_NS} ns per round trip; ${opts.runs} run(s)\n`);
  for (const e of errors) process.stdout.write(`error: ${e}\n`);

  const complete = errors.length === 0 && cases.every((c) => c.bestNs !== null);
  const summary = {
    bench: "ipc",
    date: new Date().toISOString(),
    runs: opts.runs,
    host: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpu: os.cpus()[0]?.model ?? "unknown",
    },
    targetNs: TARGET_NS,
    cases,
    pipe,
    meetsTarget: complete ? cases.every((c) => c.bestNs! <= TARGET_NS) : null,
    errors,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = complete ? 0 : 1;
}

await main();
