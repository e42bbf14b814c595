// Conversions between binary32, binary64 and 32/64-bit integers with RISC-V
// semantics (RISC-V Unprivileged ISA, F chapter, "Floating-Point
// Conversion and Move Instructions"): out-of-range and NaN inputs saturate
// and raise invalid instead of producing IEEE's unspecified integer.

import {
  canonicalNaN, expOf, isInf, isNaN, isSNaN, isZero, normRoundPack, NV, NX, packInf, packZero,
  raise, roundPack, roundUp, shiftRightJam, sigOf, signOf,
} from "./softfloat";

// Integer kinds, numbered as the rs2 field of fcvt encodes them.
export const INT_W: u32 = 0;
export const INT_WU: u32 = 1;
export const INT_L: u32 = 2;
export const INT_LU: u32 = 3;

// fcvt.s.d / fcvt.d.s: widening is exact, narrowing rounds.
export function convert(toFmt: u32, fromFmt: u32, a: u64, rm: u32): u64 {
  if (isNaN(fromFmt, a)) {
    if (isSNaN(fromFmt, a)) raise(NV);
    return canonicalNaN(toFmt);
  }
  const sign = signOf(fromFmt, a);
  if (isInf(fromFmt, a)) return packInf(toFmt, sign);
  if (isZero(fromFmt, a)) return packZero(toFmt, sign);
  return roundPack(toFmt, sign, expOf(fromFmt, a), sigOf(fromFmt, a), rm);
}

// The 32-bit kinds deliver their result sign-extended to 64 bits, as RV64
// writes it to the x register (also for the unsigned kinds).
// @ts-ignore: decorator
@inline function finish(kind: u32, v: u64): u64 {
  return kind < INT_L ? <u64>(<i64>(<i32>v)) : v;
}

// fcvt.{w,wu,l,lu}.{s,d}: rounds a to an integer with rm. NaN gives the
// largest positive value; values whose rounded result is out of range clip
// to the nearest end of the range. Both raise invalid and never inexact.
export function toInt(fmt: u32, a: u64, kind: u32, rm: u32): u64 {
  const signed = (kind & 1) == 0;
  const bits: u64 = kind < INT_L ? 32 : 64;
  // Largest magnitudes representable for positive and negative results.
  const maxPos: u64 = <u64>-1 >> (64 - bits + (signed ? 1 : 0));
  const maxNeg: u64 = signed ? maxPos + 1 : 0;
  if (isNaN(fmt, a)) {
    raise(NV);
    return finish(kind, maxPos);
  }
  const sign = signOf(fmt, a);
  if (isZero(fmt, a)) return 0;
  // Infinities, like every value of 2^64 or more, are out of range.
  const e = isInf(fmt, a) ? 64 : expOf(fmt, a);
  if (e < 64) {
    // value = sig * 2^(e - 62): split it into the integer `mag` and the
    // fraction `rest`, in units where `half` stands for one half.
    const sig = sigOf(fmt, a);
    let mag: u64 = 0;
    let rest: u64 = 0;
    let half: u64 = <u64>1 << 63;
    if (e == 63) {
      mag = sig << 1;
    } else if (e >= 0) {
      const s = <u64>(62 - e);
      mag = sig >> s;
      rest = sig & ((<u64>1 << s) - 1);
      half = s != 0 ? <u64>1 << (s - 1) : 1;
    } else {
      // Below one: the fraction scaled by 2^64, sticky beyond that.
      rest = e == -1 ? sig << 1 : shiftRightJam(sig, <u32>(-e - 2));
    }
    // mag < 2^63 whenever there is a fraction, so this cannot wrap.
    if (roundUp(rm, sign, mag & 1, rest, half)) mag++;
    if (sign != 0 ? mag <= maxNeg : mag <= maxPos) {
      if (rest != 0) raise(NX);
      return finish(kind, sign != 0 ? 0 - mag : mag);
    }
  }
  raise(NV);
  return finish(kind, sign != 0 ? 0 - maxNeg : maxPos);
}

// fcvt.{s,d}.{w,wu,l,lu}: x holds the integer (only its low 32 bits for the
// 32-bit kinds).
export function fromInt(fmt: u32, x: u64, kind: u32, rm: u32): u64 {
  let v = x;
  if (kind == INT_W) v = <u64>(<i64>(<i32>x));
  else if (kind == INT_WU) v = x & 0xffffffff;
  const sign: u64 = (kind & 1) == 0 && <i64>v < 0 ? 1 : 0;
  const mag = sign != 0 ? 0 - v : v;
  if (mag == 0) return 0;
  // mag = mag * 2^(62 - 62)
  return normRoundPack(fmt, sign, 62, mag, rm);
}
