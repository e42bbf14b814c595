/* fp.h - helpers shared by the F and D tests (include after harness.h).
 * Every arithmetic TEST_* checks the raw result bits and then the fflags
 * accrued by that one instruction (same test number for both checks). */

/* NaN-boxed single / double from a bit pattern */
.macro FLI_S freg, bits
  li t5, \bits
  fmv.w.x \freg, t5
.endm
.macro FLI_D freg, bits
  li t5, \bits
  fmv.d.x \freg, t5
.endm

/* fa0 = op(fa1, fa2) with rounding mode rm (omitted: the assembler's default, dyn) */
.macro TF_RR_S num, op, res, flags, x, y, rm
  FLI_S fa1, \x
  FLI_S fa2, \y
  csrw fflags, zero
  .ifb \rm
  \op fa0, fa1, fa2
  .else
  \op fa0, fa1, fa2, \rm
  .endif
  CHECK_FS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
.macro TF_RR_D num, op, res, flags, x, y, rm
  FLI_D fa1, \x
  FLI_D fa2, \y
  csrw fflags, zero
  .ifb \rm
  \op fa0, fa1, fa2
  .else
  \op fa0, fa1, fa2, \rm
  .endif
  CHECK_FBITS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
/* same, for instructions without a rounding mode (sign injection, min/max) */
.macro TF_RRN_S num, op, res, flags, x, y
  FLI_S fa1, \x
  FLI_S fa2, \y
  csrw fflags, zero
  \op fa0, fa1, fa2
  CHECK_FS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
.macro TF_RRN_D num, op, res, flags, x, y
  FLI_D fa1, \x
  FLI_D fa2, \y
  csrw fflags, zero
  \op fa0, fa1, fa2
  CHECK_FBITS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
/* fa0 = op(fa1) */
.macro TF_R_S num, op, res, flags, x, rm
  FLI_S fa1, \x
  csrw fflags, zero
  .ifb \rm
  \op fa0, fa1
  .else
  \op fa0, fa1, \rm
  .endif
  CHECK_FS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
.macro TF_R_D num, op, res, flags, x, rm
  FLI_D fa1, \x
  csrw fflags, zero
  .ifb \rm
  \op fa0, fa1
  .else
  \op fa0, fa1, \rm
  .endif
  CHECK_FBITS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
/* fa0 = op(fa1, fa2, fa3) */
.macro TF_RRR_S num, op, res, flags, x, y, z, rm
  FLI_S fa1, \x
  FLI_S fa2, \y
  FLI_S fa3, \z
  csrw fflags, zero
  .ifb \rm
  \op fa0, fa1, fa2, fa3
  .else
  \op fa0, fa1, fa2, fa3, \rm
  .endif
  CHECK_FS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
.macro TF_RRR_D num, op, res, flags, x, y, z, rm
  FLI_D fa1, \x
  FLI_D fa2, \y
  FLI_D fa3, \z
  csrw fflags, zero
  .ifb \rm
  \op fa0, fa1, fa2, fa3
  .else
  \op fa0, fa1, fa2, fa3, \rm
  .endif
  CHECK_FBITS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
/* a0 = op(fa1, fa2): comparisons */
.macro TF_CMP_S num, op, res, flags, x, y
  FLI_S fa1, \x
  FLI_S fa2, \y
  csrw fflags, zero
  \op a0, fa1, fa2
  CHECK \num, a0, \res
  CHECK_FFLAGS \num, \flags
.endm
.macro TF_CMP_D num, op, res, flags, x, y
  FLI_D fa1, \x
  FLI_D fa2, \y
  csrw fflags, zero
  \op a0, fa1, fa2
  CHECK \num, a0, \res
  CHECK_FFLAGS \num, \flags
.endm
/* a0 = fclass(fa1) */
.macro TF_CLASS_S num, res, x
  FLI_S fa1, \x
  fclass.s a0, fa1
  CHECK \num, a0, \res
.endm
.macro TF_CLASS_D num, res, x
  FLI_D fa1, \x
  fclass.d a0, fa1
  CHECK \num, a0, \res
.endm
/* a0 = fcvt.<int>.<fp>(fa1) */
.macro TF_TOINT_S num, op, res, flags, x, rm
  FLI_S fa1, \x
  csrw fflags, zero
  .ifb \rm
  \op a0, fa1
  .else
  \op a0, fa1, \rm
  .endif
  CHECK \num, a0, \res
  CHECK_FFLAGS \num, \flags
.endm
.macro TF_TOINT_D num, op, res, flags, x, rm
  FLI_D fa1, \x
  csrw fflags, zero
  .ifb \rm
  \op a0, fa1
  .else
  \op a0, fa1, \rm
  .endif
  CHECK \num, a0, \res
  CHECK_FFLAGS \num, \flags
.endm
/* fa0 = fcvt.<fp>.<int>(a1) */
.macro TF_FROMINT_S num, op, res, flags, x, rm
  li a1, \x
  csrw fflags, zero
  .ifb \rm
  \op fa0, a1
  .else
  \op fa0, a1, \rm
  .endif
  CHECK_FS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm
.macro TF_FROMINT_D num, op, res, flags, x, rm
  li a1, \x
  csrw fflags, zero
  .ifb \rm
  \op fa0, a1
  .else
  \op fa0, a1, \rm
  .endif
  CHECK_FBITS \num, fa0, \res
  CHECK_FFLAGS \num, \flags
.endm

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01
