// The IPC buffer: the page-resident part of a thread's message, at the address given to
// TCB_Configure / TCB_SetIPCBuffer (1024-byte aligned). MR i for i >= 4 is msg[i]; the kernel
// reaches it at word i + 1.
//
// Source: seL4/seL4 16.0.0 libsel4/include/sel4/shared_types.h (struct seL4_IPCBuffer_, aligned
// to its own size), sizes from libsel4/include/sel4/constants.h (seL4_MsgMaxLength 120,
// seL4_MsgMaxExtraCaps 3).
//
//   byte    0  tag              (seL4_MessageInfo_t; the kernel never reads or writes it)
//           8  msg[0..119]      (MR0..MR3 also travel in a2..a5)
//         968  userData         (left to user code)
//         976  caps_or_badges[0..2]  (send: extra-cap cptrs; receive: badges of unwrapped caps)
//        1000  receiveCNode, 1008 receiveIndex, 1016 receiveDepth  (where a received cap goes)
//        1024  end

import { checkLayout, type StructLayout } from "./layout.js";

export const seL4_IPCBuffer: StructLayout = {
  name: "seL4_IPCBuffer",
  tag: "seL4_IPCBuffer_",
  size: 1024,
  align: 1024,
  fields: [
    { name: "tag", cType: "seL4_MessageInfo_t", offset: 0, size: 8 },
    {
      name: "msg",
      cType: "seL4_Word",
      offset: 8,
      size: 8,
      count: 120,
      countExpr: "seL4_MsgMaxLength",
    },
    { name: "userData", cType: "seL4_Word", offset: 968, size: 8 },
    {
      name: "caps_or_badges",
      cType: "seL4_Word",
      offset: 976,
      size: 8,
      count: 3,
      countExpr: "seL4_MsgMaxExtraCaps",
    },
    { name: "receiveCNode", cType: "seL4_CPtr", offset: 1000, size: 8 },
    { name: "receiveIndex", cType: "seL4_CPtr", offset: 1008, size: 8 },
    { name: "receiveDepth", cType: "seL4_Word", offset: 1016, size: 8 },
  ],
};
checkLayout(seL4_IPCBuffer);
