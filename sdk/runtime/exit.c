/*
 * How a root task ends: returning from main, or calling exit(), arrives
 * here after picolibc has run the atexit handlers and destructors.
 *
 * A root task has no parent to report to. seL4's own runtime leaves it to
 * the program (sel4runtime calls an exit callback, and without one the
 * thread faults; with a bare crt0 a return from main becomes a cap fault).
 * mica's runtime instead ends the whole system cleanly:
 *   - a non-zero status is printed as "root task exited with status N";
 *   - a callback set with sel4runtime_set_exit() runs next (and need not
 *     return: it may, say, suspend the thread so other threads carry on);
 *   - then seL4_DebugHalt stops the machine (`mica run` exits 0).
 * On a kernel without debug syscalls the thread suspends itself instead.
 */
#include <sel4/sel4.h>
#include <sel4runtime.h>
#include <stdio.h>

/* stdio.c: characters written since the last newline. */
int __mica_console_column(void);

static sel4runtime_exit_cb *exit_cb;

sel4runtime_exit_cb *sel4runtime_set_exit(sel4runtime_exit_cb *cb) {
  sel4runtime_exit_cb *old = exit_cb;
  exit_cb = cb;
  return old;
}

_Noreturn void _exit(int status) {
  /* Start on a fresh line if the program left one unfinished. */
  if (status != 0)
    printf("%sroot task exited with status %d\n", __mica_console_column() ? "\n" : "", status);
  fflush(stdout); /* unbuffered today; kept so that buffering stays safe */
  if (exit_cb != NULL) exit_cb(status);
#ifdef CONFIG_DEBUG_BUILD
  seL4_DebugHalt();
#endif
  seL4_TCB_Suspend(seL4_CapInitThreadTCB);
  for (;;) {
  }
}

/*
 * seL4_Assert and seL4_Fail (sel4/assert.h) report here, as libsel4 expects
 * of its C library; picolibc's own assert() goes to __assert_func instead.
 * A failed assertion prints where it failed and ends the program.
 */
void __assert_fail(const char *str, const char *file, int line, const char *function) {
  printf("%sassertion failed: %s (%s:%d, %s)\n", __mica_console_column() ? "\n" : "", str, file,
         line, function);
  _exit(1);
}
