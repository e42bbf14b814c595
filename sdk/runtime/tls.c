/*
 * Thread-local storage for the initial thread and for threads a program
 * creates, with sel4runtime's interface (seL4/sel4runtime: src/env.c).
 *
 * RISC-V uses TLS variant I with no thread control block in front: tp holds
 * the address of the TLS block itself, and the linker resolves a __thread
 * variable to a fixed offset from tp (local-exec model, which picolibc.specs
 * selects). A block is the .tdata template followed by zeroed .tbss,
 * __tls_memsz bytes in all, aligned to __tls_align (root-task.ld).
 */
#include <sel4runtime.h>
#include <string.h>

extern unsigned char __tls_image_start[];
extern unsigned char __tls_image_size[]; /* linker values: use the address */
extern unsigned char __tls_memsz[];
extern unsigned char __tls_align[];

#define TLS_IMAGE_SIZE ((size_t)__tls_image_size)
#define TLS_MEMSZ ((size_t)__tls_memsz)
#define TLS_ALIGN ((uintptr_t)__tls_align)

size_t sel4runtime_get_tls_size(void) {
  /* Room for the block wherever the caller's memory starts. */
  return TLS_MEMSZ + TLS_ALIGN - 1;
}

uintptr_t sel4runtime_write_tls_image(void *tls_memory) {
  if (tls_memory == NULL) return 0;
  uintptr_t tp = ((uintptr_t)tls_memory + TLS_ALIGN - 1) & ~(TLS_ALIGN - 1);
  unsigned char *block = (unsigned char *)tp;
  memcpy(block, __tls_image_start, TLS_IMAGE_SIZE);
  memset(block + TLS_IMAGE_SIZE, 0, TLS_MEMSZ - TLS_IMAGE_SIZE);
  return tp;
}

int __sel4runtime_write_tls_variable(uintptr_t dest_tls_base, unsigned char *local_tls_dest,
                                     unsigned char *src, size_t bytes) {
  /* The variable's offset in our own block is its offset in every block. */
  size_t offset = (size_t)(local_tls_dest - (unsigned char *)sel4runtime_get_tls_base());
  if (offset > TLS_MEMSZ || bytes > TLS_MEMSZ - offset) return -1;
  memcpy((unsigned char *)dest_tls_base + offset, src, bytes);
  return 0;
}
