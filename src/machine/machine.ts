// The machine: a hart plus the devices of QEMU's virt board that exist so
// far (UART transmit, test finisher), and the run loop that hands the hart
// budgets of instructions and watches for the events that end a run.

import { Exit } from "./cpu/core-module.js";
import { Hart, type MmioHandler, RAM_BASE } from "./cpu/hart.js";
import { SIFIVE_TEST_SIZE, SifiveTest } from "./devices/sifive-test.js";
import { UART_SIZE, UartNs16550a } from "./devices/uart-ns16550a.js";
import type { Htif } from "./htif.js";
import type { BuiltinSbi } from "./sbi/builtin-sbi.js";

export const SIFIVE_TEST_BASE = 0x10_0000;
export const UART0_BASE = 0x1000_0000;
export { RAM_BASE };

export interface MachineConfig {
  ramSize: number;
  /** Harts (QEMU: -smp), 1..MAX_HARTS; 1 when absent. */
  harts?: number;
  /** Receives each byte the guest writes to the console. */
  console: (byte: number) => void;
}

export type StopReason =
  | { kind: "poweroff"; code: number }
  | { kind: "reset" }
  | { kind: "htif"; code: number }
  | { kind: "limit" }
  | { kind: "idle" };

export interface RunOptions {
  /** Stop after this many retired instructions (in total since reset). */
  maxInstructions?: bigint;
  htif?: Htif;
  /** Called before every instruction (slow: runs the hart one step at a time). */
  trace?: (hart: Hart) => void;
}

// PERF: long slices keep the host loop out of the way; HTIF and the limit are
// checked between slices, which costs at most one slice of extra guest work.
const SLICE = 1 << 20;

/** The most harts a machine may have (the core's CLINT and context areas). */
export const MAX_HARTS = 8;
/**
 * With several harts, each runs this many instructions (or until it waits
 * in wfi) before the next one's turn: a fixed order, so runs repeat exactly.
 */
export const HART_QUANTUM = 10_000;

/** What a hart does between turns (several harts). */
enum HartRun {
  Running,
  /** In wfi (or SBI suspend) until an enabled interrupt is pending. */
  Waiting,
  /** Not started, or stopped (SBI HSM). */
  Stopped,
}

export class Machine {
  readonly hart: Hart;
  readonly uart: UartNs16550a;
  readonly finisher: SifiveTest;
  /** The built-in SBI (--bios builtin): takes the hart's S-mode ecalls. */
  sbi: BuiltinSbi | undefined;
  /** Number of harts. `hart` is the core, holding hart `current`; the others wait as contexts. */
  readonly hartCount: number;
  private current = 0;
  private readonly runState: HartRun[];
  /** Instructions retired by each hart, as of its last turn. */
  private readonly retiredOf: bigint[];

  constructor(readonly config: MachineConfig) {
    this.uart = new UartNs16550a(config.console);
    this.finisher = new SifiveTest(() => this.hart.core.requestStop());
    const bus: MmioHandler = {
      load: (pa, size) => {
        const dev = this.device(pa, size);
        return dev ? dev.load(pa - dev.base) : undefined;
      },
      store: (pa, size, value) => {
        const dev = this.device(pa, size);
        if (!dev) return false;
        dev.store(pa - dev.base, value);
        return true;
      },
    };
    this.hart = new Hart(config.ramSize, bus);
    const n = config.harts ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_HARTS) {
      throw new Error(`machine: ${n} harts (1..${MAX_HARTS})`);
    }
    this.hartCount = n;
    this.runState = Array.from({ length: n }, () => HartRun.Running);
    this.retiredOf = Array.from({ length: n }, () => 0n);
    if (n > 1) {
      // Every hart leaves reset like hart 0, with its own mhartid.
      const core = this.hart.core;
      for (let i = 1; i < n; i++) {
        core.setHartId(BigInt(i));
        core.saveHart(i);
      }
      core.setHartId(0n);
      core.setWfiYields(1);
    }
  }

  private device(
    pa: number,
    _size: number,
  ): { base: number; load(o: number): number; store(o: number, v: number): void } | undefined {
    if (pa >= UART0_BASE && pa < UART0_BASE + UART_SIZE) {
      const u = this.uart;
      return { base: UART0_BASE, load: (o) => u.load(o), store: (o, v) => u.store(o, v) };
    }
    if (pa >= SIFIVE_TEST_BASE && pa < SIFIVE_TEST_BASE + SIFIVE_TEST_SIZE) {
      const t = this.finisher;
      return { base: SIFIVE_TEST_BASE, load: (o) => t.load(o), store: (o, v) => t.store(o, v) };
    }
    return undefined;
  }

  /** The hart in the core (its registers are `hart`'s). */
  get currentHart(): number {
    return this.current;
  }

  /** Instructions retired by all harts since reset. */
  get instret(): bigint {
    if (this.hartCount === 1) return this.hart.instret;
    let total = 0n;
    for (let i = 0; i < this.hartCount; i++) {
      total += i === this.current ? this.hart.instret : this.retiredOf[i]!;
    }
    return total;
  }

  /** Puts hart `id` in the core (saving the one there): its state is then `hart`'s. */
  select(id: number): void {
    if (id === this.current) return;
    const core = this.hart.core;
    const clock = core.getCycles();
    this.retiredOf[this.current] = this.hart.instret;
    core.saveHart(this.current);
    core.loadHart(id, clock);
    this.current = id;
  }

  /** Runs fn with hart `id` in the core, then puts back the hart that was there. */
  onHart<T>(id: number, fn: (hart: Hart) => T): T {
    const was = this.current;
    this.select(id);
    try {
      return fn(this.hart);
    } finally {
      this.select(was);
    }
  }

  /** Stops or starts scheduling hart `id` (SBI HSM; harts other than 0 under --bios builtin). */
  setHartRunnable(id: number, on: boolean): void {
    this.runState[id] = on ? HartRun.Running : HartRun.Stopped;
  }

  /** Drives local interrupt `bit` (mip) of hart `id`: the PLIC's per-hart outputs. */
  setInterruptLine(id: number, bit: number, on: boolean): void {
    if (id === this.current) this.hart.core.setInterruptLine(bit, on ? 1 : 0);
    else this.onHart(id, (h) => h.core.setInterruptLine(bit, on ? 1 : 0));
  }

  /** Copies bytes into guest RAM at physical address pa; false if any byte falls outside RAM. */
  writePhys(pa: bigint, data: Uint8Array): boolean {
    const dst = this.hart.ramSlice(pa, data.length);
    if (!dst) return false;
    dst.set(data);
    return true;
  }

  /** Runs until something ends the run (see StopReason). */
  run(opts: RunOptions = {}): StopReason {
    if (this.hartCount > 1) return this.runHarts(opts);
    const hart = this.hart;
    const core = hart.core;
    const limit = opts.maxInstructions;
    for (;;) {
      let budget = SLICE;
      if (limit !== undefined) {
        const left = limit - hart.instret;
        if (left <= 0n) return { kind: "limit" };
        if (left < BigInt(budget)) budget = Number(left);
      }
      let exit: number;
      if (opts.trace) {
        exit = Exit.Budget;
        for (let i = 0; i < budget && exit === Exit.Budget; i++) {
          opts.trace(hart);
          exit = core.run(1);
        }
      } else {
        exit = core.run(budget);
      }
      const ev = this.finisher.event;
      if (ev)
        return ev.kind === "poweroff" ? { kind: "poweroff", code: ev.code } : { kind: "reset" };
      if (opts.htif) {
        const h = opts.htif.poll();
        if (h.kind === "exit") return { kind: "htif", code: h.code };
      }
      if (exit === Exit.Idle) return { kind: "idle" };
      if (exit === Exit.HostTrap) {
        // Only the built-in SBI routes traps to the host here (the kernel runs its own loop).
        if (!this.sbi) throw new Error("machine: a host trap with no firmware to take it");
        const outcome = this.sbi.handleEcall(this.current);
        if (outcome.kind === "stop") return outcome.reason;
        if (outcome.kind === "hart-stopped") return { kind: "idle" };
        if (outcome.kind === "wait" && !core.waitForInterrupt()) return { kind: "idle" };
      }
    }
  }

  /**
   * The run loop for several harts: each runnable hart in turn, in hart ID
   * order, for HART_QUANTUM instructions or until it waits. A waiting hart
   * runs again once an enabled interrupt is pending for it; when every hart
   * waits, the clock skips to the earliest armed timer.
   */
  private runHarts(opts: RunOptions): StopReason {
    const core = this.hart.core;
    const limit = opts.maxInstructions;
    for (;;) {
      const next = this.nextRunnable();
      if (next < 0) {
        if (!this.skipToTimer()) return { kind: "idle" };
        continue;
      }
      this.select(next);
      let budget = HART_QUANTUM;
      if (limit !== undefined) {
        const left = limit - this.instret;
        if (left <= 0n) return { kind: "limit" };
        if (left < BigInt(budget)) budget = Number(left);
      }
      let exit: number;
      if (opts.trace) {
        exit = Exit.Budget;
        for (let i = 0; i < budget && exit === Exit.Budget; i++) {
          opts.trace(this.hart);
          exit = core.run(1);
        }
      } else {
        exit = core.run(budget);
      }
      const ev = this.finisher.event;
      if (ev)
        return ev.kind === "poweroff" ? { kind: "poweroff", code: ev.code } : { kind: "reset" };
      if (opts.htif) {
        const h = opts.htif.poll();
        if (h.kind === "exit") return { kind: "htif", code: h.code };
      }
      if (exit === Exit.Wfi) this.runState[this.current] = HartRun.Waiting;
      else if (exit === Exit.HostTrap) {
        if (!this.sbi) throw new Error("machine: a host trap with no firmware to take it");
        const outcome = this.sbi.handleEcall(this.current);
        if (outcome.kind === "stop") return outcome.reason;
        if (outcome.kind === "hart-stopped") this.runState[this.current] = HartRun.Stopped;
        else if (outcome.kind === "wait" && !core.interruptPending()) {
          this.runState[this.current] = HartRun.Waiting;
        }
      }
    }
  }

  /** The next hart after the current one that may run (waking waiting harts), or -1. */
  private nextRunnable(): number {
    const n = this.hartCount;
    for (let k = 1; k <= n; k++) {
      const i = (this.current + k) % n;
      const state = this.runState[i]!;
      if (state === HartRun.Running) return i;
      if (state === HartRun.Waiting && this.onHart(i, (h) => h.core.interruptPending() !== 0)) {
        this.runState[i] = HartRun.Running;
        return i;
      }
    }
    return -1;
  }

  /** Every hart waits: moves the clock to the earliest armed timer; false if none is armed. */
  private skipToTimer(): boolean {
    let best = -1n;
    let who = -1;
    for (let i = 0; i < this.hartCount; i++) {
      if (this.runState[i] !== HartRun.Waiting) continue;
      const wait = this.onHart(i, (h) => BigInt.asUintN(64, h.core.cyclesToTimer()));
      if (wait !== 0xffff_ffff_ffff_ffffn && (who < 0 || wait < best)) {
        best = wait;
        who = i;
      }
    }
    if (who < 0) return false;
    this.select(who);
    this.hart.core.addIdleCycles(best);
    this.runState[who] = HartRun.Running;
    return true;
  }
}
