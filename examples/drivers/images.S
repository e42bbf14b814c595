/*
 * The process images the supervisor starts and restarts, embedded in its
 * own image (read-only data). Built first by the Makefile.
 */
  .file "images.S"
  .section .rodata.images, "a", @progbits
  .balign 8
  .globl serial_image, serial_image_end, block_image, block_image_end, echo_image, echo_image_end
serial_image:
  .incbin "build/serial.elf"
serial_image_end:
  .balign 8
block_image:
  .incbin "build/block.elf"
block_image_end:
  .balign 8
echo_image:
  .incbin "build/echo.elf"
echo_image_end:
