// The interpreter: fetch, decode and execute RV64IMAFDC instructions until
// a budget runs out (unprivileged spec chapters 2-16, privileged spec 3.3).
//
// PERF (bench/mips): one function holds the dispatch loop so that pc and the
// loop counters stay in wasm locals and the major-opcode switch becomes a
// br_table; instruction semantics are inlined into it. Loads and stores hit
// the TLB inline and fall back to mmu.ts out of line. Interrupts are checked
// between slices, and a slice ends exactly when the timer fires.

import { RVC_TABLE, getX, setX, getF, setF } from "./layout";
import * as st from "./state";
import {
  PRV_M, PRV_S, PRV_U, EXIT_BUDGET, EXIT_IDLE, EXIT_STOP, EXIT_HOST_TRAP, raise,
} from "./state";
import {
  csrRead, csrWrite, csrIllegal, mstatus, mie, mtimecmp, mtimeNow, mipValue, fsOff, markFsDirty,
  MSTATUS_TW, MSTATUS_TSR, MSTATUS_TVM, IRQ_MTI,
} from "./csr";
import {
  dataTlb, fetchPage, fetchHost, fetchSlow, loadSlow, storeSlow, amoHost, lastAmoPa,
  reservation, setReservation, flushTlb, TLB_MASK, FETCH_NONE,
} from "./mmu";
import { takeTrap, pendingInterrupt, doMret, doSret, CAUSE_ILLEGAL, CAUSE_BREAKPOINT, CAUSE_ECALL_U } from "./trap";
import { execFp } from "./fpu";

const NO_RESERVATION: u64 = 0xffffffffffffffff;
// Major opcode 0b00111 with length bits 11: a reserved (48-bit) encoding
// the dispatch switch sends to its exception path.
const INST_FAULTED: u32 = 0x1f;

// ---- memory access fast paths (TLB hit inline, everything else in mmu.ts)

// @ts-ignore: decorator
@inline function tlbEntry(va: u64): u32 {
  return dataTlb + ((<u32>(va >> 12) & TLB_MASK) << 5);
}
// @ts-ignore: decorator
@inline function load8(va: u64): u64 {
  const e = tlbEntry(va);
  if (load<u64>(e) == (va & 0xfffffffffffff000)) return <u64>load<u8>(<usize>(va + load<u64>(e, 24)));
  return loadSlow(va, 1);
}
// @ts-ignore: decorator
@inline function load16(va: u64): u64 {
  const e = tlbEntry(va);
  if (load<u64>(e) == (va & 0xfffffffffffff001)) return <u64>load<u16>(<usize>(va + load<u64>(e, 24)));
  return loadSlow(va, 2);
}
// @ts-ignore: decorator
@inline function load32(va: u64): u64 {
  const e = tlbEntry(va);
  if (load<u64>(e) == (va & 0xfffffffffffff003)) return <u64>load<u32>(<usize>(va + load<u64>(e, 24)));
  return loadSlow(va, 4);
}
// @ts-ignore: decorator
@inline function load64(va: u64): u64 {
  const e = tlbEntry(va);
  if (load<u64>(e) == (va & 0xfffffffffffff007)) return load<u64>(<usize>(va + load<u64>(e, 24)));
  return loadSlow(va, 8);
}
// Stores return true when they took the slow path (which may have faulted
// or touched a device), so the loop checks for that only then.
// @ts-ignore: decorator
@inline function store8(va: u64, v: u64): bool {
  const e = tlbEntry(va);
  if (load<u64>(e, 8) == (va & 0xfffffffffffff000)) {
    store<u8>(<usize>(va + load<u64>(e, 24)), <u8>v);
    return false;
  }
  storeSlow(va, 1, v);
  return true;
}
// @ts-ignore: decorator
@inline function store16(va: u64, v: u64): bool {
  const e = tlbEntry(va);
  if (load<u64>(e, 8) == (va & 0xfffffffffffff001)) {
    store<u16>(<usize>(va + load<u64>(e, 24)), <u16>v);
    return false;
  }
  storeSlow(va, 2, v);
  return true;
}
// @ts-ignore: decorator
@inline function store32(va: u64, v: u64): bool {
  const e = tlbEntry(va);
  if (load<u64>(e, 8) == (va & 0xfffffffffffff003)) {
    store<u32>(<usize>(va + load<u64>(e, 24)), <u32>v);
    return false;
  }
  storeSlow(va, 4, v);
  return true;
}
// @ts-ignore: decorator
@inline function store64(va: u64, v: u64): bool {
  const e = tlbEntry(va);
  if (load<u64>(e, 8) == (va & 0xfffffffffffff007)) {
    store<u64>(<usize>(va + load<u64>(e, 24)), v);
    return false;
  }
  storeSlow(va, 8, v);
  return true;
}

// ---- integer helpers

// @ts-ignore: decorator
@inline function sext32(v: u64): u64 {
  return <u64>(<i64>(<i32>(<u32>v)));
}

function mulhu(a: u64, b: u64): u64 {
  const aL = a & 0xffffffff;
  const aH = a >> 32;
  const bL = b & 0xffffffff;
  const bH = b >> 32;
  const ll = aL * bL;
  const lh = aL * bH;
  const hl = aH * bL;
  const hh = aH * bH;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}
function mulh(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  if (<i64>b < 0) r -= a;
  return r;
}
function mulhsu(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  return r;
}
// SPEC: M extension 7.2: division by zero and overflow do not trap.
function div64(a: u64, b: u64): u64 {
  if (b == 0) return 0xffffffffffffffff;
  if (a == 0x8000000000000000 && b == 0xffffffffffffffff) return a;
  return <u64>(<i64>a / <i64>b);
}
function rem64(a: u64, b: u64): u64 {
  if (b == 0) return a;
  if (a == 0x8000000000000000 && b == 0xffffffffffffffff) return 0;
  return <u64>(<i64>a % <i64>b);
}
function div32(a: u64, b: u64): u64 {
  const x = <i32>a;
  const y = <i32>b;
  if (y == 0) return 0xffffffffffffffff;
  if (x == i32.MIN_VALUE && y == -1) return sext32(<u64><u32>x);
  return <u64>(<i64>(x / y));
}
function rem32(a: u64, b: u64): u64 {
  const x = <i32>a;
  const y = <i32>b;
  if (y == 0) return <u64>(<i64>x);
  if (x == i32.MIN_VALUE && y == -1) return 0;
  return <u64>(<i64>(x % y));
}
function divu32(a: u64, b: u64): u64 {
  const x = <u32>a;
  const y = <u32>b;
  if (y == 0) return 0xffffffffffffffff;
  return sext32(<u64>(x / y));
}
function remu32(a: u64, b: u64): u64 {
  const x = <u32>a;
  const y = <u32>b;
  if (y == 0) return sext32(<u64>x);
  return sext32(<u64>(x % y));
}

// Bit n set when funct5 = n is an A-extension operation (add, swap, lr, sc,
// xor, or, and, min, max, minu, maxu).
const AMO_FUNCT5_VALID: u32 = 0x1111111f;

// Executes one A-extension instruction. Returns the value for rd; raises
// on fault (then rd must not be written).
function execAmo(inst: u32): u64 {
  const f3 = (inst >> 12) & 7;
  const f5 = inst >> 27;
  const va = getX((inst >> 15) & 31);
  const src = getX((inst >> 20) & 31);
  const isWord = f3 == 2;
  if (f3 != 2 && f3 != 3) {
    raise(CAUSE_ILLEGAL, <u64>inst);
    return 0;
  }
  const size: u32 = isWord ? 4 : 8;
  // Decide before touching memory: an unknown funct5 is illegal, not a fault.
  if (((AMO_FUNCT5_VALID >> f5) & 1) == 0) {
    raise(CAUSE_ILLEGAL, <u64>inst);
    return 0;
  }
  if (f5 == 2) {
    // lr
    if (((inst >> 20) & 31) != 0) {
      raise(CAUSE_ILLEGAL, <u64>inst);
      return 0;
    }
    const h = amoHost(va, size, true);
    if (st.excCause >= 0) return 0;
    setReservation(lastAmoPa);
    return isWord ? sext32(<u64>load<u32>(h)) : load<u64>(h);
  }
  if (f5 == 3) {
    // sc: fails (rd=1) unless this hart holds a reservation on the address.
    const h = amoHost(va, size, false);
    if (st.excCause >= 0) return 0;
    const ok = reservation == lastAmoPa;
    setReservation(NO_RESERVATION);
    if (!ok) return 1;
    if (isWord) store<u32>(h, <u32>src);
    else store<u64>(h, src);
    return 0;
  }
  const h = amoHost(va, size, false);
  if (st.excCause >= 0) return 0;
  if (lastAmoPa == reservation) setReservation(NO_RESERVATION);
  const old: u64 = isWord ? sext32(<u64>load<u32>(h)) : load<u64>(h);
  const b: u64 = isWord ? sext32(src) : src;
  let r: u64;
  switch (f5) {
    case 0x01: r = b; break; // amoswap
    case 0x00: r = old + b; break; // amoadd
    case 0x04: r = old ^ b; break; // amoxor
    case 0x0c: r = old & b; break; // amoand
    case 0x08: r = old | b; break; // amoor
    case 0x10: r = <i64>old < <i64>b ? old : b; break; // amomin
    case 0x14: r = <i64>old > <i64>b ? old : b; break; // amomax
    case 0x18: r = old < b ? old : b; break; // amominu
    case 0x1c: r = old > b ? old : b; break; // amomaxu
    default:
      raise(CAUSE_ILLEGAL, <u64>inst);
      return 0;
  }
  if (isWord) {
    // Word min/max compare the sign-extended 32-bit values; unsigned forms
    // compare them too, which orders them like the zero-extended values.
    store<u32>(h, <u32>r);
  } else {
    store<u64>(h, r);
  }
  return old;
}

// Instructions until mtime reaches mtimecmp (when the timer interrupt is
// enabled), so a slice can end exactly there. u64 max when not armed.
function cyclesToTimer(): u64 {
  if ((mie & IRQ_MTI) == 0) return 0xffffffffffffffff;
  const now = mtimeNow();
  if (now >= mtimecmp) return 0;
  const ticks = mtimecmp - now;
  if (ticks > 0x0100000000000000) return 0xffffffffffffffff;
  // The tick boundary is reached after the remaining cycles of this tick.
  const cyc = st.retired + st.idleCycles;
  return ticks * st.CYCLES_PER_TICK - (cyc % st.CYCLES_PER_TICK);
}

// Slice bookkeeping, kept out of the loop's locals (PERF: fewer live
// values in the loop keeps pc and the fetch cache in registers).
// st.retired = sliceBase + (sliceLen - n) while a slice runs.
let sliceBase: u64 = 0;
let sliceLen: i64 = 0;
let budgetLeft: i64 = 0;

// @ts-ignore: decorator
@inline function syncRetired(n: i64): void {
  st.setRetired(sliceBase + <u64>(sliceLen - n));
}

// Ends the slice early after the current instruction: the rest of its
// budget goes back to the run.
// @ts-ignore: decorator
@inline function endSlice(n: i64): void {
  syncRetired(n);
  budgetLeft += n;
  sliceBase = st.retired;
  sliceLen = 0;
}

// Runs up to `budget` instructions. Returns an EXIT_* reason; pc, registers
// and counters are in memory/globals for the host to read.
//
// PERF: inside a slice, retired instructions are counted by the local `n`
// and folded into st.retired ("sync") only before anything that may read a
// counter or take a trap: CSR instructions, slow memory paths, traps, and
// the end of the slice. Every instruction that completes ends its case with
// `continue`; `break` out of the switch means it raised an exception.
export function run(budget: i32): i32 {
  st.clearStop();
  let pc = st.pc;
  budgetLeft = budget;
  while (budgetLeft > 0) {
    const irq = pendingInterrupt();
    if (irq != 0) {
      takeTrap(irq, 0, pc);
      pc = st.pc;
    }
    let slice = budgetLeft;
    const toTimer = cyclesToTimer();
    if (toTimer < <u64>slice) slice = toTimer == 0 ? 1 : <i64>toTimer;
    budgetLeft -= slice;
    let n = slice;
    sliceBase = st.retired;
    sliceLen = slice;
    let fPage = fetchPage;
    let fHost = fetchHost;
    while (n > 0) {
      n--;
      // ---- fetch
      let inst: u32;
      const off = pc - fPage;
      if (off < 0xffe) {
        inst = load<u32>(fHost + <u32>off);
      } else {
        inst = fetchSlow(pc);
        fPage = fetchPage;
        fHost = fetchHost;
        // A fetch fault dispatches the reserved opcode below, which leads
        // to the exception path with the fault kept.
        if (st.excCause >= 0) inst = INST_FAULTED;
      }
      let next: u64;
      // The 16-bit parcel of a compressed instruction: xtval of an illegal
      // compressed instruction holds these bits, not the expansion (as QEMU).
      const parcel = inst & 0xffff;
      if ((inst & 3) != 3) {
        const raw = parcel;
        inst = load<u32>(RVC_TABLE + (raw << 2));
        next = pc + 2;
        if (inst == 0) {
          raise(CAUSE_ILLEGAL, <u64>raw);
          inst = INST_FAULTED;
        }
      } else {
        next = pc + 4;
      }
      const rd = (inst >> 7) & 31;
      const rs1 = (inst >> 15) & 31;
      const rs2 = (inst >> 20) & 31;
      const f3 = (inst >> 12) & 7;
      switch ((inst >> 2) & 31) {
        case 0x0d: // LUI
          setX(rd, <u64>(<i64>(<i32>(inst & 0xfffff000))));
          setX(0, 0);
          pc = next;
          continue;
        case 0x05: // AUIPC
          setX(rd, pc + <u64>(<i64>(<i32>(inst & 0xfffff000))));
          setX(0, 0);
          pc = next;
          continue;
        case 0x1b: { // JAL
          const imm = ((<i32>(inst & 0x80000000)) >> 11) | <i32>(inst & 0xff000) |
            <i32>((inst >> 9) & 0x800) | <i32>((inst >> 20) & 0x7fe);
          setX(rd, next);
          setX(0, 0);
          pc += <u64>(<i64>imm);
          continue;
        }
        case 0x19: { // JALR
          if (f3 != 0) break;
          const target = (getX(rs1) + <u64>(<i64>((<i32>inst) >> 20))) & ~(<u64>1);
          setX(rd, next);
          setX(0, 0);
          pc = target;
          continue;
        }
        case 0x18: { // BRANCH
          const a = getX(rs1);
          const b = getX(rs2);
          let taken: bool;
          switch (f3) {
            case 0: taken = a == b; break;
            case 1: taken = a != b; break;
            case 4: taken = <i64>a < <i64>b; break;
            case 5: taken = <i64>a >= <i64>b; break;
            case 6: taken = a < b; break;
            case 7: taken = a >= b; break;
            default: taken = false;
          }
          if (f3 == 2 || f3 == 3) break;
          if (taken) {
            const imm = ((<i32>(inst & 0x80000000)) >> 19) | <i32>((inst & 0x80) << 4) |
              <i32>((inst >> 20) & 0x7e0) | <i32>((inst >> 7) & 0x1e);
            pc += <u64>(<i64>imm);
          } else {
            pc = next;
          }
          continue;
        }
        case 0x00: { // LOAD
          if (f3 == 7) break;
          const va = getX(rs1) + <u64>(<i64>((<i32>inst) >> 20));
          const sizeMask: u64 = (1 << (f3 & 3)) - 1;
          const e = dataTlb + ((<u32>(va >> 12) & TLB_MASK) << 5);
          let raw: u64;
          if (load<u64>(e) == (va & (0xfffffffffffff000 | sizeMask))) {
            const h = <usize>(va + load<u64>(e, 24));
            switch (f3 & 3) {
              case 0: raw = <u64>load<u8>(h); break;
              case 1: raw = <u64>load<u16>(h); break;
              case 2: raw = <u64>load<u32>(h); break;
              default: raw = load<u64>(h);
            }
          } else {
            syncRetired(n);
            raw = loadSlow(va, <u32>sizeMask + 1);
            if (st.excCause >= 0) break;
          }
          let v: u64;
          switch (f3) {
            case 0: v = <u64>(<i64>(<i8>raw)); break;
            case 1: v = <u64>(<i64>(<i16>raw)); break;
            case 2: v = sext32(raw); break;
            default: v = raw;
          }
          setX(rd, v);
          setX(0, 0);
          pc = next;
          continue;
        }
        case 0x08: { // STORE
          if (f3 > 3) break;
          const va = getX(rs1) + <u64>(<i64>((<i32>(inst & 0xfe000000)) >> 20) | ((inst >> 7) & 0x1f));
          const v = getX(rs2);
          const sizeMask: u64 = (1 << f3) - 1;
          const e = dataTlb + ((<u32>(va >> 12) & TLB_MASK) << 5);
          if (load<u64>(e, 8) == (va & (0xfffffffffffff000 | sizeMask))) {
            const h = <usize>(va + load<u64>(e, 24));
            switch (f3) {
              case 0: store<u8>(h, <u8>v); break;
              case 1: store<u16>(h, <u16>v); break;
              case 2: store<u32>(h, <u32>v); break;
              default: store<u64>(h, v);
            }
            pc = next;
            continue;
          }
          syncRetired(n);
          storeSlow(va, <u32>sizeMask + 1, v);
          if (st.excCause >= 0) break;
          pc = next;
          if (st.breakSlice) {
            // A device asked for attention: leave the slice after this instruction.
            endSlice(n);
            n = 0;
          }
          continue;
        }
        case 0x04: { // OP-IMM
          // slli/srli/srai: above the 6-bit shamt only srai's bit 30 may be set.
          if ((f3 & 3) == 1) {
            const top = inst >> 26;
            if (top != 0 && (f3 == 1 || top != 0x10)) break;
          }
          const a = getX(rs1);
          const imm = <u64>(<i64>((<i32>inst) >> 20));
          let r: u64;
          switch (f3) {
            case 0: r = a + imm; break;
            case 1: r = a << (imm & 63); break;
            case 2: r = <i64>a < <i64>imm ? 1 : 0; break;
            case 3: r = a < imm ? 1 : 0; break;
            case 4: r = a ^ imm; break;
            case 5: r = (inst >> 30) != 0 ? <u64>(<i64>a >> <i64>(imm & 63)) : a >> (imm & 63); break;
            case 6: r = a | imm; break;
            default: r = a & imm;
          }
          setX(rd, r);
          setX(0, 0);
          pc = next;
          continue;
        }
        case 0x06: { // OP-IMM-32
          const a = getX(rs1);
          const imm = (<i32>inst) >> 20;
          let r: u64 = 0;
          if (f3 == 0) r = sext32(<u64>(<u32>a + <u32>imm));
          else if (f3 == 1 && (inst >> 25) == 0) r = sext32(<u64>(<u32>a << (<u32>imm & 31)));
          else if (f3 == 5 && (inst >> 25) == 0) r = sext32(<u64>(<u32>a >> (<u32>imm & 31)));
          else if (f3 == 5 && (inst >> 25) == 0x20) r = <u64>(<i64>((<i32>a) >> (<i32>imm & 31)));
          else break;
          setX(rd, r);
          setX(0, 0);
          pc = next;
          continue;
        }
        case 0x0c: { // OP
          const a = getX(rs1);
          const b = getX(rs2);
          const f7 = inst >> 25;
          let r: u64 = 0;
          if (f7 == 0) {
            switch (f3) {
              case 0: r = a + b; break;
              case 1: r = a << (b & 63); break;
              case 2: r = <i64>a < <i64>b ? 1 : 0; break;
              case 3: r = a < b ? 1 : 0; break;
              case 4: r = a ^ b; break;
              case 5: r = a >> (b & 63); break;
              case 6: r = a | b; break;
              default: r = a & b;
            }
          } else if (f7 == 0x20 && f3 == 0) {
            r = a - b;
          } else if (f7 == 0x20 && f3 == 5) {
            r = <u64>(<i64>a >> <i64>(b & 63));
          } else if (f7 == 1) {
            switch (f3) {
              case 0: r = a * b; break;
              case 1: r = mulh(a, b); break;
              case 2: r = mulhsu(a, b); break;
              case 3: r = mulhu(a, b); break;
              case 4: r = div64(a, b); break;
              case 5: r = b == 0 ? 0xffffffffffffffff : a / b; break;
              case 6: r = rem64(a, b); break;
              default: r = b == 0 ? a : a % b;
            }
          } else break;
          setX(rd, r);
          setX(0, 0);
          pc = next;
          continue;
        }
        case 0x0e: { // OP-32
          const a = getX(rs1);
          const b = getX(rs2);
          const f7 = inst >> 25;
          let r: u64 = 0;
          if (f7 == 0 && f3 == 0) r = sext32(<u64>(<u32>a + <u32>b));
          else if (f7 == 0 && f3 == 1) r = sext32(<u64>(<u32>a << (<u32>b & 31)));
          else if (f7 == 0 && f3 == 5) r = sext32(<u64>(<u32>a >> (<u32>b & 31)));
          else if (f7 == 0x20 && f3 == 0) r = sext32(<u64>(<u32>a - <u32>b));
          else if (f7 == 0x20 && f3 == 5) r = <u64>(<i64>((<i32>a) >> (<i32>b & 31)));
          else if (f7 == 1 && f3 == 0) r = sext32(<u64>(<u32>a * <u32>b));
          else if (f7 == 1 && f3 == 4) r = div32(a, b);
          else if (f7 == 1 && f3 == 5) r = divu32(a, b);
          else if (f7 == 1 && f3 == 6) r = rem32(a, b);
          else if (f7 == 1 && f3 == 7) r = remu32(a, b);
          else break;
          setX(rd, r);
          setX(0, 0);
          pc = next;
          continue;
        }
        case 0x03: // MISC-MEM: fence, fence.i
          // No decode cache and one hart: memory order is already total.
          if (f3 > 1) break;
          pc = next;
          continue;
        case 0x0b: { // AMO
          syncRetired(n);
          const r = execAmo(inst);
          if (st.excCause >= 0) break;
          setX(rd, r);
          setX(0, 0);
          pc = next;
          continue;
        }
        case 0x01: { // LOAD-FP
          if (fsOff() || (f3 != 2 && f3 != 3)) break;
          syncRetired(n);
          const va = getX(rs1) + <u64>(<i64>((<i32>inst) >> 20));
          const v = f3 == 2 ? load32(va) | 0xffffffff00000000 : load64(va);
          if (st.excCause >= 0) break;
          setF(rd, v);
          markFsDirty();
          pc = next;
          continue;
        }
        case 0x09: { // STORE-FP
          if (fsOff() || (f3 != 2 && f3 != 3)) break;
          syncRetired(n);
          const va = getX(rs1) + <u64>(<i64>((<i32>(inst & 0xfe000000)) >> 20) | ((inst >> 7) & 0x1f));
          if (f3 == 2) store32(va, getF(rs2));
          else store64(va, getF(rs2));
          if (st.excCause >= 0) break;
          pc = next;
          continue;
        }
        case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: // FMADD..FNMADD, OP-FP
          if (fsOff() || !execFp(inst)) break;
          markFsDirty();
          pc = next;
          continue;
        case 0x1c: { // SYSTEM
          syncRetired(n);
          if (f3 == 0) {
            const fn = inst >> 20;
            if (rd != 0) break;
            if ((inst >> 25) == 0x09) {
              // sfence.vma: drop all translations (ASIDs and addresses are not tracked yet).
              if (st.priv == PRV_U || (st.priv == PRV_S && (mstatus & MSTATUS_TVM) != 0)) break;
              flushTlb();
              pc = next;
              endSlice(n);
              n = 0;
              continue;
            }
            if (rs1 != 0) break;
            if (fn == 0x000) { raise(CAUSE_ECALL_U + <i32>st.priv, 0); break; }
            // QEMU leaves xtval 0 for ebreak (the spec allows 0 or the pc).
            if (fn == 0x001) { raise(CAUSE_BREAKPOINT, 0); break; }
            if (fn == 0x302) {
              if (st.priv != PRV_M) break;
              doMret();
              pc = st.pc;
              endSlice(n);
              n = 0;
              continue;
            }
            if (fn == 0x102) {
              if (st.priv == PRV_U || (st.priv == PRV_S && (mstatus & MSTATUS_TSR) != 0)) break;
              doSret();
              pc = st.pc;
              endSlice(n);
              n = 0;
              continue;
            }
            if (fn == 0x105) {
              // wfi: TW makes it illegal below M; U-mode may never wait.
              if (st.priv == PRV_U || (st.priv != PRV_M && (mstatus & MSTATUS_TW) != 0)) break;
              pc = next;
              if ((mipValue() & mie) == 0) {
                const wait = cyclesToTimer();
                if (wait == 0xffffffffffffffff) {
                  st.setPc(pc);
                  return EXIT_IDLE;
                }
                // Nothing happens until the timer fires: skip the idle time.
                st.addIdle(wait);
              }
              endSlice(n);
              n = 0;
              continue;
            }
            break;
          }
          if (f3 == 4) break;
          const csr = inst >> 20;
          const old = csrRead(csr);
          if (csrIllegal) break;
          const src: u64 = f3 >= 5 ? <u64>rs1 : getX(rs1);
          const op = f3 & 3;
          // csrrs/csrrc with x0 (or uimm 0) read without writing.
          if (op == 1 || rs1 != 0) {
            const v = op == 1 ? src : op == 2 ? old | src : old & ~src;
            const recheck = csrWrite(csr, v);
            if (csrIllegal) break;
            if (recheck) {
              endSlice(n);
              n = 0;
              fPage = FETCH_NONE;
            }
          }
          setX(rd, old);
          setX(0, 0);
          pc = next;
          continue;
        }
        default:
          break;
      }
      // ---- the instruction did not complete: it raised an exception
      // (or is illegal) and does not retire.
      if (st.excCause < 0) {
        // The fault page's pattern: no page was cached; fetch for real,
        // which raises the fault this pc deserves.
        if (fPage == FETCH_NONE && inst == 0xffffffff) fetchSlow(pc);
        if (st.excCause < 0) raise(CAUSE_ILLEGAL, <u64>inst);
      }
      if (st.excCause == CAUSE_ILLEGAL && next == pc + 2) raise(CAUSE_ILLEGAL, <u64>parcel);
      // The instruction in flight does not retire.
      syncRetired(n);
      st.setRetired(st.retired - 1);
      sliceBase -= 1;
      const cause = <u64>st.excCause;
      st.clearExc();
      if (takeTrap(cause, st.excTval, pc)) return EXIT_HOST_TRAP;
      pc = st.pc;
      endSlice(n);
      n = 0;
    }
    syncRetired(n);
    st.setPc(pc);
    st.clearBreakSlice();
    if (st.stopRequested) return EXIT_STOP;
  }
  return EXIT_BUDGET;
}
