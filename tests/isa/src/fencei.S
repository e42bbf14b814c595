# Zifencei: code written by stores becomes visible to instruction fetch
# after fence.i - patching a function that already ran (many times over),
# patching the very next instruction of the running block, patching single
# bytes and a compressed instruction, copying code into a fresh buffer and
# running it, and fence.i from S- and U-mode.
#define TEST_NAME "fencei"
#include "harness.h"

#define LI_A0(k)   ((((k) & 0xfff) << 20) | 0x513)    /* addi a0, zero, k */
#define ADDI_A0(k) ((((k) & 0xfff) << 20) | 0x50513)  /* addi a0, a0, k */
#define RET        0x00008067

test_main:
  # run the original once so it is cached
  call patch_fn
  CHECK 1, a0, 1
  # rewrite it 20 times
  la s0, patch_fn
  li s1, 2
1:
  slli a1, s1, 20
  li a2, 0x513
  or a1, a1, a2
  sw a1, 0(s0)
  fence.i
  call patch_fn
  CHECK_REG 2, a0, s1
  addi s1, s1, 1
  li a2, 22
  bne s1, a2, 1b
  # the next instruction of the running code
  la t0, 2f
  li t1, LI_A0(0x123)
  sw t1, 0(t0)
  fence.i
2:
  li a0, 1
  CHECK 3, a0, 0x123
  # a single byte of an instruction: bits 31:24 of the immediate
  la t0, patch_fn
  li t1, LI_A0(0x5)
  sw t1, 0(t0)
  fence.i
  call patch_fn
  CHECK 4, a0, 5
  li t1, 0x7f
  sb t1, 3(t0)                 # imm[11:4] = 0x7f -> imm = 0x7f5
  fence.i
  call patch_fn
  CHECK 5, a0, 0x7f5
  # a compressed instruction: c.li a0, 7 -> c.li a0, -3
  call patch_rvc
  CHECK 6, a0, 7
  la t0, patch_rvc
  li t1, 0x5575                # c.li a0, -3
  sh t1, 0(t0)
  fence.i
  call patch_rvc
  CHECK 7, a0, -3
  # fresh code in a buffer
  la s0, codebuf
  li a1, ADDI_A0(5)
  sw a1, 0(s0)
  li a1, ADDI_A0(-1)
  sw a1, 4(s0)
  li a1, RET
  sw a1, 8(s0)
  fence.i
  li a0, 10
  jalr ra, 0(s0)
  CHECK 8, a0, 14
  li a1, ADDI_A0(100)
  sw a1, 4(s0)
  fence.i
  li a0, 10
  jalr ra, 0(s0)
  CHECK 9, a0, 115
  # fence.i is not privileged
  GOTO_S in_s
in_s:
  la t0, patch_fn
  li t1, LI_A0(0x66)
  sw t1, 0(t0)
  TEST_NO_TRAP 10, fence.i
  call patch_fn
  CHECK 11, a0, 0x66
  SGOTO_U in_u
in_u:
  la t0, patch_fn
  li t1, LI_A0(0x77)
  sw t1, 0(t0)
  TEST_NO_TRAP 12, fence.i
  call patch_fn
  CHECK 13, a0, 0x77
  GOTO_M in_m
in_m:
  PASS

patch_fn:
  li a0, 1
  ret

patch_rvc:
  .option push
  .option rvc
  c.li a0, 7
  .option pop
  ret

  .bss
  .align 4
codebuf: .skip 64
