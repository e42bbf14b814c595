// Endpoint IPC, reply caps and notifications against seL4's rules
// (sel4-semantics 4 and 5; seL4/seL4 src/object/endpoint.c, notification.c,
// src/kernel/thread.c), driven through the syscall entry points.
import { beforeEach, describe, expect, it } from "vitest";
import { World } from "../../tests/support/kernel-fixture.js";
import { messageInfoFromWord } from "./api/message-info.js";
import {
  SysCall,
  SysNBRecv,
  SysNBSend,
  SysRecv,
  SysReply,
  SysReplyRecv,
  SysSend,
} from "./api/syscall.js";
import { a0, a1, a2, a3 } from "./arch/riscv/registers.js";
import { cancelBadgedSends, suspend } from "./ipc.js";
import type { TCB } from "./object/tcb.js";
import { tcbCaller } from "./object/tcb.js";
import { checkThreadInvariants } from "./thread-invariants.js";

const info = (t: TCB) => messageInfoFromWord(t.regs[a1]!);

let w: World;
beforeEach(() => {
  w = new World();
});

function expectSane() {
  expect(checkThreadInvariants(w.ks)).toBeUndefined();
}

describe("Send and Recv on an endpoint", () => {
  it("delivers label, badge and MRs from registers and buffer to a waiting receiver", () => {
    const server = w.thread("server", 100);
    const client = w.thread("client", 50);
    const ep = w.endpoint();
    w.put(server, 2, ep);
    w.put(client, 2, { ...ep, badge: 0x42n });
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n });
    expect(server.state.type).toBe("BlockedOnReceive");
    w.resume(client);
    expect(w.current).toBe(client);
    const mrs = [1n, 2n, 3n, 4n, 5n, 6n, 7n];
    w.syscall(client, SysSend, { cptr: 2n, label: 0x1234n, mrs });
    // The higher-priority receiver runs; the sender stays runnable.
    expect(w.current).toBe(server);
    expect(client.state.type).toBe("Running");
    expect(server.regs[a0]).toBe(0x42n);
    expect(info(server)).toEqual({ label: 0x1234n, capsUnwrapped: 0, extraCaps: 0, length: 7 });
    expect(w.mrs(server, 7)).toEqual(mrs);
    expectSane();
  });

  it("queues blocking senders FIFO and hands them to receivers in order", () => {
    const server = w.thread("server", 10);
    const c1 = w.thread("c1", 100);
    const c2 = w.thread("c2", 100);
    const ep = w.endpoint();
    for (const [t, b] of [
      [server, 0n],
      [c1, 1n],
      [c2, 2n],
    ] as const)
      w.put(t, 2, { ...ep, badge: b });
    w.boot(c1);
    w.syscall(c1, SysSend, { cptr: 2n, mrs: [11n] });
    expect(c1.state.type).toBe("BlockedOnSend");
    w.resume(c2);
    w.syscall(c2, SysSend, { cptr: 2n, mrs: [22n] });
    w.resume(server);
    expect(ep.obj.state).toBe("Send");
    w.syscall(server, SysRecv, { cptr: 2n });
    expect(server.regs[a0]).toBe(1n);
    expect(server.regs[a2]).toBe(11n);
    // c1 woke at a higher priority: it runs now.
    expect(w.current).toBe(c1);
    w.syscall(c1, SysRecv, { cptr: 9n }); // empty slot: cap fault, no handler: c1 stops
    expect(c1.state.type).toBe("Inactive");
    w.syscall(server, SysRecv, { cptr: 2n });
    expect(server.regs[a0]).toBe(2n);
    expect(server.regs[a2]).toBe(22n);
    expect(ep.obj.state).toBe("Idle");
    expectSane();
  });

  it("drops NBSend without a receiver and answers NBRecv without a sender with badge 0", () => {
    const t = w.thread("t", 10);
    const ep = w.endpoint();
    w.put(t, 2, ep);
    w.boot(t);
    w.syscall(t, SysNBSend, { cptr: 2n, mrs: [1n] });
    expect(ep.obj.state).toBe("Idle");
    expect(w.current).toBe(t);
    t.regs[a1] = 0x777n;
    t.regs[a0] = 2n;
    w.syscall(t, SysNBRecv, { cptr: 2n, label: 5n, mrs: [9n] });
    expect(t.regs[a0]).toBe(0n);
    // Only the badge register is written.
    expect(info(t).label).toBe(5n);
    expect(t.regs[a2]).toBe(9n);
    expectSane();
  });

  it("truncates to the four register MRs when either side has no IPC buffer", () => {
    const server = w.thread("server", 100, { ipcBuffer: false });
    const client = w.thread("client", 50);
    const ep = w.endpoint();
    w.put(server, 2, ep);
    w.put(client, 2, ep);
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n });
    w.resume(client);
    w.syscall(client, SysSend, { cptr: 2n, mrs: [1n, 2n, 3n, 4n, 5n, 6n] });
    expect(info(server).length).toBe(4);
    expect(w.mrs(server, 4)).toEqual([1n, 2n, 3n, 4n]);
  });

  it("silently ignores Send without Write, and Call gets InvalidCapability(0)", () => {
    const t = w.thread("t", 10);
    const ep = w.endpoint(0n, { canSend: false });
    w.put(t, 2, ep);
    w.boot(t);
    w.syscall(t, SysSend, { cptr: 2n });
    expect(t.state.type).toBe("Running");
    w.syscall(t, SysCall, { cptr: 2n });
    expect(info(t)).toMatchObject({ label: 2n, length: 1 });
    expect(t.regs[a2]).toBe(0n);
    expect(t.regs[a0]).toBe(0n);
  });
});

describe("Call, Reply and ReplyRecv", () => {
  function callPair() {
    const server = w.thread("server", 100);
    const client = w.thread("client", 50);
    const ep = w.endpoint();
    w.put(server, 2, ep);
    w.put(client, 2, { ...ep, badge: 7n });
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n });
    w.resume(client);
    return { server, client, ep };
  }

  it("blocks the caller on a reply cap in the server's caller slot and resumes it on Reply", () => {
    const { server, client } = callPair();
    w.syscall(client, SysCall, { cptr: 2n, label: 1n, mrs: [100n] });
    expect(client.state.type).toBe("BlockedOnReply");
    expect(w.current).toBe(server);
    const reply = server.cnode[tcbCaller]!.cap;
    expect(reply).toMatchObject({ type: "ReplyCap", tcb: client, master: false, canGrant: true });
    expectSane();
    w.syscall(server, SysReply, { label: 9n, mrs: [200n, 201n] });
    expect(server.cnode[tcbCaller]!.cap.type).toBe("NullCap");
    expect(client.state.type).toBe("Running");
    expect(client.regs[a0]).toBe(0n);
    expect(info(client)).toEqual({ label: 9n, capsUnwrapped: 0, extraCaps: 0, length: 2 });
    expect(w.mrs(client, 2)).toEqual([200n, 201n]);
    expectSane();
  });

  it("ReplyRecv replies then waits; the next caller's message arrives", () => {
    const { server, client, ep } = callPair();
    w.syscall(client, SysCall, { cptr: 2n, mrs: [1n] });
    w.syscall(server, SysReplyRecv, { cptr: 2n, mrs: [2n] });
    expect(server.state.type).toBe("BlockedOnReceive");
    expect(w.current).toBe(client);
    expect(client.regs[a2]).toBe(2n);
    w.syscall(client, SysCall, { cptr: 2n, mrs: [3n] });
    expect(w.current).toBe(server);
    expect(server.regs[a2]).toBe(3n);
    expect(server.regs[a0]).toBe(7n);
    expect(ep.obj.state).toBe("Idle");
    expectSane();
  });

  it("leaves the caller Inactive when the cap has neither Grant nor GrantReply", () => {
    const server = w.thread("server", 100);
    const client = w.thread("client", 50);
    const ep = w.endpoint();
    w.put(server, 2, ep);
    w.put(client, 2, { ...ep, canGrant: false, canGrantReply: false });
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n });
    w.resume(client);
    w.syscall(client, SysCall, { cptr: 2n, mrs: [1n] });
    expect(client.state.type).toBe("Inactive");
    expect(server.cnode[tcbCaller]!.cap.type).toBe("NullCap");
    expect(server.regs[a2]).toBe(1n);
    expectSane();
  });

  it("Reply with an empty caller slot does nothing; a new Recv drops an unsaved caller", () => {
    const { server, client } = callPair();
    w.syscall(client, SysCall, { cptr: 2n });
    w.syscall(server, SysRecv, { cptr: 2n });
    // The caller is abandoned, still waiting for a reply that cannot come.
    expect(client.state.type).toBe("BlockedOnReply");
    expect(server.cnode[tcbCaller]!.cap.type).toBe("NullCap");
    expectSane();
  });

  it("Call to a lower-priority receiver switches to it when nothing else is ready", () => {
    const server = w.thread("server", 10);
    const client = w.thread("client", 200);
    const ep = w.endpoint();
    w.put(server, 2, ep);
    w.put(client, 2, ep);
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n });
    w.resume(client);
    w.syscall(client, SysCall, { cptr: 2n });
    expect(w.current).toBe(server);
  });
});

describe("cap transfer", () => {
  function pair(senderRights: { canGrant?: boolean } = {}) {
    const server = w.thread("server", 100);
    const client = w.thread("client", 50);
    const ep = w.endpoint();
    w.put(server, 2, ep);
    w.put(client, 2, { ...ep, badge: 5n, ...senderRights });
    const ntfn = w.notification(0x99n);
    w.put(client, 3, ntfn);
    w.boot(server);
    w.receiveInto(server, 20);
    w.syscall(server, SysRecv, { cptr: 2n });
    w.resume(client);
    return { server, client, ep, ntfn };
  }

  it("moves one cap into the receive slot as a child of the sender's slot", () => {
    const { server, client, ntfn } = pair();
    w.setBufferWord(client, 122, 3n);
    w.syscall(client, SysSend, { cptr: 2n, extraCaps: 1, mrs: [1n] });
    expect(info(server)).toMatchObject({ extraCaps: 1, capsUnwrapped: 0, length: 1 });
    expect(w.slot(server, 20).cap).toEqual(ntfn);
    expect(w.slot(server, 20).mdbPrev).toBe(w.slot(client, 3));
  });

  it("unwraps a cap to the endpoint itself into its badge, without using the slot", () => {
    const { server, client, ntfn } = pair();
    w.setBufferWord(client, 122, 2n); // the badged endpoint cap itself
    w.setBufferWord(client, 123, 3n);
    w.syscall(client, SysSend, { cptr: 2n, extraCaps: 2 });
    expect(info(server)).toMatchObject({ extraCaps: 2, capsUnwrapped: 1 });
    expect(w.bufferWord(server, 122)).toBe(5n);
    expect(w.slot(server, 20).cap).toEqual(ntfn);
  });

  it("stops at the second cap needing a slot", () => {
    const { server, client } = pair();
    w.put(client, 4, w.notification(1n));
    w.setBufferWord(client, 122, 3n);
    w.setBufferWord(client, 123, 4n);
    w.syscall(client, SysSend, { cptr: 2n, extraCaps: 2 });
    expect(info(server).extraCaps).toBe(1);
  });

  it("sends no caps without Grant, and no caps into a missing receive slot", () => {
    const { server, client } = pair({ canGrant: false });
    w.setBufferWord(client, 122, 3n);
    w.syscall(client, SysSend, { cptr: 2n, extraCaps: 1, mrs: [4n] });
    expect(info(server)).toMatchObject({ extraCaps: 0, length: 1 });
    expect(w.slot(server, 20).cap.type).toBe("NullCap");
  });

  it("raises a cap fault for an unresolvable extra cap on a blocking send", () => {
    const { client } = pair();
    const guardBreaker = 1n << 63n; // fails the CNode guard
    w.setBufferWord(client, 122, guardBreaker);
    w.syscall(client, SysSend, { cptr: 2n, extraCaps: 1 });
    expect(client.state.type).toBe("Inactive");
    expect(w.logs.join("\n")).toContain(`cptr 0x${guardBreaker.toString(16)}`);
  });
});

describe("notifications", () => {
  it("accumulates badges while nobody waits and delivers only a0", () => {
    const t = w.thread("t", 10);
    const n = w.notification();
    w.put(t, 2, { ...n, badge: 1n });
    w.put(t, 3, { ...n, badge: 4n });
    w.boot(t);
    w.syscall(t, SysSend, { cptr: 2n });
    w.syscall(t, SysSend, { cptr: 3n });
    expect(n.obj.state).toBe("Active");
    t.regs[a3] = 0xabcn;
    w.syscall(t, SysRecv, { cptr: 2n, label: 3n });
    expect(t.regs[a0]).toBe(5n);
    expect(info(t).label).toBe(3n);
    expect(t.regs[a3]).toBe(0xabcn);
    expect(n.obj.state).toBe("Idle");
    w.syscall(t, SysNBRecv, { cptr: 2n });
    expect(t.regs[a0]).toBe(0n);
    expectSane();
  });

  it("wakes waiters FIFO, one per signal", () => {
    const s = w.thread("signaller", 10);
    const a = w.thread("a", 20);
    const b = w.thread("b", 20);
    const n = w.notification();
    for (const t of [s, a, b]) w.put(t, 2, n);
    w.boot(a);
    w.syscall(a, SysRecv, { cptr: 2n });
    w.resume(b);
    w.syscall(b, SysRecv, { cptr: 2n });
    w.resume(s);
    w.syscall(s, SysSend, { cptr: 2n });
    expect(a.state.type).toBe("Running");
    expect(b.state.type).toBe("BlockedOnNotification");
    expect(w.current).toBe(a);
    expectSane();
  });

  it("a bound notification wakes its TCB blocked on an endpoint, with the badge only", () => {
    const server = w.thread("server", 100);
    const other = w.thread("other", 50);
    const ep = w.endpoint();
    const n = w.notification();
    w.put(server, 2, ep);
    w.put(other, 3, { ...n, badge: 0x10n });
    server.boundNotification = n.obj;
    n.obj.boundTCB = server;
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n, label: 77n });
    w.resume(other);
    w.syscall(other, SysSend, { cptr: 3n });
    expect(w.current).toBe(server);
    expect(server.regs[a0]).toBe(0x10n);
    expect(info(server).label).toBe(77n);
    expect(ep.obj.state).toBe("Idle");
    expectSane();
  });

  it("a pending bound notification completes an endpoint Recv at once", () => {
    const t = w.thread("t", 10);
    const ep = w.endpoint();
    const n = w.notification(3n);
    w.put(t, 2, ep);
    w.put(t, 3, n);
    t.boundNotification = n.obj;
    n.obj.boundTCB = t;
    w.boot(t);
    w.syscall(t, SysSend, { cptr: 3n });
    w.syscall(t, SysRecv, { cptr: 2n });
    expect(t.state.type).toBe("Running");
    expect(t.regs[a0]).toBe(3n);
  });

  it("does not interrupt a Call in progress: the signal stays pending", () => {
    const server = w.thread("server", 10);
    const client = w.thread("client", 100);
    const ep = w.endpoint();
    const n = w.notification(8n);
    w.put(server, 2, ep);
    w.put(client, 2, ep);
    w.put(server, 3, n);
    client.boundNotification = n.obj;
    n.obj.boundTCB = client;
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n });
    w.resume(client);
    w.syscall(client, SysCall, { cptr: 2n });
    w.syscall(server, SysSend, { cptr: 3n });
    expect(client.state.type).toBe("BlockedOnReply");
    expect(n.obj.state).toBe("Active");
  });

  it("a Recv on a notification bound to another thread is a cap fault", () => {
    const t = w.thread("t", 10);
    const other = w.thread("other", 5);
    const n = w.notification();
    w.put(t, 2, n);
    other.boundNotification = n.obj;
    n.obj.boundTCB = other;
    w.boot(t);
    w.syscall(t, SysNBRecv, { cptr: 2n });
    expect(t.state.type).toBe("Inactive");
  });
});

describe("cancelling IPC", () => {
  it("cancelBadgedSends restarts only senders with that badge, keeping the others' order", () => {
    const [a, b, c] = ["a", "b", "c"].map((n) => w.thread(n, 10)) as [TCB, TCB, TCB];
    const ep = w.endpoint();
    w.put(a, 2, { ...ep, badge: 1n });
    w.put(b, 2, { ...ep, badge: 2n });
    w.put(c, 2, { ...ep, badge: 1n });
    w.boot(a);
    w.syscall(a, SysSend, { cptr: 2n });
    w.resume(b);
    w.syscall(b, SysSend, { cptr: 2n });
    w.resume(c);
    w.syscall(c, SysSend, { cptr: 2n });
    cancelBadgedSends(w.kernel, ep.obj, 1n);
    w.kernel.schedule();
    expect(ep.obj.queue).toEqual([b]);
    expect(a.state.type === "Restart" || w.current === a).toBe(true);
    expect(c.state.type === "Restart" || w.current === c).toBe(true);
    expectSane();
  });

  it("suspending a thread blocked in Call deletes the reply cap to it", () => {
    const server = w.thread("server", 100);
    const client = w.thread("client", 50);
    const ep = w.endpoint();
    w.put(server, 2, ep);
    w.put(client, 2, ep);
    w.boot(server);
    w.syscall(server, SysRecv, { cptr: 2n });
    w.resume(client);
    w.syscall(client, SysCall, { cptr: 2n });
    suspend(w.kernel, client);
    w.kernel.schedule();
    expect(client.state.type).toBe("Inactive");
    expect(server.cnode[tcbCaller]!.cap.type).toBe("NullCap");
    w.syscall(server, SysReply, {});
    expectSane();
  });
});
