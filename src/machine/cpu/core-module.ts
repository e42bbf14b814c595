// Loads the AssemblyScript CPU core (build/core.wasm) once per process and
// describes its exports. The core runs instructions; everything else about
// the machine (devices, loading, time policy) stays in TypeScript.

import { readFileSync } from "node:fs";

export interface CoreExports {
  run(budget: number): number;
  reset(ramSize: bigint, hartId: bigint, entry: bigint): void;
  getPc(): bigint;
  setPc(v: bigint): void;
  getPriv(): number;
  setPriv(v: number): void;
  getRetired(): bigint;
  getCycles(): bigint;
  peekInst(): number;
  readCsr(n: number): bigint;
  writeCsr(n: number, v: bigint): void;
  /** fcsr (frm << 5 | fflags); setFcsr leaves mstatus.FS unchanged. */
  getFcsr(): number;
  setFcsr(v: number): void;
  /**
   * Drops to U-mode with mstatus.FS = fs and satp = satpHi << 32 | satpLo (one call for a
   * kernel's return to user); an unchanged satp is not written again.
   */
  enterUser(fs: number, satpLo: number, satpHi: number): void;
  /** Drives mip bit `bit` from a device; a change ends the running slice. */
  setInterruptLine(bit: number, on: number): void;
  addIdleCycles(cycles: bigint): void;
  setHostTrapMask(mask: bigint): void;
  /** mip bits that end run() with Exit.HostIrq while pending (a host kernel's interrupts). */
  setHostIrqMask(mask: bigint): void;
  setHostTrapMaskS(mask: bigint): void;
  /** wfi for host firmware: false when no armed interrupt can wake the hart. */
  waitForInterrupt(): number;
  interruptPending(): number;
  cyclesToTimer(): bigint;
  setHartId(v: bigint): void;
  /** Saves the hart in the core to context slot n (several harts, core/smp.ts). */
  saveHart(slot: number): void;
  /** Loads context slot n, its clock continuing from `cycles`. */
  loadHart(slot: number, cycles: bigint): void;
  /** With several harts: wfi with nothing pending returns Exit.Wfi. */
  setWfiYields(on: number): void;
  flushTlb(): void;
  /** Drops the translations of the 4 KiB page at va (every bank). */
  flushTlbPage(va: bigint): void;
  /** satp = hi << 32 | lo (a host kernel's address-space switch). */
  setSatp(lo: number, hi: number): void;
  /** mtime from the host's clock (setHostMtime before each slice); wfi returns Exit.Wfi. */
  setRealtime(on: number): void;
  setHostMtime(ticks: bigint): void;
  /** One TLB bank per recent satp value (for a host kernel that flushes after page-table changes). */
  setTlbBanking(on: number): void;
  reportBusError(): void;
  /** Translated code on (1) or off (0) (core/jit.ts). */
  setJit(on: number): void;
  /** Visits to a page before it is translated (tests: 0, translate at the first visit). */
  setJitThreshold(visits: number): void;
  /** Where the translator's page tables start in memory, for a RAM size. */
  jitTablesAt(ramSize: bigint): number;
  requestStop(): void;
  X_BASE: WebAssembly.Global;
  F_BASE: WebAssembly.Global;
  HOST_BASE: WebAssembly.Global;
  RVC_TABLE: WebAssembly.Global;
  RAM_WASM_OFFSET: WebAssembly.Global;
  MROM_WASM_OFFSET: WebAssembly.Global;
}

/** Exit reasons of run(), as in core/state.ts. */
export const Exit = { Budget: 0, Idle: 1, Stop: 2, HostTrap: 3, HostIrq: 4, Wfi: 5 } as const;
export type ExitReason = (typeof Exit)[keyof typeof Exit];

let compiled: WebAssembly.Module | undefined;

/** The compiled core module, from build/core.wasm next to src/ or dist/. */
export function coreModule(): WebAssembly.Module {
  if (!compiled) {
    const url = new URL("../../../build/core.wasm", import.meta.url);
    compiled = new WebAssembly.Module(readFileSync(url));
  }
  return compiled;
}
