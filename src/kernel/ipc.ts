// IPC through endpoints, notifications and reply caps (seL4/seL4:
// src/object/endpoint.c, notification.c, src/kernel/thread.c). Not yet implemented.

import { fail, type Invocation, type InvocationResult } from "./object/invocation.js";

export function invokeEndpoint(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}

export function invokeNotification(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}

export function invokeReply(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}

// Thread-state operations other kernel code relies on (owner: threads & IPC).
import type { Kernel } from "./kernel.js";
import type { Endpoint } from "./object/endpoint.js";
import type { Notification } from "./object/notification.js";
import type { TCB } from "./object/tcb.js";

/** Stops a thread: cancels its IPC and makes it Inactive (seL4's suspend). */
export function suspend(_kernel: Kernel, tcb: TCB): void {
  tcb.state = { type: "Inactive" };
}

/** Makes a stopped thread run again from its restart point (seL4's restart). */
export function restart(_kernel: Kernel, tcb: TCB): void {
  tcb.state = { type: "Restart" };
}

/** Cancels whatever IPC the thread is blocked in (seL4's cancelIPC). */
export function cancelIPC(_kernel: Kernel, _tcb: TCB): void {}

/** Wakes every thread queued on an endpoint being deleted (seL4's cancelAllIPC). */
export function cancelAllIPC(_kernel: Kernel, _ep: Endpoint): void {}

/** Wakes every thread waiting on a notification being deleted (seL4's cancelAllSignals). */
export function cancelAllSignals(_kernel: Kernel, _ntfn: Notification): void {}

/** Restarts the senders with a given badge (seL4's cancelBadgedSends). */
export function cancelBadgedSends(_kernel: Kernel, _ep: Endpoint, _badge: bigint): void {}

/** Breaks a notification's binding to its TCB, if any (seL4's unbindMaybeNotification). */
export function unbindMaybeNotification(_kernel: Kernel, _ntfn: Notification): void {}

/** Breaks a TCB's binding to its notification, if any (seL4's unbindNotification). */
export function unbindNotification(_kernel: Kernel, _tcb: TCB): void {}
