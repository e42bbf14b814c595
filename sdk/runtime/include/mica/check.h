/*
 * Error checking for examples and tests: name a seL4_Error, and stop the
 * program with a readable line when an invocation fails.
 *
 *   MICA_CHECK(seL4_TCB_Resume(tcb));
 *   -> "hello.c:42: seL4_TCB_Resume(tcb) failed: seL4_InvalidCapability"
 *      then exit(1), which halts the system (see sdk/README.md).
 */
#pragma once

#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>

/* The seL4_Error enumerator's name, e.g. "seL4_RangeError". */
static inline const char *mica_error_name(seL4_Error err) {
  static const char *const names[] = {
      "seL4_NoError",         "seL4_InvalidArgument", "seL4_InvalidCapability",
      "seL4_IllegalOperation", "seL4_RangeError",     "seL4_AlignmentError",
      "seL4_FailedLookup",    "seL4_TruncatedMessage", "seL4_DeleteFirst",
      "seL4_RevokeFirst",     "seL4_NotEnoughMemory",
  };
  return (unsigned)err < sizeof names / sizeof names[0] ? names[err] : "(not a seL4_Error)";
}

/* Evaluate an expression of type seL4_Error; on failure report and exit(1). */
#define MICA_CHECK(expr)                                                                        \
  do {                                                                                          \
    seL4_Error mica_check_err_ = (expr);                                                        \
    if (mica_check_err_ != seL4_NoError) {                                                      \
      printf("%s:%d: %s failed: %s\n", __FILE__, __LINE__, #expr,                               \
             mica_error_name(mica_check_err_));                                                 \
      exit(1);                                                                                  \
    }                                                                                           \
  } while (0)
