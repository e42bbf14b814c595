// TCB invocations (seL4/seL4: src/object/tcb.c). Not yet implemented.

import { fail, type Invocation, type InvocationResult } from "./invocation.js";

export function decodeTCBInvocation(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}
