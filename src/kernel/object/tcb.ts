// Thread control blocks (seL4/seL4: include/object/structures.h tcb_t,
// src/object/tcb.c; l4v spec/haskell/src/SEL4/Object/Structures.lhs). The
// user context is kept as raw bytes in the same layout as the hart's register
// file, so switching threads is a copy of bytes, never of 64-bit numbers one
// by one.

import type { Fault } from "../api/faults.js";
import { FAULT_IP_WORD, NEXT_IP_WORD, USER_CONTEXT_ORDER } from "../arch/riscv/registers.js";
import type { Cap, CapOf } from "./cap.js";
import { CTE } from "./cte.js";
import type { Endpoint } from "./endpoint.js";
import type { Notification } from "./notification.js";

/** seL4's thread_state_t: the state type plus the blocking details it records. */
export type ThreadState =
  | { readonly type: "Inactive" }
  | { readonly type: "Running" }
  | { readonly type: "Restart" }
  | { readonly type: "IdleThreadState" }
  | { readonly type: "BlockedOnReply" }
  | { readonly type: "BlockedOnNotification"; readonly ntfn: Notification }
  | {
      readonly type: "BlockedOnSend";
      readonly ep: Endpoint;
      readonly badge: bigint;
      readonly canGrant: boolean;
      readonly canGrantReply: boolean;
      readonly isCall: boolean;
    }
  | { readonly type: "BlockedOnReceive"; readonly ep: Endpoint; readonly canGrant: boolean };

export type ThreadStateType = ThreadState["type"];

export const Inactive: ThreadState = Object.freeze({ type: "Inactive" });
export const Running: ThreadState = Object.freeze({ type: "Running" });
export const Restart: ThreadState = Object.freeze({ type: "Restart" });
export const BlockedOnReply: ThreadState = Object.freeze({ type: "BlockedOnReply" });
export const IdleThreadState: ThreadState = Object.freeze({ type: "IdleThreadState" });

// seL4's tcb_cnode slots.
export const tcbCTable = 0;
export const tcbVTable = 1;
export const tcbReply = 2;
export const tcbCaller = 3;
export const tcbBuffer = 4;

/** Bytes of saved integer context: x0..x31 as the hart stores them. */
export const CONTEXT_BYTES = 32 * 8;

/** TCB flags (seL4_TCBFlag): the only one is fpuDisabled. */
export const seL4_TCBFlag_fpuDisabled = 1n;
export const seL4_TCBFlag_MASK = seL4_TCBFlag_fpuDisabled;

export class TCB {
  state: ThreadState = Inactive;
  /** In a ready queue (seL4's tcbQueued bit of the thread state). */
  queued = false;
  readonly cnode: CTE[];
  /**
   * x0..x31 (x0 unused), little-endian words, as in the hart's register
   * file, then FaultIP (word 32) and NextIP (word 33), as seL4's RISC-V
   * register array keeps them beside the registers.
   */
  readonly regs = new BigUint64Array(34);
  /** x0..x31 as bytes, for whole-context copies to and from the hart. */
  readonly regBytes = new Uint8Array(this.regs.buffer, 0, CONTEXT_BYTES);
  /** All 34 words as 32-bit halves (PERF, bench/ipc: no BigInts on the fastpath). */
  readonly regs32 = new Uint32Array(this.regs.buffer);
  /** f0..f31 and fcsr. */
  readonly fregs = new BigUint64Array(32);
  readonly fregBytes = new Uint8Array(this.fregs.buffer);
  fcsr = 0;
  priority = 0;
  mcp = 0;
  domain = 0;
  timeSlice = 0;
  ipcBuffer = 0n;
  /** The fault endpoint's cptr, looked up in this thread's CSpace when it faults. */
  faultHandler = 0n;
  boundNotification: Notification | undefined;
  /** tcbFlags (seL4_TCBFlag_*). */
  flags = 0n;
  name = "";
  /**
   * satp for this thread's address space as kernel exit last worked it out
   * (seL4's setVMRoot), valid while the VTable slot holds `vmRootCap` and
   * the ASID table is at `vmRootVersion` (KernelState.asidVersion).
   * PERF (bench/ipc): an exit to a thread whose VSpace did not change reads
   * no cap fields and makes no BigInt comparisons.
   */
  vmRootCap: Cap | undefined = undefined;
  vmRootVersion = -1;
  satpLo = 0;
  satpHi = 0;
  /**
   * The slot the fastpath last found for this thread's cap register
   * (epLookupLo/Hi) in its CSpace, valid while the CTable slot holds
   * `epLookupCSpace` (caps are immutable, and a CNode makes each slot
   * object once). PERF (bench/ipc): no CSpace walk per Call or ReplyRecv.
   */
  epLookupCSpace: Cap | undefined = undefined;
  epLookupLo = 0;
  epLookupHi = 0;
  epLookupSlot: CTE | undefined = undefined;
  /** The fault being delivered (seL4's tcbFault + tcbLookupFailure); undefined = NullFault. */
  fault: Fault | undefined = undefined;
  /**
   * The IPC buffer's physical address as last computed from the buffer
   * frame cap `ipcBufferFrame` and ipcBuffer `ipcBufferVaddr` (or undefined:
   * outside RAM). Valid while both are unchanged; caps are immutable values,
   * so the same cap object means the same frame. PERF (sel4test): see
   * Kernel.lookupIPCBuffer.
   */
  ipcBufferFrame: Cap | undefined = undefined;
  ipcBufferVaddr = 0n;
  ipcBufferAddr: bigint | undefined = undefined;
  /**
   * The reply caps a receiver gets when this thread calls, with and without
   * Grant (caps are immutable values, so one of each serves every call).
   * PERF (bench/ipc): no allocation per Call.
   */
  private readonly replyCaps: readonly [CapOf<"ReplyCap">, CapOf<"ReplyCap">] = [
    { type: "ReplyCap", tcb: this, master: false, canGrant: false },
    { type: "ReplyCap", tcb: this, master: false, canGrant: true },
  ];

  /** The reply cap to this thread for a receiver of its Call (seL4's setupCallerCap). */
  callerReplyCap(canGrant: boolean): CapOf<"ReplyCap"> {
    return this.replyCaps[canGrant ? 1 : 0];
  }

  constructor(readonly paddr: bigint) {
    const owner = `tcb@${paddr.toString(16)}`;
    this.cnode = [0, 1, 2, 3, 4].map((i) => new CTE(owner, i));
  }

  /** Address of the instruction that entered the kernel. */
  get faultIP(): bigint {
    return this.regs[FAULT_IP_WORD]!;
  }
  set faultIP(v: bigint) {
    this.regs[FAULT_IP_WORD] = v;
  }

  /** Where the thread resumes. */
  get nextIP(): bigint {
    return this.regs[NEXT_IP_WORD]!;
  }
  set nextIP(v: bigint) {
    this.regs[NEXT_IP_WORD] = v;
  }

  /** seL4's isRunnable (= isSchedulable without MCS). */
  get runnable(): boolean {
    const t = this.state.type;
    return t === "Running" || t === "Restart";
  }
}

/** seL4's isStopped: Inactive or blocked (what Resume acts on). */
export function isStopped(t: TCB): boolean {
  switch (t.state.type) {
    case "Inactive":
    case "BlockedOnReceive":
    case "BlockedOnSend":
    case "BlockedOnNotification":
    case "BlockedOnReply":
      return true;
    default:
      return false;
  }
}

// ---- registers as seL4 names them

/**
 * A user register: an x-register number (1..31) or FaultIP. seL4 keeps the
 * restart PC (FaultIP, the sepc of the entry) and NextIP apart; user-visible
 * register numbering (seL4_UserContext) names the PC as FaultIP.
 */
export type Register = number;
export const FaultIP: Register = -1;

/** seL4_UserContext words 0..15: pc, ra, sp, gp, s0..s11 (RISC-V frameRegisters). */
export const frameRegisters: readonly Register[] = USER_CONTEXT_ORDER.slice(0, 16);
/** seL4_UserContext words 16..31: a0..a7, t0..t6, tp (RISC-V gpRegisters). */
export const gpRegisters: readonly Register[] = USER_CONTEXT_ORDER.slice(16, 32);
export const n_frameRegisters = 16;
export const n_gpRegisters = 16;

export function getRegister(t: TCB, r: Register): bigint {
  return r === FaultIP ? t.faultIP : t.regs[r]!;
}

export function setRegister(t: TCB, r: Register, v: bigint): void {
  const w = BigInt.asUintN(64, v);
  if (r === FaultIP) t.faultIP = w;
  else if (r !== 0) t.regs[r] = w;
}

/** getRestartPC / setNextPC / updateRestartPC of seL4's arch layer. */
export function getRestartPC(t: TCB): bigint {
  return t.faultIP;
}

export function setNextPC(t: TCB, v: bigint): void {
  t.nextIP = v;
}

export function updateRestartPC(t: TCB): void {
  t.faultIP = t.nextIP;
}
