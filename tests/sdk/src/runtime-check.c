/*
 * runtime-check: exercises what the SDK runtime sets up before main and
 * does after it (sdk/runtime): TLS from .tdata/.tbss, the IPC buffer
 * pointer, the bootinfo accessors, constructors, picolibc's stdio, errno
 * and malloc, TLS blocks for new threads, atexit and the exit status.
 * tests/sdk/runtime.test.ts checks its output line by line.
 */
#include <errno.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread int tls_initialised = 42; /* .tdata */
static __thread long tls_zeroed;          /* .tbss */
static int constructed;

__attribute__((constructor)) static void construct(void) { constructed = 1; }

/* Leaves the line unfinished: the exit message must start a new one. */
static void at_exit(void) { printf("atexit handler ran"); }

static const char *yes(int ok) { return ok ? "ok" : "WRONG"; }

int main(int argc, char **argv) {
  printf("argc %d argv[0] %s\n", argc, argv[0]);
  printf("constructor: %s\n", yes(constructed));
  printf("tdata: %d, tbss: %ld\n", tls_initialised, tls_zeroed);

  seL4_BootInfo *bi = sel4runtime_bootinfo();
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" /* old programs still call it */
  seL4_BootInfo *legacy = seL4_GetBootInfo();
#pragma GCC diagnostic pop
  printf("bootinfo accessors: %s\n",
         yes(bi != NULL && bi == legacy && bi == platsupport_get_bootinfo()));
  printf("__sel4_ipc_buffer is bootinfo->ipcBuffer: %s\n", yes(__sel4_ipc_buffer == bi->ipcBuffer));
  printf("tp 16-aligned inside the image: %s\n",
         yes(sel4runtime_get_tls_base() % 16 == 0 && sel4runtime_get_tls_base() < (uintptr_t)bi));

  /* libsel4's bitfield helpers assert on run-time values: __assert_fail must link. */
  volatile seL4_Word label = 5;
  seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, 0, 2);
  printf("message info from run-time values: %s\n",
         yes(seL4_MessageInfo_get_label(info) == 5 && seL4_MessageInfo_get_length(info) == 2));

  /* errno is a __thread variable in picolibc. */
  errno = 0;
  strtol("99999999999999999999999", NULL, 10);
  printf("errno after overflow: %s\n", yes(errno == ERANGE));

  char *p = malloc(1000);
  memset(p, 0xab, 1000);
  char *q = malloc(3000);
  printf("malloc: %s\n", yes(p != NULL && q != NULL && (q >= p + 1000 || q + 3000 <= p)));
  free(p);
  free(q);
  printf("malloc beyond the heap returns NULL: %s\n", yes(malloc(1 << 20) == NULL));

  /* A TLS block for another thread: the template's values, then our own. */
  static unsigned char other[256];
  printf("tls size fits: %s\n", yes(sel4runtime_get_tls_size() <= sizeof other));
  uintptr_t tp = sel4runtime_write_tls_image(other);
  int *other_initialised = (int *)(tp + ((uintptr_t)&tls_initialised - sel4runtime_get_tls_base()));
  seL4_IPCBuffer *fake = (seL4_IPCBuffer *)0x5000;
  int err = sel4runtime_set_tls_variable(tp, __sel4_ipc_buffer, fake);
  seL4_IPCBuffer **other_ipc =
      (seL4_IPCBuffer **)(tp + ((uintptr_t)&__sel4_ipc_buffer - sel4runtime_get_tls_base()));
  printf("new thread TLS: %s\n", yes(err == 0 && *other_initialised == 42 && *other_ipc == fake &&
                                     __sel4_ipc_buffer == bi->ipcBuffer));

  printf("float printf: %.3f\n", 2.5 * 1.25);
  fprintf(stderr, "stderr goes to the console too\n");
  atexit(at_exit);
  return 3;
}
