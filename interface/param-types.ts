// The C types that appear as method arguments, and how the stub generator packs each one:
// capability types travel as extra caps; everything else is packed into message words.
//
// Source: seL4/seL4 16.0.0 libsel4/tools/syscall_stub_gen.py (init_data_types and the riscv64
// entry of init_arch_types: every type it declares as a CapType - note that plain seL4_CPtr is
// one, so a seL4_CPtr argument is passed as a cap, not as a number). C typedefs:
// libsel4/include/sel4/types.h and libsel4/arch_include/riscv/sel4/arch/types.h.

export type ParamKind =
  /** Packed into message words: `bits` wide, aligned to min(bits, 64). */
  | "word"
  /** A bit-field struct (one word), sent as its .words[0]. */
  | "bitfield"
  /** A multi-word struct, passed by pointer, one member per message word. */
  | "struct"
  /** A capability: goes in the IPC buffer's caps_or_badges[] as an extra cap. */
  | "cap";

export interface ParamType {
  readonly kind: ParamKind;
  /** Width in a message (seL4_Bool packs as 1 bit, though C stores it in a byte). */
  readonly bits: number;
}

const word = (bits: number): ParamType => ({ kind: "word", bits });
const cap: ParamType = { kind: "cap", bits: 64 };

export const paramTypes = {
  seL4_Word: word(64),
  seL4_Uint8: word(8),
  seL4_Uint16: word(16),
  seL4_Uint32: word(32),
  seL4_Uint64: word(64),
  seL4_Time: word(64),
  seL4_Bool: word(1),
  seL4_RISCV_VMAttributes: word(64),
  seL4_CapRights_t: { kind: "bitfield", bits: 64 },
  seL4_UserContext: { kind: "struct", bits: 32 * 64 },
  seL4_CPtr: cap,
  seL4_CNode: cap,
  seL4_IRQHandler: cap,
  seL4_IRQControl: cap,
  seL4_TCB: cap,
  seL4_Untyped: cap,
  seL4_DomainSet: cap,
  // MCS object types; libsel4 declares the typedefs in every configuration.
  seL4_SchedContext: cap,
  seL4_SchedControl: cap,
  seL4_RISCV_Page: cap,
  seL4_RISCV_PageTable: cap,
  seL4_RISCV_ASIDControl: cap,
  seL4_RISCV_ASIDPool: cap,
} as const satisfies Record<string, ParamType>;

export type ParamTypeName = keyof typeof paramTypes;

/** The capability typedefs (all `typedef seL4_CPtr X;` in libsel4) other than seL4_CPtr. */
export const capTypedefs = (Object.keys(paramTypes) as ParamTypeName[]).filter(
  (t) => paramTypes[t].kind === "cap" && t !== "seL4_CPtr",
);
