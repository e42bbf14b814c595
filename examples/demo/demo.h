/*
 * The default mica system's root task, in steps: each step is one file and
 * shows one part of seL4's API (see demo.c for the order).
 */
#pragma once

#include <sel4/sel4.h>

/* bootinfo.c: what the kernel handed over -- bootinfo, untypeds, caps. */
void show_boot_info(seL4_BootInfo *bi);

/* process.c: a thread in its own VSpace and CSpace, cloned from this image. */
typedef struct process {
  int id;
  seL4_CPtr tcb, vspace, cspace;
} process_t;

/* The caps a process holds, by slot in its CSpace. */
#define PROCESS_SERVER_SLOT 1 /* the root task's endpoint, badge = id */
#define PROCESS_FAULT_SLOT 2  /* the same endpoint, badge = FAULT_BADGE | id */
#define FAULT_BADGE 0x100ul

/* Build process `id` and start it at entry(id), at priority 254. */
void process_create(process_t *p, int id, seL4_CPtr endpoint, void (*entry)(seL4_Word));

/* Map a fresh 4 KiB frame at the page holding vaddr in vspace. */
seL4_Error map_new_page(seL4_CPtr vspace, seL4_Word vaddr);

/* server.c: what the processes run, and the root task's side. */
enum { REQUEST_ADD = 1, REQUEST_EXIT = 2 };
#define DEMAND_PAGE 0x30000000ul /* unmapped until process 2 touches it */
void process_main(seL4_Word id);
/* Answer requests and faults until all `count` processes are done. */
void serve(seL4_CPtr endpoint, process_t *processes, int count);
