// Instruction-level checks of the F/D executor (core/fpu.ts) compiled to
// wasm: decoding and illegal encodings, NaN-boxing, the rounding-mode field,
// integer-register results and flag accrual, against values worked out from
// the RISC-V Unprivileged ISA F and D chapters.

import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { instantiateSoftfloatTestEntry } from "../../../tests/support/softfloat-wasm.js";

const WASM = "build/fpu-test.wasm";
const X_BASE = 0x1000;
const F_BASE = 0x1100;

interface Exports {
  memory: WebAssembly.Memory;
  t_exec(inst: number): number;
  t_fflags(): number;
  t_set_fflags(v: number): void;
  t_set_frm(v: number): void;
}
let w: Exports;
let xregs: BigUint64Array;
let fregs: BigUint64Array;

beforeAll(() => {
  w = instantiateSoftfloatTestEntry(WASM) as unknown as Exports;
  xregs = new BigUint64Array(w.memory.buffer, X_BASE, 32);
  fregs = new BigUint64Array(w.memory.buffer, F_BASE, 32);
});

beforeEach(() => {
  xregs.fill(0n);
  fregs.fill(0n);
  w.t_set_fflags(0);
  w.t_set_frm(0);
});

const x = (r: number): bigint => xregs[r]!;
const f = (r: number): bigint => fregs[r]!;
const setX = (r: number, v: bigint): void => {
  xregs[r] = BigInt.asUintN(64, v);
};
const setF = (r: number, v: bigint): void => {
  fregs[r] = BigInt.asUintN(64, v);
};

const NX = 1,
  UF = 2,
  OF = 4,
  DZ = 8,
  NV = 16;
const S = 0,
  D = 1;
const BOX = 0xffffffff00000000n;
const QNAN_S = 0x7fc00000n;
const QNAN_D = 0x7ff8000000000000n;

const dv = new DataView(new ArrayBuffer(8));
const dbits = (v: number): bigint => {
  dv.setFloat64(0, v);
  return dv.getBigUint64(0);
};
const sbits = (v: number): bigint => {
  dv.setFloat32(0, v);
  return BigInt(dv.getUint32(0));
};
const boxed = (v: number): bigint => BOX | sbits(v);

// OP-FP: funct5 | fmt | rs2 | rs1 | rm | rd | 1010011
const opfp = (
  funct5: number,
  fmt: number,
  rs2: number,
  rs1: number,
  rm: number,
  rd: number,
): number =>
  ((funct5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x53) >>> 0;
// R4 (fused): rs3 | fmt | rs2 | rs1 | rm | rd | opcode
const r4 = (
  opcode: number,
  fmt: number,
  rs3: number,
  rs2: number,
  rs1: number,
  rm: number,
  rd: number,
): number =>
  ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) >>> 0;

const FADD = 0x00,
  FSUB = 0x01,
  FMUL = 0x02,
  FDIV = 0x03,
  FSGNJ = 0x04,
  FMINMAX = 0x05;
const FCVT_FF = 0x08,
  FSQRT = 0x0b,
  FCMP = 0x14,
  FCVT_IF = 0x18,
  FCVT_FI = 0x1a,
  FMV_X = 0x1c,
  FMV_F = 0x1e;
const FMADD = 0x43,
  FMSUB = 0x47,
  FNMSUB = 0x4b,
  FNMADD = 0x4f;

const exec = (inst: number): boolean => w.t_exec(inst) === 1;

describe("execFp: arithmetic and NaN-boxing", () => {
  it("fadd.s reads boxed operands and writes a boxed result", () => {
    setF(1, boxed(1.5));
    setF(2, boxed(2.25));
    expect(exec(opfp(FADD, S, 2, 1, 0, 3))).toBe(true);
    expect(f(3)).toBe(boxed(3.75));
    expect(w.t_fflags()).toBe(0);
  });

  it("an improperly boxed single reads as the canonical NaN (quiet: no NV)", () => {
    setF(1, sbits(1.5)); // upper half zero
    setF(2, boxed(1));
    setF(4, 0x7fffffff00000000n | sbits(1.5)); // one bit short of a box
    expect(exec(opfp(FMUL, S, 2, 1, 0, 3))).toBe(true);
    expect(f(3)).toBe(BOX | QNAN_S);
    expect(exec(opfp(FSUB, S, 4, 2, 0, 5))).toBe(true);
    expect(f(5)).toBe(BOX | QNAN_S);
    expect(w.t_fflags()).toBe(0);
  });

  it("fdiv.d, fsqrt.d and fsqrt.s", () => {
    setF(1, dbits(1));
    setF(2, dbits(4));
    expect(exec(opfp(FDIV, D, 2, 1, 0, 3))).toBe(true);
    expect(f(3)).toBe(dbits(0.25));
    expect(exec(opfp(FSQRT, D, 0, 2, 0, 4))).toBe(true);
    expect(f(4)).toBe(dbits(2));
    setF(5, boxed(2));
    expect(exec(opfp(FSQRT, S, 0, 5, 0, 6))).toBe(true);
    expect(f(6)).toBe(boxed(Math.fround(Math.SQRT2)));
    expect(w.t_fflags()).toBe(NX);
  });

  it("division by zero raises DZ, 0/0 raises NV", () => {
    setF(1, dbits(1));
    setF(2, dbits(0));
    expect(exec(opfp(FDIV, D, 2, 1, 0, 3))).toBe(true);
    expect(f(3)).toBe(dbits(Infinity));
    expect(w.t_fflags()).toBe(DZ);
    expect(exec(opfp(FDIV, D, 2, 2, 0, 3))).toBe(true);
    expect(f(3)).toBe(QNAN_D);
    expect(w.t_fflags()).toBe(DZ | NV);
  });

  it("fused multiply-add signs: fmadd, fmsub, fnmsub, fnmadd", () => {
    for (const fmt of [S, D]) {
      const v = fmt ? dbits : boxed;
      setF(1, v(2));
      setF(2, v(3));
      setF(3, v(1));
      const want: [number, number][] = [
        [FMADD, 7],
        [FMSUB, 5],
        [FNMSUB, -5],
        [FNMADD, -7],
      ];
      for (const [op, r] of want) {
        expect(exec(r4(op, fmt, 3, 2, 1, 0, 10))).toBe(true);
        expect(f(10)).toBe(v(r));
      }
    }
    expect(w.t_fflags()).toBe(0);
  });

  it("fnmadd negates before rounding: -(+0 * 1) - (+0) is -0, fnmsub gives +0", () => {
    setF(1, dbits(0));
    setF(2, dbits(1));
    setF(3, dbits(0));
    expect(exec(r4(FNMADD, D, 3, 2, 1, 0, 4))).toBe(true);
    expect(f(4)).toBe(dbits(-0));
    expect(exec(r4(FNMSUB, D, 3, 2, 1, 0, 4))).toBe(true);
    expect(f(4)).toBe(dbits(0));
  });

  it("fmadd is fused: one rounding", () => {
    // 0.1 * 10 - 1 is exactly 2^-54 with a single rounding (0 if rounded twice).
    setF(1, dbits(0.1));
    setF(2, dbits(10));
    setF(3, dbits(-1));
    expect(exec(r4(FMADD, D, 3, 2, 1, 0, 4))).toBe(true);
    expect(f(4)).toBe(dbits(2 ** -54));
    expect(w.t_fflags()).toBe(0);
  });
});

describe("execFp: rounding-mode field", () => {
  it("rm=7 uses frm; a static rm ignores it", () => {
    setF(1, dbits(1));
    setF(2, dbits(3));
    w.t_set_frm(3); // RUP
    expect(exec(opfp(FDIV, D, 2, 1, 7, 3))).toBe(true);
    expect(f(3)).toBe(0x3fd5555555555556n);
    expect(exec(opfp(FDIV, D, 2, 1, 1, 4))).toBe(true); // RTZ
    expect(f(4)).toBe(0x3fd5555555555555n);
    expect(w.t_fflags()).toBe(NX);
  });

  it("reserved rm values are illegal, statically or through frm, and change nothing", () => {
    setF(1, dbits(1));
    setF(2, dbits(3));
    setF(3, 0x1234n);
    w.t_set_fflags(UF);
    for (const rm of [5, 6]) expect(exec(opfp(FADD, D, 2, 1, rm, 3))).toBe(false);
    for (const frm of [5, 6, 7]) {
      w.t_set_frm(frm);
      expect(exec(opfp(FADD, D, 2, 1, 7, 3))).toBe(false);
      expect(exec(r4(FMADD, D, 2, 2, 1, 7, 3))).toBe(false);
      expect(exec(opfp(FCVT_FI, D, 0, 1, 7, 3))).toBe(false); // exact, but rm is still checked
      expect(exec(opfp(FCVT_IF, D, 0, 1, 7, 3))).toBe(false);
      // Instructions whose funct3 is not a rounding mode do not care.
      expect(exec(opfp(FSGNJ, D, 2, 1, 0, 4))).toBe(true);
      expect(exec(opfp(FMV_X, D, 0, 1, 1, 5))).toBe(true); // fclass.d
    }
    expect(f(3)).toBe(0x1234n);
    expect(w.t_fflags()).toBe(UF);
  });
});

describe("execFp: illegal encodings", () => {
  const illegal: [string, number][] = [
    ["fadd.h (fmt 2)", opfp(FADD, 2, 2, 1, 0, 3)],
    ["fadd.q (fmt 3)", opfp(FADD, 3, 2, 1, 0, 3)],
    ["fmadd.h", r4(FMADD, 2, 3, 2, 1, 0, 4)],
    ["unknown funct5 0x06", opfp(0x06, D, 2, 1, 0, 3)],
    ["unknown funct5 0x1f", opfp(0x1f, S, 0, 1, 0, 3)],
    ["fsqrt with rs2 != 0", opfp(FSQRT, D, 1, 1, 0, 3)],
    ["fsgnj funct3 3", opfp(FSGNJ, S, 2, 1, 3, 3)],
    ["fmin funct3 2", opfp(FMINMAX, D, 2, 1, 2, 3)],
    ["fcmp funct3 3", opfp(FCMP, D, 2, 1, 3, 3)],
    ["fcvt.s.s (rs2 0, fmt S)", opfp(FCVT_FF, S, 0, 1, 0, 3)],
    ["fcvt.d.d (rs2 1, fmt D)", opfp(FCVT_FF, D, 1, 1, 0, 3)],
    ["fcvt.s.h (rs2 2)", opfp(FCVT_FF, S, 2, 1, 0, 3)],
    ["fcvt.w.d with rs2 4", opfp(FCVT_IF, D, 4, 1, 0, 3)],
    ["fcvt.d.w with rs2 5", opfp(FCVT_FI, D, 5, 1, 0, 3)],
    ["fclass with rs2 != 0", opfp(FMV_X, D, 1, 1, 1, 3)],
    ["fmv.x.d funct3 2", opfp(FMV_X, D, 0, 1, 2, 3)],
    ["fmv.d.x funct3 1", opfp(FMV_F, D, 0, 1, 1, 3)],
    ["fmv.w.x with rs2 != 0", opfp(FMV_F, S, 1, 1, 0, 3)],
    ["not an FP opcode (add)", 0x002081b3],
  ];
  for (const [name, inst] of illegal) {
    it(name, () => {
      setF(3, 0x55n);
      setX(3, 0x66n);
      expect(exec(inst)).toBe(false);
      expect(f(3)).toBe(0x55n);
      expect(x(3)).toBe(0x66n);
      expect(w.t_fflags()).toBe(0);
    });
  }
});

describe("execFp: sign injection, min/max, compare, classify, moves", () => {
  it("fsgnj.s / fsgnjn.s / fsgnjx.s, with an unboxed input as the canonical NaN", () => {
    setF(1, boxed(-1.5));
    setF(2, boxed(2));
    expect(exec(opfp(FSGNJ, S, 2, 1, 0, 3))).toBe(true);
    expect(f(3)).toBe(boxed(1.5));
    expect(exec(opfp(FSGNJ, S, 2, 1, 1, 3))).toBe(true);
    expect(f(3)).toBe(boxed(-1.5));
    expect(exec(opfp(FSGNJ, S, 2, 1, 2, 3))).toBe(true);
    expect(f(3)).toBe(boxed(-1.5));
    setF(4, 0x3fc00000n); // unboxed
    expect(exec(opfp(FSGNJ, S, 2, 4, 1, 3))).toBe(true); // fsgnjn.s: sign of -(+2)
    expect(f(3)).toBe(BOX | 0xffc00000n);
    expect(w.t_fflags()).toBe(0);
  });

  it("fsgnj.d moves raw bits, even of a signalling NaN, without flags", () => {
    setF(1, 0x7ff0000000000001n);
    expect(exec(opfp(FSGNJ, D, 1, 1, 2, 3))).toBe(true); // fabs via fsgnjx rs1, rs1
    expect(f(3)).toBe(0x7ff0000000000001n);
    expect(exec(opfp(FSGNJ, D, 1, 1, 1, 3))).toBe(true); // fneg
    expect(f(3)).toBe(0xfff0000000000001n);
    expect(w.t_fflags()).toBe(0);
  });

  it("fmin/fmax: a signalling NaN yields the other operand with NV; -0 < +0", () => {
    setF(1, BOX | 0x7f800001n); // sNaN
    setF(2, boxed(1));
    expect(exec(opfp(FMINMAX, S, 2, 1, 0, 3))).toBe(true);
    expect(f(3)).toBe(boxed(1));
    expect(w.t_fflags()).toBe(NV);
    setF(4, dbits(-0));
    setF(5, dbits(0));
    expect(exec(opfp(FMINMAX, D, 4, 5, 0, 6))).toBe(true);
    expect(f(6)).toBe(dbits(-0));
    expect(exec(opfp(FMINMAX, D, 4, 5, 1, 6))).toBe(true);
    expect(f(6)).toBe(dbits(0));
    setF(7, QNAN_D | 1n);
    expect(exec(opfp(FMINMAX, D, 7, 7, 1, 6))).toBe(true);
    expect(f(6)).toBe(QNAN_D);
  });

  it("feq/flt/fle write 0/1 to x; quiet feq vs signalling flt on a quiet NaN", () => {
    setF(1, dbits(1));
    setF(2, dbits(2));
    setF(3, QNAN_D);
    expect(exec(opfp(FCMP, D, 2, 1, 1, 5))).toBe(true); // flt 1 < 2
    expect(x(5)).toBe(1n);
    expect(exec(opfp(FCMP, D, 1, 2, 0, 5))).toBe(true); // fle 2 <= 1
    expect(x(5)).toBe(0n);
    expect(exec(opfp(FCMP, D, 1, 1, 2, 5))).toBe(true); // feq 1 == 1
    expect(x(5)).toBe(1n);
    expect(exec(opfp(FCMP, D, 3, 1, 2, 5))).toBe(true);
    expect(x(5)).toBe(0n);
    expect(w.t_fflags()).toBe(0);
    expect(exec(opfp(FCMP, D, 3, 1, 1, 5))).toBe(true);
    expect(w.t_fflags()).toBe(NV);
  });

  it("never writes x0", () => {
    setF(1, dbits(1));
    setF(2, QNAN_D);
    expect(exec(opfp(FCMP, D, 1, 1, 2, 0))).toBe(true); // feq x0
    expect(exec(opfp(FCVT_IF, D, 0, 2, 0, 0))).toBe(true); // fcvt.w.d x0, NaN
    expect(exec(opfp(FMV_X, D, 0, 1, 0, 0))).toBe(true); // fmv.x.d x0
    expect(exec(opfp(FMV_X, D, 0, 1, 1, 0))).toBe(true); // fclass.d x0
    expect(x(0)).toBe(0n);
  });

  it("fclass, with an unboxed single classified as a quiet NaN", () => {
    const cases: [number, bigint, number][] = [
      [D, dbits(-Infinity), 0],
      [D, dbits(-1), 1],
      [D, dbits(-(2 ** -1074)), 2],
      [D, dbits(-0), 3],
      [D, dbits(0), 4],
      [D, dbits(2 ** -1030), 5],
      [D, dbits(1e300), 6],
      [D, dbits(Infinity), 7],
      [D, 0x7ff0000000000001n, 8],
      [D, QNAN_D, 9],
      [S, boxed(2 ** -140), 5],
      [S, BOX | 0xff800001n, 8],
      [S, sbits(1), 9],
    ];
    for (const [fmt, v, bit] of cases) {
      setF(1, v);
      expect(exec(opfp(FMV_X, fmt, 0, 1, 1, 5))).toBe(true);
      expect(x(5)).toBe(1n << BigInt(bit));
    }
  });

  it("fmv.x.w sign-extends the raw low word; fmv.w.x boxes; .d moves are raw", () => {
    setF(1, 0x1234567880000001n);
    expect(exec(opfp(FMV_X, S, 0, 1, 0, 5))).toBe(true);
    expect(x(5)).toBe(0xffffffff80000001n);
    setX(6, 0xdeadbeef3f800000n);
    expect(exec(opfp(FMV_F, S, 0, 6, 0, 2))).toBe(true);
    expect(f(2)).toBe(boxed(1));
    expect(exec(opfp(FMV_F, D, 0, 6, 0, 3))).toBe(true);
    expect(f(3)).toBe(0xdeadbeef3f800000n);
    expect(exec(opfp(FMV_X, D, 0, 3, 0, 7))).toBe(true);
    expect(x(7)).toBe(0xdeadbeef3f800000n);
  });
});

describe("execFp: conversions", () => {
  const toInt = (fmt: number, kind: number, v: bigint, rm = 0): [bigint, number] => {
    w.t_set_fflags(0);
    setF(1, v);
    expect(exec(opfp(FCVT_IF, fmt, kind, 1, rm, 5))).toBe(true);
    return [x(5), w.t_fflags()];
  };

  it("fcvt to integers saturate per the spec's table", () => {
    expect(toInt(D, 0, QNAN_D)).toEqual([0x7fffffffn, NV]);
    expect(toInt(D, 0, dbits(-Infinity))).toEqual([0xffffffff80000000n, NV]);
    expect(toInt(D, 0, dbits(Infinity))).toEqual([0x7fffffffn, NV]);
    expect(toInt(D, 1, QNAN_D)).toEqual([0xffffffffffffffffn, NV]);
    expect(toInt(D, 1, dbits(-0.5), 1)).toEqual([0n, NX]);
    expect(toInt(D, 1, dbits(-1))).toEqual([0n, NV]);
    expect(toInt(D, 2, dbits(-Infinity))).toEqual([0x8000000000000000n, NV]);
    expect(toInt(D, 2, dbits(2 ** 63))).toEqual([0x7fffffffffffffffn, NV]);
    expect(toInt(D, 3, dbits(2 ** 63))).toEqual([0x8000000000000000n, 0]);
    expect(toInt(D, 3, dbits(2 ** 64))).toEqual([0xffffffffffffffffn, NV]);
    expect(toInt(S, 0, boxed(-(2 ** 31)))).toEqual([0xffffffff80000000n, 0]);
    expect(toInt(S, 0, boxed(2 ** 31))).toEqual([0x7fffffffn, NV]);
  });

  it("32-bit results are sign-extended, also from fcvt.wu", () => {
    expect(toInt(S, 1, boxed(3e9))).toEqual([0xffffffffb2d05e00n, 0]);
    expect(toInt(D, 0, dbits(-2.5))).toEqual([0xfffffffffffffffen, NX]); // RNE: -2
    expect(toInt(D, 0, dbits(-2.5), 4)).toEqual([0xfffffffffffffffdn, NX]); // RMM: -3
    expect(toInt(D, 0, dbits(-2.5), 3)).toEqual([0xfffffffffffffffen, NX]); // RUP: -2
  });

  it("fcvt from integers reads only the low 32 bits for w/wu", () => {
    setX(1, 0x00000001ffffffffn);
    expect(exec(opfp(FCVT_FI, S, 0, 1, 0, 2))).toBe(true); // fcvt.s.w
    expect(f(2)).toBe(boxed(-1));
    expect(exec(opfp(FCVT_FI, S, 1, 1, 0, 2))).toBe(true); // fcvt.s.wu: 2^32-1 -> 2^32
    expect(f(2)).toBe(boxed(2 ** 32));
    expect(w.t_fflags()).toBe(NX);
    expect(exec(opfp(FCVT_FI, D, 2, 1, 0, 3))).toBe(true); // fcvt.d.l
    expect(f(3)).toBe(dbits(2 ** 33 - 1));
    setX(1, 0xffffffffffffffffn);
    expect(exec(opfp(FCVT_FI, D, 3, 1, 1, 3))).toBe(true); // fcvt.d.lu RTZ
    expect(f(3)).toBe(dbits(2 ** 64) - 1n);
    expect(exec(opfp(FCVT_FI, D, 2, 0, 0, 3))).toBe(true); // fcvt.d.l from x0
    expect(f(3)).toBe(0n);
  });

  it("fcvt.d.s and fcvt.s.d, with NaN-boxing on the single side", () => {
    setF(1, boxed(1.5));
    expect(exec(opfp(FCVT_FF, D, 0, 1, 0, 2))).toBe(true);
    expect(f(2)).toBe(dbits(1.5));
    setF(1, sbits(1.5)); // unboxed: canonical NaN in, canonical NaN out, no NV
    expect(exec(opfp(FCVT_FF, D, 0, 1, 0, 2))).toBe(true);
    expect(f(2)).toBe(QNAN_D);
    expect(w.t_fflags()).toBe(0);
    setF(3, dbits(1 / 3));
    expect(exec(opfp(FCVT_FF, S, 1, 3, 0, 4))).toBe(true);
    expect(f(4)).toBe(boxed(Math.fround(1 / 3)));
    setF(3, 0x7ff0000000000001n);
    expect(exec(opfp(FCVT_FF, S, 1, 3, 0, 4))).toBe(true);
    expect(f(4)).toBe(BOX | QNAN_S);
    expect(w.t_fflags()).toBe(NX | NV);
  });

  it("fflags accrue across instructions", () => {
    w.t_set_fflags(OF);
    setF(1, dbits(1));
    setF(2, dbits(3));
    expect(exec(opfp(FDIV, D, 2, 1, 0, 3))).toBe(true);
    expect(w.t_fflags()).toBe(OF | NX);
  });
});
