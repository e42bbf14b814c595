/*
 * demo: the root task `mica run` boots when given no image. It walks
 * through seL4's model one step at a time, printing what it does, and halts
 * the machine when done (returning from main: see sdk/README.md).
 *
 *   1. bootinfo.c  what the root task owns at boot
 *   2. process.c   two processes, each with its own VSpace and CSpace,
 *                  made from untyped memory
 *   3. server.c    IPC with badges, and the root task as fault handler
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <sel4platsupport/bootinfo.h>
#include <stdio.h>

#include "demo.h"

#define PROCESSES 2

static process_t processes[PROCESSES];

int main(void) {
  seL4_BootInfo *bi = platsupport_get_bootinfo();
  printf("mica demo: a root task on a seL4-compatible kernel (RISC-V 64)\n\n");
  show_boot_info(bi);

  printf("\n== Two processes, cloned from this program\n");
  seL4_CPtr endpoint;
  MICA_CHECK(mica_alloc_object(seL4_EndpointObject, 0, &endpoint));
  for (int i = 0; i < PROCESSES; i++) process_create(&processes[i], i + 1, endpoint, process_main);

  /* The processes (priority 254) run only while we (255) wait. seL4 puts a
     newly started thread at the head of its priority's queue, so the one
     started last goes first. */
  printf("\n== Messages and faults (the processes run while we wait)\n");
  serve(endpoint, processes, PROCESSES);

  printf("\nmica demo: done, halting\n");
  return 0;
}
