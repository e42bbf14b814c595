# Exception delegation to S-mode: medeleg/mideleg writable bits, delegated
# exceptions from U and S land in the S handler with scause/sepc/stval and
# sstatus.SPP/SPIE/SIE set as the spec says, nothing reaches M, sret
# restores SIE and sets SPP to U, exceptions raised in M are never
# delegated, undelegated causes still go to M, stvec modes.
# QEMU specifics avoided: with its H extension it reports extra bits in
# medeleg/mideleg and lets medeleg[11] be set, so only the standard
# S-delegable bits are checked.
#define TEST_NAME "deleg-s"
#include "harness.h"

#define EDELEG_STD ((1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 12) | (1 << 13) | (1 << 15))
#define DELEGATED  ((1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_STORE_ACCESS) | (1 << CAUSE_FETCH_ACCESS))

test_main:
  li a0, -1
  csrw medeleg, a0
  CHECK_CSR_MASK 1, medeleg, EDELEG_STD, EDELEG_STD
  csrw medeleg, zero
  CHECK_CSR 2, medeleg, 0
  csrw mideleg, a0
  CHECK_CSR_MASK 3, mideleg, 0xaaa, 0x222     # SSI/STI/SEI delegable, M-level bits not
  csrw mideleg, zero
  CHECK_CSR_MASK 4, mideleg, 0xaaa, 0

  li a0, DELEGATED
  csrw medeleg, a0
  CLEAR_TRAPS
  # ---- ecall from U -> S ----
  GOTO_U 1f
1:
  EXPECT_STRAP 2f
  li t5, 0
3:
  ecall
  FAIL 5
2:
  CHECK_STRAP 6, REC_CAUSE, CAUSE_ECALL_U
  CHECK_STRAP_ADDR 7, REC_EPC, 3b
  CHECK_STRAP 8, REC_TVAL, 0
  CHECK_STRAP_STATUS 9, MSTATUS_SPP, 0
  CHECK_CSR 10, scause, CAUSE_ECALL_U
  CHECK_TRAP 11, REC_COUNT, 0                 # M saw nothing
  # ---- illegal instruction from U -> S, stval = the instruction ----
  SGOTO_U 4f
4:
  EXPECT_STRAP 5f
6:
  csrr a0, sstatus
  FAIL 12
5:
  CHECK_STRAP 13, REC_CAUSE, CAUSE_ILLEGAL
  CHECK_STRAP_INSN 14, 6b
  # ---- breakpoint from U -> S ----
  SGOTO_U 7f
7:
  EXPECT_STRAP 8f
9:
  ebreak
8:
  CHECK_STRAP 15, REC_CAUSE, CAUSE_BREAKPOINT
  CHECK_STRAP_ADDR 16, REC_EPC, 9b
  # ---- store access fault from U -> S ----
  SGOTO_U 10f
10:
  li s0, NOWHERE
  EXPECT_STRAP 11f
  sd zero, 16(s0)
11:
  CHECK_STRAP 17, REC_CAUSE, CAUSE_STORE_ACCESS
  CHECK_STRAP 18, REC_TVAL, NOWHERE + 16
  # ---- fetch access fault from U -> S: sepc = stval = target ----
  SGOTO_U 12f
12:
  EXPECT_STRAP 13f
  jr s0
13:
  CHECK_STRAP 19, REC_CAUSE, CAUSE_FETCH_ACCESS
  CHECK_STRAP 20, REC_EPC, NOWHERE
  CHECK_STRAP 21, REC_TVAL, NOWHERE
  # ---- load access fault from S -> S (SPP = 1) ----
  EXPECT_STRAP 14f
15:
  lw a0, 4(s0)
14:
  CHECK_STRAP 22, REC_CAUSE, CAUSE_LOAD_ACCESS
  CHECK_STRAP 23, REC_TVAL, NOWHERE + 4
  CHECK_STRAP_ADDR 24, REC_EPC, 15b
  CHECK_STRAP_STATUS 25, MSTATUS_SPP, MSTATUS_SPP
  # ---- SIE / SPIE on entry and after sret ----
  csrsi sstatus, MSTATUS_SIE     # no S interrupts are enabled in sie
  EXPECT_STRAP 16f
  lw a0, 0(s0)
16:
  CHECK_STRAP_STATUS 26, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE | MSTATUS_SPP
  # the handler's sret: SIE = SPIE = 1, SPIE = 1, SPP = U
  CHECK_CSR_MASK 27, sstatus, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE
  csrci sstatus, MSTATUS_SIE
  EXPECT_STRAP 17f
  lw a0, 0(s0)
17:
  CHECK_STRAP_STATUS 28, MSTATUS_SIE | MSTATUS_SPIE, 0
  CHECK_CSR_MASK 29, sstatus, MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SPIE
  # sret (to S, so the result can be read): SIE = SPIE, SPIE = 1, SPP = U
  li a0, MSTATUS_SPIE
  csrc sstatus, a0
  li a0, MSTATUS_SPP
  csrs sstatus, a0
  csrsi sstatus, MSTATUS_SIE
  la a0, 18f
  csrw sepc, a0
  sret
18:
  CHECK_CSR_MASK 30, sstatus, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE
  li a0, MSTATUS_SPIE | MSTATUS_SPP
  csrs sstatus, a0
  la a0, 19f
  csrw sepc, a0
  sret
19:
  CHECK_CSR_MASK 31, sstatus, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE
  csrci sstatus, MSTATUS_SIE
  GOTO_M 22f
22:
  CHECK_TRAP 32, REC_COUNT, 0

  # ---- ecall from S delegated through medeleg[9] ----
  # (the harness' GOTO_M needs an undelegated ecall, so ebreak returns to M)
  li a0, (1 << CAUSE_ECALL_S)
  csrw medeleg, a0
  GOTO_S 25f
25:
  li t5, 0
  EXPECT_STRAP 26f
27:
  ecall
26:
  CHECK_STRAP 33, REC_CAUSE, CAUSE_ECALL_S
  CHECK_STRAP_ADDR 34, REC_EPC, 27b
  CHECK_STRAP_STATUS 35, MSTATUS_SPP, MSTATUS_SPP
  EXPECT_TRAP 28f
  ebreak
28:
  li a0, DELEGATED
  csrw medeleg, a0

  # ---- exceptions raised in M are never delegated ----
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
  .word 0xffffffff
  EXPECT_TRAP_SKIP
  ebreak
  EXPECT_TRAP_SKIP
  ld a0, 0(s0)
  CHECK_TRAP 36, REC_COUNT, 3
  CHECK_STRAP 37, REC_COUNT, 0
  # ---- a cause that is not delegated goes to M from U ----
  li a0, (1 << CAUSE_BREAKPOINT)
  csrc medeleg, a0
  GOTO_U 29f
29:
  EXPECT_TRAP 30f
  ebreak
30:
  CHECK_TRAP 38, REC_CAUSE, CAUSE_BREAKPOINT
  CHECK_TRAP_STATUS 39, MSTATUS_MPP, 0
  CHECK_STRAP 40, REC_COUNT, 0

  # ---- S-level trap CSRs ----
  GOTO_S 31f
31:
  li a0, 0x123456789
  csrw stval, a0
  CHECK_CSR 41, stval, 0x123456789
  li a0, 0x80002222
  csrw sepc, a0
  CHECK_CSR 42, sepc, 0x80002222
  csrw scause, CAUSE_LOAD_ACCESS
  CHECK_CSR 43, scause, CAUSE_LOAD_ACCESS
  csrr s1, stvec
  ori a0, s1, 2                  # reserved mode: QEMU ignores the write
  csrw stvec, a0
  csrr a0, stvec
  CHECK_REG 44, a0, s1
  # vectored stvec: exceptions go to the base
  la a0, svtable
  ori a0, a0, 1
  csrw stvec, a0
  CHECK_CSR_MASK 45, stvec, 3, 1
  EXPECT_STRAP 32f
  ld a0, 0(s0)
32:
  CHECK_STRAP 46, REC_CAUSE, CAUSE_LOAD_ACCESS
  csrw stvec, s1
  GOTO_M 33f
33:
  csrw medeleg, zero
  PASS

  .balign 256
svtable:
  j harness_strap
  .rept 15
  j svtable_bad
  .endr
svtable_bad:
  FAIL 47
