// Sv39 address spaces as seL4 keeps them (seL4/seL4: src/arch/riscv/kernel/vspace.c;
// l4v spec/haskell/src/SEL4/Kernel/VSpace/RISCV64.hs): page tables are real
// guest memory, walked by the hart's MMU; a root table is usable once an
// ASID pool entry points at it. Levels: the root table indexes vaddr bits
// 38..30, the next 29..21, the last 20..12; a PTE holds PPN << 10 | flags:
//
//   63      54 53        10 9   8 7 6 5 4 3 2 1 0
//   | reserved |    PPN    | RSW |D|A|G|U|X|W|R|V|
//
// A valid PTE with none of R, W, X points to the next-level table.

import {
  seL4_PageBits,
  seL4_PageTableBits,
  seL4_PageTableIndexBits,
  seL4_UserTop as userTop,
} from "../../api/generated/abi.js";
import type { Kernel } from "../../kernel.js";
import type { FrameRights } from "../../object/cap.js";
import type { KernelState } from "../../state.js";
import { ASID_POOL_SIZE, type ASIDPool, seL4_ASIDPoolIndexBits } from "./asid.js";
import type { PhysicalMemory } from "./physical-memory.js";

export { seL4_PageBits, seL4_PageTableBits };
/** The first address above user space (0x3F_FFFF_F000). */
export const seL4_UserTop = BigInt(userTop);
const PT_INDEX_BITS = seL4_PageTableIndexBits;
const CONFIG_PT_LEVELS = 3;

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
  // PERF (sel4test): the flags are gathered as a number, then one BigInt.
  let flags = LEAF_FLAGS;
  if (r) flags |= FLAG_R;
  if (w) flags |= FLAG_W;
  if (x) flags |= FLAG_X;
  return ((framePaddr >> 12n) << 10n) | BigInt(flags);
}

const LEAF_FLAGS = Number(PTE_V | PTE_U | PTE_A | PTE_D);
const FLAG_R = Number(PTE_R);
const FLAG_W = Number(PTE_W);
const FLAG_X = Number(PTE_X);

/**
 * The PTE for a user mapping of a frame with the given rights (seL4's
 * makeUserPTE): kernel-only and not executable is an invalid (zero) entry.
 */
export function makeUserPTE(paddr: bigint, executable: boolean, rights: FrameRights): bigint {
  const read = rights !== "KernelOnly";
  const write = rights === "ReadWrite";
  if (!read && !write && !executable) return 0n;
  return leafPte(paddr, read, write, executable);
}

export function writePte(mem: PhysicalMemory, table: bigint, index: bigint, pte: bigint): void {
  mem.write64(table + index * 8n, pte);
}

export function readPte(mem: PhysicalMemory, table: bigint, index: bigint): bigint {
  return mem.read64(table + index * 8n);
}

export function pteValid(pte: bigint): boolean {
  return (pte & PTE_V) !== 0n;
}

/** A valid entry that points to a next-level table rather than a page. */
export function isPTEPageTable(pte: bigint): boolean {
  return pteValid(pte) && (pte & (PTE_R | PTE_W | PTE_X)) === 0n;
}

/** Physical address a PTE points to. */
export function ptePaddr(pte: bigint): bigint {
  return ((pte >> 10n) & PPN_MASK) << 12n;
}

const PPN_MASK = (1n << 44n) - 1n;

/**
 * Walks from a root table towards vaddr while entries point to tables
 * (seL4's lookupPTSlot). Returns the physical address of the entry where
 * the walk stopped and the size (bits) of the region that entry covers:
 * 30, 21 or 12.
 *
 * PERF (sel4test: ~600k Page_Map/Unmap): the walk runs on numbers, reading
 * each PTE as two 32-bit halves; only the answer is a BigInt (the BigInt
 * walk took ~270 ms per run, this one ~60 ms).
 */
export function lookupPTSlot(
  mem: PhysicalMemory,
  root: bigint,
  vaddr: bigint,
): { slot: bigint; bitsLeft: number } {
  // Sv39 indexes with vaddr bits 12..38 only: the page number (27 bits) is an int.
  const vpn = Number((vaddr & SV39_VADDR_MASK) >> 12n);
  let level = CONFIG_PT_LEVELS - 1;
  let bitsLeft = PT_INDEX_BITS * level + seL4_PageBits;
  let slot = Number(root) + ((vpn >>> (bitsLeft - seL4_PageBits)) & 0x1ff) * 8;
  for (;;) {
    const lo = mem.read32(slot);
    if ((lo & PTE_FLAGS_VRWX) !== PTE_FLAG_V || level === 0) break;
    level--;
    bitsLeft -= PT_INDEX_BITS;
    const table = ptePaddrOfHalves(lo, mem.read32(slot + 4));
    slot = table + ((vpn >>> (bitsLeft - seL4_PageBits)) & 0x1ff) * 8;
  }
  return { slot: BigInt(slot), bitsLeft };
}

const SV39_VADDR_MASK = (1n << 39n) - 1n;
/** V, R, W, X of a PTE's low half; a table pointer has V alone. */
const PTE_FLAGS_VRWX = 0xf;
const PTE_FLAG_V = 0x1;

/** ptePaddr for a PTE given as halves: PPN (bits 53..10) << 12, below 2^56. */
function ptePaddrOfHalves(lo: number, hi: number): number {
  return ((lo >>> 10) + (hi & 0x3f_ffff) * 2 ** 22) * 4096;
}

export type FindVSpaceResult = { ok: true; paddr: bigint } | { ok: false };

/** The root table registered for an ASID (seL4's findVSpaceForASID; failure is InvalidRoot). */
export function findVSpaceForASID(ks: KernelState, asid: number): FindVSpaceResult {
  const root = findVSpaceRootForASID(ks, asid);
  return root === undefined ? { ok: false } : { ok: true, paddr: root };
}

/** The root page table an ASID maps to, or undefined (findVSpaceForASID without a result object). */
export function findVSpaceRootForASID(ks: KernelState, asid: number): bigint | undefined {
  const pool = ks.asidTable[asid >> seL4_ASIDPoolIndexBits];
  return pool?.entries[asid & (ASID_POOL_SIZE - 1)];
}

/**
 * Makes page-table changes visible to the hart. seL4 issues sfence.vma;
 * mica's TLB is not tagged by ASID, so any change is flushed whole.
 */
export function sfence(kernel: Kernel): void {
  kernel.hart.core.flushTlb();
}

/**
 * Removes a frame's mapping if the address space still maps exactly that
 * frame there (seL4's unmapPage); stale mapping records are harmless.
 */
export function unmapPage(
  kernel: Kernel,
  sizeBits: number,
  asid: number,
  vaddr: bigint,
  paddr: bigint,
): void {
  const root = findVSpaceRootForASID(kernel.ks, asid);
  if (root === undefined) return;
  const mem = kernel.mem;
  const lu = lookupPTSlot(mem, root, vaddr);
  if (lu.bitsLeft !== sizeBits) return;
  const pte = mem.read64(lu.slot);
  if (!pteValid(pte) || isPTEPageTable(pte) || ptePaddr(pte) !== paddr) return;
  mem.write64(lu.slot, 0n);
  // PERF (sel4test unmaps ~600k pages): one 4 KiB page leaves only its own
  // entries; the rest of the TLB stays warm.
  if (sizeBits === seL4_PageBits) kernel.hart.core.flushTlbPage(vaddr);
  else sfence(kernel);
}

/** Unlinks a non-root table from its parent entry, if it is still linked there (seL4's unmapPageTable). */
export function unmapPageTable(kernel: Kernel, asid: number, vaddr: bigint, target: bigint): void {
  const root = findVSpaceForASID(kernel.ks, asid);
  if (!root.ok) return;
  if (root.paddr === target) throw new Error("unmapPageTable: a root table is never unmapped");
  const mem = kernel.mem;
  let pt = root.paddr;
  let slot: bigint | undefined;
  for (let i = 0; i < CONFIG_PT_LEVELS - 1 && pt !== target; i++) {
    slot = pt + ptIndex(vaddr, CONFIG_PT_LEVELS - 1 - i) * 8n;
    const pte = mem.read64(slot);
    if (!isPTEPageTable(pte)) return;
    pt = ptePaddr(pte);
  }
  if (pt !== target || slot === undefined) return;
  mem.write64(slot, 0n);
  sfence(kernel);
}

/** Invalidates an ASID whose root is being deleted (seL4's deleteASID). */
export function deleteASID(kernel: Kernel, asid: number, vspace: bigint): void {
  const pool = kernel.ks.asidTable[asid >> seL4_ASIDPoolIndexBits];
  const low = asid & (ASID_POOL_SIZE - 1);
  if (pool && pool.entries[low] === vspace) {
    pool.entries[low] = undefined;
    kernel.ks.asidVersion++;
    sfence(kernel); // hwASIDFlush; setVMRoot happens at kernel exit
  }
}

/** Removes a pool from the ASID table: all its ASIDs become invalid (seL4's deleteASIDPool). */
export function deleteASIDPool(kernel: Kernel, asidBase: number, pool: ASIDPool): void {
  const i = asidBase >> seL4_ASIDPoolIndexBits;
  if (kernel.ks.asidTable[i] === pool) {
    kernel.ks.asidTable[i] = undefined;
    kernel.ks.asidVersion++;
    sfence(kernel);
  }
}
