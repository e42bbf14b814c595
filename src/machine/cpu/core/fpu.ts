// Executes the F and D extensions' computational instructions (major opcodes
// OP-FP and the four fused multiply-add opcodes) for RV64, per the RISC-V
// Unprivileged ISA "F" and "D" chapters. Loads, stores, the fcsr CSRs and
// mstatus.FS belong to the rest of the core; this file owns fflags and frm.

import { getF, getX, setF, setX } from "./layout";
import { classify, eq, fma, le, lt, minMax, signBit, takeFlags } from "./softfloat";
import { convert, fromInt, toInt } from "./softfloat-convert";
import { fadd, fdiv, fmul, fsqrt, fsub } from "./softfloat-fast";

// Accrued exception flags (NV DZ OF UF NX, bits 4..0) and the dynamic
// rounding mode: the two fields of fcsr.
export let fflags: u32 = 0;
export let frm: u32 = 0;

export function setFflags(v: u32): void {
  fflags = v & 0x1f;
}
export function setFrm(v: u32): void {
  frm = v & 7;
}

const OP_FP: u32 = 0x53;
const OP_FMADD: u32 = 0x43;
const OP_FMSUB: u32 = 0x47;
const OP_FNMSUB: u32 = 0x4b;
const OP_FNMADD: u32 = 0x4f;

// rm value meaning "use frm".
const RM_DYN: u32 = 7;
// Returned by effectiveRm for reserved encodings.
const RM_BAD: u32 = 0xff;

const BOX: u64 = 0xffffffff00000000;

// A single-precision operand must be NaN-boxed (upper 32 bits all ones);
// anything else reads as the canonical NaN.
// @ts-ignore: decorator
@inline function readF(fmt: u32, r: u32): u64 {
  const v = getF(r);
  if (fmt) return v;
  return (v & BOX) == BOX ? v & 0xffffffff : 0x7fc00000;
}

// Single-precision results are written NaN-boxed.
// @ts-ignore: decorator
@inline function writeF(fmt: u32, r: u32, v: u64): void {
  setF(r, fmt ? v : v | BOX);
}

// x0 is hardwired to zero.
// @ts-ignore: decorator
@inline function writeX(r: u32, v: u64): void {
  if (r != 0) setX(r, v);
}

// The rounding mode an instruction uses: its rm field, or frm for the
// dynamic encoding; RM_BAD for the reserved values 5 and 6 (in either).
// @ts-ignore: decorator
@inline function effectiveRm(rmField: u32): u32 {
  const rm = rmField == RM_DYN ? frm : rmField;
  return rm > 4 ? RM_BAD : rm;
}

// Executes one floating-point computational instruction. Returns false, with
// no state changed, when the encoding is illegal (the caller raises the
// illegal-instruction exception); mstatus.FS is the caller's to check.
export function execFp(inst: u32): bool {
  const opcode = inst & 0x7f;
  const fmt = (inst >> 25) & 3;
  // Only S (00) and D (01); H and Q are not implemented.
  if (fmt > 1) return false;
  if (opcode == OP_FP) return execOpFp(inst, fmt);
  if (opcode != OP_FMADD && opcode != OP_FMSUB && opcode != OP_FNMSUB && opcode != OP_FNMADD) {
    return false;
  }
  const rm = effectiveRm((inst >> 12) & 7);
  if (rm == RM_BAD) return false;
  const rd = (inst >> 7) & 31;
  const a = readF(fmt, (inst >> 15) & 31);
  const b = readF(fmt, (inst >> 20) & 31);
  const c = readF(fmt, inst >> 27);
  // fmsub: a*b - c, fnmsub: -(a*b) + c, fnmadd: -(a*b) - c. Flipping the
  // signs before the single rounding gives exactly the negated results, with
  // directed rounding applied to the final value as the spec requires.
  const negProduct: u64 = opcode == OP_FNMSUB || opcode == OP_FNMADD ? signBit(fmt) : 0;
  const negAddend: u64 = opcode == OP_FMSUB || opcode == OP_FNMADD ? signBit(fmt) : 0;
  writeF(fmt, rd, fma(fmt, a ^ negProduct, b, c ^ negAddend, rm));
  fflags |= takeFlags();
  return true;
}

function execOpFp(inst: u32, fmt: u32): bool {
  const rd = (inst >> 7) & 31;
  const rmField = (inst >> 12) & 7;
  const rs1 = (inst >> 15) & 31;
  const rs2 = (inst >> 20) & 31;
  const funct5 = inst >> 27;
  switch (funct5) {
    case 0x00:
    case 0x01:
    case 0x02:
    case 0x03: {
      const rm = effectiveRm(rmField);
      if (rm == RM_BAD) return false;
      const a = readF(fmt, rs1);
      const b = readF(fmt, rs2);
      let r: u64;
      if (funct5 == 0x00) r = fadd(fmt, a, b, rm);
      else if (funct5 == 0x01) r = fsub(fmt, a, b, rm);
      else if (funct5 == 0x02) r = fmul(fmt, a, b, rm);
      else r = fdiv(fmt, a, b, rm);
      writeF(fmt, rd, r);
      break;
    }
    case 0x0b: {
      // fsqrt
      const rm = effectiveRm(rmField);
      if (rs2 != 0 || rm == RM_BAD) return false;
      writeF(fmt, rd, fsqrt(fmt, readF(fmt, rs1), rm));
      break;
    }
    case 0x04: {
      // fsgnj, fsgnjn, fsgnjx: pure bit operations, no flags.
      if (rmField > 2) return false;
      const a = readF(fmt, rs1);
      const b = readF(fmt, rs2);
      const s = signBit(fmt);
      let sign: u64;
      if (rmField == 0) sign = b & s;
      else if (rmField == 1) sign = ~b & s;
      else sign = (a ^ b) & s;
      writeF(fmt, rd, (a & ~s) | sign);
      break;
    }
    case 0x05: {
      // fmin, fmax
      if (rmField > 1) return false;
      writeF(fmt, rd, minMax(fmt, readF(fmt, rs1), readF(fmt, rs2), rmField == 1));
      break;
    }
    case 0x08: {
      // fcvt.s.d (fmt S, rs2 = D) and fcvt.d.s (fmt D, rs2 = S).
      const rm = effectiveRm(rmField);
      if (rs2 != (fmt ^ 1) || rm == RM_BAD) return false;
      writeF(fmt, rd, convert(fmt, rs2, readF(rs2, rs1), rm));
      break;
    }
    case 0x14: {
      // feq (rm 2), flt (rm 1), fle (rm 0)
      if (rmField > 2) return false;
      const a = readF(fmt, rs1);
      const b = readF(fmt, rs2);
      let r: bool;
      if (rmField == 2) r = eq(fmt, a, b);
      else if (rmField == 1) r = lt(fmt, a, b);
      else r = le(fmt, a, b);
      writeX(rd, r ? 1 : 0);
      break;
    }
    case 0x18: {
      // fcvt.{w,wu,l,lu}.fmt: rs2 selects the integer kind.
      const rm = effectiveRm(rmField);
      if (rs2 > 3 || rm == RM_BAD) return false;
      writeX(rd, toInt(fmt, readF(fmt, rs1), rs2, rm));
      break;
    }
    case 0x1a: {
      // fcvt.fmt.{w,wu,l,lu}
      const rm = effectiveRm(rmField);
      if (rs2 > 3 || rm == RM_BAD) return false;
      writeF(fmt, rd, fromInt(fmt, getX(rs1), rs2, rm));
      break;
    }
    case 0x1c: {
      if (rs2 != 0) return false;
      if (rmField == 0) {
        // fmv.x.w sign-extends the raw low word (no NaN-box check);
        // fmv.x.d copies all 64 bits.
        const v = getF(rs1);
        writeX(rd, fmt ? v : <u64>(<i64>(<i32>v)));
      } else if (rmField == 1) {
        writeX(rd, classify(fmt, readF(fmt, rs1)));
      } else {
        return false;
      }
      break;
    }
    case 0x1e: {
      // fmv.w.x boxes the low word of x; fmv.d.x copies all 64 bits.
      if (rs2 != 0 || rmField != 0) return false;
      const v = getX(rs1);
      writeF(fmt, rd, fmt ? v : v & 0xffffffff);
      break;
    }
    default:
      return false;
  }
  fflags |= takeFlags();
  return true;
}

