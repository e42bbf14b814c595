// The non-MCS scheduler against seL4's rules (sel4-semantics 8; seL4/seL4
// src/kernel/thread.c): head/tail queueing, possibleSwitchTo, schedule()'s
// choice between the current thread and a woken one, time slices, Yield.
import { beforeEach, describe, expect, it } from "vitest";
import { World } from "../../tests/support/kernel-fixture.js";
import { SysCall, SysRecv, SysSend, SysYield } from "./api/syscall.js";
import { restart, suspend } from "./ipc.js";
import type { TCB } from "./object/tcb.js";
import { CONFIG_TIME_SLICE } from "./state.js";
import {
  getHighestPrio,
  setPriority,
  tcbSchedAppend,
  tcbSchedDequeue,
  tcbSchedEnqueue,
} from "./thread.js";
import { checkThreadInvariants } from "./thread-invariants.js";

let w: World;
beforeEach(() => {
  w = new World();
});

/** Runs the scheduler until `n` threads have had the CPU, each giving it up with Yield. */
function order(n: number): string[] {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = w.current;
    seen.push(t.name);
    w.syscall(t, SysYield);
  }
  return seen;
}

describe("ready queues", () => {
  it("enqueue puts at the head, append at the tail, and the bitmap follows", () => {
    const [a, b, c] = ["a", "b", "c"].map((n) => w.thread(n, 7)) as [TCB, TCB, TCB];
    for (const t of [a, b, c]) t.state = { type: "Running" };
    tcbSchedEnqueue(w.ks, a);
    tcbSchedEnqueue(w.ks, b);
    tcbSchedAppend(w.ks, c);
    tcbSchedEnqueue(w.ks, a); // already queued: no change
    expect(w.ks.readyQueues[7]).toEqual([b, a, c]);
    expect(getHighestPrio(w.ks, 0)).toBe(7);
    for (const t of [a, b, c]) tcbSchedDequeue(w.ks, t);
    expect(getHighestPrio(w.ks, 0)).toBe(-1);
    expect(w.ks.readyBitmap[0]!.every((x) => x === 0)).toBe(true);
  });
});

describe("Resume", () => {
  it("puts resumed threads at the head: A, B, C resumed at one priority run C, B, A", () => {
    const root = w.thread("root", 255);
    const ts = ["A", "B", "C"].map((n) => w.thread(n, 100));
    w.boot(root);
    for (const t of ts) w.resume(t);
    expect(w.current).toBe(root);
    suspend(w.kernel, root);
    w.kernel.schedule();
    expect(order(3)).toEqual(["C", "B", "A"]);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("resuming a higher-priority thread switches to it at once", () => {
    const low = w.thread("low", 10);
    const high = w.thread("high", 20);
    w.boot(low);
    w.resume(high);
    expect(w.current).toBe(high);
    // The preempted thread waits at the head of its queue.
    expect(w.ks.readyQueues[10]![0]).toBe(low);
  });

  it("Resume of a runnable thread does nothing", () => {
    const t = w.thread("t", 10);
    w.boot(t);
    restart(w.kernel, t);
    w.kernel.schedule();
    expect(t.state.type).toBe("Running");
    expect(t.queued).toBe(false);
  });
});

describe("waking threads by IPC (possibleSwitchTo + schedule)", () => {
  function wake(senderPrio: number, receiverPrio: number) {
    const receiver = w.thread("receiver", receiverPrio);
    const sender = w.thread("sender", senderPrio);
    const ep = w.endpoint();
    w.put(receiver, 2, ep);
    w.put(sender, 2, ep);
    w.boot(receiver);
    w.syscall(receiver, SysRecv, { cptr: 2n });
    w.resume(sender);
    w.syscall(sender, SysSend, { cptr: 2n });
    return { sender, receiver };
  }

  it("a higher-priority receiver runs at once; the sender waits at the head of its queue", () => {
    const { sender, receiver } = wake(10, 20);
    expect(w.current).toBe(receiver);
    expect(w.ks.readyQueues[10]![0]).toBe(sender);
  });

  it("an equal-priority receiver is appended; the sender keeps running", () => {
    const { sender, receiver } = wake(10, 10);
    expect(w.current).toBe(sender);
    expect(w.ks.readyQueues[10]).toEqual([receiver]);
  });

  it("a lower-priority receiver just becomes ready", () => {
    const { sender, receiver } = wake(20, 10);
    expect(w.current).toBe(sender);
    expect(w.ks.readyQueues[10]).toEqual([receiver]);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("a woken thread below a ready higher-priority one waits its turn", () => {
    const mid = w.thread("mid", 50);
    const receiver = w.thread("receiver", 20);
    const caller = w.thread("caller", 100);
    const ep = w.endpoint();
    w.put(receiver, 2, ep);
    w.put(caller, 2, ep);
    w.boot(receiver);
    w.syscall(receiver, SysRecv, { cptr: 2n });
    w.resume(mid);
    w.resume(caller);
    // caller (100) calls receiver (20) while mid (50) is ready: mid runs.
    w.syscall(caller, SysCall, { cptr: 2n });
    expect(w.current).toBe(mid);
    expect(receiver.queued).toBe(true);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });
});

describe("time slices and Yield", () => {
  it("round-robins equal priorities every CONFIG_TIME_SLICE ticks", () => {
    const a = w.thread("a", 10);
    const b = w.thread("b", 10);
    w.boot(a);
    w.resume(b);
    expect(w.current).toBe(a);
    const runs: string[] = [];
    for (let i = 0; i < 3 * CONFIG_TIME_SLICE; i++) {
      runs.push(w.current.name);
      w.tick();
    }
    expect(runs.join("")).toBe("aaaaabbbbbaaaaa");
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("does not charge ticks to a thread that is not Running (Restart)", () => {
    const a = w.thread("a", 10);
    w.boot(a);
    a.state = { type: "Restart" };
    w.tick();
    expect(a.timeSlice).toBe(CONFIG_TIME_SLICE);
  });

  it("Yield goes to the back of the queue without resetting the slice", () => {
    const a = w.thread("a", 10);
    const b = w.thread("b", 10);
    w.boot(a);
    w.resume(b);
    w.tick();
    w.syscall(a, SysYield);
    expect(w.current).toBe(b);
    expect(a.timeSlice).toBe(CONFIG_TIME_SLICE - 1);
    w.syscall(b, SysYield);
    expect(w.current).toBe(a);
  });

  it("Yield alone at the top priority keeps running", () => {
    const a = w.thread("a", 10);
    const low = w.thread("low", 5);
    w.boot(a);
    w.resume(low);
    w.syscall(a, SysYield);
    expect(w.current).toBe(a);
  });

  it("runs idle when nothing is runnable", () => {
    const a = w.thread("a", 10);
    const ep = w.endpoint();
    w.put(a, 2, ep);
    w.boot(a);
    w.syscall(a, SysRecv, { cptr: 2n });
    expect(w.current).toBe(w.ks.idleThread);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });
});

describe("priorities", () => {
  it("raising another thread above the current one switches to it (SCHED0020)", () => {
    const cur = w.thread("cur", 50);
    const other = w.thread("other", 40);
    w.boot(cur);
    w.resume(other);
    setPriority(w.ks, other, 60);
    w.kernel.schedule();
    expect(w.current).toBe(other);
  });

  it("lowering the current thread below a ready one gives up the CPU", () => {
    const cur = w.thread("cur", 50);
    const other = w.thread("other", 40);
    w.boot(cur);
    w.resume(other);
    setPriority(w.ks, cur, 30);
    w.kernel.schedule();
    expect(w.current).toBe(other);
    expect(w.ks.readyQueues[30]).toEqual([cur]);
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });
});

describe("suspend", () => {
  it("makes a Running thread resume after its syscall (FaultIP := NextIP)", () => {
    const a = w.thread("a", 10);
    const b = w.thread("b", 20);
    w.boot(a);
    w.syscall(a, SysYield);
    expect(a.nextIP).toBe(a.faultIP + 4n);
    w.resume(b);
    suspend(w.kernel, a);
    expect(a.faultIP).toBe(a.nextIP);
    expect(a.queued).toBe(false);
    w.resume(a);
    suspend(w.kernel, b);
    w.kernel.schedule();
    expect(w.current).toBe(a);
    expect(a.nextIP).toBe(a.faultIP);
  });
});
