/*
 * Processes made from ELF images, for supervisors: a process is a thread
 * with its own VSpace and CSpace, built from an untyped that belongs to it
 * alone, so that tearing it down is one Revoke and building it again from
 * its image gives a fresh copy (seL4 has no notion of a process: this is
 * the usual construction from ordinary invocations, as sel4utils does).
 *
 *   static mica_process_t serial;
 *   MICA_CHECK(mica_process_init(&serial, "serial", image, image_size, 20, 128));
 *   MICA_CHECK(mica_process_load(&serial));
 *   MICA_CHECK(mica_process_give(&serial, 8, ep, seL4_AllRights, badge));
 *   MICA_CHECK(mica_process_start(&serial, FAULT_SLOT, 254, &args, sizeof args));
 *   ...
 *   mica_process_destroy(&serial);          // everything goes; then load again
 *
 * The process's CNode has 2^MICA_PROCESS_CNODE_BITS slots and a guard that
 * makes a cptr simply a slot number. Its bootinfo (a0 at entry, so the SDK
 * runtime starts it like a root task) gives the IPC buffer, the first free
 * slot and, as an extra bootinfo chunk, the arguments passed to start, read
 * with mica_process_args(). Only the root task's thread (one thread) may
 * call these.
 */
#pragma once

#include <sel4/sel4.h>
#include <stddef.h>

#define MICA_PROCESS_CNODE_BITS 6
/* Slots every process gets: its own TCB, CNode and VSpace. */
#define MICA_PROCESS_TCB 1
#define MICA_PROCESS_CNODE 2
#define MICA_PROCESS_VSPACE 3
/* The first slot mica_process_give may fill. */
#define MICA_PROCESS_FIRST_FREE 4
/* The extra bootinfo chunk holding the arguments (not one of seL4's ids). */
#define MICA_BOOTINFO_HEADER_ARGS 0x6d696361

typedef struct mica_process {
  const char *name;
  const unsigned char *image;
  size_t image_size;
  seL4_CPtr untyped;      /* everything of one incarnation is retyped from it */
  seL4_Word untyped_bits;
  seL4_Word untyped_used; /* bytes handed out since the last Revoke */
  seL4_CPtr slots;        /* our slots [slots, slots + nslots) hold its caps */
  seL4_Word nslots;
  seL4_Word next_slot;    /* index into our slots */
  seL4_Word free_slot;    /* its first slot mica_process_give has not filled */
  seL4_CPtr tcb, cspace, vspace, ipc_frame, bootinfo_frame, extra_frame;
  seL4_Word entry;        /* from the ELF header */
  seL4_Word image_end;    /* page after the highest segment: IPC buffer, bootinfo, extra */
  unsigned incarnation;   /* how many times it was loaded */
} mica_process_t;

/*
 * Once per process: keep the image, and carve its untyped (2^untyped_bits
 * bytes) and nslots slots from ours (mica/alloc.h). Fails with
 * seL4_InvalidArgument if the image is not a static RV64 executable.
 */
seL4_Error mica_process_init(mica_process_t *p, const char *name, const void *image,
                             size_t image_size, seL4_Word untyped_bits, seL4_Word nslots);

/* A new VSpace, CSpace and TCB, and the image's segments copied into fresh frames. */
seL4_Error mica_process_load(mica_process_t *p);

/* One object from the process's untyped into one of our slots (dies with the process). */
seL4_Error mica_process_alloc(mica_process_t *p, seL4_Word type, seL4_Word size_bits,
                              seL4_CPtr *cap);

/* Mint src (a cptr in our CSpace) into the process's CNode at slot (a cptr there). */
seL4_Error mica_process_give(mica_process_t *p, seL4_CPtr slot, seL4_CPtr src,
                             seL4_CapRights_t rights, seL4_Word badge);

/* Map a copy of our frame cap at vaddr in the process, adding page tables as needed. */
seL4_Error mica_process_map(mica_process_t *p, seL4_CPtr frame, seL4_Word vaddr,
                            seL4_CapRights_t rights, seL4_Word attrs);

/*
 * Write its bootinfo (arguments: len bytes, at most a page less 16), then
 * configure the TCB (fault_ep: a cptr in the process's CSpace, priority at
 * most ours) and resume it at the ELF entry.
 */
seL4_Error mica_process_start(mica_process_t *p, seL4_CPtr fault_ep, seL4_Word priority,
                              const void *args, size_t len);

/*
 * Destroy every object of this incarnation (Revoke of its untyped: the TCB
 * stops, its CNode and VSpace go, with every cap and mapping in them) and
 * empty our slots for it. mica_process_load builds it again.
 */
seL4_Error mica_process_destroy(mica_process_t *p);

/* In a process started by mica_process_start: its arguments, or NULL. */
const void *mica_process_args(size_t *len);

/* Map a frame in our own VSpace at vaddr, adding page tables from our untypeds. */
seL4_Error mica_map_frame(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights,
                          seL4_Word attrs);
