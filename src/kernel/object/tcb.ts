// Thread control blocks (seL4/seL4: include/object/structures.h tcb_t,
// src/object/tcb.c). The user context is kept as raw bytes in the same
// layout as the hart's register file, so switching threads is a copy of
// bytes, never of 64-bit numbers one by one.

import { CTE } from "./cte.js";
import type { Endpoint } from "./endpoint.js";
import type { Notification } from "./notification.js";

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

// seL4's tcb_cnode slots.
export const tcbCTable = 0;
export const tcbVTable = 1;
export const tcbReply = 2;
export const tcbCaller = 3;
export const tcbBuffer = 4;

/** Bytes of saved integer context: x0..x31 as the hart stores them. */
export const CONTEXT_BYTES = 32 * 8;

export class TCB {
  state: ThreadState = { type: "Inactive" };
  readonly cnode: CTE[];
  /** x0..x31 (x0 unused), little-endian words, as in the hart's register file. */
  readonly regs = new BigUint64Array(32);
  readonly regBytes = new Uint8Array(this.regs.buffer);
  /** f0..f31 and fcsr. */
  readonly fregs = new BigUint64Array(32);
  readonly fregBytes = new Uint8Array(this.fregs.buffer);
  fcsr = 0n;
  /** Address of the instruction that entered the kernel, and where to resume. */
  faultIP = 0n;
  nextIP = 0n;
  priority = 0;
  mcp = 0;
  domain = 0;
  timeSlice = 0;
  ipcBuffer = 0n;
  faultHandler = 0n;
  boundNotification: Notification | undefined;
  name = "";
  /** A pending fault message, kept until delivered to the handler. */
  fault: unknown = undefined;

  constructor(readonly paddr: bigint) {
    const owner = `tcb@${paddr.toString(16)}`;
    this.cnode = [0, 1, 2, 3, 4].map((i) => new CTE(owner, i));
  }

  get runnable(): boolean {
    const t = this.state.type;
    return t === "Running" || t === "Restart";
  }
}
