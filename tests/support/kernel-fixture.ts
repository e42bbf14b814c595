// A kernel without a hart, for unit tests of the thread and IPC code: threads
// with their own CSpaces and IPC buffers in a small RAM, caps put straight
// into slots, and syscalls made by whichever thread the scheduler has made
// current. Syscalls go through Kernel.handleSyscall / handleUnknownSyscall
// and end with Kernel.schedule(), as a real kernel entry does (minus the
// register copy to and from the hart).

import { wordFromMessageInfo } from "../../src/kernel/api/message-info.js";
import * as sys from "../../src/kernel/api/syscall.js";
import { a0, a1, msgRegisters } from "../../src/kernel/arch/riscv/registers.js";
import { cteInsert, setupReplyMaster } from "../../src/kernel/cdt.js";
import { restart } from "../../src/kernel/ipc.js";
import { Kernel } from "../../src/kernel/kernel.js";
import type { Cap, CapOf } from "../../src/kernel/object/cap.js";
import { CNode } from "../../src/kernel/object/cnode.js";
import { Endpoint } from "../../src/kernel/object/endpoint.js";
import { Notification } from "../../src/kernel/object/notification.js";
import { Running, TCB, tcbBuffer, tcbCTable } from "../../src/kernel/object/tcb.js";
import { tcbSchedEnqueue, timerTick } from "../../src/kernel/thread.js";
import type { Hart } from "../../src/machine/cpu/hart.js";

export const RAM_BASE = 0x8000_0000n;
const RAM_SIZE = 1 << 22;
/** Slot of every fixture thread's own CNode cap in its CSpace (receiveCNode). */
export const SELF_CNODE_SLOT = 1;
/** Radix of every fixture thread's CNode: cptrs are slot numbers (guard 64 - radix). */
const RADIX = 6;

export interface SyscallArgs {
  cptr?: bigint;
  label?: bigint;
  length?: number;
  extraCaps?: number;
  /** MR0.. (the first four in a2..a5, the rest in the IPC buffer). */
  mrs?: readonly bigint[];
}

export class World {
  readonly kernel: Kernel;
  readonly logs: string[] = [];
  private nextPage = 0n;
  private nextObj = 0x1000_0000n;

  constructor() {
    const ram = new Uint8Array(RAM_SIZE);
    // The kernel tells the translator of its RAM writes; nothing is translated here.
    const hart = { ram, jit: { codeWritten: () => {} } } as unknown as Hart;
    this.kernel = new Kernel(
      hart,
      { putChar: () => {}, log: (l) => this.logs.push(l) },
      RAM_BASE + BigInt(RAM_SIZE) - 4096n,
    );
  }

  get ks() {
    return this.kernel.ks;
  }

  get current(): TCB {
    return this.ks.currentThread;
  }

  private page(): bigint {
    const pa = RAM_BASE + this.nextPage * 4096n;
    this.nextPage++;
    return pa;
  }

  /**
   * A thread (Inactive until started) with its own CSpace: slot 1 holds a
   * cap to its own CNode; an IPC buffer unless `ipcBuffer` is false.
   */
  thread(name: string, priority: number, opts: { ipcBuffer?: boolean; mcp?: number } = {}): TCB {
    const t = new TCB(this.nextObj);
    this.nextObj += 0x1000n;
    t.name = name;
    t.priority = priority;
    t.mcp = opts.mcp ?? priority;
    t.timeSlice = 5;
    const cnode = new CNode(this.nextObj, RADIX);
    this.nextObj += 0x1000n;
    const cnodeCap: Cap = { type: "CNodeCap", obj: cnode, guardSize: 64 - RADIX, guard: 0n };
    const self = cnode.slot(SELF_CNODE_SLOT);
    self.cap = cnodeCap;
    self.mdbRevocable = true;
    // The CSpace root is a copy, as a TCB's usually is (so it is not the final cap).
    cteInsert(cnodeCap, self, t.cnode[tcbCTable]!);
    if (opts.ipcBuffer !== false) {
      const pa = this.page();
      t.cnode[tcbBuffer]!.cap = {
        type: "FrameCap",
        paddr: pa,
        sizeBits: 12,
        rights: "ReadWrite",
        isDevice: false,
        mapping: undefined,
      };
      t.ipcBuffer = 0x4000_0000n + (pa - RAM_BASE);
    }
    this.ks.threads.add(t);
    return t;
  }

  /** Puts a cap into a thread's CSpace slot (a boot-time style standalone cap). */
  put(t: TCB, slot: number, cap: Cap): void {
    const root = t.cnode[tcbCTable]!.cap;
    if (root.type !== "CNodeCap") throw new Error("thread without a CSpace");
    const s = root.obj.slot(slot);
    s.cap = cap;
    s.mdbRevocable = true;
  }

  slot(t: TCB, slot: number) {
    const root = t.cnode[tcbCTable]!.cap;
    if (root.type !== "CNodeCap") throw new Error("thread without a CSpace");
    return root.obj.slot(slot);
  }

  endpoint(badge = 0n, rights: Partial<CapOf<"EndpointCap">> = {}): CapOf<"EndpointCap"> {
    const obj = new Endpoint(this.nextObj);
    this.nextObj += 0x10n;
    return {
      type: "EndpointCap",
      obj,
      badge,
      canSend: true,
      canReceive: true,
      canGrant: true,
      canGrantReply: true,
      ...rights,
    };
  }

  notification(
    badge = 0n,
    rights: Partial<CapOf<"NotificationCap">> = {},
  ): CapOf<"NotificationCap"> {
    const obj = new Notification(this.nextObj);
    this.nextObj += 0x20n;
    return { type: "NotificationCap", obj, badge, canSend: true, canReceive: true, ...rights };
  }

  /** Boot: the first thread runs (as the root task is made Running and chosen). */
  boot(t: TCB): void {
    setupReplyMaster(t);
    t.state = Running;
    tcbSchedEnqueue(this.ks, t);
    this.kernel.schedule();
  }

  /** Makes a stopped thread runnable, as TCB_Resume does, then schedules. */
  resume(t: TCB): void {
    restart(this.kernel, t);
    this.kernel.schedule();
  }

  /** Loads a message into the current thread's registers and IPC buffer. */
  setMessage(t: TCB, a: SyscallArgs): void {
    if (a.cptr !== undefined) t.regs[a0] = a.cptr;
    const mrs = a.mrs ?? [];
    t.regs[a1] = wordFromMessageInfo({
      label: a.label ?? 0n,
      capsUnwrapped: 0,
      extraCaps: a.extraCaps ?? 0,
      length: a.length ?? mrs.length,
    });
    const buf = this.kernel.lookupIPCBuffer(false, t);
    for (const [i, v] of mrs.entries()) {
      if (i < 4) t.regs[msgRegisters[i]!] = v;
      else if (buf !== undefined) this.kernel.mem.write64(buf + BigInt(8 * (i + 1)), v);
    }
  }

  /** IPC-buffer word i of a thread (msg[i - 1], caps_or_badges at 122.., receive slot at 125..). */
  bufferWord(t: TCB, i: number): bigint {
    const buf = this.kernel.lookupIPCBuffer(false, t);
    if (buf === undefined) throw new Error(`thread "${t.name}" has no IPC buffer`);
    return this.kernel.mem.read64(buf + BigInt(8 * i));
  }

  setBufferWord(t: TCB, i: number, v: bigint): void {
    const buf = this.kernel.lookupIPCBuffer(false, t);
    if (buf === undefined) throw new Error(`thread "${t.name}" has no IPC buffer`);
    this.kernel.mem.write64(buf + BigInt(8 * i), v);
  }

  /** Points a thread's receive slot at slot `index` of its own CNode. */
  receiveInto(t: TCB, index: number): void {
    this.setBufferWord(t, 125, BigInt(SELF_CNODE_SLOT));
    this.setBufferWord(t, 126, BigInt(index));
    this.setBufferWord(t, 127, 64n);
  }

  /**
   * The current thread (which must be `t`) makes a syscall: registers as
   * given, then the kernel entry and exit. The PC advances as after an ecall.
   */
  syscall(t: TCB, n: number, a: SyscallArgs = {}): void {
    if (this.ks.currentThread !== t)
      throw new Error(`"${t.name}" is not the current thread ("${this.ks.currentThread.name}" is)`);
    this.setMessage(t, a);
    t.faultIP = t.nextIP;
    t.nextIP = t.faultIP + 4n;
    if (n >= sys.SysNBRecv && n <= sys.SysCall) this.kernel.handleSyscall(n);
    else this.kernel.handleUnknownSyscall(BigInt(n));
    this.kernel.schedule();
  }

  /** MR0..MR(n-1) as a receiver sees them (registers, then its buffer). */
  mrs(t: TCB, n: number): bigint[] {
    return this.kernel.getMRs(t, this.kernel.lookupIPCBuffer(true, t), n);
  }

  /** One timer tick while `current` runs. */
  tick(): void {
    const cur = this.ks.currentThread;
    cur.faultIP = cur.nextIP;
    timerTick(this.ks);
    this.kernel.schedule();
  }
}
