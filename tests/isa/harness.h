/*
 * harness.h - the runtime every mica ISA test is built on.
 *
 * A test defines TEST_NAME, includes this file and provides `test_main`
 * (entered in M-mode with a stack, mtvec/stvec pointing at the harness trap
 * handlers, mscratch/sscratch pointing at their save areas, PMP opened,
 * mtimecmp = max, mie/mip/medeleg/mideleg/satp = 0, mstatus.FS = Initial).  It finishes with PASS, or a
 * CHECK* macro jumps to the failure report.  Reports go to the NS16550A UART
 * as "isa-<name>: ok" or "isa-<name>: FAIL test <n> ..." and then the SiFive
 * test finisher ends the machine (0x5555 = pass, 0x13333 = fail, exit 1;
 * an unexpected trap exits with code 2).
 *
 * Register conventions: t5 and t6 are scratch for the CHECK macros; t0-t4
 * are preserved across traps the harness handlers deal with (they save
 * them), every other register is preserved as well.  Traps from any mode
 * are recorded in `trap_rec` (M-mode handler) or `strap_rec` (S-mode
 * handler): cause, epc, tval, status-after-trap, count.
 *
 * An exception is only allowed if the test armed the handler first:
 *   EXPECT_TRAP label   - after the next exception continue at `label`
 *                          in M-mode (M handler) / S-mode (S handler)
 *   EXPECT_TRAP_SKIP    - after the next exception skip the faulting
 *                          instruction and stay in the same mode
 * (EXPECT_STRAP / EXPECT_STRAP_SKIP arm the S-mode handler the same way.)
 * Unarmed exceptions end the test as a failure.  Interrupts are recorded,
 * the interrupt-enable register (mie / sie) is cleared so the interrupt
 * cannot fire again, and execution resumes where it was.
 *
 * PASS, failure reports and GOTO_M work from any privilege mode: they use
 * `ecall` with a magic number in t5 (an S-mode handler forwards these to M).
 */

#define UART_BASE     0x10000000
#define FINISHER_BASE 0x100000
#define CLINT_BASE    0x2000000
#define NOWHERE       0x1000000   /* no device, no memory: access faults */
#define CLINT_MSIP    (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME   (CLINT_BASE + 0xbff8)

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPP_M (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)
#define MSTATUS_XS    (3 << 15)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_UXL   (3 << 32)
#define MSTATUS_SXL   (3 << 34)
#define MSTATUS_SD    (1 << 63)

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)
#define INTR_BIT 0x8000000000000000

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15

/* Sv39 page-table entry bits */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define SATP_SV39 (8 << 60)

#define MAGIC_PASS    0x6d696361
#define MAGIC_FAIL    0x6d696362
#define MAGIC_GOTO_M  0x6d696363
#define MAGIC_UNEXP_S 0x6d696364

/* offsets inside trap_rec / strap_rec */
#define REC_CAUSE  0
#define REC_EPC    8
#define REC_TVAL   16
#define REC_STATUS 24
#define REC_COUNT  32

/* All code is assembled without compressed instructions unless a test asks
   for them with `.option rvc` / explicit c.* mnemonics, so that a core can
   run the non-RVC tests before its RVC decoder works. */
  .option norvc

/* ------------------------------------------------------------------ */
/* Check macros.  `num` is the test number printed on failure.         */

/* integer register == constant */
.macro CHECK num, reg, val
  li t6, \val
  beq \reg, t6, .Lck\@
  mv a1, \reg
  mv a2, t6
  li a0, \num
  j harness_fail
.Lck\@:
.endm

/* unconditional failure of test `num` */
.macro FAIL num
  li a0, \num
  li a1, 0
  li a2, 0
  j harness_fail
.endm

/* integer register == integer register */
.macro CHECK_REG num, reg, reg2
  beq \reg, \reg2, .Lck\@
  mv t6, \reg2
  mv a1, \reg
  mv a2, t6
  li a0, \num
  j harness_fail
.Lck\@:
.endm

/* integer register != constant */
.macro CHECK_NE num, reg, val
  li t6, \val
  bne \reg, t6, .Lck\@
  mv a1, \reg
  mv a2, t6
  li a0, \num
  j harness_fail
.Lck\@:
.endm

/* raw 64 bits of an FP register == constant (singles: include the box) */
.macro CHECK_FBITS num, freg, val
  fmv.x.d t5, \freg
  CHECK \num, t5, \val
.endm

/* single-precision value, NaN-boxed */
.macro CHECK_FS num, freg, bits32
  CHECK_FBITS \num, \freg, (0xffffffff00000000 | (\bits32))
.endm

/* fflags == constant, then clear fflags */
.macro CHECK_FFLAGS num, val
  csrrw t5, fflags, zero
  CHECK \num, t5, \val
.endm

/* CSR == constant */
.macro CHECK_CSR num, csr, val
  csrr t5, \csr
  CHECK \num, t5, \val
.endm

/* word in memory at symbol == constant */
.macro CHECK_MEM num, sym, val
  la t5, \sym
  ld t5, 0(t5)
  CHECK \num, t5, \val
.endm

/* fields of the last trap taken by the M-mode handler */
.macro CHECK_TRAP num, field, val
  la t5, trap_rec
  ld t5, \field(t5)
  CHECK \num, t5, \val
.endm
/* ... compared against an address (label) */
.macro CHECK_TRAP_ADDR num, field, label
  la t5, trap_rec
  ld t5, \field(t5)
  la t6, \label
  CHECK_REG \num, t5, t6
.endm
/* (mstatus recorded at the last M-mode trap) & mask == val */
.macro CHECK_TRAP_STATUS num, mask, val
  la t5, trap_rec
  ld t5, REC_STATUS(t5)
  li t6, \mask
  and t5, t5, t6
  CHECK \num, t5, \val
.endm
/* (sstatus recorded at the last S-mode trap) & mask == val */
.macro CHECK_STRAP_STATUS num, mask, val
  la t5, strap_rec
  ld t5, REC_STATUS(t5)
  li t6, \mask
  and t5, t5, t6
  CHECK \num, t5, \val
.endm
/* CSR & mask == val */
.macro CHECK_CSR_MASK num, csr, mask, val
  csrr t5, \csr
  li t6, \mask
  and t5, t5, t6
  CHECK \num, t5, \val
.endm

/* the last S-mode trap was at `label` with stval = the instruction there */
.macro CHECK_STRAP_INSN num, label
  CHECK_STRAP_ADDR \num, REC_EPC, \label
  la t5, \label
  lwu t6, 0(t5)
  la t5, strap_rec
  ld t5, REC_TVAL(t5)
  CHECK_REG \num, t5, t6
.endm

/* the last M-mode trap was at `label` with mtval = the instruction there */
.macro CHECK_TRAP_INSN num, label
  CHECK_TRAP_ADDR \num, REC_EPC, \label
  la t5, \label
  lwu t6, 0(t5)
  la t5, trap_rec
  ld t5, REC_TVAL(t5)
  CHECK_REG \num, t5, t6
.endm
.macro CHECK_TRAP_INSN16 num, label
  CHECK_TRAP_ADDR \num, REC_EPC, \label
  la t5, \label
  lhu t6, 0(t5)
  la t5, trap_rec
  ld t5, REC_TVAL(t5)
  CHECK_REG \num, t5, t6
.endm
/* same for the S-mode handler */
.macro CHECK_STRAP num, field, val
  la t5, strap_rec
  ld t5, \field(t5)
  CHECK \num, t5, \val
.endm
.macro CHECK_STRAP_ADDR num, field, label
  la t5, strap_rec
  ld t5, \field(t5)
  la t6, \label
  CHECK_REG \num, t5, t6
.endm

/* a0 = a1 op a2, with a1 = x and a2 = y; expect `res` */
.macro TEST_RR num, op, res, x, y
  li a1, \x
  li a2, \y
  \op a0, a1, a2
  CHECK \num, a0, \res
.endm
/* a0 = a1 op imm */
.macro TEST_RI num, op, res, x, imm
  li a1, \x
  \op a0, a1, \imm
  CHECK \num, a0, \res
.endm
/* rd = rs1 = rs2 (all the same register) */
.macro TEST_RR_SAME num, op, res, x
  li a3, \x
  \op a3, a3, a3
  CHECK \num, a3, \res
.endm

/* ------------------------------------------------------------------ */
/* Trap arming and mode changes                                        */

.macro EXPECT_TRAP label
  la t6, \label
  la t5, trap_resume
  sd t6, 0(t5)
.endm
.macro EXPECT_TRAP_SKIP
  li t6, 1
  la t5, trap_resume
  sd t6, 0(t5)
.endm
.macro EXPECT_STRAP label
  la t6, \label
  la t5, strap_resume
  sd t6, 0(t5)
.endm
.macro EXPECT_STRAP_SKIP
  li t6, 1
  la t5, strap_resume
  sd t6, 0(t5)
.endm

/* cancel an EXPECT_TRAP* that did not fire */
.macro DISARM
  la t5, trap_resume
  sd zero, 0(t5)
  la t5, strap_resume
  sd zero, 0(t5)
.endm

/* `insn` must raise exactly one illegal-instruction trap (to the M-mode
   handler) with mepc at it and mtval = its encoding; it is skipped. */
.macro TEST_ILLEGAL num, insn:vararg
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
.Lill\@:
  \insn
  DISARM
  CHECK_TRAP \num, REC_COUNT, 1
  CHECK_TRAP \num, REC_CAUSE, CAUSE_ILLEGAL
  CHECK_TRAP_INSN \num, .Lill\@
.endm

/* the same for a compressed instruction (mtval = its 16 bits) */
.macro TEST_ILLEGAL16 num, insn:vararg
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
.Lill\@:
  .option push
  .option rvc
  \insn
  .option pop
  DISARM
  CHECK_TRAP \num, REC_COUNT, 1
  CHECK_TRAP \num, REC_CAUSE, CAUSE_ILLEGAL
  CHECK_TRAP_INSN16 \num, .Lill\@
.endm

/* `insn` must not trap */
.macro TEST_NO_TRAP num, insn:vararg
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
  \insn
  DISARM
  CHECK_TRAP \num, REC_COUNT, 0
.endm

/* forget the previous trap records */
.macro CLEAR_TRAPS
  la t5, trap_rec
  sd zero, REC_CAUSE(t5)
  sd zero, REC_EPC(t5)
  sd zero, REC_TVAL(t5)
  sd zero, REC_STATUS(t5)
  sd zero, REC_COUNT(t5)
  la t5, strap_rec
  sd zero, REC_CAUSE(t5)
  sd zero, REC_EPC(t5)
  sd zero, REC_TVAL(t5)
  sd zero, REC_STATUS(t5)
  sd zero, REC_COUNT(t5)
.endm

/* From M-mode: mret to `label` in S-mode / U-mode (MPIE is set to 0). */
.macro GOTO_S label
  li t6, MSTATUS_MPP | MSTATUS_MPIE
  csrc mstatus, t6
  li t6, MSTATUS_MPP_S
  csrs mstatus, t6
  la t6, \label
  csrw mepc, t6
  mret
.endm
.macro GOTO_U label
  li t6, MSTATUS_MPP | MSTATUS_MPIE
  csrc mstatus, t6
  la t6, \label
  csrw mepc, t6
  mret
.endm
/* From S-mode: sret to `label` in U-mode. */
.macro SGOTO_U label
  li t6, MSTATUS_SPP | MSTATUS_SPIE
  csrc sstatus, t6
  la t6, \label
  csrw sepc, t6
  sret
.endm
/* From any mode: continue at `label` in M-mode (uses ecall; clobbers t4-t6). */
.macro GOTO_M label
  la t4, \label
  li t5, MAGIC_GOTO_M
  ecall
.endm

.macro PASS
  j harness_pass
.endm

/* zero `len` bytes (a multiple of 8) from symbol `sym`; clobbers t5, t6 */
.macro ZERO_MEM sym, len
  la t5, \sym
  li t6, \len
  add t6, t6, t5
.Lzm\@:
  sd zero, 0(t5)
  addi t5, t5, 8
  bltu t5, t6, .Lzm\@
.endm

/* ------------------------------------------------------------------ */
/* Runtime                                                             */

  .section .text.init, "ax", @progbits
  .globl _start
_start:
  /* only hart 0 runs the test */
  csrr t0, mhartid
  bnez t0, harness_park
  /* open PMP (QEMU needs it for S/U); if the writes trap, carry on at 1f */
  la t0, 1f
  csrw mtvec, t0
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f              /* NAPOT, R W X */
  csrw pmpcfg0, t0
  .align 2
1:
  /* mtimecmp resets to 0, so the timer interrupt would be pending at once;
     a machine without a CLINT yet just skips this (carry on at 2f) */
  la t0, 2f
  csrw mtvec, t0
  li t0, CLINT_MTIMECMP
  li t1, -1
  sd t1, 0(t0)
  .align 2
2:
  la t0, harness_mtrap
  csrw mtvec, t0
  la t0, harness_strap
  csrw stvec, t0
  la sp, harness_stack_top
  la t0, harness_msave
  csrw mscratch, t0
  la t0, harness_ssave
  csrw sscratch, t0
  csrw mie, zero
  csrw mip, zero
  csrw medeleg, zero
  csrw mideleg, zero
  csrw satp, zero
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrw fcsr, zero
  li ra, 0
  li t0, 0
  j test_main

harness_park:
  wfi
  j harness_park

/* ---- M-mode trap handler ---- */
  .align 2
harness_mtrap:
  csrrw sp, mscratch, sp
  sd t0, 0(sp)
  sd t1, 8(sp)
  sd t2, 16(sp)
  sd t3, 24(sp)
  sd t4, 32(sp)
  csrr t0, mcause
  bltz t0, .Lm_interrupt
  /* ecall carrying a harness request? */
  li t1, CAUSE_ECALL_U
  beq t0, t1, .Lm_ecall
  li t1, CAUSE_ECALL_S
  beq t0, t1, .Lm_ecall
  li t1, CAUSE_ECALL_M
  beq t0, t1, .Lm_ecall
.Lm_record:
  la t1, trap_rec
  sd t0, REC_CAUSE(t1)
  csrr t2, mepc
  sd t2, REC_EPC(t1)
  csrr t2, mtval
  sd t2, REC_TVAL(t1)
  csrr t2, mstatus
  sd t2, REC_STATUS(t1)
  ld t2, REC_COUNT(t1)
  addi t2, t2, 1
  sd t2, REC_COUNT(t1)
  la t1, trap_resume
  ld t2, 0(t1)
  sd zero, 0(t1)
  beqz t2, .Lm_unexpected
  li t3, 1
  beq t2, t3, .Lm_skip
  /* resume at a label, in M-mode */
  csrw mepc, t2
  li t3, MSTATUS_MPP_M
  csrs mstatus, t3
  j .Lm_return
.Lm_skip:
  csrr t2, mepc
  lhu t3, 0(t2)
  andi t3, t3, 3
  li t4, 3
  addi t2, t2, 2
  bne t3, t4, 1f
  addi t2, t2, 2
1:
  csrw mepc, t2
.Lm_return:
  ld t0, 0(sp)
  ld t1, 8(sp)
  ld t2, 16(sp)
  ld t3, 24(sp)
  ld t4, 32(sp)
  csrrw sp, mscratch, sp
  mret

.Lm_interrupt:
  la t1, trap_rec
  sd t0, REC_CAUSE(t1)
  csrr t2, mepc
  sd t2, REC_EPC(t1)
  csrr t2, mtval
  sd t2, REC_TVAL(t1)
  csrr t2, mstatus
  sd t2, REC_STATUS(t1)
  ld t2, REC_COUNT(t1)
  addi t2, t2, 1
  sd t2, REC_COUNT(t1)
  csrw mie, zero
  j .Lm_return

.Lm_ecall:
  li t1, MAGIC_PASS
  beq t5, t1, harness_report_pass
  li t1, MAGIC_FAIL
  beq t5, t1, harness_report_fail
  li t1, MAGIC_UNEXP_S
  beq t5, t1, .Lm_unexpected_s
  li t1, MAGIC_GOTO_M
  bne t5, t1, .Lm_record
  csrw mepc, t4
  li t3, MSTATUS_MPP_M
  csrs mstatus, t3
  j .Lm_return

.Lm_unexpected:
  la sp, harness_stack_top
  la a0, harness_msg_trap_m
  csrr s1, mcause
  csrr s2, mepc
  csrr s3, mtval
  j harness_report_trap
.Lm_unexpected_s:
  la sp, harness_stack_top
  la a0, harness_msg_trap_s
  csrr s1, scause
  csrr s2, sepc
  csrr s3, stval
  j harness_report_trap

/* ---- S-mode trap handler ---- */
  .align 2
harness_strap:
  csrrw sp, sscratch, sp
  sd t0, 0(sp)
  sd t1, 8(sp)
  sd t2, 16(sp)
  sd t3, 24(sp)
  sd t4, 32(sp)
  csrr t0, scause
  bltz t0, .Ls_interrupt
  li t1, CAUSE_ECALL_U
  beq t0, t1, .Ls_ecall
  li t1, CAUSE_ECALL_S
  beq t0, t1, .Ls_ecall
.Ls_record:
  la t1, strap_rec
  sd t0, REC_CAUSE(t1)
  csrr t2, sepc
  sd t2, REC_EPC(t1)
  csrr t2, stval
  sd t2, REC_TVAL(t1)
  csrr t2, sstatus
  sd t2, REC_STATUS(t1)
  ld t2, REC_COUNT(t1)
  addi t2, t2, 1
  sd t2, REC_COUNT(t1)
  la t1, strap_resume
  ld t2, 0(t1)
  sd zero, 0(t1)
  beqz t2, .Ls_unexpected
  li t3, 1
  beq t2, t3, .Ls_skip
  csrw sepc, t2
  li t3, MSTATUS_SPP
  csrs sstatus, t3
  j .Ls_return
.Ls_skip:
  csrr t2, sepc
  lhu t3, 0(t2)
  andi t3, t3, 3
  li t4, 3
  addi t2, t2, 2
  bne t3, t4, 1f
  addi t2, t2, 2
1:
  csrw sepc, t2
.Ls_return:
  ld t0, 0(sp)
  ld t1, 8(sp)
  ld t2, 16(sp)
  ld t3, 24(sp)
  ld t4, 32(sp)
  csrrw sp, sscratch, sp
  sret

.Ls_interrupt:
  la t1, strap_rec
  sd t0, REC_CAUSE(t1)
  csrr t2, sepc
  sd t2, REC_EPC(t1)
  csrr t2, stval
  sd t2, REC_TVAL(t1)
  csrr t2, sstatus
  sd t2, REC_STATUS(t1)
  ld t2, REC_COUNT(t1)
  addi t2, t2, 1
  sd t2, REC_COUNT(t1)
  csrw sie, zero
  j .Ls_return

.Ls_ecall:
  /* harness requests are passed on to M-mode untouched */
  li t1, MAGIC_PASS
  beq t5, t1, .Ls_forward
  li t1, MAGIC_FAIL
  beq t5, t1, .Ls_forward
  li t1, MAGIC_GOTO_M
  bne t5, t1, .Ls_record
.Ls_forward:
  ld t0, 0(sp)
  ld t1, 8(sp)
  ld t2, 16(sp)
  ld t3, 24(sp)
  ld t4, 32(sp)
  csrrw sp, sscratch, sp
  ecall
.Ls_unexpected:
  li t5, MAGIC_UNEXP_S
  ecall

/* ---- pass / fail ---- */
harness_pass:
  li t5, MAGIC_PASS
  ecall
  j harness_report_pass     /* in case ecall did not reach the handler */

/* a0 = test number, a1 = value seen, a2 = value expected */
harness_fail:
  li t5, MAGIC_FAIL
  ecall
  j harness_report_fail

harness_report_pass:
  la sp, harness_stack_top
  la a0, harness_msg_prefix
  call harness_puts
  la a0, harness_name
  call harness_puts
  la a0, harness_msg_ok
  call harness_puts
  li t0, FINISHER_BASE
  li t1, 0x5555
  sw t1, 0(t0)
  j harness_park

harness_report_fail:
  la sp, harness_stack_top
  mv s1, a0
  mv s2, a1
  mv s3, a2
  la a0, harness_msg_prefix
  call harness_puts
  la a0, harness_name
  call harness_puts
  la a0, harness_msg_fail
  call harness_puts
  mv a0, s1
  call harness_putdec
  la a0, harness_msg_got
  call harness_puts
  mv a0, s2
  call harness_puthex
  la a0, harness_msg_want
  call harness_puts
  mv a0, s3
  call harness_puthex
  la a0, harness_msg_close
  call harness_puts
  li a0, 1
  j harness_exit

/* a0 = message, s1 = cause, s2 = epc, s3 = tval */
harness_report_trap:
  mv s4, a0
  la a0, harness_msg_prefix
  call harness_puts
  la a0, harness_name
  call harness_puts
  mv a0, s4
  call harness_puts
  mv a0, s1
  call harness_puthex
  la a0, harness_msg_epc
  call harness_puts
  mv a0, s2
  call harness_puthex
  la a0, harness_msg_tval
  call harness_puts
  mv a0, s3
  call harness_puthex
  la a0, harness_msg_nl
  call harness_puts
  li a0, 2
  j harness_exit

/* a0 = exit code (non-zero) */
harness_exit:
  slli a0, a0, 16
  li t0, 0x3333
  or a0, a0, t0
  li t0, FINISHER_BASE
  sw a0, 0(t0)
  j harness_park

/* a0 = character */
harness_putc:
  li t0, UART_BASE
1:
  lbu t1, 5(t0)
  andi t1, t1, 0x20
  beqz t1, 1b
  sb a0, 0(t0)
  ret

/* a0 = NUL-terminated string */
harness_puts:
  mv t2, ra
  mv t3, a0
1:
  lbu a0, 0(t3)
  beqz a0, 2f
  call harness_putc
  addi t3, t3, 1
  j 1b
2:
  mv ra, t2
  ret

/* a0 = value, printed as 0x + 16 hex digits */
harness_puthex:
  mv t2, ra
  mv t3, a0
  li a0, '0'
  call harness_putc
  li a0, 'x'
  call harness_putc
  li t4, 60
1:
  srl a0, t3, t4
  andi a0, a0, 15
  addi a0, a0, '0'
  li t1, '9'
  ble a0, t1, 2f
  addi a0, a0, 'a' - '0' - 10
2:
  call harness_putc
  addi t4, t4, -4
  bgez t4, 1b
  mv ra, t2
  ret

/* a0 = value, printed in decimal */
harness_putdec:
  mv t2, ra
  addi sp, sp, -32
  mv t3, sp
  li t4, 10
1:
  remu t1, a0, t4
  divu a0, a0, t4
  addi t1, t1, '0'
  sb t1, 0(t3)
  addi t3, t3, 1
  bnez a0, 1b
2:
  addi t3, t3, -1
  lbu a0, 0(t3)
  call harness_putc
  bne t3, sp, 2b
  addi sp, sp, 32
  mv ra, t2
  ret

  .section .rodata
harness_name:       .asciz TEST_NAME
harness_msg_prefix: .asciz "isa-"
harness_msg_ok:     .asciz ": ok\n"
harness_msg_fail:   .asciz ": FAIL test "
harness_msg_got:    .asciz " (got "
harness_msg_want:   .asciz ", expected "
harness_msg_close:  .asciz ")\n"
harness_msg_trap_m: .asciz ": FAIL unexpected trap to M, mcause="
harness_msg_trap_s: .asciz ": FAIL unexpected trap to S, scause="
harness_msg_epc:    .asciz " epc="
harness_msg_tval:   .asciz " tval="
harness_msg_nl:     .asciz "\n"

  .data
  .align 3
  .globl trap_rec, strap_rec, trap_resume, strap_resume
trap_rec:     .dword 0, 0, 0, 0, 0
strap_rec:    .dword 0, 0, 0, 0, 0
trap_resume:  .dword 0
strap_resume: .dword 0
harness_msave: .dword 0, 0, 0, 0, 0, 0, 0, 0
harness_ssave: .dword 0, 0, 0, 0, 0, 0, 0, 0

  .bss
  .align 4
harness_stack: .skip 1024
harness_stack_top:

  .text
