// Hart state that is not a register file: privilege, counters, and the
// status of the instruction in flight. Module globals compile to wasm
// globals, which the interpreter loop reads cheaply.

export const PRV_U: u32 = 0;
export const PRV_S: u32 = 1;
export const PRV_M: u32 = 3;

// Reasons run() returns to the host.
export const EXIT_BUDGET: i32 = 0; // the instruction budget ran out
export const EXIT_IDLE: i32 = 1; // wfi with no interrupt that could ever wake the hart
export const EXIT_STOP: i32 = 2; // the host asked to stop (e.g. a device powered off)
export const EXIT_HOST_TRAP: i32 = 3; // a trap routed to the host kernel (hostTrapMask)
export const EXIT_HOST_IRQ: i32 = 4; // an interrupt line the host kernel takes (hostIrqMask)
export const EXIT_WFI: i32 = 5; // wfi with nothing pending, when wfi yields (smp.ts)

export let pc: u64 = 0;
export let priv: u32 = PRV_M;
export let hartId: u64 = 0;

// Retired instructions since reset; cycle and time derive from it (plus the
// cycles skipped while idle), which makes every run deterministic.
export let retired: u64 = 0;
export let idleCycles: u64 = 0;
// QEMU virt's timebase is 10 MHz; mica models a nominal 100 MHz hart.
export const CYCLES_PER_TICK: u64 = 10;

// Exception raised by the instruction in flight (-1: none), and its tval.
export let excCause: i32 = -1;
export let excTval: u64 = 0;

// Set by the host (through stop()) or a device to end run() after the
// current instruction.
export let stopRequested: bool = false;
// Set when the current slice must end early so the loop re-checks interrupts
// (a CLINT write, or a host stop request).
export let breakSlice: bool = false;

// @ts-ignore: decorator
@inline export function raise(cause: i32, tval: u64): void {
  excCause = cause;
  excTval = tval;
}

export function setPc(v: u64): void {
  pc = v;
}
export function setPriv(v: u32): void {
  priv = v;
}
export function setHartId(v: u64): void {
  hartId = v;
}
export function setRetired(v: u64): void {
  retired = v;
}
export function addIdle(v: u64): void {
  idleCycles += v;
}
export function setIdle(v: u64): void {
  idleCycles = v;
}
export function clearExc(): void {
  excCause = -1;
}
export function requestStop(): void {
  stopRequested = true;
  breakSlice = true;
}
export function requestBreakSlice(): void {
  breakSlice = true;
}
export function clearBreakSlice(): void {
  breakSlice = false;
}
export function clearStop(): void {
  stopRequested = false;
  breakSlice = false;
}
