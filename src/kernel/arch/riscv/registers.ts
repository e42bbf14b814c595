// The RISC-V user context and how it moves between a TCB and the hart
// (seL4/seL4: include/arch/riscv/arch/machine/registerset.h). Contexts are
// copied as bytes: the TCB keeps x0..x31 in the hart's own layout.

import type { Hart } from "../../../machine/cpu/hart.js";
import { TCBFlag } from "../../api/generated/abi.js";
import type { TCB } from "../../object/tcb.js";

// Register numbers (x-registers) of the seL4 RISC-V ABI.
export const ra = 1;
export const sp = 2;
export const gp = 3;
export const tp = 4;
export const a0 = 10;
export const a1 = 11;
export const a2 = 12;
export const a3 = 13;
export const a4 = 14;
export const a5 = 15;
export const a6 = 16;
export const a7 = 17;

export const capRegister = a0;
export const badgeRegister = a0;
export const msgInfoRegister = a1;
/** MR0..MR3 travel in a2..a5. */
export const msgRegisters = [a2, a3, a4, a5] as const;
export const n_msgRegisters = 4;
/** Words of TCB.regs holding FaultIP and NextIP, after x0..x31. */
export const FAULT_IP_WORD = 32;
export const NEXT_IP_WORD = 33;

/** satp.MODE = 8 (Sv39), in the upper 32 bits. */
const SATP_MODE_SV39_HI = 8 << 28;
/** mstatus.FS: Off makes every F/D instruction and FP CSR access illegal; Dirty = changed. */
const FS_OFF = 0;
const FS_CLEAN = 2;
const FS_DIRTY = 3;
const FPU_DISABLED = BigInt(TCBFlag.seL4_TCBFlag_fpuDisabled);
/** Index of FaultIP's and NextIP's low halves in TCB.regs32. */
const FAULT_IP_LO = 2 * FAULT_IP_WORD;
const NEXT_IP_LO = 2 * NEXT_IP_WORD;

/** seL4_UserContext word order: pc, ra, sp, gp, s0..s11, a0..a7, t0..t6, tp (as x numbers; pc = -1). */
export const USER_CONTEXT_ORDER: readonly number[] = [
  -1, 1, 2, 3, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 10, 11, 12, 13, 14, 15, 16, 17, 5, 6,
  7, 28, 29, 30, 31, 4,
];

/**
 * Copies the hart's user state into the TCB (kernel entry). The FP registers and fcsr
 * are copied only if the thread changed them (mstatus.FS Dirty): otherwise the TCB's
 * copy stands (a thread whose FPU is off, seL4_TCBFlag_fpuDisabled, cannot change them).
 */
export function saveContext(hart: Hart, tcb: TCB): void {
  tcb.regBytes.set(hart.xBytes);
  // FaultIP = the pc the hart stopped at (the core's host block).
  const r32 = tcb.regs32;
  const h32 = hart.host32;
  r32[FAULT_IP_LO] = h32[0]!;
  r32[FAULT_IP_LO + 1] = h32[1]!;
  if (h32[8] !== FS_DIRTY) return;
  tcb.fregBytes.set(hart.fBytes);
  tcb.fcsr = hart.core.getFcsr();
}

/** NextIP = FaultIP + 4: past the ecall (PERF: in 32-bit halves, no BigInt). */
export function setNextIPAfterSyscall(tcb: TCB): void {
  const r32 = tcb.regs32;
  const lo = r32[FAULT_IP_LO]! + 4;
  r32[NEXT_IP_LO] = lo;
  r32[NEXT_IP_LO + 1] = r32[FAULT_IP_LO + 1]! + (lo > 0xffff_ffff ? 1 : 0);
}

/** NextIP = FaultIP: the instruction runs again (faults, interrupts). */
export function setNextIPToFaultIP(tcb: TCB): void {
  const r32 = tcb.regs32;
  r32[NEXT_IP_LO] = r32[FAULT_IP_LO]!;
  r32[NEXT_IP_LO + 1] = r32[FAULT_IP_LO + 1]!;
}

// PERF (bench/ipc): a scratch word to split a 64-bit BigInt into 32-bit
// halves; a store to a BigUint64Array makes no BigInt, where a shift would.
const split64 = new BigUint64Array(1);
const split32 = new Uint32Array(split64.buffer);

/**
 * Works out satp for a thread's address space (seL4's setVMRoot: Sv39, the
 * ASID and the PPN of root page table `vspaceRoot`) into TCB.satpLo/satpHi.
 * PERF (bench/ipc): as two 32-bit halves, without BigInt arithmetic.
 */
export function setVMRootSatp(tcb: TCB, vspaceRoot: bigint, asid: number): void {
  split64[0] = vspaceRoot;
  const lo32 = split32[0]!;
  const hi32 = split32[1]!;
  // PPN = vspaceRoot >> 12 (below 2^44): bits 12..43 are its low half.
  tcb.satpLo = ((lo32 >>> 12) | (hi32 << 20)) >>> 0;
  tcb.satpHi = (SATP_MODE_SV39_HI | (asid << 12) | (hi32 >>> 12)) >>> 0;
}

/**
 * Loads a TCB's user state into the hart and points it at nextIP in U-mode,
 * in its address space (TCB.satpLo/satpHi, from setVMRootSatp).
 * `fpuOwner` is the thread whose FP state the hart holds (equal to that
 * thread's saved copy, as saveContext leaves it). The owner runs with
 * mstatus.FS Clean, so its first FP write makes it Dirty for saveContext.
 * Every other thread runs with FS Off: its first FP instruction traps, and
 * the kernel then makes it the owner (lazyFPURestore) and runs the
 * instruction again; with seL4_TCBFlag_fpuDisabled that trap is a
 * UserException fault instead, as in seL4.
 *
 * PERF (bench/ipc): lazy FPU switching, as seL4's: threads that do not use
 * the FPU never move its state. FS, privilege and satp cross to the core in
 * one call; the core leaves an unchanged satp (and so its TLB) alone.
 */
export function restoreContext(hart: Hart, tcb: TCB, fpuOwner: TCB | undefined): void {
  hart.xBytes.set(tcb.regBytes);
  hart.x[0] = 0n;
  const fs = fpuOwner === tcb && (tcb.flags & FPU_DISABLED) === 0n ? FS_CLEAN : FS_OFF;
  hart.core.enterUser(fs, tcb.satpLo, tcb.satpHi);
  // The next run starts at NextIP (the core's host block).
  const r32 = tcb.regs32;
  hart.host32[0] = r32[NEXT_IP_LO]!;
  hart.host32[1] = r32[NEXT_IP_LO + 1]!;
}

/**
 * On an illegal-instruction trap: if the thread may use the FPU but does not
 * hold it, loads its FP state into the hart and returns true (the kernel
 * makes it the owner and runs the instruction again; were it illegal for
 * another reason, it traps again, now with the FPU on). Otherwise false.
 */
export function lazyFPURestore(hart: Hart, tcb: TCB, fpuOwner: TCB | undefined): boolean {
  if (fpuOwner === tcb || (tcb.flags & FPU_DISABLED) !== 0n) return false;
  hart.fBytes.set(tcb.fregBytes);
  hart.core.setFcsr(tcb.fcsr);
  return true;
}
