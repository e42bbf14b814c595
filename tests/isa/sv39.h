/* sv39.h - page-table helpers for the Sv39 tests (include after harness.h).
 * All tables and pages live in .bss (identity-mapped RAM); they are built
 * in M-mode with physical addresses. */

#define SATP_VAL(root_pa, asid) (SATP_SV39 | ((asid) << 44) | ((root_pa) >> 12))
#define VPAGE(i) (0x40000000 + (i) * 0x1000)
#define RAM_PA 0x80000000

/* table[index] = leaf or pointer PTE for the physical address in pa_reg */
.macro PTE_AT table, index, pa_reg, flags
  srli t0, \pa_reg, 12
  slli t0, t0, 10
  li t1, \flags
  or t0, t0, t1
  la t1, \table
  li t2, (\index) * 8
  add t1, t1, t2
  sd t0, 0(t1)
.endm

/* a0 = satp value for `root` with ASID `asid` */
.macro SATP_FOR reg, root, asid
  la \reg, \root
  srli \reg, \reg, 12
  li t0, SATP_SV39 | ((\asid) << 44)
  or \reg, \reg, t0
.endm

/* copy a 4 KiB page */
.macro COPY_PAGE dst, src
  la t0, \src
  la t1, \dst
  li t2, 512
.Lcp\@:
  ld t3, 0(t0)
  sd t3, 0(t1)
  addi t0, t0, 8
  addi t1, t1, 8
  addi t2, t2, -1
  bnez t2, .Lcp\@
.endm

/* the instruction must raise exception `cause` in the M-mode handler with
   mtval = tval_reg; it is skipped */
.macro TEST_MFAULT num, cause, tval_reg, insn:vararg
  CLEAR_TRAPS
  EXPECT_TRAP_SKIP
.Lf\@:
  \insn
  DISARM
  CHECK_TRAP \num, REC_COUNT, 1
  CHECK_TRAP \num, REC_CAUSE, \cause
  CHECK_TRAP_ADDR \num, REC_EPC, .Lf\@
  la t5, trap_rec
  ld t5, REC_TVAL(t5)
  CHECK_REG \num, t5, \tval_reg
.endm
/* same, but the trap is delegated to the S-mode handler */
.macro TEST_SFAULT num, cause, tval_reg, insn:vararg
  CLEAR_TRAPS
  EXPECT_STRAP_SKIP
.Lf\@:
  \insn
  DISARM
  CHECK_STRAP \num, REC_COUNT, 1
  CHECK_STRAP \num, REC_CAUSE, \cause
  CHECK_STRAP_ADDR \num, REC_EPC, .Lf\@
  la t5, strap_rec
  ld t5, REC_TVAL(t5)
  CHECK_REG \num, t5, \tval_reg
.endm
