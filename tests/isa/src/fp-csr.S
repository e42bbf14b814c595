# Floating-point control and status: fcsr/frm/fflags CSR access and the
# pseudo-instructions over them, accrued flags, dynamic rounding through
# frm, static rm overriding frm, reserved rounding modes (static or via frm)
# are illegal, and mstatus.FS: Off makes every FP instruction and FP CSR
# access illegal (mtval = the instruction), writes make FS Dirty and set SD.
#define TEST_NAME "fp-csr"
#include "harness.h"
#include "fp.h"

#define SD_BIT 0x8000000000000000

test_main:
  csrw fcsr, zero
  CHECK_CSR 1, fcsr, 0
  csrwi frm, 3
  CHECK_CSR 2, fcsr, 0x60
  CHECK_CSR 3, frm, 3
  CHECK_CSR 4, fflags, 0
  csrwi fflags, 0x1f
  CHECK_CSR 5, fcsr, 0x7f
  li a1, 0xa5
  csrw fcsr, a1
  CHECK_CSR 6, frm, 5
  CHECK_CSR 7, fflags, 5
  csrci fcsr, 0x1
  CHECK_CSR 8, fcsr, 0xa4
  csrsi fflags, 0x10
  CHECK_CSR 9, fcsr, 0xb4
  # pseudo-instructions
  li a1, 2
  fsrm a0, a1                    # swap frm
  CHECK 10, a0, 5
  frrm a0
  CHECK 11, a0, 2
  li a1, 0x3
  fsflags a0, a1                 # swap fflags
  CHECK 12, a0, 0x14
  frflags a0
  CHECK 13, a0, 3
  frcsr a0
  CHECK 14, a0, 0x43
  fscsr a0, zero                 # swap fcsr
  CHECK 15, a0, 0x43
  frcsr a0
  CHECK 16, a0, 0

  # flags accrue until cleared; flagless instructions leave them alone
  FLI_S fa1, 0x3f800000
  fmv.w.x fa2, zero
  fdiv.s fa0, fa1, fa2           # DZ
  FLI_S fa2, 0x33800000
  fadd.s fa0, fa1, fa2           # NX
  fsgnj.s fa0, fa1, fa2
  fmv.x.w a0, fa0
  CHECK_CSR 17, fflags, DZ|NX
  fadd.s fa0, fa1, fa1           # exact: adds nothing
  CHECK_FFLAGS 18, DZ|NX
  CHECK_CSR 19, fflags, 0

  # dynamic rounding mode from frm
  csrwi frm, 3                   # RUP
  FLI_S fa1, 0x3f800000
  FLI_S fa2, 0x33800000
  fadd.s fa0, fa1, fa2
  CHECK_FS 20, fa0, 0x3f800001
  fadd.s fa0, fa1, fa2, dyn
  CHECK_FS 21, fa0, 0x3f800001
  fadd.s fa0, fa1, fa2, rne      # a static mode wins over frm
  CHECK_FS 22, fa0, 0x3f800000
  csrwi frm, 2                   # RDN
  FLI_D fa1, 0xbff0000000000000
  FLI_D fa2, 0xbca0000000000000
  fadd.d fa0, fa1, fa2
  CHECK_FBITS 23, fa0, 0xbff0000000000001
  csrwi frm, 4                   # RMM
  FLI_S fa1, 0x40200000          # 2.5
  fcvt.w.s a0, fa1
  CHECK 24, a0, 3
  csrwi frm, 1                   # RTZ
  FLI_S fa1, 0x3f800000
  FLI_S fa2, 0x40400000
  fdiv.s fa0, fa1, fa2
  CHECK_FS 25, fa0, 0x3eaaaaaa
  csrwi frm, 0                   # RNE
  fdiv.s fa0, fa1, fa2
  CHECK_FS 26, fa0, 0x3eaaaaab
  csrw fflags, zero

  # reserved rounding modes
  csrwi frm, 5
  TEST_ILLEGAL 27, fadd.s fa0, fa1, fa2
  TEST_ILLEGAL 28, fcvt.w.d a0, fa1
  TEST_NO_TRAP 29, fadd.s fa0, fa1, fa2, rtz        # static mode: frm not used
  TEST_NO_TRAP 30, fsgnj.d fa0, fa1, fa2            # no rounding at all
  csrwi frm, 6
  TEST_ILLEGAL 31, fmadd.d fa0, fa1, fa2, fa3
  csrwi frm, 7
  TEST_ILLEGAL 32, fsqrt.s fa0, fa1
  csrwi frm, 0
  TEST_ILLEGAL 33, .word 0x00c5d553                 # fadd.s fa0, fa1, fa2 with rm = 5
  TEST_ILLEGAL 34, .word 0x02c5e553                 # fadd.d fa0, fa1, fa2 with rm = 6
  csrw fcsr, zero

  # mstatus.FS
  li s1, MSTATUS_FS
  csrc mstatus, s1               # Off
  csrr a0, mstatus
  and a0, a0, s1
  CHECK 35, a0, 0
  la s0, fpbuf
  TEST_ILLEGAL 36, fadd.s fa0, fa1, fa2
  TEST_ILLEGAL 37, fadd.d fa0, fa1, fa2
  TEST_ILLEGAL 38, flw fa0, 0(s0)
  TEST_ILLEGAL 39, fsw fa0, 0(s0)
  TEST_ILLEGAL 40, fld fa0, 0(s0)
  TEST_ILLEGAL 41, fsd fa0, 0(s0)
  TEST_ILLEGAL 42, fmv.x.w a0, fa0
  TEST_ILLEGAL 43, fmv.d.x fa0, a0
  TEST_ILLEGAL 44, fcvt.s.w fa0, a0
  TEST_ILLEGAL 45, feq.d a0, fa0, fa1
  TEST_ILLEGAL 46, fclass.s a0, fa0
  TEST_ILLEGAL 47, fmadd.s fa0, fa1, fa2, fa3
  TEST_ILLEGAL 48, fsgnj.d fa0, fa1, fa1
  TEST_ILLEGAL 49, csrr a0, fcsr
  TEST_ILLEGAL 50, csrw frm, zero
  TEST_ILLEGAL 51, csrr a0, fflags
  TEST_ILLEGAL 52, csrsi fflags, 1
  # Initial -> Dirty (and SD) on a write of FP state
  li s2, MSTATUS_FS_INITIAL
  csrs mstatus, s2
  csrr a0, mstatus
  and a0, a0, s1
  CHECK 53, a0, MSTATUS_FS_INITIAL
  csrr a0, mstatus
  srli a0, a0, 63
  CHECK 54, a0, 0
  fmv.w.x fa0, zero
  csrr a0, mstatus
  and a0, a0, s1
  CHECK 55, a0, MSTATUS_FS_DIRTY
  csrr a0, mstatus
  srli a0, a0, 63
  CHECK 56, a0, 1
  csrr a0, sstatus               # the S-mode view shows FS and SD too
  and a1, a0, s1
  CHECK 57, a1, MSTATUS_FS_DIRTY
  srli a0, a0, 63
  CHECK 58, a0, 1
  # Clean -> Dirty on an fflags write
  csrc mstatus, s1
  li s2, MSTATUS_FS_CLEAN
  csrs mstatus, s2
  csrr a0, mstatus
  and a0, a0, s1
  CHECK 59, a0, MSTATUS_FS_CLEAN
  csrr a0, mstatus
  srli a0, a0, 63
  CHECK 60, a0, 0
  csrwi fflags, 1
  csrr a0, mstatus
  and a0, a0, s1
  CHECK 61, a0, MSTATUS_FS_DIRTY
  # Clean -> Dirty on a load into an FP register
  csrc mstatus, s1
  csrs mstatus, s2
  flw fa0, 0(s0)
  csrr a0, mstatus
  and a0, a0, s1
  CHECK 62, a0, MSTATUS_FS_DIRTY
  # the FS field can be switched off and on through sstatus as well
  csrc sstatus, s1
  csrr a0, mstatus
  and a0, a0, s1
  CHECK 63, a0, 0
  TEST_ILLEGAL 64, fmv.w.x fa0, zero
  li s2, MSTATUS_FS_DIRTY
  csrs sstatus, s2
  TEST_NO_TRAP 65, fmv.w.x fa0, zero
  csrw fcsr, zero
  PASS

  .data
  .align 3
fpbuf: .dword 0x3f8000003f800000
