// Control and status registers of one RV64 hart (privileged spec v1.12,
// chapters 2-4, and the Sstc extension's stimecmp): storage, WARL
// legalisation, access checks.
//
// Counters derive from state.retired, so time is a function of the work done.

import { PRV_M, PRV_S, PRV_U, priv, retired, idleCycles, CYCLES_PER_TICK, hartId } from "./state";
import { CLINT_MSIP, CLINT_MTIMECMP } from "./layout";
import { fflags, frm, setFflags, setFrm } from "./fpu";
import { flushTlb, satpWritten, updateMmuIdx } from "./mmu";

// mstatus bits (RV64 layout)
export const MSTATUS_SIE: u64 = 1 << 1;
export const MSTATUS_MIE: u64 = 1 << 3;
export const MSTATUS_SPIE: u64 = 1 << 5;
export const MSTATUS_UBE: u64 = 1 << 6;
export const MSTATUS_MPIE: u64 = 1 << 7;
export const MSTATUS_SPP: u64 = 1 << 8;
export const MSTATUS_VS: u64 = 3 << 9;
export const MSTATUS_MPP_SHIFT: u64 = 11;
export const MSTATUS_MPP: u64 = 3 << 11;
export const MSTATUS_FS_SHIFT: u64 = 13;
export const MSTATUS_FS: u64 = 3 << 13;
export const MSTATUS_XS: u64 = 3 << 15;
export const MSTATUS_MPRV: u64 = 1 << 17;
export const MSTATUS_SUM: u64 = 1 << 18;
export const MSTATUS_MXR: u64 = 1 << 19;
export const MSTATUS_TVM: u64 = 1 << 20;
export const MSTATUS_TW: u64 = 1 << 21;
export const MSTATUS_TSR: u64 = 1 << 22;
export const MSTATUS_UXL: u64 = (<u64>3) << 32;
export const MSTATUS_SXL: u64 = (<u64>3) << 34;
export const MSTATUS_SD: u64 = (<u64>1) << 63;
// UXL = SXL = 2: both U and S run 64-bit code, read-only.
const MSTATUS_XL64: u64 = ((<u64>2) << 32) | ((<u64>2) << 34);

const MSTATUS_WRITABLE: u64 =
  MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |
  MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
const SSTATUS_MASK: u64 =
  MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS |
  MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD;

// Interrupt bits in mip/mie
export const IRQ_SSI: u64 = 1 << 1;
export const IRQ_MSI: u64 = 1 << 3;
export const IRQ_STI: u64 = 1 << 5;
export const IRQ_MTI: u64 = 1 << 7;
export const IRQ_SEI: u64 = 1 << 9;
export const IRQ_MEI: u64 = 1 << 11;
const S_IRQS: u64 = IRQ_SSI | IRQ_STI | IRQ_SEI;
const ALL_IRQS: u64 = S_IRQS | IRQ_MSI | IRQ_MTI | IRQ_MEI;

// menvcfg bits (privileged spec 3.1.18): FIOM, and STCE from Sstc, which
// turns on stimecmp and makes mip.STIP follow it. The cache-block and PBMT
// enables stay 0 (no Zicbom/Zicboz/Svpbmt, as QEMU 7.2's default CPU).
export const MENVCFG_FIOM: u64 = 1;
export const MENVCFG_STCE: u64 = (<u64>1) << 63;
// mcounteren.TM: S-mode may read time (and, with STCE, use stimecmp).
const COUNTEREN_TM: u64 = 1 << 1;

// Exceptions that may be delegated to S-mode (QEMU's delegable set).
const DELEGABLE_EXCEPTIONS: u64 = 0xb3ff; // 0-9, 12, 13, 15

// misa: MXL=2 (64-bit), extensions A C D F I M S U.
export const MISA: u64 =
  ((<u64>2) << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

export const SATP_MODE_BARE: u64 = 0;
export const SATP_MODE_SV39: u64 = 8;

export let mstatus: u64 = MSTATUS_XL64;
export let medeleg: u64 = 0;
export let mideleg: u64 = 0;
export let mie: u64 = 0;
// Software-writable pending bits (SSIP, STIP, SEIP; MSIP/MTIP/MEIP come from devices).
export let mipSoft: u64 = 0;
// Pending bits driven by devices (CLINT msip, PLIC external lines), set by the host.
export let mipHw: u64 = 0;
export let mtvec: u64 = 0;
export let stvec: u64 = 0;
export let mepc: u64 = 0;
export let sepc: u64 = 0;
export let mcause: u64 = 0;
export let scause: u64 = 0;
export let mtval: u64 = 0;
export let stval: u64 = 0;
export let mscratch: u64 = 0;
export let sscratch: u64 = 0;
export let mcounteren: u64 = 0;
export let scounteren: u64 = 0;
export let mcountinhibit: u64 = 0;
export let menvcfg: u64 = 0;
export let senvcfg: u64 = 0;
export let satp: u64 = 0;
// Offsets so that writes to mcycle/minstret hold while counting goes on.
export let mcycleOffset: u64 = 0;
export let minstretOffset: u64 = 0;
// CLINT state: mtime is shared; each hart's msip and mtimecmp live in
// memory (layout.ts CLINT_*), so harts reach each other's while only one
// is in the core.
export let mtimeOffset: u64 = 0;
// @ts-ignore: decorator
@inline export function mtimecmp(): u64 {
  return load<u64>(CLINT_MTIMECMP + (<u32>hartId << 3));
}
// @ts-ignore: decorator
@inline function msip(): bool {
  return load<u32>(CLINT_MSIP + (<u32>hartId << 2)) != 0;
}
// Sstc's supervisor timer compare (CSR 0x14d). Reset to the far future:
// the spec leaves it unspecified, and QEMU's 0 never raises STIP until
// written (its STIP is updated on writes and timer events only).
export let stimecmp: u64 = 0xffffffffffffffff;
// pmpcfg0/2 and pmpaddr0..15 are stored so software can program them;
// mica grants every access (no PMP checks), as a hart with all of memory open.
const PMP_BASE: u32 = 0x1400; // 2 cfg words + 16 addr words, see layout.ts free space
// The PMU as QEMU 7.2's virt CPU has it (pmu-num = 16): mhpmcounter3..18
// hold what software writes (no event counts: mica implements none), the
// rest of the counters do not exist; mhpmevent3..31 are plain storage.
const HPM_COUNTERS: u32 = 16;
const HPM_BASE: u32 = 0x1500; // mhpmcounter3.. then mhpmevent3..31 (29 x u64)
const HPM_EVENT_BASE: u32 = HPM_BASE + 29 * 8;

// Set when an instruction read a CSR illegally.
export let csrIllegal: bool = false;

// @ts-ignore: decorator
@inline export function cycleNow(): u64 {
  return retired + idleCycles;
}
// @ts-ignore: decorator
@inline export function mtimeNow(): u64 {
  return (realtime ? hostMtime : cycleNow() / CYCLES_PER_TICK) + mtimeOffset;
}

// --realtime: mtime follows the host's clock, which the host sets before
// every slice (setHostMtime); otherwise it derives from the cycle count.
export let realtime: bool = false;
export let hostMtime: u64 = 0;
export function setRealtime(on: bool): void {
  const now = mtimeNow();
  realtime = on;
  setMtime(now);
}
export function setHostMtime(v: u64): void {
  hostMtime = v;
}

// Pending interrupts, with MTIP computed from the timer, and STIP from
// stimecmp when menvcfg.STCE is set.
// SPEC: Sstc: with STCE=1, STIP is read-only in mip and reflects
// time >= stimecmp; with STCE=0 it is the software-writable bit.
export function mipValue(): u64 {
  let v = mipSoft | mipHw;
  const now = mtimeNow();
  if (now >= mtimecmp()) v |= IRQ_MTI;
  if (msip()) v |= IRQ_MSI;
  if ((menvcfg & MENVCFG_STCE) != 0) {
    v &= ~IRQ_STI;
    if (now >= stimecmp) v |= IRQ_STI;
  }
  return v;
}

// Cycles until the earliest armed timer fires: mtimecmp when MTIE is set,
// stimecmp when STCE and STIE are. 0 when one is already due, u64 max when
// none is armed. The run loop ends a slice there, so interrupts are taken
// at the exact instruction, and wfi skips idle time up to it.
export function cyclesToTimer(): u64 {
  let cmp: u64 = 0xffffffffffffffff;
  if ((mie & IRQ_MTI) != 0) cmp = mtimecmp();
  if ((mie & IRQ_STI) != 0 && (menvcfg & MENVCFG_STCE) != 0 && stimecmp < cmp) cmp = stimecmp;
  if (cmp == 0xffffffffffffffff) return cmp;
  const now = mtimeNow();
  if (now >= cmp) return 0;
  const ticks = cmp - now;
  if (ticks > 0x0100000000000000) return 0xffffffffffffffff;
  // The tick boundary is reached after the remaining cycles of this tick.
  return ticks * CYCLES_PER_TICK - (cycleNow() % CYCLES_PER_TICK);
}

export function setMipHw(bit: u64, on: bool): void {
  if (on) mipHw |= bit;
  else mipHw &= ~bit;
}
export function setStimecmp(v: u64): void {
  stimecmp = v;
}

export function setMtime(v: u64): void {
  mtimeOffset = v - (realtime ? hostMtime : cycleNow() / CYCLES_PER_TICK);
}

export function setSatpRaw(v: u64): void {
  satp = v;
}
export function setMstatusRaw(v: u64): void {
  mstatus = v;
}
export function setMepc(v: u64): void {
  mepc = v;
}
export function setSepc(v: u64): void {
  sepc = v;
}
export function setMcause(v: u64): void {
  mcause = v;
}
export function setScause(v: u64): void {
  scause = v;
}
export function setMtval(v: u64): void {
  mtval = v;
}
export function setStval(v: u64): void {
  stval = v;
}

// SD summarises FS (VS and XS are always 0 here).
// @ts-ignore: decorator
@inline function withSd(v: u64): u64 {
  return (v & MSTATUS_FS) == MSTATUS_FS ? v | MSTATUS_SD : v & ~MSTATUS_SD;
}

export function writeMstatus(v: u64): void {
  const old = mstatus;
  let n = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
  // MPP is WARL over {U, S, M}: the reserved value 2 keeps the old field (as QEMU).
  if (((n >> MSTATUS_MPP_SHIFT) & 3) == 2) n = (n & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
  mstatus = withSd(n);
  if ((old ^ mstatus) & MSTATUS_MXR) flushTlb();
  updateMmuIdx();
}

export function markFsDirty(): void {
  mstatus |= MSTATUS_FS | MSTATUS_SD;
}

// @ts-ignore: decorator
@inline export function fsOff(): bool {
  return (mstatus & MSTATUS_FS) == 0;
}

// Whether a counter CSR (cycle/time/instret/hpm, index 0..31) may be read
// at the current privilege: mcounteren gates S and U, scounteren gates U.
function counterAllowed(index: u32): bool {
  if (priv == PRV_M) return true;
  if (((mcounteren >> index) & 1) == 0) return false;
  if (priv == PRV_U && ((scounteren >> index) & 1) == 0) return false;
  return true;
}

// Reads a CSR. Sets csrIllegal (and returns 0) when the CSR does not exist
// or the current privilege may not read it.
export function csrRead(csr: u32): u64 {
  csrIllegal = false;
  if (((csr >> 8) & 3) > priv) {
    csrIllegal = true;
    return 0;
  }
  switch (csr) {
    case 0x001: if (fsOff()) break; return fflags;
    case 0x002: if (fsOff()) break; return frm;
    case 0x003: if (fsOff()) break; return (frm << 5) | fflags;
    case 0xc00: if (!counterAllowed(0)) break; return cycleNow() - 1 + mcycleOffset;
    case 0xc01: if (!counterAllowed(1)) break; return mtimeNow();
    case 0xc02: if (!counterAllowed(2)) break; return retired - 1 + minstretOffset;
    case 0x100: return mstatus & SSTATUS_MASK;
    case 0x104: return mie & mideleg;
    case 0x105: return stvec;
    case 0x106: return scounteren;
    case 0x10a: return senvcfg;
    case 0x140: return sscratch;
    case 0x141: return sepc;
    case 0x142: return scause;
    case 0x143: return stval;
    case 0x144: return mipValue() & mideleg;
    case 0x14d:
      // SPEC: Sstc: below M, stimecmp needs mcounteren.TM and menvcfg.STCE.
      if (priv != PRV_M && ((mcounteren & COUNTEREN_TM) == 0 || (menvcfg & MENVCFG_STCE) == 0)) break;
      return stimecmp;
    case 0x180:
      if (priv == PRV_S && (mstatus & MSTATUS_TVM) != 0) break;
      return satp;
    case 0x300: return mstatus;
    case 0x301: return MISA;
    case 0x302: return medeleg;
    case 0x303: return mideleg;
    case 0x304: return mie;
    case 0x305: return mtvec;
    case 0x306: return mcounteren;
    case 0x30a: return menvcfg;
    case 0x320: return mcountinhibit;
    case 0x340: return mscratch;
    case 0x341: return mepc;
    case 0x342: return mcause;
    case 0x343: return mtval;
    case 0x344: return mipValue();
    case 0xb00: return cycleNow() - 1 + mcycleOffset;
    case 0xb02: return retired - 1 + minstretOffset;
    case 0xf11: case 0xf12: case 0xf13: case 0xf15: return 0;
    // Sdtrig with no triggers: tselect 0 selects nothing (tdata1 type 0),
    // and tinfo says only type 0 exists at this index.
    case 0x7a0: case 0x7a1: case 0x7a2: case 0x7a3: return 0;
    case 0x7a4: return 1;
    case 0xf14: return hartId;
    default:
      // hpmcounter3..18 / mhpmcounter3..18 / mhpmevent3..31 (see HPM_BASE).
      if (csr >= 0xc03 && csr < 0xc03 + HPM_COUNTERS) {
        if (!counterAllowed(csr - 0xc00)) break;
        return load<u64>(HPM_BASE + ((csr - 0xc03) << 3));
      }
      if (csr >= 0xb03 && csr < 0xb03 + HPM_COUNTERS) return load<u64>(HPM_BASE + ((csr - 0xb03) << 3));
      if (csr >= 0x323 && csr <= 0x33f) return load<u64>(HPM_EVENT_BASE + ((csr - 0x323) << 3));
      if (csr == 0x3a0 || csr == 0x3a2) return load<u64>(PMP_BASE + ((csr - 0x3a0) << 2));
      if (csr >= 0x3b0 && csr <= 0x3bf) return load<u64>(PMP_BASE + 16 + ((csr - 0x3b0) << 3));
      break;
  }
  csrIllegal = true;
  return 0;
}

// Writes a CSR already checked readable by csrRead. Sets csrIllegal for
// read-only CSRs. Returns true when the write may change which interrupts
// are deliverable or how memory is translated, so the run loop re-checks.
export function csrWrite(csr: u32, v: u64): bool {
  csrIllegal = false;
  if ((csr >> 10) == 3) {
    csrIllegal = true;
    return false;
  }
  switch (csr) {
    case 0x001: setFflags(<u32>v & 0x1f); markFsDirty(); return false;
    case 0x002: setFrm(<u32>v & 7); markFsDirty(); return false;
    case 0x003: setFflags(<u32>v & 0x1f); setFrm((<u32>v >> 5) & 7); markFsDirty(); return false;
    case 0x100: writeMstatus((mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK)); return true;
    case 0x104: mie = (mie & ~mideleg) | (v & mideleg); return true;
    case 0x105: stvec = legalTvec(stvec, v); return false;
    case 0x106: scounteren = v & 0xffffffff; return false;
    case 0x10a: senvcfg = v & 1; return false;
    case 0x140: sscratch = v; return false;
    case 0x141: sepc = v & ~(<u64>1); return false;
    case 0x142: scause = v; return false;
    case 0x143: stval = v; return false;
    case 0x144: {
      // Only SSIP is writable through sip, and only when delegated.
      const m = mideleg & IRQ_SSI;
      mipSoft = (mipSoft & ~m) | (v & m);
      return true;
    }
    case 0x14d: stimecmp = v; return true;
    case 0x180: {
      const mode = v >> 60;
      // WARL: an unsupported mode leaves satp unchanged.
      if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39) return false;
      satp = v;
      satpWritten(v);
      return true;
    }
    case 0x300: writeMstatus(v); return true;
    case 0x301: return false; // misa: extensions cannot be switched off
    case 0x7a0: case 0x7a1: case 0x7a2: case 0x7a3: case 0x7a4: return false;
    case 0x302: medeleg = v & DELEGABLE_EXCEPTIONS; return false;
    case 0x303: mideleg = v & S_IRQS; return true;
    case 0x304: mie = v & ALL_IRQS; return true;
    case 0x305: mtvec = legalTvec(mtvec, v); return false;
    case 0x306: mcounteren = v & 0xffffffff; return false;
    case 0x30a: menvcfg = v & (MENVCFG_FIOM | MENVCFG_STCE); return true;
    case 0x320: mcountinhibit = v & 0xfffffffd; return false;
    case 0x340: mscratch = v; return false;
    case 0x341: mepc = v & ~(<u64>1); return false;
    case 0x342: mcause = v; return false;
    case 0x343: mtval = v; return false;
    case 0x344: {
      // With Sstc enabled STIP belongs to stimecmp (see mipValue).
      const m = (menvcfg & MENVCFG_STCE) != 0 ? S_IRQS & ~IRQ_STI : S_IRQS;
      mipSoft = (mipSoft & ~m) | (v & m);
      return true;
    }
    // state.retired already counts the instruction in flight and reads
    // subtract it, so the next instruction reads exactly the value written
    // (SPEC: a counter write overrides the writing instruction's increment).
    case 0xb00: mcycleOffset = v - cycleNow(); return false;
    case 0xb02: minstretOffset = v - retired; return false;
    default:
      if (csr >= 0xb03 && csr < 0xb03 + HPM_COUNTERS) {
        store<u64>(HPM_BASE + ((csr - 0xb03) << 3), v);
        return false;
      }
      if (csr >= 0x323 && csr <= 0x33f) {
        store<u64>(HPM_EVENT_BASE + ((csr - 0x323) << 3), v);
        return false;
      }
      if (csr == 0x3a0 || csr == 0x3a2) {
        store<u64>(PMP_BASE + ((csr - 0x3a0) << 2), v);
        return false;
      }
      if (csr >= 0x3b0 && csr <= 0x3bf) {
        store<u64>(PMP_BASE + 16 + ((csr - 0x3b0) << 3), v & 0x003fffffffffffff);
        return false;
      }
      break;
  }
  csrIllegal = true;
  return false;
}

// The CSRs of the hart in the core, saved to / loaded from a context area
// (smp.ts). Order matters only between these two functions.
export function saveCsrs(a: u32): void {
  store<u64>(a, mstatus, 0); store<u64>(a, medeleg, 8); store<u64>(a, mideleg, 16);
  store<u64>(a, mie, 24); store<u64>(a, mipSoft, 32); store<u64>(a, mipHw, 40);
  store<u64>(a, mtvec, 48); store<u64>(a, stvec, 56); store<u64>(a, mepc, 64);
  store<u64>(a, sepc, 72); store<u64>(a, mcause, 80); store<u64>(a, scause, 88);
  store<u64>(a, mtval, 96); store<u64>(a, stval, 104); store<u64>(a, mscratch, 112);
  store<u64>(a, sscratch, 120); store<u64>(a, mcounteren, 128); store<u64>(a, scounteren, 136);
  store<u64>(a, mcountinhibit, 144); store<u64>(a, menvcfg, 152); store<u64>(a, senvcfg, 160);
  store<u64>(a, satp, 168); store<u64>(a, mcycleOffset, 176); store<u64>(a, minstretOffset, 184);
  store<u64>(a, stimecmp, 192); store<u32>(a, fflags, 200); store<u32>(a, frm, 204);
}
export const CSR_SAVE_SIZE: u32 = 208;
export function loadCsrs(a: u32): void {
  mstatus = load<u64>(a, 0); medeleg = load<u64>(a, 8); mideleg = load<u64>(a, 16);
  mie = load<u64>(a, 24); mipSoft = load<u64>(a, 32); mipHw = load<u64>(a, 40);
  mtvec = load<u64>(a, 48); stvec = load<u64>(a, 56); mepc = load<u64>(a, 64);
  sepc = load<u64>(a, 72); mcause = load<u64>(a, 80); scause = load<u64>(a, 88);
  mtval = load<u64>(a, 96); stval = load<u64>(a, 104); mscratch = load<u64>(a, 112);
  sscratch = load<u64>(a, 120); mcounteren = load<u64>(a, 128); scounteren = load<u64>(a, 136);
  mcountinhibit = load<u64>(a, 144); menvcfg = load<u64>(a, 152); senvcfg = load<u64>(a, 160);
  satp = load<u64>(a, 168); mcycleOffset = load<u64>(a, 176); minstretOffset = load<u64>(a, 184);
  stimecmp = load<u64>(a, 192); setFflags(load<u32>(a, 200)); setFrm(load<u32>(a, 204));
}

// xtvec is WARL: modes 0 (direct) and 1 (vectored) only; the base is 4-byte aligned.
function legalTvec(old: u64, v: u64): u64 {
  if ((v & 3) >= 2) return old;
  return v & ~(<u64>2);
}

export function resetCsrs(): void {
  mstatus = MSTATUS_XL64;
  medeleg = 0;
  mideleg = 0;
  mie = 0;
  mipSoft = 0;
  mipHw = 0;
  mtvec = 0;
  stvec = 0;
  mepc = 0;
  sepc = 0;
  mcause = 0;
  scause = 0;
  mtval = 0;
  stval = 0;
  mscratch = 0;
  sscratch = 0;
  mcounteren = 0;
  scounteren = 0;
  mcountinhibit = 0;
  menvcfg = 0;
  senvcfg = 0;
  satp = 0;
  mcycleOffset = 0;
  minstretOffset = 0;
  mtimeOffset = 0;
  stimecmp = 0xffffffffffffffff;
  memory.fill(PMP_BASE, 0, 16 + 16 * 8);
  memory.fill(HPM_BASE, 0, 2 * 29 * 8);
  setFflags(0);
  setFrm(0);
}
