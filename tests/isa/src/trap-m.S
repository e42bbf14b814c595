# Synchronous exceptions taken into M-mode (nothing delegated): ecall from
# U/S/M (causes 8/9/11), ebreak, illegal instructions with mtval = the
# instruction, load/store/fetch access faults with mtval = the address,
# mepc pointing at the faulting instruction, mstatus MIE/MPIE/MPP on entry
# and after mret, mret to a 2-byte aligned mepc, mtvec modes (exceptions go to
# the base even when vectored), and jump targets with bit 0 set.
# QEMU choices tested here: ebreak leaves mtval = 0; an mtvec write with
# mode 2 or 3 is ignored; wfi in U-mode traps even with TW = 0.
# Not tested: mepc[0] (the spec hard-wires it to 0, QEMU 7.2 stores it).
#define TEST_NAME "trap-m"
#include "harness.h"

test_main:
  # ---- ecall from M ----
  CLEAR_TRAPS
  li t5, 0
  EXPECT_TRAP 1f
2:
  ecall
  FAIL 1
1:
  CHECK_TRAP 2, REC_CAUSE, CAUSE_ECALL_M
  CHECK_TRAP_ADDR 3, REC_EPC, 2b
  CHECK_TRAP 4, REC_TVAL, 0
  CHECK_TRAP_STATUS 5, MSTATUS_MPP, MSTATUS_MPP_M
  CHECK_TRAP 6, REC_COUNT, 1
  # ---- ecall from S ----
  CLEAR_TRAPS
  GOTO_S 3f
3:
  li t5, 0
  EXPECT_TRAP 4f
5:
  ecall
  FAIL 7
4:
  CHECK_TRAP 8, REC_CAUSE, CAUSE_ECALL_S
  CHECK_TRAP_ADDR 9, REC_EPC, 5b
  CHECK_TRAP 10, REC_TVAL, 0
  CHECK_TRAP_STATUS 11, MSTATUS_MPP, MSTATUS_MPP_S
  # ---- ecall from U ----
  CLEAR_TRAPS
  GOTO_U 6f
6:
  li t5, 0
  EXPECT_TRAP 7f
8:
  ecall
  FAIL 12
7:
  CHECK_TRAP 13, REC_CAUSE, CAUSE_ECALL_U
  CHECK_TRAP_ADDR 14, REC_EPC, 8b
  CHECK_TRAP 15, REC_TVAL, 0
  CHECK_TRAP_STATUS 16, MSTATUS_MPP, 0
  # ---- ebreak (32-bit) ----
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
9:
  ebreak
  CHECK_TRAP 17, REC_CAUSE, CAUSE_BREAKPOINT
  CHECK_TRAP_ADDR 18, REC_EPC, 9b
  CHECK_TRAP 19, REC_TVAL, 0
  CHECK_TRAP 20, REC_COUNT, 1
  # ebreak from U also goes to M (not delegated)
  CLEAR_TRAPS
  GOTO_U 10f
10:
  EXPECT_TRAP 11f
  ebreak
11:
  CHECK_TRAP 21, REC_CAUSE, CAUSE_BREAKPOINT
  CHECK_TRAP_STATUS 22, MSTATUS_MPP, 0

  # ---- illegal instructions: mtval holds the encoding ----
  TEST_ILLEGAL 23, .word 0xffffffff
  TEST_ILLEGAL 24, .word 0x0000000b              # custom-0 opcode
  TEST_ILLEGAL 25, .word 0x0000201b              # OP-IMM-32 with funct3 = 2
  TEST_ILLEGAL 26, .word 0x00007003              # LOAD with funct3 = 7
  TEST_ILLEGAL 27, .word 0x00004023              # STORE with funct3 = 4
  TEST_ILLEGAL 28, .word 0x00002063              # BRANCH with funct3 = 2
  TEST_ILLEGAL 29, .word 0x00001067              # JALR with funct3 = 1
  TEST_ILLEGAL 30, .word 0x5000202f              # AMO with funct5 = 01010
  TEST_ILLEGAL 31, .word 0x12345677              # opcode 0x77 (OP-P, not implemented)
  CLEAR_TRAPS                                    # the all-zero word: mtval 0
  EXPECT_TRAP_SKIP
12:
  .half 0x0000                                   # a 16-bit parcel of zeros
  .half 0x0001                                   # c.nop
  CHECK_TRAP 32, REC_CAUSE, CAUSE_ILLEGAL
  CHECK_TRAP_ADDR 33, REC_EPC, 12b
  CHECK_TRAP 34, REC_TVAL, 0
  # privileged instructions from a lower mode
  GOTO_U 13f
13:
  TEST_ILLEGAL 35, mret
  TEST_ILLEGAL 36, sret
  TEST_ILLEGAL 37, wfi
  TEST_ILLEGAL 38, sfence.vma
  GOTO_M 14f
14:
  GOTO_S 26f
26:
  TEST_ILLEGAL 39, mret
  GOTO_M 15f
15:

  # ---- access faults ----
  li s0, NOWHERE
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
16:
  ld a0, 8(s0)
  CHECK_TRAP 40, REC_CAUSE, CAUSE_LOAD_ACCESS
  CHECK_TRAP 41, REC_TVAL, NOWHERE + 8
  CHECK_TRAP_ADDR 42, REC_EPC, 16b
  EXPECT_TRAP_SKIP
17:
  sw a0, -4(s0)
  CHECK_TRAP 43, REC_CAUSE, CAUSE_STORE_ACCESS
  CHECK_TRAP 44, REC_TVAL, NOWHERE - 4
  CHECK_TRAP_ADDR 45, REC_EPC, 17b
  EXPECT_TRAP_SKIP
  lbu a0, 3(s0)
  CHECK_TRAP 46, REC_CAUSE, CAUSE_LOAD_ACCESS
  CHECK_TRAP 47, REC_TVAL, NOWHERE + 3
  # the destination of a faulting load is not written
  li a0, 0x99
  EXPECT_TRAP_SKIP
  ld a0, 0(s0)
  CHECK 48, a0, 0x99
  # instruction fetch: mepc = mtval = the target
  EXPECT_TRAP 18f
  jalr ra, 0(s0)
  FAIL 49
18:
  CHECK_TRAP 50, REC_CAUSE, CAUSE_FETCH_ACCESS
  CHECK_TRAP 51, REC_EPC, NOWHERE
  CHECK_TRAP 52, REC_TVAL, NOWHERE
  # a fetch fault from U-mode goes to M as well
  GOTO_U 19f
19:
  li s0, NOWHERE
  EXPECT_TRAP 20f
  jr s0
20:
  CHECK_TRAP 53, REC_CAUSE, CAUSE_FETCH_ACCESS
  CHECK_TRAP_STATUS 54, MSTATUS_MPP, 0
  # a load fault from S-mode
  GOTO_S 21f
21:
  EXPECT_TRAP 22f
  lw a0, 0(s0)
22:
  CHECK_TRAP 55, REC_CAUSE, CAUSE_LOAD_ACCESS
  CHECK_TRAP_STATUS 56, MSTATUS_MPP, MSTATUS_MPP_S
  CHECK_TRAP 57, REC_TVAL, NOWHERE

  # ---- MIE / MPIE around a trap and mret ----
  csrw mie, zero                 # no interrupt sources enabled
  csrsi mstatus, MSTATUS_MIE
  li t5, 0
  EXPECT_TRAP 23f
  ecall
23:
  # on entry: MPIE = old MIE = 1, MIE = 0, MPP = M
  CHECK_TRAP_STATUS 58, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP_M
  # after mret: MIE = MPIE = 1, MPIE = 1, MPP = U (least privileged)
  CHECK_CSR_MASK 59, mstatus, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE
  csrci mstatus, MSTATUS_MIE
  li t5, 0
  EXPECT_TRAP 24f
  ecall
24:
  CHECK_TRAP_STATUS 60, MSTATUS_MIE | MSTATUS_MPIE, 0
  CHECK_CSR_MASK 61, mstatus, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE

  # ---- mepc holds 2-byte aligned addresses (IALIGN = 16) ----
  li a0, 0x80001236
  csrw mepc, a0
  CHECK_CSR 63, mepc, 0x80001236
  # mret to a 2-byte aligned address
  la a0, mret_target
  andi a1, a0, 3
  CHECK 64, a1, 2
  csrw mepc, a0
  li a1, MSTATUS_MPP
  csrs mstatus, a1
  li a0, 0
  mret
25:
  CHECK 65, a0, 0x42

  # ---- mtvec ----
  csrr s1, mtvec
  CHECK_CSR_MASK 66, mtvec, 3, 0   # the harness uses direct mode
  ori a0, s1, 2                    # reserved mode: QEMU ignores the write
  csrw mtvec, a0
  csrr a0, mtvec
  CHECK_REG 67, a0, s1
  ori a0, s1, 3
  csrw mtvec, a0
  csrr a0, mtvec
  CHECK_REG 68, a0, s1
  # vectored mode: exceptions still go to the base
  la a0, vtable
  ori a0, a0, 1
  csrw mtvec, a0
  csrr a1, mtvec
  CHECK_REG 69, a1, a0
  CLEAR_TRAPS
  li t5, 0
  EXPECT_TRAP_SKIP
  ecall
  EXPECT_TRAP_SKIP
  ebreak
  EXPECT_TRAP_SKIP
  .word 0xffffffff
  CHECK_TRAP 70, REC_COUNT, 3
  CHECK_TRAP 71, REC_CAUSE, CAUSE_ILLEGAL
  csrw mtvec, s1
  PASS

mret_target_pad:
  .half 0x0001
mret_target:
  li a0, 0x42
  j 25b

  .balign 256
vtable:
  j harness_mtrap                  # exceptions
  .rept 15
  j vtable_bad
  .endr
vtable_bad:
  li a0, 72
  li a1, 0
  li a2, 0
  li t5, MAGIC_FAIL
  j harness_report_fail
