/*
 * The part of sel4runtime's interface that mica's root-task runtime
 * provides (seL4/sel4runtime: include/sel4runtime.h), so programs written
 * for seL4's runtime build unchanged: the bootinfo, thread-local storage for
 * new threads, and the exit callback.
 *
 * Creating a thread in the same address space (as sel4-tutorials do):
 *
 *   static char tls_region[256];              // >= sel4runtime_get_tls_size()
 *   uintptr_t tp = sel4runtime_write_tls_image(tls_region);
 *   sel4runtime_set_tls_variable(tp, __sel4_ipc_buffer, child_ipc_buffer);
 *   seL4_TCB_SetTLSBase(child_tcb, tp);       // or tp in seL4_UserContext
 */
#pragma once

#include <sel4/sel4.h>
#include <stddef.h>
#include <stdint.h>

/* The bootinfo the kernel passed to the root task (a0 at _start). */
seL4_BootInfo *sel4runtime_bootinfo(void);

/* Bytes a caller must provide for one thread's TLS (any alignment). */
size_t sel4runtime_get_tls_size(void);

/*
 * Initialise a TLS block in tls_memory (sel4runtime_get_tls_size() bytes):
 * copy the .tdata template and zero .tbss. Returns the thread pointer for
 * the new thread's tp, or 0 if tls_memory is NULL.
 */
uintptr_t sel4runtime_write_tls_image(void *tls_memory);

/* Copy `bytes` bytes from src into the variable at local_tls_dest as seen
   from the TLS block at dest_tls_base. Returns 0, or -1 if out of range. */
int __sel4runtime_write_tls_variable(uintptr_t dest_tls_base, unsigned char *local_tls_dest,
                                     unsigned char *src, size_t bytes);

/* Set another thread's copy of a __thread variable, e.g. __sel4_ipc_buffer. */
#define sel4runtime_set_tls_variable(thread_pointer, variable, value)                         \
  ({                                                                                          \
    __typeof__(variable) sel4runtime_typed_value_ = (value);                                  \
    __sel4runtime_write_tls_variable((thread_pointer), (unsigned char *)&(variable),          \
                                     (unsigned char *)&sel4runtime_typed_value_,              \
                                     sizeof(sel4runtime_typed_value_));                       \
  })

/* This thread's TLS base (tp on RISC-V). */
static inline uintptr_t sel4runtime_get_tls_base(void) {
  uintptr_t tp;
  __asm__ volatile("mv %0, tp" : "=r"(tp));
  return tp;
}

/* Point this thread's tp at another TLS block. */
static inline void sel4runtime_set_tls_base(uintptr_t tls_base) {
  __asm__ volatile("mv tp, %0" : : "r"(tls_base) : "memory");
}

/*
 * Called with the exit status when the root task exits, after the atexit
 * handlers and destructors; if it returns, the system halts (see exit.c).
 * Returns the previous callback.
 */
typedef void sel4runtime_exit_cb(int code);
sel4runtime_exit_cb *sel4runtime_set_exit(sel4runtime_exit_cb *cb);
