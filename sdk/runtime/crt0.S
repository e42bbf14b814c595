/*
 * _start: where the kernel enters a mica (or seL4) root task.
 *
 * Entry state (seL4 boot.c, sel4-riscv64-abi.md 8.4): U-mode, pc = ELF entry,
 * a0 = the seL4_BootInfo vaddr, every other register zero -- including sp,
 * so nothing may touch the stack before it is set here. Mirrors sel4runtime's
 * _sel4_start (crt/arch/riscv/sel4_crt0.S).
 */
  .file "crt0.S"            /* a fixed name: no temporary file in the symbol table */
  .section .text.start, "ax", @progbits
  .globl _start
  .type _start, @function
_start:
  /* gp for linker relaxation; must itself be set without relaxing. */
  .option push
  .option norelax
  lla gp, __global_pointer$
  .option pop
  lla sp, __stack_top       /* the static stack at the end of .bss (root-task.ld) */
  /* TLS before any C that may touch a __thread variable; tp is set here,
     in assembly, so no compiled code ever sees it change. */
  mv s0, a0                 /* the bootinfo pointer, kept across the call */
  call __mica_initial_tls   /* start.c: fills the block, returns its address */
  mv tp, a0
  mv a0, s0
  call __mica_start_root    /* start.c; never returns */
1:
  j 1b
  .size _start, . - _start
