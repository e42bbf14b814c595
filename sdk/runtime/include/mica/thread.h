/*
 * Threads in the root task's own CSpace and VSpace, for examples: one call
 * creates the TCB, gives it a stack, an IPC buffer and a TLS block, and
 * starts it. examples/threads shows the same steps one by one.
 *
 *   static mica_thread_t worker;          // static: it holds the stack
 *   MICA_CHECK(mica_thread_start(&worker, work, arg, 254, seL4_CapNull));
 *
 * The IPC buffer is a page inside the mica_thread_t, which lives in the
 * image, so its frame cap is one of bootinfo->userImageFrames. When fn
 * returns, the thread suspends itself.
 */
#pragma once

#include <sel4/sel4.h>
#include <stdint.h>

#define MICA_THREAD_STACK_SIZE 8192
#define MICA_THREAD_TLS_SIZE 256

typedef struct mica_thread {
  _Alignas(4096) seL4_IPCBuffer ipc_buffer; /* alone on its page */
  _Alignas(4096) unsigned char stack[MICA_THREAD_STACK_SIZE];
  _Alignas(16) unsigned char tls[MICA_THREAD_TLS_SIZE];
  seL4_CPtr tcb; /* set by mica_thread_start */
  void (*fn)(void *);
  void *arg;
} mica_thread_t;

/*
 * Create a TCB (from untyped, via mica/alloc.h) and start fn(arg) in it at
 * `priority` (at most ours, 255), with `fault_ep` (a cptr in our CSpace, or
 * seL4_CapNull for none) as its fault handler endpoint. `t` must be in the
 * image (a static or global), not on the stack or heap.
 */
seL4_Error mica_thread_start(mica_thread_t *t, void (*fn)(void *), void *arg, seL4_Word priority,
                             seL4_CPtr fault_ep);

/* The frame cap for the image page holding vaddr (bootinfo->userImageFrames). */
seL4_CPtr mica_image_frame(const void *vaddr);
