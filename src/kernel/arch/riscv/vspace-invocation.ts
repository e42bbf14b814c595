// Frame, PageTable, ASIDControl and ASIDPool invocations (seL4/seL4:
// src/arch/riscv/kernel/vspace.c). Not yet implemented.

import { fail, type Invocation, type InvocationResult } from "../../object/invocation.js";

export function decodeRISCVMMUInvocation(_inv: Invocation): InvocationResult {
  return fail({ type: "IllegalOperation" });
}
