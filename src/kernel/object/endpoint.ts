// Endpoint objects (seL4/seL4: src/object/endpoint.c; l4v
// spec/haskell/src/SEL4/Object/Endpoint.lhs): a FIFO queue of threads all
// blocked sending, or all blocked receiving. Idle = empty queue.

import { doIPCTransfer, setupCallerCap } from "../ipc.js";
import type { Kernel } from "../kernel.js";
import type { KernelState } from "../state.js";
import {
  possibleSwitchTo,
  rescheduleRequired,
  setThreadState,
  tcbSchedEnqueue,
} from "../thread.js";
import type { CapOf } from "./cap.js";
import { completeSignal, doNBRecvFailedTransfer } from "./notification.js";
import { Inactive, Restart, Running, type TCB } from "./tcb.js";

export type EndpointState = "Idle" | "Send" | "Recv";

export class Endpoint {
  state: EndpointState = "Idle";
  readonly queue: TCB[] = [];

  constructor(readonly paddr: bigint) {}
}

/**
 * Send on an endpoint (sendIPC). With a receiver waiting, the message moves
 * now and the receiver wakes; a Call then waits for the reply
 * (BlockedOnReply, reply cap in the receiver's caller slot) if the cap allows
 * Grant or GrantReply, else the caller is left Inactive. Without a receiver a
 * blocking send queues the sender at the tail; a non-blocking one is dropped.
 */
export function sendIPC(
  kernel: Kernel,
  blocking: boolean,
  doCall: boolean,
  badge: bigint,
  canGrant: boolean,
  canGrantReply: boolean,
  thread: TCB,
  ep: Endpoint,
): void {
  const ks = kernel.ks;
  switch (ep.state) {
    case "Idle":
    case "Send":
      if (blocking) {
        setThreadState(ks, thread, {
          type: "BlockedOnSend",
          ep,
          badge,
          canGrant,
          canGrantReply,
          isCall: doCall,
        });
        ep.queue.push(thread);
        ep.state = "Send";
      }
      return;
    case "Recv": {
      const dest = ep.queue.shift();
      if (dest?.state.type !== "BlockedOnReceive")
        throw new Error("receive endpoint queue must hold receivers");
      if (ep.queue.length === 0) ep.state = "Idle";
      doIPCTransfer(kernel, thread, ep, badge, canGrant, dest);
      const replyCanGrant = dest.state.canGrant;
      setThreadState(ks, dest, Running);
      possibleSwitchTo(ks, dest);
      if (doCall) {
        if (canGrant || canGrantReply) setupCallerCap(kernel, thread, dest, replyCanGrant);
        else setThreadState(ks, thread, Inactive);
      }
      return;
    }
  }
}

/**
 * Receive on an endpoint (receiveIPC). A pending bound notification wins;
 * then the first queued sender's message is taken (a caller then waits for
 * the reply, other senders resume); with no sender a blocking receive queues
 * at the tail and a non-blocking one reports badge 0.
 */
export function receiveIPC(
  kernel: Kernel,
  thread: TCB,
  cap: CapOf<"EndpointCap">,
  isBlocking: boolean,
): void {
  const ks = kernel.ks;
  const ep = cap.obj;
  const ntfn = thread.boundNotification;
  if (ntfn && ntfn.state === "Active") {
    completeSignal(ntfn, thread);
    return;
  }
  switch (ep.state) {
    case "Idle":
    case "Recv":
      if (isBlocking) {
        setThreadState(ks, thread, { type: "BlockedOnReceive", ep, canGrant: cap.canGrant });
        ep.queue.push(thread);
        ep.state = "Recv";
      } else {
        doNBRecvFailedTransfer(thread);
      }
      return;
    case "Send": {
      const sender = ep.queue.shift();
      if (sender?.state.type !== "BlockedOnSend")
        throw new Error("send endpoint queue must hold senders");
      if (ep.queue.length === 0) ep.state = "Idle";
      const s = sender.state;
      doIPCTransfer(kernel, sender, ep, s.badge, s.canGrant, thread);
      if (s.isCall) {
        if (s.canGrant || s.canGrantReply) setupCallerCap(kernel, sender, thread, cap.canGrant);
        else setThreadState(ks, sender, Inactive);
      } else {
        setThreadState(ks, sender, Running);
        possibleSwitchTo(ks, sender);
      }
      return;
    }
  }
}

/** Takes a thread blocked on an endpoint out of its queue; it becomes Inactive. */
export function blockedIPCCancel(ks: KernelState, tcb: TCB, ep: Endpoint): void {
  if (ep.state === "Idle") throw new Error("blockedIPCCancel: endpoint must not be idle");
  const i = ep.queue.indexOf(tcb);
  if (i < 0) throw new Error(`thread "${tcb.name}" is not in its endpoint's queue`);
  ep.queue.splice(i, 1);
  if (ep.queue.length === 0) ep.state = "Idle";
  setThreadState(ks, tcb, Inactive);
}

/** Every queued thread restarts its syscall (the endpoint is being deleted): cancelAllIPC. */
export function cancelAllIPC(ks: KernelState, ep: Endpoint): void {
  if (ep.state === "Idle") return;
  const threads = ep.queue.splice(0);
  ep.state = "Idle";
  for (const t of threads) {
    setThreadState(ks, t, Restart);
    tcbSchedEnqueue(ks, t);
  }
  rescheduleRequired(ks);
}

/**
 * Senders that used `badge` restart their syscall, others keep their place
 * (cancelBadgedSends, for CNode_CancelBadgedSends and revoking badged caps).
 */
export function cancelBadgedSends(ks: KernelState, ep: Endpoint, badge: bigint): void {
  switch (ep.state) {
    case "Idle":
    case "Recv":
      return;
    case "Send": {
      const queue = ep.queue.splice(0);
      ep.state = "Idle";
      for (const t of queue) {
        if (t.state.type !== "BlockedOnSend") throw new Error("send queue holds a non-sender");
        if (t.state.badge === badge) {
          setThreadState(ks, t, Restart);
          tcbSchedEnqueue(ks, t);
        } else {
          ep.queue.push(t);
        }
      }
      if (ep.queue.length > 0) ep.state = "Send";
      rescheduleRequired(ks);
      return;
    }
  }
}
