/*
 * Compile-only test of the SDK's seL4 headers (tests/sdk/headers.test.ts builds it with
 * -Wall -Wextra -Werror for rv64gc/lp64d and rv64imac/lp64, once per seL4 release).
 *
 * It calls every syscall and invocation wrapper once, touches every struct, and checks struct
 * sizes and field offsets against "expected.h", which the test writes from interface/ (so a
 * header that drifted from the ABI tables fails here). expected.h also checks syscall numbers,
 * invocation labels, object types, errors and constants.
 */
#include <sel4/sel4.h>
#include <sel4/sel4_arch/mapping.h>
#include <sel4/arch/mapping.h>
#include <sel4/sel4_arch/constants.h>
#include <sel4/arch/constants.h>
#include <sel4/sel4_arch/types.h>
#include <sel4/bootinfo.h>

#include "expected.h"

#define SIZE_IS(type) _Static_assert(sizeof(type) == EXPECT_SIZE_##type, #type " size")
#define OFFSET_IS(type, field) \
    _Static_assert(__builtin_offsetof(type, field) == EXPECT_OFFSET_##type##_##field, \
                   #type "." #field " offset")

SIZE_IS(seL4_IPCBuffer);
OFFSET_IS(seL4_IPCBuffer, tag);
OFFSET_IS(seL4_IPCBuffer, msg);
OFFSET_IS(seL4_IPCBuffer, userData);
OFFSET_IS(seL4_IPCBuffer, caps_or_badges);
OFFSET_IS(seL4_IPCBuffer, receiveCNode);
OFFSET_IS(seL4_IPCBuffer, receiveIndex);
OFFSET_IS(seL4_IPCBuffer, receiveDepth);
_Static_assert(_Alignof(seL4_IPCBuffer) == EXPECT_SIZE_seL4_IPCBuffer, "IPC buffer alignment");

SIZE_IS(seL4_SlotRegion);
OFFSET_IS(seL4_SlotRegion, start);
OFFSET_IS(seL4_SlotRegion, end);

SIZE_IS(seL4_UntypedDesc);
OFFSET_IS(seL4_UntypedDesc, paddr);
OFFSET_IS(seL4_UntypedDesc, sizeBits);
OFFSET_IS(seL4_UntypedDesc, isDevice);
OFFSET_IS(seL4_UntypedDesc, padding);

SIZE_IS(seL4_BootInfo);
OFFSET_IS(seL4_BootInfo, extraLen);
OFFSET_IS(seL4_BootInfo, nodeID);
OFFSET_IS(seL4_BootInfo, numNodes);
OFFSET_IS(seL4_BootInfo, numIOPTLevels);
OFFSET_IS(seL4_BootInfo, ipcBuffer);
OFFSET_IS(seL4_BootInfo, empty);
OFFSET_IS(seL4_BootInfo, sharedFrames);
OFFSET_IS(seL4_BootInfo, userImageFrames);
OFFSET_IS(seL4_BootInfo, userImagePaging);
OFFSET_IS(seL4_BootInfo, ioSpaceCaps);
OFFSET_IS(seL4_BootInfo, extraBIPages);
OFFSET_IS(seL4_BootInfo, initThreadCNodeSizeBits);
OFFSET_IS(seL4_BootInfo, initThreadDomain);
OFFSET_IS(seL4_BootInfo, untyped);
OFFSET_IS(seL4_BootInfo, untypedList);

SIZE_IS(seL4_BootInfoHeader);
OFFSET_IS(seL4_BootInfoHeader, id);
OFFSET_IS(seL4_BootInfoHeader, len);

SIZE_IS(seL4_UserContext);
OFFSET_IS(seL4_UserContext, pc);
OFFSET_IS(seL4_UserContext, sp);
OFFSET_IS(seL4_UserContext, a0);
OFFSET_IS(seL4_UserContext, t0);
OFFSET_IS(seL4_UserContext, tp);

_Static_assert(sizeof(seL4_MessageInfo_t) == 8, "seL4_MessageInfo_t is one word");
_Static_assert(sizeof(seL4_CapRights_t) == 8, "seL4_CapRights_t is one word");
_Static_assert(sizeof(seL4_CNode_CapData_t) == 8, "seL4_CNode_CapData_t is one word");
_Static_assert(sizeof(seL4_Fault_t) == EXPECT_SIZE_seL4_Fault_t, "seL4_Fault_t size");

/* Every invocation wrapper (the test checks that each one in interface/ is named here). */
static seL4_Word invocations(seL4_CPtr c, seL4_UserContext *regs)
{
    seL4_Word sum = 0;
    sum += seL4_Untyped_Retype(c, seL4_RISCV_4K_Page, seL4_PageBits, c, 0, 0, 16, 1);
    sum += seL4_TCB_ReadRegisters(c, seL4_False, 0, sizeof(*regs) / sizeof(seL4_Word), regs);
    sum += seL4_TCB_WriteRegisters(c, seL4_True, 0, 2, regs);
    sum += seL4_TCB_CopyRegisters(c, c, seL4_True, seL4_True, seL4_True, seL4_True, 0);
    sum += seL4_TCB_Configure(c, 0, seL4_CapInitThreadCNode, seL4_NilData,
                              seL4_CapInitThreadVSpace, seL4_NilData, 0x1000, c);
    sum += seL4_TCB_SetPriority(c, seL4_CapInitThreadTCB, seL4_MaxPrio);
    sum += seL4_TCB_SetMCPriority(c, seL4_CapInitThreadTCB, seL4_MinPrio);
    sum += seL4_TCB_SetSchedParams(c, seL4_CapInitThreadTCB, seL4_MaxPrio, seL4_MaxPrio);
    sum += seL4_TCB_SetIPCBuffer(c, 0x2000, c);
    sum += seL4_TCB_SetSpace(c, 0, c, seL4_CNode_CapData_new(0, 52).words[0], c, 0);
    sum += seL4_TCB_Suspend(c);
    sum += seL4_TCB_Resume(c);
    sum += seL4_TCB_BindNotification(c, c);
    sum += seL4_TCB_UnbindNotification(c);
    sum += seL4_TCB_SetTLSBase(c, 0x3000);
#if MICA_SEL4_RELEASE >= 1400
    seL4_TCB_SetFlags_t flags = seL4_TCB_SetFlags(c, seL4_TCBFlag_NoFlag, seL4_TCBFlag_fpuDisabled);
    sum += flags.error + flags.flags + seL4_TCBFlag_MASK;
#endif
    sum += seL4_CNode_Revoke(c, 1, seL4_WordBits);
    sum += seL4_CNode_Delete(c, 1, seL4_WordBits);
    sum += seL4_CNode_CancelBadgedSends(c, 1, seL4_WordBits);
    sum += seL4_CNode_Copy(c, 1, 64, c, 2, 64, seL4_AllRights);
    sum += seL4_CNode_Mint(c, 1, 64, c, 2, 64, seL4_CanRead, 0xbad);
    sum += seL4_CNode_Move(c, 1, 64, c, 2, 64);
    sum += seL4_CNode_Mutate(c, 1, 64, c, 2, 64, 0);
    sum += seL4_CNode_Rotate(c, 1, 64, 5, c, 2, 64, 6, c, 3, 64);
    sum += seL4_CNode_SaveCaller(c, 1, 64);
    sum += seL4_IRQControl_Get(c, 10, c, 1, 64);
    sum += seL4_IRQControl_GetTrigger(c, 10, 1, c, 1, 64);
    sum += seL4_IRQHandler_Ack(c);
    sum += seL4_IRQHandler_SetNotification(c, c);
    sum += seL4_IRQHandler_Clear(c);
    sum += seL4_DomainSet_Set(c, 0, c);
#if MICA_SEL4_RELEASE >= 1500
    sum += seL4_DomainSet_ScheduleConfigure(c, 0, 0, 100);
    sum += seL4_DomainSet_ScheduleSetStart(c, 0);
#endif
    sum += seL4_RISCV_PageTable_Map(c, seL4_CapInitThreadVSpace, 0x10000000,
                                    seL4_RISCV_Default_VMAttributes);
    sum += seL4_RISCV_PageTable_Unmap(c);
    sum += seL4_RISCV_Page_Map(c, c, 0x10000000, seL4_ReadWrite, seL4_RISCV_ExecuteNever);
    sum += seL4_RISCV_Page_Unmap(c);
    seL4_RISCV_Page_GetAddress_t addr = seL4_RISCV_Page_GetAddress(c);
    sum += addr.error + addr.paddr;
    sum += seL4_RISCV_ASIDControl_MakePool(c, c, c, 10, 64);
    sum += seL4_RISCV_ASIDPool_Assign(c, c);
    if (sum == seL4_FailedLookup) {
        sum += seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PT;
    }
    return sum;
}

/* Every syscall wrapper and IPC-buffer accessor. */
static seL4_Word syscalls(seL4_CPtr ep)
{
    seL4_Word badge = 0, m0 = 1, m1 = 2, m2 = 3, m3 = 4;
    seL4_CPtr cnode = 0, index = 0;
    seL4_Word depth = 0;
    seL4_MessageInfo_t info = seL4_MessageInfo_new(1, 0, 1, 4);
    seL4_SetMR(0, seL4_GetMR(1));
    seL4_SetCap(0, ep);
    seL4_SetUserData(seL4_GetUserData() + 1);
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, 100, seL4_WordBits);
    seL4_GetCapReceivePath(&cnode, &index, &depth);
    seL4_Send(ep, info);
    seL4_SendWithMRs(ep, info, &m0, &m1, &m2, &m3);
    seL4_NBSend(ep, info);
    seL4_NBSendWithMRs(ep, info, &m0, seL4_Null, seL4_Null, seL4_Null);
    info = seL4_Call(ep, info);
    info = seL4_CallWithMRs(ep, info, &m0, &m1, &m2, &m3);
    seL4_Reply(info);
    seL4_ReplyWithMRs(info, &m0, &m1, &m2, &m3);
    info = seL4_Recv(ep, &badge);
    info = seL4_RecvWithMRs(ep, seL4_Null, &m0, &m1, &m2, &m3);
    info = seL4_NBRecv(ep, &badge);
    info = seL4_ReplyRecv(ep, info, &badge);
    info = seL4_ReplyRecvWithMRs(ep, info, &badge, &m0, &m1, &m2, &m3);
    seL4_Yield();
    seL4_Signal(ep);
    seL4_Wait(ep, &badge);
    info = seL4_Poll(ep, &badge);
    seL4_DebugPutChar('!');
    seL4_DebugPutString("mica\n");
    seL4_DebugDumpScheduler();
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "root");
    seL4_DebugSnapshot();
    seL4_Word kind = seL4_DebugCapIdentify(ep);
    if (kind == 0) {
        seL4_DebugHalt();
    }
    info = seL4_MessageInfo_set_label(info, seL4_MessageInfo_get_label(info) + 1);
    info = seL4_MessageInfo_set_length(info, seL4_MessageInfo_get_length(info));
    info = seL4_MessageInfo_set_extraCaps(info, seL4_MessageInfo_get_extraCaps(info));
    info = seL4_MessageInfo_set_capsUnwrapped(info, seL4_MessageInfo_get_capsUnwrapped(info));
    seL4_MessageInfo_ptr_set_length(&info, 1);
    return badge + m0 + m1 + m2 + m3 + cnode + index + depth + kind + info.words[0] +
           seL4_GetBadge(0) + seL4_GetCap(1) + seL4_MessageInfo_ptr_get_length(&info);
}

/* Fault messages, rights and guard words. */
static seL4_Word faults(seL4_MessageInfo_t tag)
{
    seL4_Fault_t fault = seL4_getFault(tag);
    seL4_Word sum = 0;
    switch (seL4_Fault_get_seL4_FaultType(fault)) {
    case seL4_Fault_NullFault:
        sum += seL4_isNullFault_tag(tag);
        break;
    case seL4_Fault_CapFault:
        sum += seL4_Fault_CapFault_get_IP(fault) + seL4_Fault_CapFault_get_Addr(fault) +
               seL4_Fault_CapFault_get_InRecvPhase(fault) +
               seL4_Fault_CapFault_get_LookupFailureType(fault) + seL4_GetMR(seL4_CapFault_BitsLeft) +
               seL4_isCapFault_tag(tag);
        break;
    case seL4_Fault_UnknownSyscall:
        sum += seL4_Fault_UnknownSyscall_get_FaultIP(fault) +
               seL4_Fault_UnknownSyscall_get_Syscall(fault) + seL4_UnknownSyscall_Length +
               seL4_isUnknownSyscall_tag(tag);
        break;
    case seL4_Fault_UserException:
        sum += seL4_Fault_UserException_get_FaultIP(fault) +
               seL4_Fault_UserException_get_Number(fault) + seL4_isUserException_tag(tag);
        break;
    case seL4_Fault_VMFault:
        sum += seL4_Fault_VMFault_get_IP(fault) + seL4_Fault_VMFault_get_Addr(fault) +
               seL4_Fault_VMFault_get_PrefetchFault(fault) + seL4_Fault_VMFault_get_FSR(fault) +
               seL4_GetMR(seL4_VMFault_Addr) + seL4_isVMFault_tag(tag);
        break;
    default:
        break;
    }
    seL4_CapRights_t rights = seL4_CapRights_new(0, 1, 1, 0);
    rights = seL4_CapRights_set_capAllowWrite(rights, seL4_CapRights_get_capAllowRead(rights));
    sum += rights.words[0] + seL4_NoWrite.words[0] + seL4_NoRead.words[0] + seL4_NoRights.words[0] +
           seL4_CanGrant.words[0] + seL4_CanGrantReply.words[0] + seL4_CanWrite.words[0];
    seL4_CNode_CapData_t guard = seL4_CNode_CapData_new(0, seL4_WordBits - 12);
    sum += seL4_CNode_CapData_get_guardSize(guard) + seL4_CNode_CapData_get_guard(guard);
    return sum;
}

/* Boot info, as a root task walks it. */
seL4_Word root_task(seL4_BootInfo *bi)
{
    seL4_Word bytes = 0;
    seL4_SetIPCBuffer(bi->ipcBuffer);
    for (seL4_SlotPos slot = bi->untyped.start; slot < bi->untyped.end; slot++) {
        const seL4_UntypedDesc *ut = &bi->untypedList[slot - bi->untyped.start];
        if (!ut->isDevice) {
            bytes += LIBSEL4_BIT(ut->sizeBits);
        }
    }
    const seL4_BootInfoHeader *extra = (const seL4_BootInfoHeader *)((char *)bi + seL4_BootInfoFrameSize);
    if (bi->extraLen > 0 && extra->id == SEL4_BOOTINFO_HEADER_FDT) {
        bytes += extra->len;
    }
    seL4_UserContext regs = { 0 };
    return bytes + bi->empty.start + bi->initThreadCNodeSizeBits + bi->nodeID + bi->numNodes +
           invocations(bi->empty.start, &regs) + syscalls(seL4_CapInitThreadTCB) +
           faults(seL4_MessageInfo_new(seL4_Fault_VMFault, 0, 0, seL4_VMFault_Length)) +
           seL4_NumInitialCaps + seL4_CapInitThreadPD + seL4_UserTop + seL4_ObjectTypeCount +
           seL4_UntypedRetypeMaxObjects + seL4_TCBBits;
}
