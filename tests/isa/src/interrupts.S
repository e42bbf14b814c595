# Interrupts: machine software (CLINT msip) and timer (mtimecmp) interrupts,
# mip bits following the CLINT, global enable rules (MIE for M-mode; M-level
# interrupts always enabled below M; S-level ones masked in M when
# delegated, enabled in U regardless of SIE), mcause/mepc/MPIE on entry,
# priority (MSI before MTI, SSI before STI), vectored mtvec and
# stvec, S-mode software/timer/external interrupts raised by M-mode through
# mip.SSIP/STIP/SEIP and delegated with mideleg, sip/sie as masked views of
# mip/mie, and wfi waking up with interrupts globally disabled.
#define TEST_NAME "interrupts"
#include "harness.h"

#define MCAUSE_INT(n) (INTR_BIT | (n))

/* vectored-mode stub: note which entry was used, then the normal handler */
.macro VSTUB n, handler, scratch, hit
  csrrw sp, \scratch, sp
  sd t0, 40(sp)
  sd t1, 48(sp)
  la t0, \hit
  li t1, \n
  sd t1, 0(t0)
  ld t0, 40(sp)
  ld t1, 48(sp)
  csrrw sp, \scratch, sp
  j \handler
.endm

/* spin until trap_rec (or strap_rec) counts `n` traps; fail test `num`
   if that has not happened within 1 s of mtime (10^7 ticks at 10 MHz) */
.macro WAIT_TRAPS num, rec, n
  li t0, CLINT_MTIME
  ld t3, 0(t0)
  li t1, 10000000
  add t3, t3, t1
.Lw\@:
  la t1, \rec
  ld t1, REC_COUNT(t1)
  li t2, \n
  beq t1, t2, .Lwok\@
  li t0, CLINT_MTIME
  ld t0, 0(t0)
  bltu t0, t3, .Lw\@
  FAIL \num
.Lwok\@:
.endm

test_main:
  li s0, CLINT_MSIP
  li s1, CLINT_MTIMECMP
  li s2, CLINT_MTIME
  # ---- machine software interrupt ----
  CHECK_CSR_MASK 1, mip, MIP_MSIP, 0
  li a0, 1
  sw a0, 0(s0)                   # msip = 1
  CHECK_CSR_MASK 2, mip, MIP_MSIP, MIP_MSIP
  li a0, MIP_MSIP
  csrs mie, a0
  CLEAR_TRAPS
  nop                            # MIE = 0: nothing happens
  CHECK_TRAP 3, REC_COUNT, 0
  csrsi mstatus, MSTATUS_MIE
1:
  nop
  CHECK_TRAP 4, REC_COUNT, 1
  CHECK_TRAP 5, REC_CAUSE, MCAUSE_INT(IRQ_MSI)
  CHECK_TRAP_ADDR 6, REC_EPC, 1b          # the next instruction to run
  CHECK_TRAP 7, REC_TVAL, 0
  CHECK_TRAP_STATUS 8, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP_M
  CHECK_CSR_MASK 9, mstatus, MSTATUS_MIE, MSTATUS_MIE     # restored by mret
  csrci mstatus, MSTATUS_MIE
  sw zero, 0(s0)
  CHECK_CSR_MASK 10, mip, MIP_MSIP, 0
  # mip.MSIP is read-only: it follows the CLINT only
  li a0, MIP_MSIP
  csrs mip, a0
  CHECK_CSR_MASK 11, mip, MIP_MSIP, 0
  # an M-level interrupt is taken in S- and U-mode even with MIE = 0
  CLEAR_TRAPS
  li a0, MIP_MSIP
  csrs mie, a0
  GOTO_U 2f
2:
  li a0, 1
  sw a0, 0(s0)
  li a0, 10                      # give the CLINT write time to arrive
3:
  addi a0, a0, -1
  bnez a0, 3b
  GOTO_M 4f
4:
  CHECK_TRAP 12, REC_COUNT, 1
  CHECK_TRAP 13, REC_CAUSE, MCAUSE_INT(IRQ_MSI)
  CHECK_TRAP_STATUS 14, MSTATUS_MPP, 0
  sw zero, 0(s0)

  # ---- machine timer interrupt ----
  CHECK_CSR_MASK 15, mip, MIP_MTIP, 0     # harness set mtimecmp = -1
  CLEAR_TRAPS
  li a0, MIP_MTIP
  csrs mie, a0
  csrsi mstatus, MSTATUS_MIE
  ld a0, 0(s2)
  addi a0, a0, 100
  sd a0, 0(s1)                   # mtimecmp = mtime + 100
  WAIT_TRAPS 16, trap_rec, 1
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP 17, REC_CAUSE, MCAUSE_INT(IRQ_MTI)
  CHECK_CSR_MASK 18, mip, MIP_MTIP, MIP_MTIP        # still pending (level)
  li a0, MIP_MTIP
  csrc mip, a0                   # read-only in mip: no effect
  CHECK_CSR_MASK 19, mip, MIP_MTIP, MIP_MTIP
  li a0, -1
  sd a0, 0(s1)
  CHECK_CSR_MASK 20, mip, MIP_MTIP, 0
  # wfi with MIE = 0 wakes up on an enabled pending interrupt, no trap
  CLEAR_TRAPS
  li a0, MIP_MTIP
  csrs mie, a0
  ld a0, 0(s2)
  addi a0, a0, 200
  sd a0, 0(s1)
  li s3, 1000
5:
  wfi
  csrr a0, mip
  andi a0, a0, MIP_MTIP
  bnez a0, 6f
  addi s3, s3, -1
  bnez s3, 5b
  FAIL 21
6:
  CHECK_TRAP 22, REC_COUNT, 0
  # wfi with MIE = 1: the interrupt is taken, mepc = the instruction after
  # wfi.  The timer may also fire just before the wfi; so that the wfi can
  # never sleep for good, this handler re-arms the timer and returns with
  # MIE = 0 (the re-armed interrupt then only wakes the wfi).
  CLEAR_TRAPS
  csrr s4, mtvec
  la a0, rearm_handler
  csrw mtvec, a0
  li a0, MIP_MTIP
  csrw mie, a0
  ld a0, 0(s2)
  addi a0, a0, 300
  sd a0, 0(s1)
  csrsi mstatus, MSTATUS_MIE
7:
  wfi
8:
  csrci mstatus, MSTATUS_MIE
  csrw mie, zero
  csrw mtvec, s4
  CHECK_TRAP 23, REC_COUNT, 1
  CHECK_TRAP 24, REC_CAUSE, MCAUSE_INT(IRQ_MTI)
  la t5, trap_rec
  ld t5, REC_EPC(t5)
  la t6, 7b
  beq t5, t6, 9f                 # taken just before the wfi
  la t6, 8b                      # or while waiting in it (the usual case)
  CHECK_REG 25, t5, t6
9:
  li a0, -1
  sd a0, 0(s1)

  # ---- priority: MSI before MTI ----
  CLEAR_TRAPS
  sd zero, 0(s1)                 # MTIP now
  li a0, 1
  sw a0, 0(s0)                   # MSIP now
  li a0, MIP_MSIP | MIP_MTIP
  csrs mie, a0
  csrsi mstatus, MSTATUS_MIE     # the handler clears mie after the first
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP 26, REC_COUNT, 1
  CHECK_TRAP 27, REC_CAUSE, MCAUSE_INT(IRQ_MSI)

  # ---- vectored mtvec ----
  csrr s4, mtvec
  la a0, mvtable
  ori a0, a0, 1
  csrw mtvec, a0
  CLEAR_TRAPS
  sw zero, 0(s0)                 # MTI still pending, MSI not
  li a0, MIP_MTIP
  csrs mie, a0
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_MEM 28, vec_hit, IRQ_MTI
  CHECK_TRAP 29, REC_CAUSE, MCAUSE_INT(IRQ_MTI)
  li a0, -1
  sd a0, 0(s1)
  li a0, 1
  sw a0, 0(s0)
  li a0, MIP_MSIP
  csrs mie, a0
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_MEM 30, vec_hit, IRQ_MSI
  sw zero, 0(s0)
  # exceptions still use the base (entry 0)
  EXPECT_TRAP_SKIP
  ebreak
  CHECK_MEM 31, vec_hit, 0
  csrw mtvec, s4

  # ---- S-mode interrupts raised by M through mip, delegated ----
  li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrw mideleg, a0
  csrw mie, a0                   # SSIE, STIE, SEIE
  CHECK_CSR 32, sie, MIP_SSIP | MIP_STIP | MIP_SEIP
  CLEAR_TRAPS
  li a0, MIP_SSIP
  csrs mip, a0
  CHECK_CSR_MASK 33, sip, MIP_SSIP, MIP_SSIP
  csrsi mstatus, MSTATUS_MIE     # M-mode: delegated interrupts are not taken
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_STRAP 34, REC_COUNT, 0
  CHECK_TRAP 35, REC_COUNT, 0
  li a0, MSTATUS_SPIE | MSTATUS_SIE
  csrc mstatus, a0
  GOTO_S 10f                     # S with SIE = 0: not taken either
10:
  nop
  CHECK_STRAP 36, REC_COUNT, 0
  csrsi sstatus, MSTATUS_SIE
11:
  nop
  csrci sstatus, MSTATUS_SIE
  CHECK_STRAP 37, REC_COUNT, 1
  CHECK_STRAP 38, REC_CAUSE, MCAUSE_INT(IRQ_SSI)
  CHECK_STRAP_ADDR 39, REC_EPC, 11b
  CHECK_STRAP_STATUS 40, MSTATUS_SPP | MSTATUS_SPIE, MSTATUS_SPP | MSTATUS_SPIE
  CHECK_TRAP 41, REC_COUNT, 0
  # S clears its own software interrupt
  li a0, MIP_SSIP
  csrc sip, a0
  CHECK_CSR_MASK 42, sip, MIP_SSIP, 0
  # U-mode: S-level interrupts are enabled whatever SIE says
  li a0, MIP_SSIP
  csrs sie, a0
  csrs sip, a0                   # S may set SSIP too
  CLEAR_TRAPS
  SGOTO_U 12f
12:
  nop
  GOTO_M 13f
13:
  CHECK_STRAP 43, REC_COUNT, 1
  CHECK_STRAP 44, REC_CAUSE, MCAUSE_INT(IRQ_SSI)
  CHECK_STRAP_STATUS 45, MSTATUS_SPP, 0
  li a0, MIP_SSIP
  csrc mip, a0
  # priority among S interrupts: SSI before STI.  (The spec also puts SEI
  # first; QEMU 7.2 without AIA takes the lowest-numbered pending interrupt,
  # so SEI is tested on its own.)
  li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrw mie, a0
  li a0, MIP_SSIP | MIP_STIP
  csrs mip, a0
  CLEAR_TRAPS
  GOTO_S 14f
14:
  csrsi sstatus, MSTATUS_SIE     # handler clears sie after the first one
  nop
  csrci sstatus, MSTATUS_SIE
  CHECK_STRAP 46, REC_COUNT, 1
  CHECK_STRAP 47, REC_CAUSE, MCAUSE_INT(IRQ_SSI)
  li a0, MIP_SSIP
  csrc sip, a0
  li a0, MIP_STIP
  csrs sie, a0
  csrsi sstatus, MSTATUS_SIE
  nop
  csrci sstatus, MSTATUS_SIE
  CHECK_STRAP 48, REC_CAUSE, MCAUSE_INT(IRQ_STI)
  GOTO_M 18f
18:
  li a0, MIP_STIP
  csrc mip, a0
  li a0, MIP_SEIP
  csrs mip, a0
  GOTO_S 19f
19:
  li a0, MIP_SEIP
  csrs sie, a0
  csrsi sstatus, MSTATUS_SIE
  nop
  csrci sstatus, MSTATUS_SIE
  CHECK_STRAP 49, REC_CAUSE, MCAUSE_INT(IRQ_SEI)
  CHECK_STRAP 50, REC_COUNT, 3
  GOTO_M 20f
20:
  li a0, MIP_SEIP
  csrc mip, a0
  li a0, MIP_STIP
  csrs mip, a0
  GOTO_S 21f
21:
  # vectored stvec
  csrr s5, stvec
  la a0, svtable
  ori a0, a0, 1
  csrw stvec, a0
  li a0, MIP_STIP
  csrs sie, a0
  csrsi sstatus, MSTATUS_SIE
  nop
  csrci sstatus, MSTATUS_SIE
  CHECK_MEM 51, svec_hit, IRQ_STI
  csrw stvec, s5
  GOTO_M 15f
15:
  li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrc mip, a0
  CHECK_CSR_MASK 52, mip, MIP_SSIP | MIP_STIP | MIP_SEIP, 0

  # ---- sip / sie only show delegated bits ----
  csrw mideleg, zero
  li a0, MIP_SSIP | MIP_STIP
  csrw mie, a0
  csrs mip, a0
  CHECK_CSR_MASK 53, sip, 0x222, 0
  CHECK_CSR_MASK 54, sie, 0x222, 0
  li a0, MIP_SSIP
  csrw mideleg, a0
  CHECK_CSR_MASK 55, sip, 0x222, MIP_SSIP
  CHECK_CSR_MASK 56, sie, 0x222, MIP_SSIP
  li a0, MIP_STIP
  csrc sie, a0                   # not delegated: no effect on mie
  CHECK_CSR_MASK 57, mie, MIP_STIP, MIP_STIP
  csrw mie, zero
  li a0, MIP_SSIP | MIP_STIP
  csrc mip, a0
  # an undelegated S-level interrupt goes to M, even from S with MIE = 0
  csrw mideleg, zero
  li a0, MIP_SSIP
  csrw mie, a0
  csrs mip, a0
  CLEAR_TRAPS
  GOTO_S 16f
16:
  nop
  GOTO_M 17f
17:
  CHECK_TRAP 58, REC_CAUSE, MCAUSE_INT(IRQ_SSI)
  CHECK_TRAP_STATUS 59, MSTATUS_MPP, MSTATUS_MPP_S
  CHECK_STRAP 60, REC_COUNT, 0
  li a0, MIP_SSIP
  csrc mip, a0
  csrw mie, zero
  PASS

  .balign 4
rearm_handler:
  csrrw sp, mscratch, sp
  sd t0, 0(sp)
  sd t1, 8(sp)
  la t0, trap_rec
  csrr t1, mcause
  sd t1, REC_CAUSE(t0)
  csrr t1, mepc
  sd t1, REC_EPC(t0)
  ld t1, REC_COUNT(t0)
  addi t1, t1, 1
  sd t1, REC_COUNT(t0)
  li t0, CLINT_MTIME
  ld t1, 0(t0)
  addi t1, t1, 100
  li t0, CLINT_MTIMECMP
  sd t1, 0(t0)
  li t0, MSTATUS_MPIE
  csrc mstatus, t0
  ld t0, 0(sp)
  ld t1, 8(sp)
  csrrw sp, mscratch, sp
  mret

  .balign 256
mvtable:
  j mvstub0
  .rept 2
  j vbad
  .endr
  j mvstub3
  .rept 3
  j vbad
  .endr
  j mvstub7
  .rept 8
  j vbad
  .endr
mvstub0: VSTUB 0, harness_mtrap, mscratch, vec_hit
mvstub3: VSTUB 3, harness_mtrap, mscratch, vec_hit
mvstub7: VSTUB 7, harness_mtrap, mscratch, vec_hit

  .balign 256
svtable:
  .rept 5
  j vbad
  .endr
  j svstub5
  .rept 10
  j vbad
  .endr
svstub5: VSTUB 5, harness_strap, sscratch, svec_hit
vbad:
  FAIL 99

  .data
  .align 3
vec_hit:  .dword -1
svec_hit: .dword -1
