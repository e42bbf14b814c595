// The CPU core's interface to the host (src/machine/cpu/hart.ts): reset,
// run a budget of instructions, and read or change state between runs.

import { buildRvcTable } from "./rvc";
import * as st from "./state";
import * as csr from "./csr";
import * as mmu from "./mmu";
import * as trap from "./trap";
import { fflags, frm, setFflags, setFrm } from "./fpu";

export { run } from "./hart";
export {
  X_BASE, F_BASE, HOST_BASE, RVC_TABLE, TLB_BASE, RAM_WASM_OFFSET, RAM_BASE_PADDR, MROM_WASM_OFFSET,
} from "./layout";
import { HOST_PC } from "./layout";
import { setWfiYields } from "./smp";
export { reportBusError } from "./mmu";
export { requestStop } from "./state";
export { saveHart, loadHart, setWfiYields } from "./smp";
export { jitLoadMiss, jitStoreMiss, jitFpOp, jitSlot, jitTablesAt } from "./jit";
import * as jit from "./jit";
import * as md from "./muldiv";

// The M extension for translated code (jit.ts), where wasm would trap on
// division by zero or overflow and has no high multiply.
export function jitMulh(a: u64, b: u64): u64 { return md.mulh(a, b); }
export function jitMulhsu(a: u64, b: u64): u64 { return md.mulhsu(a, b); }
export function jitMulhu(a: u64, b: u64): u64 { return md.mulhu(a, b); }
export function jitDiv(a: u64, b: u64): u64 { return md.div64(a, b); }
export function jitDivu(a: u64, b: u64): u64 { return md.divu64(a, b); }
export function jitRem(a: u64, b: u64): u64 { return md.rem64(a, b); }
export function jitRemu(a: u64, b: u64): u64 { return md.remu64(a, b); }
export function jitDivw(a: u64, b: u64): u64 { return md.div32(a, b); }
export function jitDivuw(a: u64, b: u64): u64 { return md.divu32(a, b); }
export function jitRemw(a: u64, b: u64): u64 { return md.rem32(a, b); }
export function jitRemuw(a: u64, b: u64): u64 { return md.remu32(a, b); }

export function setJitThreshold(visits: u32): void {
  jit.setJitThreshold(visits);
}

// Turns the translator on or off (jit.ts); on by default in the host.
export function setJit(on: u32): void {
  jit.setJit(on != 0);
}

let rvcBuilt = false;

// Puts the hart in its reset state: M-mode at `entry`, CSRs cleared.
export function reset(ramSize: u64, hartId: u64, entry: u64): void {
  if (!rvcBuilt) {
    buildRvcTable();
    rvcBuilt = true;
  }
  memory.fill(0x1000, 0, 0x228); // x, f and the host block
  mmu.setRamSize(ramSize);
  st.setHartId(hartId);
  setPc(entry);
  st.setPriv(st.PRV_M);
  st.setRetired(0);
  st.clearExc();
  st.clearStop();
  csr.resetCsrs();
  mmu.resetMmu();
  mmu.resetClint();
  jit.resetJit(ramSize);
}

export function getPc(): u64 {
  return st.pc;
}
// The pc slot of the host block is what run() starts from (layout.ts).
export function setPc(v: u64): void {
  st.setPc(v);
  store<u64>(HOST_PC, v);
}
export function getPriv(): u32 {
  return st.priv;
}
export function setPriv(v: u32): void {
  st.setPriv(v);
  mmu.updateMmuIdx();
}
export function getRetired(): u64 {
  return st.retired;
}
export function getCycles(): u64 {
  return csr.cycleNow();
}
// The raw bits of the instruction at pc (16 bits for a compressed one), or
// 0 when it cannot be fetched; for tracers. Leaves no exception pending.
export function peekInst(): u32 {
  const bits = mmu.fetchSlow(st.pc);
  const failed = st.excCause >= 0;
  st.clearExc();
  if (failed) return 0;
  return (bits & 3) == 3 ? bits : bits & 0xffff;
}

// CSR access for the host (debugger, tracer, kernel): bypasses privilege checks.
export function readCsr(n: u32): u64 {
  const p = st.priv;
  st.setPriv(st.PRV_M);
  const v = csr.csrRead(n);
  st.setPriv(p);
  return v;
}
export function writeCsr(n: u32, v: u64): void {
  const p = st.priv;
  st.setPriv(st.PRV_M);
  csr.csrWrite(n, v);
  st.setPriv(p);
  mmu.updateMmuIdx();
}

// Interrupt lines driven by devices (PLIC contexts, CLINT msip).
// TRICKY: a device may change a line during an MMIO store inside run(); the
// loop only checks interrupts between slices, so a change ends the current
// slice after the store (execOther honours breakSlice), and the guest takes
// the interrupt at the next instruction boundary, at the same point every run.
export function setInterruptLine(bit: u32, on: bool): void {
  const mask = (<u64>1) << bit;
  if (((csr.mipHw & mask) != 0) == on) return;
  csr.setMipHw(mask, on);
  st.requestBreakSlice();
}

// Advances time as if the hart had idled for `cycles` (the host's wfi: a
// device event, such as an RTC alarm, is the next thing that can happen).
export function addIdleCycles(cycles: u64): void {
  st.addIdle(cycles);
}

export function setHostTrapMask(mask: u64): void {
  trap.setHostTrapMask(mask);
}
export function setHostIrqMask(mask: u64): void {
  trap.setHostIrqMask(mask);
}

export function setHostTrapMaskS(mask: u64): void {
  trap.setHostTrapMaskS(mask);
}

// What wfi does, for firmware in the host (SBI HSM suspend): returns at
// once when an enabled interrupt is pending, otherwise skips idle time to
// the earliest armed timer. False when nothing armed can wake the hart.
// Whether an enabled interrupt is pending (what ends a wfi).
export function interruptPending(): bool {
  return (csr.mipValue() & csr.mie) != 0;
}
// Cycles until the hart's earliest armed timer (0: due now; u64 max: none).
export function cyclesToTimer(): u64 {
  return csr.cyclesToTimer();
}
export function setHartId(v: u64): void {
  st.setHartId(v);
}

export function waitForInterrupt(): bool {
  if ((csr.mipValue() & csr.mie) != 0) return true;
  const wait = csr.cyclesToTimer();
  if (wait == 0xffffffffffffffff) return false;
  st.addIdle(wait);
  return true;
}
// mstatus.FS (0 Off, 1 Initial, 2 Clean, 3 Dirty) and fcsr as 32-bit values,
// for the kernel's context switch: no 64-bit values cross to the host, and
// setFcsr leaves FS alone (a csrw fcsr would make it Dirty). The kernel reads
// FS from the host block (layout.ts).
//
// Drops to U-mode with mstatus.FS = fs in the address space satp = hi:lo: a
// kernel's return to a user thread, in one call. A satp equal to the current
// one is not written again, so without TLB banks the TLB survives a switch
// between threads of one address space.
// PERF (bench/ipc): FS has no bearing on translation, so only a change of
// privilege or satp recomputes the TLB sets (a host trap leaves the hart in
// U-mode, so usually neither does).
export function enterUser(fs: u32, satpLo: u32, satpHi: u32): void {
  const f = <u64>(fs & 3);
  let m = (csr.mstatus & ~(csr.MSTATUS_FS | csr.MSTATUS_SD)) | (f << csr.MSTATUS_FS_SHIFT);
  // SD summarises FS (the vector and extension states are always Off).
  if (f == 3) m |= csr.MSTATUS_SD;
  csr.setMstatusRaw(m);
  const privChanged = st.priv != st.PRV_U;
  st.setPriv(st.PRV_U);
  const v = ((<u64>satpHi) << 32) | <u64>satpLo;
  if (v != csr.satp) {
    csr.setSatpRaw(v);
    mmu.satpWritten(v);
  } else if (privChanged) {
    mmu.updateMmuIdx();
  }
}
export function getFcsr(): u32 {
  return (frm << 5) | fflags;
}
export function setFcsr(v: u32): void {
  setFflags(v & 0x1f);
  setFrm((v >> 5) & 7);
}
// One TLB bank per recent satp value, for a host kernel that flushes after
// every page-table change (see mmu.ts).
// Wall-clock time (--realtime): mtime is what the host last set, and wfi
// with nothing pending returns to the host (EXIT_WFI) to wait for real.
export function setRealtime(on: bool): void {
  csr.setRealtime(on);
  setWfiYields(on);
}
export function setHostMtime(v: u64): void {
  csr.setHostMtime(v);
}
// satp from two halves, for a host kernel's address-space switch (PERF,
// bench/ipc: no 64-bit value crosses); as a csrw satp would, but without
// WARL checks (the host writes Sv39 or Bare only).
export function setSatp(lo: u32, hi: u32): void {
  const v = ((<u64>hi) << 32) | <u64>lo;
  csr.setSatpRaw(v);
  mmu.satpWritten(v);
}
export function setTlbBanking(on: bool): void {
  mmu.setTlbBanking(on);
}
export function flushTlb(): void {
  mmu.flushTlb();
}
export function flushTlbPage(va: u64): void {
  mmu.flushTlbPage(va);
}
