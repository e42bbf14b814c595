# Privileged state: misa, mhartid, mstatus field WARL behaviour (as QEMU
# shows it), sstatus as a restricted view of mstatus, mret/sret privilege
# transitions and their MPP/SPP/MPIE/SPIE updates, and the trap-virtualisation
# bits: TW (wfi), TSR (sret), TVM (satp and sfence.vma) for S-mode.
# QEMU choices tested: misa is read-only (writes ignored); U-mode wfi traps
# whatever TW says.  Not tested because QEMU 7.2 disagrees with the spec:
# MPP = 2 is kept as written; UXL can be written; mret to S/U leaves MPRV.
#define TEST_NAME "privilege-bits"
#include "harness.h"

#define ISA(c) (1 << ((c) - 'A'))
#define RV64GC_BITS (ISA('I') | ISA('M') | ISA('A') | ISA('F') | ISA('D') | ISA('C') | ISA('S') | ISA('U'))
#define WFI_INSN 0x10500073

/* in M-mode: are we really in mode X? probe with CSR accesses */
test_main:
  # ---- misa / mhartid ----
  csrr a0, misa
  srli a1, a0, 62
  CHECK 1, a1, 2                               # MXL = 64
  li a1, RV64GC_BITS
  and a2, a0, a1
  CHECK_REG 2, a2, a1
  CHECK_CSR_MASK 3, misa, ISA('E') | ISA('Q'), 0
  csrr s0, misa
  li a1, ISA('C') | ISA('F') | ISA('D')
  csrc misa, a1                                # QEMU: misa is not writable
  csrr a0, misa
  CHECK_REG 4, a0, s0
  CHECK_CSR 5, mhartid, 0

  # ---- mstatus fields ----
  csrr s0, mstatus
  srli a0, s0, 32
  andi a0, a0, 0xf
  CHECK 6, a0, 0xa                             # UXL = SXL = 64-bit
  li a1, MSTATUS_XS | MSTATUS_UBE | (1 << 4) | (1 << 2) | (1 << 0) | 0xff800000
  and a0, s0, a1
  CHECK 7, a0, 0                               # XS, UBE, WPRI bits read 0
  li a1, MSTATUS_MPP
  csrc mstatus, a1
  CHECK_CSR_MASK 8, mstatus, MSTATUS_MPP, 0
  li a1, MSTATUS_MPP_S
  csrs mstatus, a1
  CHECK_CSR_MASK 9, mstatus, MSTATUS_MPP, MSTATUS_MPP_S
  li a1, MSTATUS_MPP_M
  csrs mstatus, a1
  CHECK_CSR_MASK 10, mstatus, MSTATUS_MPP, MSTATUS_MPP_M
  # single-bit fields are plainly writable (MPRV is left alone here)
#define ONEBITS (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
  li s1, ONEBITS
  csrs mstatus, s1
  CHECK_CSR_MASK 11, mstatus, ONEBITS, ONEBITS
  csrc mstatus, s1
  CHECK_CSR_MASK 12, mstatus, ONEBITS, 0
  li a1, MSTATUS_MPRV
  csrs mstatus, a1
  CHECK_CSR_MASK 13, mstatus, MSTATUS_MPRV, MSTATUS_MPRV
  csrc mstatus, a1
  CHECK_CSR_MASK 14, mstatus, MSTATUS_MPRV, 0
  # SD summarises FS (XS is 0)
  li a1, MSTATUS_FS
  csrs mstatus, a1
  csrr a0, mstatus
  srli a0, a0, 63
  CHECK 15, a0, 1
  csrc mstatus, a1
  csrr a0, mstatus
  srli a0, a0, 63
  CHECK 16, a0, 0
  li a1, MSTATUS_FS_INITIAL
  csrs mstatus, a1

  # ---- sstatus is a window on mstatus ----
#define SVIEW (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)
#define MONLY (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
  li a1, MONLY
  csrs mstatus, a1
  CHECK_CSR_MASK 17, sstatus, MONLY, 0         # M-only fields are invisible
  li a1, MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM
  csrs sstatus, a1
  CHECK_CSR_MASK 18, mstatus, MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM, MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM
  li a1, MSTATUS_SPIE | MSTATUS_MXR
  csrs mstatus, a1
  CHECK_CSR_MASK 19, sstatus, SVIEW, MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_SPIE | MSTATUS_MXR | MSTATUS_FS_INITIAL
  li a1, MONLY
  csrc sstatus, a1                             # no effect on M-only fields
  CHECK_CSR_MASK 20, mstatus, MONLY, MONLY
  csrs sstatus, a1
  CHECK_CSR_MASK 21, mstatus, MONLY, MONLY
  li a1, MONLY | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
  csrc mstatus, a1
  CHECK_CSR_MASK 22, sstatus, SVIEW, MSTATUS_FS_INITIAL
  csrr a0, sstatus
  srli a0, a0, 32
  andi a0, a0, 3
  CHECK 23, a0, 2                              # UXL visible in sstatus

  # ---- mret to S / U ----
  # MPP = S: we land in S (S CSRs work, M CSRs trap)
  GOTO_S 1f
1:
  TEST_NO_TRAP 24, csrr a0, sstatus
  TEST_ILLEGAL 25, csrr a0, mstatus
  GOTO_M 2f
2:
  CHECK_TRAP_STATUS 26, MSTATUS_MPP, MSTATUS_MPP_S    # the ecall came from S
  GOTO_U 3f
3:
  TEST_ILLEGAL 27, csrr a0, sstatus
  GOTO_M 4f
4:
  CHECK_TRAP_STATUS 28, MSTATUS_MPP, 0
  # mret: MIE <- MPIE, MPIE <- 1, MPP <- U
  li a1, MSTATUS_MPP | MSTATUS_MIE
  csrc mstatus, a1
  li a1, MSTATUS_MPP_S | MSTATUS_MPIE
  csrs mstatus, a1
  la a1, 5f
  csrw mepc, a1
  mret
5:
  li t5, 0
  EXPECT_TRAP 6f
  ecall                          # from S: MPIE records the MIE S ran with
6:
  CHECK_TRAP_STATUS 29, MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP_S
  CHECK_TRAP 30, REC_CAUSE, CAUSE_ECALL_S
  li a1, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE
  csrc mstatus, a1
  li a1, MSTATUS_MPP_S
  csrs mstatus, a1
  la a1, 7f
  csrw mepc, a1
  mret
7:
  li t5, 0
  EXPECT_TRAP 8f
  ecall
8:
  CHECK_TRAP_STATUS 31, MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPP_S
  # mret to M: MPP becomes U afterwards
  li a1, MSTATUS_MPP_M | MSTATUS_MPIE
  csrs mstatus, a1
  la a1, 9f
  csrw mepc, a1
  mret
9:
  CHECK_CSR_MASK 32, mstatus, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPIE | MSTATUS_MIE
  csrci mstatus, MSTATUS_MIE
  # ---- sret from S: to U and to S ----
  GOTO_S 10f
10:
  SGOTO_U 11f
11:
  TEST_ILLEGAL 33, csrr a0, sscratch
  GOTO_M 12f
12:
  CHECK_TRAP_STATUS 34, MSTATUS_MPP, 0         # it was U
  GOTO_S 13f
13:
  li a1, MSTATUS_SPP
  csrs sstatus, a1
  la a1, 14f
  csrw sepc, a1
  sret
14:
  TEST_NO_TRAP 35, csrr a0, sscratch           # still S
  CHECK_CSR_MASK 36, sstatus, MSTATUS_SPP, 0   # SPP <- U
  # sret in M-mode works too (returns to SPP)
  GOTO_M 15f
15:
  li a1, MSTATUS_SPP
  csrs mstatus, a1
  la a1, 16f
  csrw sepc, a1
  sret
16:
  TEST_NO_TRAP 37, csrr a0, sscratch
  TEST_ILLEGAL 38, csrr a0, mscratch
  GOTO_M 17f
17:

  # ---- TW ----
  # make wfi return at once: a pending, enabled, delegated S interrupt
  # while S runs with SIE = 0
  li a1, MSTATUS_SIE | MSTATUS_SPIE
  csrc mstatus, a1
  li a1, MIP_SSIP
  csrw mideleg, a1
  csrw mie, a1
  csrs mip, a1
  TEST_NO_TRAP 39, wfi                         # M: never trapped
  li a1, MSTATUS_TW
  csrs mstatus, a1
  TEST_NO_TRAP 40, wfi                         # M ignores TW
  GOTO_S 18f
18:
  TEST_ILLEGAL 41, wfi
  CHECK_TRAP 42, REC_TVAL, WFI_INSN
  GOTO_M 19f
19:
  li a1, MSTATUS_TW
  csrc mstatus, a1
  GOTO_S 20f
20:
  TEST_NO_TRAP 43, wfi                         # S with TW = 0
  GOTO_M 21f
21:
  csrw mie, zero
  li a1, MIP_SSIP
  csrc mip, a1
  csrw mideleg, zero
  GOTO_U 22f
22:
  TEST_ILLEGAL 44, wfi                         # U: QEMU always traps
  GOTO_M 23f
23:

  # ---- TSR ----
  li a1, MSTATUS_TSR
  csrs mstatus, a1
  GOTO_S 24f
24:
  TEST_ILLEGAL 45, sret
  GOTO_M 25f
25:
  # M may still sret with TSR = 1
  li a1, MSTATUS_SPP
  csrs mstatus, a1
  la a1, 26f
  csrw sepc, a1
  CLEAR_TRAPS
  sret
26:
  CHECK_TRAP 46, REC_COUNT, 0
  GOTO_M 27f
27:
  li a1, MSTATUS_TSR
  csrc mstatus, a1
  GOTO_S 28f
28:
  li a1, MSTATUS_SPP
  csrs sstatus, a1
  la a1, 29f
  csrw sepc, a1
  sret                           # allowed again
29:
  # ---- TVM ----
  TEST_NO_TRAP 47, csrr a0, satp
  TEST_NO_TRAP 48, sfence.vma
  GOTO_M 30f
30:
  li a1, MSTATUS_TVM
  csrs mstatus, a1
  GOTO_S 31f
31:
  TEST_ILLEGAL 49, csrr a0, satp
  TEST_ILLEGAL 50, csrw satp, zero
  TEST_ILLEGAL 51, sfence.vma
  TEST_ILLEGAL 52, sfence.vma a0, a1
  TEST_NO_TRAP 53, csrr a0, sscratch           # other S CSRs are fine
  GOTO_M 32f
32:
  TEST_NO_TRAP 54, csrr a0, satp               # M ignores TVM
  TEST_NO_TRAP 55, sfence.vma
  li a1, MSTATUS_TVM
  csrc mstatus, a1
  PASS
