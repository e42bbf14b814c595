// Untyped memory: Retype (seL4/seL4: src/object/untyped.c). Not yet implemented.

import { fail, type Invocation, type InvocationResult } from "./invocation.js";

export function decodeUntypedInvocation(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}
