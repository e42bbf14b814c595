/* Entry on the bare virt board: hart 0 runs main on a small stack in
   M-mode; any other hart parks. */
  .file "crt0.S"
  .section .text.entry
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park
  la sp, __stack_top
  call main
park:
  wfi
  j park
