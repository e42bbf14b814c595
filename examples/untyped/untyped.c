/*
 * untyped: every kernel object is made from untyped memory. The root task
 * starts with untyped caps covering all free RAM; seL4_Untyped_Retype turns
 * part of one into objects, and revoking the untyped cap destroys them all
 * and makes the memory free again.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <stdio.h>

static const char *cap_type(seL4_CPtr cap) {
  switch (seL4_DebugCapIdentify(cap)) {
  case 0: return "null";
  case 1: return "frame";
  case 2: return "untyped";
  case 3: return "page table";
  case 4: return "endpoint";
  case 6: return "notification";
  case 10: return "CNode";
  case 12: return "TCB";
  default: return "other";
  }
}

/* Retype `count` objects from `untyped` into consecutive fresh slots. */
static seL4_Error retype(seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits, seL4_CPtr first,
                         seL4_Word count) {
  return seL4_Untyped_Retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, first,
                             count);
}

int main(void) {
  seL4_BootInfo *bi = platsupport_get_bootinfo();

  /* One object of each kind, from the allocator's pick of RAM untyped. */
  static const struct {
    seL4_Word type, size_bits;
    const char *name;
  } kinds[] = {
      {seL4_EndpointObject, 0, "seL4_EndpointObject"},
      {seL4_NotificationObject, 0, "seL4_NotificationObject"},
      {seL4_TCBObject, 0, "seL4_TCBObject"},
      {seL4_CapTableObject, 4, "seL4_CapTableObject (16 slots)"},
      {seL4_RISCV_4K_Page, 0, "seL4_RISCV_4K_Page"},
      {seL4_RISCV_PageTableObject, 0, "seL4_RISCV_PageTableObject"},
  };
  printf("== One object of each kind\n");
  for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    seL4_CPtr cap;
    MICA_CHECK(mica_alloc_object(kinds[i].type, kinds[i].size_bits, &cap));
    printf("  %-32s -> slot %lu: %s cap, object of 2^%lu bytes\n", kinds[i].name, cap, cap_type(cap),
           mica_object_size_bits(kinds[i].type, kinds[i].size_bits));
  }

  /* A 16 KiB untyped of our own, split from a bigger one. */
  printf("== A 16 KiB untyped holds four 4 KiB frames, and no more\n");
  seL4_CPtr small;
  MICA_CHECK(mica_alloc_object(seL4_UntypedObject, 14, &small));
  printf("  child untyped in slot %lu: %s\n", small, cap_type(small));
  seL4_CPtr frames = mica_alloc_slot();
  for (int i = 1; i < 5; i++) mica_alloc_slot(); /* five slots in a row */
  MICA_CHECK(retype(small, seL4_RISCV_4K_Page, 0, frames, 4));
  printf("  4 frames in slots %lu..%lu\n", frames, frames + 3);
  seL4_Error err = retype(small, seL4_RISCV_4K_Page, 0, frames + 4, 1);
  printf("  a fifth frame: %s\n", mica_error_name(err));

  /* Objects must go into empty slots. */
  err = retype(small, seL4_RISCV_4K_Page, 0, frames, 1);
  printf("  retype into an occupied slot: %s\n", mica_error_name(err));

  /* Revoke deletes every cap derived from the untyped: the memory is free. */
  printf("== Revoke the untyped: its frames go, its memory is free again\n");
  MICA_CHECK(seL4_CNode_Revoke(seL4_CapInitThreadCNode, small, seL4_WordBits));
  printf("  slot %lu now holds a %s cap\n", frames, cap_type(frames));
  MICA_CHECK(retype(small, seL4_RISCV_4K_Page, 0, frames, 4));
  printf("  4 new frames in slots %lu..%lu\n", frames, frames + 3);

  /* Retype checks its arguments before touching anything. */
  printf("== Retype's argument checks\n");
  seL4_CPtr spare = mica_alloc_slot();
  printf("  unknown object type:        %s\n",
         mica_error_name(retype(small, 99, 0, spare, 1)));
  printf("  untyped smaller than 16 B:  %s\n",
         mica_error_name(retype(small, seL4_UntypedObject, 3, spare, 1)));
  printf("  slot past the CNode's end:  %s\n",
         mica_error_name(retype(small, seL4_EndpointObject, 0, bi->empty.end, 1)));
  printf("  device memory as a TCB:     ");
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
    if (!bi->untypedList[i].isDevice) continue;
    printf("%s\n",
           mica_error_name(retype(bi->untyped.start + i, seL4_TCBObject, 0, spare, 1)));
    break;
  }
  printf("untyped: done\n");
  return 0;
}
