// Kernel entry and exit (seL4/seL4: src/api/syscall.c, src/arch/riscv/c_traps.c;
// l4v spec/haskell/src/SEL4/API/Syscall.lhs): the hart runs user threads in
// U-mode; every ecall and exception comes here as a host trap, every timer
// tick as handleTick, and every kernel entry ends with schedule() and
// activateThread() before the chosen thread is loaded into the hart.

import type { Hart } from "../machine/cpu/hart.js";
import { errorReply, type SyscallError } from "./api/failures.js";
import { type Fault, faultForException } from "./api/faults.js";
import { DEFAULT_RELEASE, type Release } from "./api/generated/abi.js";
import { type LabelTranslation, labelTranslation } from "./api/labels.js";
import {
  messageInfoFromHalves,
  messageLabelFromHalves,
  storeMessageInfo,
} from "./api/message-info.js";
import * as sys from "./api/syscall.js";
import { getActiveIRQ, irqInvalid } from "./arch/riscv/interrupt.js";
import { PhysicalMemory } from "./arch/riscv/physical-memory.js";
import type { PlicRegisters } from "./arch/riscv/plic.js";
import {
  a0,
  a7,
  badgeRegister,
  capRegister,
  lazyFPURestore,
  msgInfoRegister,
  restoreContext,
  saveContext,
  setNextIPAfterSyscall,
  setNextIPToFaultIP,
  setVMRootSatp,
} from "./arch/riscv/registers.js";
import { findVSpaceRootForASID } from "./arch/riscv/vspace.js";
import { lookupCap, lookupSlotDirect32 } from "./cspace.js";
import { type FastpathStats, fastpathCall, fastpathReplyRecv } from "./fastpath/fastpath.js";
import { handleFault } from "./fault-handler.js";
import { deleteCallerCap, doReplyTransfer, getMRs, lookupExtraCaps, setMRs } from "./ipc.js";
import { CAP_TAG, type Cap } from "./object/cap.js";
import type { CTE } from "./object/cte.js";
import { receiveIPC } from "./object/endpoint.js";
import { decodeInvocation } from "./object/invocation.js";
import { handleInterrupt, InterruptState } from "./object/irq.js";
import { receiveSignal } from "./object/notification.js";
import { Restart, Running, type TCB, tcbBuffer, tcbCaller, tcbVTable } from "./object/tcb.js";
import { describeCapState } from "./snapshot.js";
import {
  DEFAULT_DOMAINS,
  type DomainConfig,
  type KernelHost,
  KernelState,
  TICK_INSTRUCTIONS,
} from "./state.js";
import { activateThread, handleYield, schedule, setThreadState, timerTick } from "./thread.js";

export type { Fault } from "./api/faults.js";
export { describeFault } from "./api/faults.js";

const CAUSE_ILLEGAL_INSTRUCTION = 2;
const CAUSE_ECALL_U = 8;
const IPC_BUFFER_SIZE = 1024n;
/** 2^sizeBits - 1 by frame size (PERF, sel4test: made once, not per IPC-buffer lookup). */
const FRAME_OFFSET_MASK: readonly bigint[] = Array.from(
  { length: 31 },
  (_, i) => (1n << BigInt(i)) - 1n,
);
/** An invocation without extra caps (PERF, sel4test: the usual case, shared). */
const noExtraCaps: readonly { readonly cap: Cap; readonly slot: CTE }[] = Object.freeze([]);

export class Kernel {
  readonly ks: KernelState;
  readonly mem: PhysicalMemory;
  /** The thread whose FP state the hart holds (restoreContext's lazy FPU switch). */
  private fpuOwner: TCB | undefined;
  /** Invocation labels as the user's release numbers them, to the decoders' numbering. */
  private readonly labels: LabelTranslation;
  /** Whether Call and ReplyRecv try the fastpath first (off: the slow path only, for tests). */
  fastpath = true;
  /** How often each fastpath was taken. */
  readonly fastpathStats: FastpathStats = { call: 0, replyRecv: 0 };
  /** Per IRQ: its state and notification slot. */
  readonly interrupts = new InterruptState();
  /**
   * The interrupt controller's registers (the machine's PLIC), once the
   * system has wired one up (plicInit); without it IRQs never fire.
   */
  plic: PlicRegisters | undefined;

  constructor(
    readonly hart: Hart,
    host: KernelHost,
    /** A zeroed page table used as the address space of threads without a valid VSpace. */
    readonly emptyVSpace: bigint,
    /** The seL4 release whose invocation label numbering user programs are built against. */
    readonly release: Release = DEFAULT_RELEASE,
    /** The domains and the domain schedule (seL4: build configuration). */
    domains: DomainConfig = DEFAULT_DOMAINS,
  ) {
    this.labels = labelTranslation(release);
    this.ks = new KernelState(host, domains);
    const jit = hart.jit;
    this.mem = new PhysicalMemory(hart.ram, 0x8000_0000n, (offset, length) =>
      jit.codeWritten(offset, length),
    );
  }

  /** Instructions the hart may run before the next timer tick. */
  get tickBudget(): number {
    return TICK_INSTRUCTIONS;
  }

  // ---- entries

  /**
   * The hart stopped on a trap from U-mode; its cause and tval are in the
   * core's host block (Hart.host32).
   */
  handleHostTrap(): void {
    const cur = this.ks.currentThread;
    if (cur === this.ks.idleThread) throw new Error("host trap while the idle thread runs");
    const hart = this.hart;
    saveContext(hart, cur);
    const h32 = hart.host32;
    // Exception causes are below 64: the low half is the whole cause.
    if (h32[4] === CAUSE_ECALL_U && h32[5] === 0) {
      setNextIPAfterSyscall(cur);
      // PERF (bench/ipc): the syscall number from a7's halves, no BigInt.
      const lo = cur.regs32[2 * a7]!;
      const hi = cur.regs32[2 * a7 + 1]!;
      const n =
        hi === 0xffff_ffff && lo >= 0x8000_0000 ? lo - 0x1_0000_0000 : hi === 0 ? lo : Number.NaN;
      // PERF (bench/ipc): Call and ReplyRecv try the fastpath (fastpath/fastpath.ts) first;
      // where it succeeds the scheduler has nothing to do (as seL4's fastpath,
      // which restores the partner directly).
      if (
        this.fastpath &&
        ((n === sys.SysCall && fastpathCall(this, cur)) ||
          (n === sys.SysReplyRecv && fastpathReplyRecv(this, cur)))
      ) {
        this.restoreCurrentThread(this.ks.currentThread);
        return;
      }
      if (n >= sys.SysNBRecv && n <= sys.SysCall) this.handleSyscall(n);
      // PERF (sel4test: ~160k, from its allocator): CapIdentify without BigInts.
      else if (n === sys.SysDebugCapIdentify) this.debugCapIdentify(cur);
      else this.handleUnknownSyscall(BigInt.asIntN(64, cur.regs[a7]!));
    } else if (h32[4] === CAUSE_ILLEGAL_INSTRUCTION && lazyFPURestore(hart, cur, this.fpuOwner)) {
      this.fpuOwner = cur;
      setNextIPToFaultIP(cur);
    } else {
      setNextIPToFaultIP(cur);
      const cause = BigInt(h32[4]!) | (BigInt(h32[5]!) << 32n);
      const tval = BigInt(h32[6]!) | (BigInt(h32[7]!) << 32n);
      handleFault(this, cur, faultForException(cause, tval));
    }
    this.exit();
  }

  /**
   * The interrupt controller's line is up (seL4's handleInterruptEntry):
   * take the claimable IRQ, if any, and deliver it.
   */
  handleInterruptEntry(): void {
    this.saveInterruptedThread();
    const irq = getActiveIRQ(this);
    if (irq !== irqInvalid) handleInterrupt(this, irq);
    this.exit();
  }

  /** A timer tick (the hart ran a tick's worth of instructions): an interrupt entry. */
  handleTick(): void {
    this.saveInterruptedThread();
    timerTick(this.ks);
    this.exit();
  }

  /** An interrupt entry: the running thread resumes at the instruction it was about to run. */
  private saveInterruptedThread(): void {
    const cur = this.ks.currentThread;
    if (cur === this.ks.idleThread) return;
    saveContext(this.hart, cur);
    setNextIPToFaultIP(cur);
  }

  /** schedule() + activateThread(), then loads the chosen thread into the hart. */
  exit(): void {
    if (this.ks.stop) return;
    this.schedule();
    const next = this.ks.currentThread;
    if (next === this.ks.idleThread) return;
    this.restoreCurrentThread(next);
  }

  /**
   * Loads the thread chosen to run into the hart: its registers and, as
   * seL4's setVMRoot, its address space; a thread without a valid VSpace
   * runs in an empty one. PERF (bench/ipc): inline, allocation-free.
   */
  private restoreCurrentThread(next: TCB): void {
    const vtable = next.cnode[tcbVTable]!.cap;
    const version = this.ks.asidVersion;
    if (vtable !== next.vmRootCap || version !== next.vmRootVersion) {
      let root = this.emptyVSpace;
      let asid = 0;
      if (
        vtable.type === "PageTableCap" &&
        vtable.mapping !== undefined &&
        findVSpaceRootForASID(this.ks, vtable.mapping.asid) === vtable.paddr
      ) {
        root = vtable.paddr;
        asid = vtable.mapping.asid;
      }
      setVMRootSatp(next, root, asid);
      next.vmRootCap = vtable;
      next.vmRootVersion = version;
    }
    // Changes to page tables flush the TLB where they happen (vspace.ts), so
    // the core keeps it across a satp that does not change.
    restoreContext(this.hart, next, this.fpuOwner);
  }

  /** The scheduling half of kernel exit, without touching the hart (also for tests). */
  schedule(): void {
    schedule(this.ks);
    activateThread(this.ks);
  }

  // ---- system calls (handleSyscall)

  /** One of the eight API syscalls, made by the current thread. */
  handleSyscall(syscall: number): void {
    switch (syscall) {
      case sys.SysSend:
        this.handleInvocation(false, true);
        return;
      case sys.SysNBSend:
        this.handleInvocation(false, false);
        return;
      case sys.SysCall:
        this.handleInvocation(true, true);
        return;
      case sys.SysRecv:
        this.handleRecv(true);
        return;
      case sys.SysReply:
        this.handleReply();
        return;
      case sys.SysReplyRecv:
        this.handleReply();
        this.handleRecv(true);
        return;
      case sys.SysNBRecv:
        this.handleRecv(false);
        return;
      case sys.SysYield:
        handleYield(this.ks);
        return;
      default:
        throw new Error(`handleSyscall: ${syscall} is not an API syscall`);
    }
  }

  /** Any other syscall number: a debug call of a debug build, else an UnknownSyscall fault. */
  handleUnknownSyscall(n: bigint): void {
    const t = this.ks.currentThread;
    switch (Number(n)) {
      case sys.SysDebugPutChar:
        this.ks.host.putChar(Number(t.regs[a0]! & 0xffn));
        return;
      case sys.SysDebugHalt:
        this.ks.host.log("halting the system (seL4_DebugHalt)");
        this.ks.stop = { kind: "halt" };
        return;
      case sys.SysDebugCapIdentify:
        this.debugCapIdentify(t);
        return;
      case sys.SysDebugNameThread:
        this.debugNameThread(t);
        return;
      case sys.SysDebugDumpScheduler:
        this.dumpScheduler();
        return;
      case sys.SysDebugSnapshot:
        for (const line of describeCapState(this.ks, t)) this.ks.host.log(line);
        return;
      default:
        handleFault(this, t, { type: "UnknownSyscall", number: BigInt.asUintN(64, n) });
    }
  }

  /**
   * Send, NBSend and Call on a capability, in seL4's order (handleInvocation,
   * sel4-semantics 1.2): look up the cap, find the IPC buffer, look up the
   * extra caps, truncate without a buffer, decode, then perform.
   *
   * seL4: the C decoders set the caller to Restart only once their checks
   * pass; here it is set before decoding and undone on a decode error. The
   * two agree because decoders change nothing before they succeed.
   */
  private handleInvocation(isCall: boolean, isBlocking: boolean): void {
    const t = this.ks.currentThread;
    // PERF (sel4test: ~1.7M invocations): the message info and the cptr are
    // read as 32-bit halves; the usual single-level CSpace is looked up
    // without BigInt arithmetic or a result object. With the rest of this
    // path's BigInt and allocation work, the kernel's self time in a
    // sel4test run fell from 5.4 s to 3.1 s (bench/results.md).
    const r32 = t.regs32;
    const infoLo = r32[2 * msgInfoRegister]!;
    const infoHi = r32[2 * msgInfoRegister + 1]!;
    let info = messageInfoFromHalves(infoLo, infoHi);
    const labelNumber = messageLabelFromHalves(infoLo, infoHi);
    let cap: Cap;
    let slot = lookupSlotDirect32(t, r32[2 * capRegister]!, r32[2 * capRegister + 1]!);
    if (slot !== undefined) {
      cap = slot.cap;
    } else {
      const cptr = t.regs[capRegister]!;
      const r = lookupCap(t, cptr);
      if (!r.ok) {
        if (isBlocking)
          handleFault(this, t, {
            type: "CapFault",
            address: cptr,
            inReceivePhase: false,
            lookup: r.fault,
          });
        return;
      }
      cap = r.cap;
      slot = r.slot;
    }
    const buf = this.lookupIPCBuffer(false, t);
    let extraCaps: readonly { readonly cap: Cap; readonly slot: CTE }[] = noExtraCaps;
    if (info.extraCaps !== 0 && buf !== undefined) {
      const extra = lookupExtraCaps(this, t, buf, info);
      if (!extra.ok) {
        if (isBlocking)
          handleFault(this, t, {
            type: "CapFault",
            address: extra.cptr,
            inReceivePhase: false,
            lookup: extra.fault,
          });
        return;
      }
      const pairs: { cap: Cap; slot: CTE }[] = new Array(extra.slots.length);
      for (let i = 0; i < pairs.length; i++) {
        const s = extra.slots[i]!;
        pairs[i] = { cap: s.cap, slot: s };
      }
      extraCaps = pairs;
    }
    if (info.length > 4 && buf === undefined) info = { ...info, length: 4 };
    setThreadState(this.ks, t, Restart);
    const result = decodeInvocation({
      kernel: this,
      thread: t,
      cap,
      slot,
      info,
      label: labelNumber <= 0xffff_ffff ? this.labels(labelNumber) : -1,
      mrs: getMRs(this, t, buf, info.length),
      extraCaps,
      isCall,
      isBlocking,
    });
    switch (result.type) {
      case "error":
        setThreadState(this.ks, t, Running);
        if (isCall) this.replyError(t, result.error);
        return;
      case "reply":
        if (isCall) this.replyData(t, result.label, result.mrs);
        setThreadState(this.ks, t, Running);
        return;
      case "done":
      case "blocked":
        if (t.state.type === "Restart") {
          if (isCall) this.replyData(t, 0n, []);
          setThreadState(this.ks, t, Running);
        }
        return;
    }
  }

  /** Recv and NBRecv (handleRecv): on an endpoint or a notification, else a cap fault. */
  private handleRecv(isBlocking: boolean): void {
    const t = this.ks.currentThread;
    const cptr = t.regs[capRegister]!;
    const r = lookupCap(t, cptr);
    if (!r.ok) {
      handleFault(this, t, {
        type: "CapFault",
        address: cptr,
        inReceivePhase: true,
        lookup: r.fault,
      });
      return;
    }
    const cap = r.cap;
    const missing: Fault = {
      type: "CapFault",
      address: cptr,
      inReceivePhase: true,
      lookup: { type: "MissingCapability", bitsLeft: 0 },
    };
    switch (cap.type) {
      case "EndpointCap":
        if (!cap.canReceive) {
          handleFault(this, t, missing);
          return;
        }
        deleteCallerCap(this, t);
        receiveIPC(this, t, cap, isBlocking);
        return;
      case "NotificationCap": {
        const bound = cap.obj.boundTCB;
        if (!cap.canReceive || (bound && bound !== t)) {
          handleFault(this, t, missing);
          return;
        }
        receiveSignal(this.ks, t, cap.obj, isBlocking);
        return;
      }
      default:
        handleFault(this, t, missing);
    }
  }

  /** Reply through the reply cap in the caller slot; nothing if it is empty (handleReply). */
  private handleReply(): void {
    const t = this.ks.currentThread;
    const callerSlot = t.cnode[tcbCaller]!;
    const cap = callerSlot.cap;
    if (cap.type === "NullCap") return;
    if (cap.type !== "ReplyCap" || cap.master || cap.tcb === t)
      throw new Error(`handleReply: invalid caller cap in thread "${t.name}"`);
    doReplyTransfer(this, t, cap.tcb, callerSlot, cap.canGrant);
  }

  // ---- replies from the kernel (Call only; replyFromKernel_*)

  private replyError(t: TCB, e: SyscallError): void {
    const { label, mrs } = errorReply(e);
    this.replyData(t, BigInt(label), mrs);
  }

  private replyData(t: TCB, label: bigint, mrs: readonly bigint[]): void {
    // PERF (sel4test): most replies are empty (no MRs); the words are written as halves.
    const length = mrs.length === 0 ? 0 : this.setMRs(t, mrs);
    const r32 = t.regs32;
    r32[2 * badgeRegister] = 0;
    r32[2 * badgeRegister + 1] = 0;
    storeMessageInfo(r32, msgInfoRegister, label, 0, 0, length);
  }

  /** Writes message registers; returns how many were written (IPC-buffer ones need a buffer). */
  setMRs(t: TCB, mrs: readonly bigint[]): number {
    return setMRs(this, t, this.lookupIPCBuffer(true, t), mrs);
  }

  /** MR0..MR(n-1): the first four from a2..a5, the rest from the IPC buffer. */
  getMRs(t: TCB, buf: bigint | undefined, n: number): bigint[] {
    return getMRs(this, t, buf, n);
  }

  /**
   * Physical address of a thread's IPC buffer (lookupIPCBuffer): its buffer
   * slot must hold a non-device frame cap with ReadWrite, or ReadOnly when
   * the kernel only reads it (sending). The buffer slot's frame is used
   * through the kernel's own mapping: the thread's page tables do not matter.
   */
  lookupIPCBuffer(isReceiver: boolean, t: TCB): bigint | undefined {
    const cap = t.cnode[tcbBuffer]!.cap;
    if (cap.type !== "FrameCap" || cap.isDevice) return undefined;
    if (cap.rights !== "ReadWrite" && (isReceiver || cap.rights !== "ReadOnly")) return undefined;
    // PERF (sel4test: 2M lookups, ~0.15 s): the address is worked out again
    // only when the buffer's frame cap or vaddr has changed.
    if (cap !== t.ipcBufferFrame || t.ipcBuffer !== t.ipcBufferVaddr) {
      const pa = cap.paddr + (t.ipcBuffer & FRAME_OFFSET_MASK[cap.sizeBits]!);
      t.ipcBufferAddr = this.mem.contains(pa, IPC_BUFFER_SIZE) ? pa : undefined;
      t.ipcBufferFrame = cap;
      t.ipcBufferVaddr = t.ipcBuffer;
    }
    return t.ipcBufferAddr;
  }

  /** The IPC buffer as a sender sees it (kept for callers written before lookupIPCBuffer). */
  ipcBufferPaddr(t: TCB): bigint | undefined {
    return this.lookupIPCBuffer(false, t);
  }

  // ---- debug

  /** seL4_DebugCapIdentify: a0 = the type tag of the cap a0 names (0 if it names none). */
  private debugCapIdentify(t: TCB): void {
    const r32 = t.regs32;
    const slot = lookupSlotDirect32(t, r32[2 * a0]!, r32[2 * a0 + 1]!);
    let tag = 0;
    if (slot !== undefined) tag = CAP_TAG[slot.cap.type];
    else {
      const r = lookupCap(t, t.regs[a0]!);
      if (r.ok) tag = CAP_TAG[r.cap.type];
    }
    r32[2 * a0] = tag;
    r32[2 * a0 + 1] = 0;
  }

  private debugNameThread(t: TCB): void {
    const r = lookupCap(t, t.regs[a0]!);
    const buf = this.lookupIPCBuffer(true, t);
    if (!r.ok || r.cap.type !== "ThreadCap" || buf === undefined) {
      this.panic(t, "DebugNameThread", "seL4_DebugNameThread: invalid TCB cap or no IPC buffer");
      return;
    }
    const bytes = this.mem.bytes(buf + 8n, 1024 - 8);
    const end = bytes.indexOf(0);
    if (end < 0) {
      this.panic(t, "DebugNameThread", "seL4_DebugNameThread: name not NUL-terminated");
      return;
    }
    r.cap.tcb.name = Buffer.from(bytes.subarray(0, end)).toString("latin1");
  }

  private dumpScheduler(): void {
    const log = this.ks.host.log;
    log("Dumping all tcbs!");
    log("Name                                    State            IP                  Prio Core");
    for (const th of [...this.ks.threads, this.ks.idleThread]) {
      log(
        `${(th.name || "?").padEnd(40)}${th.state.type.padEnd(17)}0x${th.nextIP.toString(16).padStart(16, "0")}  ${String(th.priority).padStart(4)}    0`,
      );
    }
  }

  /** Stops the machine with a readable report: mica's seL4 halts on these debug-build errors. */
  panic(t: TCB | undefined, syscall: string, message: string): void {
    this.ks.stop = { kind: "panic", message, thread: t?.name ?? "?", syscall };
  }
}
