# Zicntr: rdcycle / rdtime / rdinstret advance (QEMU without -icount derives
# cycle and instret from host time, so only "strictly increases" is tested),
# time matches the CLINT's mtime, mcycle/minstret are writable from M-mode,
# and the user counters are gated by mcounteren (for S and U) and
# scounteren (for U): a disabled counter read is an illegal instruction.
#define TEST_NAME "zicntr"
#include "harness.h"

.macro DELAY n
  li t0, \n
1:
  addi t0, t0, -1
  bnez t0, 1b
.endm

test_main:
  rdcycle s0
  rdinstret s1
  DELAY 100
  rdcycle s2
  rdinstret s3
  bgtu s2, s0, 1f
  FAIL 1
1:
  bgtu s3, s1, 2f
  FAIL 2
2:
  # at least the 200 loop instructions were retired
  sub a0, s3, s1
  li a1, 200
  bgeu a0, a1, 3f
  FAIL 3
3:
  # time: mtime <= rdtime <= mtime, read in that order
  li s4, CLINT_MTIME
  ld s0, 0(s4)
  rdtime s1
  ld s2, 0(s4)
  bgeu s1, s0, 4f
  FAIL 4
4:
  bgeu s2, s1, 5f
  FAIL 5
5:
  # time advances (give it up to ~1M loop iterations)
  rdtime s0
  li s2, 1000000
6:
  rdtime s1
  bne s1, s0, 7f
  addi s2, s2, -1
  bnez s2, 6b
  FAIL 6
7:
  bgtu s1, s0, 8f
  FAIL 7
8:
  # the M-mode names read the same counters
  csrr s0, mcycle
  rdcycle s1
  bgeu s1, s0, 9f
  FAIL 8
9:
  csrr s0, minstret
  rdinstret s1
  bgtu s1, s0, 10f
  FAIL 9
10:
  # mcycle / minstret are writable
  li s0, 0x100000000000
  csrw minstret, s0
  csrr s1, minstret
  sub a0, s1, s0
  li a1, 0x10000000
  bltu a0, a1, 11f
  FAIL 10
11:
  li s0, 0x200000000000
  csrw mcycle, s0
  csrr s1, mcycle
  sub a0, s1, s0
  bltu a0, a1, 12f
  FAIL 11
12:

  # ---- counter enables ----
  csrw mcounteren, zero
  csrw scounteren, zero
  GOTO_S s_none
s_none:
  TEST_ILLEGAL 12, rdcycle a0
  TEST_ILLEGAL 13, rdtime a0
  TEST_ILLEGAL 14, rdinstret a0
  SGOTO_U u_none
u_none:
  TEST_ILLEGAL 15, rdcycle a0
  TEST_ILLEGAL 16, rdtime a0
  TEST_ILLEGAL 17, rdinstret a0
  GOTO_M m_1
m_1:
  # mcounteren enables S; U still needs scounteren
  li a0, 7
  csrw mcounteren, a0
  CHECK_CSR 18, mcounteren, 7
  GOTO_S s_all
s_all:
  TEST_NO_TRAP 19, rdcycle a0
  TEST_NO_TRAP 20, rdtime a0
  TEST_NO_TRAP 21, rdinstret a0
  SGOTO_U u_still_none
u_still_none:
  TEST_ILLEGAL 22, rdcycle a0
  TEST_ILLEGAL 23, rdtime a0
  TEST_ILLEGAL 24, rdinstret a0
  GOTO_M m_2
m_2:
  # scounteren set by S-mode opens U
  GOTO_S s_open_u
s_open_u:
  li a0, 7
  csrw scounteren, a0
  CHECK_CSR 25, scounteren, 7
  SGOTO_U u_all
u_all:
  TEST_NO_TRAP 26, rdcycle a0
  TEST_NO_TRAP 27, rdtime a0
  TEST_NO_TRAP 28, rdinstret a0
  rdtime s0
  GOTO_M m_3
m_3:
  li s4, CLINT_MTIME
  ld s1, 0(s4)
  bgeu s1, s0, 13f               # U saw a time not in the future
  FAIL 29
13:
  # per-counter bits: mcounteren = CY only
  li a0, 1
  csrw mcounteren, a0
  GOTO_S s_cy
s_cy:
  TEST_NO_TRAP 30, rdcycle a0
  TEST_ILLEGAL 31, rdtime a0
  TEST_ILLEGAL 32, rdinstret a0
  SGOTO_U u_cy
u_cy:
  TEST_NO_TRAP 33, rdcycle a0
  TEST_ILLEGAL 34, rdtime a0
  TEST_ILLEGAL 35, rdinstret a0
  GOTO_M m_4
m_4:
  # scounteren = TM only, mcounteren = all: U reads only time
  li a0, 7
  csrw mcounteren, a0
  li a0, 2
  csrw scounteren, a0
  GOTO_U u_tm
u_tm:
  TEST_ILLEGAL 36, rdcycle a0
  TEST_NO_TRAP 37, rdtime a0
  TEST_ILLEGAL 38, rdinstret a0
  GOTO_M m_5
m_5:
  # scounteren alone does not help when mcounteren is clear
  csrw mcounteren, zero
  li a0, 7
  csrw scounteren, a0
  GOTO_U u_ir
u_ir:
  TEST_ILLEGAL 39, rdinstret a0
  GOTO_M m_6
m_6:
  # M-mode is never gated
  TEST_NO_TRAP 40, rdcycle a0
  TEST_NO_TRAP 41, rdtime a0
  TEST_NO_TRAP 42, rdinstret a0
  PASS
