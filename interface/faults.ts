// Fault messages: when a thread faults, its fault handler receives a message as if the thread had
// done a Call on its fault endpoint, with label = the fault type and these message registers.
//
// Sources (seL4/seL4 16.0.0): libsel4/arch_include/riscv/sel4/arch/shared_types.bf (tags),
// libsel4/include/sel4/shared_types.h (seL4_CapFault_Msg),
// libsel4/sel4_arch_include/riscv64/sel4/sel4_arch/constants.h (seL4_VMFault_Msg,
// seL4_UnknownSyscall_Msg, seL4_UserException_Msg), src/api/faults.c setMRs_fault and
// src/arch/riscv/api/faults.c (what the kernel writes), include/arch/riscv/arch/machine/
// registerset.h (n_syscallMessage 10, n_exceptionMessage 2: the registers a reply may overwrite).

export interface FaultKind {
  /** seL4_Fault_tag member, also the message label. */
  readonly name: string;
  readonly label: number;
  /** The C enum naming MR indices, and its members in MR order (the last is the _Length). */
  readonly msgEnum: string | null;
  readonly mrs: readonly string[];
  /**
   * How many reply MRs the kernel copies back into the faulting thread's registers (in the order
   * of `mrs`) before restarting it; the thread restarts only if the reply label is 0.
   * "restart" = any reply restarts it and no register is written.
   */
  readonly reply: number | "restart";
}

export const faults = [
  { name: "seL4_Fault_NullFault", label: 0, msgEnum: null, mrs: [], reply: "restart" },
  {
    name: "seL4_Fault_CapFault",
    label: 1,
    msgEnum: "seL4_CapFault_Msg",
    // MR3.. is a lookup-failure description (interface/errors.ts); the enum names its words.
    mrs: [
      "seL4_CapFault_IP",
      "seL4_CapFault_Addr",
      "seL4_CapFault_InRecvPhase",
      "seL4_CapFault_LookupFailureType",
      "seL4_CapFault_BitsLeft",
      "seL4_CapFault_DepthMismatch_BitsFound",
      "seL4_CapFault_GuardMismatch_BitsFound",
    ],
    reply: "restart",
  },
  {
    name: "seL4_Fault_UnknownSyscall",
    label: 2,
    msgEnum: "seL4_UnknownSyscall_Msg",
    mrs: [
      "seL4_UnknownSyscall_FaultIP",
      "seL4_UnknownSyscall_SP",
      "seL4_UnknownSyscall_RA",
      "seL4_UnknownSyscall_A0",
      "seL4_UnknownSyscall_A1",
      "seL4_UnknownSyscall_A2",
      "seL4_UnknownSyscall_A3",
      "seL4_UnknownSyscall_A4",
      "seL4_UnknownSyscall_A5",
      "seL4_UnknownSyscall_A6",
      "seL4_UnknownSyscall_Syscall",
    ],
    reply: 10,
  },
  {
    name: "seL4_Fault_UserException",
    label: 3,
    msgEnum: "seL4_UserException_Msg",
    mrs: [
      "seL4_UserException_FaultIP",
      "seL4_UserException_SP",
      "seL4_UserException_Number",
      "seL4_UserException_Code",
    ],
    reply: 2,
  },
  {
    name: "seL4_Fault_VMFault",
    label: 5,
    msgEnum: "seL4_VMFault_Msg",
    mrs: ["seL4_VMFault_IP", "seL4_VMFault_Addr", "seL4_VMFault_PrefetchFault", "seL4_VMFault_FSR"],
    reply: "restart",
  },
] as const satisfies readonly FaultKind[];

/**
 * seL4_CapFault_Msg has two names for MR5 (a depth mismatch's bitsFound, a guard mismatch's
 * guardFound), so it is spelled out here rather than derived from `mrs`.
 */
export const capFaultMsg = {
  seL4_CapFault_IP: 0,
  seL4_CapFault_Addr: 1,
  seL4_CapFault_InRecvPhase: 2,
  seL4_CapFault_LookupFailureType: 3,
  seL4_CapFault_BitsLeft: 4,
  seL4_CapFault_DepthMismatch_BitsFound: 5,
  seL4_CapFault_GuardMismatch_GuardFound: 5,
  seL4_CapFault_GuardMismatch_BitsFound: 6,
} as const;

/**
 * VMFault FSR on RISC-V: the kernel reports scause, with page faults folded onto access faults
 * (src/arch/riscv/kernel/vspace.c handleVMFault): 1 instruction, 5 load, 7 store/AMO.
 */
export const vmFaultFsr = { instruction: 1, load: 5, storeAmo: 7 } as const;
