// The kernel's global state (seL4/seL4: src/model/statedata.c,
// spec/haskell/src/SEL4/Model/StateData.lhs): scheduler queues, the current
// thread, the ASID table, and the ways out to the host.

import type { ASIDPool } from "./arch/riscv/asid.js";
import type { TCB } from "./object/tcb.js";

export const NUM_PRIORITIES = 256;
export const seL4_MaxPrio = NUM_PRIORITIES - 1;
/** Ticks per time slice (CONFIG_TIME_SLICE) and instructions per 2 ms tick at mica's nominal 100 MHz. */
export const CONFIG_TIME_SLICE = 5;
export const TICK_INSTRUCTIONS = 200_000;

/** Why the kernel asked the system to stop. */
export type KernelStop =
  | { kind: "halt" }
  | { kind: "idle" }
  | { kind: "panic"; message: string; thread: string; syscall: string };

export interface KernelHost {
  /** A byte from seL4_DebugPutChar. */
  putChar(byte: number): void;
  /** A kernel message (printed on stderr by the CLI, like seL4's debug printf). */
  log(line: string): void;
}

export class KernelState {
  /** Ready queues per priority (one domain until Kernel 2/2). */
  readonly readyQueues: TCB[][] = Array.from({ length: NUM_PRIORITIES }, () => []);
  currentThread: TCB | undefined;
  /** Threads known to the kernel, for DebugDumpScheduler and invariant checks. */
  readonly threads = new Set<TCB>();
  readonly asidTable: (ASIDPool | undefined)[] = new Array(128).fill(undefined);
  stop: KernelStop | undefined;

  constructor(readonly host: KernelHost) {}
}
