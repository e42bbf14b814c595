// Faults as IPC to the fault endpoint, with seL4's RISC-V message layouts and
// reply semantics (sel4-semantics 6; seL4/seL4 src/kernel/faulthandler.c,
// src/api/faults.c, src/arch/riscv/api/faults.c).
import { beforeEach, describe, expect, it } from "vitest";
import { World } from "../../tests/support/kernel-fixture.js";
import { faultForException, seL4_FaultType } from "./api/faults.js";
import { messageInfoFromWord } from "./api/message-info.js";
import { SysRecv, SysReply, SysSend } from "./api/syscall.js";
import { a0, a1, a2, a3, a4, a5, a6, a7, ra, sp } from "./arch/riscv/registers.js";
import { handleFault } from "./fault-handler.js";
import { type TCB, tcbCaller } from "./object/tcb.js";
import { checkThreadInvariants } from "./thread-invariants.js";

const info = (t: TCB) => messageInfoFromWord(t.regs[a1]!);
const FAULT_EP = 5n;

let w: World;
let handler: TCB;
let faulter: TCB;

beforeEach(() => {
  w = new World();
  handler = w.thread("handler", 100);
  faulter = w.thread("faulter", 50);
  const ep = w.endpoint();
  w.put(handler, 2, ep);
  w.put(faulter, Number(FAULT_EP), { ...ep, badge: 0x77n, canGrant: false });
  faulter.faultHandler = FAULT_EP;
  w.boot(handler);
  w.syscall(handler, SysRecv, { cptr: 2n });
  w.resume(faulter);
  faulter.nextIP = 0x1000n;
  faulter.regs[sp] = 0x5000n;
  faulter.regs[ra] = 0x2222n;
  for (const [i, r] of [a0, a1, a2, a3, a4, a5, a6].entries()) faulter.regs[r] = BigInt(0xa0 + i);
});

/** A fault entry of the current (faulting) thread, as c_handle_exception makes it. */
function exception(scause: bigint, stval: bigint) {
  faulter.faultIP = faulter.nextIP;
  handleFault(w.kernel, faulter, faultForException(scause, stval));
  w.kernel.schedule();
}

describe("UnknownSyscall", () => {
  beforeEach(() => {
    faulter.regs[a7] = BigInt.asUintN(64, -100n);
    faulter.faultIP = faulter.nextIP;
    faulter.nextIP += 4n;
    w.kernel.handleUnknownSyscall(-100n);
    w.kernel.schedule();
  });

  it("sends FaultIP, SP, RA, A0..A6 and the syscall number with the handler cap's badge", () => {
    expect(faulter.state.type).toBe("BlockedOnReply");
    expect(w.current).toBe(handler);
    expect(handler.regs[a0]).toBe(0x77n);
    expect(info(handler)).toEqual({
      label: BigInt(seL4_FaultType.UnknownSyscall),
      capsUnwrapped: 0,
      extraCaps: 0,
      length: 11,
    });
    expect(w.mrs(handler, 11)).toEqual([
      0x1000n,
      0x5000n,
      0x2222n,
      ...[0, 1, 2, 3, 4, 5, 6].map((i) => BigInt(0xa0 + i)),
      BigInt.asUintN(64, -100n),
    ]);
    // A reply cap is made even though the handler cap lacks Grant (GrantReply is forced).
    expect(handler.cnode[tcbCaller]!.cap).toMatchObject({ type: "ReplyCap", tcb: faulter });
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("a reply with label 0 writes the registers and restarts at the new FaultIP", () => {
    w.syscall(handler, SysReply, { label: 0n, mrs: [0x1004n, 0x6000n, 0x3333n, 42n] });
    expect(faulter.state.type).toBe("Restart");
    expect(faulter.fault).toBeUndefined();
    expect(faulter.regs[sp]).toBe(0x6000n);
    expect(faulter.regs[ra]).toBe(0x3333n);
    expect(faulter.regs[a0]).toBe(42n);
    expect(faulter.regs[a1]).toBe(0xa1n); // beyond the reply's length: unchanged
    w.syscall(handler, SysRecv, { cptr: 2n });
    expect(w.current).toBe(faulter);
    expect(faulter.nextIP).toBe(0x1004n);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("a reply with a non-zero label writes the registers and leaves the thread Inactive", () => {
    w.syscall(handler, SysReply, { label: 1n, mrs: [0x1004n] });
    expect(faulter.state.type).toBe("Inactive");
    expect(faulter.faultIP).toBe(0x1004n);
  });
});

describe("UserException and VMFault", () => {
  it("UserException carries FaultIP, SP, scause and code 0; a label-0 reply restarts", () => {
    exception(2n, 0xdeadn);
    expect(info(handler)).toMatchObject({ label: BigInt(seL4_FaultType.UserException), length: 4 });
    expect(w.mrs(handler, 4)).toEqual([0x1000n, 0x5000n, 2n, 0n]);
    w.syscall(handler, SysReply, { mrs: [0x1008n] });
    expect(faulter.state.type).toBe("Restart");
    expect(faulter.faultIP).toBe(0x1008n);
    expect(faulter.regs[sp]).toBe(0x5000n);
  });

  it("VMFault folds page-fault causes into access-fault FSRs and always restarts", () => {
    exception(13n, 0x4000_0008n);
    expect(info(handler)).toMatchObject({ label: BigInt(seL4_FaultType.VMFault), length: 4 });
    expect(w.mrs(handler, 4)).toEqual([0x1000n, 0x4000_0008n, 0n, 5n]);
    w.syscall(handler, SysReply, { label: 5n, mrs: [0x9999n] });
    expect(faulter.state.type).toBe("Restart");
    expect(faulter.faultIP).toBe(0x1000n);
  });

  it("an instruction page fault is FSR 1 with the prefetch flag", () => {
    expect(faultForException(12n, 0x10n)).toEqual({
      type: "VMFault",
      address: 0x10n,
      fsr: 1n,
      instructionFault: true,
    });
    expect(faultForException(15n, 0x10n)).toMatchObject({ fsr: 7n, instructionFault: false });
  });
});

describe("CapFault", () => {
  it("a Recv on an empty slot reports MissingCapability(0) in the receive phase", () => {
    w.syscall(faulter, SysRecv, { cptr: 9n });
    expect(info(handler)).toMatchObject({ label: BigInt(seL4_FaultType.CapFault), length: 5 });
    expect(w.mrs(handler, 5)).toEqual([faulter.faultIP, 9n, 1n, 2n, 0n]);
    w.syscall(handler, SysReply, { label: 3n });
    // Any reply restarts: the Recv is re-executed.
    expect(faulter.state.type).toBe("Restart");
  });

  it("a guard mismatch in a Send reports GuardMismatch in the send phase", () => {
    const bad = 1n << 62n;
    w.syscall(faulter, SysSend, { cptr: bad });
    expect(w.mrs(handler, 7)).toEqual([faulter.faultIP, bad, 0n, 4n, 64n, 0n, 58n]);
  });

  it("a handler without an IPC buffer gets the first four words", () => {
    const h2 = w.thread("h2", 200, { ipcBuffer: false });
    const ep2 = w.endpoint();
    w.put(h2, 2, ep2);
    w.put(faulter, 6, ep2);
    faulter.faultHandler = 6n;
    w.resume(h2);
    w.syscall(h2, SysRecv, { cptr: 2n });
    w.syscall(faulter, SysRecv, { cptr: 9n });
    expect(info(h2).length).toBe(4);
  });
});

describe("double faults", () => {
  it("a fault handler cptr naming an empty slot stops the thread", () => {
    faulter.faultHandler = 0n;
    exception(2n, 0n);
    expect(faulter.state.type).toBe("Inactive");
    expect(w.logs.join("\n")).toMatch(/MissingCapability.*\n.*\n.*user exception/);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("an endpoint cap without Grant or GrantReply is not a fault handler", () => {
    const ep = w.endpoint(0n, { canGrant: false, canGrantReply: false });
    w.put(faulter, 7, ep);
    faulter.faultHandler = 7n;
    exception(2n, 0n);
    expect(faulter.state.type).toBe("Inactive");
    expect(ep.obj.state).toBe("Idle");
  });

  it("a handler that is not waiting leaves the faulter queued as a caller", () => {
    const ep = w.endpoint();
    w.put(faulter, 8, ep);
    faulter.faultHandler = 8n;
    exception(2n, 0n);
    expect(faulter.state).toMatchObject({
      type: "BlockedOnSend",
      isCall: true,
      canGrantReply: true,
    });
    expect(faulter.fault?.type).toBe("UserException");
  });
});
