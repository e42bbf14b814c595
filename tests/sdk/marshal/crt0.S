/* Entry and trap vector of the marshalling test (tests/sdk/marshal.test.ts). Everything runs in
   M-mode on the bare virt board: `ecall` traps to trap_entry, which saves the registers, lets
   fake_kernel_trap (fake-kernel.c) read and write them, and returns past the ecall. */
  .file "crt0.S"
  .section .text.entry
  .globl _start
_start:
  bnez a0, park
  la sp, __stack_top
  la tp, __tls_block          /* TLS variant I: tp points at the thread's TLS block */
  la t0, trap_entry
  csrw mtvec, t0
  call main
park:
  wfi
  j park

  .text
  .balign 4
trap_entry:
  addi sp, sp, -256
  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  sd x\n, (\n * 8)(sp)
  .endr
  addi t0, sp, 256
  sd t0, 16(sp)               /* the interrupted sp */
  mv a0, sp
  call fake_kernel_trap
  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  ld x\n, (\n * 8)(sp)
  .endr
  addi sp, sp, 256
  mret
