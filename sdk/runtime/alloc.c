/*
 * The examples' slot and object allocator: see include/mica/alloc.h.
 */
#include <mica/alloc.h>
#include <sel4runtime.h>
#include <stdbool.h>

#define MAX_UNTYPEDS CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS

static bool started;
static seL4_CPtr next_slot;
/* Bytes handed out from each boot untyped; full[i] once the kernel says so. */
static seL4_Word used[MAX_UNTYPEDS];
static bool full[MAX_UNTYPEDS];

static seL4_BootInfo *boot_info(void) {
  seL4_BootInfo *bi = sel4runtime_bootinfo();
  if (!started) {
    next_slot = bi->empty.start;
    started = true;
  }
  return bi;
}

seL4_CPtr mica_alloc_slot(void) {
  seL4_BootInfo *bi = boot_info();
  if (next_slot >= bi->empty.end) return seL4_CapNull;
  return next_slot++;
}

seL4_Word mica_object_size_bits(seL4_Word type, seL4_Word size_bits) {
  switch (type) {
  case seL4_UntypedObject: return size_bits;
  case seL4_CapTableObject: return size_bits + seL4_SlotBits;
  case seL4_TCBObject: return seL4_TCBBits;
  case seL4_EndpointObject: return seL4_EndpointBits;
  case seL4_NotificationObject: return seL4_NotificationBits;
  case seL4_RISCV_4K_Page: return seL4_PageBits;
  case seL4_RISCV_Mega_Page: return seL4_LargePageBits;
  case seL4_RISCV_Giga_Page: return seL4_HugePageBits;
  case seL4_RISCV_PageTableObject: return seL4_PageTableBits;
  default: return seL4_WordBits; /* unknown: fits nowhere */
  }
}

/* Where the kernel would put an object of 2^bits after `used` bytes. */
static seL4_Word place(seL4_Word used_bytes, seL4_Word bits) {
  seL4_Word size = (seL4_Word)1 << bits;
  return (used_bytes + size - 1) & ~(size - 1);
}

/* The smallest RAM untyped with room for 2^bits bytes, or -1. */
static int pick_untyped(seL4_BootInfo *bi, seL4_Word bits) {
  int best = -1;
  seL4_Word n = bi->untyped.end - bi->untyped.start;
  for (seL4_Word i = 0; i < n && i < MAX_UNTYPEDS; i++) {
    const seL4_UntypedDesc *u = &bi->untypedList[i];
    if (u->isDevice || full[i] || u->sizeBits < bits) continue;
    if (place(used[i], bits) + ((seL4_Word)1 << bits) > (seL4_Word)1 << u->sizeBits) continue;
    if (best < 0 || u->sizeBits < bi->untypedList[best].sizeBits) best = (int)i;
  }
  return best;
}

seL4_Error mica_alloc_object(seL4_Word type, seL4_Word size_bits, seL4_CPtr *cap) {
  seL4_BootInfo *bi = boot_info();
  seL4_Word bits = mica_object_size_bits(type, size_bits);
  if (bits >= seL4_WordBits) return seL4_InvalidArgument;
  seL4_CPtr slot = mica_alloc_slot();
  if (slot == seL4_CapNull) return seL4_NotEnoughMemory;
  for (;;) {
    int i = pick_untyped(bi, bits);
    if (i < 0) {
      next_slot = slot; /* give the slot back */
      return seL4_NotEnoughMemory;
    }
    seL4_Error err = seL4_Untyped_Retype(bi->untyped.start + (seL4_Word)i, type, size_bits,
                                         seL4_CapInitThreadCNode, 0, 0, slot, 1);
    if (err == seL4_NotEnoughMemory) {
      full[i] = true; /* someone else used it: try the next one */
      continue;
    }
    if (err != seL4_NoError) {
      next_slot = slot;
      return err;
    }
    used[i] = place(used[i], bits) + ((seL4_Word)1 << bits);
    *cap = slot;
    return seL4_NoError;
  }
}

seL4_Error mica_alloc_device_frame(seL4_Word paddr, seL4_CPtr *cap) {
  seL4_BootInfo *bi = boot_info();
  if (paddr & (((seL4_Word)1 << seL4_PageBits) - 1)) return seL4_AlignmentError;
  seL4_Word n = bi->untyped.end - bi->untyped.start;
  for (seL4_Word i = 0; i < n && i < MAX_UNTYPEDS; i++) {
    const seL4_UntypedDesc *u = &bi->untypedList[i];
    seL4_Word size = (seL4_Word)1 << u->sizeBits;
    if (!u->isDevice || paddr < u->paddr || paddr - u->paddr >= size) continue;
    seL4_CPtr ut = bi->untyped.start + i;
    seL4_Word offset = paddr - u->paddr;
    if (used[i] > offset) return seL4_RevokeFirst; /* already handed out */
    /* Fill the gap with the largest aligned untypeds that fit: Retype
       places each object at the next multiple of its size. */
    while (used[i] < offset) {
      seL4_Word bits = seL4_PageBits;
      while (bits + 1 < seL4_WordBits && (used[i] & (((seL4_Word)1 << (bits + 1)) - 1)) == 0 &&
             used[i] + ((seL4_Word)1 << (bits + 1)) <= offset)
        bits++;
      seL4_CPtr filler = mica_alloc_slot();
      if (filler == seL4_CapNull) return seL4_NotEnoughMemory;
      seL4_Error err = seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, seL4_CapInitThreadCNode,
                                           0, 0, filler, 1);
      if (err != seL4_NoError) return err;
      used[i] += (seL4_Word)1 << bits;
    }
    seL4_CPtr slot = mica_alloc_slot();
    if (slot == seL4_CapNull) return seL4_NotEnoughMemory;
    seL4_Error err = seL4_Untyped_Retype(ut, seL4_RISCV_4K_Page, 0, seL4_CapInitThreadCNode, 0, 0,
                                         slot, 1);
    if (err != seL4_NoError) return err;
    used[i] += (seL4_Word)1 << seL4_PageBits;
    *cap = slot;
    return seL4_NoError;
  }
  return seL4_FailedLookup;
}
