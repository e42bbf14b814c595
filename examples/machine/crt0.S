/* Entry on the bare virt board: hart 0 runs main(hartid, dtb) on a small
   stack; any other hart parks. */
  .file "crt0.S"
  .section .text.entry
  .globl _start
_start:
  bnez a0, park
  la sp, __stack_top
  call main
park:
  wfi
  j park
