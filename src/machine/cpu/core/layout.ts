// The hart's state in WebAssembly linear memory: fixed addresses shared by the
// AssemblyScript core, the TypeScript host (through typed-array views) and,
// later, translated code. Everything here is little-endian, as RISC-V is.
//
//   0x0000_1000  x0..x31        32 x i64
//   0x0000_1100  f0..f31        32 x i64 (single values NaN-boxed)
//   0x0000_1200  host block     pc, retired, host trap cause, host trap tval (u64 each),
//                               mstatus.FS at exit (u32)
//   0x0000_1300  TLB bank tags  4 x u64 satp values, then 4 x 16 bytes saved fetch pages (mmu.ts)
//   0x0000_1400  PMP registers  (csr.ts)
//   0x0000_1500  PMU counters and events (csr.ts)
//   0x0000_1230  JIT exit       pc (u64), helper status (u32), F written (u32) (jit.ts)
//   0x0000_2000  TLB fill log   4096 x u32 (mmu.ts)
//   0x0000_6000  JIT hints      4096 x u16 countdowns, by branch target (jit.ts)
//   0x0000_8000  fault page     0x1004 bytes of 0xff, fetched when no page is cached
//   0x0000_9100  CLINT          msip (MAX_HARTS x u32), then mtimecmp at 0x9200 (MAX_HARTS x u64)
//   0x0000_a000  hart contexts  MAX_HARTS x HART_CONTEXT_SIZE: the harts not in the core (smp.ts)
//   0x0000_f000  JIT declined   512 x u64 entry pcs the translator declined (jit.ts)
//   0x0001_0000  RVC table      65536 x u32: 16-bit parcel -> 32-bit instruction (0 = illegal)
//   0x0005_0000  MROM           0xf000 bytes: QEMU virt's reset ROM at physical 0x1000
//   0x0006_0000  TLB            up to 4 banks (mmu.ts) x 4 mmu indexes x TLB_ENTRIES x 32 bytes
//   0x0010_0000  AssemblyScript static data (--memoryBase)
//   0x0100_0000  guest RAM      RAM_BASE_PADDR.. mapped here, RAM size set at init
//   after RAM    one spare page (the fetch fast path may read past a page), then the JIT's
//                tables: per 4 KiB page of RAM a u32 table slot, then 4096 u32 visit counters (jit.ts)

export const X_BASE: u32 = 0x1000;
export const F_BASE: u32 = 0x1100;
// PERF (bench/ipc): what the host reads and writes around every run() lives
// in memory, so a kernel entry reads it through a typed array instead of
// calling out and making BigInts. Between runs the pc slot is the pc:
// run() starts from it and leaves the final pc there.
export const HOST_BASE: u32 = 0x1200;
export const HOST_PC: u32 = HOST_BASE;
export const HOST_RETIRED: u32 = HOST_BASE + 8;
export const HOST_TRAP_CAUSE: u32 = HOST_BASE + 16;
export const HOST_TRAP_TVAL: u32 = HOST_BASE + 24;
export const HOST_FS: u32 = HOST_BASE + 32;
// Translated code (jit.ts) leaves the pc here when it returns, and its
// memory helpers their status.
export const JIT_PC: u32 = 0x1230;
export const JIT_STATUS: u32 = 0x1238;
// Set by translated code that wrote an F register (mstatus.FS becomes Dirty).
export const JIT_FS_DIRTY: u32 = 0x123c;
// The budget left when a page function found no entry at JIT_PC (i32).
export const JIT_N: u32 = 0x1240;
export const JIT_HINTS: u32 = 0x6000;
export const JIT_DECLINED: u32 = 0xf000;
// The satp value each TLB bank holds translations for (mmu.ts): 4 x u64.
export const TLB_BANK_SATP: u32 = 0x1300;
// The fetch page each TLB bank was left on (mmu.ts): 4 x 16 bytes.
export const TLB_BANK_FETCH: u32 = 0x1320;
export const FAULT_PAGE: u32 = 0x8000;
// Harts a machine may have (--smp); the CLINT and context areas are sized for it.
export const MAX_HARTS: u32 = 8;
export const CLINT_MSIP: u32 = 0x9100;
export const CLINT_MTIMECMP: u32 = 0x9200;
export const HART_CONTEXTS: u32 = 0xa000;
export const HART_CONTEXT_SIZE: u32 = 0x900;
// Registers, PMP and PMU storage: the part of a hart's state kept in memory.
export const HART_MEMORY_STATE: u32 = 0x700;
export const RVC_TABLE: u32 = 0x10000;
// QEMU virt's mask ROM (VIRT_MROM): the reset vector and fw_dynamic_info,
// written by the host (src/machine/mrom.ts), read-only to the guest.
export const MROM_WASM_OFFSET: u32 = 0x50000;
export const MROM_BASE_PADDR: u64 = 0x1000;
export const MROM_SIZE: u64 = 0xf000;
export const TLB_BASE: u32 = 0x60000;
export const TLB_BITS: u32 = 10;
export const TLB_ENTRIES: u32 = 1 << TLB_BITS;
export const TLB_ENTRY_SIZE: u32 = 32;
export const TLB_IDX_SIZE: u32 = TLB_ENTRIES * TLB_ENTRY_SIZE;
export const RAM_WASM_OFFSET: u32 = 0x1000000;
// QEMU virt puts DRAM at 2 GiB.
export const RAM_BASE_PADDR: u64 = 0x80000000;

// @ts-ignore: decorator
@inline export function getX(r: u32): u64 {
  return load<u64>(X_BASE + (r << 3));
}
// @ts-ignore: decorator
@inline export function setX(r: u32, v: u64): void {
  store<u64>(X_BASE + (r << 3), v);
}
// @ts-ignore: decorator
@inline export function getF(r: u32): u64 {
  return load<u64>(F_BASE + (r << 3));
}
// @ts-ignore: decorator
@inline export function setF(r: u32, v: u64): void {
  store<u64>(F_BASE + (r << 3), v);
}
