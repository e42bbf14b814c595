// Runtime checks of the scheduler and IPC invariants of seL4's proofs
// (seL4/l4v: proof/invariant-abstract/DetSchedInvs_AI.thy valid_queues,
// ct_not_in_q, valid_blocked, valid_idle; Invariants_AI.thy sym_refs,
// valid_reply_caps, valid_reply_masters; proof/refine/Invariants_H.thy
// ready-queue bitmap), checked after a complete kernel entry (schedule done,
// scheduler action ResumeCurrentThread). A violation is a kernel bug.

import type { CTE } from "./object/cte.js";
import type { Endpoint } from "./object/endpoint.js";
import type { Notification } from "./object/notification.js";
import { type TCB, tcbCaller, tcbCTable, tcbReply } from "./object/tcb.js";
import { type KernelState, NUM_PRIORITIES } from "./state.js";

/** The first violated invariant, or undefined when all hold. */
export function checkThreadInvariants(ks: KernelState): string | undefined {
  return checkQueues(ks) ?? checkCurrent(ks) ?? checkBlocking(ks) ?? checkReplyCaps(ks);
}

const nameOf = (t: TCB) => `"${t.name || "?"}"`;

// valid_queues + bitmap: queued threads are runnable, in their own (domain,
// priority) queue once, flagged queued; the bitmap bit is set iff the queue
// is non-empty.
function checkQueues(ks: KernelState): string | undefined {
  const seen = new Set<TCB>();
  for (const [i, q] of ks.readyQueues.entries()) {
    const dom = Math.floor(i / NUM_PRIORITIES);
    const prio = i % NUM_PRIORITIES;
    const bit = (ks.readyBitmap[dom]![prio >>> 5]! >>> (prio & 31)) & 1;
    if ((bit === 1) !== q.length > 0)
      return `ready-queue bitmap: bit for priority ${prio} is ${bit} with ${q.length} queued`;
    for (const t of q) {
      if (seen.has(t)) return `valid_queues: ${nameOf(t)} is queued twice`;
      seen.add(t);
      if (!t.queued) return `valid_queues: ${nameOf(t)} is in a queue but not flagged queued`;
      if (t.priority !== prio || t.domain !== dom)
        return `valid_queues: ${nameOf(t)} (domain ${t.domain}, priority ${t.priority}) is in queue ${dom}/${prio}`;
      if (!t.runnable) return `valid_queues: ${nameOf(t)} is queued while ${t.state.type}`;
    }
  }
  for (const t of ks.threads) {
    if (t.queued && !seen.has(t))
      return `valid_queues: ${nameOf(t)} is flagged queued but in no queue`;
  }
  return undefined;
}

// valid_idle, ct_not_in_q, valid_blocked, ct_in_cur_domain.
function checkCurrent(ks: KernelState): string | undefined {
  const idle = ks.idleThread;
  const cur = ks.currentThread;
  if (idle.state.type !== "IdleThreadState" || idle.queued || idle.boundNotification)
    return "valid_idle: the idle thread is not idle";
  for (const t of ks.threads) {
    if (t.state.type === "IdleThreadState") return `only_idle: ${nameOf(t)} is in IdleThreadState`;
  }
  if (ks.schedulerAction !== "ResumeCurrentThread")
    return `scheduler action is still ${typeof ks.schedulerAction === "string" ? ks.schedulerAction : "SwitchToThread"} after schedule`;
  if (cur.queued) return `ct_not_in_q: the current thread ${nameOf(cur)} is queued`;
  if (cur !== idle && !cur.runnable)
    return `the current thread ${nameOf(cur)} is ${cur.state.type}`;
  if (cur !== idle && cur.domain !== ks.curDomain)
    return `ct_in_cur_domain: ${nameOf(cur)} runs outside the current domain`;
  for (const t of ks.threads) {
    if (t.runnable && t !== cur && !t.queued)
      return `valid_blocked: ${nameOf(t)} is ${t.state.type} but neither current nor queued`;
  }
  return undefined;
}

// sym_refs for endpoint and notification queues and bindings: a thread is in
// exactly the queue its state names; queues are non-empty iff not idle and
// hold threads of one direction; bindings are mutual.
function checkBlocking(ks: KernelState): string | undefined {
  const eps = new Set<Endpoint>();
  const ntfns = new Set<Notification>();
  for (const t of ks.threads) {
    const s = t.state;
    if (s.type === "BlockedOnSend" || s.type === "BlockedOnReceive") {
      const want = s.type === "BlockedOnSend" ? "Send" : "Recv";
      if (s.ep.state !== want || !s.ep.queue.includes(t))
        return `sym_refs: ${nameOf(t)} is ${s.type} but not in its endpoint's ${want} queue`;
      eps.add(s.ep);
    }
    if (s.type === "BlockedOnNotification") {
      if (s.ntfn.state !== "Waiting" || !s.ntfn.queue.includes(t))
        return `sym_refs: ${nameOf(t)} is BlockedOnNotification but not in its queue`;
      ntfns.add(s.ntfn);
    }
    const b = t.boundNotification;
    if (b && b.boundTCB !== t)
      return `sym_refs: ${nameOf(t)}'s bound notification is not bound to it`;
    if (b) ntfns.add(b);
  }
  for (const ep of eps) {
    if ((ep.state === "Idle") !== (ep.queue.length === 0))
      return `valid_ep: endpoint in state ${ep.state} with ${ep.queue.length} queued`;
    if (new Set(ep.queue).size !== ep.queue.length) return "valid_ep: a thread is queued twice";
    for (const t of ep.queue) {
      const want = ep.state === "Send" ? "BlockedOnSend" : "BlockedOnReceive";
      if (t.state.type !== want || (t.state.type === want && t.state.ep !== ep))
        return `sym_refs: ${nameOf(t)} is queued on an endpoint in state ${ep.state} while ${t.state.type}`;
    }
  }
  for (const n of ntfns) {
    if ((n.state === "Waiting") !== n.queue.length > 0)
      return `valid_ntfn: notification in state ${n.state} with ${n.queue.length} waiting`;
    for (const t of n.queue) {
      if (t.state.type !== "BlockedOnNotification" || t.state.ntfn !== n)
        return `sym_refs: ${nameOf(t)} waits on a notification while ${t.state.type}`;
    }
    if (n.boundTCB && n.boundTCB.boundNotification !== n)
      return "sym_refs: a notification's bound TCB is not bound to it";
    if (n.boundTCB && n.queue.some((t) => t !== n.boundTCB))
      return "valid_ntfn: a bound notification has a waiter other than its TCB";
  }
  return undefined;
}

// valid_reply_caps / valid_reply_masters: caller slots hold only non-master
// reply caps to threads waiting for a reply, at most one per thread; master
// reply caps only in their owner's reply slot.
function checkReplyCaps(ks: KernelState): string | undefined {
  const replyTo = new Map<TCB, CTE>();
  // TRICKY: a Set filled slot by slot; spreading a root CNode into push() passes one
  // argument per slot and overflows the stack from about 2^17 slots (--cnode-bits 17).
  const slots = new Set<CTE>();
  for (const t of ks.threads) {
    const master = t.cnode[tcbReply]!.cap;
    if (
      master.type !== "NullCap" &&
      (master.type !== "ReplyCap" || !master.master || master.tcb !== t)
    )
      return `valid_reply_masters: ${nameOf(t)}'s reply slot holds ${master.type}`;
    const caller = t.cnode[tcbCaller]!.cap;
    if (caller.type !== "NullCap" && (caller.type !== "ReplyCap" || caller.master))
      return `valid_objs: ${nameOf(t)}'s caller slot holds ${caller.type}`;
    if (caller.type !== "NullCap" && t.state.type === "BlockedOnReceive")
      return `valid_objs: ${nameOf(t)} holds a caller cap while BlockedOnReceive`;
    slots.add(t.cnode[tcbCaller]!);
    const root = t.cnode[tcbCTable]!.cap;
    if (root.type === "CNodeCap") for (const s of root.obj.namedSlots()) slots.add(s);
  }
  for (const s of slots) {
    const c = s.cap;
    if (c.type !== "ReplyCap") continue;
    if (c.master) {
      return `valid_reply_masters: a master reply cap to ${nameOf(c.tcb)} sits outside its reply slot`;
    }
    if (c.tcb.state.type !== "BlockedOnReply")
      return `valid_reply_caps: a reply cap to ${nameOf(c.tcb)} exists while it is ${c.tcb.state.type}`;
    const other = replyTo.get(c.tcb);
    if (other && other !== s) return `valid_reply_caps: two reply caps to ${nameOf(c.tcb)}`;
    replyTo.set(c.tcb, s);
  }
  return undefined;
}
