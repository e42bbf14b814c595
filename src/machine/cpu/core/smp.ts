// Several harts on one core: the hart in the core runs; the others wait as
// contexts in linear memory (layout.ts HART_CONTEXTS). The host switches by
// saving the running hart's context and loading another's: registers, PMP
// and PMU storage, CSRs, pc, privilege and counters. The TLB and the fetch
// cache are flushed (they hold the old hart's translations), and the LR
// reservation is dropped, so an SC after a switch fails, which the A
// extension permits (a reservation may be lost at any time).
//
// Time is one clock for the machine: the host keeps it in cycles and gives
// a hart that comes in idle cycles so its cycle (and mtime) continue from
// the clock, as if the harts took turns on one processor.

import { X_BASE, HART_CONTEXTS, HART_CONTEXT_SIZE, HART_MEMORY_STATE, HOST_PC } from "./layout";
import * as st from "./state";
import { saveCsrs, loadCsrs, CSR_SAVE_SIZE, cycleNow } from "./csr";
import { flushTlb, setReservation, updateMmuIdx } from "./mmu";
import { hostTrapMask, hostTrapMaskS, setHostTrapMask, setHostTrapMaskS } from "./trap";

const CSRS_AT: u32 = HART_MEMORY_STATE;
const STATE_AT: u32 = CSRS_AT + CSR_SAVE_SIZE;

// @ts-ignore: decorator
@inline function context(slot: u32): u32 {
  return HART_CONTEXTS + slot * HART_CONTEXT_SIZE;
}

// Whether wfi with nothing pending ends run() (EXIT_WFI) so the host can run
// another hart, instead of skipping idle time to the timer.
export let wfiYields: bool = false;
export function setWfiYields(v: bool): void {
  wfiYields = v;
}

// Saves the hart in the core to context `slot`.
export function saveHart(slot: u32): void {
  const a = context(slot);
  memory.copy(a, X_BASE, HART_MEMORY_STATE);
  saveCsrs(a + CSRS_AT);
  const s = a + STATE_AT;
  store<u64>(s, st.pc, 0);
  store<u64>(s, <u64>st.priv, 8);
  store<u64>(s, st.hartId, 16);
  store<u64>(s, st.retired, 24);
  store<u64>(s, hostTrapMask, 32);
  store<u64>(s, hostTrapMaskS, 40);
}

// Loads context `slot` into the core, its cycle count continuing from
// `cycles` (the machine's clock).
export function loadHart(slot: u32, cycles: u64): void {
  const a = context(slot);
  memory.copy(X_BASE, a, HART_MEMORY_STATE);
  loadCsrs(a + CSRS_AT);
  const s = a + STATE_AT;
  st.setPc(load<u64>(s, 0));
  store<u64>(HOST_PC, st.pc); // run() starts from the host block's pc
  st.setPriv(<u32>load<u64>(s, 8));
  st.setHartId(load<u64>(s, 16));
  st.setRetired(load<u64>(s, 24));
  setHostTrapMask(load<u64>(s, 32));
  setHostTrapMaskS(load<u64>(s, 40));
  st.setIdle(cycles - st.retired);
  st.clearExc();
  setReservation(0xffffffffffffffff);
  flushTlb();
  updateMmuIdx();
}

// The clock as the hart in the core sees it: cycles retired plus idle.
export function hartCycles(): u64 {
  return cycleNow();
}
