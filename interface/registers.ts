// Which RISC-V registers carry what across `ecall`, and the order of seL4_UserContext.
//
// Sources (seL4/seL4 16.0.0): include/arch/riscv/arch/machine/registerset.h (capRegister,
// badgeRegister, msgInfoRegister, n_msgRegisters, n_syscallMessage, n_exceptionMessage),
// src/arch/riscv/machine/registerset.c (msgRegisters, frameRegisters, gpRegisters),
// include/api/syscall.h getSyscallArg (MR i >= 4 lives at IPC-buffer word i + 1),
// libsel4/arch_include/riscv/sel4/arch/types.h (seL4_UserContext),
// libsel4/arch_include/riscv/interfaces/object-api-arch.xml (<struct name="seL4_UserContext">).

/** ABI name -> x register number. */
export const gpr = {
  zero: 0,
  ra: 1,
  sp: 2,
  gp: 3,
  tp: 4,
  t0: 5,
  t1: 6,
  t2: 7,
  s0: 8,
  s1: 9,
  a0: 10,
  a1: 11,
  a2: 12,
  a3: 13,
  a4: 14,
  a5: 15,
  a6: 16,
  a7: 17,
  s2: 18,
  s3: 19,
  s4: 20,
  s5: 21,
  s6: 22,
  s7: 23,
  s8: 24,
  s9: 25,
  s10: 26,
  s11: 27,
  t3: 28,
  t4: 29,
  t5: 30,
  t6: 31,
} as const;
export type Gpr = keyof typeof gpr;

/**
 * Register roles of the non-MCS syscall ABI. a6 and t0 are only used under MCS (reply cap,
 * NBSendRecv destination); non-MCS leaves them alone like every register not listed here.
 */
export const syscallRegisters = {
  /** In: the invoked / destination / source cptr. */
  capRegister: "a0",
  /** Out: the badge of what was received (0 for kernel replies). */
  badgeRegister: "a0",
  /** In and out: seL4_MessageInfo. Not written when a notification signal is delivered. */
  msgInfoRegister: "a1",
  /** MR0..MR3; MR4 onward live in the IPC buffer at msg[i] (buffer word i + 1). */
  msgRegisters: ["a2", "a3", "a4", "a5"],
  /** In: the syscall number (interface/syscalls.ts). */
  syscallNumber: "a7",
} as const satisfies Record<string, Gpr | readonly Gpr[]>;

/** n_msgRegisters: message registers that travel in CPU registers. */
export const seL4_FastMessageRegisters = syscallRegisters.msgRegisters.length;

/**
 * seL4_UserContext, word by word (TCB_ReadRegisters MR i = word i; TCB_WriteRegisters MR i + 2 =
 * word i). `pc` is the thread's restart address (the kernel's FaultIP/NextIP).
 */
export const userContext = [
  "pc",
  "ra",
  "sp",
  "gp",
  "s0",
  "s1",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "t0",
  "t1",
  "t2",
  "t3",
  "t4",
  "t5",
  "t6",
  "tp",
] as const;
export type UserContextRegister = (typeof userContext)[number];

/**
 * TCB_CopyRegisters' two groups: transfer_frame copies frameRegisters (userContext words 0..15),
 * transfer_integer copies gpRegisters (words 16..31).
 */
export const frameRegisters = userContext.slice(0, 16);
export const gpRegisters = userContext.slice(16, 32);
