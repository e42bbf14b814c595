// Parsing of option values shared by mica's commands. Each returns a value
// or a one-line error message, never throws.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  K: 1024,
  KB: 1024,
  KIB: 1024,
  M: 1024 ** 2,
  MB: 1024 ** 2,
  MIB: 1024 ** 2,
  G: 1024 ** 3,
  GB: 1024 ** 3,
  GIB: 1024 ** 3,
};

/** A memory size as QEMU's -m takes it: a number with an optional K/M/G suffix; plain numbers are MiB. */
export function parseSize(text: string, what: string): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  const unit = m ? m[2]!.toUpperCase() : "";
  if (!m || !(unit in SIZE_UNITS)) {
    return { ok: false, error: `${what}: '${text}' is not a size (examples: 128M, 3G)` };
  }
  // QEMU reads a bare number as MiB.
  const scale = unit === "" ? 1024 ** 2 : SIZE_UNITS[unit]!;
  return { ok: true, value: Math.round(Number(m[1]) * scale) };
}

/** A non-negative integer count (decimal, or hex with 0x; suffixes k/M/G for 10^3/10^6/10^9). */
export function parseCount(text: string, what: string): Parsed<bigint> {
  const m = /^(0x[0-9a-fA-F]+|\d+)([kMG]?)$/.exec(text.trim());
  if (!m) return { ok: false, error: `${what}: '${text}' is not a whole number` };
  const scale = { "": 1n, k: 1000n, M: 1000000n, G: 1000000000n }[m[2] as "" | "k" | "M" | "G"];
  return { ok: true, value: BigInt(m[1]!) * scale };
}
