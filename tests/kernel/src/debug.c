/*
 * The debug syscalls of a debug build: naming a thread, identifying caps,
 * dumping the scheduler and a readable capability snapshot (the kernel
 * prints the last two on stderr).
 */
#include <sel4/sel4.h>
#include <stdio.h>

int main(void) {
  seL4_DebugNameThread(seL4_CapInitThreadTCB, "debug-root");
  printf("DEBUG0001 cap type of the root TCB: %u\n",
         (unsigned)seL4_DebugCapIdentify(seL4_CapInitThreadTCB));
  printf("DEBUG0002 cap type of an empty slot: %u\n",
         (unsigned)seL4_DebugCapIdentify(seL4_CapIOPortControl));
  seL4_DebugDumpScheduler();
  seL4_DebugSnapshot();
  printf("DEBUG done\n");
  return 0;
}
