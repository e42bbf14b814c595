/*
 * Step 1: what a root task owns at boot. seL4 hands the first thread every
 * capability in the system: fixed slots for its own TCB, CNode, VSpace and
 * the control caps, then (as the bootinfo frame lists) frames for its own
 * image and untyped memory for everything else.
 */
#include <stdio.h>

#include "demo.h"

/* What seL4_DebugCapIdentify returns: the kernel's cap type tag
   (seL4 structures.bf, non-MCS RISC-V). */
static const char *cap_type_name(seL4_Word tag) {
  switch (tag) {
  case 0: return "null";
  case 1: return "frame";
  case 2: return "untyped";
  case 3: return "page table";
  case 4: return "endpoint";
  case 6: return "notification";
  case 8: return "reply";
  case 10: return "CNode";
  case 11: return "ASID control";
  case 12: return "thread (TCB)";
  case 13: return "ASID pool";
  case 14: return "IRQ control";
  case 16: return "IRQ handler";
  case 20: return "domain";
  default: return "?";
  }
}

static const char *const initial_cap_names[seL4_NumInitialCaps] = {
    "seL4_CapNull",          "seL4_CapInitThreadTCB",     "seL4_CapInitThreadCNode",
    "seL4_CapInitThreadVSpace", "seL4_CapIRQControl",     "seL4_CapASIDControl",
    "seL4_CapInitThreadASIDPool", "seL4_CapIOPortControl", "seL4_CapIOSpace",
    "seL4_CapBootInfoFrame", "seL4_CapInitThreadIPCBuffer", "seL4_CapDomain",
    "seL4_CapSMMUSIDControl", "seL4_CapSMMUCBControl",    "seL4_CapInitThreadSC",
    "seL4_CapSMC",
};

/* 2^bits bytes in the largest whole unit, e.g. "32 MiB". */
static void print_size(unsigned bits) {
  static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  printf("%lu %s", 1ul << (bits % 10), units[bits / 10]);
}

static seL4_Word count(seL4_SlotRegion r) { return r.end - r.start; }

static void show_regions(seL4_BootInfo *bi) {
  printf("  root CNode       %lu slots (initThreadCNodeSizeBits %lu)\n",
         1ul << bi->initThreadCNodeSizeBits, bi->initThreadCNodeSizeBits);
  printf("  image frames     slots %lu..%lu (%lu pages mapped at their ELF addresses)\n",
         bi->userImageFrames.start, bi->userImageFrames.end - 1, count(bi->userImageFrames));
  printf("  image paging     slots %lu..%lu (page tables the kernel made for the image)\n",
         bi->userImagePaging.start, bi->userImagePaging.end - 1);
  if (count(bi->extraBIPages) > 0)
    printf("  extra bootinfo   slot %lu (%lu bytes: the device tree)\n", bi->extraBIPages.start,
           bi->extraLen);
  printf("  untyped          slots %lu..%lu\n", bi->untyped.start, bi->untyped.end - 1);
  printf("  free             slots %lu..%lu\n", bi->empty.start, bi->empty.end - 1);
  printf("  IPC buffer %p, bootinfo %p\n", (void *)bi->ipcBuffer, (void *)bi);
}

/*
 * The kernel cuts free RAM (and, separately, the device space) into
 * naturally aligned power-of-two blocks, one untyped cap each.
 */
static void show_untypeds(seL4_BootInfo *bi) {
  seL4_Word n = count(bi->untyped), ram_caps = 0, device_caps = 0, largest = 0;
  unsigned long long ram = 0, device = 0;
  for (seL4_Word i = 0; i < n; i++) {
    const seL4_UntypedDesc *u = &bi->untypedList[i];
    if (u->isDevice) {
      device_caps++;
      device += 1ull << u->sizeBits;
      continue;
    }
    if (ram_caps == 0 || u->sizeBits > bi->untypedList[largest].sizeBits) largest = i;
    ram_caps++;
    ram += 1ull << u->sizeBits;
  }
  printf("  RAM      %lu caps, %llu KiB in all; the largest is ", ram_caps, ram >> 10);
  print_size(bi->untypedList[largest].sizeBits);
  printf(" at paddr 0x%lx (slot %lu)\n", bi->untypedList[largest].paddr, bi->untyped.start + largest);
  printf("  devices  %lu caps covering the rest of the physical address space (%llu GiB)\n",
         device_caps, device >> 30);
}

static void show_initial_caps(void) {
  for (seL4_Word slot = 1; slot < seL4_NumInitialCaps; slot++) {
    seL4_Word tag = seL4_DebugCapIdentify(slot);
    if (tag == 0) continue; /* x86, Arm and MCS slots stay empty on RISC-V */
    printf("  %2lu  %-28s %s\n", slot, initial_cap_names[slot], cap_type_name(tag));
  }
}

void show_boot_info(seL4_BootInfo *bi) {
  printf("== Boot info: node %lu of %lu, domain %lu\n", bi->nodeID, bi->numNodes,
         bi->initThreadDomain);
  show_regions(bi);
  printf("== Untyped memory: everything not yet an object\n");
  show_untypeds(bi);
  printf("== Initial capabilities (seL4_DebugCapIdentify)\n");
  show_initial_caps();
}
