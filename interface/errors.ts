// Invocation errors (the label of the kernel's reply to a failed Call) and the message registers
// each error fills, plus the lookup-failure description that FailedLookup errors and cap faults
// carry.
//
// Sources (seL4/seL4 16.0.0): libsel4/include/sel4/errors.h (seL4_Error),
// src/object/tcb.c setMRs_syscall_error (which MRs each error sets),
// libsel4/include/sel4/constants.h (seL4_LookupFailureType),
// src/api/faults.c setMRs_lookup_failure (the kernel stores type - 1 and sends type; the words
// that follow depend on the type).

export interface SyscallError {
  readonly name: string;
  readonly number: number;
  /** The reply's message registers, MR0 first (the reply length is their count). */
  readonly mrs: readonly string[];
}

export const errors = [
  { name: "seL4_NoError", number: 0, mrs: [] },
  { name: "seL4_InvalidArgument", number: 1, mrs: ["invalidArgumentNumber"] },
  { name: "seL4_InvalidCapability", number: 2, mrs: ["invalidCapNumber"] },
  { name: "seL4_IllegalOperation", number: 3, mrs: [] },
  { name: "seL4_RangeError", number: 4, mrs: ["rangeErrorMin", "rangeErrorMax"] },
  { name: "seL4_AlignmentError", number: 5, mrs: [] },
  // MR0 is 1 when the failed lookup was the source of a CNode copy/move/mint/mutate/rotate; the
  // lookup failure follows at MR1 (lookupFailureLayout with offset 1).
  { name: "seL4_FailedLookup", number: 6, mrs: ["failedLookupWasSource", "lookupFailure..."] },
  { name: "seL4_TruncatedMessage", number: 7, mrs: [] },
  { name: "seL4_DeleteFirst", number: 8, mrs: [] },
  { name: "seL4_RevokeFirst", number: 9, mrs: [] },
  { name: "seL4_NotEnoughMemory", number: 10, mrs: ["memoryLeft"] },
] as const satisfies readonly SyscallError[];

/** seL4_NumErrors closes the C enum. */
export const seL4_NumErrors = errors.length;

/** seL4_LookupFailureType: the first word of a lookup-failure description. */
export const lookupFailureTypes = [
  { name: "seL4_NoFailure", number: 0, words: [] },
  { name: "seL4_InvalidRoot", number: 1, words: [] },
  { name: "seL4_MissingCapability", number: 2, words: ["bitsLeft"] },
  { name: "seL4_DepthMismatch", number: 3, words: ["bitsLeft", "bitsFound"] },
  { name: "seL4_GuardMismatch", number: 4, words: ["bitsLeft", "guardFound", "bitsFound"] },
] as const;

/**
 * Where a lookup-failure description starts: MR1 in a FailedLookup error, MR3 in a CapFault
 * (seL4_CapFault_LookupFailureType). The type goes at the offset, its words after it.
 */
export const lookupFailureOffset = {
  seL4_FailedLookup: 1,
  seL4_Fault_CapFault: 3,
} as const;
