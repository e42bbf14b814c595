# RV64M: multiplication (low word, signed/unsigned/mixed high words, mulw)
# and division/remainder in 64 and 32 bits, including the defined results of
# division by zero (quotient all ones, remainder = dividend) and of signed
# overflow (most negative / -1: quotient = dividend, remainder 0).
#define TEST_NAME "rv64m"
#include "harness.h"

test_main:
  TEST_RR  1, mul, 0, 0, 0
  TEST_RR  2, mul, 21, 3, 7
  TEST_RR  3, mul, 1, -1, -1
  TEST_RR  4, mul, 0x8000000000000000, 0x8000000000000000, -1
  TEST_RR  5, mul, 0x200000001, 0x100000001, 0x100000001
  TEST_RR  6, mul, 0xfffffffffffffffe, 0x7fffffffffffffff, 2
  TEST_RR  7, mul, -21, -3, 7
  TEST_RR  8, mulh, 0, -1, -1
  TEST_RR  9, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000
  TEST_RR 10, mulh, 0xffffffffffffffff, -1, 1
  TEST_RR 11, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff
  TEST_RR 12, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff
  TEST_RR 13, mulh, 0, 5, 7
  TEST_RR 14, mulhu, 0xfffffffffffffffe, -1, -1
  TEST_RR 15, mulhu, 1, 0x8000000000000000, 2
  TEST_RR 16, mulhu, 1, 0x100000000, 0x100000000
  TEST_RR 17, mulhu, 0, 0xffffffff, 0xffffffff
  TEST_RR 18, mulhsu, 0xffffffffffffffff, -1, -1
  TEST_RR 19, mulhsu, 0, 1, -1
  TEST_RR 20, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
  TEST_RR 21, mulhsu, 1, 2, 0x8000000000000000
  TEST_RR 22, mulhsu, 0xffffffffffffffff, -2, 0x8000000000000000
  TEST_RR 23, mulw, 0xfffffffffffffffe, 0x7fffffff, 2
  TEST_RR 24, mulw, 15, 0x100000003, 0x100000005
  TEST_RR 25, mulw, 1, -1, -1
  TEST_RR 26, mulw, 0, 0x10000, 0x10000
  TEST_RR 27, mulw, 0xffffffff80000000, 0x8000, 0x10000
  # div / divu / rem / remu
  TEST_RR 28, div, 3, 20, 6
  TEST_RR 29, div, -3, -20, 6
  TEST_RR 30, div, -3, 20, -6
  TEST_RR 31, div, 3, -20, -6
  TEST_RR 32, div, 0xffffffffffffffff, 12345, 0
  TEST_RR 33, div, 0xffffffffffffffff, -12345, 0
  TEST_RR 34, div, 0x8000000000000000, 0x8000000000000000, -1
  TEST_RR 35, divu, 3, 20, 6
  TEST_RR 36, divu, 0x2aaaaaaaaaaaaaa7, -20, 6
  TEST_RR 37, divu, 0xffffffffffffffff, 12345, 0
  TEST_RR 38, divu, 0, 0x8000000000000000, -1
  TEST_RR 39, rem, 2, 20, 6
  TEST_RR 40, rem, -2, -20, 6
  TEST_RR 41, rem, 2, 20, -6
  TEST_RR 42, rem, -2, -20, -6
  TEST_RR 43, rem, 12345, 12345, 0
  TEST_RR 44, rem, -12345, -12345, 0
  TEST_RR 45, rem, 0, 0x8000000000000000, -1
  TEST_RR 46, remu, 2, 20, 6
  TEST_RR 47, remu, 2, -20, 6
  TEST_RR 48, remu, 0xfffffffffffffff0, -16, 0
  TEST_RR 49, remu, 0x8000000000000000, 0x8000000000000000, -1
  # 32-bit forms: operands are the low words, results sign-extended
  TEST_RR 50, divw, 3, 20, 6
  TEST_RR 51, divw, -3, -20, 6
  TEST_RR 52, divw, 3, 0xffffffff00000014, 0x100000006
  TEST_RR 53, divw, 0xffffffff80000000, 0x80000000, -1
  TEST_RR 54, divw, 0xffffffffffffffff, 7, 0
  TEST_RR 55, divw, 0xffffffffffffffff, 7, 0x100000000   # low word of divisor is 0
  TEST_RR 56, divuw, 0x2aaaaaa7, 0xffffffec, 6
  TEST_RR 57, divuw, 0xffffffffffffffff, 7, 0
  TEST_RR 58, divuw, 0xffffffff80000000, 0x80000000, 1
  TEST_RR 59, remw, -2, -20, 6
  TEST_RR 60, remw, 0, 0x80000000, -1
  TEST_RR 61, remw, 0xffffffff80000000, 0x180000000, 0
  TEST_RR 62, remw, 2, 0x700000014, 6
  TEST_RR 63, remuw, 2, 0xffffffec, 6
  TEST_RR 64, remuw, 0xffffffff80000001, 0x80000001, 0
  TEST_RR 65, remuw, 2, 0x12300000007, 5
  # destination equal to a source
  li a1, 6
  li a2, 7
  mul a1, a1, a2
  CHECK 66, a1, 42
  li a1, 100
  li a2, 7
  rem a2, a1, a2
  CHECK 67, a2, 2
  TEST_RR_SAME 68, divu, 1, 0x8000000000000000
  TEST_RR_SAME 69, mulhu, 0xfffffffffffffffe, -1
  PASS
