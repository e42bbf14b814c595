// Address translation and the physical bus: Sv39 page walks (privileged spec
// v1.12 section 4.4), a QEMU-style software TLB, RAM, the reset ROM, the
// CLINT, and MMIO handed to the host.
//
// TLB: per mmu index (U, S, S+SUM, M/bare) a direct-mapped table of
// TLB_ENTRIES entries: { tagR, tagW, tagX, addend } as u64. A tag holds the
// page-aligned virtual address; the fast path compares it with
// va & (~0xfff | (size-1)), so one compare also rejects misaligned accesses
// (QEMU's trick). host address = va + addend (wrapping to 32 bits).

import {
  FAULT_PAGE, RAM_BASE_PADDR, RAM_WASM_OFFSET, TLB_BASE, TLB_ENTRIES, TLB_IDX_SIZE, TLB_BANK_SATP, TLB_BANK_FETCH,
  MROM_BASE_PADDR, MROM_SIZE, MROM_WASM_OFFSET, MAX_HARTS, CLINT_MSIP, CLINT_MTIMECMP,
} from "./layout";
import { PRV_M, PRV_U, priv, raise, excCause, requestBreakSlice } from "./state";
import { codePageWritten } from "./jit";
import {
  mstatus, satp, MSTATUS_MPRV, MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_SUM, MSTATUS_MXR,
  mtimeNow, setMtime,
} from "./csr";

export const ACCESS_FETCH: u32 = 0;
export const ACCESS_LOAD: u32 = 1;
export const ACCESS_STORE: u32 = 2;

export const CAUSE_FETCH_ACCESS: i32 = 1;
export const CAUSE_LOAD_MISALIGNED: i32 = 4;
export const CAUSE_LOAD_ACCESS: i32 = 5;
export const CAUSE_STORE_MISALIGNED: i32 = 6;
export const CAUSE_STORE_ACCESS: i32 = 7;
export const CAUSE_FETCH_PAGE: i32 = 12;
export const CAUSE_LOAD_PAGE: i32 = 13;
export const CAUSE_STORE_PAGE: i32 = 15;

const PTE_V: u64 = 1;
const PTE_R: u64 = 2;
const PTE_W: u64 = 4;
const PTE_X: u64 = 8;
const PTE_U: u64 = 16;
const PTE_A: u64 = 64;
const PTE_D: u64 = 128;
// Bits 63:54 (N, PBMT, reserved) must be zero without Svnapot/Svpbmt.
const PTE_RESERVED: u64 = 0xffc0000000000000;

const IDX_U: u32 = 0;
const IDX_S: u32 = 1;
const IDX_S_SUM: u32 = 2;
const IDX_BARE: u32 = 3;

export const TLB_MASK: u32 = TLB_ENTRIES - 1;
const TAG_INVALID: u64 = 0xffffffffffffffff;

// Drops a TLB entry: its load, store and fetch tags.
// @ts-ignore: decorator
@inline function invalidateEntry(e: u32): void {
  store<u64>(e, TAG_INVALID);
  store<u64>(e, TAG_INVALID, 8);
  store<u64>(e, TAG_INVALID, 16);
}

// Physical map handled in the core; everything else goes to the host.
const CLINT_BASE: u64 = 0x2000000;
const CLINT_SIZE: u64 = 0x10000;

export let ramSize: u64 = 0;
// TLB sets used by data accesses and by instruction fetch.
export let dataTlb: u32 = TLB_BASE;
export let fetchTlb: u32 = TLB_BASE;
// Host address of the page instruction fetch is on, and its virtual base.
//
// TRICKY: the interpreter tests `pc - fetchPage < 0xffe`, so "no page" must
// be a page no instruction can be fetched from: FETCH_NONE is non-canonical
// in Sv39 and beyond the physical address space. Should pc ever lie there,
// the fast path reads FAULT_PAGE's all-ones words (an illegal encoding),
// which sends the interpreter to fetchSlow() for the proper fault.
export const FETCH_NONE: u64 = 0x4000000000000000;
export let fetchPage: u64 = FETCH_NONE;
export let fetchHost: u32 = FAULT_PAGE;

// Entries filled since the last flush, so a flush touches only those.
const FILL_LOG: u32 = 0x2000;
const FILL_LOG_MAX: u32 = 4096;
let fillCount: u32 = 0;

// The physical address of the last translation's page, and a flag for
// bus errors the host reports during MMIO.
let busError: bool = false;

// LR/SC reservation (physical address), cleared by SC and by traps.
export let reservation: u64 = TAG_INVALID;

@external("env", "mmioLoad")
declare function hostMmioLoad(pa: u32, size: u32): u32;
@external("env", "mmioStore")
declare function hostMmioStore(pa: u32, size: u32, value: u32): void;

export function setRamSize(size: u64): void {
  ramSize = size;
}
export function reportBusError(): void {
  busError = true;
}
export function setReservation(pa: u64): void {
  reservation = pa;
}

// @ts-ignore: decorator
@inline export function inRam(pa: u64, size: u64): bool {
  return pa >= RAM_BASE_PADDR && pa - RAM_BASE_PADDR + size <= ramSize;
}
// @ts-ignore: decorator
@inline export function ramHost(pa: u64): u32 {
  return <u32>(pa - RAM_BASE_PADDR) + RAM_WASM_OFFSET;
}

// The reset ROM: fetched from and read, never written (QEMU drops writes).
// @ts-ignore: decorator
@inline function inRom(pa: u64, size: u64): bool {
  return pa - MROM_BASE_PADDR < MROM_SIZE && pa - MROM_BASE_PADDR + size <= MROM_SIZE;
}
// @ts-ignore: decorator
@inline function romHost(pa: u64): u32 {
  return <u32>(pa - MROM_BASE_PADDR) + MROM_WASM_OFFSET;
}

// Privilege that data accesses use: MPRV in M-mode borrows MPP's.
// @ts-ignore: decorator
@inline export function dataPriv(): u32 {
  if (priv == PRV_M && (mstatus & MSTATUS_MPRV) != 0) return <u32>((mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
  return priv;
}

function idxFor(p: u32, forData: bool): u32 {
  if (p == PRV_M || (satp >> 60) == 0) return IDX_BARE;
  if (p == PRV_U) return IDX_U;
  return forData && (mstatus & MSTATUS_SUM) != 0 ? IDX_S_SUM : IDX_S;
}

// PERF (bench/ipc): with a trusted host kernel (mica run), the TLB keeps
// TLB_BANKS banks, one per recently used satp value, so switching between
// address spaces does not empty it. That is only sound because that kernel
// flushes after every page-table change that can make an entry stale
// (flushTlb, all banks; flushTlbPage when one 4 KiB mapping goes), where
// seL4 issues sfence.vma; a guest OS on the bare machine may rely on QEMU's flush
// at every satp write, so there the TLB has one bank and satp flushes it.
const TLB_BANKS: u32 = 4;
const TLB_BANK_SIZE: u32 = 4 * TLB_IDX_SIZE;
let tlbBanking: bool = false;
// The bank in use and its base. The satp value each bank caches: TLB_BANKS
// x u64 at TLB_BANK_SATP (layout.ts).
let curBank: u32 = 0;
let tlbBank: u32 = TLB_BASE;
let bankVictim: u32 = 0;
// PERF (bench/ipc): each bank keeps the fetch page it was left on, so that a
// thread resumed in another address space fetches without a refill. At
// TLB_BANK_FETCH (layout.ts), 16 bytes per bank: the virtual page (u64), its
// host address (u32) and the fetch set it was translated in (u32; 0 = none,
// which no set equals). Like the live fetch page, a saved one stands until a
// flush: flushTlb forgets all, clearBank its bank's.
const SAVED_PAGE: u32 = 0;
const SAVED_HOST: u32 = 8;
const SAVED_SET: u32 = 12;

export function setTlbBanking(on: bool): void {
  tlbBanking = on;
  fillCount = FILL_LOG_MAX + 1;
  flushTlb();
  for (let b: u32 = 0; b < TLB_BANKS; b++) store<u64>(TLB_BANK_SATP + (b << 3), 0xffffffffffffffff);
  curBank = 0;
  tlbBank = TLB_BASE;
  store<u64>(TLB_BANK_SATP, satp);
  updateMmuIdx();
}

// satp was written: with banks, switch to the bank of that value (emptying
// the oldest one when none has it); without, flush. Either way the TLB sets
// follow the new satp (its mode decides between Sv39 and bare).
export function satpWritten(v: u64): void {
  if (!tlbBanking) {
    flushTlb();
    updateMmuIdx();
    return;
  }
  for (let b: u32 = 0; b < TLB_BANKS; b++) {
    if (load<u64>(TLB_BANK_SATP + (b << 3)) == v) {
      switchBank(b);
      return;
    }
  }
  const b = bankVictim;
  bankVictim = (b + 1) % TLB_BANKS;
  clearBank(b);
  store<u64>(TLB_BANK_SATP + (b << 3), v);
  switchBank(b);
}

// Makes bank b the one in use: saves the fetch page of the bank left, and
// takes up the one bank b was left on if it belongs to the same fetch set.
function switchBank(b: u32): void {
  if (b == curBank) {
    updateMmuIdx();
    return;
  }
  const out = TLB_BANK_FETCH + (curBank << 4);
  store<u64>(out, fetchPage, SAVED_PAGE);
  store<u32>(out, fetchHost, SAVED_HOST);
  store<u32>(out, fetchTlb, SAVED_SET);
  curBank = b;
  tlbBank = TLB_BASE + b * TLB_BANK_SIZE;
  updateMmuIdx();
  const back = TLB_BANK_FETCH + (b << 4);
  if (load<u32>(back, SAVED_SET) == fetchTlb) {
    fetchPage = load<u64>(back, SAVED_PAGE);
    fetchHost = load<u32>(back, SAVED_HOST);
  }
}

// Invalidates one bank's entries (and drops them from the fill log) and the
// fetch pages that may come from them.
function clearBank(b: u32): void {
  store<u32>(TLB_BANK_FETCH + (b << 4), 0, SAVED_SET);
  if (b == curBank) invalidateFetchPage();
  const lo = TLB_BASE + b * TLB_BANK_SIZE;
  const hi = lo + TLB_BANK_SIZE;
  if (fillCount > FILL_LOG_MAX) {
    memory.fill(lo, 0xff, TLB_BANK_SIZE);
    return;
  }
  let kept: u32 = 0;
  for (let i: u32 = 0; i < fillCount; i++) {
    const e = load<u32>(FILL_LOG + (i << 2));
    if (e >= lo && e < hi) {
      invalidateEntry(e);
    } else {
      store<u32>(FILL_LOG + (kept << 2), e);
      kept++;
    }
  }
  fillCount = kept;
}

// Recomputes the TLB sets after a change of privilege, mstatus or satp.
export function updateMmuIdx(): void {
  dataTlb = tlbBank + idxFor(dataPriv(), true) * TLB_IDX_SIZE;
  const f = tlbBank + idxFor(priv, false) * TLB_IDX_SIZE;
  if (f != fetchTlb) {
    fetchPage = FETCH_NONE;
    fetchHost = FAULT_PAGE;
  }
  fetchTlb = f;
}

export function flushTlb(): void {
  if (fillCount > FILL_LOG_MAX) {
    memory.fill(TLB_BASE, 0xff, tlbBanking ? TLB_BANKS * TLB_BANK_SIZE : TLB_BANK_SIZE);
  } else {
    for (let i: u32 = 0; i < fillCount; i++) {
      const e = load<u32>(FILL_LOG + (i << 2));
      invalidateEntry(e);
    }
  }
  fillCount = 0;
  fetchPage = FETCH_NONE;
  fetchHost = FAULT_PAGE;
  for (let b: u32 = 0; b < TLB_BANKS; b++) store<u32>(TLB_BANK_FETCH + (b << 4), 0, SAVED_SET);
}

// Drops whatever translates the 4 KiB page at va, in every bank and mmu
// index: enough after one 4 KiB mapping was removed or changed. (Failed
// walks are never cached, so a new mapping needs nothing.)
export function flushTlbPage(va: u64): void {
  const page = va & ~(<u64>0xfff);
  const off = (<u32>(va >> 12) & TLB_MASK) << 5;
  const banks: u32 = tlbBanking ? TLB_BANKS : 1;
  for (let b: u32 = 0; b < banks; b++) {
    for (let i: u32 = 0; i < 4; i++) {
      const e = TLB_BASE + b * TLB_BANK_SIZE + i * TLB_IDX_SIZE + off;
      if (load<u64>(e) == page || load<u64>(e, 8) == page || load<u64>(e, 16) == page) {
        invalidateEntry(e);
      }
    }
    const saved = TLB_BANK_FETCH + (b << 4);
    if (load<u64>(saved, SAVED_PAGE) == page) store<u32>(saved, 0, SAVED_SET);
  }
  if (fetchPage == page) invalidateFetchPage();
}

// Forgets the cached fetch page, so the next fetch translates pc again.
export function invalidateFetchPage(): void {
  fetchPage = FETCH_NONE;
  fetchHost = FAULT_PAGE;
}

export function resetMmu(): void {
  memory.fill(FAULT_PAGE, 0xff, 0x1004);
  fillCount = FILL_LOG_MAX + 1;
  flushTlb();
  reservation = TAG_INVALID;
  updateMmuIdx();
}

// @ts-ignore: decorator
@inline function pageFaultCause(access: u32): i32 {
  return access == ACCESS_FETCH ? CAUSE_FETCH_PAGE : access == ACCESS_LOAD ? CAUSE_LOAD_PAGE : CAUSE_STORE_PAGE;
}
// @ts-ignore: decorator
@inline function accessFaultCause(access: u32): i32 {
  return access == ACCESS_FETCH ? CAUSE_FETCH_ACCESS : access == ACCESS_LOAD ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS;
}

// Translates va for an access at privilege p. Returns the physical address,
// or raises a page/access fault (excCause set) and returns 0.
// A and D are set in the PTE as QEMU does (hardware update).
export function translate(va: u64, access: u32, p: u32): u64 {
  if (p == PRV_M || (satp >> 60) == 0) return va;
  // Sv39: bits 63..39 must all equal bit 38.
  if ((<i64>(va << 25) >> 25) != <i64>va) {
    raise(pageFaultCause(access), va);
    return 0;
  }
  let table = (satp & 0xfffffffffff) << 12;
  for (let level: i32 = 2; level >= 0; level--) {
    const pteAddr = table + (((va >> (12 + 9 * <u64>level)) & 0x1ff) << 3);
    if (!inRam(pteAddr, 8)) {
      raise(accessFaultCause(access), va);
      return 0;
    }
    const host = ramHost(pteAddr);
    let pte = load<u64>(host);
    if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte & PTE_RESERVED) != 0) break;
    const ppn = (pte >> 10) & 0xfffffffffff;
    if ((pte & (PTE_R | PTE_X)) == 0) {
      table = ppn << 12;
      continue;
    }
    // A leaf: check permissions for this privilege.
    if (access == ACCESS_FETCH) {
      if ((pte & PTE_X) == 0) break;
    } else if (access == ACCESS_LOAD) {
      if ((pte & PTE_R) == 0 && !((mstatus & MSTATUS_MXR) != 0 && (pte & PTE_X) != 0)) break;
    } else if ((pte & PTE_W) == 0) break;
    if (p == PRV_U) {
      if ((pte & PTE_U) == 0) break;
    } else if ((pte & PTE_U) != 0) {
      // S-mode never executes user pages and touches them only with SUM.
      if (access == ACCESS_FETCH || (mstatus & MSTATUS_SUM) == 0) break;
    }
    const shift = 12 + 9 * <u64>level;
    if (level > 0 && (ppn & ((<u64>1 << (9 * <u64>level)) - 1)) != 0) break; // misaligned superpage
    const want = access == ACCESS_STORE ? PTE_A | PTE_D : PTE_A;
    if ((pte & want) != want) {
      pte |= want;
      store<u64>(host, pte);
    }
    return ((ppn << 12) & ~((<u64>1 << shift) - 1)) | (va & ((<u64>1 << shift) - 1));
  }
  raise(pageFaultCause(access), va);
  return 0;
}

// Records a translation of the page holding va, at host address hostPage,
// for one access kind.
function tlbFill(tlbSet: u32, va: u64, hostPage: u32, tagOffset: u32): void {
  const e = tlbSet + ((<u32>(va >> 12) & TLB_MASK) << 5);
  const tag = va & ~(<u64>0xfff);
  const addend = <u64>hostPage - tag;
  // The addend is shared by the three tags: drop tags for another page.
  if (load<u64>(e, 24) != addend) {
    invalidateEntry(e);
    store<u64>(e, addend, 24);
  }
  store<u64>(e + tagOffset, tag);
  if (fillCount < FILL_LOG_MAX) store<u32>(FILL_LOG + (fillCount << 2), e);
  fillCount++;
}

// The CLINT (SiFive CLINT, as QEMU's ACLINT MSWI + MTIMER): msip of hart n
// at 4n, mtimecmp of hart n at 0x4000 + 8n, mtime at 0xbff8. Registers of
// harts the machine does not have read 0 and ignore writes.
function clintLoad(off: u64, size: u32): u64 {
  let v: u64 = 0;
  if (off < 0x4000) {
    if (off < <u64>MAX_HARTS << 2) v = <u64>load<u32>(CLINT_MSIP + (<u32>off & ~3)) >> ((off & 3) << 3);
  } else if (off < 0x4000 + (<u64>MAX_HARTS << 3)) {
    v = load<u64>(CLINT_MTIMECMP + (<u32>(off - 0x4000) & ~7)) >> ((off & 7) << 3);
  } else if (off >= 0xbff8) v = mtimeNow() >> ((off - 0xbff8) << 3);
  return size == 8 ? v : v & ((<u64>1 << (<u64>size << 3)) - 1);
}

function clintStore(off: u64, size: u32, v: u64): void {
  if (off < <u64>MAX_HARTS << 2) {
    // Only bit 0 of msip is writable.
    if ((off & 3) == 0) store<u32>(CLINT_MSIP + <u32>off, <u32>v & 1);
  } else if (off >= 0x4000 && off < 0x4000 + (<u64>MAX_HARTS << 3)) {
    const a = CLINT_MTIMECMP + (<u32>(off - 0x4000) & ~7);
    store<u64>(a, mergeField(load<u64>(a), off & 7, size, v));
  } else if (off >= 0xbff8 && off < 0xc000) {
    setMtime(mergeField(mtimeNow(), off - 0xbff8, size, v));
  }
}

// Puts the CLINT in its reset state: no software interrupts, timers off.
export function resetClint(): void {
  memory.fill(CLINT_MSIP, 0, MAX_HARTS << 2);
  memory.fill(CLINT_MTIMECMP, 0xff, MAX_HARTS << 3);
}

// Writes `size` bytes of v at byte offset `at` into a 64-bit register value.
function mergeField(old: u64, at: u64, size: u32, v: u64): u64 {
  if (size == 8) return v;
  const shift = at << 3;
  const mask = ((<u64>1 << (<u64>size << 3)) - 1) << shift;
  return (old & ~mask) | ((v << shift) & mask);
}

// Load or store on a physical address outside RAM.
function physLoad(pa: u64, size: u32): u64 {
  if (pa - CLINT_BASE < CLINT_SIZE) return clintLoad(pa - CLINT_BASE, size);
  if (pa >= 0x100000000) {
    busError = true;
    return 0;
  }
  busError = false;
  let v: u64;
  if (size == 8) {
    v = <u64>hostMmioLoad(<u32>pa, 4) | (<u64>hostMmioLoad(<u32>pa + 4, 4) << 32);
  } else {
    v = <u64>hostMmioLoad(<u32>pa, size);
  }
  return v;
}

function physStore(pa: u64, size: u32, v: u64): void {
  if (pa - CLINT_BASE < CLINT_SIZE) {
    clintStore(pa - CLINT_BASE, size, v);
    requestBreakSlice(); // the timer or msip may have changed: re-check interrupts
    return;
  }
  if (pa >= 0x100000000) {
    busError = true;
    return;
  }
  busError = false;
  if (size == 8) {
    hostMmioStore(<u32>pa, 4, <u32>v);
    hostMmioStore(<u32>pa + 4, 4, <u32>(v >> 32));
  } else {
    hostMmioStore(<u32>pa, size, <u32>v);
  }
}

// Byte-wise access for misaligned addresses that cross a page: each byte is
// translated on its own, as QEMU's virt does (it performs misaligned accesses).
function loadBytes(va: u64, size: u32): u64 {
  let v: u64 = 0;
  for (let i: u32 = 0; i < size; i++) {
    const b = loadSlow(va + i, 1);
    if (excCause >= 0) return 0;
    v |= b << (<u64>i << 3);
  }
  return v;
}

// `size` bytes at host address h, zero-extended.
// @ts-ignore: decorator
@inline function loadSized(h: u32, size: u32): u64 {
  if (size == 8) return load<u64>(h);
  if (size == 4) return <u64>load<u32>(h);
  if (size == 2) return <u64>load<u16>(h);
  return <u64>load<u8>(h);
}

// A load of `size` bytes at va, translated to pa in RAM (within one page):
// fills the data TLB and reads. Shared by loadSlow and translated code's
// jitLoadMiss (jit.ts).
export function loadRam(va: u64, pa: u64, size: u32): u64 {
  tlbFill(dataTlb, va, ramHost(pa & ~(<u64>0xfff)), 0);
  return loadSized(ramHost(pa), size);
}

// A store of `size` bytes of v at va, translated to pa in RAM (within one
// page): drops translated code on the page (jit.ts; the page had no write
// TLB entry while it had a translation), fills the data TLB, breaks an LR
// reservation on pa, and writes. Returns whether translated code was
// dropped. Shared by storeSlow and jitStoreMiss.
export function storeRam(va: u64, pa: u64, size: u32, v: u64): bool {
  const dropped = codePageWritten(<u32>((pa - RAM_BASE_PADDR) >> 12));
  tlbFill(dataTlb, va, ramHost(pa & ~(<u64>0xfff)), 8);
  if (pa == reservation) reservation = TAG_INVALID;
  const h = ramHost(pa);
  if (size == 8) store<u64>(h, v);
  else if (size == 4) store<u32>(h, <u32>v);
  else if (size == 2) store<u16>(h, <u16>v);
  else store<u8>(h, <u8>v);
  return dropped;
}

// The slow path of every load: TLB miss, misaligned, or MMIO. Returns the
// value zero-extended, or raises a fault.
export function loadSlow(va: u64, size: u32): u64 {
  if ((va & 0xfff) + size > 0x1000) return loadBytes(va, size);
  const pa = translate(va, ACCESS_LOAD, dataPriv());
  if (excCause >= 0) return 0;
  if (inRam(pa, size)) return loadRam(va, pa, size);
  if (inRom(pa, size)) return loadSized(romHost(pa), size);
  const v = physLoad(pa, size);
  if (busError) {
    raise(CAUSE_LOAD_ACCESS, va);
    return 0;
  }
  return v;
}

export function storeSlow(va: u64, size: u32, v: u64): void {
  if ((va & 0xfff) + size > 0x1000) {
    // Translate both pages before writing anything, so a fault leaves memory unchanged.
    translate(va, ACCESS_STORE, dataPriv());
    if (excCause >= 0) return;
    translate((va + size - 1), ACCESS_STORE, dataPriv());
    if (excCause >= 0) return;
    for (let i: u32 = 0; i < size; i++) {
      storeSlow(va + i, 1, v >> (<u64>i << 3));
      if (excCause >= 0) return;
    }
    return;
  }
  const pa = translate(va, ACCESS_STORE, dataPriv());
  if (excCause >= 0) return;
  if (inRam(pa, size)) {
    storeRam(va, pa, size, v);
    return;
  }
  if (inRom(pa, size)) return;
  physStore(pa, size, v);
  if (busError) raise(CAUSE_STORE_ACCESS, va);
}

// Translates va for an atomic (read-modify-write) access and returns the
// host address, or raises a fault. Atomics must be naturally aligned and in RAM.
export function amoHost(va: u64, size: u32, isLoadReserved: bool): u32 {
  if ((va & (<u64>size - 1)) != 0) {
    raise(isLoadReserved ? CAUSE_LOAD_MISALIGNED : CAUSE_STORE_MISALIGNED, va);
    return 0;
  }
  const pa = translate(va, isLoadReserved ? ACCESS_LOAD : ACCESS_STORE, dataPriv());
  if (excCause >= 0) return 0;
  if (!inRam(pa, size)) {
    raise(isLoadReserved ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS, va);
    return 0;
  }
  lastAmoPa = pa;
  if (!isLoadReserved) codePageWritten(<u32>((pa - RAM_BASE_PADDR) >> 12));
  return ramHost(pa);
}
export let lastAmoPa: u64 = 0;

// Sets fetchPage/fetchHost for the page holding pc. Returns false (fault raised) on failure.
export function fetchRefill(pc: u64): bool {
  const page = pc & ~(<u64>0xfff);
  const e = fetchTlb + ((<u32>(pc >> 12) & TLB_MASK) << 5);
  if (load<u64>(e, 16) == page) {
    fetchPage = page;
    fetchHost = <u32>(page + load<u64>(e, 24));
    return true;
  }
  const pa = translate(pc, ACCESS_FETCH, priv);
  if (excCause >= 0) return false;
  let host: u32;
  if (inRam(pa, 2)) host = ramHost(pa & ~(<u64>0xfff));
  else if (inRom(pa, 2)) host = romHost(pa & ~(<u64>0xfff));
  else {
    raise(CAUSE_FETCH_ACCESS, pc);
    return false;
  }
  tlbFill(fetchTlb, pc, host, 16);
  fetchPage = page;
  fetchHost = host;
  return true;
}

// Fetches the instruction at pc when the fast path cannot (page change or
// an instruction straddling two pages). Returns the raw bits, or raises.
export function fetchSlow(pc: u64): u32 {
  if (!fetchRefill(pc)) return 0;
  const off = <u32>(pc & 0xfff);
  const lo = <u32>load<u16>(fetchHost + off);
  if ((lo & 3) != 3 || off < 0xffe) return off < 0xffe ? load<u32>(fetchHost + off) : lo;
  // 32-bit instruction crossing into the next page.
  const next = pc + 2;
  if (!fetchRefill(next)) {
    return 0;
  }
  const hi = <u32>load<u16>(fetchHost);
  // Leave the fetch cache pointing at the page of pc + 2; the next fetch re-validates.
  return lo | (hi << 16);
}

