// Builds the root task as seL4's boot code does (seL4/seL4: src/kernel/boot.c,
// src/arch/riscv/kernel/boot.c): the image mapped at its ELF addresses, an IPC
// buffer and the bootinfo frame after it, the root CNode with the initial caps
// in their fixed slots, untyped caps for all remaining memory, and a TCB
// ready to start at the entry with a0 = bootinfo.
//
// seL4: mica has no kernel image or firmware in RAM, so the root task's
// image starts at the bottom of RAM and all RAM after the boot objects is
// given out as untyped; device untypeds cover [0, 2^39) outside RAM.

import {
  seL4_MaxUntypedBits,
  seL4_MinUntypedBits,
  seL4_TCBBits,
} from "../kernel/api/generated/abi.js";
import { ASIDPool } from "../kernel/arch/riscv/asid.js";
import { a0 } from "../kernel/arch/riscv/registers.js";
import { leafPte, ptIndex, seL4_UserTop, tablePte, writePte } from "../kernel/arch/riscv/vspace.js";
import { cteInsert, setupReplyMaster } from "../kernel/cdt.js";
import type { Kernel } from "../kernel/kernel.js";
import type { Cap, UntypedObject } from "../kernel/object/cap.js";
import { CNode, seL4_SlotBits } from "../kernel/object/cnode.js";
import type { CTE } from "../kernel/object/cte.js";
import { deriveCap } from "../kernel/object/objecttype.js";
import { TCB, tcbBuffer, tcbCTable, tcbVTable } from "../kernel/object/tcb.js";
import { CONFIG_TIME_SLICE, seL4_MaxPrio } from "../kernel/state.js";
import { tcbSchedEnqueue } from "../kernel/thread.js";
import type { Elf } from "./elf.js";

const PAGE = 4096n;
export const seL4_NumInitialCaps = 16;
export const CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS = 230;
/** Sv39 physical addresses user memory may name (KernelPaddrUserTop). */
const PADDR_USER_TOP = 1n << 39n;
const BI_FRAME_ID_FDT = 6n;

// Initial cap slots (seL4_RootCNodeCapSlots).
export const seL4_CapInitThreadTCB = 1;
export const seL4_CapInitThreadCNode = 2;
export const seL4_CapInitThreadVSpace = 3;
export const seL4_CapIRQControl = 4;
export const seL4_CapASIDControl = 5;
export const seL4_CapInitThreadASIDPool = 6;
export const seL4_CapBootInfoFrame = 9;
export const seL4_CapInitThreadIPCBuffer = 10;
export const seL4_CapDomain = 11;

export interface RootTaskOptions {
  /** log2 of the root CNode's slot count (CONFIG_ROOT_CNODE_SIZE_BITS). */
  cnodeSizeBits: number;
  /** The device tree handed to the root task as extra bootinfo. */
  dtb: Uint8Array;
}

export type RootTaskResult =
  | { ok: true; tcb: TCB; bootInfoVaddr: bigint }
  | { ok: false; error: string };

interface Region {
  start: bigint;
  end: bigint;
}

const alignUp = (v: bigint, a: bigint) => (v + a - 1n) & ~(a - 1n);
const alignDown = (v: bigint, a: bigint) => v & ~(a - 1n);
const hex = (v: bigint) => `0x${v.toString(16)}`;

/** Naturally aligned power-of-two blocks covering [start, end), as create_untypeds_for_region cuts them. */
export function untypedBlocks(start: bigint, end: bigint): { paddr: bigint; sizeBits: number }[] {
  const out: { paddr: bigint; sizeBits: number }[] = [];
  let s = start;
  while (s < end) {
    let bits = seL4_MaxUntypedBits;
    while (bits > 0 && (s & ((1n << BigInt(bits)) - 1n)) !== 0n) bits--;
    while (bits > 0 && 1n << BigInt(bits) > end - s) bits--;
    if (bits >= seL4_MinUntypedBits) out.push({ paddr: s, sizeBits: bits });
    s += 1n << BigInt(bits);
  }
  return out;
}

export function createRootTask(kernel: Kernel, elf: Elf, opts: RootTaskOptions): RootTaskResult {
  const mem = kernel.mem;
  const ramStart = mem.base;
  const ramEnd = mem.base + mem.size;

  // ---- decide the layout
  if (elf.segments.length === 0)
    return { ok: false, error: "the root task has no loadable segment" };
  const vStart = alignDown(
    elf.segments.reduce((m, s) => (s.vaddr < m ? s.vaddr : m), elf.segments[0]!.vaddr),
    PAGE,
  );
  const vEnd = alignUp(
    elf.segments.reduce((m, s) => (s.vaddr + s.memsz > m ? s.vaddr + s.memsz : m), 0n),
    PAGE,
  );
  const ipcBufferVaddr = vEnd;
  const bootInfoVaddr = ipcBufferVaddr + PAGE;
  const extraVaddr = bootInfoVaddr + PAGE;
  const extraLen = 16n + BigInt(opts.dtb.length);
  const extraPages = alignUp(extraLen, PAGE) / PAGE;
  const vLast = extraVaddr + extraPages * PAGE;
  if (vStart < PAGE || vLast > seL4_UserTop) {
    return {
      ok: false,
      error: `the root task's addresses ${hex(vStart)}..${hex(vEnd)} do not fit the user address space (${hex(PAGE)}..${hex(seL4_UserTop)})`,
    };
  }
  const imageBytes = vEnd - vStart;
  const lvl1Tables = Number((alignUp(vLast, 1n << 30n) - alignDown(vStart, 1n << 30n)) >> 30n);
  const lvl0Tables = Number((alignUp(vLast, 1n << 21n) - alignDown(vStart, 1n << 21n)) >> 21n);

  // Physical placement: the image at the bottom of RAM, then the boot objects.
  let next = ramStart + alignUp(imageBytes, PAGE);
  const alloc = (bytes: bigint): bigint => {
    next = alignUp(next, bytes);
    const p = next;
    next += bytes;
    return p;
  };
  const cnodeBytes = 1n << BigInt(opts.cnodeSizeBits + seL4_SlotBits);
  const cnodePaddr = alloc(cnodeBytes);
  const rootPT = alloc(PAGE);
  const lvl1 = Array.from({ length: lvl1Tables }, () => alloc(PAGE));
  const lvl0 = Array.from({ length: lvl0Tables }, () => alloc(PAGE));
  const asidPoolPaddr = alloc(PAGE);
  const ipcBufferPaddr = alloc(PAGE);
  const bootInfoPaddr = alloc(PAGE);
  const extraPaddr = alloc(extraPages * PAGE);
  const tcbPaddr = alloc(1n << BigInt(seL4_TCBBits));
  const emptyPT = kernel.emptyVSpace;
  const freeStart = alignUp(next, PAGE);
  if (freeStart > ramEnd || (emptyPT >= ramStart && emptyPT < freeStart)) {
    return {
      ok: false,
      error: `RAM too small for the root task (needs ${hex(freeStart - ramStart)} bytes)`,
    };
  }
  const ramFree: Region = {
    start: freeStart,
    end: emptyPT >= freeStart && emptyPT < ramEnd ? emptyPT : ramEnd,
  };

  // ---- copy the image
  const pv = ramStart - vStart;
  mem.zero(ramStart, freeStart - ramStart);
  // Free RAM has never been written (the machine's RAM starts zeroed), and
  // every byte the boot writes lies below freeStart or in the empty page table.
  mem.markClean(ramFree.start, ramFree.end - ramFree.start);
  for (const seg of elf.segments) mem.bytes(seg.vaddr + pv, seg.data.length).set(seg.data);

  // ---- page tables: root -> one table per GiB -> one per 2 MiB -> 4 KiB frames
  const pages: { vaddr: bigint; paddr: bigint }[] = [];
  for (let v = vStart; v < vEnd; v += PAGE) pages.push({ vaddr: v, paddr: v + pv });
  pages.push({ vaddr: ipcBufferVaddr, paddr: ipcBufferPaddr });
  pages.push({ vaddr: bootInfoVaddr, paddr: bootInfoPaddr });
  for (let i = 0n; i < extraPages; i++)
    pages.push({ vaddr: extraVaddr + i * PAGE, paddr: extraPaddr + i * PAGE });
  const gib0 = alignDown(vStart, 1n << 30n);
  const mib0 = alignDown(vStart, 1n << 21n);
  for (const [i, t] of lvl1.entries())
    writePte(mem, rootPT, ptIndex(gib0 + (BigInt(i) << 30n), 2), tablePte(t));
  for (const [i, t] of lvl0.entries()) {
    const v = mib0 + (BigInt(i) << 21n);
    const parent = lvl1[Number((alignDown(v, 1n << 30n) - gib0) >> 30n)]!;
    writePte(mem, parent, ptIndex(v, 1), tablePte(t));
  }
  for (const p of pages) {
    const table = lvl0[Number((alignDown(p.vaddr, 1n << 21n) - mib0) >> 21n)]!;
    writePte(mem, table, ptIndex(p.vaddr, 0), leafPte(p.paddr, true, true, true));
  }

  // ---- objects and caps
  const ks = kernel.ks;
  const cnode = new CNode(cnodePaddr, opts.cnodeSizeBits);
  const slot = (i: number): CTE => cnode.slot(i);
  const tcb = new TCB(tcbPaddr);
  const pool = new ASIDPool(asidPoolPaddr);
  const asid = 1;
  pool.entries[asid] = rootPT;
  ks.asidTable[0] = pool;
  ks.asidVersion++;
  const cnodeCap: Cap = {
    type: "CNodeCap",
    obj: cnode,
    guardSize: 64 - opts.cnodeSizeBits,
    guard: 0n,
  };
  const vspaceCap: Cap = { type: "PageTableCap", paddr: rootPT, mapping: { asid, vaddr: 0n } };
  const frame = (paddr: bigint, vaddr: bigint): Cap => ({
    type: "FrameCap",
    paddr,
    sizeBits: 12,
    rights: "ReadWrite",
    isDevice: false,
    mapping: { asid, vaddr },
  });
  // seL4's write_slot: every boot cap is a revocable root of its own tree.
  const put = (i: number, cap: Cap) => {
    const s = slot(i);
    s.cap = cap;
    s.mdbPrev = undefined;
    s.mdbNext = undefined;
    s.mdbRevocable = true;
    s.mdbFirstBadged = true;
  };
  put(seL4_CapInitThreadTCB, { type: "ThreadCap", tcb });
  put(seL4_CapInitThreadCNode, cnodeCap);
  put(seL4_CapInitThreadVSpace, vspaceCap);
  put(seL4_CapIRQControl, { type: "IRQControlCap" });
  put(seL4_CapASIDControl, { type: "ASIDControlCap" });
  put(seL4_CapInitThreadASIDPool, { type: "ASIDPoolCap", pool, asidBase: 0 });
  put(seL4_CapBootInfoFrame, frame(bootInfoPaddr, bootInfoVaddr));
  put(seL4_CapInitThreadIPCBuffer, frame(ipcBufferPaddr, ipcBufferVaddr));
  put(seL4_CapDomain, { type: "DomainCap" });

  const slots = 1 << opts.cnodeSizeBits;
  let free = seL4_NumInitialCaps;
  const region = (fill: (i: number) => void, count: number) => {
    const start = free;
    for (let i = 0; i < count && free < slots; i++) fill(free++);
    return { start, end: free };
  };
  const paging = region((i) => {
    const k = i - seL4_NumInitialCaps;
    const isLvl1 = k < lvl1.length;
    const paddr = isLvl1 ? lvl1[k]! : lvl0[k - lvl1.length]!;
    const vaddr = isLvl1 ? gib0 + (BigInt(k) << 30n) : mib0 + (BigInt(k - lvl1.length) << 21n);
    put(i, { type: "PageTableCap", paddr, mapping: { asid, vaddr } });
  }, lvl1.length + lvl0.length);
  const extraStart = free;
  const extraBI = region((i) => {
    const k = BigInt(i - extraStart);
    put(i, frame(extraPaddr + k * PAGE, extraVaddr + k * PAGE));
  }, Number(extraPages));
  const imageStart = free;
  const imageFrames = region(
    (i) => {
      const v = vStart + BigInt(i - imageStart) * PAGE;
      put(i, frame(v + pv, v));
    },
    Number(imageBytes / PAGE),
  );

  const untypedList: { paddr: bigint; sizeBits: number; isDevice: boolean }[] = [];
  const deviceRegions: Region[] = [
    { start: 0n, end: ramStart },
    { start: ramEnd, end: PADDR_USER_TOP },
  ];
  for (const r of deviceRegions)
    for (const b of untypedBlocks(r.start, r.end)) untypedList.push({ ...b, isDevice: true });
  for (const b of untypedBlocks(ramFree.start, ramFree.end))
    untypedList.push({ ...b, isDevice: false });
  const untypedCount = Math.min(
    untypedList.length,
    CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS,
    slots - free,
  );
  const untypedStart = free;
  const untyped = region((i) => {
    const u = untypedList[i - untypedStart]!;
    // Boot untypeds start full, so the first retype resets (and zeroes) them.
    const obj: UntypedObject = { freeIndex: 1n << BigInt(u.sizeBits) };
    put(i, { type: "UntypedCap", paddr: u.paddr, sizeBits: u.sizeBits, isDevice: u.isDevice, obj });
  }, untypedCount);
  const empty = { start: free, end: slots };

  // ---- bootinfo (seL4_BootInfo, 64-bit layout)
  const bi = bootInfoPaddr;
  const w = (off: number, v: bigint | number) => mem.write64(bi + BigInt(off), BigInt(v));
  const sr = (off: number, r: { start: number; end: number }) => {
    w(off, r.start);
    w(off + 8, r.end);
  };
  w(0, extraLen); // extraLen
  w(8, 0); // nodeID
  w(16, 1); // numNodes
  w(24, 0); // numIOPTLevels
  w(32, ipcBufferVaddr);
  sr(40, empty);
  sr(56, { start: 0, end: 0 }); // sharedFrames
  sr(72, imageFrames);
  sr(88, paging);
  sr(104, { start: 0, end: 0 }); // ioSpaceCaps
  sr(120, extraBI);
  w(136, opts.cnodeSizeBits);
  w(144, ks.curDomain); // initThreadDomain
  sr(152, untyped);
  for (let i = 0; i < untyped.end - untyped.start; i++) {
    const u = untypedList[i]!;
    const d = bi + BigInt(168 + 16 * i);
    mem.write64(d, u.paddr);
    mem.write64(d + 8n, BigInt(u.sizeBits) | (BigInt(u.isDevice ? 1 : 0) << 8n));
  }
  // Extra bootinfo: one FDT chunk { id, len including this header } + the blob.
  mem.write64(extraPaddr, BI_FRAME_ID_FDT);
  mem.write64(extraPaddr + 8n, extraLen);
  mem.bytes(extraPaddr + 16n, opts.dtb.length).set(opts.dtb);

  // ---- the initial thread (create_initial_thread): its CSpace, VSpace and
  // IPC buffer caps are copies of the root CNode's, as children in the tree.
  cteInsert(cnodeCap, slot(seL4_CapInitThreadCNode), tcb.cnode[tcbCTable]!);
  cteInsert(vspaceCap, slot(seL4_CapInitThreadVSpace), tcb.cnode[tcbVTable]!);
  const bufferSlot = slot(seL4_CapInitThreadIPCBuffer);
  const buffer = deriveCap(bufferSlot, bufferSlot.cap);
  if (!buffer.ok) throw new Error("root task: the IPC buffer cap cannot be derived");
  cteInsert(buffer.cap, bufferSlot, tcb.cnode[tcbBuffer]!);
  setupReplyMaster(tcb);
  tcb.ipcBuffer = ipcBufferVaddr;
  tcb.priority = seL4_MaxPrio;
  tcb.mcp = seL4_MaxPrio;
  tcb.timeSlice = CONFIG_TIME_SLICE;
  tcb.domain = ks.curDomain;
  tcb.name = "rootserver";
  tcb.regs[a0] = bootInfoVaddr;
  tcb.nextIP = elf.entry;
  tcb.faultIP = elf.entry;
  tcb.state = { type: "Running" };
  ks.threads.add(tcb);
  tcbSchedEnqueue(ks, tcb);
  return { ok: true, tcb, bootInfoVaddr };
}
