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

/*
 * A frame cap for the device page at paddr (e.g. a UART's registers), from
 * the device untyped that covers it: the gap before it is retyped into
 * untypeds that are kept, so pages must be asked for in increasing address
 * order within one device untyped. Returns seL4_FailedLookup if no device
 * untyped covers paddr, seL4_RevokeFirst if that part was handed out.
 */
seL4_Error mica_alloc_device_frame(seL4_Word paddr, seL4_CPtr *cap);
