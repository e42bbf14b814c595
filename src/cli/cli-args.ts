// The steps mica's commands share at the host edge: parsing argv, the
// --ram and count options, reading an image file. Each failure is a
// UsageError (one line, exit code 2).

import { readFileSync } from "node:fs";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { JitStats } from "../machine/cpu/jit/jit.js";
import { parseCount, parseSize } from "./options.js";
import { UsageError } from "./usage-error.js";

export const MiB = 1024 * 1024;
/** The wasm core addresses at most 4 GiB: RAM plus the core's own state. */
export const MAX_RAM = 4 * 1024 * MiB - 32 * MiB;
export const DEFAULT_RAM = 128 * MiB;

/** node:util parseArgs, with its (sometimes multi-line) complaints cut to their first line. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]!);
  }
}

/** The --ram option: a size, a multiple of 4 KiB, between `min` and MAX_RAM. */
export function ramOption(text: string | undefined, min: number): number {
  if (text === undefined) return DEFAULT_RAM;
  const r = parseSize(text, "--ram");
  if (!r.ok) throw new UsageError(r.error);
  if (r.value < min || r.value > MAX_RAM || r.value % 4096 !== 0) {
    throw new UsageError(
      `--ram ${text}: must be a multiple of 4 KiB between ${min / MiB}M and ${MAX_RAM / MiB}M`,
    );
  }
  return r.value;
}

/** A whole-number option such as --max-instructions; undefined when absent. */
export function countOption(text: string | undefined, name: string): bigint | undefined {
  if (text === undefined) return undefined;
  const n = parseCount(text, name);
  if (!n.ok) throw new UsageError(n.error);
  return n.value;
}

/** Reads an image file, or explains in one line why it cannot. */
export function readImage(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === "ENOENT" ? "no such file" : `cannot read (${code ?? "error"})`}`,
    );
  }
}

/** --jit-threshold N: visits, 0 .. 2^32 - 1. */
export function jitThresholdOption(text: string | undefined): number | undefined {
  const n = countOption(text, "--jit-threshold");
  if (n === undefined) return undefined;
  if (n > 0xffff_ffffn) throw new UsageError(`--jit-threshold ${text}: at most 4294967295`);
  return Number(n);
}

/** The translator's line under --stats. */
export function jitStatsLine(s: JitStats): string {
  return (
    `mica: jit pages=${s.compiles} cached=${s.cacheHits} instructions=${s.instructions}` +
    ` milliseconds=${s.milliseconds.toFixed(0)}\n`
  );
}

/** The --stats line (bench/mips reads it: keep its shape). */
export function statsLine(instret: bigint, seconds: number): string {
  const mips = Number(instret) / seconds / 1e6;
  return `mica: instructions=${instret} seconds=${seconds.toFixed(3)} mips=${mips.toFixed(1)}\n`;
}
