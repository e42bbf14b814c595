/*
 * A small allocator for examples and tests: free CNode slots and kernel
 * objects carved from the root task's untyped memory. It never frees.
 *
 *   seL4_CPtr ep;
 *   seL4_Error err = mica_alloc_object(seL4_EndpointObject, 0, &ep);
 *
 * Slots come from bootinfo->empty in order. An object comes from the
 * smallest RAM untyped that still has room, by seL4_Untyped_Retype into the
 * root CNode (node_depth 0 names the CNode itself, node_offset the slot).
 * Room is tracked the way the kernel places objects -- each at the next
 * multiple of its size -- and an untyped the kernel reports full is skipped.
 * Single-threaded: call it from one thread only.
 */
#pragma once

#include <sel4/sel4.h>

/* The next free slot in the root CNode, or seL4_CapNull when none is left. */
seL4_CPtr mica_alloc_slot(void);

/* log2 of the memory an object of `type` takes (size_bits as for Retype). */
seL4_Word mica_object_size_bits(seL4_Word type, seL4_Word size_bits);

/*
 * Create one object of `type` (size_bits as for seL4_Untyped_Retype: only
 * Untyped and CapTable objects use it) and put its cap in a new slot, *cap.
 * Returns seL4_NoError, seL4_NotEnoughMemory when no untyped has room or no
 * slot is left, or the kernel's error from Retype.
 */
seL4_Error mica_alloc_object(seL4_Word type, seL4_Word size_bits, seL4_CPtr *cap);
