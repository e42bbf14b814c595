# Zicsr: csrrw/csrrs/csrrc and their immediate forms (old value returned,
# 5-bit zero-extended immediates), the "no write" rules (csrrs/csrrc with
# rs1 = x0 or uimm = 0 do not write, so they are fine on read-only CSRs;
# writes are illegal on read-only CSRs), writes to
# read-only CSRs and accesses to unimplemented CSRs are illegal with
# mtval = the instruction, and the privilege encoded in CSR numbers.
#define TEST_NAME "zicsr"
#include "harness.h"

test_main:
  csrr s11, mscratch            # the harness keeps a pointer here
  li a1, 0x0123456789abcdef
  csrrw a0, mscratch, a1
  csrrw a0, mscratch, zero
  CHECK 1, a0, 0x0123456789abcdef
  csrr a0, mscratch
  CHECK 2, a0, 0
  li a1, 0xf0f0
  csrw mscratch, a1
  li a2, 0x0ff0
  csrrs a0, mscratch, a2
  CHECK 3, a0, 0xf0f0
  csrr a0, mscratch
  CHECK 4, a0, 0xfff0
  li a2, 0xf00f
  csrrc a0, mscratch, a2
  CHECK 5, a0, 0xfff0
  csrr a0, mscratch
  CHECK 6, a0, 0x0ff0
  csrrwi a0, mscratch, 31       # zero-extended 5-bit immediate
  CHECK 7, a0, 0x0ff0
  csrr a0, mscratch
  CHECK 8, a0, 31
  csrrci a0, mscratch, 0x15
  CHECK 9, a0, 31
  csrr a0, mscratch
  CHECK 10, a0, 0x0a
  csrrsi a0, mscratch, 0x11
  CHECK 11, a0, 0x0a
  csrr a0, mscratch
  CHECK 12, a0, 0x1b
  csrsi mscratch, 0x4           # rd = x0 forms
  csrci mscratch, 0x1
  csrr a0, mscratch
  CHECK 13, a0, 0x1e
  li a0, -1
  csrrw a0, mscratch, a0        # rd = rs1: swap
  CHECK 14, a0, 0x1e
  csrr a0, mscratch
  CHECK 15, a0, -1
  csrrs a0, mscratch, zero      # rs1 = x0: plain read
  CHECK 16, a0, -1
  csrrc a0, mscratch, zero
  CHECK 17, a0, -1
  csrrsi a0, mscratch, 0
  csrrci a0, mscratch, 0
  CHECK 18, a0, -1
  li a1, 0x8000000000000000
  csrc mscratch, a1
  csrr a0, mscratch
  CHECK 19, a0, 0x7fffffffffffffff
  csrw mscratch, s11
  # sscratch is a full 64-bit register too
  csrr s10, sscratch
  li a1, 0xfedcba9876543210
  csrw sscratch, a1
  csrr a0, sscratch
  CHECK 20, a0, 0xfedcba9876543210
  csrw sscratch, s10

  # read-only CSRs: reads (including csrrs/csrrc with x0, uimm = 0) are fine
  csrr a0, mhartid
  CHECK 21, a0, 0
  TEST_NO_TRAP 22, csrrs a0, mhartid, zero
  TEST_NO_TRAP 23, csrrc a0, mvendorid, zero
  TEST_NO_TRAP 24, csrrsi a0, marchid, 0
  TEST_NO_TRAP 25, csrrci a0, mimpid, 0
  TEST_NO_TRAP 26, csrr a0, cycle
  TEST_NO_TRAP 27, csrr a0, instret
  TEST_NO_TRAP 28, csrr a0, time
  # ... but any write attempt is illegal
  TEST_ILLEGAL 29, csrw mhartid, zero
  # (the spec also makes csrrs/csrrc with rs1 != x0 holding 0 a write
  # attempt; QEMU 7.2 does not trap then, so that case is not tested)
  li a1, 1
  TEST_ILLEGAL 30, csrrs a0, mhartid, a1
  TEST_ILLEGAL 31, csrrc a0, mvendorid, a1
  TEST_ILLEGAL 32, csrrwi a0, marchid, 0
  TEST_ILLEGAL 33, csrrsi a0, mimpid, 1
  TEST_ILLEGAL 34, csrw cycle, zero
  TEST_ILLEGAL 35, csrw time, zero
  TEST_ILLEGAL 36, csrw instret, zero
  TEST_ILLEGAL 37, csrs cycle, a1
  # the destination is not written when the access traps
  li a0, 0x77
  TEST_ILLEGAL 38, csrrw a0, mhartid, zero
  CHECK 39, a0, 0x77
  # unimplemented CSRs
  TEST_ILLEGAL 40, csrr a0, 0x7c0
  TEST_ILLEGAL 41, csrw 0x7c0, zero
  TEST_ILLEGAL 42, csrr a0, 0x800
  TEST_ILLEGAL 43, csrr a0, 0xfc0

  # CSR numbers carry the lowest privilege that may access them
  GOTO_S in_s
in_s:
  TEST_NO_TRAP 44, csrr a0, sscratch
  TEST_ILLEGAL 45, csrr a0, mscratch
  TEST_ILLEGAL 46, csrw mstatus, zero
  TEST_ILLEGAL 47, csrr a0, mhartid
  SGOTO_U in_u
in_u:
  TEST_ILLEGAL 48, csrr a0, sscratch
  TEST_ILLEGAL 49, csrr a0, sstatus
  TEST_ILLEGAL 50, csrr a0, mstatus
  TEST_NO_TRAP 51, csrr a0, fcsr              # user-level CSR
  GOTO_M back_in_m
back_in_m:
  csrr a0, mscratch             # and M-mode CSRs work again
  CHECK_REG 52, a0, s11
  PASS
