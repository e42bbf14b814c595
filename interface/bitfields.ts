// Words with bit fields that cross the user/kernel boundary (message info, cap rights, CNode guard
// data), the riscv64 VM-attribute word, and the seL4_Fault tagged union libsel4 builds from fault
// messages. Fields are listed as seL4's .bf files list them: most significant first; the last
// field ends at bit 0 of word 0, and a field never straddles two words.
//
// Sources (seL4/seL4 16.0.0): libsel4/mode_include/64/sel4/shared_types.bf (seL4_MessageInfo,
// seL4_CapRights, seL4_CNode_CapData), libsel4/sel4_arch_include/riscv64/sel4/sel4_arch/types.bf
// (vm_attributes and the fault blocks), libsel4/arch_include/riscv/sel4/arch/shared_types.bf
// (the seL4_Fault tags), libsel4/include/sel4/shared_types.h (named rights).
//
//   seL4_MessageInfo (a1 on every syscall)
//   63                                   12 11      9 8    7 6        0
//   +--------------------------------------+---------+------+----------+
//   | label                                | capsUn- | extra| length   |
//   |                                      | wrapped | Caps |          |
//   +--------------------------------------+---------+------+----------+
//
//   seL4_CapRights            seL4_CNode_CapData
//   63      4  3  2  1  0     63                   6 5        0
//   +--------+--+--+--+--+    +---------------------+----------+
//   |   0    |GR|G |R |W |    | guard               | guardSize|
//   +--------+--+--+--+--+    +---------------------+----------+

export interface BitfieldMember {
  /** null for padding. */
  readonly name: string | null;
  readonly bits: number;
}

export interface BitfieldBlock {
  readonly name: string;
  /** Declared most significant first, as in the .bf file. */
  readonly fields: readonly BitfieldMember[];
}

export interface FieldPosition {
  readonly name: string;
  readonly word: number;
  readonly shift: number;
  readonly bits: number;
}

const f = (name: string, bits: number): BitfieldMember => ({ name, bits });
const pad = (bits: number): BitfieldMember => ({ name: null, bits });

export const seL4_MessageInfo: BitfieldBlock = {
  name: "seL4_MessageInfo",
  fields: [f("label", 52), f("capsUnwrapped", 3), f("extraCaps", 2), f("length", 7)],
};

export const seL4_CapRights: BitfieldBlock = {
  name: "seL4_CapRights",
  fields: [
    pad(32),
    pad(28),
    f("capAllowGrantReply", 1),
    f("capAllowGrant", 1),
    f("capAllowRead", 1),
    f("capAllowWrite", 1),
  ],
};

export const seL4_CNode_CapData: BitfieldBlock = {
  name: "seL4_CNode_CapData",
  fields: [f("guard", 58), f("guardSize", 6)],
};

/** riscv64 types.bf: the Map attribute word, seen from C as vm_attributes_t. */
export const vm_attributes: BitfieldBlock = {
  name: "vm_attributes",
  fields: [pad(32), pad(31), f("riscvExecuteNever", 1)],
};

/** The blocks libsel4 exposes as structs with _new/_get_/_set_ functions. */
export const bitfieldBlocks = [seL4_MessageInfo, seL4_CapRights, seL4_CNode_CapData, vm_attributes];

/**
 * seL4_CapRights_new(grantReply, grant, read, write) values libsel4 names
 * (shared_types.h), as the 4-bit word they build.
 */
export const namedRights = {
  seL4_ReadWrite: 0x3,
  seL4_AllRights: 0xf,
  seL4_CanRead: 0x2,
  seL4_CanWrite: 0x1,
  seL4_CanGrant: 0x4,
  seL4_CanGrantReply: 0x8,
  seL4_NoWrite: 0xe,
  seL4_NoRead: 0xd,
  seL4_NoRights: 0x0,
} as const;

export interface TaggedUnion {
  readonly name: string;
  /** The tag field's name; it is the last field (bits 3:0 of word 0) of every block. */
  readonly tagName: string;
  readonly tagBits: number;
  readonly blocks: readonly (BitfieldBlock & { readonly tag: number })[];
}

/**
 * seL4_Fault_t: what seL4_getFault() builds from a fault message (user side only; the kernel
 * sends plain message registers, see interface/faults.ts). Non-MCS tags; MCS adds Timeout 5 and
 * moves VMFault to 6. Every block is 768 bits, so seL4_Fault_t is 12 words.
 */
export const seL4_Fault: TaggedUnion = {
  name: "seL4_Fault",
  tagName: "seL4_FaultType",
  tagBits: 4,
  blocks: [
    { name: "NullFault", tag: 0, fields: [pad(704), pad(60), f("seL4_FaultType", 4)] },
    {
      name: "CapFault",
      tag: 1,
      fields: [
        pad(256),
        f("IP", 64),
        f("Addr", 64),
        f("InRecvPhase", 64),
        f("LookupFailureType", 64),
        f("MR4", 64),
        f("MR5", 64),
        f("MR6", 64),
        pad(60),
        f("seL4_FaultType", 4),
      ],
    },
    {
      name: "UnknownSyscall",
      tag: 2,
      fields: [
        f("FaultIP", 64),
        f("SP", 64),
        f("RA", 64),
        f("A0", 64),
        f("A1", 64),
        f("A2", 64),
        f("A3", 64),
        f("A4", 64),
        f("A5", 64),
        f("A6", 64),
        f("Syscall", 64),
        pad(60),
        f("seL4_FaultType", 4),
      ],
    },
    {
      name: "UserException",
      tag: 3,
      fields: [
        pad(448),
        f("FaultIP", 64),
        f("SP", 64),
        f("Number", 64),
        f("Code", 64),
        pad(60),
        f("seL4_FaultType", 4),
      ],
    },
    {
      name: "VMFault",
      tag: 5,
      fields: [
        pad(512),
        f("IP", 64),
        f("Addr", 64),
        f("PrefetchFault", 64),
        pad(32),
        f("FSR", 5),
        pad(8),
        pad(15),
        f("seL4_FaultType", 4),
      ],
    },
  ],
};

/** Total bits of a block. */
export function blockBits(block: BitfieldBlock): number {
  return block.fields.reduce((n, m) => n + m.bits, 0);
}

/**
 * Where each named field sits: fields fill the block from its top bit down, so a field's lowest
 * bit is the width of everything declared after it.
 */
export function fieldPositions(block: BitfieldBlock): FieldPosition[] {
  const out: FieldPosition[] = [];
  let below = blockBits(block);
  for (const m of block.fields) {
    below -= m.bits;
    if (m.name === null) continue;
    const word = Math.floor(below / 64);
    const shift = below % 64;
    if (shift + m.bits > 64) throw new Error(`${block.name}.${m.name} straddles a word`);
    out.push({ name: m.name, word, shift, bits: m.bits });
  }
  return out;
}
