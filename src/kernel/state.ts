// The kernel's global state (seL4/seL4: src/model/statedata.c,
// include/model/statedata.h; l4v spec/haskell/src/SEL4/Model/StateData.lhs):
// ready queues and their bitmap, the current thread, the scheduler action,
// the domain schedule, the ASID table, and the ways out to the host.

import type { ASIDPool } from "./arch/riscv/asid.js";
import { IdleThreadState, TCB } from "./object/tcb.js";

export const NUM_PRIORITIES = 256;
export const seL4_MinPrio = 0;
export const seL4_MaxPrio = NUM_PRIORITIES - 1;
/** Ticks per time slice (CONFIG_TIME_SLICE) and instructions per 2 ms tick at mica's nominal 100 MHz. */
export const CONFIG_TIME_SLICE = 5;
export const TICK_INSTRUCTIONS = 200_000;
/** CONFIG_NUM_DOMAINS: seL4's default build has one domain. */
export const CONFIG_NUM_DOMAINS = 1;
/** CONFIG_NUM_DOMAIN_SCHEDULES: entries in the domain schedule (the last stays an end marker). */
export const CONFIG_NUM_DOMAIN_SCHEDULES = 2;
/** The most domains a system may be booted with (seL4 allows up to 256). */
export const MAX_NUM_DOMAINS = 256;
/** The longest domain-schedule entry (2^56 - 1 ticks): the boot schedule's only entry. */
export const DSCHED_MAX_DURATION = (1n << 56n) - 1n;

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

/**
 * seL4's ksSchedulerAction: keep the current thread, choose the best ready
 * thread, or switch to a given thread (a candidate not in any queue).
 */
export type SchedulerAction = "ResumeCurrentThread" | "ChooseNewThread" | TCB;

/** One domain-schedule entry (dschedule_t); domain 0 with duration 0 is an end marker. */
export interface DomainScheduleEntry {
  readonly domain: number;
  readonly duration: bigint;
}

/**
 * Temporal partitioning chosen at boot (seL4 fixes it when the kernel is
 * built: CONFIG_NUM_DOMAINS and the dschedule array): how many domains
 * exist, and the schedule of (domain, ticks) entries the kernel cycles
 * through. The default is seL4's: one domain that never ends.
 */
export interface DomainConfig {
  readonly numDomains: number;
  readonly schedule: readonly DomainScheduleEntry[];
}

export const DEFAULT_DOMAINS: DomainConfig = {
  numDomains: CONFIG_NUM_DOMAINS,
  schedule: [{ domain: 0, duration: DSCHED_MAX_DURATION }],
};

/** Why a domain configuration cannot be used, or undefined. */
export function checkDomainConfig(c: DomainConfig): string | undefined {
  if (!Number.isInteger(c.numDomains) || c.numDomains < 1 || c.numDomains > MAX_NUM_DOMAINS)
    return `the number of domains must be 1..${MAX_NUM_DOMAINS}`;
  if (c.schedule.length === 0) return "the domain schedule is empty";
  for (const e of c.schedule) {
    if (!Number.isInteger(e.domain) || e.domain < 0 || e.domain >= c.numDomains)
      return `domain ${e.domain} is outside 0..${c.numDomains - 1}`;
    if (e.duration < 1n || e.duration > DSCHED_MAX_DURATION)
      return `a domain's time must be 1..2^56-1 ticks`;
  }
  return undefined;
}

export class KernelState {
  /**
   * Ready queues indexed by ready_queues_index(domain, priority); the head
   * (index 0) runs first. With one domain, the index is the priority.
   */
  readonly readyQueues: TCB[][];
  /** Per domain, one bit per priority with a non-empty queue (seL4's two-level bitmap, flattened). */
  readonly readyBitmap: Uint32Array[];
  /** CONFIG_NUM_DOMAINS of this boot. */
  readonly numDomains: number;
  /** The idle thread: current when nothing else can run; never queued, never blocked. */
  readonly idleThread: TCB;
  currentThread: TCB;
  /** At boot: choose (the root task is the only queued thread). */
  schedulerAction: SchedulerAction = "ChooseNewThread";
  curDomain: number;
  domainTime: bigint;
  /**
   * ksDomSchedule: the boot schedule, then end markers (domain 0, duration
   * 0): at least one, and CONFIG_NUM_DOMAIN_SCHEDULES entries in all at least.
   */
  readonly domSchedule: DomainScheduleEntry[];
  domScheduleIdx = 0;
  domScheduleStart = 0;
  /** Threads known to the kernel, for DebugDumpScheduler and invariant checks. */
  readonly threads = new Set<TCB>();
  readonly asidTable: (ASIDPool | undefined)[] = new Array(128).fill(undefined);
  /**
   * Counts changes to asidTable and to the pools' entries, so a thread's
   * cached satp (TCB.satpLo/satpHi) can tell it is still valid.
   */
  asidVersion = 0;
  stop: KernelStop | undefined;

  constructor(
    readonly host: KernelHost,
    domains: DomainConfig = DEFAULT_DOMAINS,
  ) {
    this.numDomains = domains.numDomains;
    this.readyQueues = Array.from({ length: domains.numDomains * NUM_PRIORITIES }, () => []);
    this.readyBitmap = Array.from(
      { length: domains.numDomains },
      () => new Uint32Array(NUM_PRIORITIES / 32),
    );
    const length = Math.max(domains.schedule.length + 1, CONFIG_NUM_DOMAIN_SCHEDULES);
    this.domSchedule = Array.from(
      { length },
      (_, i) => domains.schedule[i] ?? { domain: 0, duration: 0n },
    );
    // seL4's boot: the first entry's domain and time.
    this.curDomain = this.domSchedule[0]!.domain;
    this.domainTime = this.domSchedule[0]!.duration;
    const idle = new TCB(0n);
    idle.state = IdleThreadState;
    idle.name = "idle_thread";
    this.idleThread = idle;
    this.currentThread = idle;
  }
}
