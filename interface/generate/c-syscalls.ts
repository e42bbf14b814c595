// Emits the IPC-buffer accessors (sel4/functions.h) and the syscall wrappers (sel4/syscalls.h):
// seL4_Send ... seL4_Poll and the debug calls, written against the register convention in
// interface/registers.ts. Only the register names come from data; the shapes follow libsel4's
// riscv wrappers (seL4/seL4 16.0.0 libsel4/arch_include/riscv/sel4/arch/syscalls.h): MR0..MR3
// are loaded from the IPC buffer into a2..a5 before the call and stored back after a receive.

import { syscallRegisters } from "../registers.js";
import { type CFile, cHeader, includes } from "./c.js";

function functionsH(): CFile {
  const body = [
    ...includes("sel4/config.h", "sel4/types.h"),
    "",
    "/*",
    " * The calling thread's IPC buffer. The C runtime defines it and sets it before main (the",
    " * root task's comes from seL4_BootInfo.ipcBuffer); threads it starts set their own.",
    " */",
    "extern LIBSEL4_THREAD_LOCAL seL4_IPCBuffer *__sel4_ipc_buffer;",
    "",
    "LIBSEL4_INLINE_FUNC void seL4_SetIPCBuffer(seL4_IPCBuffer *ipc_buffer)",
    "{",
    "    __sel4_ipc_buffer = ipc_buffer;",
    "}",
    "",
    "LIBSEL4_INLINE_FUNC seL4_IPCBuffer *seL4_GetIPCBuffer(void)",
    "{",
    "    return __sel4_ipc_buffer;",
    "}",
    "",
    "/* Message register i as stored in the IPC buffer (MR0..MR3 are copies of a2..a5). */",
    "LIBSEL4_INLINE_FUNC seL4_Word seL4_GetMR(int i)",
    "{",
    "    return seL4_GetIPCBuffer()->msg[i];",
    "}",
    "",
    "LIBSEL4_INLINE_FUNC void seL4_SetMR(int i, seL4_Word mr)",
    "{",
    "    seL4_GetIPCBuffer()->msg[i] = mr;",
    "}",
    "",
    "LIBSEL4_INLINE_FUNC seL4_Word seL4_GetUserData(void)",
    "{",
    "    return seL4_GetIPCBuffer()->userData;",
    "}",
    "",
    "LIBSEL4_INLINE_FUNC void seL4_SetUserData(seL4_Word data)",
    "{",
    "    seL4_GetIPCBuffer()->userData = data;",
    "}",
    "",
    "/* The badge of the i-th received cap that was unwrapped (see capsUnwrapped). */",
    "LIBSEL4_INLINE_FUNC seL4_Word seL4_GetBadge(int i)",
    "{",
    "    return seL4_GetIPCBuffer()->caps_or_badges[i];",
    "}",
    "",
    "LIBSEL4_INLINE_FUNC seL4_CPtr seL4_GetCap(int i)",
    "{",
    "    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];",
    "}",
    "",
    "/* Names the i-th extra cap of the next message sent. */",
    "LIBSEL4_INLINE_FUNC void seL4_SetCap(int i, seL4_CPtr cptr)",
    "{",
    "    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;",
    "}",
    "",
    "LIBSEL4_INLINE_FUNC void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex,",
    "                                                seL4_Word *receiveDepth)",
    "{",
    "    seL4_IPCBuffer *ipc_buffer = seL4_GetIPCBuffer();",
    "    if (receiveCNode != seL4_Null) {",
    "        *receiveCNode = ipc_buffer->receiveCNode;",
    "    }",
    "    if (receiveIndex != seL4_Null) {",
    "        *receiveIndex = ipc_buffer->receiveIndex;",
    "    }",
    "    if (receiveDepth != seL4_Null) {",
    "        *receiveDepth = ipc_buffer->receiveDepth;",
    "    }",
    "}",
    "",
    "/* Where a cap received in the next message goes: one empty slot (CNode, index, depth). */",
    "LIBSEL4_INLINE_FUNC void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,",
    "                                                seL4_Word receiveDepth)",
    "{",
    "    seL4_IPCBuffer *ipc_buffer = seL4_GetIPCBuffer();",
    "    ipc_buffer->receiveCNode = receiveCNode;",
    "    ipc_buffer->receiveIndex = receiveIndex;",
    "    ipc_buffer->receiveDepth = receiveDepth;",
    "}",
  ];
  return cHeader("sel4/functions.h", "access to the calling thread's IPC buffer.", body);
}

/** The ecall helpers every wrapper goes through. */
function ecallHelpers(): string[] {
  const r = syscallRegisters;
  const [m0, m1, m2, m3] = r.msgRegisters;
  return [
    "/*",
    ` * ecall with the syscall number in ${r.syscallNumber}, ${r.capRegister} = cptr in / badge out,`,
    ` * ${r.msgInfoRegister} = message info, ${m0}..${m3} = MR0..MR3; each register is read before`,
    " * and written back after the call. The kernel preserves every other register. The memory",
    " * clobber keeps IPC-buffer reads and writes on their side of the call.",
    " */",
    "static inline void mica_riscv_ecall(seL4_Word sys, seL4_Word *cap_or_badge, seL4_Word *info,",
    "                                    seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,",
    "                                    seL4_Word *mr3)",
    "{",
    `    register seL4_Word r_cap __asm__("${r.capRegister}") = *cap_or_badge;`,
    `    register seL4_Word r_info __asm__("${r.msgInfoRegister}") = *info;`,
    `    register seL4_Word r_mr0 __asm__("${m0}") = *mr0;`,
    `    register seL4_Word r_mr1 __asm__("${m1}") = *mr1;`,
    `    register seL4_Word r_mr2 __asm__("${m2}") = *mr2;`,
    `    register seL4_Word r_mr3 __asm__("${m3}") = *mr3;`,
    `    register seL4_Word r_sys __asm__("${r.syscallNumber}") = sys;`,
    '    __asm__ __volatile__("ecall"',
    '                 : "+r"(r_cap), "+r"(r_info), "+r"(r_mr0), "+r"(r_mr1), "+r"(r_mr2), "+r"(r_mr3)',
    '                 : "r"(r_sys)',
    '                 : "memory");',
    "    *cap_or_badge = r_cap;",
    "    *info = r_info;",
    "    *mr0 = r_mr0;",
    "    *mr1 = r_mr1;",
    "    *mr2 = r_mr2;",
    "    *mr3 = r_mr3;",
    "}",
    "",
    "/* ecall that passes and returns nothing but the syscall number. */",
    "static inline void mica_riscv_ecall0(seL4_Word sys)",
    "{",
    `    register seL4_Word r_sys __asm__("${r.syscallNumber}") = sys;`,
    '    __asm__ __volatile__("ecall" : : "r"(r_sys) : "memory");',
    "}",
    "",
    "/* A debug syscall taking one word in the cap register and returning what the kernel leaves there. */",
    "static inline seL4_Word mica_riscv_debug1(seL4_Word sys, seL4_Word arg)",
    "{",
    "    seL4_Word info = 0, mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;",
    "    mica_riscv_ecall(sys, &arg, &info, &mr0, &mr1, &mr2, &mr3);",
    "    return arg;",
    "}",
    "",
  ];
}

/** The four MR locals of a wrapper, loaded from the IPC buffer. */
const loadMRs = [
  "seL4_Word mr0 = seL4_GetMR(0);",
  "seL4_Word mr1 = seL4_GetMR(1);",
  "seL4_Word mr2 = seL4_GetMR(2);",
  "seL4_Word mr3 = seL4_GetMR(3);",
];
const storeMRs = [
  "seL4_SetMR(0, mr0);",
  "seL4_SetMR(1, mr1);",
  "seL4_SetMR(2, mr2);",
  "seL4_SetMR(3, mr3);",
];
/** MR locals taken from caller pointers: MR i only if the message is longer than i. */
const takeMRs = [0, 1, 2, 3].map(
  (i) =>
    `seL4_Word mr${i} = (p_mr${i} != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > ${i}) ? *p_mr${i} : 0;`,
);
const zeroMRs = ["seL4_Word mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;"];
const giveMRs = [0, 1, 2, 3].map(
  (i) => `if (p_mr${i} != seL4_Null) {\n        *p_mr${i} = mr${i};\n    }`,
);
const mrPtrs = "seL4_Word *p_mr0, seL4_Word *p_mr1, seL4_Word *p_mr2, seL4_Word *p_mr3";
const giveSender = ["if (sender != seL4_Null) {", "    *sender = badge;", "}"];

function fn(signature: string, body: readonly string[]): string[] {
  return [`LIBSEL4_INLINE_FUNC ${signature}`, "{", ...body.map((l) => `    ${l}`), "}", ""];
}

/** Send-like: nothing comes back. */
function sendLike(name: string, sys: string, withMRs: boolean): string[] {
  return fn(
    `void ${name}(seL4_CPtr dest, seL4_MessageInfo_t msgInfo${withMRs ? `, ${mrPtrs}` : ""})`,
    [
      ...(withMRs ? takeMRs : loadMRs),
      "seL4_Word info = msgInfo.words[0];",
      `mica_riscv_ecall(${sys}, &dest, &info, &mr0, &mr1, &mr2, &mr3);`,
    ],
  );
}

function replyLike(withMRs: boolean): string[] {
  return fn(
    `void seL4_Reply${withMRs ? "WithMRs" : ""}(seL4_MessageInfo_t msgInfo${withMRs ? `, ${mrPtrs}` : ""})`,
    [
      ...(withMRs ? takeMRs : loadMRs),
      "seL4_Word unused = 0;",
      "seL4_Word info = msgInfo.words[0];",
      "mica_riscv_ecall(seL4_SysReply, &unused, &info, &mr0, &mr1, &mr2, &mr3);",
    ],
  );
}

/** Recv-like: src in, badge + info + MR0..3 out. */
function recvLike(name: string, sys: string, withMRs: boolean): string[] {
  return fn(
    `seL4_MessageInfo_t ${name}(seL4_CPtr src, seL4_Word *sender${withMRs ? `, ${mrPtrs}` : ""})`,
    [
      "seL4_MessageInfo_t msgInfo;",
      "seL4_Word badge = src;",
      "seL4_Word info = 0;",
      ...zeroMRs,
      `mica_riscv_ecall(${sys}, &badge, &info, &mr0, &mr1, &mr2, &mr3);`,
      ...(withMRs ? giveMRs : storeMRs),
      ...giveSender,
      "msgInfo.words[0] = info;",
      "return msgInfo;",
    ],
  );
}

function callLike(withMRs: boolean): string[] {
  return fn(
    `seL4_MessageInfo_t seL4_Call${withMRs ? "WithMRs" : ""}(seL4_CPtr dest, seL4_MessageInfo_t msgInfo${withMRs ? `, ${mrPtrs}` : ""})`,
    [
      ...(withMRs ? takeMRs : loadMRs),
      "seL4_Word info = msgInfo.words[0];",
      "mica_riscv_ecall(seL4_SysCall, &dest, &info, &mr0, &mr1, &mr2, &mr3);",
      ...(withMRs ? giveMRs : storeMRs),
      "msgInfo.words[0] = info;",
      "return msgInfo;",
    ],
  );
}

function replyRecvLike(withMRs: boolean): string[] {
  return fn(
    `seL4_MessageInfo_t seL4_ReplyRecv${withMRs ? "WithMRs" : ""}(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender${withMRs ? `, ${mrPtrs}` : ""})`,
    [
      ...(withMRs ? takeMRs : loadMRs),
      "seL4_Word badge = src;",
      "seL4_Word info = msgInfo.words[0];",
      "mica_riscv_ecall(seL4_SysReplyRecv, &badge, &info, &mr0, &mr1, &mr2, &mr3);",
      ...(withMRs ? giveMRs : storeMRs),
      ...giveSender,
      "msgInfo.words[0] = info;",
      "return msgInfo;",
    ],
  );
}

function debugWrappers(): string[] {
  return [
    "#ifdef CONFIG_PRINTING",
    ...fn("void seL4_DebugPutChar(char c)", [
      "mica_riscv_debug1(seL4_SysDebugPutChar, (seL4_Uint8)c);",
    ]),
    ...fn("void seL4_DebugPutString(char *str)", [
      "for (char *s = str; *s != 0; s++) {",
      "    seL4_DebugPutChar(*s);",
      "}",
    ]),
    ...fn("void seL4_DebugDumpScheduler(void)", [
      "mica_riscv_debug1(seL4_SysDebugDumpScheduler, 0);",
    ]),
    "#endif /* CONFIG_PRINTING */",
    "",
    "#ifdef CONFIG_DEBUG_BUILD",
    ...fn("void seL4_DebugHalt(void)", ["mica_riscv_ecall0(seL4_SysDebugHalt);"]),
    ...fn("void seL4_DebugSnapshot(void)", ["mica_riscv_ecall0(seL4_SysDebugSnapshot);"]),
    "/* The kernel's cap-type tag of the cap at `cap` (0 if the lookup fails). */",
    ...fn("seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)", [
      "return (seL4_Uint32)mica_riscv_debug1(seL4_SysDebugCapIdentify, cap);",
    ]),
    "/*",
    " * Names a thread in kernel debug output. The name goes into the IPC buffer from msg[0]",
    " * on; a name that does not fit (with its NUL) in seL4_MsgMaxLength words is cut without a",
    " * NUL, which the kernel answers by halting, as it would for libsel4's unbounded copy.",
    " */",
    ...fn("void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)", [
      "char *dest = (char *)seL4_GetIPCBuffer()->msg;",
      "seL4_Word room = seL4_MsgMaxLength * sizeof(seL4_Word);",
      "seL4_Word i = 0;",
      "for (; i < room && name[i] != 0; i++) {",
      "    dest[i] = name[i];",
      "}",
      "if (i < room) {",
      "    dest[i] = 0;",
      "}",
      "mica_riscv_debug1(seL4_SysDebugNameThread, tcb);",
    ]),
    "#endif /* CONFIG_DEBUG_BUILD */",
  ];
}

function syscallsH(): CFile {
  const body = [
    ...includes("sel4/config.h", "sel4/types.h", "sel4/functions.h"),
    "",
    ...ecallHelpers(),
    "/* Send: blocking send on an endpoint, or an invocation whose reply is dropped. */",
    ...sendLike("seL4_Send", "seL4_SysSend", false),
    ...sendLike("seL4_SendWithMRs", "seL4_SysSend", true),
    "/* NBSend: as Send, but gives up (silently) instead of blocking. */",
    ...sendLike("seL4_NBSend", "seL4_SysNBSend", false),
    ...sendLike("seL4_NBSendWithMRs", "seL4_SysNBSend", true),
    "/* Reply: answers the thread whose Call this thread received last. */",
    ...replyLike(false),
    ...replyLike(true),
    "/* Signal: a Send of an empty message (for notifications). */",
    ...fn("void seL4_Signal(seL4_CPtr dest)", [
      "seL4_Word info = seL4_MessageInfo_new(0, 0, 0, 0).words[0];",
      ...zeroMRs,
      "mica_riscv_ecall(seL4_SysSend, &dest, &info, &mr0, &mr1, &mr2, &mr3);",
    ]),
    "/* Recv: waits for a message or signal on src; *sender (if given) receives the badge. */",
    ...recvLike("seL4_Recv", "seL4_SysRecv", false),
    ...recvLike("seL4_RecvWithMRs", "seL4_SysRecv", true),
    "/* NBRecv: as Recv, but returns at once when nothing is waiting. */",
    ...recvLike("seL4_NBRecv", "seL4_SysNBRecv", false),
    "/* Call: send, then wait for the reply (or the kernel's answer to an invocation). */",
    ...callLike(false),
    ...callLike(true),
    "/* ReplyRecv: Reply, then Recv on src, in one syscall. */",
    ...replyRecvLike(false),
    ...replyRecvLike(true),
    ...fn("void seL4_Yield(void)", ["mica_riscv_ecall0(seL4_SysYield);"]),
    "/* Wait on a notification (non-MCS: a Recv whose message info is dropped). */",
    ...fn("void seL4_Wait(seL4_CPtr src, seL4_Word *sender)", ["seL4_Recv(src, sender);"]),
    "/* Poll a notification (non-MCS: NBRecv). */",
    ...fn("seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)", [
      "return seL4_NBRecv(src, sender);",
    ]),
    ...debugWrappers(),
  ];
  return cHeader("sel4/syscalls.h", "the syscalls, as inline functions around ecall.", body);
}

export function syscallHeaders(): CFile[] {
  return [functionsH(), syscallsH()];
}
