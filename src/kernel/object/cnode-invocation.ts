// CNode invocations (seL4/seL4: src/object/cnode.c). Not yet implemented.

import { fail, type Invocation, type InvocationResult } from "./invocation.js";

export function decodeCNodeInvocation(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}
