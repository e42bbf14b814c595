// The machine: a hart plus the devices of QEMU's virt board (PLIC, UART,
// goldfish RTC, test finisher, virtio-mmio transports; the CLINT is inside
// the wasm core), wired by a bus built from the memory-map table, and the run
// loop that hands the hart slices of instructions and watches for the
// events that end a run.

import { Bus, type BusRegion } from "./bus.js";
import { Exit } from "./cpu/core-module.js";
import { Hart, RAM_BASE } from "./cpu/hart.js";
import { GoldfishRtc } from "./devices/goldfish-rtc.js";
import type { MmioDevice } from "./devices/mmio-device.js";
import { Plic } from "./devices/plic.js";
import { SifiveTest } from "./devices/sifive-test.js";
import { UartNs16550a } from "./devices/uart-ns16550a.js";
import type { VirtioDevice } from "./devices/virtio.js";
import { VIRTIO_MMIO_WINDOW, VirtioMmio } from "./devices/virtio-mmio.js";
import type { ByteSource, HostClock } from "./host-ports.js";
import type { Htif } from "./htif.js";
import { VIRT_MEMORY_MAP, virtRegion } from "./memory-map.js";
import type { BuiltinSbi } from "./sbi/builtin-sbi.js";

export const SIFIVE_TEST_BASE = virtRegion("test").base;
export const UART0_BASE = virtRegion("uart0").base;
export { RAM_BASE };

export interface MachineConfig {
  ramSize: number;
  /** Harts (QEMU: -smp), 1..MAX_HARTS; 1 when absent. */
  harts?: number;
  /** Receives each byte the guest writes to the console. */
  console: (byte: number) => void;
  /** Feeds the UART's receiver (QEMU: -serial stdio); no input when absent. */
  consoleInput?: ByteSource;
  /** The device behind each virtio-mmio transport, by slot (0..7); the others are empty. */
  virtio?: readonly (VirtioDevice | undefined)[];
  /** --realtime: time follows this clock instead of the retired instructions. */
  realtime?: HostClock;
  /** Translate hot guest code to wasm (cpu/jit/); true when absent (--no-jit: false). */
  jit?: boolean;
  /** Visits to a page before it is translated (core/jit.ts); tests use 0 to translate at once. */
  jitThreshold?: number;
}

export type StopReason =
  | { kind: "poweroff"; code: number }
  | { kind: "reset" }
  | { kind: "htif"; code: number }
  | { kind: "limit" }
  | { kind: "idle" }
  | { kind: "paused" };

export interface RunOptions {
  /** Stop after this many retired instructions (in total since reset). */
  maxInstructions?: bigint;
  htif?: Htif;
  /** Called before every instruction (slow: runs the hart one step at a time). */
  trace?: (hart: Hart) => void;
  /**
   * Return { kind: "paused" } after each slice, so an asynchronous host
   * (an interactive console) can take input between slices; run() again
   * to go on.
   */
  pauseEachSlice?: boolean;
}

// Holds a bus region until its device is built.
const UNATTACHED: MmioDevice = {
  load: () => 0,
  store: () => {},
};

// PERF: long slices keep the host loop out of the way; HTIF and the limit are
// checked between slices, which costs at most one slice of extra guest work.
const SLICE = 1 << 20;
// With --realtime, the clock is read between slices: about 0.3 ms of guest work.
const REALTIME_SLICE = 100_000;
// The longest a waiting guest sleeps before the host looks at its devices again.
const REALTIME_MAX_SLEEP_MS = 10;

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
  readonly bus: Bus;
  readonly plic: Plic;
  readonly uart: UartNs16550a;
  readonly rtc: GoldfishRtc;
  readonly finisher: SifiveTest;
  /** The eight virtio-mmio transports, slot n at 0x10001000 + n * 0x1000, PLIC source 1 + n. */
  readonly virtio: VirtioMmio[] = [];
  /** The built-in SBI (--bios builtin): takes the hart's S-mode ecalls. */
  sbi: BuiltinSbi | undefined;
  /** Number of harts. `hart` is the core, holding hart `current`; the others wait as contexts. */
  readonly hartCount: number;
  private current = 0;
  private readonly runState: HartRun[];
  /** Instructions retired by each hart, as of its last turn. */
  private readonly retiredOf: bigint[];

  constructor(readonly config: MachineConfig) {
    const n = config.harts ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_HARTS) {
      throw new Error(`machine: ${n} harts (1..${MAX_HARTS})`);
    }
    this.hartCount = n;
    this.runState = Array.from({ length: n }, () => HartRun.Running);
    this.retiredOf = Array.from({ length: n }, () => 0n);
    // The devices reach the hart through closures: it is built last, on the bus.
    this.plic = new Plic(n, (hart, bit, on) => this.setInterruptLine(hart, bit, on));
    const irq = (src: number | undefined) => (level: boolean) => this.plic.setIrq(src!, level);
    this.uart = new UartNs16550a(config.console, config.consoleInput, irq(virtRegion("uart0").irq));
    this.rtc = new GoldfishRtc(() => this.cycles(), irq(virtRegion("rtc").irq));
    this.finisher = new SifiveTest(() => this.hart.core.requestStop());
    const regions: BusRegion[] = [];
    for (const r of VIRT_MEMORY_MAP) {
      let device: MmioDevice | undefined;
      let size = r.size;
      switch (r.kind) {
        case "test":
          device = this.finisher;
          break;
        case "rtc":
          device = this.rtc;
          break;
        case "plic":
          device = this.plic;
          break;
        case "uart":
          device = this.uart;
          break;
        case "virtio-mmio":
          // A transport needs the hart's RAM: it is attached below, once the hart exists.
          device = UNATTACHED;
          // Only the registers and configuration space answer; the rest of the slot faults, as QEMU.
          size = VIRTIO_MMIO_WINDOW;
          break;
        case "clint": // served inside the wasm core (cpu/core/mmu.ts)
        case "mrom": // not modelled: the hart starts at the ELF entry
        case "dram":
          break;
      }
      if (device) regions.push({ base: r.base, size, device });
    }
    this.bus = new Bus(regions);
    this.hart = new Hart(config.ramSize, this.bus, 0, config.jit ?? true);
    if (config.jitThreshold !== undefined) this.hart.core.setJitThreshold(config.jitThreshold);
    for (const r of VIRT_MEMORY_MAP) {
      if (r.kind !== "virtio-mmio") continue;
      const dev = config.virtio?.[this.virtio.length];
      const jit = this.hart.jit;
      const transport = new VirtioMmio({
        ram: this.hart.ram,
        ramBase: Number(RAM_BASE),
        ramWritten: (offset, length) => jit.codeWritten(offset, length),
        raiseIrq: irq(r.irq),
        ...(dev ? { device: dev } : {}),
      });
      this.virtio.push(transport);
      this.bus.attach(r.base, transport);
    }
    if (config.realtime) {
      this.clockStart = config.realtime.now();
      this.hart.core.setHostMtime(0n);
      this.hart.core.setRealtime(1);
    }
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

  private clockStart = 0;

  /** The clock in cycles of the nominal 100 MHz hart: retired + idle, or the host's with --realtime. */
  cycles(): bigint {
    const clock = this.config.realtime;
    if (!clock) return this.hart.core.getCycles();
    return BigInt(Math.floor((clock.now() - this.clockStart) / 10));
  }

  /** --realtime: hands the core the host's time (mtime ticks of 100 ns). */
  private syncClock(clock: HostClock): void {
    this.hart.core.setHostMtime(BigInt(Math.floor((clock.now() - this.clockStart) / 100)));
  }

  /**
   * Nothing can run until a timer fires in `cycles` cycles: skip them
   * (deterministic time), or sleep for real (--realtime), at most a little
   * while so devices are looked at again.
   */
  private idleFor(cycles: bigint): void {
    const clock = this.config.realtime;
    if (!clock) {
      this.hart.core.addIdleCycles(cycles);
      return;
    }
    const ms = Number(cycles) / 100_000;
    if (ms > 0) clock.sleep(Math.min(ms, REALTIME_MAX_SLEEP_MS));
  }

  /** Copies bytes into guest RAM at physical address pa; false if any byte falls outside RAM. */
  writePhys(pa: bigint, data: Uint8Array): boolean {
    const dst = this.hart.ramSlice(pa, data.length);
    if (!dst) return false;
    dst.set(data);
    this.hart.codeWritten(pa, data.length);
    return true;
  }

  /** Runs until something ends the run (see StopReason). */
  run(opts: RunOptions = {}): StopReason {
    if (this.hartCount > 1) return this.runHarts(opts);
    const hart = this.hart;
    const core = hart.core;
    const limit = opts.maxInstructions;
    const clock = this.config.realtime;
    for (;;) {
      this.uart.pollInput();
      let budget = SLICE;
      if (limit !== undefined) {
        const left = limit - hart.instret;
        if (left <= 0n) return { kind: "limit" };
        if (left < BigInt(budget)) budget = Number(left);
      }
      if (clock) {
        this.syncClock(clock);
        if (budget > REALTIME_SLICE) budget = REALTIME_SLICE;
      } else {
        // An armed RTC alarm ends the slice when it is due, so it fires at
        // the same instruction every run.
        const alarm = this.rtc.alarmCycle();
        if (alarm !== undefined) {
          const left = alarm - core.getCycles();
          if (left < BigInt(budget)) budget = left <= 0n ? 1 : Number(left);
        }
      }
      const before = limit === undefined ? 0n : hart.instret;
      const exit = this.runSlice(budget, opts);
      this.rtc.tick();
      const ended = this.deviceStop(opts);
      if (ended) return ended;
      // A whole slice of attempts without one retired instruction is a trap
      // loop (e.g. a trap vector that itself faults): it would never reach
      // the limit, so the limit ends it.
      if (limit !== undefined && exit === Exit.Budget && hart.instret === before && budget > 1)
        return { kind: "limit" };
      if (exit === Exit.HostTrap) {
        // Only the built-in SBI routes traps to the host here (the kernel runs its own loop).
        if (!this.sbi) throw new Error("machine: a host trap with no firmware to take it");
        const outcome = this.sbi.handleEcall(this.current);
        if (outcome.kind === "stop") return outcome.reason;
        if (outcome.kind === "hart-stopped") return { kind: "idle" };
        if (outcome.kind === "wait" && !core.waitForInterrupt()) return { kind: "idle" };
      }
      if (exit === Exit.Idle) {
        // wfi, and nothing the core knows of (its timer) can wake the hart:
        // skip to the next device event, if one is coming.
        const at = this.rtc.alarmCycle();
        if (at === undefined) return { kind: "idle" };
        const now = core.getCycles();
        if (at > now) core.addIdleCycles(at - now);
        this.rtc.tick();
        continue;
      }
      if (exit === Exit.Wfi && clock) {
        // --realtime: the hart waits in wfi; wait for its timer (or the RTC) in real time.
        if (opts.pauseEachSlice) return { kind: "paused" };
        this.syncClock(clock);
        if (core.interruptPending() !== 0) continue;
        let wait = BigInt.asUintN(64, core.cyclesToTimer());
        const alarm = this.rtc.alarmCycle();
        if (alarm !== undefined) {
          const left = alarm - this.cycles();
          if (left < wait) wait = left < 0n ? 0n : left;
        }
        if (wait === 0xffff_ffff_ffff_ffffn) return { kind: "idle" };
        this.idleFor(wait);
        continue;
      }
      if (opts.pauseEachSlice) return { kind: "paused" };
    }
  }

  /** Runs the hart in the core for `budget` instructions (one at a time when tracing). */
  private runSlice(budget: number, opts: RunOptions): number {
    const core = this.hart.core;
    if (!opts.trace) return core.run(budget);
    let exit: number = Exit.Budget;
    for (let i = 0; i < budget && exit === Exit.Budget; i++) {
      opts.trace(this.hart);
      exit = core.run(1);
    }
    return exit;
  }

  /** A device that ended the run: the test finisher, or HTIF's tohost. */
  private deviceStop(opts: RunOptions): StopReason | undefined {
    const ev = this.finisher.event;
    if (ev) return ev.kind === "poweroff" ? { kind: "poweroff", code: ev.code } : { kind: "reset" };
    if (opts.htif) {
      const h = opts.htif.poll();
      if (h.kind === "exit") return { kind: "htif", code: h.code };
    }
    return undefined;
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
      if (this.config.realtime) this.syncClock(this.config.realtime);
      this.uart.pollInput();
      this.rtc.tick();
      let budget = HART_QUANTUM;
      if (limit !== undefined) {
        const left = limit - this.instret;
        if (left <= 0n) return { kind: "limit" };
        if (left < BigInt(budget)) budget = Number(left);
      }
      const exit = this.runSlice(budget, opts);
      const ended = this.deviceStop(opts);
      if (ended) return ended;
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
    this.idleFor(best);
    this.runState[who] = HartRun.Running;
    return true;
  }
}
