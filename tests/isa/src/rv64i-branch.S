# RV64I control transfer: conditional branches (taken / not taken, signed vs
# unsigned, forward and backward, long offsets), jal and jalr (link values,
# bit 0 of the jalr target cleared, rd == rs1, jumps to 2-byte aligned
# targets, which are legal because C is implemented), plus fence / fence.tso /
# pause, which must simply execute.  An instruction-address-misaligned trap
# cannot be provoked: C is on and QEMU ignores writes to misa.C.
#define TEST_NAME "rv64i-branch"
#include "harness.h"

.macro BR_TAKEN num, op, x, y
  li a1, \x
  li a2, \y
  \op a1, a2, .Lt\@
  FAIL \num
.Lt\@:
.endm

.macro BR_NOT num, op, x, y
  li a1, \x
  li a2, \y
  \op a1, a2, .Lf\@
  j .Lok\@
.Lf\@:
  FAIL \num
.Lok\@:
.endm

test_main:
  BR_TAKEN  1, beq, 0, 0
  BR_NOT    2, beq, 1, 0
  BR_TAKEN  3, beq, -1, -1
  BR_NOT    4, beq, 0x100000000, 0      # all 64 bits compared
  BR_TAKEN  5, bne, 1, 0
  BR_NOT    6, bne, 5, 5
  BR_TAKEN  7, bne, 0x100000000, 0
  BR_TAKEN  8, blt, -1, 0
  BR_NOT    9, blt, 0, -1
  BR_NOT   10, blt, 1, 1
  BR_TAKEN 11, blt, 0x8000000000000000, 0x7fffffffffffffff
  BR_TAKEN 12, bge, 0, -1
  BR_TAKEN 13, bge, 1, 1
  BR_NOT   14, bge, -1, 0
  BR_NOT   15, bge, 0x8000000000000000, 0x7fffffffffffffff
  BR_TAKEN 16, bltu, 0, -1
  BR_NOT   17, bltu, -1, 0
  BR_NOT   18, bltu, 3, 3
  BR_NOT   19, bltu, 0x8000000000000000, 0x7fffffffffffffff
  BR_TAKEN 20, bgeu, -1, 0
  BR_NOT   21, bgeu, 0, -1
  BR_TAKEN 22, bgeu, 3, 3
  BR_TAKEN 23, bgeu, 0x8000000000000000, 0x7fffffffffffffff

  # backward branches: a counted loop
  li a0, 0
  li a1, 10
1:
  addi a0, a0, 3
  addi a1, a1, -1
  bnez a1, 1b
  CHECK 24, a0, 30
  li a0, 0
  li a1, -5
2:
  addi a0, a0, 1
  addi a1, a1, 1
  bltz a1, 2b
  CHECK 25, a0, 5

  # the instruction after a taken branch is not executed
  li a0, 0
  beq zero, zero, 3f
  li a0, 1
3:
  CHECK 26, a0, 0

  # branches with offsets that need the high immediate bits
  li a0, 0
  bnez zero, far_fail
  beqz zero, far_fwd
  FAIL 27
far_back:
  li a0, 7
  j far_done
  .skip 0xf00
far_fwd:
  beqz zero, far_back
  FAIL 28
far_fail:
  FAIL 29
far_done:
  CHECK 30, a0, 7

  # jal: link register = address of the next instruction
  jal ra, 4f
5:
  FAIL 31
4:
  la a1, 5b
  CHECK_REG 32, ra, a1
  jal zero, 6f                 # j: no link
  FAIL 33
6:
  # jal with an offset > 4 KiB, forward then backward
  li a0, 0
  jal a3, jal_far
7:
  j jal_back_done
jal_far_back:
  li a0, 9
  j jal_back_done
  .skip 0x1100
jal_far:
  la a1, 7b
  CHECK_REG 34, a3, a1
  jal a3, jal_far_back
8:
  FAIL 35
jal_back_done:
  CHECK 36, a0, 9
  la a1, 8b
  CHECK_REG 37, a3, a1

  # jalr: target = rs1 + imm with bit 0 cleared
  la a1, 9f
  jalr ra, 0(a1)
10:
  FAIL 38
9:
  la a2, 10b
  CHECK_REG 39, ra, a2
  la a1, 11f
  addi a1, a1, 1               # odd target: bit 0 is dropped
  jalr ra, 0(a1)
  FAIL 40
11:
  la a1, 12f
  addi a1, a1, 16
  jalr t0, -16(a1)             # negative offset
  FAIL 41
12:
  la a1, 13f
  addi a1, a1, -2
  jalr zero, 3(a1)             # rs1 + imm = 13f + 1: bit 0 dropped
  FAIL 42
13:
  # rd == rs1: the target uses the old value
  la a1, 14f
  jalr a1, 0(a1)
15:
  FAIL 43
14:
  la a2, 15b
  CHECK_REG 44, a1, a2
  # call / ret pseudo-instructions
  li a0, 0
  call subroutine
  CHECK 45, a0, 0x55

  # jumps to a 4-byte instruction at a 2-byte aligned address
  li a0, 0
  j misaligned4
  .balign 4
  .half 0x0001                 # never executed (c.nop)
misaligned4:
  addi a0, a0, 1               # 32-bit instruction at 4n+2
  j misaligned4_done
  .half 0x0001                 # back to 4-byte alignment
misaligned4_done:
  la a1, misaligned4
  andi a1, a1, 3
  CHECK 46, a1, 2
  CHECK 47, a0, 1
  la a1, misaligned_fn
  andi a2, a1, 3
  CHECK 48, a2, 2
  jalr ra, 0(a1)               # jalr to a 2-byte aligned function
  CHECK 49, a0, 0x77

  # memory ordering instructions execute as no-ops here
  fence
  fence rw, rw
  fence iorw, iorw
  fence r, w
  fence.tso
  .word 0x0100000f             # pause (Zihintpause: fence w,0)
  nop
  PASS

subroutine:
  li a0, 0x55
  ret

  .half 0x0001                 # (4-byte aligned here)
misaligned_fn:
  li a0, 0x77
  ret
