// Message transfer, reply caps and thread stop/start (seL4/seL4:
// src/kernel/thread.c doIPCTransfer..doReplyTransfer, suspend, restart;
// src/object/tcb.c copyMRs, lookupExtraCaps, setupCallerCap;
// src/object/endpoint.c cancelIPC; src/object/cnode.c getReceiveSlots,
// setupReplyMaster; src/object/objecttype.c performInvocation_*;
// l4v spec/haskell/src/SEL4/Kernel/Thread.lhs, Object/Endpoint.lhs).
//
// Endpoint queues live in object/endpoint.ts, notifications in
// object/notification.ts; this file moves messages and caps between threads.

import { faultMessage, faultReplyAction, seL4_FaultType } from "./api/faults.js";
import {
  type MessageInfo,
  messageInfoFromHalves,
  messageInfoFromWord,
  seL4_MsgMaxLength,
  storeMessageInfo,
  wordFromMessageInfo,
} from "./api/message-info.js";
import {
  badgeRegister,
  msgInfoRegister,
  msgRegisters,
  n_msgRegisters,
} from "./arch/riscv/registers.js";
import { cteDeleteOne, cteInsert, setupReplyMaster } from "./cdt.js";
import {
  type LookupFault,
  lookupCap,
  lookupSlot,
  lookupSlotDirect32,
  lookupSlotForCNodeOp,
  wordBits,
} from "./cspace.js";
import type { Kernel } from "./kernel.js";
import type { CTE } from "./object/cte.js";
import {
  blockedIPCCancel,
  cancelAllIPC as cancelAllIPCOnEndpoint,
  cancelBadgedSends as cancelBadgedSendsOnEndpoint,
  type Endpoint,
  sendIPC,
} from "./object/endpoint.js";
import { done, fail, type Invocation, type InvocationResult } from "./object/invocation.js";
import {
  cancelAllSignals as cancelAllSignalsOnNotification,
  cancelSignal,
  type Notification,
  sendSignal,
  unbindNotification as unbind,
  unbindMaybeNotification as unbindMaybe,
} from "./object/notification.js";
import { deriveCap } from "./object/objecttype.js";
import {
  BlockedOnReply,
  Inactive,
  isStopped,
  Restart,
  Running,
  setRegister,
  type TCB,
  tcbCaller,
  tcbReply,
} from "./object/tcb.js";
import { possibleSwitchTo, prepareSuspend, setThreadState, tcbSchedEnqueue } from "./thread.js";

// IPC-buffer word indices (seL4_IPCBuffer): msg[i] at i + 1, then userData,
// caps_or_badges[3], receiveCNode, receiveIndex, receiveDepth.
const CAPS_OR_BADGES = seL4_MsgMaxLength + 2;
const RECEIVE_CNODE = seL4_MsgMaxLength + 5;

// ---- invocations of endpoint, notification and reply caps (decodeInvocation's cases)

/** Send/NBSend/Call on an endpoint cap: needs Write (performInvocation_Endpoint). */
export function invokeEndpoint(inv: Invocation): InvocationResult {
  const cap = inv.cap;
  if (cap.type !== "EndpointCap") throw new Error("invokeEndpoint on a non-endpoint cap");
  if (!cap.canSend) return fail({ type: "InvalidCapability", capNumber: 0 });
  sendIPC(
    inv.kernel,
    inv.isBlocking,
    inv.isCall,
    cap.badge,
    cap.canGrant,
    cap.canGrantReply,
    inv.thread,
    cap.obj,
  );
  return done;
}

/** Signal (any send syscall) on a notification cap: needs Write (performInvocation_Notification). */
export function invokeNotification(inv: Invocation): InvocationResult {
  const cap = inv.cap;
  if (cap.type !== "NotificationCap")
    throw new Error("invokeNotification on a non-notification cap");
  if (!cap.canSend) return fail({ type: "InvalidCapability", capNumber: 0 });
  sendSignal(inv.kernel, cap.obj, cap.badge);
  return done;
}

/** A send syscall on a saved reply cap replies through it (performInvocation_Reply). */
export function invokeReply(inv: Invocation): InvocationResult {
  const cap = inv.cap;
  if (cap.type !== "ReplyCap") throw new Error("invokeReply on a non-reply cap");
  if (cap.master) return fail({ type: "InvalidCapability", capNumber: 0 });
  doReplyTransfer(inv.kernel, inv.thread, cap.tcb, inv.slot, cap.canGrant);
  return done;
}

// ---- message registers

/** Word `index` of the IPC buffer at physical address `buf` (a number: see read64At). */
function readWord(kernel: Kernel, buf: number, index: number): bigint {
  return kernel.mem.read64At(buf + 8 * index);
}

function writeWord(kernel: Kernel, buf: number, index: number, v: bigint): void {
  kernel.mem.write64At(buf + 8 * index, v);
}

/** Writes MR `offset`; returns the message length so far (seL4's setMR). */
export function setMR(
  kernel: Kernel,
  receiver: TCB,
  buf: bigint | undefined,
  offset: number,
  v: bigint,
): number {
  if (offset < n_msgRegisters) {
    receiver.regs[msgRegisters[offset]!] = BigInt.asUintN(64, v);
    return offset + 1;
  }
  if (buf === undefined) return n_msgRegisters;
  writeWord(kernel, Number(buf), offset + 1, v);
  return offset + 1;
}

/** Writes MR0.. in order; returns the length actually written (4 at most without a buffer). */
export function setMRs(
  kernel: Kernel,
  receiver: TCB,
  buf: bigint | undefined,
  mrs: readonly bigint[],
): number {
  let n = 0;
  for (const [i, v] of mrs.entries()) n = setMR(kernel, receiver, buf, i, v);
  return n;
}

/** MR0..MR(n-1) as sent: registers first, the rest from the buffer (only as many as exist). */
export function getMRs(kernel: Kernel, t: TCB, buf: bigint | undefined, n: number): bigint[] {
  // PERF (sel4test): the array is made at its final length (push would
  // reserve 17 elements).
  const count = buf === undefined && n > n_msgRegisters ? n_msgRegisters : n;
  const mrs: bigint[] = new Array(count);
  for (let i = 0; i < count && i < n_msgRegisters; i++) mrs[i] = t.regs[msgRegisters[i]!]!;
  if (count <= n_msgRegisters) return mrs;
  const at = Number(buf);
  for (let i = n_msgRegisters; i < count; i++) mrs[i] = readWord(kernel, at, i + 1);
  return mrs;
}

/** Copies MRs register to register, then buffer to buffer if both exist; returns the count (copyMRs). */
function copyMRs(
  kernel: Kernel,
  sender: TCB,
  sendBuf: bigint | undefined,
  receiver: TCB,
  recvBuf: bigint | undefined,
  n: number,
): number {
  let i = 0;
  for (; i < n && i < n_msgRegisters; i++) {
    const r = msgRegisters[i]!;
    receiver.regs[r] = sender.regs[r]!;
  }
  if (recvBuf === undefined || sendBuf === undefined || i >= n) return i;
  const from = Number(sendBuf);
  const to = Number(recvBuf);
  for (; i < n; i++) writeWord(kernel, to, i + 1, readWord(kernel, from, i + 1));
  return i;
}

/**
 * The slots named by the sender's extra-cap cptrs (lookupExtraCaps);
 * undefined if one fails to resolve. No buffer: no extra caps.
 */
export function lookupExtraCaps(
  kernel: Kernel,
  thread: TCB,
  buf: bigint | undefined,
  info: MessageInfo,
): { ok: true; slots: CTE[] } | { ok: false; cptr: bigint; fault: LookupFault } {
  if (buf === undefined) return { ok: true, slots: [] };
  const slots: CTE[] = new Array(info.extraCaps);
  const at = Number(buf);
  for (let i = 0; i < info.extraCaps; i++) {
    // PERF (sel4test): the cptr's halves first, for the usual single-level CSpace.
    const pa = at + 8 * (CAPS_OR_BADGES + i);
    const direct = lookupSlotDirect32(thread, kernel.mem.read32(pa), kernel.mem.read32(pa + 4));
    if (direct !== undefined) {
      slots[i] = direct;
      continue;
    }
    const cptr = readWord(kernel, at, CAPS_OR_BADGES + i);
    const r = lookupSlot(thread, cptr);
    if (!r.ok) return { ok: false, cptr, fault: r.fault };
    slots[i] = r.slot;
  }
  return { ok: true, slots };
}

// ---- transfer

/**
 * Moves a message from sender to receiver (doIPCTransfer): a fault message if
 * the sender is faulting, else the sender's own message. `ep` is the endpoint
 * used (undefined for replies: nothing is unwrapped then).
 */
export function doIPCTransfer(
  kernel: Kernel,
  sender: TCB,
  ep: Endpoint | undefined,
  badge: bigint,
  grant: boolean,
  receiver: TCB,
): void {
  const receiveBuffer = kernel.lookupIPCBuffer(true, receiver);
  if (sender.fault === undefined) {
    const sendBuffer = kernel.lookupIPCBuffer(false, sender);
    doNormalTransfer(kernel, sender, sendBuffer, ep, badge, grant, receiver, receiveBuffer);
  } else {
    doFaultTransfer(kernel, badge, sender, receiver, receiveBuffer);
  }
}

function doNormalTransfer(
  kernel: Kernel,
  sender: TCB,
  sendBuffer: bigint | undefined,
  ep: Endpoint | undefined,
  badge: bigint,
  canGrant: boolean,
  receiver: TCB,
  receiveBuffer: bigint | undefined,
): void {
  const s32 = sender.regs32;
  let tag = messageInfoFromHalves(s32[2 * msgInfoRegister]!, s32[2 * msgInfoRegister + 1]!);
  let caps: CTE[] = [];
  if (canGrant) {
    // A cptr that no longer resolves drops all caps, silently.
    const r = lookupExtraCaps(kernel, sender, sendBuffer, tag);
    if (r.ok) caps = r.slots;
  }
  const msgTransferred = copyMRs(kernel, sender, sendBuffer, receiver, receiveBuffer, tag.length);
  tag = transferCaps(kernel, tag, ep, receiver, receiveBuffer, caps);
  storeMessageInfo(
    receiver.regs32,
    msgInfoRegister,
    tag.label,
    tag.capsUnwrapped,
    tag.extraCaps,
    msgTransferred,
  );
  receiver.regs[badgeRegister] = badge;
}

function doFaultTransfer(
  kernel: Kernel,
  badge: bigint,
  sender: TCB,
  receiver: TCB,
  receiveBuffer: bigint | undefined,
): void {
  const fault = sender.fault!;
  const sent = setMRs(kernel, receiver, receiveBuffer, faultMessage(sender, fault));
  receiver.regs[msgInfoRegister] = wordFromMessageInfo({
    label: BigInt(seL4_FaultType[fault.type]),
    capsUnwrapped: 0,
    extraCaps: 0,
    length: sent,
  });
  receiver.regs[badgeRegister] = badge;
}

/**
 * Transfers the extra caps (transferCaps): a cap to the endpoint itself is
 * unwrapped (its badge goes to caps_or_badges[i]); other caps go, derived,
 * into the receiver's one receive slot. Stops at the first cap that can be
 * neither. extraCaps reports how many were processed.
 */
function transferCaps(
  kernel: Kernel,
  info: MessageInfo,
  ep: Endpoint | undefined,
  receiver: TCB,
  receiveBuffer: bigint | undefined,
  caps: readonly CTE[],
): MessageInfo {
  if (caps.length === 0 || receiveBuffer === undefined) {
    return { ...info, extraCaps: 0, capsUnwrapped: 0 };
  }
  let destSlot = getReceiveSlots(kernel, receiver, receiveBuffer);
  let capsUnwrapped = 0;
  let i = 0;
  for (; i < caps.length; i++) {
    const slot = caps[i]!;
    const cap = slot.cap;
    if (cap.type === "EndpointCap" && cap.obj === ep) {
      writeWord(kernel, Number(receiveBuffer), CAPS_OR_BADGES + i, cap.badge);
      capsUnwrapped |= 1 << i;
    } else {
      if (!destSlot) break;
      const derived = deriveCap(slot, cap);
      if (!derived.ok || derived.cap.type === "NullCap") break;
      cteInsert(derived.cap, slot, destSlot);
      destSlot = undefined;
    }
  }
  return { ...info, extraCaps: i, capsUnwrapped };
}

/**
 * The receiver's one empty receive slot, named by receiveCNode (a thread
 * lookup of a CNode cap) and receiveIndex/receiveDepth under it (a CNode-op
 * lookup); undefined on any failure (getReceiveSlots).
 */
function getReceiveSlots(kernel: Kernel, receiver: TCB, buf: bigint): CTE | undefined {
  const at = Number(buf);
  const cptr = readWord(kernel, at, RECEIVE_CNODE);
  const index = readWord(kernel, at, RECEIVE_CNODE + 1);
  const depth = readWord(kernel, at, RECEIVE_CNODE + 2);
  const root = lookupCap(receiver, cptr);
  if (!root.ok || root.cap.type !== "CNodeCap") return undefined;
  if (depth < 1n || depth > BigInt(wordBits)) return undefined;
  const r = lookupSlotForCNodeOp(root.cap, index, Number(depth));
  if (!r.ok || r.slot.cap.type !== "NullCap") return undefined;
  return r.slot;
}

// ---- reply caps (non-MCS)

/**
 * The sender of a Call waits for the reply: BlockedOnReply, and a reply cap
 * to it, derived from its master reply cap, in the receiver's caller slot
 * (setupCallerCap).
 */
export function setupCallerCap(
  kernel: Kernel,
  sender: TCB,
  receiver: TCB,
  canGrant: boolean,
): void {
  setThreadState(kernel.ks, sender, BlockedOnReply);
  const replySlot = sender.cnode[tcbReply]!;
  const master = replySlot.cap;
  if (master.type !== "ReplyCap" || !master.master || master.tcb !== sender)
    throw new Error(`thread "${sender.name}" has no master reply cap`);
  const callerSlot = receiver.cnode[tcbCaller]!;
  if (callerSlot.cap.type !== "NullCap")
    throw new Error(`thread "${receiver.name}" already holds a caller cap`);
  cteInsert(sender.callerReplyCap(canGrant), replySlot, callerSlot);
}

/** Drops an unsaved caller cap (a new Recv abandons the old caller): deleteCallerCap. */
export function deleteCallerCap(kernel: Kernel, receiver: TCB): void {
  const slot = receiver.cnode[tcbCaller]!;
  if (slot.cap.type !== "NullCap") cteDeleteOne(kernel, slot);
}

/**
 * A reply reaches the thread waiting for it (doReplyTransfer). A normal
 * caller gets the message (badge 0, caps only if the reply cap has Grant)
 * and runs. A faulted caller gets its fault reply applied and restarts or
 * stops (sel4-semantics 6.4). The reply cap is deleted either way.
 */
export function doReplyTransfer(
  kernel: Kernel,
  sender: TCB,
  receiver: TCB,
  slot: CTE,
  grant: boolean,
): void {
  const ks = kernel.ks;
  if (receiver.state.type !== "BlockedOnReply")
    throw new Error(`reply to thread "${receiver.name}" that is not waiting for one`);
  const fault = receiver.fault;
  if (fault === undefined) {
    doIPCTransfer(kernel, sender, undefined, 0n, grant, receiver);
    cteDeleteOne(kernel, slot);
    setThreadState(ks, receiver, Running);
    possibleSwitchTo(ks, receiver);
    return;
  }
  cteDeleteOne(kernel, slot);
  // handleFaultReply: the reply's words overwrite registers (as many as it has).
  const tag = messageInfoFromWord(sender.regs[msgInfoRegister]!);
  const action = faultReplyAction(fault, tag.label);
  const n = Math.min(tag.length, action.registers.length);
  const words = getMRs(kernel, sender, kernel.lookupIPCBuffer(false, sender), n);
  for (const [i, v] of words.entries()) setRegister(receiver, action.registers[i]!, v);
  receiver.fault = undefined;
  if (action.restart) {
    setThreadState(ks, receiver, Restart);
    possibleSwitchTo(ks, receiver);
  } else {
    setThreadState(ks, receiver, Inactive);
  }
}

// ---- stopping and starting threads (owner: threads & IPC; other kernel code uses these)

/**
 * Cancels whatever IPC the thread is blocked in (cancelIPC): out of an
 * endpoint or notification queue and Inactive; a thread waiting for a reply
 * loses its fault record and the reply cap to it (its state is left for the
 * caller to set).
 */
export function cancelIPC(kernel: Kernel, tcb: TCB): void {
  const s = tcb.state;
  switch (s.type) {
    case "BlockedOnSend":
    case "BlockedOnReceive":
      blockedIPCCancel(kernel.ks, tcb, s.ep);
      return;
    case "BlockedOnNotification":
      cancelSignal(kernel.ks, tcb, s.ntfn);
      return;
    case "BlockedOnReply": {
      tcb.fault = undefined;
      // The reply cap to a thread is its master reply cap's only child, next in tree order.
      const callerCap = tcb.cnode[tcbReply]!.mdbNext;
      if (callerCap) cteDeleteOne(kernel, callerCap);
      return;
    }
    default:
      return;
  }
}

/** Stops a thread: cancels its IPC, takes it off the ready queue, Inactive (suspend). */
export function suspend(kernel: Kernel, tcb: TCB): void {
  cancelIPC(kernel, tcb);
  prepareSuspend(kernel.ks, tcb);
  setThreadState(kernel.ks, tcb, Inactive);
}

/**
 * Starts a stopped thread again from its restart point (restart, TCB_Resume):
 * IPC cancelled, master reply cap present, Restart, at the head of its queue.
 * A runnable thread is left alone.
 */
export function restart(kernel: Kernel, tcb: TCB): void {
  if (!isStopped(tcb)) return;
  cancelIPC(kernel, tcb);
  setupReplyMaster(tcb);
  setThreadState(kernel.ks, tcb, Restart);
  tcbSchedEnqueue(kernel.ks, tcb);
  possibleSwitchTo(kernel.ks, tcb);
}

/** Wakes every thread queued on an endpoint being deleted (seL4's cancelAllIPC). */
export function cancelAllIPC(kernel: Kernel, ep: Endpoint): void {
  cancelAllIPCOnEndpoint(kernel.ks, ep);
}

/** Wakes every thread waiting on a notification being deleted (seL4's cancelAllSignals). */
export function cancelAllSignals(kernel: Kernel, ntfn: Notification): void {
  cancelAllSignalsOnNotification(kernel.ks, ntfn);
}

/** Restarts the senders with a given badge (seL4's cancelBadgedSends). */
export function cancelBadgedSends(kernel: Kernel, ep: Endpoint, badge: bigint): void {
  cancelBadgedSendsOnEndpoint(kernel.ks, ep, badge);
}

/** Breaks a notification's binding to its TCB, if any (seL4's unbindMaybeNotification). */
export function unbindMaybeNotification(_kernel: Kernel, ntfn: Notification): void {
  unbindMaybe(ntfn);
}

/** Breaks a TCB's binding to its notification, if any (seL4's unbindNotification). */
export function unbindNotification(_kernel: Kernel, tcb: TCB): void {
  unbind(tcb);
}
