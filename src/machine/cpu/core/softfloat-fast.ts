// Native-wasm fast paths for add, sub, mul, div and sqrt when rounding to
// nearest-even, falling back to the software implementation (softfloat.ts)
// for everything else.
//
// Wasm arithmetic is IEEE 754 correctly rounded to nearest-even, so with
// round-to-nearest the native result is already right; what wasm cannot tell
// us is whether it was exact (NX), overflowed (OF) or underflowed (UF). Each
// path therefore proves exactness with an error-free transformation and only
// runs on operands whose exponents rule out over/underflow anywhere in the
// computation; NaNs, infinities and the extremes of the range go to software.
//
// Single precision is computed in binary64 and then narrowed. Rounding twice
// is harmless here because 53 >= 2*24 + 2 (S. Figueroa, "When is double
// rounding innocuous?", 1995): for +, -, *, / and sqrt of binary32 operands,
// RN32(RN64(x op y)) = RN32(x op y).

import { add, div, mul, NX, OF, raise, RNE, sqrt, sub } from "./softfloat";

// Veltkamp's splitting constant for binary64: 2^27 + 1.
const SPLIT: f64 = 134217729.0;
// binary64 biased-exponent window in which the products and quotients below
// stay far from overflow and their rounding errors far from underflow.
const D_LO: u32 = 1023 - 400;
const D_HI: u32 = 1023 + 400;
// The smallest normal binary32, 2^-126.
const S_MIN_NORMAL: f64 = 1.1754943508222875e-38;

// @ts-ignore: decorator
@inline function dExp(a: u64): u32 {
  return <u32>(a >> 52) & 0x7ff;
}
// @ts-ignore: decorator
@inline function sExp(a: u64): u32 {
  return <u32>(a >> 23) & 0xff;
}
// A binary32 operand, widened exactly.
// @ts-ignore: decorator
@inline function sVal(a: u64): f64 {
  return <f64>reinterpret<f32>(<u32>a);
}
// @ts-ignore: decorator
@inline function sBits(r: f32): u64 {
  return <u64>reinterpret<u32>(r);
}

// The exact rounding error x + y - s of s = RN(x + y) (Knuth's TwoSum);
// error-free for any finite operands whose sum does not overflow.
// @ts-ignore: decorator
@inline function sumError(x: f64, y: f64, s: f64): f64 {
  const bb = s - x;
  return x - (s - bb) + (y - bb);
}

// The exact rounding error x * y - p of p = RN(x * y) (Dekker's TwoProduct
// with Veltkamp splitting); error-free when nothing over- or underflows.
function productError(x: f64, y: f64, p: f64): f64 {
  let c = SPLIT * x;
  const xh = c - (c - x);
  const xl = x - xh;
  c = SPLIT * y;
  const yh = c - (c - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

// Narrows a binary64 holding a correctly rounded binary32 computation whose
// exact value v was nonzero with |v| >= 2^-126 or exact; `exact` says whether
// the binary64 value is v. Sets NX and OF as the narrowing requires.
function narrow(s: f64, exact: bool): u64 {
  const r = <f32>s;
  if (r == Infinity || r == -Infinity) raise(OF | NX);
  else if (!exact || <f64>r != s) raise(NX);
  return sBits(r);
}

export function fadd(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  if (rm == RNE) {
    if (fmt) {
      // |a|, |b| < 2^1022: the sum cannot overflow. A sum that is tiny is
      // always exact (Hauser), so underflow never needs signalling.
      if (dExp(a) < 0x7fd && dExp(b) < 0x7fd) {
        const x = reinterpret<f64>(a);
        const y = reinterpret<f64>(b);
        const s = x + y;
        if (sumError(x, y, s) != 0) raise(NX);
        return reinterpret<u64>(s);
      }
    } else if (sExp(a) != 0xff && sExp(b) != 0xff) {
      const x = sVal(a);
      const y = sVal(b);
      const s = x + y;
      return narrow(s, sumError(x, y, s) == 0);
    }
  }
  return add(fmt, a, b, rm);
}

export function fsub(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  // x - y is exactly x + (-y), also for zeros under round-to-nearest.
  if (rm == RNE) return fadd(fmt, a, b ^ (fmt ? 0x8000000000000000 : 0x80000000), rm);
  return sub(fmt, a, b, rm);
}

export function fmul(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  if (rm == RNE) {
    if (fmt) {
      const ea = dExp(a);
      const eb = dExp(b);
      if (ea >= D_LO && ea <= D_HI && eb >= D_LO && eb <= D_HI) {
        const x = reinterpret<f64>(a);
        const y = reinterpret<f64>(b);
        const p = x * y;
        if (productError(x, y, p) != 0) raise(NX);
        return reinterpret<u64>(p);
      }
    } else if (sExp(a) != 0xff && sExp(b) != 0xff) {
      // 24 x 24 bits: the binary64 product is exact. Results below 2^-126
      // need the software path's tininess-after-rounding handling.
      const p = sVal(a) * sVal(b);
      if (p == 0 || Math.abs(p) >= S_MIN_NORMAL) return narrow(p, true);
    }
  }
  return mul(fmt, a, b, rm);
}

export function fdiv(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  if (rm == RNE) {
    if (fmt) {
      const ea = dExp(a);
      const eb = dExp(b);
      if (ea >= D_LO && ea <= D_HI && eb >= D_LO && eb <= D_HI) {
        const x = reinterpret<f64>(a);
        const y = reinterpret<f64>(b);
        const q = x / y;
        // q is exact iff q * y == x exactly.
        const p = q * y;
        if (p != x || productError(q, y, p) != 0) raise(NX);
        return reinterpret<u64>(q);
      }
    } else if (sExp(a) != 0xff && sExp(b) != 0xff && (b & 0x7fffffff) != 0) {
      const x = sVal(a);
      const y = sVal(b);
      const q = x / y;
      // RN64 is monotonic and 2^-126 representable, so |q| > 2^-126 implies
      // the exact quotient is at least 2^-126: not tiny.
      if (Math.abs(q) > S_MIN_NORMAL) {
        const r = <f32>q;
        if (r == Infinity || r == -Infinity) raise(OF | NX);
        // r * y is exact in binary64 (24 x 24 bits), so this tests r == x / y.
        else if (<f64>r * y != x) raise(NX);
        return sBits(r);
      }
    }
  }
  return div(fmt, a, b, rm);
}

export function fsqrt(fmt: u32, a: u64, rm: u32): u64 {
  if (rm == RNE) {
    if (fmt) {
      // Positive and within 2^+-800: r*r and its error stay representable.
      const e = dExp(a);
      if (a >> 63 == 0 && e >= 1023 - 800 && e <= 1023 + 800) {
        const x = reinterpret<f64>(a);
        const r = Math.sqrt(x);
        const p = r * r;
        if (p != x || productError(r, r, p) != 0) raise(NX);
        return reinterpret<u64>(r);
      }
    } else if ((a & 0x80000000) == 0 && sExp(a) != 0xff) {
      // The square root of a binary32 can neither overflow nor underflow,
      // and r * r is exact in binary64.
      const x = sVal(a);
      const r = <f32>Math.sqrt(x);
      if (<f64>r * <f64>r != x) raise(NX);
      return sBits(r);
    }
  }
  return sqrt(fmt, a, rm);
}
