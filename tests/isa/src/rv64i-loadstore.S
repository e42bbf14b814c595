# RV64I loads and stores: every width, sign/zero extension, little-endian
# byte order, positive/negative/extreme offsets, stores that must not touch
# neighbouring bytes, base == destination, loads into x0.
# Misaligned accesses to RAM: QEMU 7.2 performs them without trapping (an
# implementation choice the spec allows); the last block tests that.
#define TEST_NAME "rv64i-loadstore"
#include "harness.h"

test_main:
  la s0, src
  lb a0, 0(s0)
  CHECK 1, a0, 0xffffffffffffff87
  lbu a0, 0(s0)
  CHECK 2, a0, 0x87
  lb a0, 1(s0)
  CHECK 3, a0, 0xffffffffffffff96
  lb a0, 15(s0)
  CHECK 4, a0, 0x01
  lbu a0, 12(s0)
  CHECK 5, a0, 0x67
  lh a0, 0(s0)
  CHECK 6, a0, 0xffffffffffff9687
  lhu a0, 0(s0)
  CHECK 7, a0, 0x9687
  lh a0, 12(s0)
  CHECK 8, a0, 0x4567
  lhu a0, 6(s0)
  CHECK 9, a0, 0xf0e1
  lw a0, 0(s0)
  CHECK 10, a0, 0xffffffffb4a59687
  lwu a0, 0(s0)
  CHECK 11, a0, 0xb4a59687
  lw a0, 4(s0)
  CHECK 12, a0, 0xfffffffff0e1d2c3
  lw a0, 12(s0)
  CHECK 13, a0, 0x01234567
  lwu a0, 12(s0)
  CHECK 14, a0, 0x01234567
  ld a0, 0(s0)
  CHECK 15, a0, 0xf0e1d2c3b4a59687
  ld a0, 8(s0)
  CHECK 16, a0, 0x0123456789abcdef
  # negative offsets
  addi a1, s0, 16
  ld a0, -8(a1)
  CHECK 17, a0, 0x0123456789abcdef
  lb a0, -16(a1)
  CHECK 18, a0, 0xffffffffffffff87
  lhu a0, -10(a1)
  CHECK 19, a0, 0xf0e1
  # base register is also the destination
  mv a1, s0
  ld a1, 8(a1)
  CHECK 20, a1, 0x0123456789abcdef
  # a load into x0 has no visible effect
  ld x0, 0(s0)
  lb x0, 0(s0)
  mv a0, x0
  CHECK 21, a0, 0

  # stores of each width into a known background
  la s1, dst
  li a1, 0x5555555555555555
  sd a1, 0(s1)
  sd a1, 8(s1)
  sd a1, 16(s1)
  li a2, 0xabc
  sb a2, 1(s1)
  ld a0, 0(s1)
  CHECK 22, a0, 0x555555555555bc55
  li a2, 0x12345
  sh a2, 2(s1)
  ld a0, 0(s1)
  CHECK 23, a0, 0x555555552345bc55
  li a2, 0xdeadbeefcafef00d
  sw a2, 4(s1)
  ld a0, 0(s1)
  CHECK 24, a0, 0xcafef00d2345bc55
  li a2, 0x0011223344556677
  sd a2, 8(s1)
  ld a0, 8(s1)
  CHECK 25, a0, 0x0011223344556677
  ld a0, 16(s1)
  CHECK 26, a0, 0x5555555555555555
  lb a0, 1(s1)
  CHECK 27, a0, 0xffffffffffffffbc
  lh a0, 6(s1)
  CHECK 28, a0, 0xffffffffffffcafe
  # negative store offsets
  addi a1, s1, 24
  li a2, -1
  sb a2, -1(a1)
  sh zero, -8(a1)
  ld a0, 16(s1)
  CHECK 29, a0, 0xff55555555550000

  # offsets -2048 and +2047
  la s2, big
  li a1, 2048
  add s2, s2, a1                 # s2 = big + 2048
  li a2, 0x1122334455667788
  sd a2, -2048(s2)
  li a2, 0x9a
  sb a2, 2047(s2)
  la a1, big
  ld a0, 0(a1)
  CHECK 30, a0, 0x1122334455667788
  li a3, 4095
  add a1, a1, a3
  lbu a0, 0(a1)
  CHECK 31, a0, 0x9a
  lbu a0, 2047(s2)
  CHECK 32, a0, 0x9a
  lw a0, -2044(s2)
  CHECK 33, a0, 0x11223344

  # misaligned loads and stores (QEMU 7.2: performed, no trap)
  lh a0, 1(s0)
  CHECK 34, a0, 0xffffffffffffa596
  lhu a0, 1(s0)
  CHECK 35, a0, 0xa596
  lw a0, 1(s0)
  CHECK 36, a0, 0xffffffffc3b4a596
  lwu a0, 3(s0)
  CHECK 37, a0, 0xe1d2c3b4
  ld a0, 5(s0)
  CHECK 38, a0, 0x6789abcdeff0e1d2
  sd zero, 0(s1)
  sd zero, 8(s1)
  sd zero, 16(s1)
  li a2, 0x1122334455667788
  sd a2, 3(s1)
  ld a0, 0(s1)
  CHECK 39, a0, 0x4455667788000000
  ld a0, 8(s1)
  CHECK 40, a0, 0x0000000000112233
  li a2, 0xbeef
  sh a2, 15(s1)
  ld a0, 8(s1)
  CHECK 41, a0, 0xef00000000112233
  ld a0, 16(s1)
  CHECK 42, a0, 0xbe
  li a2, 0xa1b2c3d4
  sw a2, 22(s1)
  lwu a0, 22(s1)
  CHECK 43, a0, 0xa1b2c3d4
  ld a0, 16(s1)
  CHECK 44, a0, 0xc3d40000000000be
  CHECK_TRAP 45, REC_COUNT, 0     # none of the above trapped
  PASS

  .data
  .align 4
src:
  .dword 0xf0e1d2c3b4a59687
  .dword 0x0123456789abcdef
dst:
  .dword 0, 0, 0, 0

  .bss
  .align 4
big:
  .skip 4096
