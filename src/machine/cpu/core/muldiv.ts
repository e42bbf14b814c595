// Integer helpers of the M extension and RV64's 32-bit forms, shared by the
// interpreter (hart.ts, inlined) and translated code (through the exports
// in index.ts), so both compute exactly the same results.

// @ts-ignore: decorator
@inline export function sext32(v: u64): u64 {
  return <u64>(<i64>(<i32>(<u32>v)));
}

// @ts-ignore: decorator
@inline export function mulhu(a: u64, b: u64): u64 {
  const aL = a & 0xffffffff;
  const aH = a >> 32;
  const bL = b & 0xffffffff;
  const bH = b >> 32;
  const ll = aL * bL;
  const lh = aL * bH;
  const hl = aH * bL;
  const hh = aH * bH;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}
// @ts-ignore: decorator
@inline export function mulh(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  if (<i64>b < 0) r -= a;
  return r;
}
// @ts-ignore: decorator
@inline export function mulhsu(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  return r;
}
// SPEC: M extension 7.2: division by zero and overflow do not trap.
// @ts-ignore: decorator
@inline export function div64(a: u64, b: u64): u64 {
  if (b == 0) return 0xffffffffffffffff;
  if (a == 0x8000000000000000 && b == 0xffffffffffffffff) return a;
  return <u64>(<i64>a / <i64>b);
}
// @ts-ignore: decorator
@inline export function rem64(a: u64, b: u64): u64 {
  if (b == 0) return a;
  if (a == 0x8000000000000000 && b == 0xffffffffffffffff) return 0;
  return <u64>(<i64>a % <i64>b);
}
// @ts-ignore: decorator
@inline export function div32(a: u64, b: u64): u64 {
  const x = <i32>a;
  const y = <i32>b;
  if (y == 0) return 0xffffffffffffffff;
  if (x == i32.MIN_VALUE && y == -1) return sext32(<u64><u32>x);
  return <u64>(<i64>(x / y));
}
// @ts-ignore: decorator
@inline export function rem32(a: u64, b: u64): u64 {
  const x = <i32>a;
  const y = <i32>b;
  if (y == 0) return <u64>(<i64>x);
  if (x == i32.MIN_VALUE && y == -1) return 0;
  return <u64>(<i64>(x % y));
}
// @ts-ignore: decorator
@inline export function divu32(a: u64, b: u64): u64 {
  const x = <u32>a;
  const y = <u32>b;
  if (y == 0) return 0xffffffffffffffff;
  return sext32(<u64>(x / y));
}
// @ts-ignore: decorator
@inline export function remu32(a: u64, b: u64): u64 {
  const x = <u32>a;
  const y = <u32>b;
  if (y == 0) return sext32(<u64>x);
  return sext32(<u64>(x % y));
}

// 64-bit unsigned division and remainder (M extension 7.2: no traps).
// @ts-ignore: decorator
@inline export function divu64(a: u64, b: u64): u64 {
  return b == 0 ? 0xffffffffffffffff : a / b;
}
// @ts-ignore: decorator
@inline export function remu64(a: u64, b: u64): u64 {
  return b == 0 ? a : a % b;
}
