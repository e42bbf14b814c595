/* Entry and trap vector of the S-mode SBI test programs.
 * Entered in S-mode with a0 = hart ID, a1 = device tree (SBI boot protocol). */
  .file "start.S"   /* a fixed name: without it the symbol table names a temporary file */
  .section .text.init
  .globl _start
_start:
  la sp, stack_top
  la t0, trap_vector
  csrw stvec, t0
  call main
  /* main returned: power off through SRST (type shutdown, reason in a0). */
  mv a1, a0
  li a0, 0
  li a6, 0
  li a7, 0x53525354
  ecall
1:
  wfi
  j 1b

/* Where a second hart starts (SBI HSM hart_start): a0 = hart ID, a1 = opaque. */
  .globl secondary_entry
  .weak secondary_main
secondary_entry:
  la sp, stack1_top
  la t0, trap_vector
  csrw stvec, t0
  la t1, secondary_main          /* weak: programs with one hart leave it out */
  beqz t1, 2f
  jalr t1
2:
  wfi
  j 2b

/* Saves the caller-saved registers, calls strap(scause), returns with sret. */
  .align 4
trap_vector:
  addi sp, sp, -128
  sd ra, 0(sp)
  sd t0, 8(sp)
  sd t1, 16(sp)
  sd t2, 24(sp)
  sd a0, 32(sp)
  sd a1, 40(sp)
  sd a2, 48(sp)
  sd a3, 56(sp)
  sd a4, 64(sp)
  sd a5, 72(sp)
  sd a6, 80(sp)
  sd a7, 88(sp)
  sd t3, 96(sp)
  sd t4, 104(sp)
  sd t5, 112(sp)
  sd t6, 120(sp)
  csrr a0, scause
  call strap
  ld ra, 0(sp)
  ld t0, 8(sp)
  ld t1, 16(sp)
  ld t2, 24(sp)
  ld a0, 32(sp)
  ld a1, 40(sp)
  ld a2, 48(sp)
  ld a3, 56(sp)
  ld a4, 64(sp)
  ld a5, 72(sp)
  ld a6, 80(sp)
  ld a7, 88(sp)
  ld t3, 96(sp)
  ld t4, 104(sp)
  ld t5, 112(sp)
  ld t6, 120(sp)
  addi sp, sp, 128
  sret
