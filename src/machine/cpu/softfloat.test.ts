// Checks the AssemblyScript softfloat (core/softfloat*.ts) compiled to wasm
// against an independent oracle: exact BigInt rational arithmetic rounded by
// a helper written here from the IEEE 754 definitions (all five rounding
// modes, flags, tininess after rounding), and, for round-to-nearest-even, the
// host's own binary64 arithmetic and Math.fround.

import { beforeAll, describe, expect, it } from "vitest";
import { instantiateSoftfloatTestEntry } from "../../../tests/support/softfloat-wasm.js";

const WASM = "build/softfloat-test.wasm";

type Fmt = 0 | 1;
interface Exports {
  [name: string]: (...args: (number | bigint)[]) => number | bigint;
}
let w: Exports;

beforeAll(() => {
  w = instantiateSoftfloatTestEntry(WASM) as unknown as Exports;
});

// ---- Formats and flags ----------------------------------------------------------

const NX = 1,
  UF = 2,
  OF = 4,
  DZ = 8,
  NV = 16;
const RMS = [0, 1, 2, 3, 4] as const; // RNE RTZ RDN RUP RMM
const RDN = 2;
const F = [
  { p: 23, bias: 127, width: 32, maxField: 0xff },
  { p: 52, bias: 1023, width: 64, maxField: 0x7ff },
] as const;
const canon = (fmt: Fmt): bigint => (fmt ? 0x7ff8000000000000n : 0x7fc00000n);
const signBit = (fmt: Fmt): bigint => 1n << BigInt(F[fmt].width - 1);
const u64 = (x: number | bigint): bigint => BigInt.asUintN(64, BigInt(x));
const hex = (x: bigint): string => `0x${x.toString(16)}`;

interface Result {
  bits: bigint;
  flags: number;
}

// ---- Decoding and exact rounding --------------------------------------------------

// A finite value is (-1)^sign * m * 2^e; m and e are 0 for the other kinds.
interface Decoded {
  kind: "qnan" | "snan" | "inf" | "zero" | "num";
  sign: number;
  m: bigint;
  e: number;
}

function decode(fmt: Fmt, bits: bigint): Decoded {
  const { p, bias, width, maxField } = F[fmt];
  const sign = Number((bits >> BigInt(width - 1)) & 1n);
  const field = Number((bits >> BigInt(p)) & BigInt(maxField));
  const frac = bits & ((1n << BigInt(p)) - 1n);
  if (field === maxField) {
    if (frac === 0n) return { kind: "inf", sign, m: 0n, e: 0 };
    return { kind: (frac >> BigInt(p - 1)) & 1n ? "qnan" : "snan", sign, m: 0n, e: 0 };
  }
  if (field === 0) {
    if (frac === 0n) return { kind: "zero", sign, m: 0n, e: 0 };
    return { kind: "num", sign, m: frac, e: 1 - bias - p };
  }
  return { kind: "num", sign, m: frac | (1n << BigInt(p)), e: field - bias - p };
}

const isNan = (d: Decoded): boolean => d.kind === "qnan" || d.kind === "snan";
const bitLen = (x: bigint): number => x.toString(2).length;

// Rounds the nonnegative rational n/d to an integer with rounding mode rm
// for a value of the given sign.
function roundInt(sign: number, n: bigint, d: bigint, rm: number): { q: bigint; inexact: boolean } {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return { q, inexact: false };
  const twice = 2n * r;
  let up: boolean;
  if (rm === 0) up = twice > d || (twice === d && (q & 1n) === 1n);
  else if (rm === 1) up = false;
  else if (rm === 2) up = sign === 1;
  else if (rm === 3) up = sign === 0;
  else up = twice >= d;
  return { q: up ? q + 1n : q, inexact: true };
}

// Rounds (n/d) / 2^k to an integer.
function roundScaled(sign: number, n: bigint, d: bigint, k: number, rm: number) {
  return k >= 0 ? roundInt(sign, n, d << BigInt(k), rm) : roundInt(sign, n << BigInt(-k), d, rm);
}

function overflowResult(fmt: Fmt, sign: number, rm: number): Result {
  const toInf = rm === 0 || rm === 4 || (rm === 2 && sign === 1) || (rm === 3 && sign === 0);
  const inf = BigInt(F[fmt].maxField) << BigInt(F[fmt].p);
  const mag = toInf ? inf : inf - 1n;
  return { bits: (sign ? signBit(fmt) : 0n) | mag, flags: OF | NX };
}

// Rounds sign * n/d (n > 0) to the format: IEEE 754 rounding, with tininess
// detected after rounding (the result rounded to p+1 bits with an unbounded
// exponent is below 2^emin) and underflow = tiny and inexact.
function roundRat(fmt: Fmt, sign: number, n: bigint, d: bigint, rm: number): Result {
  const { p, bias, maxField } = F[fmt];
  const emin = 1 - bias;
  // E = floor(log2(n/d))
  let E = bitLen(n) - bitLen(d);
  const atLeast = E >= 0 ? n >= d << BigInt(E) : n << BigInt(-E) >= d;
  if (!atLeast) E--;
  const unbounded = roundScaled(sign, n, d, E - p, rm);
  const tiny = E - p < emin && unbounded.q < 1n << BigInt(emin - (E - p));
  let k = Math.max(E, emin) - p;
  let { q, inexact } = roundScaled(sign, n, d, k, rm);
  let flags = 0;
  if (inexact) flags |= NX;
  if (inexact && tiny) flags |= UF;
  if (q === 1n << BigInt(p + 1)) {
    q >>= 1n;
    k++;
  }
  let field = 0;
  let frac = q;
  if (q >= 1n << BigInt(p)) {
    field = k + p + bias;
    frac = q - (1n << BigInt(p));
  }
  if (field >= maxField) return overflowResult(fmt, sign, rm);
  const bits = (sign ? signBit(fmt) : 0n) | (BigInt(field) << BigInt(p)) | frac;
  return { bits, flags };
}

// Rounds the exact value s * 2^e (s a signed integer); zeroSign is the sign
// an exact zero gets.
function roundDyadic(fmt: Fmt, s: bigint, e: number, rm: number, zeroSign: number): Result {
  if (s === 0n) return { bits: zeroSign ? signBit(fmt) : 0n, flags: 0 };
  const sign = s < 0n ? 1 : 0;
  const mag = s < 0n ? -s : s;
  return e >= 0
    ? roundRat(fmt, sign, mag << BigInt(e), 1n, rm)
    : roundRat(fmt, sign, mag, 1n << BigInt(-e), rm);
}

const signed = (d: Decoded): bigint => (d.sign ? -d.m : d.m);
const nanResult = (fmt: Fmt, ...ds: Decoded[]): Result => ({
  bits: canon(fmt),
  flags: ds.some((d) => d.kind === "snan") ? NV : 0,
});
const invalid = (fmt: Fmt): Result => ({ bits: canon(fmt), flags: NV });
const inf = (fmt: Fmt, sign: number): Result => ({
  bits: (sign ? signBit(fmt) : 0n) | (BigInt(F[fmt].maxField) << BigInt(F[fmt].p)),
  flags: 0,
});
const zero = (fmt: Fmt, sign: number): Result => ({ bits: sign ? signBit(fmt) : 0n, flags: 0 });
// IEEE 754 6.3: an exact zero sum of opposite-signed operands is +0, or -0
// when rounding toward negative; like-signed zeros keep their sign.
const sumZeroSign = (s1: number, s2: number, rm: number): number =>
  s1 === s2 ? s1 : rm === RDN ? 1 : 0;

// ---- Oracle operations -------------------------------------------------------------

function oAdd(fmt: Fmt, a: bigint, b: bigint, rm: number): Result {
  const x = decode(fmt, a);
  const y = decode(fmt, b);
  if (isNan(x) || isNan(y)) return nanResult(fmt, x, y);
  if (x.kind === "inf" && y.kind === "inf")
    return x.sign !== y.sign ? invalid(fmt) : { bits: a, flags: 0 };
  if (x.kind === "inf") return { bits: a, flags: 0 };
  if (y.kind === "inf") return { bits: b, flags: 0 };
  const e0 = Math.min(x.e, y.e);
  const s = (signed(x) << BigInt(x.e - e0)) + (signed(y) << BigInt(y.e - e0));
  return roundDyadic(fmt, s, e0, rm, sumZeroSign(x.sign, y.sign, rm));
}

function oMul(fmt: Fmt, a: bigint, b: bigint, rm: number): Result {
  const x = decode(fmt, a);
  const y = decode(fmt, b);
  if (isNan(x) || isNan(y)) return nanResult(fmt, x, y);
  const sign = x.sign ^ y.sign;
  if (x.kind === "inf" || y.kind === "inf") {
    return x.kind === "zero" || y.kind === "zero" ? invalid(fmt) : inf(fmt, sign);
  }
  if (x.kind === "zero" || y.kind === "zero") return zero(fmt, sign);
  return roundDyadic(fmt, signed(x) * signed(y), x.e + y.e, rm, 0);
}

function oDiv(fmt: Fmt, a: bigint, b: bigint, rm: number): Result {
  const x = decode(fmt, a);
  const y = decode(fmt, b);
  if (isNan(x) || isNan(y)) return nanResult(fmt, x, y);
  const sign = x.sign ^ y.sign;
  if (x.kind === "inf") return y.kind === "inf" ? invalid(fmt) : inf(fmt, sign);
  if (y.kind === "inf") return zero(fmt, sign);
  if (y.kind === "zero") return x.kind === "zero" ? invalid(fmt) : { ...inf(fmt, sign), flags: DZ };
  if (x.kind === "zero") return zero(fmt, sign);
  const e = x.e - y.e;
  const n = e >= 0 ? x.m << BigInt(e) : x.m;
  const d = e >= 0 ? y.m : y.m << BigInt(-e);
  return roundRat(fmt, sign, n, d, rm);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLen(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function oSqrt(fmt: Fmt, a: bigint, rm: number): Result {
  const x = decode(fmt, a);
  if (isNan(x)) return nanResult(fmt, x);
  if (x.kind === "zero") return { bits: a, flags: 0 };
  if (x.sign) return invalid(fmt);
  if (x.kind === "inf") return { bits: a, flags: 0 };
  let { m, e } = x;
  if (e & 1) {
    m <<= 1n;
    e--;
  }
  // sqrt(m * 2^e) = sqrt(m * 4^K) * 2^(e/2 - K). With K far beyond the
  // precision, an inexact root r is replaced by r + 1/2: no rounding boundary
  // lies strictly between r and r + 1 at that scale.
  const K = 200;
  const N = m << BigInt(2 * K);
  const r = isqrt(N);
  if (r * r === N) return roundDyadic(fmt, r, e / 2 - K, rm, 0);
  return roundDyadic(fmt, 2n * r + 1n, e / 2 - K - 1, rm, 0);
}

function oFma(fmt: Fmt, a: bigint, b: bigint, c: bigint, rm: number): Result {
  const x = decode(fmt, a);
  const y = decode(fmt, b);
  const z = decode(fmt, c);
  const badProduct =
    (x.kind === "inf" && y.kind === "zero") || (x.kind === "zero" && y.kind === "inf");
  // RISC-V: invalid is raised for inf * 0 even when the addend is a quiet NaN.
  if (isNan(x) || isNan(y) || isNan(z)) {
    return {
      bits: canon(fmt),
      flags: badProduct || [x, y, z].some((d) => d.kind === "snan") ? NV : 0,
    };
  }
  if (badProduct) return invalid(fmt);
  const sp = x.sign ^ y.sign;
  if (x.kind === "inf" || y.kind === "inf") {
    return z.kind === "inf" && z.sign !== sp ? invalid(fmt) : inf(fmt, sp);
  }
  if (z.kind === "inf") return { bits: c, flags: 0 };
  // Zeros decode with m = 0, so they need no special case here.
  const pe = x.e + y.e;
  const e0 = Math.min(pe, z.e);
  const s = ((signed(x) * signed(y)) << BigInt(pe - e0)) + (signed(z) << BigInt(z.e - e0));
  return roundDyadic(fmt, s, e0, rm, sumZeroSign(sp, z.sign, rm));
}

function oConvert(to: Fmt, from: Fmt, a: bigint, rm: number): Result {
  const x = decode(from, a);
  if (isNan(x)) return nanResult(to, x);
  if (x.kind === "inf") return inf(to, x.sign);
  if (x.kind === "zero") return zero(to, x.sign);
  return roundDyadic(to, signed(x), x.e, rm, 0);
}

// fcvt.{w,wu,l,lu}: kind 0..3. Out-of-range results (after rounding) and NaN
// saturate with NV; NaN and +inf give the maximum. 32-bit results are
// sign-extended to 64 bits.
function oToInt(fmt: Fmt, a: bigint, kind: number, rm: number): Result {
  const bits = kind < 2 ? 32 : 64;
  const isSigned = (kind & 1) === 0;
  const lo = isSigned ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = isSigned ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const out = (v: bigint, flags: number): Result => ({ bits: u64(BigInt.asIntN(bits, v)), flags });
  const x = decode(fmt, a);
  if (isNan(x)) return out(hi, NV);
  if (x.kind === "inf") return out(x.sign ? lo : hi, NV);
  if (x.kind === "zero") return out(0n, 0);
  const n = x.e >= 0 ? x.m << BigInt(x.e) : x.m;
  const d = x.e >= 0 ? 1n : 1n << BigInt(-x.e);
  const { q, inexact } = roundInt(x.sign, n, d, rm);
  const v = x.sign ? -q : q;
  if (v < lo) return out(lo, NV);
  if (v > hi) return out(hi, NV);
  return out(v, inexact ? NX : 0);
}

function oFromInt(fmt: Fmt, xreg: bigint, kind: number, rm: number): Result {
  let v: bigint;
  if (kind === 0) v = BigInt.asIntN(32, xreg);
  else if (kind === 1) v = BigInt.asUintN(32, xreg);
  else if (kind === 2) v = BigInt.asIntN(64, xreg);
  else v = BigInt.asUintN(64, xreg);
  return roundDyadic(fmt, v, 0, rm, 0);
}

// ---- Inputs ------------------------------------------------------------------------

// mulberry32: a small deterministic generator, so failures reproduce.
function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
let rnd = makeRng(1);
const randInt = (n: number): number => rnd() % n;
const randBits = (n: number): bigint => {
  let v = 0n;
  for (let i = 0; i < n; i += 32) v = (v << 32n) | BigInt(rnd());
  return BigInt.asUintN(n, v);
};

function pack(fmt: Fmt, sign: number, field: number, frac: bigint): bigint {
  return (sign ? signBit(fmt) : 0n) | (BigInt(field) << BigInt(F[fmt].p)) | frac;
}

function specials(fmt: Fmt): bigint[] {
  const { p, maxField } = F[fmt];
  const one = BigInt(F[fmt].bias);
  const fracMax = (1n << BigInt(p)) - 1n;
  const qnan = pack(fmt, 0, maxField, 1n << BigInt(p - 1));
  const list = [
    0n,
    pack(fmt, 0, maxField, 0n),
    qnan,
    qnan | 5n,
    pack(fmt, 0, maxField, 1n),
    pack(fmt, 0, maxField, fracMax >> 1n),
    1n,
    fracMax,
    pack(fmt, 0, 1, 0n),
    pack(fmt, 0, 1, 1n),
    pack(fmt, 0, maxField - 1, fracMax),
    pack(fmt, 0, maxField - 1, 0n),
    pack(fmt, 0, Number(one), 0n),
    pack(fmt, 0, Number(one), 1n),
    pack(fmt, 0, Number(one) - 1, fracMax),
    pack(fmt, 0, Number(one) + 1, 0n),
    pack(fmt, 0, Number(one) - 1, 0n),
    1n << BigInt(p - 1),
    pack(fmt, 0, Number(one) + 30, 0n),
    pack(fmt, 0, Number(one) + 31, 0n),
    pack(fmt, 0, Number(one) + 32, 0n),
    pack(fmt, 0, Number(one) + 62, 0n),
    pack(fmt, 0, Number(one) + 63, 0n),
    pack(fmt, 0, Number(one) + 64, 0n),
  ];
  return [...list, ...list.map((v) => v | signBit(fmt))];
}

function randFloat(fmt: Fmt): bigint {
  const { p, bias, maxField } = F[fmt];
  const r = randInt(100);
  if (r < 12) {
    const s = specials(fmt);
    return s[randInt(s.length)]!;
  }
  if (r < 30) return randBits(F[fmt].width);
  const sign = randInt(2);
  let field: number;
  if (r < 60) field = bias - 12 + randInt(25);
  else if (r < 75) field = randInt(4);
  else if (r < 85) field = maxField - 1 - randInt(3);
  else field = 1 + randInt(maxField - 1);
  // Short significands make exact results and exact ties common.
  const keep = randInt(3) === 0 ? randInt(p + 1) : p;
  const frac = (randBits(p) >> BigInt(p - keep)) << BigInt(p - keep);
  return pack(fmt, sign, field, frac);
}

// A neighbour of x a few units in the last place away (same sign), or x itself.
function nudge(fmt: Fmt, x: bigint): bigint {
  const mag = x & (signBit(fmt) - 1n);
  const maxFinite = (BigInt(F[fmt].maxField) << BigInt(F[fmt].p)) - 1n;
  const n = mag + BigInt(randInt(5) - 2);
  if (n < 0n || n > maxFinite) return x;
  return (x & signBit(fmt)) | n;
}

// ---- Host-native reference for round-to-nearest-even -------------------------------

const dv = new DataView(new ArrayBuffer(8));
function toNum(fmt: Fmt, bits: bigint): number {
  if (fmt) {
    dv.setBigUint64(0, bits);
    return dv.getFloat64(0);
  }
  dv.setUint32(0, Number(bits));
  return dv.getFloat32(0);
}
function fromNum(fmt: Fmt, x: number): bigint {
  if (Number.isNaN(x)) return canon(fmt);
  if (fmt) {
    dv.setFloat64(0, x);
    return dv.getBigUint64(0);
  }
  dv.setFloat32(0, x);
  return BigInt(dv.getUint32(0));
}
// binary32 via binary64 then Math.fround is correctly rounded for + - * / sqrt
// (53 >= 2*24 + 2, Figueroa 1995).
const nativeRound = (fmt: Fmt, x: number): bigint => fromNum(fmt, fmt ? x : Math.fround(x));

// ---- Harness -------------------------------------------------------------------------

// Cases per format and rounding mode; SOFTFLOAT_CASES and SOFTFLOAT_SEED
// allow a longer or different soak.
const N = Number(process.env.SOFTFLOAT_CASES ?? 3000);
const SEED = Number(process.env.SOFTFLOAT_SEED ?? 12345);

type Check = (
  fmt: Fmt,
  rm: number,
) => { inputs: bigint[]; got: Result; want: Result; native?: bigint };

// Runs `count` random cases for both formats and every rounding mode and
// returns the first few mismatches (empty when all agree).
function sweep(count: number, check: Check): string[] {
  const failures: string[] = [];
  rnd = makeRng(SEED);
  for (const fmt of [0, 1] as Fmt[]) {
    for (let i = 0; i < count; i++) {
      for (const rm of RMS) {
        const { inputs, got, want, native } = check(fmt, rm);
        const bad =
          got.bits !== want.bits ||
          got.flags !== want.flags ||
          (native !== undefined && native !== want.bits);
        if (bad && failures.length < 10) {
          failures.push(
            `fmt=${fmt} rm=${rm} in=[${inputs.map(hex).join(", ")}] got ${hex(got.bits)}/${got.flags} ` +
              `want ${hex(want.bits)}/${want.flags}` +
              (native !== undefined ? ` native ${hex(native)}` : ""),
          );
        }
      }
    }
  }
  return failures;
}

// Calls a wasm export and collects the flags it raised.
function run(name: string, ...args: (number | bigint)[]): Result {
  const bits = u64(w[name]!(...args));
  return { bits, flags: Number(w.t_flags!()) };
}

describe("softfloat arithmetic against the exact oracle", () => {
  for (const [op, ref, nat] of [
    ["add", oAdd, (x: number, y: number) => x + y],
    [
      "sub",
      (f: Fmt, a: bigint, b: bigint, rm: number) => oAdd(f, a, b ^ signBit(f), rm),
      (x: number, y: number) => x - y,
    ],
    ["mul", oMul, (x: number, y: number) => x * y],
    ["div", oDiv, (x: number, y: number) => x / y],
  ] as const) {
    for (const impl of [`t_${op}`, `t_fast_${op}`]) {
      it(`${impl} matches the oracle (${N} cases x 2 formats x 5 modes)`, () => {
        const failures = sweep(N, (fmt, rm) => {
          const a = randFloat(fmt);
          // Near-cancellation and close exponents are where add/sub go wrong.
          const r = randInt(4);
          const b =
            r === 0
              ? nudge(fmt, a ^ (op === "add" ? signBit(fmt) : 0n))
              : r === 1
                ? nudge(fmt, a)
                : randFloat(fmt);
          const got = run(impl, fmt, a, b, rm);
          const want = ref(fmt, a, b, rm);
          const native = rm === 0 ? nativeRound(fmt, nat(toNum(fmt, a), toNum(fmt, b))) : undefined;
          return { inputs: [a, b], got, want, native };
        });
        expect(failures).toEqual([]);
      });
    }
  }

  for (const impl of ["t_sqrt", "t_fast_sqrt"]) {
    it(`${impl} matches the oracle, including exact squares`, () => {
      const failures = sweep(N, (fmt, rm) => {
        let a = randFloat(fmt);
        if (randInt(3) === 0) {
          // The square of a short significand is exact, making exact roots.
          const x = toNum(fmt, a & ~signBit(fmt) & (~0n << BigInt(Math.ceil(F[fmt].p / 2))));
          a = nativeRound(fmt, x * x);
        }
        const got = run(impl, fmt, a, rm);
        const native = rm === 0 ? nativeRound(fmt, Math.sqrt(toNum(fmt, a))) : undefined;
        return { inputs: [a], got, want: oSqrt(fmt, a, rm), native };
      });
      expect(failures).toEqual([]);
    });
  }

  it("sqrt results bracket the exact root (r^2 against x in BigInt)", () => {
    rnd = makeRng(SEED + 1);
    const failures: string[] = [];
    // Sign of r^2 - x for r = m * 2^e, x = mx * 2^ex.
    const cmpSquare = (r: Decoded, x: Decoded): number => {
      const e0 = Math.min(2 * r.e, x.e);
      const diff = ((r.m * r.m) << BigInt(2 * r.e - e0)) - (x.m << BigInt(x.e - e0));
      return diff === 0n ? 0 : diff > 0n ? 1 : -1;
    };
    for (const fmt of [0, 1] as Fmt[]) {
      for (let i = 0; i < N; i++) {
        const a = randFloat(fmt) & (signBit(fmt) - 1n);
        const x = decode(fmt, a);
        if (x.kind !== "num") continue;
        // Rounding down, r <= sqrt(x) < next(r); rounding up, prev(r) < sqrt(x) <= r.
        const down = u64(w.t_sqrt!(fmt, a, 1));
        const up = u64(w.t_sqrt!(fmt, a, 3));
        w.t_flags!();
        const ok =
          cmpSquare(decode(fmt, down), x) <= 0 &&
          cmpSquare(decode(fmt, down + 1n), x) > 0 &&
          cmpSquare(decode(fmt, up), x) >= 0 &&
          cmpSquare(decode(fmt, up - 1n), x) < 0;
        if (!ok && failures.length < 10)
          failures.push(`fmt=${fmt} x=${hex(a)} down=${hex(down)} up=${hex(up)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it(`fma matches the oracle (${N} cases x 2 formats x 5 modes)`, () => {
    const failures = sweep(N, (fmt, rm) => {
      const a = randFloat(fmt);
      const b = randInt(4) === 0 ? nudge(fmt, a) : randFloat(fmt);
      let c = randFloat(fmt);
      const r = randInt(3);
      // c close to -(a*b) exercises massive cancellation.
      if (r === 0) c = nudge(fmt, oMul(fmt, a, b, randInt(5)).bits ^ signBit(fmt));
      const got = run("t_fma", fmt, a, b, c, rm);
      return { inputs: [a, b, c], got, want: oFma(fmt, a, b, c, rm) };
    });
    expect(failures).toEqual([]);
  });
});

describe("softfloat conversions against the exact oracle", () => {
  it("fcvt.s.d and fcvt.d.s", () => {
    const failures = sweep(N, (fmt, rm) => {
      // fmt is the destination; the source is the other format.
      const from = (fmt ^ 1) as Fmt;
      const a = randFloat(from);
      const native = rm === 0 ? nativeRound(fmt, toNum(from, a)) : undefined;
      return {
        inputs: [a],
        got: run("t_convert", fmt, from, a, rm),
        want: oConvert(fmt, from, a, rm),
        native,
      };
    });
    expect(failures).toEqual([]);
  });

  // Values around every integer-range boundary, and halves.
  function intEdgeValue(fmt: Fmt): bigint {
    const bounds = [0, 0.5, 1, 1.5, 2.5, 2 ** 31, 2 ** 32, 2 ** 63, 2 ** 64];
    const x = bounds[randInt(bounds.length)]! * (randInt(2) ? -1 : 1);
    return nudge(fmt, fromNum(fmt, x));
  }

  for (const kind of [0, 1, 2, 3]) {
    it(`fcvt to integer kind ${["w", "wu", "l", "lu"][kind]}`, () => {
      const failures = sweep(N, (fmt, rm) => {
        const r = randInt(3);
        let a: bigint;
        if (r === 0) a = intEdgeValue(fmt);
        else if (r === 1)
          a = pack(fmt, randInt(2), F[fmt].bias - 2 + randInt(70), randBits(F[fmt].p));
        else a = randFloat(fmt);
        return {
          inputs: [a],
          got: run("t_to_int", fmt, a, kind, rm),
          want: oToInt(fmt, a, kind, rm),
        };
      });
      expect(failures).toEqual([]);
    });

    it(`fcvt from integer kind ${["w", "wu", "l", "lu"][kind]}`, () => {
      const failures = sweep(N, (fmt, rm) => {
        // Random widths, and garbage above bit 31 that the 32-bit kinds ignore.
        const x = randBits(64) >> BigInt(randInt(64));
        const xreg = randInt(4) === 0 ? u64(-x) : x;
        return {
          inputs: [xreg],
          got: run("t_from_int", fmt, xreg, kind, rm),
          want: oFromInt(fmt, xreg, kind, rm),
        };
      });
      expect(failures).toEqual([]);
    });
  }
});

describe("softfloat comparisons and classification", () => {
  it("feq / flt / fle agree with host comparisons and RISC-V flag rules", () => {
    const failures = sweep(N / 5, (fmt) => {
      const a = randFloat(fmt);
      const b = randInt(3) === 0 ? a : randInt(2) ? nudge(fmt, a) : randFloat(fmt);
      const x = toNum(fmt, a);
      const y = toNum(fmt, b);
      const da = decode(fmt, a);
      const db = decode(fmt, b);
      const anyNan = isNan(da) || isNan(db);
      const anySnan = da.kind === "snan" || db.kind === "snan";
      const got = [run("t_eq", fmt, a, b), run("t_lt", fmt, a, b), run("t_le", fmt, a, b)];
      const want = [
        { bits: x === y ? 1n : 0n, flags: anySnan ? NV : 0 }, // quiet
        { bits: x < y ? 1n : 0n, flags: anyNan ? NV : 0 }, // signalling
        { bits: x <= y ? 1n : 0n, flags: anyNan ? NV : 0 },
      ];
      const pack3 = (rs: Result[]) => ({
        bits: rs.reduce((acc, r) => (acc << 1n) | r.bits, 0n),
        flags: rs.reduce((acc, r) => (acc << 5) | r.flags, 0),
      });
      return { inputs: [a, b], got: pack3(got), want: pack3(want) };
    });
    expect(failures).toEqual([]);
  });

  it("fmin / fmax follow minimumNumber / maximumNumber with -0 < +0", () => {
    const failures = sweep(N / 5, (fmt) => {
      const a = randFloat(fmt);
      const b = randInt(4) === 0 ? a ^ signBit(fmt) : randFloat(fmt);
      const da = decode(fmt, a);
      const db = decode(fmt, b);
      const flags = da.kind === "snan" || db.kind === "snan" ? NV : 0;
      const pick = (isMax: boolean): bigint => {
        if (isNan(da) && isNan(db)) return canon(fmt);
        if (isNan(da)) return b;
        if (isNan(db)) return a;
        const x = toNum(fmt, a);
        const y = toNum(fmt, b);
        if (x !== y) return x < y !== isMax ? a : b;
        // Equal values differ at most in the sign of zero.
        const aNeg = (a & signBit(fmt)) !== 0n;
        return aNeg !== isMax ? a : b;
      };
      const got = [run("t_min", fmt, a, b), run("t_max", fmt, a, b)];
      return {
        inputs: [a, b],
        got: {
          bits: (got[0]!.bits << 64n) | got[1]!.bits,
          flags: got[0]!.flags | (got[1]!.flags << 5),
        },
        want: { bits: (pick(false) << 64n) | pick(true), flags: flags | (flags << 5) },
      };
    });
    expect(failures).toEqual([]);
  });

  it("fclass sets exactly the spec's bit for each class", () => {
    const failures = sweep(N / 5, (fmt) => {
      const a = randFloat(fmt);
      const d = decode(fmt, a);
      const x = toNum(fmt, a);
      const minNormal = fmt ? 2 ** -1022 : 2 ** -126;
      let bit: number;
      if (d.kind === "snan") bit = 8;
      else if (d.kind === "qnan") bit = 9;
      else if (x === -Infinity) bit = 0;
      else if (x === Infinity) bit = 7;
      else if (x === 0) bit = Object.is(x, -0) ? 3 : 4;
      else if (x < 0) bit = -x >= minNormal ? 1 : 2;
      else bit = x >= minNormal ? 6 : 5;
      return {
        inputs: [a],
        got: run("t_classify", fmt, a),
        want: { bits: 1n << BigInt(bit), flags: 0 },
      };
    });
    expect(failures).toEqual([]);
  });
});

describe("softfloat spot checks from the RISC-V spec", () => {
  const D = (x: number) => fromNum(1, x);
  const S = (x: number) => fromNum(0, x);
  const cases: [string, () => Result, Result][] = [
    ["fcvt.w.d NaN", () => run("t_to_int", 1, canon(1), 0, 0), { bits: 0x7fffffffn, flags: NV }],
    [
      "fcvt.w.d -inf",
      () => run("t_to_int", 1, D(-Infinity), 0, 0),
      { bits: 0xffffffff80000000n, flags: NV },
    ],
    ["fcvt.wu.d -0.5 rtz", () => run("t_to_int", 1, D(-0.5), 1, 1), { bits: 0n, flags: NX }],
    ["fcvt.wu.d -1.0", () => run("t_to_int", 1, D(-1), 1, 0), { bits: 0n, flags: NV }],
    [
      "fcvt.wu.s 2^32-256",
      () => run("t_to_int", 0, S(2 ** 32 - 256), 1, 0),
      { bits: 0xffffffffffffff00n, flags: 0 },
    ],
    [
      "fcvt.lu.d NaN",
      () => run("t_to_int", 1, canon(1), 3, 0),
      { bits: 0xffffffffffffffffn, flags: NV },
    ],
    ["fmin(sNaN, 1)", () => run("t_min", 1, 0x7ff0000000000001n, D(1)), { bits: D(1), flags: NV }],
    ["fmin(-0, +0)", () => run("t_min", 1, D(0), D(-0)), { bits: D(-0), flags: 0 }],
    ["fmax(-0, +0)", () => run("t_max", 0, S(-0), S(0)), { bits: S(0), flags: 0 }],
    // 2^-126 - 2^-160 rounds to 2^-126 under RNE even with an unbounded
    // exponent: not tiny after rounding, so inexact only.
    [
      "fma rounding up to 2^-126",
      () => run("t_fma", 0, S(2 ** -80), S(-(2 ** -80)), S(2 ** -126), 0),
      { bits: 0x00800000n, flags: NX },
    ],
    [
      "fma.d rounding up to 2^-1022",
      () => run("t_fma", 1, D(2 ** -600), D(-(2 ** -600)), D(2 ** -1022), 0),
      { bits: 0x0010000000000000n, flags: NX },
    ],
    [
      "same under RTZ is tiny",
      () => run("t_fma", 0, S(2 ** -80), S(-(2 ** -80)), S(2 ** -126), 1),
      { bits: 0x007fffffn, flags: NX | UF },
    ],
    // (1 - 2^-24) * 2^-126 = 2^-126 - 2^-150: exact at 24 bits (tiny), a tie
    // between subnormals that RNE rounds up to the smallest normal.
    [
      "mul rounding to 2^-126 while tiny",
      () => run("t_mul", 0, 0x3f7fffffn, 0x00800000n, 0),
      { bits: 0x00800000n, flags: NX | UF },
    ],
    ["sqrt(-0)", () => run("t_sqrt", 1, D(-0), 0), { bits: D(-0), flags: 0 }],
    ["sqrt(-1)", () => run("t_sqrt", 0, S(-1), 0), { bits: canon(0), flags: NV }],
    [
      "fma inf*0 + qNaN",
      () => run("t_fma", 1, D(Infinity), D(0), canon(1), 0),
      { bits: canon(1), flags: NV },
    ],
    ["1 / 0", () => run("t_div", 1, D(1), D(-0), 0), { bits: D(-Infinity), flags: DZ }],
    [
      "overflow under RTZ",
      () => run("t_mul", 1, D(1e300), D(1e300), 1),
      { bits: 0x7fefffffffffffffn, flags: OF | NX },
    ],
    [
      "overflow under RDN, positive",
      () => run("t_add", 0, 0x7f7fffffn, 0x7f7fffffn, 2),
      { bits: 0x7f7fffffn, flags: OF | NX },
    ],
    [
      "overflow under RDN, negative",
      () => run("t_add", 0, 0xff7fffffn, 0xff7fffffn, 2),
      { bits: 0xff800000n, flags: OF | NX },
    ],
    ["x - x under RDN", () => run("t_sub", 1, D(3), D(3), 2), { bits: D(-0), flags: 0 }],
  ];
  for (const [name, f, want] of cases) {
    it(name, () => {
      expect(f()).toEqual(want);
    });
  }
});
