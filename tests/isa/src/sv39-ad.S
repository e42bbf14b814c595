# Sv39 accessed/dirty bits.  The spec lets an implementation either fault
# when A (or D for a store) is clear or set the bits in hardware; QEMU 7.2
# sets them, and that is what is tested: a load/fetch sets A, a store sets
# A and D (also after the page was first cached by a load), on 4 KiB,
# 2 MiB and 1 GiB leaves and through MPRV, the rest of the PTE unchanged,
# non-leaf PTEs untouched, and no update when the access faults.
#define TEST_NAME "sv39-ad"
#include "harness.h"
#include "sv39.h"

#define MEGA_PA 0x80400000
#define PT_AREA_SIZE (8 * 4096)

/* reg = PTE at table[index] (physical = virtual, identity mapped) */
.macro LOAD_PTE reg, table, index
  la t0, \table
  ld \reg, (\index) * 8(t0)
.endm
/* the PTE must now be (original | bits) */
.macro CHECK_PTE num, table, index, orig_reg, bits
  LOAD_PTE t4, \table, \index
  li t3, \bits
  or t3, t3, \orig_reg
  CHECK_REG \num, t4, t3
.endm

test_main:
  ZERO_MEM pt_area, PT_AREA_SIZE
  li a0, RAM_PA
  PTE_AT root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  PTE_AT root, 3, a0, PTE_V | PTE_R | PTE_W      # 1 GiB alias, A = D = 0
  la a0, l1
  PTE_AT root, 1, a0, PTE_V
  la a0, l0
  PTE_AT l1, 0, a0, PTE_V
  li a0, MEGA_PA
  PTE_AT l1, 1, a0, PTE_V | PTE_R | PTE_W        # 2 MiB, A = D = 0
  la a0, page_a
  PTE_AT l0, 0, a0, PTE_V | PTE_R | PTE_W
  PTE_AT l0, 1, a0, PTE_V | PTE_R | PTE_W | PTE_A
  PTE_AT l0, 2, a0, PTE_V | PTE_R
  la a0, xpage
  PTE_AT l0, 3, a0, PTE_V | PTE_R | PTE_X
  la a0, page_a
  PTE_AT l0, 4, a0, PTE_V | PTE_R | PTE_W | PTE_U
  PTE_AT l0, 5, a0, PTE_V | PTE_R
  PTE_AT l0, 6, a0, PTE_V | PTE_R | PTE_W
  PTE_AT l0, 7, a0, PTE_V | PTE_R | PTE_W | PTE_G
  la a1, xpage                                   # li a0, 0x5a; ret
  li a0, 0x05a00513
  sw a0, 0(a1)
  li a0, 0x00008067
  sw a0, 4(a1)
  fence.i
  SATP_FOR a1, root, 1
  csrw satp, a1
  sfence.vma
  LOAD_PTE s10, root, 1                          # the pointer PTEs
  LOAD_PTE s11, l1, 0
  GOTO_S s_mode
s_mode:
  # load sets A only
  LOAD_PTE s0, l0, 0
  li s1, VPAGE(0)
  ld a0, 0(s1)
  CHECK_PTE 1, l0, 0, s0, PTE_A
  # a store to the same (now cached) page sets D
  sd a0, 8(s1)
  CHECK_PTE 2, l0, 0, s0, PTE_A | PTE_D
  # store with A already set
  LOAD_PTE s0, l0, 1
  li s1, VPAGE(1)
  sd zero, 16(s1)
  CHECK_PTE 3, l0, 1, s0, PTE_D
  # read-only page: A only
  LOAD_PTE s0, l0, 2
  li s1, VPAGE(2)
  lw a0, 0(s1)
  CHECK_PTE 4, l0, 2, s0, PTE_A
  # instruction fetch sets A
  LOAD_PTE s0, l0, 3
  li s1, VPAGE(3)
  jalr ra, 0(s1)
  CHECK 5, a0, 0x5a
  CHECK_PTE 6, l0, 3, s0, PTE_A
  # a faulting access sets nothing: user page from S without SUM
  LOAD_PTE s0, l0, 4
  li s1, VPAGE(4)
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
  ld a0, 0(s1)
  CHECK_TRAP 7, REC_CAUSE, CAUSE_LOAD_PAGE
  CHECK_PTE 8, l0, 4, s0, 0
  li a1, MSTATUS_SUM
  csrs sstatus, a1
  ld a0, 0(s1)
  csrc sstatus, a1
  CHECK_PTE 9, l0, 4, s0, PTE_A
  # ... nor a store to a read-only page
  LOAD_PTE s0, l0, 5
  li s1, VPAGE(5)
  EXPECT_TRAP_SKIP
  sd zero, 0(s1)
  CHECK_TRAP 10, REC_CAUSE, CAUSE_STORE_PAGE
  CHECK_PTE 11, l0, 5, s0, 0
  # an AMO is a store: A and D
  LOAD_PTE s0, l0, 6
  li s1, VPAGE(6)
  amoadd.d a0, zero, (s1)
  CHECK_PTE 12, l0, 6, s0, PTE_A | PTE_D
  # other bits (G here) are preserved
  LOAD_PTE s0, l0, 7
  li s1, VPAGE(7)
  sw zero, 0(s1)
  CHECK_PTE 13, l0, 7, s0, PTE_A | PTE_D
  # 2 MiB leaf
  LOAD_PTE s0, l1, 1
  li s1, 0x40200000
  ld a0, 0(s1)
  CHECK_PTE 14, l1, 1, s0, PTE_A
  sd a0, 8(s1)
  CHECK_PTE 15, l1, 1, s0, PTE_A | PTE_D
  # 1 GiB leaf
  LOAD_PTE s0, root, 3
  la a1, page_a
  li a2, 0xc0000000 - RAM_PA
  add s1, a1, a2
  ld a0, 0(s1)
  CHECK_PTE 16, root, 3, s0, PTE_A
  sd a0, 0(s1)
  CHECK_PTE 17, root, 3, s0, PTE_A | PTE_D
  # non-leaf PTEs were never modified
  LOAD_PTE a0, root, 1
  CHECK_REG 18, a0, s10
  LOAD_PTE a0, l1, 0
  CHECK_REG 19, a0, s11
  GOTO_M m_mode
m_mode:
  # MPRV accesses update A/D as well
  la a0, page_a
  PTE_AT l0, 8, a0, PTE_V | PTE_R | PTE_W
  sfence.vma
  LOAD_PTE s0, l0, 8
  li s1, VPAGE(8)
  li a1, MSTATUS_MPP
  csrc mstatus, a1
  li a1, MSTATUS_MPP_S
  csrs mstatus, a1
  li a2, MSTATUS_MPRV
  csrs mstatus, a2
  ld a0, 0(s1)
  csrc mstatus, a2
  CHECK_PTE 20, l0, 8, s0, PTE_A
  csrs mstatus, a2
  sd a0, 0(s1)
  csrc mstatus, a2
  CHECK_PTE 21, l0, 8, s0, PTE_A | PTE_D
  csrw satp, zero
  sfence.vma
  PASS

  .bss
  .align 12
pt_area:
root:   .skip 4096
l1:     .skip 4096
l0:     .skip 4096
page_a: .skip 4096
xpage:  .skip 4096
  .skip 3 * 4096
