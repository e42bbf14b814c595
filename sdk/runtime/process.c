/*
 * Processes from ELF images: see include/mica/process.h. The loader reads
 * the ELF64 program headers (System V gABI, "Program Header"), as seL4's
 * elfloader and sel4utils' elf loading do for their images.
 */
#include <mica/alloc.h>
#include <mica/process.h>
#include <sel4runtime.h>
#include <stdint.h>
#include <string.h>

#define PAGE 4096ul
#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
/* Where a frame is mapped in our VSpace for a moment to fill it. */
#define SCRATCH 0x7ff00000ul

/* ELF64 (gABI): only the fields the loader reads. */
typedef struct {
  unsigned char ident[16];
  uint16_t type, machine;
  uint32_t version;
  uint64_t entry, phoff, shoff;
  uint32_t flags;
  uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf64_ehdr_t;

typedef struct {
  uint32_t type, flags;
  uint64_t offset, vaddr, paddr, filesz, memsz, align;
} elf64_phdr_t;

#define ET_EXEC 2
#define EM_RISCV 243
#define PT_LOAD 1
#define PF_W 2

static const elf64_ehdr_t *ehdr(const mica_process_t *p) {
  return (const elf64_ehdr_t *)(const void *)p->image;
}

static const elf64_phdr_t *phdr(const mica_process_t *p, unsigned i) {
  return (const elf64_phdr_t *)(const void *)(p->image + ehdr(p)->phoff + i * sizeof(elf64_phdr_t));
}

/* A static RV64 executable whose program headers and segments lie inside the image. */
static int elf_valid(const unsigned char *image, size_t size) {
  const elf64_ehdr_t *e = (const elf64_ehdr_t *)(const void *)image;
  if (size < sizeof *e || memcmp(image, "\177ELF\2\1", 6) != 0) return 0;
  if (e->type != ET_EXEC || e->machine != EM_RISCV || e->phentsize != sizeof(elf64_phdr_t))
    return 0;
  if (e->phoff > size || e->phnum > (size - e->phoff) / sizeof(elf64_phdr_t)) return 0;
  for (unsigned i = 0; i < e->phnum; i++) {
    const elf64_phdr_t *ph = (const elf64_phdr_t *)(const void *)(image + e->phoff + i * sizeof *ph);
    if (ph->type != PT_LOAD) continue;
    if (ph->offset > size || ph->filesz > size - ph->offset || ph->filesz > ph->memsz) return 0;
  }
  return 1;
}

seL4_Error mica_map_frame(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights,
                          seL4_Word attrs) {
  for (;;) {
    seL4_Error err = seL4_RISCV_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, rights, attrs);
    if (err != seL4_FailedLookup) return err;
    seL4_CPtr table;
    err = mica_alloc_object(seL4_RISCV_PageTableObject, 0, &table);
    if (err == seL4_NoError)
      err = seL4_RISCV_PageTable_Map(table, seL4_CapInitThreadVSpace, vaddr, attrs);
    if (err != seL4_NoError) return err;
  }
}

seL4_Error mica_process_init(mica_process_t *p, const char *name, const void *image,
                             size_t image_size, seL4_Word untyped_bits, seL4_Word nslots) {
  memset(p, 0, sizeof *p);
  p->name = name;
  p->image = image;
  p->image_size = image_size;
  if (!elf_valid(p->image, image_size)) return seL4_InvalidArgument;
  p->untyped_bits = untyped_bits;
  p->nslots = nslots;
  seL4_Error err = mica_alloc_object(seL4_UntypedObject, untyped_bits, &p->untyped);
  if (err != seL4_NoError) return err;
  /* mica_alloc_slot hands out slots in order, so these are consecutive. */
  p->slots = mica_alloc_slot();
  for (seL4_Word i = 1; i < nslots; i++)
    if (mica_alloc_slot() == seL4_CapNull) return seL4_NotEnoughMemory;
  return p->slots == seL4_CapNull ? seL4_NotEnoughMemory : seL4_NoError;
}

static seL4_Error next_slot(mica_process_t *p, seL4_CPtr *slot) {
  if (p->next_slot >= p->nslots) return seL4_NotEnoughMemory;
  *slot = p->slots + p->next_slot++;
  return seL4_NoError;
}

seL4_Error mica_process_alloc(mica_process_t *p, seL4_Word type, seL4_Word size_bits,
                              seL4_CPtr *cap) {
  seL4_Word bits = mica_object_size_bits(type, size_bits);
  seL4_Word size = (seL4_Word)1 << bits;
  seL4_Word at = (p->untyped_used + size - 1) & ~(size - 1);
  if (bits >= seL4_WordBits || at + size > (seL4_Word)1 << p->untyped_bits)
    return seL4_NotEnoughMemory;
  seL4_Error err = next_slot(p, cap);
  if (err != seL4_NoError) return err;
  err = seL4_Untyped_Retype(p->untyped, type, size_bits, ROOT, 0, 0, *cap, 1);
  if (err == seL4_NoError) p->untyped_used = at + size;
  return err;
}

/* Map `frame` (one of our caps) in the process, with page tables from its untyped. */
static seL4_Error map_in(mica_process_t *p, seL4_CPtr frame, seL4_Word vaddr,
                         seL4_CapRights_t rights, seL4_Word attrs) {
  for (;;) {
    seL4_Error err = seL4_RISCV_Page_Map(frame, p->vspace, vaddr, rights, attrs);
    if (err != seL4_FailedLookup) return err;
    seL4_CPtr table;
    err = mica_process_alloc(p, seL4_RISCV_PageTableObject, 0, &table);
    if (err == seL4_NoError) err = seL4_RISCV_PageTable_Map(table, p->vspace, vaddr, attrs);
    if (err != seL4_NoError) return err;
  }
}

seL4_Error mica_process_map(mica_process_t *p, seL4_CPtr frame, seL4_Word vaddr,
                            seL4_CapRights_t rights, seL4_Word attrs) {
  seL4_CPtr copy;
  seL4_Error err = next_slot(p, &copy);
  if (err == seL4_NoError) err = seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT, frame, DEPTH, rights);
  return err != seL4_NoError ? err : map_in(p, copy, vaddr, rights, attrs);
}

/* A new frame of the process, filled through our scratch mapping by fill(page, arg). */
static seL4_Error new_page(mica_process_t *p, seL4_CPtr *frame,
                           void (*fill)(mica_process_t *, seL4_Word, void *), seL4_Word vaddr,
                           void *arg) {
  seL4_Error err = mica_process_alloc(p, seL4_RISCV_4K_Page, 0, frame);
  if (err == seL4_NoError)
    err = mica_map_frame(*frame, SCRATCH, seL4_ReadWrite, seL4_RISCV_Default_VMAttributes);
  if (err != seL4_NoError) return err;
  memset((void *)SCRATCH, 0, PAGE);
  if (fill != NULL) fill(p, vaddr, arg);
  return seL4_RISCV_Page_Unmap(*frame);
}

/* Copy the bytes of every segment that overlap the page at vaddr. */
static void fill_from_image(mica_process_t *p, seL4_Word vaddr, void *arg) {
  (void)arg;
  for (unsigned i = 0; i < ehdr(p)->phnum; i++) {
    const elf64_phdr_t *ph = phdr(p, i);
    if (ph->type != PT_LOAD) continue;
    seL4_Word from = ph->vaddr > vaddr ? ph->vaddr : vaddr;
    seL4_Word to = ph->vaddr + ph->filesz < vaddr + PAGE ? ph->vaddr + ph->filesz : vaddr + PAGE;
    if (from < to)
      memcpy((char *)SCRATCH + (from - vaddr), p->image + ph->offset + (from - ph->vaddr), to - from);
  }
}

seL4_Error mica_process_load(mica_process_t *p) {
  seL4_Error err;
  p->incarnation++;
  /* A VSpace with an ASID, and a CNode whose guard makes a cptr a slot number. */
  if ((err = mica_process_alloc(p, seL4_RISCV_PageTableObject, 0, &p->vspace)) ||
      (err = seL4_RISCV_ASIDPool_Assign(seL4_CapInitThreadASIDPool, p->vspace)) ||
      (err = mica_process_alloc(p, seL4_CapTableObject, MICA_PROCESS_CNODE_BITS, &p->cspace)) ||
      (err = mica_process_alloc(p, seL4_TCBObject, 0, &p->tcb)))
    return err;
  seL4_CapRights_t all = seL4_AllRights;
  if ((err = seL4_CNode_Copy(p->cspace, MICA_PROCESS_TCB, MICA_PROCESS_CNODE_BITS, ROOT, p->tcb,
                             DEPTH, all)) ||
      (err = seL4_CNode_Copy(p->cspace, MICA_PROCESS_CNODE, MICA_PROCESS_CNODE_BITS, ROOT,
                             p->cspace, DEPTH, all)) ||
      (err = seL4_CNode_Copy(p->cspace, MICA_PROCESS_VSPACE, MICA_PROCESS_CNODE_BITS, ROOT,
                             p->vspace, DEPTH, all)))
    return err;
  p->free_slot = MICA_PROCESS_FIRST_FREE;

  /* Every page any PT_LOAD segment touches: one fresh frame, RW if a segment writes it. */
  seL4_Word lo = ~(seL4_Word)0, hi = 0;
  for (unsigned i = 0; i < ehdr(p)->phnum; i++) {
    const elf64_phdr_t *ph = phdr(p, i);
    if (ph->type != PT_LOAD || ph->memsz == 0) continue;
    if (ph->vaddr < lo) lo = ph->vaddr & ~(PAGE - 1);
    if (ph->vaddr + ph->memsz > hi) hi = (ph->vaddr + ph->memsz + PAGE - 1) & ~(PAGE - 1);
  }
  if (lo >= hi) return seL4_InvalidArgument;
  for (seL4_Word v = lo; v < hi; v += PAGE) {
    int writable = 0;
    for (unsigned i = 0; i < ehdr(p)->phnum; i++) {
      const elf64_phdr_t *ph = phdr(p, i);
      if (ph->type == PT_LOAD && ph->vaddr < v + PAGE && ph->vaddr + ph->memsz > v &&
          (ph->flags & PF_W))
        writable = 1;
    }
    seL4_CPtr frame;
    if ((err = new_page(p, &frame, fill_from_image, v, NULL)) ||
        (err = map_in(p, frame, v, writable ? seL4_ReadWrite : seL4_CanRead,
                      seL4_RISCV_Default_VMAttributes)))
      return err;
  }
  p->entry = ehdr(p)->entry;
  p->image_end = hi;
  /* After the image, as for a root task: IPC buffer, bootinfo, extra bootinfo. */
  seL4_Word attrs = seL4_RISCV_Default_VMAttributes;
  if ((err = new_page(p, &p->ipc_frame, NULL, 0, NULL)) ||
      (err = map_in(p, p->ipc_frame, hi, seL4_ReadWrite, attrs)) ||
      (err = new_page(p, &p->bootinfo_frame, NULL, 0, NULL)) ||
      (err = map_in(p, p->bootinfo_frame, hi + PAGE, seL4_CanRead, attrs)) ||
      (err = new_page(p, &p->extra_frame, NULL, 0, NULL)) ||
      (err = map_in(p, p->extra_frame, hi + 2 * PAGE, seL4_CanRead, attrs)))
    return err;
  return seL4_NoError;
}

seL4_Error mica_process_give(mica_process_t *p, seL4_CPtr slot, seL4_CPtr src,
                             seL4_CapRights_t rights, seL4_Word badge) {
  seL4_Error err = seL4_CNode_Mint(p->cspace, slot, MICA_PROCESS_CNODE_BITS, ROOT, src, DEPTH,
                                   rights, badge);
  if (err == seL4_NoError && slot >= p->free_slot) p->free_slot = slot + 1;
  return err;
}

typedef struct {
  const void *args;
  size_t len;
} args_t;

static void fill_bootinfo(mica_process_t *p, seL4_Word vaddr, void *arg) {
  (void)vaddr;
  (void)arg;
  seL4_BootInfo *bi = (seL4_BootInfo *)SCRATCH;
  bi->extraLen = PAGE;
  bi->numNodes = 1;
  bi->ipcBuffer = (seL4_IPCBuffer *)p->image_end;
  bi->empty.start = p->free_slot;
  bi->empty.end = (seL4_Word)1 << MICA_PROCESS_CNODE_BITS;
  bi->initThreadCNodeSizeBits = MICA_PROCESS_CNODE_BITS;
}

static void fill_extra(mica_process_t *p, seL4_Word vaddr, void *arg) {
  (void)p;
  (void)vaddr;
  args_t *a = arg;
  seL4_BootInfoHeader *h = (seL4_BootInfoHeader *)SCRATCH;
  h->id = MICA_BOOTINFO_HEADER_ARGS;
  h->len = sizeof *h + a->len;
  memcpy(h + 1, a->args, a->len);
  /* The rest of the page: one padding chunk, as seL4 ends its extra bootinfo. */
  seL4_BootInfoHeader *pad = (seL4_BootInfoHeader *)(SCRATCH + ((h->len + 7) & ~7ul));
  pad->id = SEL4_BOOTINFO_HEADER_PADDING;
  pad->len = PAGE - ((h->len + 7) & ~7ul);
}

/* Refill a frame already mapped in the process through our scratch mapping. */
static seL4_Error refill(mica_process_t *p, seL4_CPtr frame,
                         void (*fill)(mica_process_t *, seL4_Word, void *), void *arg) {
  seL4_CPtr copy;
  seL4_Error err = next_slot(p, &copy);
  if (err == seL4_NoError)
    err = seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT, frame, DEPTH, seL4_ReadWrite);
  if (err == seL4_NoError)
    err = mica_map_frame(copy, SCRATCH, seL4_ReadWrite, seL4_RISCV_Default_VMAttributes);
  if (err != seL4_NoError) return err;
  memset((void *)SCRATCH, 0, PAGE);
  fill(p, 0, arg);
  err = seL4_RISCV_Page_Unmap(copy);
  if (err == seL4_NoError) err = seL4_CNode_Delete(ROOT, copy, DEPTH);
  if (err == seL4_NoError) p->next_slot--;
  return err;
}

seL4_Error mica_process_start(mica_process_t *p, seL4_CPtr fault_ep, seL4_Word priority,
                              const void *args, size_t len) {
  if (len > PAGE - 2 * sizeof(seL4_BootInfoHeader)) return seL4_RangeError;
  args_t a = {args, len};
  seL4_Error err;
  if ((err = refill(p, p->bootinfo_frame, fill_bootinfo, &a)) ||
      (err = refill(p, p->extra_frame, fill_extra, &a)))
    return err;
  seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - MICA_PROCESS_CNODE_BITS).words[0];
  if ((err = seL4_TCB_Configure(p->tcb, fault_ep, p->cspace, guard, p->vspace, 0, p->image_end,
                                p->ipc_frame)) ||
      (err = seL4_TCB_SetPriority(p->tcb, seL4_CapInitThreadTCB, priority)))
    return err;
  /* The SDK's crt0 sets sp, gp and tp itself; a0 is the bootinfo, as for a root task. */
  seL4_UserContext regs = {0};
  regs.pc = p->entry;
  regs.a0 = p->image_end + PAGE;
  return seL4_TCB_WriteRegisters(p->tcb, 1, 0, sizeof regs / sizeof(seL4_Word), &regs);
}

seL4_Error mica_process_destroy(mica_process_t *p) {
  /* Copies we made (shared frames, the scratch copies) are not the untyped's children. */
  seL4_Error err = seL4_CNode_Revoke(ROOT, p->untyped, DEPTH);
  for (seL4_Word i = 0; err == seL4_NoError && i < p->next_slot; i++)
    err = seL4_CNode_Delete(ROOT, p->slots + i, DEPTH);
  p->next_slot = 0;
  p->untyped_used = 0;
  return err;
}

const void *mica_process_args(size_t *len) {
  seL4_BootInfo *bi = sel4runtime_bootinfo();
  const char *at = (const char *)bi + PAGE, *end = at + bi->extraLen;
  while (at + sizeof(seL4_BootInfoHeader) <= end) {
    const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(const void *)at;
    if (h->len < sizeof *h) break;
    if (h->id == MICA_BOOTINFO_HEADER_ARGS) {
      if (len != NULL) *len = h->len - sizeof *h;
      return h + 1;
    }
    at += (h->len + 7) & ~7ul;
  }
  return NULL;
}
