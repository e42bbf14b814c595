// The kernel configuration mica presents to user programs: the CONFIG_* values a seL4 build would
// put in its generated gen_config.h, which libsel4 and programs test with #if. These are choices
// for mica (the configuration sel4test builds for riscv64: non-MCS, debug, printing, one core),
// each checked to be a value real seL4 accepts.
//
// Sources (seL4/seL4 16.0.0): config.cmake (the generic options and their defaults),
// src/arch/riscv/config.cmake (PT levels, F/D extensions -> HAVE_FPU), libsel4/CMakeLists.txt
// (the LibSel4* options).

export interface ConfigEntry {
  /** The C macro, as seL4's generated gen_config.h spells it. */
  readonly name: string;
  /** true -> `#define NAME 1`; false -> left undefined (as seL4 does for options that are off). */
  readonly value: number | boolean;
  /** The CMake option it comes from and why it has this value. */
  readonly note: string;
}

export const kernelConfig = [
  { name: "CONFIG_ARCH_RISCV", value: true, note: "KernelArch riscv" },
  { name: "CONFIG_ARCH_RISCV64", value: true, note: "KernelSel4Arch riscv64" },
  { name: "CONFIG_WORD_SIZE", value: 64, note: "KernelWordSize, from the seL4 arch" },
  {
    name: "CONFIG_PT_LEVELS",
    value: 3,
    note: "KernelPTLevels: default 3 (Sv39); 4 (Sv48) is also accepted on riscv64",
  },
  { name: "CONFIG_RISCV_EXT_F", value: true, note: "KernelRiscvExtF, default ON" },
  { name: "CONFIG_RISCV_EXT_D", value: true, note: "KernelRiscvExtD, default ON" },
  {
    name: "CONFIG_HAVE_FPU",
    value: true,
    note: "set when RISCV_EXT_F is on; makes seL4_TCBBits 11 and adds the fpuDisabled TCB flag",
  },
  { name: "CONFIG_KERNEL_MCS", value: false, note: "KernelIsMCS: mica implements the non-MCS API" },
  { name: "CONFIG_MAX_NUM_NODES", value: 1, note: "KernelMaxNumNodes, default 1" },
  { name: "CONFIG_ENABLE_SMP_SUPPORT", value: false, note: "set only when MAX_NUM_NODES > 1" },
  { name: "CONFIG_NUM_PRIORITIES", value: 256, note: "KernelNumPriorities, default 256" },
  { name: "CONFIG_NUM_DOMAINS", value: 1, note: "KernelNumDomains, default 1" },
  {
    name: "CONFIG_NUM_DOMAIN_SCHEDULES",
    value: 2,
    note: "KernelNumDomainSchedules: 100 when NUM_DOMAINS > 1, else 2",
  },
  { name: "CONFIG_ROOT_CNODE_SIZE_BITS", value: 12, note: "KernelRootCNodeSizeBits, default 12" },
  {
    name: "CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS",
    value: 230,
    note: "KernelMaxNumBootinfoUntypedCaps, default 230 (sizes seL4_BootInfo.untypedList)",
  },
  { name: "CONFIG_RETYPE_FAN_OUT_LIMIT", value: 256, note: "KernelRetypeFanOutLimit, default 256" },
  { name: "CONFIG_TIMER_TICK_MS", value: 2, note: "KernelTimerTickMS, default 2 (non-MCS)" },
  { name: "CONFIG_TIME_SLICE", value: 5, note: "KernelTimeSlice, default 5 ticks (non-MCS)" },
  {
    name: "CONFIG_VERIFICATION_BUILD",
    value: false,
    note: "KernelVerificationBuild: off, otherwise DEBUG_BUILD and PRINTING are forced off",
  },
  { name: "CONFIG_DEBUG_BUILD", value: true, note: "KernelDebugBuild: on (debug syscalls)" },
  { name: "CONFIG_PRINTING", value: true, note: "KernelPrinting: follows DEBUG_BUILD" },
  {
    name: "CONFIG_HARDWARE_DEBUG_API",
    value: false,
    note: "not supported on RISC-V (src/arch/riscv/config.cmake)",
  },
  {
    name: "CONFIG_KERNEL_INVOCATION_REPORT_ERROR_IPC",
    value: false,
    note: "KernelInvocationReportErrorIPC, default OFF",
  },
  { name: "CONFIG_ENABLE_BENCHMARKS", value: false, note: "KernelBenchmarks none" },
  { name: "CONFIG_SET_TLS_BASE_SELF", value: false, note: "never set on RISC-V (tp is a GPR)" },
  {
    name: "CONFIG_LIB_SEL4_INLINE_INVOCATIONS",
    value: true,
    note: "LibSel4FunctionAttributes inline: every libsel4 function is static inline",
  },
  {
    name: "CONFIG_LIB_SEL4_USE_THREAD_LOCALS",
    value: true,
    note: "LibSel4UseThreadLocals, default ON: __sel4_ipc_buffer is __thread",
  },
] as const satisfies readonly ConfigEntry[];

export type ConfigName = (typeof kernelConfig)[number]["name"];

/** Whether an option is on (numbers count as on, as `#ifdef` would; unknown names are off). */
export function configOn(name: string): boolean {
  const entry = kernelConfig.find((e) => e.name === name);
  return entry !== undefined && entry.value !== false;
}

/** The value of a numeric option. */
export function configNumber(name: ConfigName): number {
  const entry = kernelConfig.find((e) => e.name === name)!;
  if (typeof entry.value !== "number") throw new Error(`${name} is not a number`);
  return entry.value;
}
