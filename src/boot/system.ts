// A whole mica system: the emulated machine with the seL4-compatible kernel
// as its supervisor and a root task in U-mode. The hart runs user code until
// a trap or a timer tick; then the kernel (TypeScript) takes over.

import type { Release } from "../kernel/api/generated/abi.js";
import { plicInit } from "../kernel/arch/riscv/plic.js";
import { checkInvariants } from "../kernel/invariants.js";
import { Kernel } from "../kernel/kernel.js";
import { checkDomainConfig, type DomainConfig, type KernelStop } from "../kernel/state.js";
import { anyThreadReady } from "../kernel/thread.js";
import { Exit } from "../machine/cpu/core-module.js";
import type { VirtioDevice } from "../machine/devices/virtio.js";
import type { ByteSource } from "../machine/host-ports.js";
import { Machine, RAM_BASE } from "../machine/machine.js";
import { buildVirtDtb } from "../machine/virt-dtb.js";
import { parseElf } from "./elf.js";
import { createRootTask } from "./root-task.js";

export { DEFAULT_RELEASE, RELEASES, type Release } from "../kernel/api/generated/abi.js";
export {
  checkDomainConfig,
  type DomainConfig,
  type DomainScheduleEntry,
  DSCHED_MAX_DURATION,
  MAX_NUM_DOMAINS,
} from "../kernel/state.js";

export interface SystemOptions {
  ramSize: number;
  /** log2 of the root CNode's slots (seL4's CONFIG_ROOT_CNODE_SIZE_BITS). */
  cnodeSizeBits: number;
  /** Receives seL4_DebugPutChar output. */
  console: (byte: number) => void;
  /** Receives the kernel's own messages (one line each). */
  log: (line: string) => void;
  /** The seL4 release the root task was built against (its invocation label numbers). */
  release?: Release;
  /** Domains and the domain schedule; one endless domain when absent. */
  domains?: DomainConfig;
  /** Feeds the UART's receiver (the console's input); none when absent. */
  consoleInput?: ByteSource;
  /** Devices for virtio-mmio slots 0..7 (e.g. a virtio-blk disk in slot 0). */
  virtio?: readonly (VirtioDevice | undefined)[];
  /** Translate hot guest code (MachineConfig.jit); true when absent. */
  jit?: boolean;
  /** Loop visits before a page is translated (MachineConfig.jitThreshold). */
  jitThreshold?: number;
}

/** What may end System.run besides the kernel. */
export interface RunLimits {
  maxInstructions?: bigint;
  /** Date.now() after which the run stops ({ kind: "timeout" }). */
  deadline?: number;
  /** Assert the kernel's invariants after every entry. */
  check?: boolean;
  /**
   * Return { kind: "paused" } at every tick and whenever the system waits
   * for input, so an asynchronous host (an interactive console) can feed
   * input; run() again to go on.
   */
  pauseForInput?: boolean;
}

export type SystemStop = KernelStop | { kind: "limit" } | { kind: "timeout" } | { kind: "paused" };

export type SystemBoot = { ok: true; system: System } | { ok: false; error: string };

// Every exception from U-mode goes to the kernel (causes 0..15).
const HOST_TRAP_ALL_EXCEPTIONS = 0xffffn;
const CSR_MSTATUS = 0x300;
const MSTATUS_FS_INITIAL = 1n << 13n;
const MIP_SEIP = 1n << 9n;
const CSR_MIP = 0x344;
const CSR_MCOUNTEREN = 0x306;
const CSR_SCOUNTEREN = 0x106;
const COUNTERS_CY_TM_IR = 0b111n;

export class System {
  /** Instructions left until the next timer tick. */
  private tickLeft: number;

  private constructor(
    readonly machine: Machine,
    readonly kernel: Kernel,
  ) {
    this.tickLeft = kernel.tickBudget;
  }

  static boot(image: Uint8Array, opts: SystemOptions): SystemBoot {
    const parsed = parseElf(image);
    if (!parsed.ok) return parsed;
    if (
      !Number.isInteger(opts.cnodeSizeBits) ||
      opts.cnodeSizeBits < 4 ||
      opts.cnodeSizeBits > 20
    ) {
      return {
        ok: false,
        error: `root CNode size 2^${opts.cnodeSizeBits} slots is out of range (2^4..2^20)`,
      };
    }
    if (opts.domains !== undefined) {
      const bad = checkDomainConfig(opts.domains);
      if (bad) return { ok: false, error: bad };
    }
    const dtb = buildVirtDtb({ ramSize: BigInt(opts.ramSize), harts: 1 });
    if (!dtb.ok) return dtb;
    // The UART writes to the same console as seL4_DebugPutChar (QEMU: the
    // serial port and seL4's debug output share the terminal).
    const machine = new Machine({
      ramSize: opts.ramSize,
      console: opts.console,
      ...(opts.consoleInput ? { consoleInput: opts.consoleInput } : {}),
      ...(opts.virtio ? { virtio: opts.virtio } : {}),
      ...(opts.jit === false ? { jit: false } : {}),
      ...(opts.jitThreshold !== undefined ? { jitThreshold: opts.jitThreshold } : {}),
    });
    const hart = machine.hart;
    // The last page of RAM: an empty page table for threads without an address space.
    const emptyVSpace = RAM_BASE + BigInt(opts.ramSize) - 4096n;
    const kernel = new Kernel(
      hart,
      { putChar: opts.console, log: opts.log },
      emptyVSpace,
      opts.release,
      opts.domains,
    );
    const root = createRootTask(kernel, parsed.elf, {
      cnodeSizeBits: opts.cnodeSizeBits,
      dtb: dtb.dtb,
    });
    if (!root.ok) return root;
    hart.core.setHostTrapMask(HOST_TRAP_ALL_EXCEPTIONS);
    // The kernel owns hart 0's S-mode PLIC context; its line is a kernel entry.
    kernel.plic = machine.plic;
    plicInit(machine.plic);
    hart.core.setHostIrqMask(MIP_SEIP);
    // The kernel flushes the TLB after every page-table change (vspace.ts sfence).
    hart.core.setTlbBanking(1);
    hart.core.writeCsr(CSR_MSTATUS, MSTATUS_FS_INITIAL);
    // seL4: user code may read cycle, time and instret (rdcycle, rdtime,
    // rdinstret); on QEMU seL4 leaves scounteren clear and they trap.
    hart.core.writeCsr(CSR_MCOUNTEREN, COUNTERS_CY_TM_IR);
    hart.core.writeCsr(CSR_SCOUNTEREN, COUNTERS_CY_TM_IR);
    kernel.exit();
    return { ok: true, system: new System(machine, kernel) };
  }

  /**
   * Runs until the kernel stops the system, or a limit is reached. With
   * `check`, the kernel's invariants are asserted after every kernel entry
   * and a violation stops the system as a kernel panic.
   */
  run(limits: RunLimits = {}): SystemStop {
    const { hart } = this.machine;
    const core = hart.core;
    const kernel = this.kernel;
    const ks = kernel.ks;
    // PERF (bench/ipc): instruction counts as numbers (exact below 2^53),
    // read from the core's host block; no BigInt per kernel entry. The
    // limits are read once, and the instructions left until the next tick
    // live in a local (this.tickLeft again whenever the loop lets go).
    const h32 = hart.host32;
    const maxInstructions =
      limits.maxInstructions === undefined ? Infinity : Number(limits.maxInstructions);
    const deadline = limits.deadline ?? Infinity;
    const check = limits.check === true;
    const pauseForInput = limits.pauseForInput === true;
    let checks = 0;
    let retired = hart.retired;
    for (;;) {
      if (ks.stop) return ks.stop;
      if (ks.currentThread === ks.idleThread) {
        // The idle thread runs until something happens (seL4: wfi).
        const woke = this.idle();
        if (woke === "nothing") return pauseForInput ? { kind: "paused" } : { kind: "idle" };
        if (check && !ks.stop) this.check();
        if (pauseForInput && woke === "tick") return { kind: "paused" };
        continue;
      }
      const left = maxInstructions - retired;
      if (left <= 0) return { kind: "limit" };
      if ((++checks & 63) === 0 && Date.now() > deadline) return { kind: "timeout" };
      let tickLeft = this.tickLeft;
      const exit = core.run(left < tickLeft ? left : tickLeft);
      const now = h32[2]! + h32[3]! * 0x1_0000_0000;
      tickLeft -= now - retired;
      this.tickLeft = tickLeft;
      retired = now;
      if (exit === Exit.HostTrap) kernel.handleHostTrap();
      else if (exit === Exit.HostIrq) kernel.handleInterruptEntry();
      else if (tickLeft > 0) continue;
      if (tickLeft <= 0 && !ks.stop) {
        this.tick();
        if (check && !ks.stop) this.check();
        if (pauseForInput) return { kind: "paused" };
      } else if (check && !ks.stop) this.check();
    }
  }

  /**
   * A timer tick: the devices catch up with time (console input, the RTC),
   * then the kernel's tick. PERF (bench/ipc): devices are polled once a tick,
   * not at every kernel entry; input waits at most a tick (2 ms guest time).
   */
  private tick(): void {
    this.tickLeft += this.kernel.tickBudget;
    this.machine.uart.pollInput();
    this.machine.rtc.tick();
    this.kernel.handleTick();
  }

  /**
   * The idle thread is current: let time pass until something can happen,
   * and make it happen. "irq": an interrupt was delivered; "tick": time
   * moved to the next tick (another domain has work, or a device event is
   * due); "nothing": nothing can ever wake a thread (without new input).
   */
  private idle(): "irq" | "tick" | "nothing" {
    const { machine, kernel } = this;
    const core = machine.hart.core;
    machine.uart.pollInput();
    machine.rtc.tick();
    if ((core.readCsr(CSR_MIP) & MIP_SEIP) !== 0n) {
      kernel.handleInterruptEntry();
      return "irq";
    }
    const alarm = machine.rtc.alarmCycle();
    if (anyThreadReady(kernel.ks) || alarm !== undefined) {
      // Idle cycles until the next tick (an RTC alarm fires at the tick it falls in).
      core.addIdleCycles(BigInt(this.tickLeft));
      this.tickLeft = 0;
      this.tick();
      return "tick";
    }
    return "nothing";
  }

  private check(): void {
    const ks = this.kernel.ks;
    const broken = checkInvariants(this.kernel);
    if (broken) {
      const t = ks.currentThread;
      ks.stop = {
        kind: "panic",
        message: `invariant violated: ${broken}`,
        thread: t?.name ?? "?",
        syscall: "(after kernel entry)",
      };
    }
  }
}
