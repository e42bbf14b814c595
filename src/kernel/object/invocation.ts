// Decoding an invocation by the type of the invoked cap (seL4/seL4:
// src/object/objecttype.c decodeInvocation, src/arch/riscv/object/objecttype.c).
// Each object's decoder lives in that object's file; decoders check every
// argument and return an error value, and only then perform the operation.

import type { SyscallError } from "../api/failures.js";
import type { MessageInfo } from "../api/message-info.js";
import { decodeRISCVMMUInvocation } from "../arch/riscv/vspace-invocation.js";
import { invokeEndpoint, invokeNotification, invokeReply } from "../ipc.js";
import type { Kernel } from "../kernel.js";
import type { Cap } from "./cap.js";
import { decodeCNodeInvocation } from "./cnode-invocation.js";
import type { CTE } from "./cte.js";
import { decodeDomainInvocation } from "./domain.js";
import { decodeIRQControlInvocation, decodeIRQHandlerInvocation } from "./irq.js";
import type { TCB } from "./tcb.js";
import { decodeTCBInvocation } from "./tcb-invocation.js";
import { decodeUntypedInvocation } from "./untyped.js";

/** Everything a decoder may look at. */
export interface Invocation {
  readonly kernel: Kernel;
  /** The invoking thread. */
  readonly thread: TCB;
  readonly cap: Cap;
  /** The slot the invoked cap was found in. */
  readonly slot: CTE;
  readonly info: MessageInfo;
  /** The label, as a number (invocation labels are small). */
  readonly label: number;
  /** The message registers MR0..MR(length-1), already read. */
  readonly mrs: readonly bigint[];
  /** The extra caps looked up from the IPC buffer, with their slots. */
  readonly extraCaps: readonly { readonly cap: Cap; readonly slot: CTE }[];
  readonly isCall: boolean;
  readonly isBlocking: boolean;
}

/**
 * Outcome of decode + perform: an error (reported to a Call), a reply with
 * data the kernel writes itself (ReadRegisters, GetAddress...), or done.
 * "blocked" means the operation put the caller to sleep (e.g. endpoint send).
 */
export type InvocationResult =
  | { readonly type: "error"; readonly error: SyscallError }
  | { readonly type: "reply"; readonly label: bigint; readonly mrs: readonly bigint[] }
  | { readonly type: "done" }
  | { readonly type: "blocked" };

export const done: InvocationResult = { type: "done" };
export const fail = (error: SyscallError): InvocationResult => ({ type: "error", error });

export function decodeInvocation(inv: Invocation): InvocationResult {
  switch (inv.cap.type) {
    case "NullCap":
      return fail({ type: "InvalidCapability", capNumber: 0 });
    case "UntypedCap":
      return decodeUntypedInvocation(inv);
    case "CNodeCap":
      return decodeCNodeInvocation(inv);
    case "ThreadCap":
      return decodeTCBInvocation(inv);
    case "EndpointCap":
      return invokeEndpoint(inv);
    case "NotificationCap":
      return invokeNotification(inv);
    case "ReplyCap":
      return invokeReply(inv);
    case "DomainCap":
      return decodeDomainInvocation(inv);
    case "IRQControlCap":
      return decodeIRQControlInvocation(inv);
    case "IRQHandlerCap":
      return decodeIRQHandlerInvocation(inv);
    case "FrameCap":
    case "PageTableCap":
    case "ASIDControlCap":
    case "ASIDPoolCap":
      return decodeRISCVMMUInvocation(inv);
  }
}
