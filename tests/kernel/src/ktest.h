/*
 * A tiny sel4test-style harness for the kernel's end-to-end root tasks:
 * each test has an ID and prints one line, "ID ok" or "ID FAIL where: why";
 * the run ends with a summary line and seL4_DebugHalt. The CHECK macros
 * return from the test function at the first failure.
 */
#pragma once

#include <mica/alloc.h>
#include <mica/check.h>
#include <sel4/sel4.h>
#include <stdio.h>

static const char *ktest_id;
static int ktest_failed;

#define KFAIL(...)                                                     \
  do {                                                                 \
    printf("%s FAIL %s:%d: ", ktest_id, __FILE__, __LINE__);           \
    printf(__VA_ARGS__);                                               \
    printf("\n");                                                      \
    ktest_failed = 1;                                                  \
    return;                                                            \
  } while (0)

#define CHECK(cond)                    \
  do {                                 \
    if (!(cond)) KFAIL("%s", #cond);   \
  } while (0)

#define CHECK_ERR(expr, want)                                                          \
  do {                                                                                 \
    seL4_Error e_ = (expr);                                                            \
    if (e_ != (want))                                                                  \
      KFAIL("%s = %s, expected %s", #expr, mica_error_name(e_), mica_error_name(want)); \
  } while (0)

#define CHECK_OK(expr) CHECK_ERR(expr, seL4_NoError)

/* After an error: message register i of the error reply. */
#define CHECK_MR(i, want)                                                                  \
  do {                                                                                     \
    seL4_Word m_ = seL4_GetMR(i);                                                          \
    if (m_ != (seL4_Word)(want))                                                           \
      KFAIL("MR%d = 0x%lx, expected 0x%lx", (int)(i), m_, (seL4_Word)(want));              \
  } while (0)

/* The kernel's cap-type tag of a slot (seL4_DebugCapIdentify). */
enum {
  CAP_NULL = 0,
  CAP_FRAME = 1,
  CAP_UNTYPED = 2,
  CAP_PAGE_TABLE = 3,
  CAP_ENDPOINT = 4,
  CAP_NOTIFICATION = 6,
  CAP_REPLY = 8,
  CAP_CNODE = 10,
  CAP_ASID_CONTROL = 11,
  CAP_THREAD = 12,
  CAP_ASID_POOL = 13,
  CAP_IRQ_CONTROL = 14,
  CAP_IRQ_HANDLER = 16,
};
#define CHECK_CAP(slot, tag) CHECK(seL4_DebugCapIdentify(slot) == (tag))

struct ktest {
  const char *id;
  void (*fn)(void);
};

/* Runs every test in order, prints the summary and halts the system. */
static inline void ktest_run(const char *suite, const struct ktest *tests, int n) {
  int failed = 0;
  for (int i = 0; i < n; i++) {
    ktest_id = tests[i].id;
    ktest_failed = 0;
    tests[i].fn();
    if (ktest_failed)
      failed++;
    else
      printf("%s ok\n", tests[i].id);
  }
  printf("%s: %d of %d tests failed\n", suite, failed, n);
  seL4_DebugHalt();
}

/* A fresh slot, and an object in a fresh slot (0 when that fails). */
static inline seL4_CPtr kslot(void) { return mica_alloc_slot(); }
static inline seL4_CPtr kobj(seL4_Word type, seL4_Word size_bits) {
  seL4_CPtr cap = 0;
  return mica_alloc_object(type, size_bits, &cap) == seL4_NoError ? cap : 0;
}

/* `n` consecutive fresh slots; returns the first. */
static inline seL4_CPtr kslots(int n) {
  seL4_CPtr first = kslot();
  for (int i = 1; i < n; i++) kslot();
  return first;
}

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
