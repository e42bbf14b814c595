// Trap entry and return (privileged spec v1.12 sections 3.1.6-3.1.9, 3.3.2,
// 4.1.1): delegation through medeleg/mideleg, xtvec direct and vectored
// modes, interrupt priority, and mret/sret.

import { PRV_M, PRV_S, PRV_U, priv, setPriv, setPc } from "./state";
import {
  mstatus, setMstatusRaw, medeleg, mideleg, mie, mtvec, stvec, mipValue,
  setMepc, setSepc, setMcause, setScause, setMtval, setStval, mepc, sepc,
  MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP, MSTATUS_MPP,
  MSTATUS_MPP_SHIFT, MSTATUS_MPRV, IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI,
} from "./csr";
import { updateMmuIdx, setReservation } from "./mmu";

export const CAUSE_ILLEGAL: i32 = 2;
export const CAUSE_BREAKPOINT: i32 = 3;
export const CAUSE_ECALL_U: i32 = 8;
export const INTERRUPT_BIT: u64 = (<u64>1) << 63;

// Causes (bit per exception code) that, when raised in U-mode, end run()
// and go to the host instead of S-mode: how a kernel written in TypeScript
// takes system calls and faults. 0 for a bare machine.
export let hostTrapMask: u64 = 0;
// The same for exceptions raised in S-mode: how firmware written in
// TypeScript (--bios builtin) takes SBI calls, ecall from S. 0 otherwise.
export let hostTrapMaskS: u64 = 0;
export let hostTrapCause: u64 = 0;
export let hostTrapTval: u64 = 0;
export function setHostTrapMask(v: u64): void {
  hostTrapMask = v;
}
// Interrupt bits (of mip) that, when pending, end run() before the next
// instruction and go to the host: how a kernel written in TypeScript takes
// device interrupts (the PLIC's S-mode external interrupt line). 0 for a
// bare machine.
export let hostIrqMask: u64 = 0;
export function setHostIrqMask(v: u64): void {
  hostIrqMask = v;
}
export function setHostTrapMaskS(v: u64): void {
  hostTrapMaskS = v;
}

// Enters the trap handler for `cause` (with INTERRUPT_BIT for interrupts),
// taken at instruction address epc. Returns true if the trap goes to the
// host (hostTrapMask, hostTrapMaskS), leaving pc at epc; otherwise sets pc
// to the handler.
export function takeTrap(cause: u64, tval: u64, epc: u64): bool {
  const isInterrupt = (cause & INTERRUPT_BIT) != 0;
  const code = cause & 63;
  const hostMask = priv == PRV_U ? hostTrapMask : priv == PRV_S ? hostTrapMaskS : 0;
  if (!isInterrupt && ((hostMask >> code) & 1) != 0) {
    hostTrapCause = cause;
    hostTrapTval = tval;
    setPc(epc);
    return true;
  }
  setReservation(0xffffffffffffffff);
  const deleg = isInterrupt ? mideleg : medeleg;
  let s = mstatus;
  if (priv <= PRV_S && ((deleg >> code) & 1) != 0) {
    setScause(cause);
    setSepc(epc);
    setStval(tval);
    s = (s & ~MSTATUS_SPP) | (priv == PRV_S ? MSTATUS_SPP : 0);
    s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) != 0 ? MSTATUS_SPIE : 0);
    s &= ~MSTATUS_SIE;
    setMstatusRaw(s);
    setPriv(PRV_S);
    setPc(vector(stvec, code, isInterrupt));
  } else {
    setMcause(cause);
    setMepc(epc);
    setMtval(tval);
    s = (s & ~MSTATUS_MPP) | (<u64>priv << MSTATUS_MPP_SHIFT);
    s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) != 0 ? MSTATUS_MPIE : 0);
    s &= ~MSTATUS_MIE;
    setMstatusRaw(s);
    setPriv(PRV_M);
    setPc(vector(mtvec, code, isInterrupt));
  }
  updateMmuIdx();
  return false;
}

// @ts-ignore: decorator
@inline function vector(tvec: u64, code: u64, isInterrupt: bool): u64 {
  const base = tvec & ~(<u64>3);
  return isInterrupt && (tvec & 1) != 0 ? base + (code << 2) : base;
}

// The highest-priority interrupt that is pending, enabled and may be taken
// at the current privilege, as a cause with INTERRUPT_BIT, or 0 for none.
export function pendingInterrupt(): u64 {
  const pending = mipValue() & mie;
  if (pending == 0) return 0;
  const mEnabled = priv < PRV_M || (mstatus & MSTATUS_MIE) != 0;
  const sEnabled = priv < PRV_S || (priv == PRV_S && (mstatus & MSTATUS_SIE) != 0);
  let take: u64 = 0;
  const m = pending & ~mideleg;
  if (mEnabled && m != 0) take = m;
  else {
    const s = pending & mideleg;
    if (sEnabled && s != 0) take = s;
  }
  if (take == 0) return 0;
  // SPEC: 3.1.9: MEI, MSI, MTI, SEI, SSI, STI in decreasing priority.
  let code: u64;
  if (take & IRQ_MEI) code = 11;
  else if (take & IRQ_MSI) code = 3;
  else if (take & IRQ_MTI) code = 7;
  else if (take & IRQ_SEI) code = 9;
  else if (take & IRQ_SSI) code = 1;
  else if (take & IRQ_STI) code = 5;
  else return 0;
  return INTERRUPT_BIT | code;
}

// mret: returns to MPP at mepc. The caller checked priv == M.
export function doMret(): void {
  let s = mstatus;
  const target = <u32>((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
  s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) != 0 ? MSTATUS_MIE : 0);
  s |= MSTATUS_MPIE;
  s &= ~MSTATUS_MPP; // MPP becomes U, the least-privileged mode
  if (target != PRV_M) s &= ~MSTATUS_MPRV;
  setMstatusRaw(s);
  setPriv(target);
  setPc(mepc);
  setReservation(0xffffffffffffffff);
  updateMmuIdx();
}

// sret: returns to SPP at sepc. The caller checked priv >= S and TSR.
export function doSret(): void {
  let s = mstatus;
  const target = (s & MSTATUS_SPP) != 0 ? PRV_S : PRV_U;
  s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) != 0 ? MSTATUS_SIE : 0);
  s |= MSTATUS_SPIE;
  s &= ~MSTATUS_SPP;
  s &= ~MSTATUS_MPRV;
  setMstatusRaw(s);
  setPriv(target);
  setPc(sepc);
  setReservation(0xffffffffffffffff);
  updateMmuIdx();
}

