/* Reset: a stack for hart 0, then the M-mode runtime (runtime.c). */
  .section .text.init
  .globl _start
_start:
  la sp, stack_top
  call m_main
1:
  j 1b

  .bss
  .balign 16
  .space 8192
stack_top:
