/*
 * sel4platsupport's bootinfo accessor (seL4/seL4_libs:
 * libsel4platsupport/include/sel4platsupport/bootinfo.h), which
 * sel4-tutorials and many seL4 root tasks call.
 */
#pragma once

#include <sel4runtime.h>

static inline seL4_BootInfo *platsupport_get_bootinfo(void) { return sel4runtime_bootinfo(); }
