// A whole mica system: the emulated machine with the seL4-compatible kernel
// as its supervisor and a root task in U-mode. The hart runs user code until
// a trap or a timer tick; then the kernel (TypeScript) takes over.

import type { Release } from "../kernel/api/generated/abi.js";
import { checkInvariants } from "../kernel/invariants.js";
import { Kernel } from "../kernel/kernel.js";
import type { KernelStop } from "../kernel/state.js";
import { Exit } from "../machine/cpu/core-module.js";
import { Machine, RAM_BASE } from "../machine/machine.js";
import { buildVirtDtb } from "../machine/virt-dtb.js";
import { parseElf } from "./elf.js";
import { createRootTask } from "./root-task.js";

export { DEFAULT_RELEASE, RELEASES, type Release } from "../kernel/api/generated/abi.js";

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
}

export type SystemStop = KernelStop | { kind: "limit" } | { kind: "timeout" };

export type SystemBoot = { ok: true; system: System } | { ok: false; error: string };

// Every exception from U-mode goes to the kernel (causes 0..15).
const HOST_TRAP_ALL_EXCEPTIONS = 0xffffn;
const CSR_MSTATUS = 0x300;
const MSTATUS_FS_INITIAL = 1n << 13n;

export class System {
  private constructor(
    readonly machine: Machine,
    readonly kernel: Kernel,
  ) {}

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
    const dtb = buildVirtDtb({ ramSize: BigInt(opts.ramSize), harts: 1 });
    if (!dtb.ok) return dtb;
    const machine = new Machine({ ramSize: opts.ramSize, console: () => {} });
    const hart = machine.hart;
    // The last page of RAM: an empty page table for threads without an address space.
    const emptyVSpace = RAM_BASE + BigInt(opts.ramSize) - 4096n;
    const kernel = new Kernel(
      hart,
      { putChar: opts.console, log: opts.log },
      emptyVSpace,
      opts.release,
    );
    const root = createRootTask(kernel, parsed.elf, {
      cnodeSizeBits: opts.cnodeSizeBits,
      dtb: dtb.dtb,
    });
    if (!root.ok) return root;
    hart.core.setHostTrapMask(HOST_TRAP_ALL_EXCEPTIONS);
    hart.core.writeCsr(CSR_MSTATUS, MSTATUS_FS_INITIAL);
    kernel.exit();
    return { ok: true, system: new System(machine, kernel) };
  }

  /**
   * Runs until the kernel stops the system, or a limit is reached. With
   * `check`, the kernel's invariants are asserted after every kernel entry
   * and a violation stops the system as a kernel panic.
   */
  run(limits: { maxInstructions?: bigint; deadline?: number; check?: boolean } = {}): SystemStop {
    const { hart } = this.machine;
    const core = hart.core;
    const kernel = this.kernel;
    const ks = kernel.ks;
    // PERF (bench/ipc): instruction counts as numbers (exact below 2^53),
    // read from the core's host block; no BigInt per kernel entry.
    const maxInstructions =
      limits.maxInstructions === undefined ? Infinity : Number(limits.maxInstructions);
    let tickLeft = kernel.tickBudget;
    let checks = 0;
    let retired = hart.retired;
    for (;;) {
      if (ks.stop) return ks.stop;
      if (ks.currentThread === ks.idleThread) {
        // Nothing can run and nothing (no interrupt source yet) can wake a thread.
        return { kind: "idle" };
      }
      let budget = tickLeft;
      const left = maxInstructions - retired;
      if (left <= 0) return { kind: "limit" };
      if (left < budget) budget = left;
      if (limits.deadline !== undefined && (++checks & 63) === 0 && Date.now() > limits.deadline) {
        return { kind: "timeout" };
      }
      const exit = core.run(budget);
      const now = hart.retired;
      tickLeft -= now - retired;
      retired = now;
      let entered = false;
      if (exit === Exit.HostTrap) {
        kernel.handleHostTrap();
        entered = true;
      }
      if (tickLeft <= 0) {
        tickLeft += kernel.tickBudget;
        if (!ks.stop) {
          kernel.handleTick();
          entered = true;
        }
      }
      if (entered && limits.check && !ks.stop) {
        const broken = checkInvariants(kernel);
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
  }
}
