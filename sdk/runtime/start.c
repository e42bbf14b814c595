/*
 * The C start of a root task: what runs between _start (crt0.S) and main.
 *
 * In order, as sel4runtime's __sel4_start_root and __sel4_start_main do
 * (seL4/sel4runtime: src/start_root.c, src/env.c):
 *   1. give the initial thread its TLS block (crt0.S points tp at it);
 *   2. store bootinfo->ipcBuffer in libsel4's __thread __sel4_ipc_buffer,
 *      so seL4_GetMR/SetMR and every invocation wrapper work;
 *   3. remember the bootinfo (sel4runtime_bootinfo, seL4_GetBootInfo,
 *      platsupport_get_bootinfo all return it);
 *   4. run constructors (.preinit_array, .init_array);
 *   5. call main(1, {"rootserver", NULL}) and pass its result to exit().
 * exit() then runs atexit handlers and destructors and ends in _exit
 * (exit.c), which halts the system.
 */
#include <sel4/sel4.h>
#include <sel4runtime.h>
#include <stdlib.h>

/* Defined by the program: int main(void) or int main(int, char **). */
int main(int argc, char **argv);

/* picolibc: runs .preinit_array then .init_array (root-task.ld). */
void __libc_init_array(void);

/* Linker script: the initial thread's TLS block, inside .bss. */
extern unsigned char __initial_tls_block[];

/*
 * libsel4's per-thread IPC buffer pointer. libsel4 defines it in
 * libsel4/src/sel4_bootinfo.c; mica's SDK ships libsel4 as headers only, so
 * the runtime provides the definition.
 */
__thread seL4_IPCBuffer *__sel4_ipc_buffer;

static seL4_BootInfo *boot_info;

seL4_BootInfo *sel4runtime_bootinfo(void) { return boot_info; }

/* libsel4's (deprecated) accessors for the same pointer, declared by
   <sel4/bootinfo.h>; libsel4 defines them in C, so the runtime does. */
void seL4_InitBootInfo(seL4_BootInfo *bi) { boot_info = bi; }
seL4_BootInfo *seL4_GetBootInfo(void) { return boot_info; }

/* sel4runtime names the root task "rootserver"; so does argv[0]. */
static char *root_argv[] = {"rootserver", NULL};

uintptr_t __mica_initial_tls(void);
_Noreturn void __mica_start_root(seL4_BootInfo *bi);

/* Called by _start before tp is set: returns the initial thread's tp. */
uintptr_t __mica_initial_tls(void) { return sel4runtime_write_tls_image(__initial_tls_block); }

/* Called by _start with a0 = bootinfo, tp set, sp on the static stack. */
_Noreturn void __mica_start_root(seL4_BootInfo *bi) {
  __sel4_ipc_buffer = bi->ipcBuffer;
  boot_info = bi;
  __libc_init_array();
  exit(main(1, root_argv));
}
