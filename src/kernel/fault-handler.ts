// Delivering a fault to a thread's fault handler (seL4/seL4:
// src/kernel/faulthandler.c; l4v spec/haskell/src/SEL4/Kernel/FaultHandler.lhs).
// Non-MCS: the TCB holds a cptr, looked up in the faulting thread's own
// CSpace when the fault happens. The fault then travels as a Call on that
// endpoint (Grant/GrantReply as the cap allows, a reply cap always made).

import { describeFault, type Fault } from "./api/faults.js";
import { lookupCap } from "./cspace.js";
import type { Kernel } from "./kernel.js";
import { sendIPC } from "./object/endpoint.js";
import { Inactive, type TCB } from "./object/tcb.js";
import { setThreadState } from "./thread.js";

/**
 * The thread faulted (handleFault): send the fault to its handler, or, if
 * the handler cannot be reached, stop the thread (a double fault).
 */
export function handleFault(kernel: Kernel, tptr: TCB, fault: Fault): void {
  const second = sendFaultIPC(kernel, tptr, fault);
  if (second) handleDoubleFault(kernel, tptr, fault, second);
}

/**
 * Looks up the fault endpoint and sends the fault (sendFaultIPC). Returns
 * the second fault when the handler cptr does not name an endpoint cap with
 * Write and Grant or GrantReply.
 */
export function sendFaultIPC(kernel: Kernel, tptr: TCB, fault: Fault): Fault | undefined {
  const handlerCPtr = tptr.faultHandler;
  const r = lookupCap(tptr, handlerCPtr);
  if (!r.ok) {
    return { type: "CapFault", address: handlerCPtr, inReceivePhase: false, lookup: r.fault };
  }
  const cap = r.cap;
  if (cap.type === "EndpointCap" && cap.canSend && (cap.canGrant || cap.canGrantReply)) {
    tptr.fault = fault;
    sendIPC(kernel, true, true, cap.badge, cap.canGrant, true, tptr, cap.obj);
    return undefined;
  }
  return {
    type: "CapFault",
    address: handlerCPtr,
    inReceivePhase: false,
    lookup: { type: "MissingCapability", bitsLeft: 0 },
  };
}

/** No handler: the thread stops (handleDoubleFault); debug builds say why. */
function handleDoubleFault(kernel: Kernel, tptr: TCB, ex1: Fault, ex2: Fault): void {
  const log = kernel.ks.host.log;
  log(`Caught ${describeFault(ex2)}`);
  log(`while trying to handle:`);
  log(`${describeFault(ex1)}`);
  log(`in thread "${tptr.name || "?"}" at address 0x${tptr.faultIP.toString(16)}`);
  setThreadState(kernel.ks, tptr, Inactive);
}
