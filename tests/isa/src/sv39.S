# Sv39 translation built by the test: 4 KiB pages, 2 MiB and 1 GiB
# superpages, high (sign-extended) virtual addresses, R/W/X permissions,
# invalid and reserved PTEs, misaligned superpages and non-canonical
# addresses -> page faults (12 fetch, 13 load, 15 store) with the virtual
# address in mtval/stval, the U bit from S (SUM; S never executes U pages)
# and from U, MXR, MPRV with MPP in M-mode, sfence.vma (global, by address,
# by ASID), switching ASIDs, satp WARL (QEMU: 16 ASID bits; a write with an
# unsupported mode is ignored), page faults taken in M or delegated to S.
# All leaf PTEs have A (and D when writable) set; see sv39-ad for A/D.
#define TEST_NAME "sv39"
#include "harness.h"
#include "sv39.h"

#define MARK_A 0xaaaaaaaaaaaaaaa1
#define MARK_B 0xbbbbbbbbbbbbbbb2
#define MARK_C 0xccccccccccccccc3
#define MARK_D 0xddddddddddddddd4
#define MARK_40 0x4040404040404040
#define MARK_60 0x6060606060606060
#define MEGA_PA 0x80400000
#define MEGA2_PA 0x80600000
#define RWAD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PT_AREA_SIZE (12 * 4096)

test_main:
  ZERO_MEM pt_area, PT_AREA_SIZE
  # ---- root_s: the S-mode view ----
  li a0, RAM_PA
  PTE_AT root_s, 2, a0, RWAD | PTE_X             # identity map of RAM (1 GiB)
  PTE_AT root_s, 3, a0, RWAD                     # 0xc0000000 -> RAM, no X
  PTE_AT root_s, 511, a0, RWAD                   # 0xffffffffc0000000 -> RAM
  li a0, 0x80200000
  PTE_AT root_s, 4, a0, RWAD                     # 0x100000000: misaligned 1 GiB page
  la a0, l1_a
  PTE_AT root_s, 1, a0, PTE_V                    # 0x40000000: next level
  la a0, l1_x
  PTE_AT root_s, 5, a0, PTE_V                    # 0x140000000: next level
  la a0, l0_a
  PTE_AT l1_a, 0, a0, PTE_V
  li a0, MEGA_PA
  PTE_AT l1_a, 1, a0, RWAD                       # 0x40200000: 2 MiB page
  li a0, MEGA_PA + 0x1000
  PTE_AT l1_a, 2, a0, RWAD                       # 0x40400000: misaligned 2 MiB page
  li a0, MEGA_PA
  PTE_AT l1_x, 0, a0, RWAD
  li a0, MEGA2_PA
  PTE_AT l1_y, 0, a0, RWAD
  la a0, page_a
  PTE_AT l0_a, 0, a0, RWAD
  la a0, page_b
  PTE_AT l0_a, 1, a0, PTE_V | PTE_R | PTE_A      # read-only
  la a0, page_c
  PTE_AT l0_a, 2, a0, PTE_V | PTE_X | PTE_A      # execute-only
  la a0, page_d
  PTE_AT l0_a, 3, a0, RWAD | PTE_U               # user page
  la a0, page_a
  PTE_AT l0_a, 4, a0, PTE_R | PTE_W | PTE_A | PTE_D       # V = 0
  PTE_AT l0_a, 5, a0, PTE_V | PTE_W | PTE_A | PTE_D       # W without R: reserved
  PTE_AT l0_a, 6, a0, PTE_V                      # pointer at the last level
  la a0, xpage
  PTE_AT l0_a, 7, a0, PTE_V | PTE_R | PTE_X | PTE_A
  PTE_AT l0_a, 8, a0, PTE_V | PTE_R | PTE_A      # code page without X
  PTE_AT l0_a, 9, a0, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
  la a0, page_a
  PTE_AT l0_a, 10, a0, RWAD                      # remapped by the sfence tests
  # root_s2: same, but 0x140000000 -> the other 2 MiB page
  COPY_PAGE root_s2, root_s
  la a0, l1_y
  PTE_AT root_s2, 5, a0, PTE_V
  # root_u: same, with the identity map user-accessible (for U code)
  COPY_PAGE root_u, root_s
  li a0, RAM_PA
  PTE_AT root_u, 2, a0, RWAD | PTE_X | PTE_U
  # page contents
  li a0, MARK_A
  la a1, page_a
  sd a0, 0(a1)
  li a0, MARK_B
  la a1, page_b
  sd a0, 0(a1)
  li a0, MARK_C
  la a1, page_c
  sd a0, 0(a1)
  li a0, MARK_D
  la a1, page_d
  sd a0, 0(a1)
  li a0, MARK_40
  li a1, MEGA_PA
  sd a0, 0(a1)
  li a0, MARK_60
  li a1, MEGA2_PA
  sd a0, 0(a1)
  la a1, xpage                                   # li a0, 0x5a; ret
  li a0, 0x05a00513
  sw a0, 0(a1)
  li a0, 0x00008067
  sw a0, 4(a1)
  fence.i

  # ---- satp ----
  SATP_FOR s11, root_s, 1
  csrw satp, s11
  csrr a0, satp
  CHECK_REG 1, a0, s11
  li a1, 0xffff << 44
  csrs satp, a1
  CHECK_CSR_MASK 2, satp, 0xffff << 44, 0xffff << 44      # QEMU: ASIDLEN = 16
  li a1, (5 << 60) | 0x1234                      # unsupported mode: no effect
  csrw satp, a1
  csrr a0, satp
  li a1, 0xffff << 44
  or a1, a1, s11
  CHECK_REG 3, a0, a1
  csrw satp, s11
  sfence.vma

  # ==== S-mode, faults handled in M ====
  GOTO_S s_phase
s_phase:
  li s0, VPAGE(0)
  ld a0, 0(s0)
  CHECK 4, a0, MARK_A
  li a1, 0x1111
  sd a1, 8(s0)                                   # write through the mapping
  la a2, page_a
  ld a0, 8(a2)
  CHECK 5, a0, 0x1111
  # read-only page
  li s1, VPAGE(1)
  ld a0, 0(s1)
  CHECK 6, a0, MARK_B
  addi s2, s1, 16
  TEST_MFAULT 7, CAUSE_STORE_PAGE, s2, sd zero, 16(s1)
  TEST_MFAULT 8, CAUSE_STORE_PAGE, s2, amoadd.d zero, zero, (s2)
  la a2, page_b
  ld a0, 16(a2)
  CHECK 9, a0, 0                                 # nothing was written
  # execute-only page: loads need MXR
  li s1, VPAGE(2)
  TEST_MFAULT 10, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  li a1, MSTATUS_MXR
  csrs sstatus, a1
  ld a0, 0(s1)
  CHECK 11, a0, MARK_C
  TEST_MFAULT 12, CAUSE_STORE_PAGE, s1, sd zero, 0(s1)     # MXR is about reads only
  li a1, MSTATUS_MXR
  csrc sstatus, a1
  # user page from S: needs SUM for loads and stores
  li s1, VPAGE(3)
  TEST_MFAULT 13, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  TEST_MFAULT 14, CAUSE_STORE_PAGE, s1, sd zero, 0(s1)
  li a1, MSTATUS_SUM
  csrs sstatus, a1
  ld a0, 0(s1)
  CHECK 15, a0, MARK_D
  li a1, 0x2222
  sd a1, 8(s1)
  ld a0, 8(s1)
  CHECK 16, a0, 0x2222
  li a1, MSTATUS_SUM
  csrc sstatus, a1
  # invalid and reserved PTEs
  li s1, VPAGE(4)
  TEST_MFAULT 17, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  li s1, VPAGE(5)
  TEST_MFAULT 18, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  TEST_MFAULT 19, CAUSE_STORE_PAGE, s1, sd zero, 0(s1)
  li s1, VPAGE(6)
  TEST_MFAULT 20, CAUSE_LOAD_PAGE, s1, lw a0, 0(s1)
  li s1, 0x1000                                  # root entry 0 is invalid
  TEST_MFAULT 21, CAUSE_LOAD_PAGE, s1, lb a0, 0(s1)
  TEST_MFAULT 22, CAUSE_STORE_PAGE, s1, sb zero, 0(s1)
  # the faulting load did not write its destination
  li a0, 0x77
  TEST_MFAULT 23, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  CHECK 24, a0, 0x77
  # code in an X page runs; without X it faults on fetch
  li s1, VPAGE(7)
  la a1, xpage
  jalr ra, 0(s1)
  CHECK 25, a0, 0x5a
  CLEAR_TRAPS
  li s1, VPAGE(8)
  EXPECT_TRAP 1f
  jalr ra, 0(s1)
1:
  CHECK_TRAP 26, REC_CAUSE, CAUSE_FETCH_PAGE
  CHECK_TRAP 27, REC_EPC, VPAGE(8)
  CHECK_TRAP 28, REC_TVAL, VPAGE(8)
  CHECK_TRAP_STATUS 29, MSTATUS_MPP, MSTATUS_MPP_S
  GOTO_S 2f                                       # (back in M: return to S)
2:
  # S never executes from a user page, SUM or not
  li a1, MSTATUS_SUM
  csrs sstatus, a1
  li s1, VPAGE(9)
  EXPECT_TRAP 3f
  jalr ra, 0(s1)
3:
  CHECK_TRAP 30, REC_CAUSE, CAUSE_FETCH_PAGE
  CHECK_TRAP 31, REC_TVAL, VPAGE(9)
  GOTO_S 4f
4:
  li a1, MSTATUS_SUM
  csrc sstatus, a1
  # 2 MiB page
  li s1, 0x40200000
  ld a0, 0(s1)
  CHECK 32, a0, MARK_40
  li a1, 0x3333
  li s2, 0x40200000 + 0x1238
  sd a1, 0(s2)
  li a2, MEGA_PA + 0x1238
  ld a0, 0(a2)
  CHECK 33, a0, 0x3333
  li s1, 0x40400000                              # misaligned 2 MiB page
  TEST_MFAULT 80, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  # 1 GiB pages
  la a1, page_a
  li a2, 0xc0000000 - RAM_PA
  add s1, a1, a2                                 # page_a through 0xc0000000
  ld a0, 0(s1)
  CHECK 34, a0, MARK_A
  li a1, 0x4444
  sd a1, 16(s1)
  la a2, page_a
  ld a0, 16(a2)
  CHECK 35, a0, 0x4444
  la a1, 5f                                      # no X in that alias
  li a2, 0xc0000000 - RAM_PA
  add s1, a1, a2
  EXPECT_TRAP 5f
  jr s1
5:
  CHECK_TRAP 36, REC_CAUSE, CAUSE_FETCH_PAGE
  la t5, trap_rec
  ld t5, REC_EPC(t5)
  CHECK_REG 37, t5, s1
  la t5, trap_rec
  ld t5, REC_TVAL(t5)
  CHECK_REG 38, t5, s1
  GOTO_S 6f
6:
  la a1, page_a                                  # high half: sign-extended VA
  li a2, 0xffffffffc0000000 - RAM_PA
  add s1, a1, a2
  ld a0, 0(s1)
  CHECK 39, a0, MARK_A
  li s1, 0x100000000                             # misaligned 1 GiB page
  TEST_MFAULT 40, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  TEST_MFAULT 41, CAUSE_STORE_PAGE, s1, sd a0, 0(s1)
  # non-canonical addresses (bits 63:39 must equal bit 38)
  li s1, 0x0000004000000000
  TEST_MFAULT 42, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  li s1, 0xffffff8000000000
  TEST_MFAULT 43, CAUSE_STORE_PAGE, s1, sd a0, 0(s1)
  li s1, 0x8000000080000000
  TEST_MFAULT 44, CAUSE_LOAD_PAGE, s1, lw a0, 0(s1)
  li s1, 0x0000004000000000
  EXPECT_TRAP 7f
  jr s1
7:
  CHECK_TRAP 45, REC_CAUSE, CAUSE_FETCH_PAGE
  CHECK_TRAP 46, REC_TVAL, 0x0000004000000000
  GOTO_S 8f
8:

  # ---- sfence.vma ----
  li s0, VPAGE(10)
  la s1, l0_a
  ld a0, 0(s0)
  CHECK 47, a0, MARK_A
  ld s2, 10*8(s1)                                # PTE -> page_a
  la a0, page_b
  srli a0, a0, 12
  slli a0, a0, 10
  ori s3, a0, PTE_V | PTE_R | PTE_A              # PTE -> page_b, read-only
  sd s3, 10*8(s1)
  sfence.vma
  ld a0, 0(s0)
  CHECK 48, a0, MARK_B
  sd s2, 10*8(s1)
  sfence.vma s0, zero                            # just this address
  ld a0, 0(s0)
  CHECK 49, a0, MARK_A
  sd s3, 10*8(s1)
  li a1, 1
  sfence.vma s0, a1                              # this address in ASID 1
  ld a0, 0(s0)
  CHECK 50, a0, MARK_B
  sd s2, 10*8(s1)
  sfence.vma zero, a1                            # all of ASID 1
  ld a0, 0(s0)
  CHECK 51, a0, MARK_A
  # ---- ASIDs: two address spaces with different mappings ----
  li s0, 0x140000000
  ld a0, 0(s0)
  CHECK 52, a0, MARK_40
  SATP_FOR a1, root_s2, 2
  csrw satp, a1                                  # ASID 2 never held other tables
  ld a0, 0(s0)
  CHECK 53, a0, MARK_60
  SATP_FOR a1, root_s, 1
  csrw satp, a1                                  # ASID 1's tables did not change
  ld a0, 0(s0)
  CHECK 54, a0, MARK_40
  GOTO_M m_phase2

  # ==== page faults delegated to S ====
m_phase2:
  li a0, (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE)
  csrw medeleg, a0
  GOTO_S s_phase2
s_phase2:
  li s1, VPAGE(4)
  TEST_SFAULT 55, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  li s1, VPAGE(1)
  TEST_SFAULT 56, CAUSE_STORE_PAGE, s1, sw a0, 0(s1)
  CHECK_STRAP_STATUS 57, MSTATUS_SPP, MSTATUS_SPP
  li s1, VPAGE(8)
  CLEAR_TRAPS
  EXPECT_STRAP 9f
  jalr ra, 0(s1)
9:
  CHECK_STRAP 58, REC_CAUSE, CAUSE_FETCH_PAGE
  CHECK_STRAP 59, REC_EPC, VPAGE(8)
  CHECK_STRAP 60, REC_TVAL, VPAGE(8)
  CHECK_TRAP 61, REC_COUNT, 0                    # M saw none of them
  GOTO_M m_phase3

  # ==== U-mode under root_u (identity map has U) ====
m_phase3:
  csrw medeleg, zero
  SATP_FOR a1, root_u, 3
  csrw satp, a1
  sfence.vma
  GOTO_U u_phase
u_phase:
  li s1, VPAGE(3)
  ld a0, 0(s1)
  CHECK 62, a0, MARK_D
  li s1, VPAGE(0)
  TEST_MFAULT 63, CAUSE_LOAD_PAGE, s1, ld a0, 0(s1)
  TEST_MFAULT 64, CAUSE_STORE_PAGE, s1, sd a0, 0(s1)
  li s1, VPAGE(9)
  jalr ra, 0(s1)                                 # U code page
  CHECK 65, a0, 0x5a
  CLEAR_TRAPS
  li s1, VPAGE(7)                                # S code page
  EXPECT_TRAP 10f
  jalr ra, 0(s1)
10:
  CHECK_TRAP 66, REC_CAUSE, CAUSE_FETCH_PAGE
  CHECK_TRAP_STATUS 67, MSTATUS_MPP, 0
  CHECK_TRAP 68, REC_TVAL, VPAGE(7)

  # ==== MPRV: M-mode loads and stores translated as MPP ====
  SATP_FOR a1, root_s, 1
  csrw satp, a1
  sfence.vma
  li s1, VPAGE(0)
  li a1, MSTATUS_MPP
  csrc mstatus, a1
  li a1, MSTATUS_MPP_S
  csrs mstatus, a1
  li a2, MSTATUS_MPRV
  csrs mstatus, a2
  ld a0, 0(s1)                                   # as S: page_a
  li a3, 0x5555
  sd a3, 24(s1)
  csrc mstatus, a2
  CHECK 69, a0, MARK_A
  la a1, page_a
  ld a0, 24(a1)
  CHECK 70, a0, 0x5555
  # as U: the supervisor page faults (trap taken in M, from M)
  CLEAR_TRAPS
  EXPECT_TRAP 11f
  li a1, MSTATUS_MPP
  csrc mstatus, a1
  li a2, MSTATUS_MPRV
  csrs mstatus, a2
12:
  ld a0, 0(s1)
  FAIL 71
11:
  li a2, MSTATUS_MPRV                            # first thing: MPRV off
  csrc mstatus, a2
  CHECK_TRAP 72, REC_CAUSE, CAUSE_LOAD_PAGE
  CHECK_TRAP 73, REC_TVAL, VPAGE(0)
  CHECK_TRAP_ADDR 74, REC_EPC, 12b
  CHECK_TRAP_STATUS 75, MSTATUS_MPP, MSTATUS_MPP_M
  # as U: the user page is fine
  li s1, VPAGE(3)
  li a1, MSTATUS_MPP
  csrc mstatus, a1
  li a2, MSTATUS_MPRV
  csrs mstatus, a2
  ld a0, 0(s1)
  csrc mstatus, a2
  CHECK 76, a0, MARK_D
  # as S with SUM on the user page; with MXR on the execute-only page
  li a1, MSTATUS_MPP_S | MSTATUS_SUM
  csrs mstatus, a1
  csrs mstatus, a2
  ld a0, 0(s1)
  csrc mstatus, a2
  CHECK 77, a0, MARK_D
  li a1, MSTATUS_SUM
  csrc mstatus, a1
  li s1, VPAGE(2)
  li a1, MSTATUS_MXR
  csrs mstatus, a1
  csrs mstatus, a2
  ld a0, 0(s1)
  csrc mstatus, a2
  CHECK 78, a0, MARK_C
  li a1, MSTATUS_MXR
  csrc mstatus, a1
  # with MPP = M, MPRV changes nothing
  li a1, MSTATUS_MPP_M
  csrs mstatus, a1
  csrs mstatus, a2
  la a1, page_b
  ld a0, 0(a1)
  csrc mstatus, a2
  CHECK 79, a0, MARK_B
  csrw satp, zero
  sfence.vma
  PASS

  .bss
  .align 12
pt_area:
root_s:  .skip 4096
root_s2: .skip 4096
root_u:  .skip 4096
l1_a:    .skip 4096
l1_x:    .skip 4096
l1_y:    .skip 4096
l0_a:    .skip 4096
page_a:  .skip 4096
page_b:  .skip 4096
page_c:  .skip 4096
page_d:  .skip 4096
xpage:   .skip 4096
pt_area_end:
