// Faults as seL4 reports them to a thread's fault handler (seL4/seL4:
// src/api/faults.c setMRs_fault / handleFaultReply, src/arch/riscv/api/faults.c,
// src/arch/riscv/c_traps.c c_handle_exception, src/arch/riscv/kernel/vspace.c
// handleVMFault, include/arch/riscv/arch/machine/registerset.h; l4v
// spec/haskell/src/SEL4/API/Faults.lhs). The message layouts are libsel4's
// seL4_CapFault_Msg, seL4_UnknownSyscall_Msg, seL4_UserException_Msg and
// seL4_VMFault_Msg for riscv64.

import { a0, a1, a2, a3, a4, a5, a6, ra, sp } from "../arch/riscv/registers.js";
import type { LookupFault } from "../cspace.js";
import { FaultIP, getRegister, getRestartPC, type Register, type TCB } from "../object/tcb.js";
import { lookupFaultMRs } from "./failures.js";

/** seL4_Fault_t: what a faulting thread carries until its handler has the message. */
export type Fault =
  | {
      readonly type: "CapFault";
      readonly address: bigint;
      readonly inReceivePhase: boolean;
      /** seL4's tcbLookupFailure, kept with the fault. */
      readonly lookup: LookupFault;
    }
  | { readonly type: "UnknownSyscall"; readonly number: bigint }
  | { readonly type: "UserException"; readonly number: bigint; readonly code: bigint }
  | {
      readonly type: "VMFault";
      readonly address: bigint;
      readonly fsr: bigint;
      readonly instructionFault: boolean;
    };

/** seL4_FaultType numbers: the label of the fault message (non-MCS). */
export const seL4_FaultType = {
  NullFault: 0,
  CapFault: 1,
  UnknownSyscall: 2,
  UserException: 3,
  VMFault: 5,
} as const;

// RISC-V scause values of the exceptions that are VM faults.
export const RISCVInstructionAccessFault = 1n;
export const RISCVLoadAccessFault = 5n;
export const RISCVStoreAccessFault = 7n;
export const RISCVInstructionPageFault = 12n;
export const RISCVLoadPageFault = 13n;
export const RISCVStorePageFault = 15n;

/**
 * The fault for a synchronous exception from U-mode (c_handle_exception):
 * page and access faults are VMFaults with the page-fault causes folded into
 * the access-fault codes (handleVMFault); every other cause is a
 * UserException with code 0.
 */
export function faultForException(scause: bigint, stval: bigint): Fault {
  switch (scause) {
    case RISCVLoadPageFault:
    case RISCVLoadAccessFault:
      return {
        type: "VMFault",
        address: stval,
        fsr: RISCVLoadAccessFault,
        instructionFault: false,
      };
    case RISCVStorePageFault:
    case RISCVStoreAccessFault:
      return {
        type: "VMFault",
        address: stval,
        fsr: RISCVStoreAccessFault,
        instructionFault: false,
      };
    case RISCVInstructionPageFault:
    case RISCVInstructionAccessFault:
      return {
        type: "VMFault",
        address: stval,
        fsr: RISCVInstructionAccessFault,
        instructionFault: true,
      };
    default:
      return { type: "UserException", number: scause, code: 0n };
  }
}

/** Registers an UnknownSyscall message carries and its reply may overwrite (SYSCALL_MESSAGE). */
export const syscallMessage: readonly Register[] = [FaultIP, sp, ra, a0, a1, a2, a3, a4, a5, a6];
/** Registers a UserException message carries and its reply may overwrite (EXCEPTION_MESSAGE). */
export const exceptionMessage: readonly Register[] = [FaultIP, sp];
export const n_syscallMessage = 10;
export const n_exceptionMessage = 2;

/**
 * The message registers of a fault message, in order (setMRs_fault). The
 * caller writes them with setMR semantics: words past MR3 need the handler's
 * IPC buffer, and the message length is the number actually written.
 */
export function faultMessage(sender: TCB, f: Fault): bigint[] {
  switch (f.type) {
    case "CapFault":
      return [
        getRestartPC(sender),
        f.address,
        f.inReceivePhase ? 1n : 0n,
        ...lookupFaultMRs(f.lookup),
      ];
    case "UnknownSyscall":
      return [...syscallMessage.map((r) => getRegister(sender, r)), f.number];
    case "UserException":
      return [...exceptionMessage.map((r) => getRegister(sender, r)), f.number, f.code];
    case "VMFault":
      return [getRestartPC(sender), f.address, f.instructionFault ? 1n : 0n, f.fsr];
  }
}

/**
 * What a reply to a fault does (handleFaultReply): the registers the reply's
 * words overwrite, in order, and whether the thread restarts. CapFault and
 * VMFault always restart and write nothing; UnknownSyscall and UserException
 * write up to 10 / 2 registers (whatever the label) and restart only when the
 * reply's label is 0 (otherwise the thread is left Inactive).
 */
export function faultReplyAction(
  f: Fault,
  label: bigint,
): { readonly registers: readonly Register[]; readonly restart: boolean } {
  switch (f.type) {
    case "CapFault":
    case "VMFault":
      return { registers: [], restart: true };
    case "UnknownSyscall":
      return { registers: syscallMessage, restart: label === 0n };
    case "UserException":
      return { registers: exceptionMessage, restart: label === 0n };
  }
}

export function describeFault(f: Fault): string {
  switch (f.type) {
    case "CapFault":
      return `cap fault (${f.lookup.type}) on cptr 0x${f.address.toString(16)} in ${f.inReceivePhase ? "receive" : "send"} phase`;
    case "UnknownSyscall":
      return `unknown syscall ${BigInt.asIntN(64, f.number)}`;
    case "UserException":
      return `user exception (cause ${f.number})`;
    case "VMFault":
      return `vm fault on ${f.instructionFault ? "code" : "data"} at address 0x${f.address.toString(16)} (FSR ${f.fsr})`;
  }
}
