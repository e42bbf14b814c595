/*
 * hello: the smallest mica root task with the SDK. printf goes through
 * picolibc to seL4_DebugPutChar; the bootinfo comes from the runtime.
 *
 *   make -C examples/hello && mica run images/hello.elf
 */
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <stdio.h>

int main(void) {
  printf("Hello, world!\n");

  /* The kernel describes what it handed over in the bootinfo frame. */
  seL4_BootInfo *info = platsupport_get_bootinfo();
  printf("bootinfo at %p, IPC buffer at %p\n", (void *)info, (void *)info->ipcBuffer);
  printf("root CNode: %lu slots, %lu free from slot %lu\n",
         1ul << info->initThreadCNodeSizeBits, info->empty.end - info->empty.start,
         info->empty.start);
  printf("untyped caps: %lu\n", info->untyped.end - info->untyped.start);
  return 0;
}
