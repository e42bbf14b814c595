// DomainSet invocations (seL4/seL4: src/object/domain.c). Not yet implemented.

import { fail, type Invocation, type InvocationResult } from "./invocation.js";

export function decodeDomainInvocation(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}
