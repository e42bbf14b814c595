// Syscall errors as values (seL4/seL4: libsel4/include/sel4/errors.h,
// src/object/tcb.c setMRs_syscall_error): the error code goes in the reply
// label, its details in the message registers.

import type { LookupFault } from "../cspace.js";

export const seL4_Error = {
  NoError: 0,
  InvalidArgument: 1,
  InvalidCapability: 2,
  IllegalOperation: 3,
  RangeError: 4,
  AlignmentError: 5,
  FailedLookup: 6,
  TruncatedMessage: 7,
  DeleteFirst: 8,
  RevokeFirst: 9,
  NotEnoughMemory: 10,
} as const;

export type SyscallError =
  | { readonly type: "InvalidArgument"; readonly argumentNumber: number }
  | { readonly type: "InvalidCapability"; readonly capNumber: number }
  | { readonly type: "IllegalOperation" }
  | { readonly type: "RangeError"; readonly min: bigint; readonly max: bigint }
  | { readonly type: "AlignmentError" }
  | { readonly type: "FailedLookup"; readonly isSource: boolean; readonly lookup: LookupFault }
  | { readonly type: "TruncatedMessage" }
  | { readonly type: "DeleteFirst" }
  | { readonly type: "RevokeFirst" }
  | { readonly type: "NotEnoughMemory"; readonly bytesAvailable: bigint };

/** The message registers of a lookup failure: type + 1, then its details. */
export function lookupFaultMRs(f: LookupFault): bigint[] {
  switch (f.type) {
    case "InvalidRoot":
      return [1n];
    case "MissingCapability":
      return [2n, BigInt(f.bitsLeft)];
    case "DepthMismatch":
      return [3n, BigInt(f.bitsLeft), BigInt(f.bitsFound)];
    case "GuardMismatch":
      return [4n, BigInt(f.bitsLeft), f.guardFound, BigInt(f.guardSize)];
  }
}

/** The reply label and message registers for an error. */
export function errorReply(e: SyscallError): { label: number; mrs: bigint[] } {
  const label = seL4_Error[e.type];
  switch (e.type) {
    case "InvalidArgument":
      return { label, mrs: [BigInt(e.argumentNumber)] };
    case "InvalidCapability":
      return { label, mrs: [BigInt(e.capNumber)] };
    case "RangeError":
      return { label, mrs: [e.min, e.max] };
    case "FailedLookup":
      return { label, mrs: [e.isSource ? 1n : 0n, ...lookupFaultMRs(e.lookup)] };
    case "NotEnoughMemory":
      return { label, mrs: [e.bytesAvailable] };
    default:
      return { label, mrs: [] };
  }
}
