// IRQControl and IRQHandler invocations (seL4/seL4: src/object/interrupt.c). Not yet implemented.

import { fail, type Invocation, type InvocationResult } from "./invocation.js";

export function decodeIRQControlInvocation(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}

export function decodeIRQHandlerInvocation(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}
