// Test-only wasm entry point: exposes the softfloat operations and the FPU
// instruction executor to the vitest suites (src/machine/cpu/softfloat.test.ts
// and fpu.test.ts), which compile this file on their own. Not part of the
// core build.

import * as sf from "./softfloat";
import * as cv from "./softfloat-convert";
import * as fast from "./softfloat-fast";
import * as fpu from "./fpu";

export function t_flags(): u32 {
  return sf.takeFlags();
}

export function t_add(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return sf.add(fmt, a, b, rm);
}
export function t_sub(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return sf.sub(fmt, a, b, rm);
}
export function t_mul(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return sf.mul(fmt, a, b, rm);
}
export function t_div(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return sf.div(fmt, a, b, rm);
}
export function t_sqrt(fmt: u32, a: u64, rm: u32): u64 {
  return sf.sqrt(fmt, a, rm);
}
export function t_fma(fmt: u32, a: u64, b: u64, c: u64, rm: u32): u64 {
  return sf.fma(fmt, a, b, c, rm);
}

export function t_fast_add(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return fast.fadd(fmt, a, b, rm);
}
export function t_fast_sub(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return fast.fsub(fmt, a, b, rm);
}
export function t_fast_mul(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return fast.fmul(fmt, a, b, rm);
}
export function t_fast_div(fmt: u32, a: u64, b: u64, rm: u32): u64 {
  return fast.fdiv(fmt, a, b, rm);
}
export function t_fast_sqrt(fmt: u32, a: u64, rm: u32): u64 {
  return fast.fsqrt(fmt, a, rm);
}

export function t_eq(fmt: u32, a: u64, b: u64): u32 {
  return sf.eq(fmt, a, b) ? 1 : 0;
}
export function t_lt(fmt: u32, a: u64, b: u64): u32 {
  return sf.lt(fmt, a, b) ? 1 : 0;
}
export function t_le(fmt: u32, a: u64, b: u64): u32 {
  return sf.le(fmt, a, b) ? 1 : 0;
}
export function t_min(fmt: u32, a: u64, b: u64): u64 {
  return sf.minMax(fmt, a, b, false);
}
export function t_max(fmt: u32, a: u64, b: u64): u64 {
  return sf.minMax(fmt, a, b, true);
}
export function t_classify(fmt: u32, a: u64): u32 {
  return sf.classify(fmt, a);
}

export function t_convert(toFmt: u32, fromFmt: u32, a: u64, rm: u32): u64 {
  return cv.convert(toFmt, fromFmt, a, rm);
}
export function t_to_int(fmt: u32, a: u64, kind: u32, rm: u32): u64 {
  return cv.toInt(fmt, a, kind, rm);
}
export function t_from_int(fmt: u32, x: u64, kind: u32, rm: u32): u64 {
  return cv.fromInt(fmt, x, kind, rm);
}

export function t_exec(inst: u32): u32 {
  return fpu.execFp(inst) ? 1 : 0;
}
export function t_fflags(): u32 {
  return fpu.fflags;
}
export function t_set_fflags(v: u32): void {
  fpu.setFflags(v);
}
export function t_set_frm(v: u32): void {
  fpu.setFrm(v);
}
