// Kernel entry and exit (seL4/seL4: src/api/syscall.c, src/arch/riscv/c_traps.c,
// spec/haskell/src/SEL4/Kernel/... ): the hart runs user threads in U-mode;
// every ecall and exception comes here as a host trap, and every kernel
// entry ends with schedule() and activateThread().

import type { Hart } from "../machine/cpu/hart.js";
import { errorReply, type SyscallError } from "./api/failures.js";
import { messageInfoFromWord, wordFromMessageInfo } from "./api/message-info.js";
import * as sys from "./api/syscall.js";
import { PhysicalMemory } from "./arch/riscv/physical-memory.js";
import {
  a0,
  a7,
  badgeRegister,
  msgInfoRegister,
  msgRegisters,
  n_msgRegisters,
  restoreContext,
  saveContext,
  setVSpaceRoot,
} from "./arch/riscv/registers.js";
import { type LookupFault, lookupCap } from "./cspace.js";
import { CAP_TAG, type Cap } from "./object/cap.js";
import type { CTE } from "./object/cte.js";
import { decodeInvocation } from "./object/invocation.js";
import { type TCB, tcbBuffer, tcbVTable } from "./object/tcb.js";
import { describeCapState } from "./snapshot.js";
import { type KernelHost, KernelState, TICK_INSTRUCTIONS } from "./state.js";
import { schedule, tcbSchedAppend, timerTick } from "./thread.js";

const CAUSE_ECALL_U = 8n;
const IPC_BUFFER_SIZE = 1024n;

/** A user-visible fault, as seL4 delivers it to a fault handler. */
export type Fault =
  | { type: "CapFault"; address: bigint; inReceivePhase: boolean; lookup: LookupFault }
  | { type: "UnknownSyscall"; number: bigint }
  | { type: "UserException"; number: bigint; code: bigint }
  | { type: "VMFault"; address: bigint; fsr: bigint; instructionFault: boolean };

export class Kernel {
  readonly ks: KernelState;
  readonly mem: PhysicalMemory;
  /** The thread whose context is in the hart (undefined: none loaded). */
  private loaded: TCB | undefined;
  private loadedRoot = -1n;

  constructor(
    readonly hart: Hart,
    host: KernelHost,
    /** A zeroed page table used as the address space of threads without a valid VSpace. */
    readonly emptyVSpace: bigint,
  ) {
    this.ks = new KernelState(host);
    this.mem = new PhysicalMemory(hart.ram, 0x8000_0000n);
  }

  /** Instructions the hart may run before the next timer tick. */
  get tickBudget(): number {
    return TICK_INSTRUCTIONS;
  }

  // ---- entries

  /** The hart stopped on a trap from U-mode (cause, tval from the core). */
  handleHostTrap(cause: bigint, tval: bigint): void {
    const cur = this.ks.currentThread;
    if (!cur) throw new Error("host trap with no current thread");
    saveContext(this.hart, cur);
    cur.faultIP = this.hart.pc;
    if (cause === CAUSE_ECALL_U) {
      cur.nextIP = cur.faultIP + 4n;
      this.handleSyscall(cur, BigInt.asIntN(64, cur.regs[a7]!));
    } else {
      cur.nextIP = cur.faultIP;
      this.handleUserException(cur, cause, tval);
    }
    this.exit();
  }

  /** A timer tick (the hart ran a tick's worth of instructions). */
  handleTick(): void {
    const cur = this.ks.currentThread;
    if (cur) {
      saveContext(this.hart, cur);
      cur.faultIP = this.hart.pc;
      cur.nextIP = cur.faultIP;
    }
    timerTick(this.ks);
    this.exit();
  }

  /** Picks the next thread and loads it into the hart (schedule + activateThread). */
  exit(): void {
    const ks = this.ks;
    if (ks.stop) return;
    schedule(ks);
    const next = ks.currentThread;
    if (!next) {
      this.loaded = undefined;
      return;
    }
    if (next.state.type === "Restart") {
      next.nextIP = next.faultIP;
      next.state = { type: "Running" };
    }
    restoreContext(this.hart, next);
    const vs = next.cnode[tcbVTable]!.cap;
    const root = vs.type === "PageTableCap" && vs.mapping ? vs.paddr : this.emptyVSpace;
    const asid = vs.type === "PageTableCap" && vs.mapping ? vs.mapping.asid : 0;
    if (this.loaded !== next || this.loadedRoot !== root) {
      setVSpaceRoot(this.hart, root, asid);
      this.loadedRoot = root;
    }
    this.loaded = next;
  }

  // ---- system calls

  private handleSyscall(t: TCB, n: bigint): void {
    switch (Number(n)) {
      case sys.SysYield:
        tcbSchedAppend(this.ks, t);
        return;
      case sys.SysCall:
      case sys.SysSend:
      case sys.SysNBSend:
        this.handleInvocation(t, Number(n));
        return;
      case sys.SysDebugPutChar:
        this.ks.host.putChar(Number(t.regs[a0]! & 0xffn));
        return;
      case sys.SysDebugHalt:
        this.ks.host.log("halting the system (seL4_DebugHalt)");
        this.ks.stop = { kind: "halt" };
        return;
      case sys.SysDebugCapIdentify: {
        const r = lookupCap(t, t.regs[a0]!);
        t.regs[a0] = r.ok ? BigInt(CAP_TAG[r.cap.type]) : 0n;
        return;
      }
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
        if (n >= -8n && n <= -1n) {
          // Recv, NBRecv, Reply, ReplyRecv: IPC comes with the endpoint work.
          this.ks.host.log(`${sys.SYSCALL_NAMES[Number(n)]} is not implemented yet`);
          return;
        }
        this.handleFault(t, { type: "UnknownSyscall", number: n });
    }
  }

  /**
   * Send, NBSend and Call on a capability, in seL4's order (handleInvocation,
   * sel4-semantics 1.2): look up the cap, find the IPC buffer, look up the
   * extra caps, truncate without a buffer, decode, then perform.
   */
  private handleInvocation(t: TCB, syscall: number): void {
    const isCall = syscall === sys.SysCall;
    const isBlocking = syscall !== sys.SysNBSend;
    let info = messageInfoFromWord(t.regs[msgInfoRegister]!);
    const cptr = t.regs[a0]!;
    const r = lookupCap(t, cptr);
    if (!r.ok) {
      if (isBlocking)
        this.handleFault(t, {
          type: "CapFault",
          address: cptr,
          inReceivePhase: false,
          lookup: r.fault,
        });
      return;
    }
    const buf = this.ipcBufferPaddr(t);
    const extraCaps: { cap: Cap; slot: CTE }[] = [];
    if (buf !== undefined) {
      for (let i = 0; i < info.extraCaps; i++) {
        const ecptr = this.mem.read64(buf + BigInt(8 * (122 + i)));
        const e = lookupCap(t, ecptr);
        if (!e.ok) {
          if (isBlocking)
            this.handleFault(t, {
              type: "CapFault",
              address: ecptr,
              inReceivePhase: false,
              lookup: e.fault,
            });
          return;
        }
        extraCaps.push({ cap: e.cap, slot: e.slot });
      }
    }
    if (info.length > n_msgRegisters && buf === undefined)
      info = { ...info, length: n_msgRegisters };
    const mrs = this.getMRs(t, buf, info.length);
    const result = decodeInvocation({
      kernel: this,
      thread: t,
      cap: r.cap,
      slot: r.slot,
      info,
      label: Number(info.label & 0xffffffffn),
      mrs,
      extraCaps,
      isCall,
      isBlocking,
    });
    switch (result.type) {
      case "error":
        if (isCall) this.replyError(t, result.error);
        return;
      case "reply":
        if (isCall) this.replyData(t, result.label, result.mrs);
        return;
      case "done":
        if (isCall && t.runnable) this.replyEmpty(t);
        return;
      case "blocked":
        return;
    }
  }

  /** MR0..MR(n-1): the first four from a2..a5, the rest from the IPC buffer. */
  getMRs(t: TCB, buf: bigint | undefined, n: number): bigint[] {
    const mrs: bigint[] = [];
    for (let i = 0; i < n; i++) {
      if (i < n_msgRegisters) mrs.push(t.regs[msgRegisters[i]!]!);
      else if (buf !== undefined) mrs.push(this.mem.read64(buf + BigInt(8 * (i + 1))));
    }
    return mrs;
  }

  // ---- replies from the kernel (Call only)

  private replyError(t: TCB, e: SyscallError): void {
    const { label, mrs } = errorReply(e);
    const length = this.setMRs(t, mrs);
    t.regs[badgeRegister] = 0n;
    t.regs[msgInfoRegister] = wordFromMessageInfo({
      label: BigInt(label),
      capsUnwrapped: 0,
      extraCaps: 0,
      length,
    });
  }

  private replyData(t: TCB, label: bigint, mrs: readonly bigint[]): void {
    const length = this.setMRs(t, mrs);
    t.regs[badgeRegister] = 0n;
    t.regs[msgInfoRegister] = wordFromMessageInfo({
      label,
      capsUnwrapped: 0,
      extraCaps: 0,
      length,
    });
  }

  private replyEmpty(t: TCB): void {
    t.regs[badgeRegister] = 0n;
    t.regs[msgInfoRegister] = 0n;
  }

  /** Writes message registers; returns how many were written (IPC-buffer ones need a buffer). */
  setMRs(t: TCB, mrs: readonly bigint[]): number {
    const buf = this.ipcBufferPaddr(t);
    let i = 0;
    for (; i < mrs.length; i++) {
      if (i < n_msgRegisters) t.regs[msgRegisters[i]!] = mrs[i]!;
      else if (buf !== undefined) this.mem.write64(buf + BigInt(8 * (i + 1)), mrs[i]!);
      else break;
    }
    return i;
  }

  /** Physical address of a thread's IPC buffer, or undefined if it has no usable one. */
  ipcBufferPaddr(t: TCB): bigint | undefined {
    const cap = t.cnode[tcbBuffer]!.cap;
    if (cap.type !== "FrameCap" || cap.isDevice) return undefined;
    const size = 1n << BigInt(cap.sizeBits);
    const pa = cap.paddr + (t.ipcBuffer & (size - 1n));
    return this.mem.contains(pa, IPC_BUFFER_SIZE) ? pa : undefined;
  }

  // ---- faults

  private handleUserException(t: TCB, cause: bigint, tval: bigint): void {
    switch (cause) {
      case 1n:
      case 5n:
      case 7n:
      case 12n:
      case 13n:
      case 15n:
        this.handleFault(t, {
          type: "VMFault",
          address: tval,
          fsr: cause,
          instructionFault: cause === 1n || cause === 12n,
        });
        return;
      default:
        this.handleFault(t, { type: "UserException", number: cause, code: 0n });
    }
  }

  /** Delivers a fault to the thread's handler; with none, the thread stops (seL4's double fault). */
  handleFault(t: TCB, f: Fault): void {
    // Fault IPC arrives with endpoints; until then every fault is unhandled.
    this.ks.host.log(
      `${describeFault(f)} in thread "${t.name || "?"}" at pc 0x${t.faultIP.toString(16)}: no fault handler, thread stopped`,
    );
    t.state = { type: "Inactive" };
  }

  // ---- debug

  private debugNameThread(t: TCB): void {
    const r = lookupCap(t, t.regs[a0]!);
    const buf = this.ipcBufferPaddr(t);
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
    log("Name                                    State          IP                  Prio Core");
    for (const th of this.ks.threads) {
      log(
        `${(th.name || "?").padEnd(40)}${th.state.type.padEnd(15)}0x${th.nextIP.toString(16).padStart(16, "0")}  ${String(th.priority).padStart(4)}    0`,
      );
    }
  }

  /** Stops the machine with a readable report: mica's seL4 halts on these debug-build errors. */
  panic(t: TCB | undefined, syscall: string, message: string): void {
    this.ks.stop = { kind: "panic", message, thread: t?.name ?? "?", syscall };
  }
}

export function describeFault(f: Fault): string {
  switch (f.type) {
    case "CapFault":
      return `cap fault (${f.lookup.type}) on cptr 0x${f.address.toString(16)} in ${f.inReceivePhase ? "receive" : "send"} phase`;
    case "UnknownSyscall":
      return `unknown syscall ${f.number}`;
    case "UserException":
      return `user exception (cause ${f.number})`;
    case "VMFault":
      return `vm fault on ${f.instructionFault ? "code" : "data"} at address 0x${f.address.toString(16)} (cause ${f.fsr})`;
  }
}
