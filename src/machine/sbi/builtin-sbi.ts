// mica's built-in SBI firmware (--bios builtin): the M-mode side of the
// Supervisor Binary Interface, in TypeScript. S-mode's ecall ends the
// hart's run (the core's hostTrapMaskS) and lands in handleEcall(), which
// reads a7 (extension), a6 (function) and a0..a5, acts, writes a0 (error)
// and a1 (value), and resumes S-mode after the ecall.
// Source: RISC-V SBI specification v2.0. Where the spec leaves a choice,
// mica does what OpenSBI 1.x does on QEMU virt with Sstc.
//
// Extensions: base, TIME (through Sstc's stimecmp, as OpenSBI does on a hart
// with Sstc), IPI (sets SSIP), RFENCE (flushes the target harts' TLBs),
// HSM, SRST, DBCN, and the legacy set_timer, console_putchar,
// console_getchar and shutdown calls. Everything else returns
// SBI_ERR_NOT_SUPPORTED.

import type { Hart } from "../cpu/hart.js";
import type { StopReason } from "../machine.js";
import {
  HartState,
  type HartStateValue,
  SBI_IMPL_ID_MICA,
  SBI_IMPL_VERSION,
  SBI_SPEC_VERSION,
  SbiBase,
  SbiDbcn,
  SbiError,
  SbiExt,
  SbiHsm,
  SbiRfence,
  SrstReason,
  SrstType,
  SUSPEND_DEFAULT_NON_RETENTIVE,
  SUSPEND_DEFAULT_RETENTIVE,
} from "./sbi-ids.js";

// Registers by ABI name.
const A0 = 10;
const A1 = 11;
const A2 = 12;
const A6 = 16;
const A7 = 17;

const CSR_SIE = 0x104;
const CSR_STVEC = 0x105;
const CSR_SSCRATCH = 0x140;
const CSR_MIP = 0x344;
const CSR_STIMECMP = 0x14d;
const CSR_SATP = 0x180;
const CSR_MSTATUS = 0x300;
const CSR_MEDELEG = 0x302;
const CSR_MIDELEG = 0x303;
const CSR_MIE = 0x304;
const CSR_MCOUNTEREN = 0x306;
const CSR_SCOUNTEREN = 0x106;
const CSR_MENVCFG = 0x30a;
const CSR_MVENDORID = 0xf11;
const CSR_MARCHID = 0xf12;
const CSR_MIMPID = 0xf13;
const MSTATUS_SIE = 1n << 1n;
const MSTATUS_FS = 3n << 13n;
const MIP_SSIP = 1n << 1n;
const MIP_STIP = 1n << 5n;
const MIP_SEIP = 1n << 9n;
const MENVCFG_STCE = 1n << 63n;
const PRV_S = 1;

/**
 * Exceptions the firmware hands to S-mode: every delegable one except
 * ecall from S (cause 9), which is the SBI call itself. OpenSBI delegates
 * fewer and redirects the rest to S-mode after trying to emulate them; mica's
 * hart performs misaligned accesses itself, so nothing is left to emulate.
 */
const MEDELEG_BUILTIN = 0xb3ffn & ~(1n << 9n);
/** Cause 9, ecall from S-mode: the exits that reach handleEcall(). */
export const SBI_HOST_TRAP_MASK_S = 1n << 9n;

const U64 = (v: bigint) => BigInt.asUintN(64, v);

/** An SBI call's result: a0 (error) and a1 (value). */
interface SbiRet {
  readonly error: bigint;
  readonly value: bigint;
}
const ok = (value = 0n): SbiRet => ({ error: SbiError.Success, value });
const fail = (error: bigint): SbiRet => ({ error, value: 0n });

/** What the machine does after an SBI call. */
export type SbiOutcome =
  | { kind: "continue" }
  /** The hart waits for an interrupt (HSM suspend), then continues. */
  | { kind: "wait" }
  /** The hart stopped (HSM hart_stop): run the others. */
  | { kind: "hart-stopped" }
  | { kind: "stop"; reason: StopReason };

const CONTINUE: SbiOutcome = { kind: "continue" };
const WAIT: SbiOutcome = { kind: "wait" };
const HART_STOPPED: SbiOutcome = { kind: "hart-stopped" };

/** The machine's harts as the firmware sees them (Machine provides this). */
export interface SbiHarts {
  readonly hartCount: number;
  /** The core, holding the hart that made the call. */
  readonly hart: Hart;
  /** Runs fn with hart `id` in the core. */
  onHart<T>(id: number, fn: (hart: Hart) => T): T;
  /** Whether hart `id` is scheduled at all (HSM started) or not (stopped). */
  setHartRunnable(id: number, on: boolean): void;
}

export interface SbiPorts {
  /** Console output, one byte. */
  putByte(byte: number): void;
  /** Console input: the next byte, or -1 when none is waiting. */
  getByte(): number;
}

export class BuiltinSbi {
  /** HSM state per hart (index = hart ID). */
  readonly state: HartStateValue[];

  constructor(
    private readonly harts: SbiHarts,
    private readonly ports: SbiPorts,
  ) {
    // Hart 0 boots; the others wait, stopped, for an HSM hart_start (as OpenSBI).
    this.state = Array.from({ length: harts.hartCount }, (_, i) =>
      i === 0 ? HartState.Started : HartState.Stopped,
    );
    for (let i = 1; i < harts.hartCount; i++) harts.setHartRunnable(i, false);
  }

  /**
   * Puts hart `id` in the state OpenSBI leaves a hart in when it enters the
   * next stage: S-mode at `entry` with a0 = hart ID and a1 = arg1, stvec =
   * entry, sie and satp 0, FPU on, counters readable, Sstc enabled, and the
   * delegations above. Also routes the hart's S-mode ecalls to the host.
   */
  enterSupervisor(id: number, entry: bigint, arg1: bigint): void {
    this.harts.onHart(id, (hart) => this.enter(hart, id, entry, arg1));
    this.harts.setHartRunnable(id, true);
    this.state[id] = HartState.Started;
  }

  private enter(hart: Hart, id: number, entry: bigint, arg1: bigint): void {
    const core = hart.core;
    core.setHostTrapMaskS(SBI_HOST_TRAP_MASK_S);
    core.writeCsr(CSR_MEDELEG, MEDELEG_BUILTIN);
    core.writeCsr(CSR_MIDELEG, MIP_SSIP | MIP_STIP | MIP_SEIP);
    core.writeCsr(CSR_MIE, 0n);
    core.writeCsr(CSR_MCOUNTEREN, 0xffff_ffffn);
    core.writeCsr(CSR_SCOUNTEREN, 7n);
    core.writeCsr(CSR_MENVCFG, MENVCFG_STCE);
    core.writeCsr(CSR_STIMECMP, U64(-1n));
    core.writeCsr(CSR_MSTATUS, (core.readCsr(CSR_MSTATUS) | MSTATUS_FS) & ~MSTATUS_SIE);
    core.writeCsr(CSR_STVEC, entry);
    core.writeCsr(CSR_SSCRATCH, 0n);
    core.writeCsr(CSR_SIE, 0n);
    core.writeCsr(CSR_SATP, 0n);
    core.setPriv(PRV_S);
    hart.x[A0] = BigInt(id);
    hart.x[A1] = arg1;
    hart.pc = entry;
  }

  /** Handles the ecall hart `id` made from S-mode (its pc is at the ecall). */
  handleEcall(id: number): SbiOutcome {
    const hart = this.harts.hart;
    const x = hart.x;
    hart.pc += 4n;
    if (x[A7]! < 0x10n) return this.legacy(hart, Number(x[A7]!));
    this.outcome = CONTINUE;
    this.resumed = false;
    const r = this.call(hart, id, Number(x[A7]!), Number(x[A6]!));
    const outcome = this.outcome;
    if (outcome.kind === "hart-stopped" || outcome.kind === "stop" || this.resumed) return outcome;
    x[A0] = U64(r.error);
    x[A1] = U64(r.value);
    return outcome;
  }

  /** What the machine does once the call returns (HSM and SRST change it). */
  private outcome: SbiOutcome = CONTINUE;
  /** Set when the call re-entered S-mode with registers of its own (non-retentive suspend). */
  private resumed = false;

  private call(hart: Hart, id: number, ext: number, fid: number): SbiRet {
    const x = hart.x;
    switch (ext) {
      case SbiExt.Base:
        return this.base(hart, fid);
      case SbiExt.Time:
        if (fid !== 0) return fail(SbiError.NotSupported);
        this.setTimer(hart, x[A0]!);
        return ok();
      case SbiExt.Ipi:
        if (fid !== 0) return fail(SbiError.NotSupported);
        return this.forHarts(x[A0]!, x[A1]!, (h) => this.raiseSsip(h));
      case SbiExt.Rfence:
        if (
          fid !== SbiRfence.RemoteFenceI &&
          fid !== SbiRfence.RemoteSfenceVma &&
          fid !== SbiRfence.RemoteSfenceVmaAsid
        ) {
          return fail(SbiError.NotSupported);
        }
        // mica keeps no decode cache and its TLB tags no ASIDs: a full
        // flush covers fence.i, every range and every ASID.
        return this.forHarts(x[A0]!, x[A1]!, (h) =>
          this.harts.onHart(h, (target) => target.core.flushTlb()),
        );
      case SbiExt.Hsm:
        return this.hsm(hart, id, fid);
      case SbiExt.Srst:
        if (fid !== 0) return fail(SbiError.NotSupported);
        return this.systemReset(x[A0]!, x[A1]!);
      case SbiExt.Dbcn:
        return this.dbcn(hart, fid);
      default:
        return fail(SbiError.NotSupported);
    }
  }

  /** SBI v0.1 calls: the result (if any) in a0 only. */
  private legacy(hart: Hart, ext: number): SbiOutcome {
    const x = hart.x;
    switch (ext) {
      case SbiExt.LegacySetTimer:
        this.setTimer(hart, x[A0]!);
        x[A0] = 0n;
        return CONTINUE;
      case SbiExt.LegacyConsolePutchar:
        this.putc(Number(x[A0]! & 0xffn));
        x[A0] = 0n;
        return CONTINUE;
      case SbiExt.LegacyConsoleGetchar:
        x[A0] = U64(BigInt(this.ports.getByte()));
        return CONTINUE;
      case SbiExt.LegacyShutdown:
        return { kind: "stop", reason: { kind: "poweroff", code: 0 } };
      default:
        x[A0] = U64(SbiError.NotSupported);
        return CONTINUE;
    }
  }

  private base(hart: Hart, fid: number): SbiRet {
    const core = hart.core;
    switch (fid) {
      case SbiBase.GetSpecVersion:
        return ok(SBI_SPEC_VERSION);
      case SbiBase.GetImplId:
        return ok(SBI_IMPL_ID_MICA);
      case SbiBase.GetImplVersion:
        return ok(SBI_IMPL_VERSION);
      case SbiBase.ProbeExtension:
        return ok(implemented(hart.x[A0]!) ? 1n : 0n);
      case SbiBase.GetMvendorid:
        return ok(core.readCsr(CSR_MVENDORID));
      case SbiBase.GetMarchid:
        return ok(core.readCsr(CSR_MARCHID));
      case SbiBase.GetMimpid:
        return ok(core.readCsr(CSR_MIMPID));
      default:
        return fail(SbiError.NotSupported);
    }
  }

  // SPEC: TIME set_timer clears the pending timer interrupt and raises it
  // when time reaches the value. With Sstc, STIP is time >= stimecmp, so
  // writing stimecmp does both (OpenSBI's choice on a hart with Sstc).
  private setTimer(hart: Hart, when: bigint): void {
    hart.core.writeCsr(CSR_STIMECMP, when);
  }

  private raiseSsip(id: number): void {
    this.harts.onHart(id, (target) => {
      const core = target.core;
      core.writeCsr(CSR_MIP, core.readCsr(CSR_MIP) | MIP_SSIP);
    });
  }

  /**
   * Applies fn to each hart in (hart_mask, hart_mask_base); a base of -1
   * means every hart. INVALID_PARAM, with nothing done, when the set names
   * a hart that does not exist.
   */
  private forHarts(mask: bigint, base: bigint, fn: (id: number) => void): SbiRet {
    const ids: number[] = [];
    if (base === U64(-1n)) {
      for (let i = 0; i < this.harts.hartCount; i++) ids.push(i);
    } else {
      for (let bit = 0n; bit < 64n; bit++) {
        if (((mask >> bit) & 1n) === 0n) continue;
        const id = base + bit;
        if (id >= BigInt(this.harts.hartCount)) return fail(SbiError.InvalidParam);
        ids.push(Number(id));
      }
    }
    for (const id of ids) fn(id);
    return ok();
  }

  /** Sets what the machine does after the call, and returns r. */
  private after(outcome: SbiOutcome, r: SbiRet): SbiRet {
    this.outcome = outcome;
    return r;
  }

  private hsm(hart: Hart, id: number, fid: number): SbiRet {
    const x = hart.x;
    switch (fid) {
      case SbiHsm.HartStart: {
        const target = x[A0]!;
        if (target >= BigInt(this.harts.hartCount)) return fail(SbiError.InvalidParam);
        const t = Number(target);
        if (this.state[t] !== HartState.Stopped) return fail(SbiError.AlreadyAvailable);
        if (hart.ramSlice(x[A1]!, 4) === undefined) {
          return fail(SbiError.InvalidAddress);
        }
        this.startHart(t, x[A1]!, x[A2]!);
        return ok();
      }
      case SbiHsm.HartStop:
        this.state[id] = HartState.Stopped;
        return this.after(HART_STOPPED, ok());
      case SbiHsm.HartGetStatus: {
        const target = x[A0]!;
        if (target >= BigInt(this.harts.hartCount)) return fail(SbiError.InvalidParam);
        return ok(BigInt(this.state[Number(target)]!));
      }
      case SbiHsm.HartSuspend: {
        const type = x[A0]!;
        if (type === SUSPEND_DEFAULT_RETENTIVE) return this.after(WAIT, ok());
        if (type === SUSPEND_DEFAULT_NON_RETENTIVE) {
          if (hart.ramSlice(x[A1]!, 4) === undefined) return fail(SbiError.InvalidAddress);
          // Resumes like a hart_start of this hart: at resume_addr with
          // a0 = hart ID, a1 = opaque, translation and SIE off.
          const resume = x[A1]!;
          const opaque = x[A2]!;
          this.enterSupervisor(id, resume, opaque);
          this.resumed = true;
          return this.after(WAIT, ok());
        }
        // Reserved types (below 0x80000000) are invalid; the rest are
        // platform-specific, and mica's platform defines none.
        return fail(type < 0x8000_0000n ? SbiError.InvalidParam : SbiError.NotSupported);
      }
      default:
        return fail(SbiError.NotSupported);
    }
  }

  // Console output as OpenSBI's sbi_putc: a carriage return before each
  // line feed, so a raw terminal shows lines, and transcripts match QEMU's.
  private putc(byte: number): void {
    if (byte === 0x0a) this.ports.putByte(0x0d);
    this.ports.putByte(byte);
  }

  /** Starts a stopped hart in S-mode at addr with a0 = its ID, a1 = opaque. */
  startHart(id: number, addr: bigint, opaque: bigint): void {
    this.enterSupervisor(id, addr, opaque);
  }

  private systemReset(type: bigint, reason: bigint): SbiRet {
    if (reason > SrstReason.SystemFailure && reason < 0xe000_0000n) {
      return fail(SbiError.InvalidParam);
    }
    switch (type) {
      case SrstType.Shutdown:
        // mica: a system failure exits with code 1 (OpenSBI's sifive_test
        // driver on QEMU powers off with PASS whatever the reason).
        return this.after(
          {
            kind: "stop",
            reason: { kind: "poweroff", code: reason === SrstReason.SystemFailure ? 1 : 0 },
          },
          ok(),
        );
      case SrstType.ColdReboot:
      case SrstType.WarmReboot:
        return this.after({ kind: "stop", reason: { kind: "reset" } }, ok());
      default:
        return fail(SbiError.InvalidParam);
    }
  }

  private dbcn(hart: Hart, fid: number): SbiRet {
    const x = hart.x;
    switch (fid) {
      case SbiDbcn.Write:
      case SbiDbcn.Read: {
        const n = x[A0]!;
        // RV64: the address is base_addr_lo; base_addr_hi must be 0.
        if (x[A2]! !== 0n || n > 0x1000_0000n) return fail(SbiError.InvalidParam);
        const mem = hart.ramSlice(x[A1]!, Number(n));
        if (mem === undefined) return fail(SbiError.InvalidParam);
        if (fid === SbiDbcn.Write) {
          for (const b of mem) this.putc(b);
          return ok(n);
        }
        let got = 0;
        while (got < mem.length) {
          const b = this.ports.getByte();
          if (b < 0) break;
          mem[got++] = b;
        }
        return ok(BigInt(got));
      }
      case SbiDbcn.WriteByte:
        this.putc(Number(x[A0]! & 0xffn));
        return ok();
      default:
        return fail(SbiError.NotSupported);
    }
  }
}

/** probe_extension: 1 for each extension handleEcall() implements. */
function implemented(ext: bigint): boolean {
  switch (Number(ext)) {
    case SbiExt.LegacySetTimer:
    case SbiExt.LegacyConsolePutchar:
    case SbiExt.LegacyConsoleGetchar:
    case SbiExt.LegacyShutdown:
    case SbiExt.Base:
    case SbiExt.Time:
    case SbiExt.Ipi:
    case SbiExt.Rfence:
    case SbiExt.Hsm:
    case SbiExt.Srst:
    case SbiExt.Dbcn:
      return ext < 0x1_0000_0000n;
    default:
      return false;
  }
}
