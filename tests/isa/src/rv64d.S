# RV64D: double-precision arithmetic, fused multiply-add, sign injection,
# min/max, comparisons, fclass, int<->double and single<->double conversions
# with rounding modes, saturation and flags, fld/fsd, fmv.x.d / fmv.d.x, and
# the interaction with NaN-boxed singles.
#define TEST_NAME "rv64d"
#include "harness.h"
#include "fp.h"

#define ONE    0x3ff0000000000000
#define TWO    0x4000000000000000
#define THREE  0x4008000000000000
#define FOUR   0x4010000000000000
#define SIX    0x4018000000000000
#define HALF   0x3fe0000000000000
#define ONEP5  0x3ff8000000000000
#define TWOP5  0x4004000000000000
#define MONE   0xbff0000000000000
#define MONEP5 0xbff8000000000000
#define EPS53  0x3ca0000000000000    /* 2^-53: half an ulp of 1.0 */
#define PINF   0x7ff0000000000000
#define NINF   0xfff0000000000000
#define QNAN   0x7ff8000000000000
#define SNAN   0x7ff0000000000001
#define MAX    0x7fefffffffffffff
#define MINN   0x0010000000000000
#define MINSUB 0x0000000000000001
#define NZERO  0x8000000000000000

test_main:
  TF_RR_D  1, fadd.d, THREE, 0, ONE, TWO
  TF_RR_D  2, fadd.d, ONE, NX, ONE, EPS53, rne
  TF_RR_D  3, fadd.d, 0x3ff0000000000001, NX, ONE, EPS53, rup
  TF_RR_D  4, fadd.d, ONE, NX, ONE, EPS53, rdn
  TF_RR_D  5, fadd.d, ONE, NX, ONE, EPS53, rtz
  TF_RR_D  6, fadd.d, 0x3ff0000000000001, NX, ONE, EPS53, rmm
  TF_RR_D  7, fadd.d, 0xbff0000000000001, NX, MONE, 0xbca0000000000000, rdn
  TF_RR_D  8, fadd.d, MONE, NX, MONE, 0xbca0000000000000, rup
  TF_RR_D  9, fadd.d, QNAN, NV, PINF, NINF
  TF_RR_D 10, fadd.d, PINF, OF|NX, MAX, MAX
  TF_RR_D 11, fadd.d, MAX, OF|NX, MAX, MAX, rtz
  TF_RR_D 12, fadd.d, QNAN, NV, SNAN, ONE
  TF_RR_D 13, fadd.d, QNAN, 0, 0x7ff8000000012345, ONE
  TF_RR_D 14, fadd.d, NZERO, 0, ONE, MONE, rdn
  TF_RR_D 15, fadd.d, 0, 0, ONE, MONE, rne
  TF_RR_D 16, fsub.d, TWO, 0, THREE, ONE
  TF_RR_D 17, fsub.d, QNAN, NV, NINF, NINF
  TF_RR_D 18, fsub.d, 0x3fefffffffffffff, 0, ONE, EPS53
  TF_RR_D 19, fmul.d, SIX, 0, TWO, THREE
  TF_RR_D 20, fmul.d, QNAN, NV, PINF, 0
  TF_RR_D 21, fmul.d, 0x0008000000000000, 0, MINN, HALF
  TF_RR_D 22, fmul.d, 0, UF|NX, MINSUB, HALF
  TF_RR_D 23, fmul.d, MINSUB, UF|NX, MINSUB, HALF, rup
  TF_RR_D 24, fmul.d, NZERO, UF|NX, 0x8000000000000001, HALF, rne
  TF_RR_D 25, fmul.d, NINF, OF|NX, MAX, 0xc000000000000000
  TF_RR_D 26, fdiv.d, 0x3fd5555555555555, NX, ONE, THREE, rne
  TF_RR_D 27, fdiv.d, 0x3fd5555555555556, NX, ONE, THREE, rup
  TF_RR_D 28, fdiv.d, 0x3fd5555555555555, NX, ONE, THREE, rtz
  TF_RR_D 29, fdiv.d, PINF, DZ, ONE, 0
  TF_RR_D 30, fdiv.d, NINF, DZ, ONE, NZERO
  TF_RR_D 31, fdiv.d, QNAN, NV, 0, 0
  TF_RR_D 32, fdiv.d, THREE, 0, SIX, TWO
  TF_R_D 33, fsqrt.d, TWO, 0, FOUR
  TF_R_D 34, fsqrt.d, 0x3ff6a09e667f3bcd, NX, TWO, rne
  TF_R_D 35, fsqrt.d, 0x3ff6a09e667f3bcc, NX, TWO, rdn
  TF_R_D 36, fsqrt.d, QNAN, NV, MONE
  TF_R_D 37, fsqrt.d, NZERO, 0, NZERO
  TF_R_D 38, fsqrt.d, PINF, 0, PINF
  TF_RRR_D 39, fmadd.d, 0x4014000000000000, 0, ONE, TWO, THREE
  TF_RRR_D 40, fmsub.d, MONE, 0, ONE, TWO, THREE
  TF_RRR_D 41, fnmsub.d, ONE, 0, ONE, TWO, THREE
  TF_RRR_D 42, fnmadd.d, 0xc014000000000000, 0, ONE, TWO, THREE
  # (1+2^-27)^2 - (1+2^-26) = 2^-54 exactly, only without intermediate rounding
  TF_RRR_D 43, fmadd.d, 0x3c90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000
  TF_RRR_D 44, fmadd.d, QNAN, NV, 0, NINF, QNAN
  TF_RRR_D 45, fnmadd.d, QNAN, NV, ONE, ONE, SNAN
  TF_RRR_D 46, fnmadd.d, NZERO, 0, ONE, 0, 0
  TF_RRN_D 47, fsgnj.d, MONE, 0, ONE, NINF
  TF_RRN_D 48, fsgnjn.d, ONE, 0, ONE, NINF
  TF_RRN_D 49, fsgnjx.d, ONE, 0, MONE, NINF
  TF_RRN_D 50, fsgnjx.d, MONE, 0, MONE, PINF
  TF_RRN_D 51, fsgnj.d, 0xfff0000000000001, 0, SNAN, MONE
  TF_RRN_D 52, fmin.d, ONE, 0, ONE, TWO
  TF_RRN_D 53, fmax.d, TWO, 0, ONE, TWO
  TF_RRN_D 54, fmin.d, NZERO, 0, 0, NZERO
  TF_RRN_D 55, fmax.d, 0, 0, NZERO, 0
  TF_RRN_D 56, fmax.d, ONE, 0, QNAN, ONE
  TF_RRN_D 57, fmin.d, ONE, NV, ONE, SNAN
  TF_RRN_D 58, fmax.d, QNAN, 0, 0xfff8000000000001, 0x7ff8000000000002
  TF_RRN_D 59, fmin.d, QNAN, NV, SNAN, SNAN
  TF_CMP_D 60, feq.d, 1, 0, ONE, ONE
  TF_CMP_D 61, feq.d, 0, 0, QNAN, QNAN
  TF_CMP_D 62, feq.d, 0, NV, SNAN, ONE
  TF_CMP_D 63, flt.d, 0, NV, ONE, QNAN
  TF_CMP_D 64, fle.d, 0, NV, QNAN, ONE
  TF_CMP_D 65, flt.d, 1, 0, MONE, ONE
  TF_CMP_D 66, fle.d, 1, 0, NZERO, 0
  TF_CMP_D 67, flt.d, 0, 0, NZERO, 0
  TF_CMP_D 68, fle.d, 0, 0, TWO, ONE
  TF_CLASS_D 69, 0x001, NINF
  TF_CLASS_D 70, 0x002, MONE
  TF_CLASS_D 71, 0x004, 0x800fffffffffffff
  TF_CLASS_D 72, 0x008, NZERO
  TF_CLASS_D 73, 0x010, 0
  TF_CLASS_D 74, 0x020, 0x000fffffffffffff
  TF_CLASS_D 75, 0x040, MAX
  TF_CLASS_D 76, 0x080, PINF
  TF_CLASS_D 77, 0x100, 0x7ff7ffffffffffff
  TF_CLASS_D 78, 0x200, QNAN
  # double -> integer
  TF_TOINT_D 79, fcvt.w.d, 2, NX, TWOP5, rne
  TF_TOINT_D 80, fcvt.w.d, 3, NX, TWOP5, rmm
  TF_TOINT_D 81, fcvt.w.d, -1, NX, MONEP5, rtz
  TF_TOINT_D 82, fcvt.w.d, -2, NX, MONEP5, rdn
  TF_TOINT_D 83, fcvt.w.d, 0x7fffffff, NV, QNAN
  TF_TOINT_D 84, fcvt.w.d, 0x7fffffff, NV, 0x41e65a0bc0000000        # 3e9
  TF_TOINT_D 85, fcvt.w.d, 0xffffffff80000000, 0, 0xc1e0000000000000
  TF_TOINT_D 86, fcvt.w.d, 0xffffffff80000000, NX, 0xc1e0000000100000, rtz  # -2^31-0.5
  TF_TOINT_D 87, fcvt.w.d, 0x7fffffff, NX, 0x41dfffffffe00000, rtz          # 2^31-0.5
  TF_TOINT_D 88, fcvt.w.d, 0x7fffffff, NV, 0x41dfffffffe00000, rne          # rounds to 2^31
  TF_TOINT_D 89, fcvt.wu.d, 0xffffffffffffffff, 0, 0x41efffffffe00000      # 2^32-1, sign-extended
  TF_TOINT_D 90, fcvt.wu.d, 0xffffffffffffffff, NV, 0x41f0000000000000     # 2^32
  TF_TOINT_D 91, fcvt.wu.d, 0, NV, MONE
  TF_TOINT_D 92, fcvt.wu.d, 0, NX, 0xbfeccccccccccccd, rtz                # -0.9
  TF_TOINT_D 93, fcvt.l.d, 0x7fffffffffffffff, NV, 0x43e0000000000000
  TF_TOINT_D 94, fcvt.l.d, 0x8000000000000000, 0, 0xc3e0000000000000
  TF_TOINT_D 95, fcvt.l.d, 10000000000, 0, 0x4202a05f20000000
  TF_TOINT_D 96, fcvt.l.d, 0x8000000000000000, NV, NINF
  TF_TOINT_D 97, fcvt.l.d, 4, NX, 0x400921fb54442d18, rup                # pi
  TF_TOINT_D 98, fcvt.lu.d, 0xfffffffffffff800, 0, 0x43efffffffffffff
  TF_TOINT_D 99, fcvt.lu.d, 0xffffffffffffffff, NV, 0x43f0000000000000
  TF_TOINT_D 100, fcvt.lu.d, 0, NV, NINF
  TF_TOINT_D 101, fcvt.lu.d, 0xffffffffffffffff, NV, SNAN
  # integer -> double
  TF_FROMINT_D 102, fcvt.d.w, 0xc014000000000000, 0, 0xfffffffb
  TF_FROMINT_D 103, fcvt.d.w, 0x41dfffffffc00000, 0, 0x7fffffff
  TF_FROMINT_D 104, fcvt.d.wu, 0x41efffffffe00000, 0, 0xffffffffffffffff
  TF_FROMINT_D 105, fcvt.d.wu, 0, 0, 0xffffffff00000000
  TF_FROMINT_D 106, fcvt.d.l, 0x4340000000000000, NX, 0x20000000000001, rne
  TF_FROMINT_D 107, fcvt.d.l, 0x4340000000000001, NX, 0x20000000000001, rup
  TF_FROMINT_D 108, fcvt.d.l, 0xc3e0000000000000, 0, 0x8000000000000000
  TF_FROMINT_D 109, fcvt.d.lu, 0x43f0000000000000, NX, -1, rne
  TF_FROMINT_D 110, fcvt.d.lu, 0x43efffffffffffff, NX, -1, rtz
  TF_FROMINT_D 111, fcvt.d.lu, 0, 0, 0
  # double -> single (result NaN-boxed)
  FLI_D fa1, 0x3fd5555555555555
  fcvt.s.d fa0, fa1
  CHECK_FS 112, fa0, 0x3eaaaaab
  CHECK_FFLAGS 112, NX
  FLI_D fa1, 0x3fd5555555555555
  fcvt.s.d fa0, fa1, rtz
  CHECK_FS 113, fa0, 0x3eaaaaaa
  CHECK_FFLAGS 113, NX
  FLI_D fa1, MAX
  fcvt.s.d fa0, fa1
  CHECK_FS 114, fa0, 0x7f800000
  CHECK_FFLAGS 114, OF|NX
  FLI_D fa1, MAX
  fcvt.s.d fa0, fa1, rtz
  CHECK_FS 115, fa0, 0x7f7fffff
  CHECK_FFLAGS 115, OF|NX
  FLI_D fa1, SNAN
  fcvt.s.d fa0, fa1
  CHECK_FS 116, fa0, 0x7fc00000
  CHECK_FFLAGS 116, NV
  FLI_D fa1, 0xfff8000012345678
  fcvt.s.d fa0, fa1
  CHECK_FS 117, fa0, 0x7fc00000
  CHECK_FFLAGS 117, 0
  FLI_D fa1, 0x3690000000000000      # 2^-150: a tie between 0 and 2^-149
  fcvt.s.d fa0, fa1
  CHECK_FS 118, fa0, 0
  CHECK_FFLAGS 118, UF|NX
  FLI_D fa1, NINF
  fcvt.s.d fa0, fa1
  CHECK_FS 119, fa0, 0xff800000
  CHECK_FFLAGS 119, 0
  # single -> double (exact)
  FLI_S fa1, 0x3f800000
  fcvt.d.s fa0, fa1
  CHECK_FBITS 120, fa0, ONE
  CHECK_FFLAGS 120, 0
  FLI_S fa1, 0x00000001
  fcvt.d.s fa0, fa1
  CHECK_FBITS 121, fa0, 0x36a0000000000000
  CHECK_FFLAGS 121, 0
  FLI_S fa1, 0x7f800001
  fcvt.d.s fa0, fa1
  CHECK_FBITS 122, fa0, QNAN
  CHECK_FFLAGS 122, NV
  li a1, 0x3ff0000000000000          # not a boxed single: canonical NaN
  fmv.d.x fa1, a1
  fcvt.d.s fa0, fa1
  CHECK_FBITS 123, fa0, QNAN
  CHECK_FFLAGS 123, 0
  # moves, loads and stores
  li a1, 0x0123456789abcdef
  fmv.d.x fa0, a1
  fmv.x.d a0, fa0
  CHECK 124, a0, 0x0123456789abcdef
  la s0, dbuf
  fld fa1, 0(s0)
  CHECK_FBITS 125, fa1, 0x400921fb54442d18
  fsd fa0, 8(s0)
  ld a0, 8(s0)
  CHECK 126, a0, 0x0123456789abcdef
  fld fa2, 8(s0)
  fsd fa2, 16(s0)
  ld a0, 16(s0)
  CHECK 127, a0, 0x0123456789abcdef
  ld a0, 24(s0)
  CHECK 128, a0, 0x5555555555555555
  fmv.d.x fa3, zero
  CHECK_FBITS 129, fa3, 0
  # a boxed single is just a NaN when read as a double
  FLI_S fa1, 0x3f800000
  FLI_D fa2, ONE
  fadd.d fa0, fa1, fa2
  CHECK_FBITS 130, fa0, QNAN
  CHECK_FFLAGS 130, 0
  fclass.d a0, fa1
  CHECK 131, a0, 0x200
  csrw fflags, zero
  PASS

  .data
  .align 3
dbuf:
  .dword 0x400921fb54442d18, 0, 0, 0x5555555555555555
