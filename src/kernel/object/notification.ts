// Notification objects (seL4/seL4: src/object/notification.c; l4v
// spec/haskell/src/SEL4/Object/Notification.lhs): a word of accumulated
// badges, a FIFO queue of waiting threads, and at most one bound TCB.
//
// States: Idle; Waiting (queue non-empty); Active (word pending, no waiters).
// Signals never block; delivery writes only the badge register (a0).

import { badgeRegister } from "../arch/riscv/registers.js";
import { cancelIPC } from "../ipc.js";
import type { Kernel } from "../kernel.js";
import type { KernelState } from "../state.js";
import {
  possibleSwitchTo,
  rescheduleRequired,
  setThreadState,
  tcbSchedEnqueue,
} from "../thread.js";
import { Inactive, Restart, Running, type TCB } from "./tcb.js";

export type NotificationState = "Idle" | "Waiting" | "Active";

export class Notification {
  state: NotificationState = "Idle";
  /** ntfnMsgIdentifier: meaningful while Active. */
  word = 0n;
  readonly queue: TCB[] = [];
  boundTCB: TCB | undefined;

  constructor(readonly paddr: bigint) {}
}

function ntfnSetActive(ntfn: Notification, badge: bigint): void {
  ntfn.state = "Active";
  ntfn.word = badge;
}

/**
 * Signal (sendSignal): wake the first waiter with the badge; or, when idle,
 * wake the bound TCB if it is blocked receiving on an endpoint; otherwise
 * accumulate the badge (OR) until someone waits.
 */
export function sendSignal(kernel: Kernel, ntfn: Notification, badge: bigint): void {
  const ks = kernel.ks;
  switch (ntfn.state) {
    case "Idle": {
      const tcb = ntfn.boundTCB;
      if (tcb && tcb.state.type === "BlockedOnReceive") {
        cancelIPC(kernel, tcb);
        setThreadState(ks, tcb, Running);
        tcb.regs[badgeRegister] = badge;
        possibleSwitchTo(ks, tcb);
      } else {
        // Also when the bound thread waits for a reply: a Call in progress is
        // not interrupted by its bound notification.
        ntfnSetActive(ntfn, badge);
      }
      return;
    }
    case "Waiting": {
      const dest = ntfn.queue.shift();
      if (!dest) throw new Error("waiting notification with an empty queue");
      if (ntfn.queue.length === 0) ntfn.state = "Idle";
      setThreadState(ks, dest, Running);
      dest.regs[badgeRegister] = badge;
      possibleSwitchTo(ks, dest);
      return;
    }
    case "Active":
      ntfn.word |= badge;
      return;
  }
}

/**
 * Wait / Poll (receiveSignal): take a pending word, or block (Wait), or
 * report 0 in the badge register (Poll).
 */
export function receiveSignal(
  ks: KernelState,
  thread: TCB,
  ntfn: Notification,
  isBlocking: boolean,
): void {
  switch (ntfn.state) {
    case "Idle":
    case "Waiting":
      if (isBlocking) {
        setThreadState(ks, thread, { type: "BlockedOnNotification", ntfn });
        ntfn.queue.push(thread);
        ntfn.state = "Waiting";
      } else {
        doNBRecvFailedTransfer(thread);
      }
      return;
    case "Active":
      thread.regs[badgeRegister] = ntfn.word;
      ntfn.state = "Idle";
      return;
  }
}

/** A non-blocking receive found nothing: the badge register says 0. */
export function doNBRecvFailedTransfer(thread: TCB): void {
  thread.regs[badgeRegister] = 0n;
}

/** Delivers a bound notification's pending word to a receiving thread (completeSignal). */
export function completeSignal(ntfn: Notification, tcb: TCB): void {
  if (ntfn.state !== "Active")
    throw new Error("completeSignal on a notification that is not active");
  tcb.regs[badgeRegister] = ntfn.word;
  ntfn.state = "Idle";
}

/** Takes a waiting thread off the queue; it becomes Inactive (cancelSignal). */
export function cancelSignal(ks: KernelState, tcb: TCB, ntfn: Notification): void {
  if (ntfn.state !== "Waiting")
    throw new Error("cancelSignal on a notification that is not waiting");
  const i = ntfn.queue.indexOf(tcb);
  if (i < 0) throw new Error(`thread "${tcb.name}" is not waiting on its notification`);
  ntfn.queue.splice(i, 1);
  if (ntfn.queue.length === 0) ntfn.state = "Idle";
  setThreadState(ks, tcb, Inactive);
}

/** Every waiter restarts its Wait (the notification is being deleted): cancelAllSignals. */
export function cancelAllSignals(ks: KernelState, ntfn: Notification): void {
  if (ntfn.state !== "Waiting") return;
  const waiters = ntfn.queue.splice(0);
  ntfn.state = "Idle";
  for (const t of waiters) {
    setThreadState(ks, t, Restart);
    tcbSchedEnqueue(ks, t);
  }
  rescheduleRequired(ks);
}

export function bindNotification(tcb: TCB, ntfn: Notification): void {
  ntfn.boundTCB = tcb;
  tcb.boundNotification = ntfn;
}

export function unbindNotification(tcb: TCB): void {
  const ntfn = tcb.boundNotification;
  if (ntfn) {
    ntfn.boundTCB = undefined;
    tcb.boundNotification = undefined;
  }
}

export function unbindMaybeNotification(ntfn: Notification): void {
  const tcb = ntfn.boundTCB;
  if (tcb) {
    ntfn.boundTCB = undefined;
    tcb.boundNotification = undefined;
  }
}
