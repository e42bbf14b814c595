// Software IEEE 754 binary32/binary64 arithmetic with the five RISC-V rounding
// modes and accrued exception flags, as the F and D extensions require
// (RISC-V Unprivileged ISA, "F" and "D" chapters; IEEE 754-2019).
//
// Wasm only rounds to nearest-even, has no fused multiply-add and reports no
// exceptions, so everything here works on integers. Values travel as raw bit
// patterns in u64 (a binary32 in the low 32 bits, upper bits zero). Every
// operation takes `fmt` (0 = single, 1 = double, as in the instruction's fmt
// field) so each operation has one code path for both formats.
//
// A finite nonzero operand is unpacked to a sign, an unbiased exponent e and a
// significand `sig` with its leading one at bit 62, so value = sig * 2^(e-62).
// The bits below the format's precision are guard bits; bit 0 is "sticky": a
// right shift ORs everything it drops into it (shiftRightJam), which keeps
// enough information for correct rounding however far the value was shifted.

export const RNE: u32 = 0;
export const RTZ: u32 = 1;
export const RDN: u32 = 2;
export const RUP: u32 = 3;
export const RMM: u32 = 4;

export const NX: u32 = 1;
export const UF: u32 = 2;
export const OF: u32 = 4;
export const DZ: u32 = 8;
export const NV: u32 = 16;

export const FMT_S: u32 = 0;
export const FMT_D: u32 = 1;

// Exceptions raised since the last takeFlags(); the FPU folds them into fflags.
export let flags: u32 = 0;

// @ts-ignore: decorator
@inline export function raise(f: u32): void {
  flags |= f;
}

export function takeFlags(): u32 {
  const f = flags;
  flags = 0;
  return f;
}

// ---- Format parameters -----------------------------------------------------

// @ts-ignore: decorator
@inline function fracBits(fmt: u32): u32 {
  return fmt ? 52 : 23;
}
// @ts-ignore: decorator
@inline function bias(fmt: u32): i32 {
  return fmt ? 1023 : 127;
}
// The all-ones exponent field (infinities and NaNs).
// @ts-ignore: decorator
@inline function expMax(fmt: u32): u32 {
  return fmt ? 0x7ff : 0xff;
}
// @ts-ignore: decorator
@inline function signShift(fmt: u32): u64 {
  return fmt ? 63 : 31;
}
// @ts-ignore: decorator
@inline export function signBit(fmt: u32): u64 {
  return <u64>1 << signShift(fmt);
}
// @ts-ignore: decorator
@inline export function canonicalNaN(fmt: u32): u64 {
  return fmt ? 0x7ff8000000000000 : 0x7fc00000;
}
// @ts-ignore: decorator
@inline function fracMask(fmt: u32): u64 {
  return (<u64>1 << fracBits(fmt)) - 1;
}

// ---- Classification ----------------------------------------------------------

// @ts-ignore: decorator
@inline export function signOf(fmt: u32, x: u64): u64 {
  return (x >> signShift(fmt)) & 1;
}
// @ts-ignore: decorator
@inline function expField(fmt: u32, x: u64): u32 {
  return <u32>(x >> fracBits(fmt)) & expMax(fmt);
}
// @ts-ignore: decorator
@inline export function isNaN(fmt: u32, x: u64): bool {
  return expField(fmt, x) == expMax(fmt) && (x & fracMask(fmt)) != 0;
}
// A NaN whose most significant fraction bit (the "quiet" bit) is clear.
// @ts-ignore: decorator
@inline export function isSNaN(fmt: u32, x: u64): bool {
  return isNaN(fmt, x) && ((x >> (fracBits(fmt) - 1)) & 1) == 0;
}
// @ts-ignore: decorator
@inline export function isInf(fmt: u32, x: u64): bool {
  return expField(fmt, x) == expMax(fmt) && (x & fracMask(fmt)) == 0;
}
// @ts-ignore: decorator
@inline export function isZero(fmt: u32, x: u64): bool {
  return (x & ~signBit(fmt)) == 0;
}
// @ts-ignore: decorator
@inline export function packZero(fmt: u32, sign: u64): u64 {
  return sign << signShift(fmt);
}
// @ts-ignore: decorator
@inline export function packInf(fmt: u32, sign: u64): u64 {
  return (sign << signShift(fmt)) | (<u64>expMax(fmt) << fracBits(fmt));
}

// Unbiased exponent of a finite nonzero x, matching the significand sigOf gives.
export function expOf(fmt: u32, x: u64): i32 {
  const e = expField(fmt, x);
  if (e != 0) return <i32>e - bias(fmt);
  // Subnormal: value = frac * 2^(emin - p), and the leading one of frac sits
  // (clz(frac) - (63 - p)) places below the implicit-bit position.
  const below = <i32>clz<u64>(x & fracMask(fmt)) - (63 - <i32>fracBits(fmt));
  return 1 - bias(fmt) - below;
}

// Significand of a finite nonzero x with its leading one moved to bit 62.
export function sigOf(fmt: u32, x: u64): u64 {
  const frac = x & fracMask(fmt);
  if (expField(fmt, x) != 0) return (frac | (<u64>1 << fracBits(fmt))) << (62 - fracBits(fmt));
  return frac << (clz<u64>(frac) - 1);
}

// x >> n, with everything shifted out ORed into bit 0.
export function shiftRightJam(x: u64, n: u32): u64 {
  if (n == 0) return x;
  if (n >= 64) return x != 0 ? 1 : 0;
  return (x >> n) | ((x << (64 - n)) != 0 ? 1 : 0);
}

// ---- Rounding --------------------------------------------------------------

// Whether to add one unit in the last place, given the discarded bits `rest`
// and the value `half` that represents exactly half a unit.
export function roundUp(rm: u32, sign: u64, lsb: u64, rest: u64, half: u64): bool {
  if (rm == RNE) return rest > half || (rest == half && lsb != 0);
  if (rm == RMM) return rest >= half;
  if (rm == RDN) return sign != 0 && rest != 0;
  if (rm == RUP) return sign == 0 && rest != 0;
  return false;
}

function overflow(fmt: u32, sign: u64, rm: u32): u64 {
  raise(OF | NX);
  // Modes that round away from this sign's infinity stop at the largest finite value.
  const toInf = rm == RNE || rm == RMM || (rm == RDN && sign != 0) || (rm == RUP && sign == 0);
  if (toInf) return packInf(fmt, sign);
  return packInf(fmt, sign) - 1;
}

// Rounds sign * sig * 2^(e-62) (sig normalised: leading one at bit 62) to the
// format, handling subnormal results, overflow and all flags.
export function roundPack(fmt: u32, sign: u64, e: i32, sig: u64, rm: u32): u64 {
  const p = fracBits(fmt);
  const sh: u64 = 62 - p;
  const mask: u64 = (<u64>1 << sh) - 1;
  const half: u64 = <u64>1 << (sh - 1);
  let be = e + bias(fmt);
  let tiny = false;
  if (be <= 0) {
    // RISC-V detects tininess after rounding: the result is tiny unless
    // rounding to full precision with an unbounded exponent would carry it up
    // to 2^emin, which is only possible from the binade just below it.
    const full = sig >> sh;
    const carried = roundUp(rm, sign, full & 1, sig & mask, half) && full + 1 == <u64>1 << (p + 1);
    tiny = be < 0 || !carried;
    // Denormalise to the minimum exponent; a carry into the implicit bit
    // during rounding then naturally yields the smallest normal.
    sig = shiftRightJam(sig, <u32>(1 - be));
    be = 1;
  }
  const rest = sig & mask;
  let m = sig >> sh;
  if (roundUp(rm, sign, m & 1, rest, half)) m++;
  if (rest != 0) raise(tiny ? NX | UF : NX);
  if (be >= <i32>expMax(fmt)) return overflow(fmt, sign, rm);
  // Adding m (implicit bit included) to (be - 1) << p gives the right exponent
  // field, also when rounding carried m to 2^(p+1) or a subnormal to normal.
  const bits = (<u64>(be - 1) << p) + m;
  if (bits >> p >= <u64>expMax(fmt)) return overflow(fmt, sign, rm);
  return (sign << signShift(fmt)) | bits;
}

// roundPack for a significand with its leading one anywhere (nonzero): value
// = sig * 2^(e-62) as before, renormalised first.
export function normRoundPack(fmt: u32, sign: u64, e: i32, sig: u64, rm: u32): u64 {
  const lz = <i32>clz<u64>(sig);
  if (lz == 0) return roundPack(fmt, sign, e + 1, shiftRightJam(sig, 1), rm);
  return roundPack(fmt, sign, e - (lz - 1), sig << (lz - 1), rm);
}

// ---- 128-bit helpers ---------------------------------------------------------
// Wasm has no multi-value returns from AssemblyScript without allocation, so
// the high halves come back through module globals.

let hi128: u64 = 0;

// Full 64x64 -> 128-bit product; returns the low half, the high half in hi128.
function mul128(a: u64, b: u64): u64 {
  const a0 = a & 0xffffffff;
  const a1 = a >> 32;
  const b0 = b & 0xffffffff;
  const b1 = b >> 32;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  hi128 = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & 0xffffffff);
}

// (hi:lo) >> n with sticky jamming; returns the low half, the high half in hi128.
function shiftRightJam128(hi: u64, lo: u64, n: u32): u64 {
  if (n == 0) {
    hi128 = hi;
    return lo;
  }
  if (n < 64) {
    hi128 = hi >> n;
    return (hi << (64 - n)) | (lo >> n) | ((lo << (64 - n)) != 0 ? 1 : 0);
  }
  hi128 = 0;
  if (n < 128) return shiftRightJam(hi, n - 64) | (lo != 0 ? 1 : 0);
  return (hi | lo) != 0 ? 1 : 0;
}

// Rounds sign * (hi:lo) * 2^(e-125), (hi:lo) nonzero, after compressing it to
// a 64-bit sticky significand.
function roundPack128(fmt: u32, sign: u64, e: i32, hi: u64, lo: u64, rm: u32): u64 {
  const top = hi != 0 ? 127 - <i32>clz<u64>(hi) : 63 - <i32>clz<u64>(lo);
  let sig: u64;
  if (top >= 62) sig = shiftRightJam128(hi, lo, <u32>(top - 62));
  else sig = lo << <u64>(62 - top);
  return roundPack(fmt, sign, e - 125 + top, sig, rm);
}

// ---- NaN propagation -----------------------------------------------------------

// RISC-V returns the canonical NaN for any NaN result; only signalling NaN
// operands raise invalid.
function nan2(fmt: u32, a: u64, b: u64): u64 {
  if (isSNaN(fmt, a) || isSNaN(fmt, b)) raise(NV);
  return canonicalNaN(fmt);
}

function invalid(fmt: u32): u64 {
  raise(NV);
  return canonicalNaN(fmt);
}

// ---- Arithmetic --------------------------------------------------------------

export function add(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  if (isNaN(fmt, a) || isNaN(fmt, b)) return nan2(fmt, a, b);
  const sa = signOf(fmt, a);
  const sb = signOf(fmt, b);
  if (isInf(fmt, a)) return isInf(fmt, b) && sa != sb ? invalid(fmt) : a;
  if (isInf(fmt, b)) return b;
  if (isZero(fmt, a)) {
    // An exact zero sum of opposite zeros is +0, or -0 when rounding down.
    if (isZero(fmt, b)) return packZero(fmt, sa == sb ? sa : <u64>(rm == RDN));
    return b;
  }
  if (isZero(fmt, b)) return a;
  const ea = expOf(fmt, a);
  const eb = expOf(fmt, b);
  // Addition commutes: let a be the operand with the larger exponent.
  if (ea < eb) return add(fmt, b, a, rm);
  const siga = sigOf(fmt, a);
  // Both significands have at least 10 zero guard bits, so an alignment shift
  // of at most one is exact, and after a longer one the difference loses at
  // most one leading bit: the sticky bit stays below the rounding position.
  const sigb = shiftRightJam(sigOf(fmt, b), <u32>(ea - eb));
  if (sa == sb) return normRoundPack(fmt, sa, ea, siga + sigb, rm);
  // An exact zero difference is +0, or -0 when rounding down.
  if (siga == sigb) return packZero(fmt, <u64>(rm == RDN));
  if (siga > sigb) return normRoundPack(fmt, sa, ea, siga - sigb, rm);
  return normRoundPack(fmt, sb, ea, sigb - siga, rm);
}

export function sub(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return add(fmt, a, b ^ signBit(fmt), rm);
}

export function mul(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  if (isNaN(fmt, a) || isNaN(fmt, b)) return nan2(fmt, a, b);
  const sign = signOf(fmt, a) ^ signOf(fmt, b);
  if (isInf(fmt, a) || isInf(fmt, b)) {
    if (isZero(fmt, a) || isZero(fmt, b)) return invalid(fmt);
    return packInf(fmt, sign);
  }
  if (isZero(fmt, a) || isZero(fmt, b)) return packZero(fmt, sign);
  // sig_a * sig_b * 2^(ea+eb-124) = product * 2^((ea+eb+1) - 125)
  const lo = mul128(sigOf(fmt, a), sigOf(fmt, b));
  return roundPack128(fmt, sign, expOf(fmt, a) + expOf(fmt, b) + 1, hi128, lo, rm);
}

export function div(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  if (isNaN(fmt, a) || isNaN(fmt, b)) return nan2(fmt, a, b);
  const sign = signOf(fmt, a) ^ signOf(fmt, b);
  if (isInf(fmt, a)) return isInf(fmt, b) ? invalid(fmt) : packInf(fmt, sign);
  if (isInf(fmt, b)) return packZero(fmt, sign);
  if (isZero(fmt, b)) {
    if (isZero(fmt, a)) return invalid(fmt);
    raise(DZ);
    return packInf(fmt, sign);
  }
  if (isZero(fmt, a)) return packZero(fmt, sign);
  // Long division on the w = p+1 bit significands. The remainder stays below
  // the divisor (< 2^w), so each step can bring down 64 - w quotient bits
  // with a native 64-bit division.
  const p = fracBits(fmt);
  const sh: u64 = 62 - p;
  const w: u32 = p + 1;
  let n = sigOf(fmt, a) >> sh;
  const d = sigOf(fmt, b) >> sh;
  let e = expOf(fmt, a) - expOf(fmt, b);
  if (n < d) {
    n <<= 1;
    e--;
  }
  // n / d is in [1, 2): the first quotient bit is 1.
  let q: u64 = 1;
  let r = n - d;
  // p + 2 more bits: the rest of the p + 1 bits of precision and two below
  // them; the remainder supplies the sticky bit.
  let todo = p + 2;
  const chunk: u32 = 64 - w;
  while (todo > 0) {
    const k = todo < chunk ? todo : chunk;
    r <<= k;
    q = (q << k) | (r / d);
    r = r % d;
    todo -= k;
  }
  // q has its leading one at bit p + 2; move it to 62.
  q = (q << (60 - p)) | (r != 0 ? 1 : 0);
  return roundPack(fmt, sign, e, q, rm);
}

export function sqrt(fmt: u32, a: u64, rm: u32): u64 {
  if (isNaN(fmt, a)) return nan2(fmt, a, a);
  if (isZero(fmt, a)) return a;
  if (signOf(fmt, a)) return invalid(fmt);
  if (isInf(fmt, a)) return a;
  const p = fracBits(fmt);
  // value = m * 2^t with m the (p+1)-bit significand; make t even so that
  // sqrt(value) = sqrt(m) * 2^(t/2).
  let m = sigOf(fmt, a) >> (62 - p);
  let t = expOf(fmt, a) - <i32>p;
  if (t & 1) {
    m <<= 1;
    t--;
  }
  // Digit-by-digit square root of m * 4^z, two radicand bits per step, most
  // significant first. m fits in `pairs` bit pairs; the z extra zero pairs
  // give a root of at least p + 2 bits, one more than the precision. The
  // remainder never exceeds twice the root, so everything fits in u64.
  const pairs = (p + 3) >> 1;
  const z = (p >> 1) + 2;
  let root: u64 = 0;
  let rem: u64 = 0;
  for (let i = <i32>(pairs + z) - 1; i >= 0; i--) {
    const pair = i >= <i32>z ? (m >> (<u64>(i - <i32>z) << 1)) & 3 : 0;
    rem = (rem << 2) | pair;
    root <<= 1;
    const trial = (root << 1) | 1;
    if (rem >= trial) {
      rem -= trial;
      root |= 1;
    }
  }
  // sqrt(value) = (root + fraction) * 2^(t/2 - z), the fraction nonzero
  // exactly when the remainder is; doubling the root makes room for that
  // sticky bit below it.
  const sig = (root << 1) | (rem != 0 ? 1 : 0);
  return normRoundPack(fmt, 0, (t >> 1) - <i32>z - 1 + 62, sig, rm);
}

// a * b + c with a single rounding. The FMADD family negates operands first.
export function fma(fmt: u32, a: u64, b: u64, c: u64, rm: u32): u64 {
  // Infinity times zero is invalid even when the addend is a quiet NaN.
  const badProduct = (isInf(fmt, a) && isZero(fmt, b)) || (isZero(fmt, a) && isInf(fmt, b));
  if (isNaN(fmt, a) || isNaN(fmt, b) || isNaN(fmt, c)) {
    if (badProduct || isSNaN(fmt, a) || isSNaN(fmt, b) || isSNaN(fmt, c)) raise(NV);
    return canonicalNaN(fmt);
  }
  if (badProduct) return invalid(fmt);
  const sp = signOf(fmt, a) ^ signOf(fmt, b);
  const sc = signOf(fmt, c);
  if (isInf(fmt, a) || isInf(fmt, b)) {
    return isInf(fmt, c) && sc != sp ? invalid(fmt) : packInf(fmt, sp);
  }
  if (isInf(fmt, c)) return c;
  if (isZero(fmt, a) || isZero(fmt, b)) {
    if (isZero(fmt, c)) return packZero(fmt, sp == sc ? sp : <u64>(rm == RDN));
    return c;
  }
  // Exact product with its leading one at bit 125: value = P * 2^(ep - 125).
  let pLo = mul128(sigOf(fmt, a), sigOf(fmt, b));
  let pHi = hi128;
  let ep = expOf(fmt, a) + expOf(fmt, b);
  if (pHi >> 61 != 0) {
    ep++;
  } else {
    pHi = (pHi << 1) | (pLo >> 63);
    pLo <<= 1;
  }
  if (isZero(fmt, c)) return roundPack128(fmt, sp, ep, pHi, pLo, rm);
  // The addend in the same form, leading one at bit 125 as well.
  const sigc = sigOf(fmt, c);
  let cHi = sigc >> 1;
  let cLo = sigc << 63;
  const ec = expOf(fmt, c);
  // Align as in add(): both have many zero low bits, so short shifts are
  // exact and long ones leave the sum with at most one bit of cancellation.
  let e: i32;
  if (ep >= ec) {
    cLo = shiftRightJam128(cHi, cLo, <u32>(ep - ec));
    cHi = hi128;
    e = ep;
  } else {
    pLo = shiftRightJam128(pHi, pLo, <u32>(ec - ep));
    pHi = hi128;
    e = ec;
  }
  if (sp == sc) {
    const lo = pLo + cLo;
    // Both are below 2^126, so the sum cannot leave 128 bits.
    return roundPack128(fmt, sp, e, pHi + cHi + (lo < pLo ? 1 : 0), lo, rm);
  }
  if (pHi == cHi && pLo == cLo) return packZero(fmt, <u64>(rm == RDN));
  if (pHi > cHi || (pHi == cHi && pLo > cLo)) {
    return roundPack128(fmt, sp, e, pHi - cHi - (pLo < cLo ? 1 : 0), pLo - cLo, rm);
  }
  return roundPack128(fmt, sc, e, cHi - pHi - (cLo < pLo ? 1 : 0), cLo - pLo, rm);
}

// ---- Comparisons -------------------------------------------------------------

// a < b for non-NaN operands, with -0 < +0 (the order fmin/fmax need).
function lessTotal(fmt: u32, a: u64, b: u64): bool {
  const sa = signOf(fmt, a);
  if (sa != signOf(fmt, b)) return sa != 0;
  // Same sign: magnitudes compare as integers, reversed for negatives.
  return sa != 0 ? a > b : a < b;
}

// Quiet equality: only signalling NaNs raise invalid.
export function eq(fmt: u32, a: u64, b: u64): bool {
  if (isNaN(fmt, a) || isNaN(fmt, b)) {
    if (isSNaN(fmt, a) || isSNaN(fmt, b)) raise(NV);
    return false;
  }
  return a == b || (isZero(fmt, a) && isZero(fmt, b));
}

// Signalling less-than: any NaN raises invalid.
export function lt(fmt: u32, a: u64, b: u64): bool {
  if (isNaN(fmt, a) || isNaN(fmt, b)) {
    raise(NV);
    return false;
  }
  if (isZero(fmt, a) && isZero(fmt, b)) return false;
  return lessTotal(fmt, a, b);
}

// Signalling less-or-equal: any NaN raises invalid.
export function le(fmt: u32, a: u64, b: u64): bool {
  if (isNaN(fmt, a) || isNaN(fmt, b)) {
    raise(NV);
    return false;
  }
  if (a == b || (isZero(fmt, a) && isZero(fmt, b))) return true;
  return lessTotal(fmt, a, b);
}

// IEEE 754-2019 minimumNumber/maximumNumber (RISC-V F v2.2): a NaN operand
// yields the other operand, two NaNs the canonical NaN, and -0 < +0.
export function minMax(fmt: u32, a: u64, b: u64, isMax: bool): u64 {
  const na = isNaN(fmt, a);
  const nb = isNaN(fmt, b);
  if (isSNaN(fmt, a) || isSNaN(fmt, b)) raise(NV);
  if (na && nb) return canonicalNaN(fmt);
  if (na) return b;
  if (nb) return a;
  return lessTotal(fmt, a, b) != isMax ? a : b;
}

// The FCLASS bit mask: 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0,
// 5 +subnormal, 6 +normal, 7 +inf, 8 signalling NaN, 9 quiet NaN.
export function classify(fmt: u32, a: u64): u32 {
  if (isNaN(fmt, a)) return isSNaN(fmt, a) ? 1 << 8 : 1 << 9;
  const neg = signOf(fmt, a) != 0;
  let bit: u32;
  if (isInf(fmt, a)) bit = 7;
  else if (isZero(fmt, a)) bit = 4;
  else if (expField(fmt, a) == 0) bit = 5;
  else bit = 6;
  return neg ? <u32>1 << (7 - bit) : <u32>1 << bit;
}
