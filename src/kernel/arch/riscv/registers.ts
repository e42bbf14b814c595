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

const CSR_FCSR = 0x003;
const CSR_SATP = 0x180;
const CSR_MSTATUS = 0x300;
/** mstatus.FS: Off (0) makes every F/D instruction and FP CSR access illegal; Initial is 1. */
const MSTATUS_FS = 3n << 13n;
const MSTATUS_FS_INITIAL = 1n << 13n;
const FPU_DISABLED = BigInt(TCBFlag.seL4_TCBFlag_fpuDisabled);
const PRV_U = 0;

/** seL4_UserContext word order: pc, ra, sp, gp, s0..s11, a0..a7, t0..t6, tp (as x numbers; pc = -1). */
export const USER_CONTEXT_ORDER: readonly number[] = [
  -1, 1, 2, 3, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 10, 11, 12, 13, 14, 15, 16, 17, 5, 6,
  7, 28, 29, 30, 31, 4,
];

/**
 * Copies the hart's user state into the TCB (kernel entry). A thread whose FPU is off
 * (seL4_TCBFlag_fpuDisabled) cannot have changed its FP state, so the TCB's copy stands.
 */
export function saveContext(hart: Hart, tcb: TCB): void {
  tcb.regBytes.set(new Uint8Array(hart.x.buffer, hart.x.byteOffset, 256));
  if ((hart.core.readCsr(CSR_MSTATUS) & MSTATUS_FS) === 0n) return;
  tcb.fregBytes.set(new Uint8Array(hart.f.buffer, hart.f.byteOffset, 256));
  tcb.fcsr = hart.core.readCsr(CSR_FCSR);
}

/**
 * Loads a TCB's user state into the hart and points it at nextIP in U-mode. With
 * seL4_TCBFlag_fpuDisabled the thread runs with mstatus.FS Off, so its first FP
 * instruction is an illegal-instruction exception (a UserException fault), as seL4 does.
 */
export function restoreContext(hart: Hart, tcb: TCB): void {
  new Uint8Array(hart.x.buffer, hart.x.byteOffset, 256).set(tcb.regBytes);
  hart.x[0] = 0n;
  const mstatus = hart.core.readCsr(CSR_MSTATUS) & ~MSTATUS_FS;
  hart.core.writeCsr(CSR_MSTATUS, mstatus | MSTATUS_FS_INITIAL);
  new Uint8Array(hart.f.buffer, hart.f.byteOffset, 256).set(tcb.fregBytes);
  hart.core.writeCsr(CSR_FCSR, tcb.fcsr);
  if ((tcb.flags & FPU_DISABLED) !== 0n) hart.core.writeCsr(CSR_MSTATUS, mstatus);
  hart.core.setPriv(PRV_U);
  hart.pc = tcb.nextIP;
}

/** Switches the hart's address space (satp: Sv39, ASID, root page table). */
export function setVSpaceRoot(hart: Hart, rootPaddr: bigint, asid: number): void {
  const satp = (8n << 60n) | (BigInt(asid) << 44n) | (rootPaddr >> 12n);
  hart.core.writeCsr(CSR_SATP, satp);
}
