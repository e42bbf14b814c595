// Sv39 page tables in physical memory (seL4/seL4: src/arch/riscv/kernel/vspace.c).
// Levels: the root table indexes vaddr bits 38..30, the next 29..21, the
// last 20..12; a PTE holds PPN << 10 | flags.

import type { PhysicalMemory } from "./physical-memory.js";

export const seL4_PageBits = 12;
export const seL4_PageTableBits = 12;
export const seL4_UserTop = 0x0000_003f_ffff_f000n;

export const PTE_V = 1n;
export const PTE_R = 2n;
export const PTE_W = 4n;
export const PTE_X = 8n;
export const PTE_U = 16n;
export const PTE_A = 64n;
export const PTE_D = 128n;

/** Index of vaddr in a table at `level` (2 = root, 0 = last). */
export function ptIndex(vaddr: bigint, level: number): bigint {
  return (vaddr >> BigInt(12 + 9 * level)) & 0x1ffn;
}

/** A PTE pointing to the next-level table at `tablePaddr`. */
export function tablePte(tablePaddr: bigint): bigint {
  return ((tablePaddr >> 12n) << 10n) | PTE_V;
}

/** A leaf PTE for a frame (seL4 sets A and D so the hardware never needs to). */
export function leafPte(framePaddr: bigint, r: boolean, w: boolean, x: boolean): bigint {
  let pte = ((framePaddr >> 12n) << 10n) | PTE_V | PTE_U | PTE_A | PTE_D;
  if (r) pte |= PTE_R;
  if (w) pte |= PTE_W;
  if (x) pte |= PTE_X;
  return pte;
}

export function writePte(mem: PhysicalMemory, table: bigint, index: bigint, pte: bigint): void {
  mem.write64(table + index * 8n, pte);
}

export function readPte(mem: PhysicalMemory, table: bigint, index: bigint): bigint {
  return mem.read64(table + index * 8n);
}
