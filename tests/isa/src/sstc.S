# Sstc: the supervisor timer compare CSR stimecmp (0x14d) and menvcfg.STCE.
# M-mode always reaches stimecmp; S-mode needs mcounteren.TM and STCE, and
# U-mode never does. With STCE = 1, mip.STIP is read-only and says
# time >= stimecmp, which raises a supervisor timer interrupt; with STCE = 0
# it is the software-writable bit again. Checked against QEMU 7.2.
#define TEST_NAME "sstc"
#include "harness.h"

#define CSR_STIMECMP 0x14d
#define MENVCFG_STCE (1 << 63)
#define COUNTEREN_TM 2

test_main:
  # ---- access ----
  li a0, -1
  csrw CSR_STIMECMP, a0
  CHECK_CSR 1, CSR_STIMECMP, -1
  li a0, MENVCFG_STCE | 1
  csrw menvcfg, a0
  CHECK_CSR_MASK 2, menvcfg, MENVCFG_STCE | 1, MENVCFG_STCE | 1
  csrw menvcfg, zero
  li a0, COUNTEREN_TM
  csrw mcounteren, a0
  GOTO_S s_no_stce
s_no_stce:
  TEST_ILLEGAL 3, csrr a0, CSR_STIMECMP          # TM without STCE
  GOTO_M m_1
m_1:
  li a0, MENVCFG_STCE
  csrw menvcfg, a0
  csrw mcounteren, zero
  GOTO_S s_no_tm
s_no_tm:
  TEST_ILLEGAL 4, csrr a0, CSR_STIMECMP          # STCE without TM
  GOTO_M m_2
m_2:
  li a0, COUNTEREN_TM
  csrw mcounteren, a0
  GOTO_S s_both
s_both:
  TEST_NO_TRAP 5, csrr a0, CSR_STIMECMP
  li a0, -1
  TEST_NO_TRAP 6, csrw CSR_STIMECMP, a0
  li a0, 7
  csrw scounteren, a0
  SGOTO_U u_never
u_never:
  TEST_ILLEGAL 7, csrr a0, CSR_STIMECMP          # an S-level CSR
  GOTO_M m_3
m_3:
  # ---- STIP follows stimecmp while STCE = 1 ----
  CHECK_CSR_MASK 8, mip, MIP_STIP, 0
  csrr a0, time
  csrw CSR_STIMECMP, a0
  CHECK_CSR_MASK 9, mip, MIP_STIP, MIP_STIP
  li a0, MIP_STIP
  csrc mip, a0                                    # read-only now: no effect
  CHECK_CSR_MASK 10, mip, MIP_STIP, MIP_STIP
  li a0, -1
  csrw CSR_STIMECMP, a0
  CHECK_CSR_MASK 11, mip, MIP_STIP, 0
  li a0, MIP_STIP
  csrs mip, a0                                    # no effect either
  CHECK_CSR_MASK 12, mip, MIP_STIP, 0

  # ---- a supervisor timer interrupt, delegated, taken in S ----
  li a0, MIP_STIP
  csrw mideleg, a0
  csrw mie, a0
  CLEAR_TRAPS
  GOTO_S s_wait
s_wait:
  csrr s0, time
  addi s0, s0, 1000
  csrw CSR_STIMECMP, s0
  csrsi sstatus, MSTATUS_SIE
  li s3, 100000
1:
  wfi
  la t0, strap_rec
  ld t0, REC_COUNT(t0)
  bnez t0, 2f
  addi s3, s3, -1
  bnez s3, 1b
  FAIL 13
2:
  csrci sstatus, MSTATUS_SIE
  csrr s1, time
  CHECK_STRAP 14, REC_CAUSE, INTR_BIT | IRQ_STI
  bgeu s1, s0, 3f                                 # not before stimecmp
  FAIL 15
3:
  GOTO_M m_4
m_4:
  CHECK_TRAP 16, REC_COUNT, 0
  CHECK_CSR_MASK 17, mip, MIP_STIP, MIP_STIP      # still pending (level)

  # ---- STCE = 0: STIP is the software-writable bit again ----
  li a0, -1
  csrw CSR_STIMECMP, a0
  csrw menvcfg, zero
  CHECK_CSR_MASK 18, mip, MIP_STIP, 0
  li a0, MIP_STIP
  csrs mip, a0
  CHECK_CSR_MASK 19, mip, MIP_STIP, MIP_STIP
  csrc mip, a0
  CHECK_CSR_MASK 20, mip, MIP_STIP, 0
  PASS
