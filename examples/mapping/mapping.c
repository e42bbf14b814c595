/*
 * mapping: a thread's address space (VSpace) is a tree of page tables, and
 * user code builds it. To map a frame at a virtual address, every page table
 * on the way must be there first; the kernel made those covering the root
 * task's image, and anything else is the program's job.
 *
 * Sv39: a top-level table (the VSpace root) covers 512 GiB with 1 GiB
 * entries, a middle table 1 GiB with 2 MiB entries, a last-level table
 * 2 MiB with 4 KiB pages. Frames of 2 MiB (Mega) map into a middle table.
 */
#include <mica/alloc.h>
#include <mica/check.h>
#include <sel4/sel4.h>
#include <stdio.h>

#define VSPACE seL4_CapInitThreadVSpace
#define ATTRS seL4_RISCV_Default_VMAttributes

/* Far from the image (at 0x10000) but in the same 1 GiB as it, so the
   kernel's middle table is already in place. */
#define AREA 0x10000000ul

int main(void) {
  seL4_CPtr frame, table;
  MICA_CHECK(mica_alloc_object(seL4_RISCV_4K_Page, 0, &frame));
  MICA_CHECK(mica_alloc_object(seL4_RISCV_PageTableObject, 0, &table));

  printf("== Map a 4 KiB frame at 0x%lx\n", AREA);
  seL4_Error err = seL4_RISCV_Page_Map(frame, VSPACE, AREA, seL4_ReadWrite, ATTRS);
  printf("without a last-level page table: %s\n", mica_error_name(err));
  MICA_CHECK(seL4_RISCV_PageTable_Map(table, VSPACE, AREA, ATTRS));
  printf("page table mapped for 0x%lx..0x%lx\n", AREA, AREA + (1ul << 21) - 1);
  MICA_CHECK(seL4_RISCV_Page_Map(frame, VSPACE, AREA, seL4_ReadWrite, ATTRS));

  volatile seL4_Word *p = (volatile seL4_Word *)AREA;
  printf("a fresh frame reads %lu\n", p[0]);
  p[0] = 0xc0ffee;
  seL4_RISCV_Page_GetAddress_t addr = seL4_RISCV_Page_GetAddress(frame);
  MICA_CHECK(addr.error);
  printf("wrote 0x%lx; the frame is at paddr 0x%lx\n", p[0], addr.paddr);

  /* A frame cap maps once; a copy of the cap maps the same memory again. */
  printf("== The same frame at a second address, read-only\n");
  err = seL4_RISCV_Page_Map(frame, VSPACE, AREA + 0x1000, seL4_CanRead, ATTRS);
  printf("mapping the same cap twice: %s\n", mica_error_name(err));
  seL4_CPtr alias = mica_alloc_slot();
  MICA_CHECK(seL4_CNode_Copy(seL4_CapInitThreadCNode, alias, seL4_WordBits,
                             seL4_CapInitThreadCNode, frame, seL4_WordBits, seL4_AllRights));
  MICA_CHECK(seL4_RISCV_Page_Map(alias, VSPACE, AREA + 0x1000, seL4_CanRead, ATTRS));
  volatile seL4_Word *q = (volatile seL4_Word *)(AREA + 0x1000);
  printf("0x%lx reads 0x%lx\n", AREA + 0x1000, q[0]);
  p[1] = 7;
  printf("after a write through the first mapping, the second sees %lu\n", q[1]);

  printf("== Unmap and map again: the contents stay with the frame\n");
  MICA_CHECK(seL4_RISCV_Page_Unmap(frame));
  MICA_CHECK(seL4_RISCV_Page_Map(frame, VSPACE, AREA + 0x5000, seL4_ReadWrite, ATTRS));
  printf("0x%lx reads 0x%lx\n", AREA + 0x5000, *(volatile seL4_Word *)(AREA + 0x5000));

  printf("== A 2 MiB frame goes straight into the middle table\n");
  seL4_CPtr mega;
  MICA_CHECK(mica_alloc_object(seL4_RISCV_Mega_Page, 0, &mega));
  err = seL4_RISCV_Page_Map(mega, VSPACE, AREA + 0x201000, seL4_ReadWrite, ATTRS);
  printf("at an address not 2 MiB aligned: %s\n", mica_error_name(err));
  err = seL4_RISCV_Page_Map(mega, VSPACE, AREA, seL4_ReadWrite, ATTRS);
  printf("where a page table is mapped already: %s\n", mica_error_name(err));
  MICA_CHECK(seL4_RISCV_Page_Map(mega, VSPACE, AREA + 0x200000, seL4_ReadWrite, ATTRS));
  volatile char *big = (volatile char *)(AREA + 0x200000);
  big[0] = 1;
  big[(1 << 21) - 1] = 2;
  printf("first and last byte of the 2 MiB: %d %d\n", big[0], big[(1 << 21) - 1]);
  printf("mapping: done\n");
  return 0;
}
