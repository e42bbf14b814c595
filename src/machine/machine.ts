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

export class Machine {
  readonly hart: Hart;
  readonly uart: UartNs16550a;
  readonly finisher: SifiveTest;
  /** The built-in SBI (--bios builtin): takes the hart's S-mode ecalls. */
  sbi: BuiltinSbi | undefined;

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

  /** Copies bytes into guest RAM at physical address pa; false if any byte falls outside RAM. */
  writePhys(pa: bigint, data: Uint8Array): boolean {
    const dst = this.hart.ramSlice(pa, data.length);
    if (!dst) return false;
    dst.set(data);
    return true;
  }

  /** Runs until something ends the run (see StopReason). */
  run(opts: RunOptions = {}): StopReason {
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
        const outcome = this.sbi.handleEcall(0);
        if (outcome.kind === "stop") return outcome.reason;
        if (outcome.kind === "hart-stopped") return { kind: "idle" };
        if (outcome.kind === "wait" && !core.waitForInterrupt()) return { kind: "idle" };
      }
    }
  }
}
