// The numbers of the RISC-V Supervisor Binary Interface, v2.0: extension
// IDs (a7), function IDs (a6) and error codes (a0). Source: RISC-V SBI
// specification v2.0, chapters 3 (binary encoding) to 12.

/** Extension IDs (EID, in a7). Legacy v0.1 calls are 0x00..0x0f. */
export const SbiExt = {
  LegacySetTimer: 0x00,
  LegacyConsolePutchar: 0x01,
  LegacyConsoleGetchar: 0x02,
  LegacyShutdown: 0x08,
  Base: 0x10,
  Time: 0x54494d45, // "TIME"
  Ipi: 0x735049, // "sPI"
  Rfence: 0x52464e43, // "RFNC"
  Hsm: 0x48534d, // "HSM"
  Srst: 0x53525354, // "SRST"
  Dbcn: 0x4442434e, // "DBCN"
} as const;

/** Base extension function IDs (chapter 4). */
export const SbiBase = {
  GetSpecVersion: 0,
  GetImplId: 1,
  GetImplVersion: 2,
  ProbeExtension: 3,
  GetMvendorid: 4,
  GetMarchid: 5,
  GetMimpid: 6,
} as const;

/** RFENCE function IDs (chapter 8); 3..6 are the hypervisor fences. */
export const SbiRfence = {
  RemoteFenceI: 0,
  RemoteSfenceVma: 1,
  RemoteSfenceVmaAsid: 2,
} as const;

/** HSM function IDs and hart states (chapter 9). */
export const SbiHsm = { HartStart: 0, HartStop: 1, HartGetStatus: 2, HartSuspend: 3 } as const;
export const HartState = { Started: 0, Stopped: 1, Suspended: 4 } as const;
export type HartStateValue = (typeof HartState)[keyof typeof HartState];
/** hart_suspend types: the default retentive and non-retentive ones. */
export const SUSPEND_DEFAULT_RETENTIVE = 0x0000_0000n;
export const SUSPEND_DEFAULT_NON_RETENTIVE = 0x8000_0000n;

/** SRST (chapter 10): reset types and reasons. */
export const SrstType = { Shutdown: 0n, ColdReboot: 1n, WarmReboot: 2n } as const;
export const SrstReason = { None: 0n, SystemFailure: 1n } as const;

/** DBCN function IDs (chapter 12). */
export const SbiDbcn = { Write: 0, Read: 1, WriteByte: 2 } as const;

/** Standard SBI error codes (chapter 3, table 1). */
export const SbiError = {
  Success: 0n,
  Failed: -1n,
  NotSupported: -2n,
  InvalidParam: -3n,
  Denied: -4n,
  InvalidAddress: -5n,
  AlreadyAvailable: -6n,
  AlreadyStarted: -7n,
  AlreadyStopped: -8n,
} as const;

/** The SBI version mica implements: 2.0, as (major << 24) | minor. */
export const SBI_SPEC_VERSION = (2n << 24n) | 0n;
/**
 * mica's SBI implementation ID. The spec's registry hands out small numbers
 * (0 BBL, 1 OpenSBI, 2 Xvisor, 3 KVM, 4 RustSBI, ...); mica is not registered
 * and uses "mica" in ASCII, far from any registered ID.
 */
export const SBI_IMPL_ID_MICA = 0x6d696361n;
/** mica's version 0.1.0 as (major << 16) | minor, as OpenSBI encodes its own. */
export const SBI_IMPL_VERSION = (0n << 16n) | 1n;
