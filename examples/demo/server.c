/*
 * Step 3: messages and faults. The processes call the root task through
 * their endpoint cap; the badge the root task minted into each cap tells it
 * who is calling. A process's faults arrive on the same endpoint, with a
 * different badge: the root task is also their fault handler, and answers a
 * page fault by mapping a page and replying, which restarts the faulting
 * instruction.
 */
#include <mica/check.h>
#include <stdio.h>

#include "demo.h"

/* Runs in each process, in its own copy of this program's memory. */
static int private_counter;

void process_main(seL4_Word id) {
  private_counter += (int)id * 100;
  printf("  process %lu: hello from my own address space (my counter: %d)\n", id,
         private_counter);

  seL4_SetMR(0, id);
  seL4_SetMR(1, 41);
  seL4_Call(PROCESS_SERVER_SLOT, seL4_MessageInfo_new(REQUEST_ADD, 0, 0, 2));
  printf("  process %lu: the root task says %lu + 41 = %lu\n", id, id, seL4_GetMR(0));

  if (id == 2) {
    volatile seL4_Word *nowhere = (volatile seL4_Word *)DEMAND_PAGE;
    printf("  process %lu: touching 0x%lx, which nobody has mapped\n", id, DEMAND_PAGE);
    *nowhere = 7;
    printf("  process %lu: wrote %lu there after the root task mapped it\n", id, *nowhere);
  }

  seL4_Call(PROCESS_SERVER_SLOT, seL4_MessageInfo_new(REQUEST_EXIT, 0, 0, 0));
}

void serve(seL4_CPtr endpoint, process_t *processes, int count) {
  int running = count;
  while (running > 0) {
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(endpoint, &badge);
    int id = (int)(badge & ~FAULT_BADGE);
    process_t *p = &processes[id - 1];

    if (badge & FAULT_BADGE) {
      /* The kernel wrote this message for the process when it faulted. */
      if (seL4_MessageInfo_get_label(info) != seL4_Fault_VMFault) {
        printf("root: process %d: unexpected fault %lu; stopping it\n", id,
               seL4_MessageInfo_get_label(info));
        MICA_CHECK(seL4_TCB_Suspend(p->tcb));
        running--;
        continue;
      }
      seL4_Word addr = seL4_GetMR(seL4_VMFault_Addr);
      printf("root: process %d page-faulted at 0x%lx (pc 0x%lx); mapping a page there\n", id,
             addr, seL4_GetMR(seL4_VMFault_IP));
      MICA_CHECK(map_new_page(p->vspace, addr));
      seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
      continue;
    }

    switch (seL4_MessageInfo_get_label(info)) {
    case REQUEST_ADD:
      printf("root: process %lu asks for %lu + %lu\n", badge, seL4_GetMR(0), seL4_GetMR(1));
      seL4_SetMR(0, seL4_GetMR(0) + seL4_GetMR(1));
      seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
      break;
    case REQUEST_EXIT:
      /* No reply: the process stays blocked until we suspend it. */
      printf("root: process %lu is done\n", badge);
      MICA_CHECK(seL4_TCB_Suspend(p->tcb));
      running--;
      break;
    }
  }
  printf("  the root task's own counter is still %d: each process changed its own copy\n",
         private_counter);
}
