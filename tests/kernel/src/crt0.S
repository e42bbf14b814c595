/* Root task entry: seL4 starts it with a0 = bootinfo and sp = 0. */
  .file "crt0.S"
  .section .text.entry
  .globl _start
_start:
  la sp, __stack_top
  call main
1: j 1b
