// The interpreter: fetch, decode and execute RV64IMAFDC instructions until
// a budget runs out (unprivileged spec chapters 2-16, privileged spec 3.3).
//
// Two parts. run() holds the dispatch loop for the common instructions:
// integer ALU, branches and jumps, and loads and stores that hit the TLB.
// execOther() executes everything else out of line (slow memory paths, the
// A, F, D and SYSTEM opcodes, fences, illegal encodings, exceptions).
// Interrupts are checked between slices, and a slice ends exactly when the
// timer fires.
//
// PERF: measured on bench/mips (six workloads) and the design study's
// /tmp/proto/work.elf, best of 3 interleaved runs on a noisy 2-core VM;
// each gain below is relative to the step before it. In all, from 235 to
// 330 MIPS on work.elf (+40%) and +37..52% on bench/mips (best of 5).

import {
  RVC_TABLE, X_BASE, F_BASE, getX, setX, getF, setF,
  HOST_PC, HOST_RETIRED, HOST_TRAP_CAUSE, HOST_TRAP_TVAL, HOST_FS,
} from "./layout";
import * as st from "./state";
import {
  PRV_M, PRV_S, PRV_U, EXIT_BUDGET, EXIT_IDLE, EXIT_STOP, EXIT_HOST_TRAP, EXIT_HOST_IRQ, EXIT_WFI,
  raise,
} from "./state";
import {
  csrRead, csrWrite, csrIllegal, mstatus, mie, mipValue, fsOff, markFsDirty, cyclesToTimer,
  MSTATUS_TW, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_FS, MSTATUS_FS_SHIFT,
} from "./csr";
import {
  dataTlb, fetchPage, fetchHost, fetchSlow, loadSlow, storeSlow, amoHost, lastAmoPa,
  reservation, setReservation, flushTlb, invalidateFetchPage, TLB_MASK, FETCH_NONE,
} from "./mmu";
import {
  takeTrap, pendingInterrupt, doMret, doSret, CAUSE_ILLEGAL, CAUSE_BREAKPOINT, CAUSE_ECALL_U,
  hostTrapCause, hostTrapTval, hostIrqMask,
} from "./trap";
import { execFp } from "./fpu";
import {
  sext32, mulh, mulhsu, mulhu, div64, rem64, div32, rem32, divu32, remu32, divu64, remu64,
} from "./muldiv";
import { jitRun, jitResume, jitPending } from "./jit";
import { JIT_HINTS } from "./layout";
import { wfiYields } from "./smp";

const NO_RESERVATION: u64 = 0xffffffffffffffff;
// Major opcode 0b00111 with length bits 11: a reserved (48-bit) encoding
// the dispatch switch sends to its exception path.
const INST_FAULTED: u32 = 0x1f;

// ---- the data TLB fast path (misses go to mmu.ts through execOther)

// The entry for va: (index << 5) straight from the low word of va.
// @ts-ignore: decorator
@inline function tlbEntry(va: u64): u32 {
  return dataTlb + ((<u32>va >> 7) & (TLB_MASK << 5));
}
// The host address of va through TLB entry e: va + addend wraps to 32 bits,
// so only the low words matter and a 32-bit add does.
// @ts-ignore: decorator
@inline function tlbHost(va: u64, e: u32): usize {
  return <u32>va + load<u32>(e, 24);
}

// ---- the translator's hints (jit.ts)

// After a jump to pc: counts down pc's hint; true when it runs out, and
// run() must offer pc to jitRun(). PERF: a load, a store and a compare, on
// jal, jalr and backward taken branches only.
// @ts-ignore: decorator
@inline function hintExpired(pc: u64): bool {
  const h = JIT_HINTS + (<u32>pc & 0x1ffe);
  const c = load<u16>(h) - 1;
  store<u16>(h, <u16>c);
  return c == 0;
}
// The value `inst` holds when the loop leaves its switch for jitRun()
// after a jump: no instruction after expansion has low bits 01.
const JIT_MARK: u32 = 1;

// ---- decoding

// The index run() dispatches on: major opcode (bits 6:2) and funct3.
// @ts-ignore: decorator
@inline function OP(opcode: u32, funct3: u32): u32 {
  return opcode | (funct3 << 5);
}
// Immediates, sign-extended to 64 bits (unprivileged spec 2.3).
// @ts-ignore: decorator
@inline function immI(inst: u32): u64 {
  return <u64>(<i64>((<i32>inst) >> 20));
}
// @ts-ignore: decorator
@inline function immS(inst: u32): u64 {
  return <u64>(<i64>(((<i32>(inst & 0xfe000000)) >> 20) | <i32>((inst >> 7) & 0x1f)));
}
// @ts-ignore: decorator
@inline function immB(inst: u32): u64 {
  return <u64>(<i64>(((<i32>(inst & 0x80000000)) >> 19) | <i32>((inst & 0x80) << 4) |
    <i32>((inst >> 20) & 0x7e0) | <i32>((inst >> 7) & 0x1e)));
}
// @ts-ignore: decorator
@inline function immJ(inst: u32): u64 {
  return <u64>(<i64>(((<i32>(inst & 0x80000000)) >> 11) | <i32>(inst & 0xff000) |
    <i32>((inst >> 9) & 0x800) | <i32>((inst >> 20) & 0x7fe)));
}

// Register file access by byte offset (register number << 3), for run().
// PERF (+3..6% on all workloads): a field extracts as its offset with one
// shift and mask, and the base folds into the wasm load's offset, so a
// register access is a mask and one x64 load or store.
// @ts-ignore: decorator
@inline function xr(off: u32): u64 {
  return load<u64>(off, X_BASE);
}
// @ts-ignore: decorator
@inline function xw(off: u32, v: u64): void {
  store<u64>(off, v, X_BASE);
}

// The same for the F registers.
// @ts-ignore: decorator
@inline function fr(off: u32): u64 {
  return load<u64>(off, F_BASE);
}
// @ts-ignore: decorator
@inline function fw(off: u32, v: u64): void {
  store<u64>(off, v, F_BASE);
}

// ---- integer helpers: muldiv.ts (@inline: run()'s loop must not call out, see run())

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

// Slice bookkeeping, kept out of the loop's locals.
// st.retired = sliceBase + (sliceLen - n) while a slice runs, where n is the
// loop's count of instructions left in the slice (the one in flight
// already counted as retired).
let sliceBase: u64 = 0;
let sliceLen: i64 = 0;
let budgetLeft: i64 = 0;
// The loop's n while it calls out (see run()).
let nLeft: i64 = 0;

// @ts-ignore: decorator
@inline function syncRetired(): void {
  st.setRetired(sliceBase + <u64>(sliceLen - nLeft));
}

// Ends the slice after the current instruction: the rest of its budget goes
// back to the run, and the loop re-checks interrupts.
function endSlice(): void {
  syncRetired();
  budgetLeft += nLeft;
  sliceBase = st.retired;
  sliceLen = 0;
  nLeft = 0;
}

// Status of execOther(): continue the slice (pc and nLeft may have
// changed), or leave run() with an EXIT_* reason.
const CONTINUE: i32 = -1;

// Executes the instruction at st.pc that the fast loop in run() did not
// complete: slow memory accesses (TLB miss, misaligned, MMIO), the rarely
// used opcodes (A, F, D, SYSTEM, fences), illegal encodings, and
// exceptions raised by the fetch. `next` is the address after it.
// Updates st.pc and nLeft; returns CONTINUE or an EXIT_* reason.
function execOther(inst: u32, next: u64): i32 {
  const pc = st.pc;
  syncRetired();
  if (st.excCause < 0) {
    const rd = (inst >> 7) & 31;
    const rs1 = (inst >> 15) & 31;
    const rs2 = (inst >> 20) & 31;
    const f3 = (inst >> 12) & 7;
    switch ((inst >> 2) & 31) {
      case 0x00: { // LOAD
        // inst 0 is the RVC table's mark for an illegal compressed instruction.
        if (f3 == 7 || inst == 0) break;
        const va = getX(rs1) + <u64>(<i64>((<i32>inst) >> 20));
        const raw = loadSlow(va, <u32>1 << (f3 & 3));
        if (st.excCause >= 0) break;
        let v: u64;
        switch (f3) {
          case 0: v = <u64>(<i64>(<i8>raw)); break;
          case 1: v = <u64>(<i64>(<i16>raw)); break;
          case 2: v = sext32(raw); break;
          default: v = raw;
        }
        setX(rd, v);
        setX(0, 0);
        st.setPc(next);
        return CONTINUE;
      }
      case 0x08: { // STORE
        if (f3 > 3) break;
        const va = getX(rs1) + <u64>(<i64>((<i32>(inst & 0xfe000000)) >> 20) | ((inst >> 7) & 0x1f));
        storeSlow(va, <u32>1 << f3, getX(rs2));
        if (st.excCause >= 0) break;
        st.setPc(next);
        // A device asked for attention: leave the slice after this instruction.
        if (st.breakSlice) endSlice();
        return CONTINUE;
      }
      case 0x03: // MISC-MEM: fence, fence.i
        // No decode cache and one hart: memory order is already total.
        if (f3 > 1) break;
        st.setPc(next);
        return CONTINUE;
      case 0x0b: { // AMO
        const r = execAmo(inst);
        if (st.excCause >= 0) break;
        setX(rd, r);
        setX(0, 0);
        st.setPc(next);
        return CONTINUE;
      }
      case 0x01: { // LOAD-FP
        if (fsOff() || (f3 != 2 && f3 != 3)) break;
        const va = getX(rs1) + <u64>(<i64>((<i32>inst) >> 20));
        const v = f3 == 2 ? loadSlow(va, 4) | 0xffffffff00000000 : loadSlow(va, 8);
        if (st.excCause >= 0) break;
        setF(rd, v);
        markFsDirty();
        st.setPc(next);
        return CONTINUE;
      }
      case 0x09: { // STORE-FP
        if (fsOff() || (f3 != 2 && f3 != 3)) break;
        const va = getX(rs1) + <u64>(<i64>((<i32>(inst & 0xfe000000)) >> 20) | ((inst >> 7) & 0x1f));
        storeSlow(va, f3 == 2 ? 4 : 8, getF(rs2));
        if (st.excCause >= 0) break;
        st.setPc(next);
        return CONTINUE;
      }
      case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: // FMADD..FNMADD, OP-FP
        if (fsOff() || !execFp(inst)) break;
        markFsDirty();
        st.setPc(next);
        return CONTINUE;
      case 0x1c: { // SYSTEM
        if (f3 == 0) {
          const fn = inst >> 20;
          if (rd != 0) break;
          if ((inst >> 25) == 0x09) {
            // sfence.vma: drop all translations (ASIDs and addresses are not tracked yet).
            if (st.priv == PRV_U || (st.priv == PRV_S && (mstatus & MSTATUS_TVM) != 0)) break;
            flushTlb();
            st.setPc(next);
            endSlice();
            return CONTINUE;
          }
          if (rs1 != 0) break;
          if (fn == 0x000) { raise(CAUSE_ECALL_U + <i32>st.priv, 0); break; }
          // QEMU leaves xtval 0 for ebreak (the spec allows 0 or the pc).
          if (fn == 0x001) { raise(CAUSE_BREAKPOINT, 0); break; }
          if (fn == 0x302) {
            if (st.priv != PRV_M) break;
            doMret();
            endSlice();
            return CONTINUE;
          }
          if (fn == 0x102) {
            if (st.priv == PRV_U || (st.priv == PRV_S && (mstatus & MSTATUS_TSR) != 0)) break;
            doSret();
            endSlice();
            return CONTINUE;
          }
          if (fn == 0x105) {
            // wfi: TW makes it illegal below M; U-mode may never wait.
            if (st.priv == PRV_U || (st.priv != PRV_M && (mstatus & MSTATUS_TW) != 0)) break;
            st.setPc(next);
            if ((mipValue() & mie) == 0) {
              // With several harts the host runs another one meanwhile.
              if (wfiYields) return EXIT_WFI;
              const wait = cyclesToTimer();
              if (wait == 0xffffffffffffffff) return EXIT_IDLE;
              // Nothing happens until the timer fires: skip the idle time.
              st.addIdle(wait);
            }
            endSlice();
            return CONTINUE;
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
            // Translation or interrupts may have changed.
            endSlice();
            invalidateFetchPage();
          }
        }
        setX(rd, old);
        setX(0, 0);
        st.setPc(next);
        return CONTINUE;
      }
      default:
        break;
    }
  }
  // ---- the instruction did not complete: it raised an exception
  // (or is illegal) and does not retire.
  if (st.excCause < 0) {
    // The fault page's pattern: no page was cached; fetch for real,
    // which raises the fault this pc deserves.
    if (fetchPage == FETCH_NONE && inst == 0xffffffff) fetchSlow(pc);
    if (st.excCause < 0) raise(CAUSE_ILLEGAL, <u64>inst);
  }
  if (st.excCause == CAUSE_ILLEGAL && next == pc + 2) {
    // xtval of an illegal compressed instruction holds its 16 bits, not
    // the expansion (as QEMU). A compressed instruction never crosses a
    // page, so the fetch cache still holds it.
    raise(CAUSE_ILLEGAL, <u64>load<u16>(fetchHost + <u32>(pc - fetchPage)));
  }
  // The instruction in flight does not retire.
  st.setRetired(st.retired - 1);
  sliceBase -= 1;
  const cause = <u64>st.excCause;
  st.clearExc();
  if (takeTrap(cause, st.excTval, pc)) return EXIT_HOST_TRAP;
  endSlice();
  return CONTINUE;
}

// Runs up to `budget` instructions. Returns an EXIT_* reason; pc, registers
// and counters are in memory/globals for the host to read.
//
// Inside a slice, retired instructions are counted by the local `n` and
// folded into st.retired only when calling out and at the end of the slice.
// Every instruction that completes ends its case with `continue`; `break`
// out of the switch hands the instruction to execOther().
//
// PERF, the loop's shape (each measured, see the file comment):
// - No calls except fetchSlow() and execOther(), and around those the loop's
//   state goes through globals (st.pc, nLeft) and the fetch cache is
//   reloaded: no value of the loop is live across a call. V8 spills every
//   value that is live across a call at its definition, that is on every
//   instruction; moving the cold opcodes and slow paths out (execOther) and
//   keeping the rest call-free gave +19% on work.elf, +14..23% on bench/mips.
// - One br_table on opcode and funct3 together (see the switch): +10..20%.
// - The next pc is chosen by a branch on the length bits, never computed
//   from the fetched bits: a computed one puts the fetch and RVC table loads
//   on the pc's dependency chain (tried: -30%). Guest branches stay host
//   branches for the same reason (a select was 0..-4%).
// - Tried and dropped: tracking pc as a host pointer with a page limit
//   (-5..9%), the fetch cache in globals instead of locals (0..-3%), i32
//   counters, a do-while loop (no difference). V8 tiers run() up to
//   TurboFan within the first slices; --no-liftoff changed start-up by
//   under 5 ms, so the host sets no V8 flags.
// One call from the host: run up to `budget` instructions from the pc in
// the host block, then leave the pc, the retired count and (for a host trap)
// its cause and tval there (layout.ts).
export function run(budget: i32): i32 {
  st.setPc(load<u64>(HOST_PC));
  const exit = runBudget(budget);
  store<u64>(HOST_PC, st.pc);
  store<u64>(HOST_RETIRED, st.retired);
  store<u32>(HOST_FS, <u32>((mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT));
  if (exit == EXIT_HOST_TRAP) {
    store<u64>(HOST_TRAP_CAUSE, hostTrapCause);
    store<u64>(HOST_TRAP_TVAL, hostTrapTval);
  }
  return exit;
}

function runBudget(budget: i32): i32 {
  st.clearStop();
  budgetLeft = budget;
  while (budgetLeft > 0) {
    // A line the host kernel takes: stop before the next instruction.
    if ((mipValue() & hostIrqMask) != 0) return EXIT_HOST_IRQ;
    const irq = pendingInterrupt();
    if (irq != 0) takeTrap(irq, 0, st.pc);
    let slice = budgetLeft;
    const toTimer = cyclesToTimer();
    if (toTimer < <u64>slice) slice = toTimer == 0 ? 1 : <i64>toTimer;
    budgetLeft -= slice;
    sliceBase = st.retired;
    sliceLen = slice;
    let n = slice;
    // Translated code stopped for an instruction that left run() (a system
    // call): go back in where the thread resumes.
    if (jitPending) n = jitResume(st.pc, n);
    let pc = st.pc;
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
        // Page change or an instruction straddling two pages.
        st.setPc(pc);
        nLeft = n;
        inst = fetchSlow(pc);
        pc = st.pc;
        n = nLeft;
        fPage = fetchPage;
        fHost = fetchHost;
        // A fetch fault dispatches the reserved opcode below, which leads
        // to execOther() with the fault kept.
        if (st.excCause >= 0) inst = INST_FAULTED;
      }
      let next: u64;
      if ((inst & 3) != 3) {
        // Compressed: expand. An illegal one expands to 0, which decodes as
        // lb x0, 0(x0); the lb case below hands it to execOther().
        inst = load<u32>(RVC_TABLE + ((inst & 0xffff) << 2));
        next = pc + 2;
      } else {
        next = pc + 4;
      }
      // Register fields as byte offsets into the register file (PERF: one
      // shift and mask each; see xr/xw).
      const rd = (inst >> 4) & 0xf8;
      const rs1 = (inst >> 12) & 0xf8;
      const rs2 = (inst >> 17) & 0xf8;
      // One dispatch on the major opcode and funct3 together, index
      // opcode[6:2] | funct3 << 5 (see OP()): one indirect jump per
      // instruction instead of a second one on funct3 (+10..20%).
      // x = inst & 0x707c; x * 33 >> 7 is (x >> 2) + (x >> 7) with no
      // carries between the parts (fewer x64 instructions than two shifts
      // and masks, +1..3%).
      //
      // TRICKY: the switch must compile to one br_table. AssemblyScript
      // emits a chain of compares and Binaryen turns it into a table only
      // when the cases are dense enough (count * 3 >= index range) and only
      // at shrinkLevel 0 (asconfig.json); the cold cases at the end are
      // listed for the density. Check build/core.wat for the ~254-entry
      // br_table in run() after changing the cases: as a compare chain the
      // loop runs at a quarter of the speed.
      switch ((((inst & 0x707c) * 33) >> 7) & 0xff) {
        case OP(0x0d, 0): case OP(0x0d, 1): case OP(0x0d, 2): case OP(0x0d, 3):
        case OP(0x0d, 4): case OP(0x0d, 5): case OP(0x0d, 6): case OP(0x0d, 7): // LUI
          xw(rd, <u64>(<i64>(<i32>(inst & 0xfffff000))));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x05, 0): case OP(0x05, 1): case OP(0x05, 2): case OP(0x05, 3):
        case OP(0x05, 4): case OP(0x05, 5): case OP(0x05, 6): case OP(0x05, 7): // AUIPC
          xw(rd, pc + <u64>(<i64>(<i32>(inst & 0xfffff000))));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x1b, 0): case OP(0x1b, 1): case OP(0x1b, 2): case OP(0x1b, 3):
        case OP(0x1b, 4): case OP(0x1b, 5): case OP(0x1b, 6): case OP(0x1b, 7): // JAL
          xw(rd, next);
          xw(0, 0);
          pc += immJ(inst);
          if (hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;
        case OP(0x19, 0): { // JALR
          const target = (xr(rs1) + immI(inst)) & ~(<u64>1);
          xw(rd, next);
          xw(0, 0);
          pc = target;
          if (hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;
        }

        // ---- BRANCH
        case OP(0x18, 0): // beq
          if (!(xr(rs1) == xr(rs2))) {
            pc = next;
            continue;
          }
          pc += immB(inst);
          // Backward (immB's sign is inst bit 31): a loop.
          if (<i32>inst < 0 && hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;
        case OP(0x18, 1): // bne
          if (!(xr(rs1) != xr(rs2))) {
            pc = next;
            continue;
          }
          pc += immB(inst);
          // Backward (immB's sign is inst bit 31): a loop.
          if (<i32>inst < 0 && hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;
        case OP(0x18, 4): // blt
          if (!(<i64>xr(rs1) < <i64>xr(rs2))) {
            pc = next;
            continue;
          }
          pc += immB(inst);
          // Backward (immB's sign is inst bit 31): a loop.
          if (<i32>inst < 0 && hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;
        case OP(0x18, 5): // bge
          if (!(<i64>xr(rs1) >= <i64>xr(rs2))) {
            pc = next;
            continue;
          }
          pc += immB(inst);
          // Backward (immB's sign is inst bit 31): a loop.
          if (<i32>inst < 0 && hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;
        case OP(0x18, 6): // bltu
          if (!(xr(rs1) < xr(rs2))) {
            pc = next;
            continue;
          }
          pc += immB(inst);
          // Backward (immB's sign is inst bit 31): a loop.
          if (<i32>inst < 0 && hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;
        case OP(0x18, 7): // bgeu
          if (!(xr(rs1) >= xr(rs2))) {
            pc = next;
            continue;
          }
          pc += immB(inst);
          // Backward (immB's sign is inst bit 31): a loop.
          if (<i32>inst < 0 && hintExpired(pc)) {
            inst = JIT_MARK;
            break;
          }
          continue;

        // ---- LOAD: the TLB hit; anything else goes to execOther()
        case OP(0x00, 0): { // lb
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff000) || inst == 0) break;
          xw(rd, <u64>load<i8>(tlbHost(va, e)));
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x00, 1): { // lh
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff001)) break;
          xw(rd, <u64>load<i16>(tlbHost(va, e)));
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x00, 2): { // lw
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff003)) break;
          xw(rd, <u64>load<i32>(tlbHost(va, e)));
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x00, 3): { // ld
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff007)) break;
          xw(rd, load<u64>(tlbHost(va, e)));
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x00, 4): { // lbu
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff000)) break;
          xw(rd, <u64>load<u8>(tlbHost(va, e)));
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x00, 5): { // lhu
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff001)) break;
          xw(rd, <u64>load<u16>(tlbHost(va, e)));
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x00, 6): { // lwu
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff003)) break;
          xw(rd, <u64>load<u32>(tlbHost(va, e)));
          xw(0, 0);
          pc = next;
          continue;
        }

        // ---- STORE: the TLB hit; anything else goes to execOther()
        case OP(0x08, 0): { // sb
          const va = xr(rs1) + immS(inst);
          const e = tlbEntry(va);
          if (load<u64>(e, 8) != (va & 0xfffffffffffff000)) break;
          store<u8>(tlbHost(va, e), <u8>xr(rs2));
          pc = next;
          continue;
        }
        case OP(0x08, 1): { // sh
          const va = xr(rs1) + immS(inst);
          const e = tlbEntry(va);
          if (load<u64>(e, 8) != (va & 0xfffffffffffff001)) break;
          store<u16>(tlbHost(va, e), <u16>xr(rs2));
          pc = next;
          continue;
        }
        case OP(0x08, 2): { // sw
          const va = xr(rs1) + immS(inst);
          const e = tlbEntry(va);
          if (load<u64>(e, 8) != (va & 0xfffffffffffff003)) break;
          store<u32>(tlbHost(va, e), <u32>xr(rs2));
          pc = next;
          continue;
        }
        case OP(0x08, 3): { // sd
          const va = xr(rs1) + immS(inst);
          const e = tlbEntry(va);
          if (load<u64>(e, 8) != (va & 0xfffffffffffff007)) break;
          store<u64>(tlbHost(va, e), xr(rs2));
          pc = next;
          continue;
        }

        // ---- LOAD-FP, STORE-FP: the TLB hit, with the F extension on.
        // PERF: here rather than in execOther(), where a D matrix multiply
        // (one third fld) ran 7% slower than the old core; now 5% faster.
        case OP(0x01, 2): { // flw: NaN-boxed into the 64-bit register
          if (fsOff()) break;
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff003)) break;
          fw(rd, <u64>load<u32>(tlbHost(va, e)) | 0xffffffff00000000);
          markFsDirty();
          pc = next;
          continue;
        }
        case OP(0x01, 3): { // fld
          if (fsOff()) break;
          const va = xr(rs1) + immI(inst);
          const e = tlbEntry(va);
          if (load<u64>(e) != (va & 0xfffffffffffff007)) break;
          fw(rd, load<u64>(tlbHost(va, e)));
          markFsDirty();
          pc = next;
          continue;
        }
        case OP(0x09, 2): { // fsw
          if (fsOff()) break;
          const va = xr(rs1) + immS(inst);
          const e = tlbEntry(va);
          if (load<u64>(e, 8) != (va & 0xfffffffffffff003)) break;
          store<u32>(tlbHost(va, e), <u32>fr(rs2));
          pc = next;
          continue;
        }
        case OP(0x09, 3): { // fsd
          if (fsOff()) break;
          const va = xr(rs1) + immS(inst);
          const e = tlbEntry(va);
          if (load<u64>(e, 8) != (va & 0xfffffffffffff007)) break;
          store<u64>(tlbHost(va, e), fr(rs2));
          pc = next;
          continue;
        }

        // ---- OP-IMM
        case OP(0x04, 0): // addi
          xw(rd, xr(rs1) + immI(inst));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x04, 1): // slli: above the 6-bit shamt all bits must be 0
          if ((inst >> 26) != 0) break;
          xw(rd, xr(rs1) << ((inst >> 20) & 63));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x04, 2): // slti
          xw(rd, <i64>xr(rs1) < <i64>immI(inst) ? 1 : 0);
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x04, 3): // sltiu
          xw(rd, xr(rs1) < immI(inst) ? 1 : 0);
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x04, 4): // xori
          xw(rd, xr(rs1) ^ immI(inst));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x04, 5): { // srli, srai: above the shamt only srai's bit 30 may be set
          const top = inst >> 26;
          const sh = <u64>((inst >> 20) & 63);
          if (top == 0) xw(rd, xr(rs1) >> sh);
          else if (top == 0x10) xw(rd, <u64>(<i64>xr(rs1) >> sh));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x04, 6): // ori
          xw(rd, xr(rs1) | immI(inst));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x04, 7): // andi
          xw(rd, xr(rs1) & immI(inst));
          xw(0, 0);
          pc = next;
          continue;

        // ---- OP-IMM-32
        case OP(0x06, 0): // addiw
          xw(rd, sext32(xr(rs1) + immI(inst)));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x06, 1): // slliw
          if ((inst >> 25) != 0) break;
          xw(rd, sext32(<u64>(<u32>xr(rs1) << ((inst >> 20) & 31))));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x06, 5): { // srliw, sraiw
          const f7 = inst >> 25;
          const sh = (inst >> 20) & 31;
          if (f7 == 0) xw(rd, sext32(<u64>(<u32>xr(rs1) >> sh)));
          else if (f7 == 0x20) xw(rd, <u64>(<i64>(<i32>xr(rs1) >> sh)));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }

        // ---- OP: funct7 0 (base), 0x20 (sub, sra) or 1 (M extension)
        case OP(0x0c, 0): { // add, sub, mul
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, a + b);
          else if (f7 == 0x20) xw(rd, a - b);
          else if (f7 == 1) xw(rd, a * b);
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0c, 1): { // sll, mulh
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, a << (b & 63));
          else if (f7 == 1) xw(rd, mulh(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0c, 2): { // slt, mulhsu
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, <i64>a < <i64>b ? 1 : 0);
          else if (f7 == 1) xw(rd, mulhsu(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0c, 3): { // sltu, mulhu
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, a < b ? 1 : 0);
          else if (f7 == 1) xw(rd, mulhu(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0c, 4): { // xor, div
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, a ^ b);
          else if (f7 == 1) xw(rd, div64(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0c, 5): { // srl, sra, divu
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, a >> (b & 63));
          else if (f7 == 0x20) xw(rd, <u64>(<i64>a >> <i64>(b & 63)));
          else if (f7 == 1) xw(rd, divu64(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0c, 6): { // or, rem
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, a | b);
          else if (f7 == 1) xw(rd, rem64(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0c, 7): { // and, remu
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, a & b);
          else if (f7 == 1) xw(rd, remu64(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }

        // ---- OP-32
        case OP(0x0e, 0): { // addw, subw, mulw
          const f7 = inst >> 25;
          const a = <u32>xr(rs1);
          const b = <u32>xr(rs2);
          if (f7 == 0) xw(rd, sext32(<u64>(a + b)));
          else if (f7 == 0x20) xw(rd, sext32(<u64>(a - b)));
          else if (f7 == 1) xw(rd, sext32(<u64>(a * b)));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0e, 1): // sllw
          if ((inst >> 25) != 0) break;
          xw(rd, sext32(<u64>(<u32>xr(rs1) << (<u32>xr(rs2) & 31))));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x0e, 4): // divw
          if ((inst >> 25) != 1) break;
          xw(rd, div32(xr(rs1), xr(rs2)));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x0e, 5): { // srlw, sraw, divuw
          const f7 = inst >> 25;
          const a = xr(rs1);
          const b = xr(rs2);
          if (f7 == 0) xw(rd, sext32(<u64>(<u32>a >> (<u32>b & 31))));
          else if (f7 == 0x20) xw(rd, <u64>(<i64>((<i32>a) >> (<i32>b & 31))));
          else if (f7 == 1) xw(rd, divu32(a, b));
          else break;
          xw(0, 0);
          pc = next;
          continue;
        }
        case OP(0x0e, 6): // remw
          if ((inst >> 25) != 1) break;
          xw(rd, rem32(xr(rs1), xr(rs2)));
          xw(0, 0);
          pc = next;
          continue;
        case OP(0x0e, 7): // remuw
          if ((inst >> 25) != 1) break;
          xw(rd, remu32(xr(rs1), xr(rs2)));
          xw(0, 0);
          pc = next;
          continue;
        // Listed for the br_table (see above); they go to execOther(), as
        // does everything not listed.
        case OP(0x1c, 0): case OP(0x1c, 1): case OP(0x1c, 2): case OP(0x1c, 3):
        case OP(0x1c, 4): case OP(0x1c, 5): case OP(0x1c, 6): case OP(0x1c, 7): // SYSTEM
        case OP(0x03, 0): case OP(0x03, 1): // MISC-MEM
        case OP(0x0b, 2): case OP(0x0b, 3): // AMO
        case OP(0x14, 0): case OP(0x14, 1): case OP(0x14, 2): case OP(0x14, 3):
        case OP(0x14, 4): case OP(0x14, 5): case OP(0x14, 6): case OP(0x14, 7): // OP-FP
        default:
          break;
      }
      // ---- everything else, out of line (see execOther)
      if ((inst & 3) == 1) {
        // The jump to pc has retired; translated code may take over from it.
        n = jitRun(pc, n);
      } else {
        st.setPc(pc);
        nLeft = n;
        const exit = execOther(inst, next);
        if (exit != CONTINUE) return exit;
        n = nLeft;
        // Translated code stopped for the instruction just executed: go back in.
        if (jitPending) n = jitRun(st.pc, n);
      }
      pc = st.pc;
      fPage = fetchPage;
      fHost = fetchHost;
    }
    nLeft = n;
    syncRetired();
    st.setPc(pc);
    st.clearBreakSlice();
    if (st.stopRequested) return EXIT_STOP;
  }
  return EXIT_BUDGET;
}
