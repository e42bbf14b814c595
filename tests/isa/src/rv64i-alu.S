# RV64I integer computational instructions: register-register, register-
# immediate, the 32-bit "W" forms (results sign-extended from bit 31),
# shift-amount masking, lui/auipc and writes to x0.
#define TEST_NAME "rv64i-alu"
#include "harness.h"

test_main:
  # add / addi
  TEST_RR  1, add, 0, 0, 0
  TEST_RR  2, add, 2, 1, 1
  TEST_RR  3, add, 10, 3, 7
  TEST_RR  4, add, 0x8000000000000000, 0x7fffffffffffffff, 1
  TEST_RR  5, add, 0, -1, 1
  TEST_RR  6, add, 0x100000000, 0xffffffff, 1
  TEST_RR  7, add, 0x7fffffffffffffff, 0x8000000000000000, -1
  TEST_RI  8, addi, 0xf, 0x10, -1
  TEST_RI  9, addi, 2047, 0, 2047
  TEST_RI 10, addi, 0xfffffffffffff800, 0, -2048
  TEST_RI 11, addi, 0x8000000000000000, 0x7fffffffffffffff, 1
  TEST_RI 12, addi, 0, -1, 1
  # addw / addiw
  TEST_RR 13, addw, 0xffffffff80000000, 0x7fffffff, 1
  TEST_RR 14, addw, 0, 0xffffffff, 1
  TEST_RR 15, addw, 0x23456789, 0x123456789, 0
  TEST_RR 16, addw, 0xffffffff80000000, 0x80000000, 0
  TEST_RI 17, addiw, 0xffffffff80000000, 0x7fffffff, 1
  TEST_RI 18, addiw, 0x7fffffff, 0xffffffff80000000, -1
  TEST_RI 19, addiw, 0xffffffffffffffff, 0x1ffffffff, 0
  # sub / subw
  TEST_RR 20, sub, 0xffffffffffffffff, 0, 1
  TEST_RR 21, sub, 0x7fffffffffffffff, 0x8000000000000000, 1
  TEST_RR 22, sub, -2, 5, 7
  TEST_RR 23, subw, 0xffffffffffffffff, 0, 1
  TEST_RR 24, subw, 0x7fffffff, 0x80000000, 1
  TEST_RR 25, subw, 0xffffffffffffffff, 0x100000000, 1
  TEST_RR 26, subw, 0xffffffff80000000, 0, 0x80000000
  # logical
  TEST_RR 27, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
  TEST_RR 28, or,  0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
  TEST_RR 29, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
  TEST_RI 30, andi, 0x700, 0xff00ff00ff00ff00, 0x7f0
  TEST_RI 31, andi, 0xff00ff00ff00ff00, 0xff00ff00ff00ff00, -16
  TEST_RI 32, ori, 0xff00ff00ff00fff0, 0xff00ff00ff00ff00, 0x0f0
  TEST_RI 33, ori, 0xfffffffffffff800, 0, -2048
  TEST_RI 34, xori, 0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, -1
  TEST_RI 35, xori, 0x00ff00ff00ff07f0, 0x00ff00ff00ff00ff, 0x70f
  # 64-bit shifts: the amount is the low 6 bits of rs2
  TEST_RR 36, sll, 0x8000000000000000, 1, 63
  TEST_RR 37, sll, 1, 1, 64
  TEST_RR 38, sll, 0x42, 0x21, 65
  TEST_RR 39, sll, 0xffffffff00000000, -1, 32
  TEST_RI 40, slli, 0x8000000000000000, 1, 63
  TEST_RI 41, slli, 0xffffffff00000000, 0xffffffff, 32
  TEST_RR 42, srl, 1, 0x8000000000000000, 63
  TEST_RR 43, srl, 0x7fffffffffffffff, -1, 1
  TEST_RR 44, srl, 1, -1, 0x7f
  TEST_RI 45, srli, 0x0800000000000000, 0x8000000000000000, 4
  TEST_RR 46, sra, 0xffffffffffffffff, 0x8000000000000000, 63
  TEST_RR 47, sra, 0xf800000000000000, 0x8000000000000000, 4
  TEST_RR 48, sra, 7, 0x7000000000000000, 60
  TEST_RI 49, srai, 0xc000000000000000, 0x8000000000000000, 1
  TEST_RI 50, srai, 0xffffffffffffff80, -1024, 3
  # 32-bit shifts: the amount is the low 5 bits, the result is sign-extended
  TEST_RR 51, sllw, 0xffffffff80000000, 1, 31
  TEST_RR 52, sllw, 1, 1, 32
  TEST_RR 53, sllw, 0xfffffffffffffff0, 0x1ffffffff, 4
  TEST_RI 54, slliw, 0xffffffff80000000, 1, 31
  TEST_RI 55, slliw, 0x34567800, 0x12345678, 8
  TEST_RR 56, srlw, 1, 0xffffffff80000000, 31
  TEST_RR 57, srlw, 0xffffffff80000000, 0xffffffff80000000, 0
  TEST_RR 58, srlw, 0xffffffff80000000, 0x80000000, 32
  TEST_RR 59, srlw, 1, 0xf00000010, 4
  TEST_RI 60, srliw, 0x40000000, 0x80000000, 1
  TEST_RI 61, srliw, 0xffffffffffffffff, -1, 0
  TEST_RR 62, sraw, 0xffffffffffffffff, 0x80000000, 31
  TEST_RR 63, sraw, 0, 0x7fffffff, 31
  TEST_RR 64, sraw, 0xfffffffff8000000, 0x180000000, 4
  TEST_RI 65, sraiw, 0xffffffff80000000, 0x80000000, 0
  TEST_RI 66, sraiw, 1, 0x12340000000, 30
  TEST_RR 67, sraw, 0xffffffffffffffff, 0x80000000, 63
  # set-less-than
  TEST_RR 68, slt, 1, -1, 0
  TEST_RR 69, slt, 0, 0, -1
  TEST_RR 70, slt, 0, 5, 5
  TEST_RR 71, sltu, 0, -1, 0
  TEST_RR 72, sltu, 1, 0, -1
  TEST_RR 73, slt, 1, 0x8000000000000000, 0x7fffffffffffffff
  TEST_RR 74, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff
  TEST_RI 75, slti, 1, -5, -4
  TEST_RI 76, slti, 0, 0, -2048
  TEST_RI 77, sltiu, 1, 0, -1          # immediate sign-extended, then unsigned compare
  TEST_RI 78, sltiu, 0, 5, 5
  TEST_RI 79, sltiu, 0, 0xfffffffffffff800, -2048
  TEST_RI 80, sltiu, 1, 0, 1           # seqz
  # lui / auipc
  lui a0, 0x80000
  CHECK 81, a0, 0xffffffff80000000
  lui a0, 0x7ffff
  CHECK 82, a0, 0x7ffff000
  lui a0, 0xfffff
  CHECK 83, a0, 0xfffffffffffff000
  li a0, 55
  lui a0, 0
  CHECK 84, a0, 0
1:
  auipc a0, 0
  la a1, 1b
  CHECK_REG 85, a0, a1
2:
  auipc a0, 1
  la a1, 2b
  li a2, 0x1000
  add a1, a1, a2
  CHECK_REG 86, a0, a1
3:
  auipc a0, 0x80000                    # pc - 2 GiB (sign-extended immediate)
  la a1, 3b
  li a2, 0x80000000
  sub a1, a1, a2
  CHECK_REG 87, a0, a1
  # x0 is hard-wired to zero
  li a1, 5
  li a2, 6
  add x0, a1, a2
  CHECK 88, x0, 0
  lui x0, 0x12345
  addi x0, x0, 1
  mv a0, x0
  CHECK 89, a0, 0
  addi a0, x0, -7
  CHECK 90, a0, -7
  # destination equal to the sources
  TEST_RR_SAME 91, add, 14, 7
  TEST_RR_SAME 92, sub, 0, 7
  TEST_RR_SAME 93, xor, 0, 0x5a5a
  TEST_RR_SAME 94, sll, 24, 3
  TEST_RR_SAME 95, sra, 0xffffffffffffffff, -1
  TEST_RR_SAME 96, sltu, 0, 9
  li a1, 41
  addi a1, a1, 1
  CHECK 97, a1, 42
  # pseudo-instructions built on the above
  li a1, 0x00000000fffffffe
  sext.w a0, a1
  CHECK 98, a0, -2
  li a1, 5
  neg a0, a1
  CHECK 99, a0, -5
  li a1, 0x80000000
  negw a0, a1
  CHECK 100, a0, 0xffffffff80000000
  li a1, 0x0f0f
  not a0, a1
  CHECK 101, a0, 0xfffffffffffff0f0
  li a1, 0
  snez a0, a1
  CHECK 102, a0, 0
  li a1, -3
  sltz a0, a1
  CHECK 103, a0, 1
  sgtz a0, a1
  CHECK 104, a0, 0
  PASS
