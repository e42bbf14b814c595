/* The block driver of examples/drivers, started by irqbench.c. */
  .file "images.S"
  .section .rodata.images, "a", @progbits
  .balign 8
  .globl block_image, block_image_end
block_image:
  .incbin "../../examples/drivers/build/block.elf"
block_image_end:
