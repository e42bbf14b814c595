// TCB invocations (seL4/seL4: src/object/tcb.c decodeTCBInvocation and the
// invokeTCB_* functions, src/arch/riscv/kernel/vspace.c checkValidIPCBuffer /
// isValidVTableRoot; l4v spec/haskell/src/SEL4/Object/TCB.lhs). Every check
// comes in seL4's order and returns a typed error; only then is the
// operation performed. The caller is already in Restart (kernel.ts).

import type { SyscallError } from "../api/failures.js";
import { InvocationLabel } from "../api/generated/abi.js";
import { tp } from "../arch/riscv/registers.js";
import { cteDelete, cteInsert, slotCapLongRunningDelete } from "../cdt.js";
import { restart, suspend } from "../ipc.js";
import type { Kernel } from "../kernel.js";
import { seL4_MinPrio } from "../state.js";
import { rescheduleRequired, setMCPriority, setPriority } from "../thread.js";
import type { Cap } from "./cap.js";
import type { CTE } from "./cte.js";
import { done, fail, type Invocation, type InvocationResult } from "./invocation.js";
import { bindNotification, unbindNotification } from "./notification.js";
import { deriveCap, sameObjectAs, updateCapData } from "./objecttype.js";
import {
  frameRegisters,
  getRegister,
  getRestartPC,
  gpRegisters,
  n_frameRegisters,
  n_gpRegisters,
  seL4_TCBFlag_MASK,
  setNextPC,
  setRegister,
  type TCB,
  tcbBuffer,
  tcbCTable,
  tcbVTable,
} from "./tcb.js";

const seL4_IPCBufferSizeBits = 10n;

/** A decoded argument, or the error that stops the invocation. */
type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SyscallError };

// Literal values: invocation.ts may still be loading when this module initialises.
const truncated: InvocationResult = { type: "error", error: { type: "TruncatedMessage" } };
const illegal: InvocationResult = { type: "error", error: { type: "IllegalOperation" } };

export function decodeTCBInvocation(inv: Invocation): InvocationResult {
  if (inv.cap.type !== "ThreadCap") throw new Error("decodeTCBInvocation on a non-TCB cap");
  const target = inv.cap.tcb;
  const k = inv.kernel;
  switch (inv.label) {
    case InvocationLabel.TCBReadRegisters:
      return decodeReadRegisters(inv, target);
    case InvocationLabel.TCBWriteRegisters:
      return decodeWriteRegisters(inv, target);
    case InvocationLabel.TCBCopyRegisters:
      return decodeCopyRegisters(inv, target);
    case InvocationLabel.TCBSuspend:
      suspend(k, target);
      return done;
    case InvocationLabel.TCBResume:
      restart(k, target);
      return done;
    case InvocationLabel.TCBConfigure:
      return decodeTCBConfigure(inv, target);
    case InvocationLabel.TCBSetPriority:
      return decodeSetPriority(inv, target);
    case InvocationLabel.TCBSetMCPriority:
      return decodeSetMCPriority(inv, target);
    case InvocationLabel.TCBSetSchedParams:
      return decodeSetSchedParams(inv, target);
    case InvocationLabel.TCBSetIPCBuffer:
      return decodeSetIPCBuffer(inv, target);
    case InvocationLabel.TCBSetSpace:
      return decodeSetSpace(inv, target);
    case InvocationLabel.TCBBindNotification:
      return decodeBindNotification(inv, target);
    case InvocationLabel.TCBUnbindNotification:
      if (!target.boundNotification) return illegal;
      unbindNotification(target);
      return done;
    case InvocationLabel.TCBSetTLSBase:
      return decodeSetTLSBase(inv, target);
    case InvocationLabel.TCBSetFlags:
      return decodeSetFlags(inv, target);
    default:
      return illegal;
  }
}

// ---- registers

/** ReadRegisters(flags: bit0 suspend, count): the first `count` seL4_UserContext words. */
function decodeReadRegisters(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 2) return truncated;
  const flags = inv.mrs[0]!;
  const n = inv.mrs[1]!;
  const max = BigInt(n_frameRegisters + n_gpRegisters);
  if (n < 1n || n > max) return fail({ type: "RangeError", min: 1n, max });
  if (target === inv.thread) return illegal;
  if (flags & 1n) suspend(inv.kernel, target);
  const regs = [...frameRegisters, ...gpRegisters].slice(0, Number(n));
  return { type: "reply", label: 0n, mrs: regs.map((r) => getRegister(target, r)) };
}

/**
 * WriteRegisters(flags: bit0 resume, count, words...): writes min(count, 32)
 * seL4_UserContext words; the written pc takes effect (NextIP := FaultIP).
 */
function decodeWriteRegisters(inv: Invocation, target: TCB): InvocationResult {
  const length = inv.mrs.length;
  if (length < 2) return truncated;
  const flags = inv.mrs[0]!;
  const w = inv.mrs[1]!;
  if (BigInt(length - 2) < w) return truncated;
  if (target === inv.thread) return illegal;
  const ks = inv.kernel.ks;
  const n = Number(w < 32n ? w : 32n);
  for (let i = 0; i < n_frameRegisters && i < n; i++) {
    setRegister(target, frameRegisters[i]!, inv.mrs[i + 2]!);
  }
  for (let i = 0; i < n_gpRegisters && i + n_frameRegisters < n; i++) {
    setRegister(target, gpRegisters[i]!, inv.mrs[i + n_frameRegisters + 2]!);
  }
  setNextPC(target, getRestartPC(target));
  if (flags & 1n) restart(inv.kernel, target);
  if (target === ks.currentThread) rescheduleRequired(ks);
  return done;
}

/**
 * CopyRegisters(flags; cap0 source TCB): in order suspend the source, resume
 * the target, copy the frame registers (pc takes effect), copy the gp ones.
 */
function decodeCopyRegisters(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 1 || inv.extraCaps.length < 1) return truncated;
  const flags = inv.mrs[0]!;
  const sourceCap = inv.extraCaps[0]!.cap;
  if (sourceCap.type !== "ThreadCap") return fail({ type: "InvalidCapability", capNumber: 1 });
  const src = sourceCap.tcb;
  const k = inv.kernel;
  if (flags & 1n) suspend(k, src);
  if (flags & 2n) restart(k, target);
  if (flags & 4n) {
    for (const r of frameRegisters) setRegister(target, r, getRegister(src, r));
    setNextPC(target, getRestartPC(target));
  }
  if (flags & 8n) {
    for (const r of gpRegisters) setRegister(target, r, getRegister(src, r));
  }
  if (target === k.ks.currentThread) rescheduleRequired(k.ks);
  return done;
}

// ---- priorities

function checkPrio(prio: bigint, auth: TCB): SyscallError | undefined {
  if (prio > BigInt(auth.mcp))
    return { type: "RangeError", min: BigInt(seL4_MinPrio), max: BigInt(auth.mcp) };
  return undefined;
}

/** The authority TCB of the priority invocations: cap0 must be a TCB cap. */
function authority(inv: Invocation): Decoded<TCB> {
  const cap = inv.extraCaps[0]!.cap;
  if (cap.type !== "ThreadCap")
    return { ok: false, error: { type: "InvalidCapability", capNumber: 1 } };
  return { ok: true, value: cap.tcb };
}

function decodeSetPriority(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 1 || inv.extraCaps.length < 1) return truncated;
  const newPrio = inv.mrs[0]!;
  const auth = authority(inv);
  if (!auth.ok) return fail(auth.error);
  const e = checkPrio(newPrio, auth.value);
  if (e) return fail(e);
  setPriority(inv.kernel.ks, target, Number(newPrio));
  return done;
}

function decodeSetMCPriority(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 1 || inv.extraCaps.length < 1) return truncated;
  const newMcp = inv.mrs[0]!;
  const auth = authority(inv);
  if (!auth.ok) return fail(auth.error);
  const e = checkPrio(newMcp, auth.value);
  if (e) return fail(e);
  setMCPriority(target, Number(newMcp));
  return done;
}

function decodeSetSchedParams(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 2 || inv.extraCaps.length < 1) return truncated;
  const newMcp = inv.mrs[0]!;
  const newPrio = inv.mrs[1]!;
  const auth = authority(inv);
  if (!auth.ok) return fail(auth.error);
  const e = checkPrio(newMcp, auth.value) ?? checkPrio(newPrio, auth.value);
  if (e) return fail(e);
  setMCPriority(target, Number(newMcp));
  setPriority(inv.kernel.ks, target, Number(newPrio));
  return done;
}

// ---- address spaces and the IPC buffer (invokeTCB_ThreadControl)

/** A frame the kernel may use as an IPC buffer at vptr (checkValidIPCBuffer). */
function checkValidIPCBuffer(vptr: bigint, cap: Cap): SyscallError | undefined {
  if (cap.type !== "FrameCap") return { type: "IllegalOperation" };
  if (cap.isDevice) return { type: "IllegalOperation" };
  if ((vptr & ((1n << seL4_IPCBufferSizeBits) - 1n)) !== 0n) return { type: "AlignmentError" };
  return undefined;
}

/** A page table that is mapped, i.e. assigned an ASID or linked (isValidVTableRoot). */
function isValidVTableRoot(cap: Cap): boolean {
  return cap.type === "PageTableCap" && cap.mapping !== undefined;
}

/** A derived cap to install in a TCB slot, and the slot it was derived from. */
interface NewRoot {
  readonly cap: Cap;
  readonly srcSlot: CTE;
}

interface Roots {
  readonly cRoot: NewRoot;
  readonly vRoot: NewRoot;
}

/** The CSpace and VSpace roots of Configure / SetSpace, derived and checked in seL4's order. */
function decodeRoots(
  target: TCB,
  cRoot: { cap: Cap; slot: CTE },
  cRootData: bigint,
  vRoot: { cap: Cap; slot: CTE },
  vRootData: bigint,
): Decoded<Roots> {
  const illegalOp = { ok: false, error: { type: "IllegalOperation" } } as const;
  if (
    slotCapLongRunningDelete(target.cnode[tcbCTable]!) ||
    slotCapLongRunningDelete(target.cnode[tcbVTable]!)
  ) {
    return illegalOp;
  }
  let cRootCap = cRoot.cap;
  if (cRootData !== 0n) cRootCap = updateCapData(false, cRootData, cRootCap);
  const dc = deriveCap(cRoot.slot, cRootCap);
  if (!dc.ok) return dc;
  if (dc.cap.type !== "CNodeCap") return illegalOp;
  let vRootCap = vRoot.cap;
  if (vRootData !== 0n) vRootCap = updateCapData(false, vRootData, vRootCap);
  const dv = deriveCap(vRoot.slot, vRootCap);
  if (!dv.ok) return dv;
  if (!isValidVTableRoot(dv.cap)) return illegalOp;
  return {
    ok: true,
    value: {
      cRoot: { cap: dc.cap, srcSlot: cRoot.slot },
      vRoot: { cap: dv.cap, srcSlot: vRoot.slot },
    },
  };
}

/** The buffer frame of Configure / SetIPCBuffer (address 0: no buffer). */
function decodeBuffer(
  bufferAddr: bigint,
  frame: { cap: Cap; slot: CTE },
): Decoded<NewRoot | undefined> {
  if (bufferAddr === 0n) return { ok: true, value: undefined };
  const d = deriveCap(frame.slot, frame.cap);
  if (!d.ok) return d;
  const e = checkValidIPCBuffer(bufferAddr, d.cap);
  if (e) return { ok: false, error: e };
  return { ok: true, value: { cap: d.cap, srcSlot: frame.slot } };
}

/**
 * Replaces one of the target's root slots: the old cap is deleted, and the
 * new one inserted only if its source still holds that object and the
 * invoked TCB cap is still in place (a delete may have removed either).
 */
function replaceSlot(
  kernel: Kernel,
  target: TCB,
  tcbSlot: CTE,
  index: number,
  root: NewRoot | undefined,
): void {
  const slot = target.cnode[index]!;
  if (cteDelete(kernel, slot, true)) throw new Error("cteDelete of a TCB slot was preempted");
  if (
    root &&
    sameObjectAs(root.cap, root.srcSlot.cap) &&
    sameObjectAs({ type: "ThreadCap", tcb: target }, tcbSlot.cap)
  ) {
    cteInsert(root.cap, root.srcSlot, slot);
  }
}

function setSpace(kernel: Kernel, target: TCB, tcbSlot: CTE, faultEP: bigint, roots: Roots): void {
  target.faultHandler = faultEP;
  replaceSlot(kernel, target, tcbSlot, tcbCTable, roots.cRoot);
  replaceSlot(kernel, target, tcbSlot, tcbVTable, roots.vRoot);
}

function setIPCBuffer(
  kernel: Kernel,
  target: TCB,
  tcbSlot: CTE,
  addr: bigint,
  frame: NewRoot | undefined,
): void {
  const slot = target.cnode[tcbBuffer]!;
  if (cteDelete(kernel, slot, true)) throw new Error("cteDelete of a TCB slot was preempted");
  target.ipcBuffer = addr;
  if (
    frame &&
    sameObjectAs(frame.cap, frame.srcSlot.cap) &&
    sameObjectAs({ type: "ThreadCap", tcb: target }, tcbSlot.cap)
  ) {
    cteInsert(frame.cap, frame.srcSlot, slot);
  }
  if (target === kernel.ks.currentThread) rescheduleRequired(kernel.ks);
}

/** Configure(faultEP, cRootData, vRootData, buffer; caps cRoot, vRoot, bufferFrame). */
function decodeTCBConfigure(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 4 || inv.extraCaps.length < 3) return truncated;
  const [faultEP, cRootData, vRootData, bufferAddr] = inv.mrs as [bigint, bigint, bigint, bigint];
  const [cRoot, vRoot, bufferFrame] = inv.extraCaps;
  const buffer = decodeBuffer(bufferAddr, bufferFrame!);
  if (!buffer.ok) return fail(buffer.error);
  const roots = decodeRoots(target, cRoot!, cRootData, vRoot!, vRootData);
  if (!roots.ok) return fail(roots.error);
  setSpace(inv.kernel, target, inv.slot, faultEP, roots.value);
  setIPCBuffer(inv.kernel, target, inv.slot, bufferAddr, buffer.value);
  return done;
}

/** SetSpace(faultEP, cRootData, vRootData; caps cRoot, vRoot). */
function decodeSetSpace(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 3 || inv.extraCaps.length < 2) return truncated;
  const [faultEP, cRootData, vRootData] = inv.mrs as [bigint, bigint, bigint];
  const roots = decodeRoots(target, inv.extraCaps[0]!, cRootData, inv.extraCaps[1]!, vRootData);
  if (!roots.ok) return fail(roots.error);
  setSpace(inv.kernel, target, inv.slot, faultEP, roots.value);
  return done;
}

/** SetIPCBuffer(buffer; cap bufferFrame); address 0 removes the buffer. */
function decodeSetIPCBuffer(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 1 || inv.extraCaps.length < 1) return truncated;
  const addr = inv.mrs[0]!;
  const buffer = decodeBuffer(addr, inv.extraCaps[0]!);
  if (!buffer.ok) return fail(buffer.error);
  setIPCBuffer(inv.kernel, target, inv.slot, addr, buffer.value);
  return done;
}

// ---- notifications, TLS, flags

function decodeBindNotification(inv: Invocation, target: TCB): InvocationResult {
  if (inv.extraCaps.length < 1) return truncated;
  if (target.boundNotification) return illegal;
  const cap = inv.extraCaps[0]!.cap;
  if (cap.type !== "NotificationCap") return illegal;
  if (!cap.canReceive) return illegal;
  const ntfn = cap.obj;
  if (ntfn.queue.length > 0 || ntfn.boundTCB) return illegal;
  bindNotification(target, ntfn);
  return done;
}

function decodeSetTLSBase(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 1) return truncated;
  setRegister(target, tp, inv.mrs[0]!);
  if (target === inv.kernel.ks.currentThread) rescheduleRequired(inv.kernel.ks);
  return done;
}

/** SetFlags(clear, set): the Call reply's MR0 is the new flags word. */
function decodeSetFlags(inv: Invocation, target: TCB): InvocationResult {
  if (inv.mrs.length < 2) return truncated;
  const clear = inv.mrs[0]!;
  const set = inv.mrs[1]!;
  target.flags = (target.flags & ~clear) | (set & seL4_TCBFlag_MASK);
  return { type: "reply", label: 0n, mrs: [target.flags] };
}
