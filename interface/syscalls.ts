// System call numbers: the value user code puts in a7 before `ecall`.
//
// Source: seL4/seL4 16.0.0 libsel4/include/api/syscall.xml, numbered as
// tools/syscall_header_gen.py does: one counter over the API list and then the debug list, starting
// at -1 and going down, so an entry's number is fixed by its position whether or not its condition
// is on in a given build. The kernel treats a7 as an unsigned word; values outside the API range
// [-8, -1] go down the "unknown syscall" path (debug calls, else an UnknownSyscall fault).

import { inRelease, type Release, type Versioned } from "./release.js";

/** The non-MCS API syscalls, in syscall.xml order (<api-master>). */
export const apiSyscalls = [
  "Call",
  "ReplyRecv",
  "Send",
  "NBSend",
  "Recv",
  "Reply",
  "Yield",
  "NBRecv",
] as const;
export type ApiSyscall = (typeof apiSyscalls)[number];

export interface DebugSyscall extends Versioned {
  readonly name: string;
  /** Config options that must all be on for the kernel to accept it (syscall.xml <condition>). */
  readonly needs: readonly string[];
}

/**
 * The <debug> list of syscall.xml, in order. Conditions are 16.0.0's; in 14.0/15.0 DebugSendIPI
 * needed only DEBUG_BUILD (13.0: DEBUG_BUILD and more than one node). Options mica never sets
 * (benchmarks, x86, VT-x) keep their entries because they hold numbers.
 */
export const debugSyscalls = [
  { name: "DebugPutChar", needs: ["CONFIG_PRINTING"] },
  { name: "DebugDumpScheduler", needs: ["CONFIG_PRINTING"] },
  { name: "DebugHalt", needs: ["CONFIG_DEBUG_BUILD"] },
  { name: "DebugCapIdentify", needs: ["CONFIG_DEBUG_BUILD"] },
  { name: "DebugSnapshot", needs: ["CONFIG_DEBUG_BUILD"] },
  { name: "DebugNameThread", needs: ["CONFIG_DEBUG_BUILD"] },
  { name: "DebugSendIPI", needs: ["CONFIG_DEBUG_BUILD", "CONFIG_ENABLE_SMP_SUPPORT"] },
  {
    name: "DebugGetThreadAffinity",
    needs: ["CONFIG_DEBUG_BUILD", "CONFIG_ENABLE_SMP_SUPPORT"],
    since: "16.0",
  },
  { name: "DebugRun", needs: ["CONFIG_DANGEROUS_CODE_INJECTION"] },
  { name: "BenchmarkFlushCaches", needs: ["CONFIG_ENABLE_BENCHMARKS"] },
  { name: "BenchmarkResetLog", needs: ["CONFIG_ENABLE_BENCHMARKS"] },
  { name: "BenchmarkFinalizeLog", needs: ["CONFIG_ENABLE_BENCHMARKS"] },
  { name: "BenchmarkSetLogBuffer", needs: ["CONFIG_ENABLE_BENCHMARKS"] },
  { name: "BenchmarkNullSyscall", needs: ["CONFIG_ENABLE_BENCHMARKS"] },
  { name: "BenchmarkGetThreadUtilisation", needs: ["CONFIG_BENCHMARK_TRACK_UTILISATION"] },
  { name: "BenchmarkResetThreadUtilisation", needs: ["CONFIG_BENCHMARK_TRACK_UTILISATION"] },
  {
    name: "BenchmarkDumpAllThreadsUtilisation",
    needs: ["CONFIG_DEBUG_BUILD", "CONFIG_BENCHMARK_TRACK_UTILISATION"],
  },
  {
    name: "BenchmarkResetAllThreadsUtilisation",
    needs: ["CONFIG_DEBUG_BUILD", "CONFIG_BENCHMARK_TRACK_UTILISATION"],
  },
  { name: "X86DangerousWRMSR", needs: ["CONFIG_KERNEL_X86_DANGEROUS_MSR"] },
  { name: "X86DangerousRDMSR", needs: ["CONFIG_KERNEL_X86_DANGEROUS_MSR"] },
  { name: "VMEnter", needs: ["CONFIG_VTX"] },
  { name: "SetTLSBase", needs: ["CONFIG_SET_TLS_BASE_SELF"] },
] as const satisfies readonly DebugSyscall[];

export interface NumberedSyscall {
  readonly name: string;
  readonly number: number;
  readonly needs: readonly string[];
}

/** Every syscall of `release` with its number: API first (-1 down), then the debug list. */
export function syscallNumbers(release: Release): NumberedSyscall[] {
  const all = [
    ...apiSyscalls.map((name) => ({ name, needs: [] as readonly string[] })),
    ...debugSyscalls.filter((s: DebugSyscall) => inRelease(s, release)),
  ];
  return all.map((s, i) => ({ name: s.name, number: -1 - i, needs: s.needs }));
}

/**
 * What DebugCapIdentify returns in a0: the kernel's cap-type tag of the looked-up cap (0 when the
 * lookup fails, as that yields a null cap). Source: seL4/seL4 16.0.0
 * include/arch/riscv/arch/64/mode/object/structures.bf (tagged_union cap capType), non-MCS tags.
 */
export const capTypeTags = {
  null_cap: 0,
  frame_cap: 1,
  untyped_cap: 2,
  page_table_cap: 3,
  endpoint_cap: 4,
  notification_cap: 6,
  reply_cap: 8,
  cnode_cap: 10,
  asid_control_cap: 11,
  thread_cap: 12,
  asid_pool_cap: 13,
  irq_control_cap: 14,
  irq_handler_cap: 16,
  zombie_cap: 18,
  domain_cap: 20,
} as const;
