# RV64C: every compressed instruction of RV64GC (c.jal, c.flw, c.fsw are
# RV32-only and do not exist here), checked against the result of the
# instruction it expands to; c.jalr links pc+2; c.ebreak; reserved encodings
# (all-zero parcel, c.addi4spn/c.addi16sp/c.lui with a zero immediate,
# c.lwsp/c.ldsp/c.jr with x0) are illegal with mtval = the 16-bit parcel;
# HINT encodings execute as no-ops; compressed FP loads/stores obey FS.
#define TEST_NAME "rvc"
#include "harness.h"

.macro RVC insn:vararg
  .option push
  .option rvc
  \insn
  .option pop
.endm

test_main:
  la s0, cbuf
  mv sp, s0
  # ---- quadrant 0 ----
  RVC c.addi4spn a0, sp, 16
  addi a1, s0, 16
  CHECK_REG 1, a0, a1
  RVC c.addi4spn a1, sp, 1020
  addi a2, s0, 1020
  CHECK_REG 2, a1, a2
  RVC c.lw a0, 0(s0)
  CHECK 3, a0, 0xffffffff80000001
  RVC c.lw a1, 4(s0)
  CHECK 4, a1, 0x7fffffff
  RVC c.ld a2, 8(s0)
  CHECK 5, a2, 0x0123456789abcdef
  RVC c.ld a3, 248(s0)
  CHECK 6, a3, 0x1122334455667788
  RVC c.lw a4, 124(s0)
  CHECK 7, a4, 0xffffffffcafef00d
  addi s1, s0, 512
  li a3, 0x5555555566667777
  RVC c.sw a3, 0(s1)
  li a4, 0xabcdef0123456789
  RVC c.sd a4, 8(s1)
  RVC c.sd a4, 248(s1)
  RVC c.sw a4, 124(s1)
  ld a0, 0(s1)
  CHECK 8, a0, 0x0000000066667777
  ld a0, 8(s1)
  CHECK 9, a0, 0xabcdef0123456789
  ld a0, 248(s1)
  CHECK 10, a0, 0xabcdef0123456789
  lwu a0, 124(s1)
  CHECK 11, a0, 0x23456789
  RVC c.fld fa0, 8(s0)
  CHECK_FBITS 12, fa0, 0x0123456789abcdef
  RVC c.fsd fa0, 16(s1)
  RVC c.fld fa1, 248(s0)
  RVC c.fsd fa1, 248(s1)
  ld a0, 16(s1)
  CHECK 13, a0, 0x0123456789abcdef
  ld a0, 248(s1)
  CHECK 14, a0, 0x1122334455667788

  # ---- quadrant 1 ----
  li a0, 5
  RVC c.nop
  CHECK 15, a0, 5
  RVC c.addi a0, -32
  CHECK 16, a0, -27
  RVC c.addi a0, 31
  CHECK 17, a0, 4
  li a0, 0x7fffffff
  RVC c.addiw a0, 1
  CHECK 18, a0, 0xffffffff80000000
  li a0, 0x180000000
  RVC c.addiw a0, 0              # sext.w
  CHECK 19, a0, 0xffffffff80000000
  li a0, 0x100000005
  RVC c.addiw a0, -6
  CHECK 20, a0, -1
  RVC c.li a0, -32
  CHECK 21, a0, -32
  RVC c.li a5, 31
  CHECK 22, a5, 31
  mv a1, sp
  RVC c.addi16sp sp, -512
  sub a2, a1, sp
  CHECK 23, a2, 512
  RVC c.addi16sp sp, 496
  sub a2, a1, sp
  CHECK 24, a2, 16
  RVC c.addi16sp sp, 16
  CHECK_REG 25, sp, s0
  RVC c.lui a0, 1
  CHECK 26, a0, 0x1000
  RVC c.lui a0, 0x1f
  CHECK 27, a0, 0x1f000
  RVC c.lui a0, 0xfffff
  CHECK 28, a0, 0xfffffffffffff000
  RVC c.lui t6, 0xfffe0
  CHECK 29, t6, 0xfffffffffffe0000
  li a0, 0x8000000000000000
  RVC c.srli a0, 63
  CHECK 30, a0, 1
  li a0, 0xffffffff00000000
  RVC c.srli a0, 32
  CHECK 31, a0, 0xffffffff
  li a1, 0x8000000000000000
  RVC c.srai a1, 4
  CHECK 32, a1, 0xf800000000000000
  RVC c.srai a1, 63
  CHECK 33, a1, -1
  li a0, 0x1234
  RVC c.andi a0, -32
  CHECK 34, a0, 0x1220
  li a0, 0x1234
  RVC c.andi a0, 31
  CHECK 35, a0, 0x14
  RVC c.andi a0, 0
  CHECK 36, a0, 0
  li a0, 10
  li a1, 3
  RVC c.sub a0, a1
  CHECK 37, a0, 7
  li a0, 0xff00
  li a1, 0x0ff0
  RVC c.xor a0, a1
  CHECK 38, a0, 0xf0f0
  li a0, 0xff00
  RVC c.or a0, a1
  CHECK 39, a0, 0xfff0
  li a0, 0xff00
  RVC c.and a0, a1
  CHECK 40, a0, 0x0f00
  li a2, 0x80000000
  li a3, 1
  RVC c.subw a2, a3
  CHECK 41, a2, 0x7fffffff
  li a2, 0x7fffffff
  RVC c.addw a2, a3
  CHECK 42, a2, 0xffffffff80000000
  li a2, 0x100000000
  RVC c.subw a2, a3
  CHECK 43, a2, -1
  # c.j
  li a0, 0
  RVC c.j 1f
  li a0, 1
1:
  CHECK 44, a0, 0
  j 3f
2:
  li a0, 2
  j 4f
3:
  RVC c.j 2b
  FAIL 45
4:
  CHECK 46, a0, 2
  # c.beqz / c.bnez
  li s1, 0
  RVC c.beqz s1, 5f
  FAIL 47
5:
  li s1, 1
  RVC c.beqz s1, 6f
  RVC c.bnez s1, 7f
6:
  FAIL 48
7:
  li s1, 0
  RVC c.bnez s1, 6b
  li s1, -1                      # negative values are non-zero
  RVC c.beqz s1, 6b
  li a0, 0
  li s1, 4
8:
  addi a0, a0, 10
  addi s1, s1, -1
  RVC c.bnez s1, 8b
  CHECK 49, a0, 40

  # ---- quadrant 2 ----
  li a0, 1
  RVC c.slli a0, 63
  CHECK 50, a0, 0x8000000000000000
  li ra, 0x0000000080000001
  RVC c.slli ra, 1
  CHECK 51, ra, 0x100000002
  li t6, 3
  RVC c.slli t6, 32
  CHECK 52, t6, 0x300000000
  RVC c.lwsp a0, 0(sp)
  CHECK 53, a0, 0xffffffff80000001
  RVC c.lwsp a0, 252(sp)
  CHECK 54, a0, 0x11223344
  RVC c.ldsp t6, 8(sp)
  CHECK 55, t6, 0x0123456789abcdef
  RVC c.ldsp a0, 504(sp)
  CHECK 56, a0, 0x7766554433221100
  RVC c.fldsp fa2, 504(sp)
  CHECK_FBITS 57, fa2, 0x7766554433221100
  addi sp, s0, 1024               # scratch area
  li a0, 0x1111222233334444
  RVC c.swsp a0, 252(sp)
  RVC c.sdsp a0, 504(sp)
  RVC c.sdsp a0, 0(sp)
  li a1, -1
  fmv.d.x fa3, a1
  RVC c.fsdsp fa3, 496(sp)
  lwu a2, 252(sp)
  CHECK 58, a2, 0x33334444
  ld a2, 504(sp)
  CHECK 59, a2, 0x1111222233334444
  ld a2, 0(sp)
  CHECK 60, a2, 0x1111222233334444
  ld a2, 496(sp)
  CHECK 61, a2, -1
  mv sp, s0
  # c.jr / c.mv / c.add / c.jalr
  la a0, 9f
  RVC c.jr a0
  FAIL 62
9:
  li a1, 0x5a5a
  RVC c.mv a0, a1
  CHECK 63, a0, 0x5a5a
  RVC c.mv t6, a1
  CHECK 64, t6, 0x5a5a
  li a0, 0x7fffffffffffffff
  li a1, 2
  RVC c.add a0, a1
  CHECK 65, a0, 0x8000000000000001
  la a0, 10f
  RVC c.jalr a0
11:
  FAIL 66
10:
  la a1, 11b
  CHECK_REG 67, ra, a1           # link = address of c.jalr + 2
  la ra, 12f
  RVC c.jalr ra                  # target is the old ra
13:
  FAIL 68
12:
  la a1, 13b
  CHECK_REG 69, ra, a1
  # c.ebreak: cause 3; QEMU leaves mtval 0 (the spec allows 0 or the pc)
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
14:
  RVC c.ebreak
  RVC c.nop
  CHECK_TRAP 70, REC_CAUSE, CAUSE_BREAKPOINT
  CHECK_TRAP_ADDR 71, REC_EPC, 14b
  CHECK_TRAP 72, REC_TVAL, 0
  CHECK_TRAP 73, REC_COUNT, 1

  # reserved encodings
  TEST_ILLEGAL16 74, .half 0x0000          # all zeros
  TEST_ILLEGAL16 75, .half 0x0004          # c.addi4spn with nzuimm = 0
  TEST_ILLEGAL16 76, .half 0x6101          # c.addi16sp with nzimm = 0
  TEST_ILLEGAL16 77, .half 0x6081          # c.lui ra, 0
  TEST_ILLEGAL16 78, .half 0x4002          # c.lwsp x0
  TEST_ILLEGAL16 79, .half 0x6002          # c.ldsp x0
  TEST_ILLEGAL16 80, .half 0x8002          # c.jr x0
  # HINTs (rd = x0 or zero immediates) do nothing
  li a0, 77
  TEST_NO_TRAP 81, RVC .half 0x4015        # c.li x0, 5
  TEST_NO_TRAP 82, RVC .half 0x0005        # c.nop with a non-zero immediate
  TEST_NO_TRAP 83, RVC .half 0x0501        # c.addi a0, 0
  TEST_NO_TRAP 84, RVC .half 0x802a        # c.mv x0, a0
  TEST_NO_TRAP 85, RVC .half 0x902a        # c.add x0, a0
  TEST_NO_TRAP 86, RVC .half 0x0002        # c.slli x0 (shamt 0)
  CHECK 87, a0, 77
  mv a1, x0
  CHECK 88, a1, 0
  # compressed FP loads/stores with mstatus.FS = Off
  li a1, MSTATUS_FS
  csrc mstatus, a1
  TEST_ILLEGAL16 89, c.fld fa0, 8(s0)
  TEST_ILLEGAL16 90, c.fsd fa0, 8(s0)
  TEST_ILLEGAL16 91, c.fldsp fa0, 8(sp)
  TEST_ILLEGAL16 92, c.fsdsp fa0, 8(sp)
  li a1, MSTATUS_FS_INITIAL
  csrs mstatus, a1
  RVC c.nop                      # keep 4-byte alignment for what follows
  PASS

  .data
  .align 4
cbuf:
  .word 0x80000001, 0x7fffffff
  .dword 0x0123456789abcdef
  .skip 124 - 16
  .word 0xcafef00d
  .skip 248 - 128
  .dword 0x1122334455667788
  .skip 504 - 256
  .dword 0x7766554433221100
  .skip 2048 - 512
