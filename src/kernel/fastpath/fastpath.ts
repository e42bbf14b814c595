// The IPC fastpath (seL4/seL4: src/fastpath/fastpath.c fastpath_call,
// fastpath_reply_recv; sel4-semantics 8.5): Call and ReplyRecv between two
// threads in the common case, done in one pass. Each function checks every
// condition before it changes anything; if one fails it returns false and the
// slow path (Kernel.handleSyscall) runs instead. When it succeeds the kernel
// state is exactly what the slow path plus schedule() would leave: the message
// moved, the reply cap created or consumed, the partner current and the
// scheduler action ResumeCurrentThread. fastpath.test.ts runs programs with
// the fastpath on and off and compares everything they do.
//
// seL4: seL4's fastpath also requires the receiver to have a valid VSpace
// root; mica's kernel exit handles a missing one the same way on both paths,
// so that condition is not needed here.

import {
  badgeRegister,
  capRegister,
  msgInfoRegister,
  msgRegisters,
} from "../arch/riscv/registers.js";
import { cteInsert, unlinkSlot } from "../cdt.js";
import { lookupSlot, lookupSlotDirect32 } from "../cspace.js";
import type { Kernel } from "../kernel.js";
import type { CapOf } from "../object/cap.js";
import type { CTE } from "../object/cte.js";
import type { Endpoint } from "../object/endpoint.js";
import {
  BlockedOnReply,
  Running,
  type TCB,
  type ThreadState,
  tcbCaller,
  tcbCTable,
  tcbReply,
} from "../object/tcb.js";
import { isHighestPrio, switchToThread } from "../thread.js";

/** How often each fastpath was taken (for tests and benchmarks). */
export interface FastpathStats {
  call: number;
  replyRecv: number;
}

// PERF (bench/ipc): registers are read and copied as 32-bit halves of
// TCB.regs (regs32), so the fastpath makes no BigInts.
// seL4_MessageInfo: 11..9 capsUnwrapped, 8..7 extraCaps, 6..0 length.
const MSG_INFO_EXTRA_CAPS_AND_LENGTH = 0x1ff;
const MSG_INFO_CAPS_UNWRAPPED = 0xe00;
const MSG_INFO_LENGTH = 0x7f;
/** Messages of at most n_msgRegisters words travel in registers only. */
const FASTPATH_MAX_LENGTH = 4;
/** Low halves of the message-info, cap and badge registers in regs32. */
const INFO_LO = 2 * msgInfoRegister;
const CAP_LO = 2 * capRegister;
const BADGE_LO = 2 * badgeRegister;
/** Low half of MR0 in regs32; MR1..MR3 follow (a2..a5, checked below). */
const MR_LO = 2 * msgRegisters[0];
if (msgRegisters.some((r, i) => r !== msgRegisters[0] + i)) {
  throw new Error("fastpath: the message registers are not contiguous");
}

/** The endpoint cap a thread names, when the lookup succeeds; undefined otherwise. */
function lookupEndpointCap(t: TCB): CapOf<"EndpointCap"> | undefined {
  const r32 = t.regs32;
  const lo = r32[CAP_LO]!;
  const hi = r32[CAP_LO + 1]!;
  const cspace = t.cnode[tcbCTable]!.cap;
  let slot: CTE | undefined;
  if (cspace === t.epLookupCSpace && lo === t.epLookupLo && hi === t.epLookupHi) {
    slot = t.epLookupSlot!;
  } else {
    slot = lookupSlotDirect32(t, lo, hi);
    if (slot !== undefined) {
      // A single-level CSpace: the slot depends on the root CNode cap alone.
      t.epLookupCSpace = cspace;
      t.epLookupLo = lo;
      t.epLookupHi = hi;
      t.epLookupSlot = slot;
    } else {
      const r = lookupSlot(t, t.regs[capRegister]!);
      if (!r.ok) return undefined;
      slot = r.slot;
    }
  }
  const cap = slot.cap;
  return cap.type === "EndpointCap" ? cap : undefined;
}

/** Copies the message's `len` registers, the message info (caps unwrapped cleared). */
function copyMessage(from: TCB, to: TCB, len: number): void {
  const src = from.regs32;
  const dst = to.regs32;
  // MR0..MR3 are a2..a5, contiguous in the register file: one run of halves.
  for (let i = MR_LO, end = MR_LO + 2 * len; i < end; i++) dst[i] = src[i]!;
  dst[INFO_LO] = src[INFO_LO]! & ~MSG_INFO_CAPS_UNWRAPPED;
  dst[INFO_LO + 1] = src[INFO_LO + 1]!;
}

// PERF (bench/ipc): the state a server blocks in is the same object from one
// ReplyRecv to the next (thread states are immutable values), so the
// fastpath does not allocate one per round trip.
let lastBlockedOnReceive: Extract<ThreadState, { type: "BlockedOnReceive" }> | undefined;

/** The thread state BlockedOnReceive on `ep` with `canGrant`. */
function blockedOnReceive(ep: Endpoint, canGrant: boolean): ThreadState {
  const last = lastBlockedOnReceive;
  if (last !== undefined && last.ep === ep && last.canGrant === canGrant) return last;
  lastBlockedOnReceive = { type: "BlockedOnReceive", ep, canGrant };
  return lastBlockedOnReceive;
}

/**
 * schedule()'s verdict on a switch candidate when the current thread has
 * blocked (sel4-semantics 8.2): it runs unless it is below the current thread
 * and below the highest ready priority.
 */
function wouldSwitchTo(kernel: Kernel, cur: TCB, target: TCB): boolean {
  const ks = kernel.ks;
  if (target.domain !== ks.curDomain || target.queued) return false;
  return !(target.priority < cur.priority && !isHighestPrio(ks, ks.curDomain, target.priority));
}

/**
 * Call on an endpoint with a receiver waiting (fastpath_call). Conditions:
 * message of at most 4 words and no extra caps, caller without a fault, an
 * endpoint cap with Write and Grant or GrantReply, a receiver queued, an empty
 * caller slot in the receiver, the scheduler resuming the caller, and the
 * receiver in the current domain and chosen by schedule().
 */
export function fastpathCall(kernel: Kernel, cur: TCB): boolean {
  const ks = kernel.ks;
  const info = cur.regs32[INFO_LO]!;
  if ((info & MSG_INFO_EXTRA_CAPS_AND_LENGTH) > FASTPATH_MAX_LENGTH) return false;
  if (cur.fault !== undefined || ks.schedulerAction !== "ResumeCurrentThread") return false;
  const cap = lookupEndpointCap(cur);
  if (cap === undefined || !cap.canSend || !(cap.canGrant || cap.canGrantReply)) return false;
  const ep = cap.obj;
  if (ep.state !== "Recv") return false;
  const dest = ep.queue[0]!;
  const destState = dest.state;
  if (destState.type !== "BlockedOnReceive") return false;
  const callerSlot = dest.cnode[tcbCaller]!;
  if (callerSlot.cap.type !== "NullCap" || callerSlot.mdbNext || callerSlot.mdbPrev) return false;
  const replySlot = cur.cnode[tcbReply]!;
  const master = replySlot.cap;
  if (master.type !== "ReplyCap" || !master.master || master.tcb !== cur) return false;
  if (!wouldSwitchTo(kernel, cur, dest)) return false;

  // sendIPC's Recv case with doIPCTransfer's register-only message.
  ep.queue.shift();
  if (ep.queue.length === 0) ep.state = "Idle";
  copyMessage(cur, dest, info & MSG_INFO_LENGTH);
  dest.regs[badgeRegister] = cap.badge;
  dest.state = Running;
  // setupCallerCap.
  cur.state = BlockedOnReply;
  cteInsert(cur.callerReplyCap(destState.canGrant), replySlot, callerSlot);
  switchToThread(ks, dest);
  kernel.fastpathStats.call++;
  return true;
}

/**
 * ReplyRecv: reply to the caller, then wait on an endpoint
 * (fastpath_reply_recv). Conditions: message of at most 4 words and no extra
 * caps, no fault on the replier, an endpoint cap with Read, no active bound
 * notification, an endpoint not in the Send state, a reply cap in the caller
 * slot to a thread waiting for the reply without a fault, the scheduler
 * resuming the replier, and the caller in the current domain and chosen by
 * schedule().
 */
export function fastpathReplyRecv(kernel: Kernel, cur: TCB): boolean {
  const ks = kernel.ks;
  const info = cur.regs32[INFO_LO]!;
  if ((info & MSG_INFO_EXTRA_CAPS_AND_LENGTH) > FASTPATH_MAX_LENGTH) return false;
  if (cur.fault !== undefined || ks.schedulerAction !== "ResumeCurrentThread") return false;
  const cap = lookupEndpointCap(cur);
  if (cap === undefined || !cap.canReceive) return false;
  const ntfn = cur.boundNotification;
  if (ntfn && ntfn.state === "Active") return false;
  const ep = cap.obj;
  if (ep.state === "Send") return false;
  const callerSlot = cur.cnode[tcbCaller]!;
  const replyCap = callerSlot.cap;
  if (replyCap.type !== "ReplyCap" || replyCap.master) return false;
  const caller = replyCap.tcb;
  if (caller === cur || caller.state.type !== "BlockedOnReply" || caller.fault !== undefined)
    return false;
  if (!wouldSwitchTo(kernel, cur, caller)) return false;

  // doReplyTransfer for a caller without a fault: the message, badge 0.
  copyMessage(cur, caller, info & MSG_INFO_LENGTH);
  caller.regs32[BADGE_LO] = 0;
  caller.regs32[BADGE_LO + 1] = 0;
  // seL4's fastpath unlinks the reply cap directly: it has no children and
  // needs no finalisation (the slow path's cteDeleteOne comes to the same).
  unlinkSlot(callerSlot);
  caller.state = Running;
  // receiveIPC blocking on an Idle or Recv endpoint.
  cur.state = blockedOnReceive(ep, cap.canGrant);
  ep.queue.push(cur);
  ep.state = "Recv";
  switchToThread(ks, caller);
  kernel.fastpathStats.replyRecv++;
  return true;
}
