/*
 * threads: a thread is a TCB object plus what it runs in -- a CSpace, a
 * VSpace, an IPC buffer -- and its registers. Here two new threads share
 * the root task's CSpace and VSpace, so they can call the same functions
 * and see the same globals; each has its own stack, IPC buffer and TLS block
 * (which holds its __sel4_ipc_buffer and picolibc's errno).
 *
 * All three threads run at priority 255 and take turns with seL4_Yield.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4runtime.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 2
#define STACK_SIZE 4096

struct thread {
  seL4_CPtr tcb;
  int id;
  /* 16-byte aligned, as the RISC-V calling convention wants sp. */
  _Alignas(16) char stack[STACK_SIZE];
  char tls[128];
};

static struct thread threads[THREADS];
/* One IPC buffer page each: a TCB's IPC buffer must be backed by a frame
   cap, and these pages are in the image, whose frame caps we hold. */
static _Alignas(4096) seL4_IPCBuffer ipc_pages[THREADS][4096 / sizeof(seL4_IPCBuffer)];
static int finished;

extern char __image_start[]; /* root-task.ld: the image's first page */

/* The frame cap of an image page: bootinfo lists them in address order. */
static seL4_CPtr image_frame(void *vaddr) {
  seL4_BootInfo *bi = platsupport_get_bootinfo();
  return bi->userImageFrames.start + ((uintptr_t)vaddr - (uintptr_t)__image_start) / 4096;
}

static void thread_main(struct thread *self) {
  for (int round = 1; round <= 3; round++) {
    printf("  thread %d, round %d (IPC buffer at %p)\n", self->id, round,
           (void *)seL4_GetIPCBuffer());
    seL4_Yield();
  }
  __atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST); /* threads may be preempted */
  /* A thread's function must not return: there is nothing to return to. */
  seL4_TCB_Suspend(self->tcb);
}

static void start(struct thread *t, int id) {
  t->id = id;
  MICA_CHECK(mica_alloc_object(seL4_TCBObject, 0, &t->tcb));
  /* Same CSpace and VSpace as ours, no fault handler (cptr 0). */
  MICA_CHECK(seL4_TCB_Configure(t->tcb, seL4_CapNull, seL4_CapInitThreadCNode, 0,
                                seL4_CapInitThreadVSpace, 0, (seL4_Word)ipc_pages[id],
                                image_frame(ipc_pages[id])));
  MICA_CHECK(seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, 255));

  /* Its TLS block: a copy of ours, with its own IPC buffer pointer. */
  uintptr_t tp = sel4runtime_write_tls_image(t->tls);
  sel4runtime_set_tls_variable(tp, __sel4_ipc_buffer, ipc_pages[id]);

  seL4_UserContext regs = {0};
  regs.pc = (seL4_Word)thread_main;
  regs.sp = (seL4_Word)(t->stack + STACK_SIZE);
  regs.a0 = (seL4_Word)t;
  regs.tp = tp;
  __asm__("mv %0, gp" : "=r"(regs.gp)); /* same image, same global pointer */
  MICA_CHECK(seL4_TCB_WriteRegisters(t->tcb, 1, 0, sizeof regs / sizeof(seL4_Word), &regs));
}

int main(void) {
  if (sel4runtime_get_tls_size() > sizeof threads[0].tls) {
    printf("TLS block too small\n");
    return 1;
  }
  printf("== Starting %d threads\n", THREADS);
  for (int i = 0; i < THREADS; i++) start(&threads[i], i);
  while (__atomic_load_n(&finished, __ATOMIC_SEQ_CST) < THREADS) {
    printf("  root task yields\n");
    seL4_Yield();
  }
  printf("== All threads finished\n");
  printf("threads: done\n");
  return 0;
}
