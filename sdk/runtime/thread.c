/*
 * Threads sharing the root task's CSpace and VSpace: see
 * include/mica/thread.h.
 */
#include <mica/alloc.h>
#include <mica/thread.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4runtime.h>

extern char __image_start[]; /* root-task.ld: the image's lowest page */

seL4_CPtr mica_image_frame(const void *vaddr) {
  seL4_BootInfo *bi = platsupport_get_bootinfo();
  return bi->userImageFrames.start + ((uintptr_t)vaddr - (uintptr_t)__image_start) / 4096;
}

/* Where a new thread starts: a0 = its mica_thread_t. */
static void thread_entry(mica_thread_t *t) {
  t->fn(t->arg);
  seL4_TCB_Suspend(t->tcb);
}

seL4_Error mica_thread_start(mica_thread_t *t, void (*fn)(void *), void *arg, seL4_Word priority,
                             seL4_CPtr fault_ep) {
  if (sel4runtime_get_tls_size() > sizeof t->tls) return seL4_NotEnoughMemory;
  t->fn = fn;
  t->arg = arg;
  seL4_Error err = mica_alloc_object(seL4_TCBObject, 0, &t->tcb);
  if (err != seL4_NoError) return err;
  err = seL4_TCB_Configure(t->tcb, fault_ep, seL4_CapInitThreadCNode, 0,
                           seL4_CapInitThreadVSpace, 0, (seL4_Word)&t->ipc_buffer,
                           mica_image_frame(&t->ipc_buffer));
  if (err != seL4_NoError) return err;
  err = seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, priority);
  if (err != seL4_NoError) return err;

  uintptr_t tp = sel4runtime_write_tls_image(t->tls);
  sel4runtime_set_tls_variable(tp, __sel4_ipc_buffer, &t->ipc_buffer);

  seL4_UserContext regs = {0};
  regs.pc = (seL4_Word)thread_entry;
  regs.sp = (seL4_Word)(t->stack + sizeof t->stack);
  regs.a0 = (seL4_Word)t;
  regs.tp = tp;
  __asm__("mv %0, gp" : "=r"(regs.gp));
  return seL4_TCB_WriteRegisters(t->tcb, 1, 0, sizeof regs / sizeof(seL4_Word), &regs);
}
