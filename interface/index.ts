// The seL4 user-visible ABI as mica implements it (non-MCS, riscv64, debug build), as plain data.
// One module per topic; this file only re-exports them. scripts/gen-interface.ts turns the data
// into src/kernel/api/generated/abi.ts and the SDK's C headers (sdk/include/sel4/).

export * from "./bitfields.js";
export * from "./bootinfo.js";
export * from "./config.js";
export * from "./constants.js";
export * from "./errors.js";
export * from "./faults.js";
export * from "./ipc-buffer.js";
export * from "./labels.js";
export * from "./layout.js";
export * from "./marshal.js";
export * from "./methods.js";
export * from "./object-types.js";
export * from "./param-types.js";
export * from "./registers.js";
export * from "./release.js";
export * from "./syscalls.js";
