# RV64F: single-precision arithmetic, fused multiply-add, sign injection,
# min/max (NaN and signed-zero rules), comparisons (quiet vs signalling),
# fclass, every int<->single conversion with static rounding modes and
# saturation, exception flags per instruction, flw/fsw and fmv.* and the
# NaN-boxing rules (results boxed, unboxed inputs read as the canonical NaN,
# fmv.x.w / fsw move the low 32 bits untouched).
#define TEST_NAME "rv64f"
#include "harness.h"
#include "fp.h"

#define ONE    0x3f800000
#define TWO    0x40000000
#define THREE  0x40400000
#define FOUR   0x40800000
#define SIX    0x40c00000
#define HALF   0x3f000000
#define ONEP5  0x3fc00000
#define TWOP5  0x40200000
#define MONE   0xbf800000
#define MONEP5 0xbfc00000
#define EPS24  0x33800000      /* 2^-24: half an ulp of 1.0 */
#define PINF   0x7f800000
#define NINF   0xff800000
#define QNAN   0x7fc00000      /* the canonical NaN */
#define SNAN   0x7f800001
#define MAX    0x7f7fffff
#define MINN   0x00800000
#define MINSUB 0x00000001
#define NZERO  0x80000000

test_main:
  # fadd.s, including every rounding mode on a tie and on overflow
  TF_RR_S  1, fadd.s, THREE, 0, ONE, TWO
  TF_RR_S  2, fadd.s, 0x3f800000, NX, ONE, EPS24, rne
  TF_RR_S  3, fadd.s, 0x3f800001, NX, ONE, EPS24, rup
  TF_RR_S  4, fadd.s, 0x3f800000, NX, ONE, EPS24, rdn
  TF_RR_S  5, fadd.s, 0x3f800000, NX, ONE, EPS24, rtz
  TF_RR_S  6, fadd.s, 0x3f800001, NX, ONE, EPS24, rmm
  TF_RR_S  7, fadd.s, 0xbf800001, NX, MONE, 0xb3800000, rdn
  TF_RR_S  8, fadd.s, 0xbf800000, NX, MONE, 0xb3800000, rup
  TF_RR_S  9, fadd.s, 0xbf800001, NX, MONE, 0xb3800000, rmm
  TF_RR_S 10, fadd.s, 0xbf800000, NX, MONE, 0xb3800000, rtz
  TF_RR_S 11, fadd.s, QNAN, NV, PINF, NINF
  TF_RR_S 12, fadd.s, PINF, OF|NX, MAX, MAX, rne
  TF_RR_S 13, fadd.s, MAX, OF|NX, MAX, MAX, rtz
  TF_RR_S 14, fadd.s, MAX, OF|NX, MAX, MAX, rdn
  TF_RR_S 15, fadd.s, PINF, OF|NX, MAX, MAX, rup
  TF_RR_S 16, fadd.s, QNAN, NV, SNAN, ONE
  TF_RR_S 17, fadd.s, QNAN, 0, 0x7fc12345, ONE          # NaN payloads are not propagated
  TF_RR_S 18, fadd.s, 0, 0, ONE, MONE, rne
  TF_RR_S 19, fadd.s, NZERO, 0, ONE, MONE, rdn          # exact zero sum is -0 only when rounding down
  TF_RR_S 20, fadd.s, NZERO, 0, NZERO, NZERO
  TF_RR_S 21, fadd.s, 0, 0, 0, NZERO
  TF_RR_S 22, fadd.s, PINF, 0, PINF, ONE
  # fsub.s
  TF_RR_S 23, fsub.s, TWO, 0, THREE, ONE
  TF_RR_S 24, fsub.s, QNAN, NV, PINF, PINF
  TF_RR_S 25, fsub.s, 0x3f7fffff, 0, ONE, EPS24
  TF_RR_S 26, fsub.s, NZERO, 0, NZERO, 0
  # fmul.s
  TF_RR_S 27, fmul.s, SIX, 0, TWO, THREE
  TF_RR_S 28, fmul.s, 0xc0c00000, 0, 0xc0000000, THREE
  TF_RR_S 29, fmul.s, QNAN, NV, 0, PINF
  TF_RR_S 30, fmul.s, 0x00400000, 0, MINN, HALF          # exact subnormal: no underflow flag
  TF_RR_S 31, fmul.s, 0, UF|NX, MINSUB, HALF
  TF_RR_S 32, fmul.s, PINF, OF|NX, MAX, TWO
  TF_RR_S 33, fmul.s, MINSUB, UF|NX, MINSUB, HALF, rup
  TF_RR_S 34, fmul.s, NZERO, 0, NZERO, ONE
  # fdiv.s
  TF_RR_S 35, fdiv.s, 0x3eaaaaab, NX, ONE, THREE, rne
  TF_RR_S 36, fdiv.s, 0x3eaaaaaa, NX, ONE, THREE, rtz
  TF_RR_S 37, fdiv.s, 0x3eaaaaaa, NX, ONE, THREE, rdn
  TF_RR_S 38, fdiv.s, 0x3eaaaaab, NX, ONE, THREE, rup
  TF_RR_S 39, fdiv.s, PINF, DZ, ONE, 0
  TF_RR_S 40, fdiv.s, NINF, DZ, MONE, 0
  TF_RR_S 41, fdiv.s, QNAN, NV, 0, 0
  TF_RR_S 42, fdiv.s, THREE, 0, SIX, TWO
  TF_RR_S 43, fdiv.s, QNAN, NV, PINF, PINF
  TF_RR_S 44, fdiv.s, 0, 0, ONE, PINF
  # fsqrt.s
  TF_R_S 45, fsqrt.s, TWO, 0, FOUR
  TF_R_S 46, fsqrt.s, 0x3fb504f3, NX, TWO
  TF_R_S 47, fsqrt.s, QNAN, NV, MONE
  TF_R_S 48, fsqrt.s, NZERO, 0, NZERO
  TF_R_S 49, fsqrt.s, PINF, 0, PINF
  TF_R_S 50, fsqrt.s, 0x3fb504f4, NX, TWO, rup
  # fused multiply-add family
  TF_RRR_S 51, fmadd.s, 0x40a00000, 0, ONE, TWO, THREE
  TF_RRR_S 52, fmsub.s, MONE, 0, ONE, TWO, THREE
  TF_RRR_S 53, fnmsub.s, ONE, 0, ONE, TWO, THREE
  TF_RRR_S 54, fnmadd.s, 0xc0a00000, 0, ONE, TWO, THREE
  # (1+2^-12)^2 - (1+2^-11) = 2^-24 exactly, only without intermediate rounding
  TF_RRR_S 55, fmadd.s, 0x33800000, 0, 0x3f800800, 0x3f800800, 0xbf801000
  TF_RRR_S 56, fmadd.s, QNAN, NV, PINF, 0, QNAN          # inf * 0 is invalid even with a quiet NaN addend
  TF_RRR_S 57, fmadd.s, QNAN, NV, ONE, ONE, SNAN
  TF_RRR_S 58, fmadd.s, QNAN, 0, QNAN, ONE, ONE
  TF_RRR_S 59, fmsub.s, PINF, OF|NX, MAX, TWO, ONE
  TF_RRR_S 60, fnmadd.s, NZERO, 0, ONE, 0, 0
  TF_RRR_S 61, fnmsub.s, 0, 0, ONE, 0, 0
  # sign injection never raises flags and keeps NaN payloads
  TF_RRN_S 62, fsgnj.s, MONE, 0, ONE, 0xc0000000
  TF_RRN_S 63, fsgnjn.s, ONE, 0, ONE, 0xc0000000
  TF_RRN_S 64, fsgnjx.s, ONE, 0, MONE, 0xc0000000
  TF_RRN_S 65, fsgnjx.s, MONE, 0, MONE, TWO
  TF_RRN_S 66, fsgnj.s, 0xffc00000, 0, QNAN, MONE
  TF_RRN_S 67, fsgnj.s, SNAN, 0, SNAN, ONE
  TF_RRN_S 68, fsgnjn.s, 0x80000001, 0, MINSUB, MINSUB
  # fmin / fmax: -0 < +0, one NaN -> the other operand, two NaNs -> canonical NaN
  TF_RRN_S 69, fmin.s, ONE, 0, ONE, TWO
  TF_RRN_S 70, fmax.s, TWO, 0, ONE, TWO
  TF_RRN_S 71, fmin.s, NZERO, 0, NZERO, 0
  TF_RRN_S 72, fmin.s, NZERO, 0, 0, NZERO
  TF_RRN_S 73, fmax.s, 0, 0, NZERO, 0
  TF_RRN_S 74, fmax.s, 0, 0, 0, NZERO
  TF_RRN_S 75, fmin.s, ONE, 0, QNAN, ONE
  TF_RRN_S 76, fmax.s, ONE, 0, ONE, QNAN
  TF_RRN_S 77, fmin.s, ONE, NV, SNAN, ONE
  TF_RRN_S 78, fmin.s, QNAN, 0, 0x7fc00005, 0xffc00000
  TF_RRN_S 79, fmax.s, QNAN, NV, SNAN, QNAN
  TF_RRN_S 80, fmin.s, NINF, 0, NINF, MAX
  # comparisons: feq is quiet, flt/fle signal on any NaN
  TF_CMP_S 81, feq.s, 1, 0, ONE, ONE
  TF_CMP_S 82, feq.s, 0, 0, ONE, TWO
  TF_CMP_S 83, feq.s, 0, 0, QNAN, ONE
  TF_CMP_S 84, feq.s, 0, NV, SNAN, ONE
  TF_CMP_S 85, flt.s, 0, NV, QNAN, ONE
  TF_CMP_S 86, fle.s, 0, NV, ONE, QNAN
  TF_CMP_S 87, flt.s, 1, 0, ONE, TWO
  TF_CMP_S 88, flt.s, 0, 0, TWO, ONE
  TF_CMP_S 89, fle.s, 1, 0, TWO, TWO
  TF_CMP_S 90, flt.s, 0, 0, NZERO, 0
  TF_CMP_S 91, fle.s, 1, 0, NZERO, 0
  TF_CMP_S 92, feq.s, 1, 0, NZERO, 0
  TF_CMP_S 93, flt.s, 1, 0, NINF, PINF
  # fclass.s
  TF_CLASS_S  94, 0x001, NINF
  TF_CLASS_S  95, 0x002, MONE
  TF_CLASS_S  96, 0x004, 0x80000001
  TF_CLASS_S  97, 0x008, NZERO
  TF_CLASS_S  98, 0x010, 0
  TF_CLASS_S  99, 0x020, MINSUB
  TF_CLASS_S 100, 0x040, ONE
  TF_CLASS_S 101, 0x080, PINF
  TF_CLASS_S 102, 0x100, SNAN
  TF_CLASS_S 103, 0x200, QNAN
  TF_CLASS_S 104, 0x200, 0xffc00000
  # fcvt.w.s
  TF_TOINT_S 105, fcvt.w.s, 2, NX, ONEP5, rne
  TF_TOINT_S 106, fcvt.w.s, 2, NX, TWOP5, rne
  TF_TOINT_S 107, fcvt.w.s, 3, NX, TWOP5, rmm
  TF_TOINT_S 108, fcvt.w.s, 2, NX, TWOP5, rtz
  TF_TOINT_S 109, fcvt.w.s, 2, NX, TWOP5, rdn
  TF_TOINT_S 110, fcvt.w.s, 3, NX, TWOP5, rup
  TF_TOINT_S 111, fcvt.w.s, -2, NX, MONEP5, rne
  TF_TOINT_S 112, fcvt.w.s, -1, NX, MONEP5, rtz
  TF_TOINT_S 113, fcvt.w.s, -2, NX, MONEP5, rdn
  TF_TOINT_S 114, fcvt.w.s, -1, NX, MONEP5, rup
  TF_TOINT_S 115, fcvt.w.s, -2, NX, MONEP5, rmm
  TF_TOINT_S 116, fcvt.w.s, 0x7fffffff, NV, QNAN
  TF_TOINT_S 117, fcvt.w.s, 0x7fffffff, NV, PINF
  TF_TOINT_S 118, fcvt.w.s, 0xffffffff80000000, NV, NINF
  TF_TOINT_S 119, fcvt.w.s, 0x7fffffff, NV, 0x4f32d05e    # 3e9
  TF_TOINT_S 120, fcvt.w.s, 0xffffffff80000000, 0, 0xcf000000
  TF_TOINT_S 121, fcvt.w.s, 0, 0, NZERO
  # fcvt.wu.s: the 32-bit result is sign-extended into the register
  TF_TOINT_S 122, fcvt.wu.s, 2, NX, ONEP5, rne
  TF_TOINT_S 123, fcvt.wu.s, 0, NV, MONE
  TF_TOINT_S 124, fcvt.wu.s, 0, NX, 0xbf000000, rtz       # -0.5 rounds to 0: representable
  TF_TOINT_S 125, fcvt.wu.s, 0xffffffffee6b2800, 0, 0x4f6e6b28   # 4e9
  TF_TOINT_S 126, fcvt.wu.s, 0xffffffffffffffff, NV, QNAN
  TF_TOINT_S 127, fcvt.wu.s, 0xffffffffffffffff, NV, 0x4f9502f9  # 5e9
  TF_TOINT_S 128, fcvt.wu.s, 0, NV, NINF
  # fcvt.l.s / fcvt.lu.s
  TF_TOINT_S 129, fcvt.l.s, 0x8000000000000000, 0, 0xdf000000
  TF_TOINT_S 130, fcvt.l.s, 0x7fffffffffffffff, NV, 0x5f000000
  TF_TOINT_S 131, fcvt.l.s, 0x7fffffffffffffff, NV, QNAN
  TF_TOINT_S 132, fcvt.l.s, 0x8000000000000000, NV, NINF
  TF_TOINT_S 133, fcvt.l.s, 10000000000, 0, 0x501502f9
  TF_TOINT_S 134, fcvt.l.s, -2, NX, 0xc0200000, rne
  TF_TOINT_S 135, fcvt.lu.s, 0, NV, MONE
  TF_TOINT_S 136, fcvt.lu.s, 0xffffffffffffffff, NV, 0x5f800000
  TF_TOINT_S 137, fcvt.lu.s, 0xd02ab50000000000, 0, 0x5f502ab5
  TF_TOINT_S 138, fcvt.lu.s, 0, 0, NZERO
  TF_TOINT_S 139, fcvt.lu.s, 0xffffffffffffffff, NV, PINF
  TF_TOINT_S 140, fcvt.lu.s, 0xffffffffffffffff, NV, QNAN
  # integer -> single
  TF_FROMINT_S 141, fcvt.s.w, MONE, 0, 0x12345678ffffffff   # only the low word counts
  TF_FROMINT_S 142, fcvt.s.w, 0x4b800000, NX, 16777217, rne
  TF_FROMINT_S 143, fcvt.s.w, 0x4b800001, NX, 16777217, rup
  TF_FROMINT_S 144, fcvt.s.w, 0x4f000000, NX, 0x7fffffff, rne
  TF_FROMINT_S 145, fcvt.s.w, 0x4effffff, NX, 0x7fffffff, rtz
  TF_FROMINT_S 146, fcvt.s.w, 0, 0, 0
  TF_FROMINT_S 147, fcvt.s.wu, 0x4f800000, NX, 0x12345678ffffffff, rne
  TF_FROMINT_S 148, fcvt.s.wu, 0x4f7fffff, NX, 0x12345678ffffffff, rdn
  TF_FROMINT_S 149, fcvt.s.wu, 0x4f000000, 0, 0x80000000
  TF_FROMINT_S 150, fcvt.s.l, 0xdf000000, 0, 0x8000000000000000
  TF_FROMINT_S 151, fcvt.s.l, MONE, 0, -1
  TF_FROMINT_S 152, fcvt.s.l, 0x501502f9, 0, 10000000000
  TF_FROMINT_S 153, fcvt.s.l, 0x5f000000, NX, 0x7fffffffffffffff, rne
  TF_FROMINT_S 154, fcvt.s.lu, 0x5f800000, NX, -1, rne
  TF_FROMINT_S 155, fcvt.s.lu, 0x5f7fffff, NX, -1, rtz
  TF_FROMINT_S 156, fcvt.s.lu, 0x5f000000, 0, 0x8000000000000000

  # moves, loads, stores and NaN-boxing
  li a1, 0x123456783f800000
  fmv.w.x fa0, a1                 # boxed: upper 32 bits all ones
  CHECK_FBITS 157, fa0, 0xffffffff3f800000
  FLI_S fa0, MONE
  fmv.x.w a0, fa0                 # sign-extended
  CHECK 158, a0, 0xffffffffbf800000
  FLI_S fa0, ONE
  fmv.x.w a0, fa0
  CHECK 159, a0, 0x3f800000
  la s0, fbuf
  flw fa0, 0(s0)
  CHECK_FBITS 160, fa0, 0xffffffffc0490fdb
  flw fa1, 4(s0)
  fsw fa1, 8(s0)
  fsw fa0, 12(s0)
  ld a0, 8(s0)
  CHECK 161, a0, 0xc0490fdb3f800000
  fmv.w.x fa2, zero
  CHECK_FBITS 162, fa2, 0xffffffff00000000
  # a single operand that is not properly boxed reads as the canonical NaN
  li a1, 0x000000003f800000
  fmv.d.x fa1, a1
  FLI_S fa2, ONE
  csrw fflags, zero
  fadd.s fa0, fa1, fa2
  CHECK_FS 163, fa0, QNAN
  CHECK_FFLAGS 163, 0             # a quiet NaN: no invalid flag
  FLI_S fa2, MONE
  fsgnj.s fa0, fa1, fa2
  CHECK_FS 164, fa0, 0xffc00000
  fclass.s a0, fa1
  CHECK 165, a0, 0x200
  FLI_S fa2, TWO
  fmin.s fa0, fa1, fa2
  CHECK_FS 166, fa0, TWO
  feq.s a0, fa1, fa1
  CHECK 167, a0, 0
  CHECK_FFLAGS 167, 0
  fcvt.w.s a0, fa1
  CHECK 168, a0, 0x7fffffff
  CHECK_FFLAGS 168, NV
  li a1, 0xfffffffe3f800000       # one box bit missing is enough
  fmv.d.x fa1, a1
  FLI_S fa2, ONE
  fmul.s fa0, fa1, fa2
  CHECK_FS 169, fa0, QNAN
  # ... but fmv.x.w and fsw move the low 32 bits untouched
  li a1, 0x000000003f800000
  fmv.d.x fa1, a1
  fmv.x.w a0, fa1
  CHECK 170, a0, 0x3f800000
  fsw fa1, 16(s0)
  lwu a0, 16(s0)
  CHECK 171, a0, 0x3f800000
  # single-precision ops write boxed results even into a register that held a double
  li a1, 0x4000000000000000
  fmv.d.x fa0, a1
  FLI_S fa1, ONE
  fadd.s fa0, fa1, fa1
  CHECK_FBITS 172, fa0, 0xffffffff40000000
  csrw fflags, zero
  PASS

  .data
  .align 3
fbuf:
  .word 0xc0490fdb, 0x3f800000, 0, 0, 0, 0
