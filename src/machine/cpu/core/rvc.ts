// The C extension (unprivileged spec chapter 16, RV64C) as a table: every
// 16-bit parcel maps to the 32-bit instruction it expands to, or 0 when it
// is illegal or reserved. The interpreter then executes one instruction set.

import { RVC_TABLE } from "./layout";

// @ts-ignore: decorator
@inline function bits(x: u32, hi: u32, lo: u32): u32 {
  return (x >> lo) & ((1 << (hi - lo + 1)) - 1);
}
// @ts-ignore: decorator
@inline function sext(x: u32, width: u32): i32 {
  return (<i32>(x << (32 - width))) >> (32 - width);
}

function iType(imm: i32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return ((<u32>imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
function sType(imm: i32, rs2: u32, rs1: u32, f3: u32, op: u32): u32 {
  const u = <u32>imm;
  return (bits(u, 11, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (bits(u, 4, 0) << 7) | op;
}
function bType(imm: i32, rs2: u32, rs1: u32, f3: u32): u32 {
  const u = <u32>imm;
  return (bits(u, 12, 12) << 31) | (bits(u, 10, 5) << 25) | (rs2 << 20) | (rs1 << 15) |
    (f3 << 12) | (bits(u, 4, 1) << 8) | (bits(u, 11, 11) << 7) | 0x63;
}
function jType(imm: i32, rd: u32): u32 {
  const u = <u32>imm;
  return (bits(u, 20, 20) << 31) | (bits(u, 10, 1) << 21) | (bits(u, 11, 11) << 20) |
    (bits(u, 19, 12) << 12) | (rd << 7) | 0x6f;
}
function rType(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

const OP_LOAD: u32 = 0x03;
const OP_LOAD_FP: u32 = 0x07;
const OP_IMM: u32 = 0x13;
const OP_IMM_32: u32 = 0x1b;
const OP_STORE: u32 = 0x23;
const OP_STORE_FP: u32 = 0x27;
const OP: u32 = 0x33;
const OP_LUI: u32 = 0x37;
const OP_32: u32 = 0x3b;
const OP_JALR: u32 = 0x67;
const EBREAK: u32 = 0x00100073;

// Expands one 16-bit parcel (low two bits not 11). Returns 0 if illegal.
export function expand(c: u32): u32 {
  const op = c & 3;
  const f3 = bits(c, 15, 13);
  const rdFull = bits(c, 11, 7);
  const rs2Full = bits(c, 6, 2);
  const rdP = bits(c, 4, 2) + 8; // rd' / rs2' in quadrant 0 and 1
  const rs1P = bits(c, 9, 7) + 8;
  if (op == 0) {
    // Offsets of C.LW/C.SW and of C.LD/C.SD/C.FLD/C.FSD.
    const offW = (bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6);
    const offD = (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
    switch (f3) {
      case 0: {
        const imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 3);
        if (imm == 0) return 0; // includes the all-zero parcel
        return iType(imm, 2, 0, rdP, OP_IMM); // c.addi4spn
      }
      case 1: return iType(offD, rs1P, 3, rdP, OP_LOAD_FP); // c.fld
      case 2: return iType(offW, rs1P, 2, rdP, OP_LOAD); // c.lw
      case 3: return iType(offD, rs1P, 3, rdP, OP_LOAD); // c.ld
      case 5: return sType(offD, rdP, rs1P, 3, OP_STORE_FP); // c.fsd
      case 6: return sType(offW, rdP, rs1P, 2, OP_STORE); // c.sw
      case 7: return sType(offD, rdP, rs1P, 3, OP_STORE); // c.sd
      default: return 0;
    }
  }
  if (op == 1) {
    const imm6 = sext((bits(c, 12, 12) << 5) | bits(c, 6, 2), 6);
    switch (f3) {
      case 0: return iType(imm6, rdFull, 0, rdFull, OP_IMM); // c.addi / c.nop
      case 1:
        if (rdFull == 0) return 0;
        return iType(imm6, rdFull, 0, rdFull, OP_IMM_32); // c.addiw
      case 2: return iType(imm6, 0, 0, rdFull, OP_IMM); // c.li
      case 3: {
        if (rdFull == 2) {
          const imm = sext(
            (bits(c, 12, 12) << 9) | (bits(c, 6, 6) << 4) | (bits(c, 5, 5) << 6) |
              (bits(c, 4, 3) << 7) | (bits(c, 2, 2) << 5),
            10,
          );
          if (imm == 0) return 0;
          return iType(imm, 2, 0, 2, OP_IMM); // c.addi16sp
        }
        if (imm6 == 0) return 0;
        return ((<u32>imm6 & 0xfffff) << 12) | (rdFull << 7) | OP_LUI; // c.lui
      }
      case 4: {
        const shamt = (bits(c, 12, 12) << 5) | bits(c, 6, 2);
        switch (bits(c, 11, 10)) {
          case 0: return iType(shamt, rs1P, 5, rs1P, OP_IMM); // c.srli
          case 1: return iType(shamt | 0x400, rs1P, 5, rs1P, OP_IMM); // c.srai
          case 2: return iType(imm6, rs1P, 7, rs1P, OP_IMM); // c.andi
          default: {
            const sel = bits(c, 6, 5);
            if (bits(c, 12, 12) == 0) {
              if (sel == 0) return rType(0x20, rdP, rs1P, 0, rs1P, OP); // c.sub
              if (sel == 1) return rType(0, rdP, rs1P, 4, rs1P, OP); // c.xor
              if (sel == 2) return rType(0, rdP, rs1P, 6, rs1P, OP); // c.or
              return rType(0, rdP, rs1P, 7, rs1P, OP); // c.and
            }
            if (sel == 0) return rType(0x20, rdP, rs1P, 0, rs1P, OP_32); // c.subw
            if (sel == 1) return rType(0, rdP, rs1P, 0, rs1P, OP_32); // c.addw
            return 0;
          }
        }
      }
      case 5: {
        const off = sext(
          (bits(c, 12, 12) << 11) | (bits(c, 11, 11) << 4) | (bits(c, 10, 9) << 8) |
            (bits(c, 8, 8) << 10) | (bits(c, 7, 7) << 6) | (bits(c, 6, 6) << 7) |
            (bits(c, 5, 3) << 1) | (bits(c, 2, 2) << 5),
          12,
        );
        return jType(off, 0); // c.j
      }
      default: {
        const off = sext(
          (bits(c, 12, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) |
            (bits(c, 4, 3) << 1) | (bits(c, 2, 2) << 5),
          9,
        );
        return bType(off, 0, rs1P, f3 == 6 ? 0 : 1); // c.beqz / c.bnez
      }
    }
  }
  if (op == 2) {
    switch (f3) {
      case 0: {
        const shamt = (bits(c, 12, 12) << 5) | bits(c, 6, 2);
        return iType(shamt, rdFull, 1, rdFull, OP_IMM); // c.slli
      }
      case 1: {
        const off = (bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
        return iType(off, 2, 3, rdFull, OP_LOAD_FP); // c.fldsp
      }
      case 2: {
        if (rdFull == 0) return 0;
        const off = (bits(c, 12, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
        return iType(off, 2, 2, rdFull, OP_LOAD); // c.lwsp
      }
      case 3: {
        if (rdFull == 0) return 0;
        const off = (bits(c, 12, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
        return iType(off, 2, 3, rdFull, OP_LOAD); // c.ldsp
      }
      case 4: {
        if (bits(c, 12, 12) == 0) {
          if (rs2Full == 0) {
            if (rdFull == 0) return 0;
            return iType(0, rdFull, 0, 0, OP_JALR); // c.jr
          }
          return rType(0, rs2Full, 0, 0, rdFull, OP); // c.mv
        }
        if (rs2Full == 0) {
          if (rdFull == 0) return EBREAK; // c.ebreak
          return iType(0, rdFull, 0, 1, OP_JALR); // c.jalr
        }
        return rType(0, rs2Full, rdFull, 0, rdFull, OP); // c.add
      }
      case 5: {
        const off = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
        return sType(off, rs2Full, 2, 3, OP_STORE_FP); // c.fsdsp
      }
      case 6: {
        const off = (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
        return sType(off, rs2Full, 2, 2, OP_STORE); // c.swsp
      }
      default: {
        const off = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
        return sType(off, rs2Full, 2, 3, OP_STORE); // c.sdsp
      }
    }
  }
  return 0;
}

export function buildRvcTable(): void {
  for (let c: u32 = 0; c < 0x10000; c++) {
    store<u32>(RVC_TABLE + (c << 2), (c & 3) == 3 ? 0 : expand(c));
  }
}
