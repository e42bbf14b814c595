// System call numbers of the non-MCS RISC-V kernel and the debug calls of
// a debug build (seL4/seL4: libsel4/include/api/syscall.xml; numbered from
// -1 downwards). To be replaced by interface/'s generated table.

export const SysCall = -1;
export const SysReplyRecv = -2;
export const SysSend = -3;
export const SysNBSend = -4;
export const SysRecv = -5;
export const SysReply = -6;
export const SysYield = -7;
export const SysNBRecv = -8;
export const SysDebugPutChar = -9;
export const SysDebugDumpScheduler = -10;
export const SysDebugHalt = -11;
export const SysDebugCapIdentify = -12;
export const SysDebugSnapshot = -13;
export const SysDebugNameThread = -14;

export const SYSCALL_NAMES: Record<number, string> = {
  [SysCall]: "Call",
  [SysReplyRecv]: "ReplyRecv",
  [SysSend]: "Send",
  [SysNBSend]: "NBSend",
  [SysRecv]: "Recv",
  [SysReply]: "Reply",
  [SysYield]: "Yield",
  [SysNBRecv]: "NBRecv",
  [SysDebugPutChar]: "DebugPutChar",
  [SysDebugDumpScheduler]: "DebugDumpScheduler",
  [SysDebugHalt]: "DebugHalt",
  [SysDebugCapIdentify]: "DebugCapIdentify",
  [SysDebugSnapshot]: "DebugSnapshot",
  [SysDebugNameThread]: "DebugNameThread",
};
