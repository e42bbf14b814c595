// The core's side of the translator (docs/decisions/0002-jit.md): the host
// (src/machine/cpu/jit/) turns a hot guest page into a wasm module whose
// page function sits in the shared function table; the interpreter finds
// it here, calls it with call_indirect, and goes on from where it stopped.
//
// How control gets here: the interpreter counts down a hint per jump target
// (JIT_HINTS, indexed by pc bits 1..12) on every jal, jalr and backward
// taken branch; at zero it calls jitRun(). That costs the interpreter a
// load, a store and a compare on those instructions only. jitRun()
// translates pc to its physical page and calls the page's function when
// there is one (the hint is then kept at 1, so every later jump to that
// target comes straight back); other hint expiries count as visits of the
// virtual page, and at `threshold` visits the host translates it.
//
// A page function `(pc: i64, n: i32, tlb: i32, fs: i32) -> i32` runs at most
// n instructions from pc, with the data TLB set `tlb` (and F/D instructions
// only when fs is not 0: mstatus.FS is not Off), and returns the
// instructions left, with the pc where it stopped at JIT_PC. When control
// leaves its page it asks jitSlot() for the next page's function and
// tail-calls it (return_call_indirect), so a chain of translated pages runs
// without coming back here. It returns when the interpreter must execute
// the next instruction (one it does not translate, a memory access it
// cannot do, the budget), when the next page has no function (jitSlot()
// then notes a chain miss), or with -1 when a page function of the chain
// has no entry at its pc (then JIT_PC and JIT_N hold that pc and budget).
//
// Translations are per physical page; a store to a page that has one drops
// it (such pages never get a write TLB entry, so every store to them takes
// a slow path: storeSlow, amoHost, or jitStoreMiss below), and so do the
// host's own writes to RAM (Jit.codeWritten on the host side).

import { JIT_PC, JIT_N, JIT_STATUS, JIT_FS_DIRTY, JIT_HINTS, JIT_DECLINED, RAM_WASM_OFFSET } from "./layout";
import { fsOff, markFsDirty } from "./csr";
import { execFp } from "./fpu";
import * as st from "./state";
import {
  fetchRefill, fetchHost, dataTlb, flushTlb, translate, inRam, dataPriv, loadRam, storeRam,
  ACCESS_LOAD, ACCESS_STORE,
} from "./mmu";

@external("env", "jitCompile")
declare function hostJitCompile(ppn: u32, pcLo: u32, pcHi: u32): u32;

export let jitEnabled: bool = false;
// Set when translated code stopped for the interpreter: after the
// interpreter's next out-of-line instruction, run() tries to go back in.
export let jitPending: bool = false;
// Set by jitSlot() when the next page of a chain has no function.
let chainMissed: bool = false;

// Visits (hint expiries) to a virtual page before it is translated, and the
// countdown a hint restarts from for a target without a translation. A
// visit stands for HINT_INTERVAL jumps to one target: turns of a loop, or
// calls of a function. PERF (sel4test, bench/mips; docs/decisions/0002-jit.md):
// translating is costly (the translator, then V8 compiles each function it
// runs, Liftoff and later TurboFan), so code that runs rarely stays with the
// interpreter. Since translated pages call each other without coming back
// here (chaining), code that runs a few dozen instructions per call pays
// too, and calls count as visits as well as loops. Visits are counted per
// virtual page (a hash), not per physical page, because seL4 programs load
// the same code into fresh frames for every process: the count carries
// over to the next copy, which then gets the cached translation at once
// (jit/jit.ts).
const PAGE_THRESHOLD: u32 = 4096;
const HINT_INTERVAL: u32 = 32;
// TRICKY: set in resetJit(), not here: the host never calls the module's
// start function (_initialize), so an initializer that is not a constant
// would leave these 0.
let threshold: u32 = 0;
let hintInterval: u32 = 0;
const HINTS: u32 = 4096;
// Entries the host declined to add (by pc, direct-mapped): 512 x u64.
const DECLINED: u32 = 512;
const COUNTERS: u32 = 4096;

// Per RAM page the table slot of its function (0: none); per virtual page
// (hashed) a visit count.
let slotTable: u32 = 0;
let countTable: u32 = 0;
let pages: u32 = 0;

// Where the page tables go: after RAM and its spare page (layout.ts).
export function jitTablesAt(ramSize: u64): u32 {
  return (<u32>(<u64>RAM_WASM_OFFSET + ramSize + 0x10000) + 0xffff) & ~0xffff;
}

export function resetJit(ramSize: u64): void {
  pages = <u32>(ramSize >> 12);
  slotTable = jitTablesAt(ramSize);
  countTable = slotTable + (pages << 2);
  memory.fill(slotTable, 0, (pages + COUNTERS) << 2);
  threshold = PAGE_THRESHOLD;
  hintInterval = HINT_INTERVAL;
  setJit(jitEnabled);
}

// Visits before translation; tests set 0 to translate everything at once.
// 0 also makes every jump a visit, so even code that runs once is translated.
export function setJitThreshold(visits: u32): void {
  threshold = visits;
  hintInterval = visits == 0 ? 1 : HINT_INTERVAL;
  setJit(jitEnabled);
}

export function setJit(on: bool): void {
  jitEnabled = on;
  jitPending = false;
  // Off: every hint waits 65536 jumps, and jitRun() then only rewinds it.
  const h: u16 = on ? <u16>hintInterval : 0;
  for (let i: u32 = 0; i < HINTS; i++) store<u16>(JIT_HINTS + (i << 1), h);
  memory.fill(JIT_DECLINED, 0xff, DECLINED << 3);
}

// A store to RAM page ppn (physical page number from RAM's start): drops the
// page's translation. Returns true when there was one.
// @ts-ignore: decorator
@inline export function codePageWritten(ppn: u32): bool {
  const a = slotTable + (ppn << 2);
  if (load<u32>(a) == 0) return false;
  store<u32>(a, 0);
  return true;
}

let lookupPpn: u32 = 0;

// The function for the page holding pc, translating the page when it has
// become hot; 0 when there is none (or pc cannot be fetched: the
// interpreter then raises the fault itself).
function lookup(pc: u64, count: bool): u32 {
  if (!fetchRefill(pc)) {
    st.clearExc();
    return 0;
  }
  const host = fetchHost;
  if (host < RAM_WASM_OFFSET) return 0; // the reset ROM
  const ppn = (host - RAM_WASM_OFFSET) >> 12;
  lookupPpn = ppn;
  const slot = load<u32>(slotTable + (ppn << 2));
  if (slot != 0) return slot;
  const ca = countTable + ((<u32>(pc >> 12) & (COUNTERS - 1)) << 2);
  const c = load<u32>(ca);
  if (c < threshold) {
    if (count) store<u32>(ca, c + 1);
    return 0;
  }
  // Hot: every copy of the page is translated from now on (mostly from
  // the host's cache), unless the host declines.
  const made = install(ppn, pc);
  if (made == 0) store<u32>(ca, 0);
  return made;
}

// Has the host translate page ppn with an entry at pc; records the result.
function install(ppn: u32, pc: u64): u32 {
  const slot = hostJitCompile(ppn, <u32>pc, <u32>(pc >> 32));
  const a = slotTable + (ppn << 2);
  const had = load<u32>(a);
  store<u32>(a, slot);
  // The page may have write TLB entries from before it had a translation:
  // drop them all, so that stores to it take the slow path from now on.
  if (slot != 0 && had == 0) flushTlb();
  return slot;
}

// For translated code leaving its page for pc: the table slot of the
// function of pc's page, or 0 (none yet; or pc cannot be fetched, which the
// interpreter then raises).
export function jitSlot(pc: u64): u32 {
  const slot = lookup(pc, false);
  if (slot == 0) chainMissed = true;
  return slot;
}

// After a jump to pc: runs translated code from pc for at most n
// instructions, for as long as control stays in translated pages. Returns
// the instructions left; st.pc is where the interpreter goes on.
export function jitRun(pc: u64, n: i64): i64 {
  return enter(pc, n, true);
}

// After translated code stopped for an instruction that left run() (a trap
// to the host kernel: a system call): goes back in at pc if its page has a
// translation. No hint or visit: pc need not be a jump target.
export function jitResume(pc: u64, n: i64): i64 {
  return enter(pc, n, false);
}

function enter(pc: u64, n: i64, jumped: bool): i64 {
  jitPending = false;
  const hint = JIT_HINTS + (<u32>pc & 0x1ffe);
  if (!jitEnabled) {
    if (jumped) store<u16>(hint, 0);
    st.setPc(pc);
    return n;
  }
  let first = true;
  let retried = false;
  while (n > 0) {
    const slot = lookup(pc, first && jumped);
    if (first && jumped) store<u16>(hint, slot != 0 ? 1 : <u16>hintInterval);
    first = false;
    if (slot == 0) break;
    chainMissed = false;
    const r = call_indirect<i32>(slot, pc, <i32>n, dataTlb, fsOff() ? 0 : 1);
    if (load<u32>(JIT_FS_DIRTY) != 0) {
      // Translated code loaded an F register.
      store<u32>(JIT_FS_DIRTY, 0);
      markFsDirty();
    }
    pc = load<u64>(JIT_PC);
    if (r >= 0) {
      n = r;
      // Stopped for the interpreter, which then goes back in after its next
      // out-of-line instruction; or at a page with no translation.
      jitPending = n > 0 && !chainMissed;
      break;
    }
    // A page function of the chain has no entry at pc: the host may add one.
    n = load<i32>(JIT_N);
    // A resumption (not a jump) may be anywhere in a block: no new entry.
    if (retried || !jumped) break;
    retried = true;
    // A pc the host declined before stays with the interpreter.
    const seen = JIT_DECLINED + ((<u32>pc & ((DECLINED - 1) << 1)) << 2);
    if (load<u64>(seen) == pc) break;
    const had = lookup(pc, false);
    if (had == 0) break;
    const made = install(lookupPpn, pc);
    if (made == 0 || made == had) {
      // Declined (too many versions of the page already): remember the
      // pc, and ask again only after the hint's full countdown.
      store<u64>(seen, pc);
      store<u16>(JIT_HINTS + (<u32>pc & 0x1ffe), 0);
      break;
    }
  }
  st.setPc(pc);
  return n;
}

// ---- memory helpers for translated code: TLB misses on RAM. The status
// (at JIT_STATUS for loads, the result for stores): 0 done; 1 not done,
// left to the interpreter (a fault, MMIO, a page-crossing access); 2
// (stores) done, but the store hit translated code, which must stop after it.

export function jitLoadMiss(va: u64, size: u32): u64 {
  store<u32>(JIT_STATUS, 1);
  if ((va & 0xfff) + size > 0x1000) return 0;
  const pa = translate(va, ACCESS_LOAD, dataPriv());
  if (st.excCause >= 0) {
    st.clearExc();
    return 0;
  }
  if (!inRam(pa, size)) return 0;
  store<u32>(JIT_STATUS, 0);
  return loadRam(va, pa, size);
}

export function jitStoreMiss(va: u64, size: u32, v: u64): u32 {
  if ((va & 0xfff) + size > 0x1000) return 1;
  const pa = translate(va, ACCESS_STORE, dataPriv());
  if (st.excCause >= 0) {
    st.clearExc();
    return 1;
  }
  if (!inRam(pa, size)) return 1;
  return storeRam(va, pa, size, v) ? 2 : 0;
}

// An F or D computational instruction for translated code (the interpreter's
// own code, so both round and flag alike). Returns 1 when done; 0 when the
// interpreter must take it (FS is Off, or it is illegal), with nothing changed.
export function jitFpOp(inst: u32): u32 {
  if (fsOff() || !execFp(inst)) return 0;
  markFsDirty();
  return 1;
}
