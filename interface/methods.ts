// Every object method (invocation) of non-MCS riscv64 seL4: which interface (cap type) it belongs
// to, its invocation label, and its arguments in C order. The invoked cap itself is the method's
// `_service` argument, of the interface's type; `via` says whether each other input travels in
// message registers ("mr") or as an extra cap ("cap"). interface/marshal.ts turns this into
// message positions; the label numbers come from the order of this list (interface/labels.ts).
//
// Sources (seL4/seL4 16.0.0): libsel4/include/interfaces/object-api.xml (generic methods, in
// order), libsel4/sel4_arch_include/riscv64/interfaces/object-api-sel4-arch.xml (empty),
// libsel4/arch_include/riscv/interfaces/object-api-arch.xml (RISC-V methods, in order).
// Left out because their condition is never on in mica's configuration: the MCS variants and
// MCS-only methods, TCBSetAffinity (non-MCS with SMP), the four HARDWARE_DEBUG_API TCB methods
// (unsupported on RISC-V). Each would sit in the label order where the XML has it.

import type { ParamTypeName } from "./param-types.js";
import type { Versioned } from "./release.js";

export interface InParam {
  readonly name: string;
  readonly type: ParamTypeName;
  readonly via: "mr" | "cap";
}

export interface OutParam {
  readonly name: string;
  readonly type: ParamTypeName;
}

export interface Method extends Versioned {
  /** The invocation label's name (the XML method id), e.g. "CNodeCopy". */
  readonly label: string;
  /** The C function is `${interface}_${name}`. */
  readonly name: string;
  readonly in: readonly InParam[];
  readonly out: readonly OutParam[];
}

export interface ObjectInterface {
  /** Also the C type of the invoked cap (`_service`). */
  readonly name: ParamTypeName;
  readonly methods: readonly Method[];
}

const mr = (name: string, type: ParamTypeName): InParam => ({ name, type, via: "mr" });
const cap = (name: string, type: ParamTypeName): InParam => ({ name, type, via: "cap" });
const out = (name: string, type: ParamTypeName): OutParam => ({ name, type });

/** object-api.xml, in file order (labels 1, 2, ... follow this order). */
export const genericInterfaces: readonly ObjectInterface[] = [
  {
    name: "seL4_Untyped",
    methods: [
      {
        label: "UntypedRetype",
        name: "Retype",
        in: [
          mr("type", "seL4_Word"),
          mr("size_bits", "seL4_Word"),
          cap("root", "seL4_CNode"),
          mr("node_index", "seL4_Word"),
          mr("node_depth", "seL4_Word"),
          mr("node_offset", "seL4_Word"),
          mr("num_objects", "seL4_Word"),
        ],
        out: [],
      },
    ],
  },
  {
    name: "seL4_TCB",
    methods: [
      {
        label: "TCBReadRegisters",
        name: "ReadRegisters",
        in: [
          mr("suspend_source", "seL4_Bool"),
          mr("arch_flags", "seL4_Uint8"),
          mr("count", "seL4_Word"),
        ],
        out: [out("regs", "seL4_UserContext")],
      },
      {
        label: "TCBWriteRegisters",
        name: "WriteRegisters",
        in: [
          mr("resume_target", "seL4_Bool"),
          mr("arch_flags", "seL4_Uint8"),
          mr("count", "seL4_Word"),
          mr("regs", "seL4_UserContext"),
        ],
        out: [],
      },
      {
        label: "TCBCopyRegisters",
        name: "CopyRegisters",
        in: [
          cap("source", "seL4_TCB"),
          mr("suspend_source", "seL4_Bool"),
          mr("resume_target", "seL4_Bool"),
          mr("transfer_frame", "seL4_Bool"),
          mr("transfer_integer", "seL4_Bool"),
          mr("arch_flags", "seL4_Uint8"),
        ],
        out: [],
      },
      {
        label: "TCBConfigure",
        name: "Configure",
        in: [
          mr("fault_ep", "seL4_Word"),
          cap("cspace_root", "seL4_CNode"),
          mr("cspace_root_data", "seL4_Word"),
          cap("vspace_root", "seL4_CPtr"),
          mr("vspace_root_data", "seL4_Word"),
          mr("buffer", "seL4_Word"),
          cap("bufferFrame", "seL4_CPtr"),
        ],
        out: [],
      },
      {
        label: "TCBSetPriority",
        name: "SetPriority",
        in: [cap("authority", "seL4_TCB"), mr("priority", "seL4_Word")],
        out: [],
      },
      {
        label: "TCBSetMCPriority",
        name: "SetMCPriority",
        in: [cap("authority", "seL4_TCB"), mr("mcp", "seL4_Word")],
        out: [],
      },
      {
        label: "TCBSetSchedParams",
        name: "SetSchedParams",
        in: [cap("authority", "seL4_TCB"), mr("mcp", "seL4_Word"), mr("priority", "seL4_Word")],
        out: [],
      },
      {
        label: "TCBSetIPCBuffer",
        name: "SetIPCBuffer",
        in: [mr("buffer", "seL4_Word"), cap("bufferFrame", "seL4_CPtr")],
        out: [],
      },
      {
        label: "TCBSetSpace",
        name: "SetSpace",
        in: [
          mr("fault_ep", "seL4_Word"),
          cap("cspace_root", "seL4_CNode"),
          mr("cspace_root_data", "seL4_Word"),
          cap("vspace_root", "seL4_CPtr"),
          mr("vspace_root_data", "seL4_Word"),
        ],
        out: [],
      },
      { label: "TCBSuspend", name: "Suspend", in: [], out: [] },
      { label: "TCBResume", name: "Resume", in: [], out: [] },
      {
        label: "TCBBindNotification",
        name: "BindNotification",
        in: [cap("notification", "seL4_CPtr")],
        out: [],
      },
      { label: "TCBUnbindNotification", name: "UnbindNotification", in: [], out: [] },
      // (TCBSetAffinity, then the four HARDWARE_DEBUG_API methods, would sit here.)
      {
        label: "TCBSetTLSBase",
        name: "SetTLSBase",
        in: [mr("tls_base", "seL4_Word")],
        out: [],
      },
      {
        label: "TCBSetFlags",
        name: "SetFlags",
        since: "14.0",
        in: [mr("clear", "seL4_Word"), mr("set", "seL4_Word")],
        out: [out("flags", "seL4_Word")],
      },
    ],
  },
  {
    name: "seL4_CNode",
    methods: [
      {
        label: "CNodeRevoke",
        name: "Revoke",
        in: [mr("index", "seL4_Word"), mr("depth", "seL4_Uint8")],
        out: [],
      },
      {
        label: "CNodeDelete",
        name: "Delete",
        in: [mr("index", "seL4_Word"), mr("depth", "seL4_Uint8")],
        out: [],
      },
      {
        label: "CNodeCancelBadgedSends",
        name: "CancelBadgedSends",
        in: [mr("index", "seL4_Word"), mr("depth", "seL4_Uint8")],
        out: [],
      },
      {
        label: "CNodeCopy",
        name: "Copy",
        in: [
          mr("dest_index", "seL4_Word"),
          mr("dest_depth", "seL4_Uint8"),
          cap("src_root", "seL4_CNode"),
          mr("src_index", "seL4_Word"),
          mr("src_depth", "seL4_Uint8"),
          mr("rights", "seL4_CapRights_t"),
        ],
        out: [],
      },
      {
        label: "CNodeMint",
        name: "Mint",
        in: [
          mr("dest_index", "seL4_Word"),
          mr("dest_depth", "seL4_Uint8"),
          cap("src_root", "seL4_CNode"),
          mr("src_index", "seL4_Word"),
          mr("src_depth", "seL4_Uint8"),
          mr("rights", "seL4_CapRights_t"),
          mr("badge", "seL4_Word"),
        ],
        out: [],
      },
      {
        label: "CNodeMove",
        name: "Move",
        in: [
          mr("dest_index", "seL4_Word"),
          mr("dest_depth", "seL4_Uint8"),
          cap("src_root", "seL4_CNode"),
          mr("src_index", "seL4_Word"),
          mr("src_depth", "seL4_Uint8"),
        ],
        out: [],
      },
      {
        label: "CNodeMutate",
        name: "Mutate",
        in: [
          mr("dest_index", "seL4_Word"),
          mr("dest_depth", "seL4_Uint8"),
          cap("src_root", "seL4_CNode"),
          mr("src_index", "seL4_Word"),
          mr("src_depth", "seL4_Uint8"),
          mr("badge", "seL4_Word"),
        ],
        out: [],
      },
      {
        label: "CNodeRotate",
        name: "Rotate",
        in: [
          mr("dest_index", "seL4_Word"),
          mr("dest_depth", "seL4_Uint8"),
          mr("dest_badge", "seL4_Word"),
          cap("pivot_root", "seL4_CNode"),
          mr("pivot_index", "seL4_Word"),
          mr("pivot_depth", "seL4_Uint8"),
          mr("pivot_badge", "seL4_Word"),
          cap("src_root", "seL4_CNode"),
          mr("src_index", "seL4_Word"),
          mr("src_depth", "seL4_Uint8"),
        ],
        out: [],
      },
      {
        label: "CNodeSaveCaller",
        name: "SaveCaller",
        in: [mr("index", "seL4_Word"), mr("depth", "seL4_Uint8")],
        out: [],
      },
    ],
  },
  {
    name: "seL4_IRQControl",
    methods: [
      {
        label: "IRQIssueIRQHandler",
        name: "Get",
        in: [
          mr("irq", "seL4_Word"),
          cap("root", "seL4_CNode"),
          mr("index", "seL4_Word"),
          mr("depth", "seL4_Uint8"),
        ],
        out: [],
      },
    ],
  },
  {
    name: "seL4_IRQHandler",
    methods: [
      { label: "IRQAckIRQ", name: "Ack", in: [], out: [] },
      {
        label: "IRQSetIRQHandler",
        name: "SetNotification",
        in: [cap("notification", "seL4_CPtr")],
        out: [],
      },
      { label: "IRQClearIRQHandler", name: "Clear", in: [], out: [] },
    ],
  },
  {
    name: "seL4_DomainSet",
    methods: [
      {
        label: "DomainSetSet",
        name: "Set",
        in: [mr("domain", "seL4_Uint8"), cap("thread", "seL4_TCB")],
        out: [],
      },
      {
        label: "DomainScheduleConfigure",
        name: "ScheduleConfigure",
        since: "15.0",
        in: [mr("index", "seL4_Word"), mr("domain", "seL4_Uint8"), mr("duration", "seL4_Time")],
        out: [],
      },
      {
        label: "DomainScheduleSetStart",
        name: "ScheduleSetStart",
        since: "15.0",
        in: [mr("index", "seL4_Word")],
        out: [],
      },
    ],
  },
];

/** object-api-arch.xml for RISC-V, in file order (labels continue after the generic ones). */
export const riscvInterfaces: readonly ObjectInterface[] = [
  {
    name: "seL4_RISCV_PageTable",
    methods: [
      {
        label: "RISCVPageTableMap",
        name: "Map",
        in: [
          cap("vspace", "seL4_RISCV_PageTable"),
          mr("vaddr", "seL4_Word"),
          mr("attr", "seL4_RISCV_VMAttributes"),
        ],
        out: [],
      },
      { label: "RISCVPageTableUnmap", name: "Unmap", in: [], out: [] },
    ],
  },
  {
    name: "seL4_RISCV_Page",
    methods: [
      {
        label: "RISCVPageMap",
        name: "Map",
        in: [
          cap("vspace", "seL4_RISCV_PageTable"),
          mr("vaddr", "seL4_Word"),
          mr("rights", "seL4_CapRights_t"),
          mr("attr", "seL4_RISCV_VMAttributes"),
        ],
        out: [],
      },
      { label: "RISCVPageUnmap", name: "Unmap", in: [], out: [] },
      {
        label: "RISCVPageGetAddress",
        name: "GetAddress",
        in: [],
        out: [out("paddr", "seL4_Word")],
      },
    ],
  },
  {
    name: "seL4_RISCV_ASIDControl",
    methods: [
      {
        label: "RISCVASIDControlMakePool",
        name: "MakePool",
        in: [
          cap("untyped", "seL4_Untyped"),
          cap("root", "seL4_CNode"),
          mr("index", "seL4_Word"),
          mr("depth", "seL4_Uint8"),
        ],
        out: [],
      },
    ],
  },
  {
    name: "seL4_RISCV_ASIDPool",
    methods: [
      {
        label: "RISCVASIDPoolAssign",
        name: "Assign",
        in: [cap("vspace", "seL4_CPtr")],
        out: [],
      },
    ],
  },
  {
    name: "seL4_IRQControl",
    methods: [
      {
        label: "RISCVIRQIssueIRQHandlerTrigger",
        name: "GetTrigger",
        in: [
          mr("irq", "seL4_Word"),
          mr("trigger", "seL4_Word"),
          cap("root", "seL4_CNode"),
          mr("index", "seL4_Word"),
          mr("depth", "seL4_Uint8"),
        ],
        out: [],
      },
    ],
  },
];

export interface MethodOf extends Method {
  readonly interface: ParamTypeName;
  /** "generic" labels number from 1; "arch" labels continue after the last generic one. */
  readonly layer: "generic" | "arch";
}

/** Every method, generic first, each with its interface: the order labels are numbered in. */
export const allMethods: readonly MethodOf[] = [
  ...genericInterfaces.flatMap((i) =>
    i.methods.map((m) => ({ ...m, interface: i.name, layer: "generic" as const })),
  ),
  ...riscvInterfaces.flatMap((i) =>
    i.methods.map((m) => ({ ...m, interface: i.name, layer: "arch" as const })),
  ),
];
