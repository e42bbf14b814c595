// The scheduler (seL4/seL4: src/kernel/thread.c, src/object/tcb.c queues,
// include/kernel/thread.h; l4v spec/haskell/src/SEL4/Kernel/Thread.lhs),
// non-MCS: 256 priorities per domain, a FIFO ready queue per priority with a
// bitmap of the non-empty ones, and a scheduler action decided during the
// entry and carried out by schedule() on the way out.
//
// tcbSchedEnqueue puts a thread at the HEAD of its queue (a thread that was
// preempted or woken keeps its turn), tcbSchedAppend at the TAIL (end of time
// slice, Yield). possibleSwitchTo avoids a queue round trip for one woken
// thread; schedule() then decides between it and the current thread.

import { type TCB, type ThreadState, updateRestartPC } from "./object/tcb.js";
import {
  CONFIG_TIME_SLICE,
  type DomainScheduleEntry,
  type KernelState,
  NUM_PRIORITIES,
} from "./state.js";

export function ready_queues_index(dom: number, prio: number): number {
  return dom * NUM_PRIORITIES + prio;
}

function addToBitmap(ks: KernelState, dom: number, prio: number): void {
  ks.readyBitmap[dom]![prio >>> 5]! |= 1 << (prio & 31);
}

function removeFromBitmap(ks: KernelState, dom: number, prio: number): void {
  ks.readyBitmap[dom]![prio >>> 5]! &= ~(1 << (prio & 31));
}

/** The highest priority with a ready thread in `dom`, or -1 when none (getHighestPrio). */
export function getHighestPrio(ks: KernelState, dom: number): number {
  const bm = ks.readyBitmap[dom]!;
  for (let w = bm.length - 1; w >= 0; w--) {
    const bits = bm[w]!;
    if (bits !== 0) return w * 32 + 31 - Math.clz32(bits);
  }
  return -1;
}

/** Whether no ready thread of `dom` outranks `prio` (isHighestPrio). */
export function isHighestPrio(ks: KernelState, dom: number, prio: number): boolean {
  return prio >= getHighestPrio(ks, dom);
}

// ---- ready queues (tcbSchedEnqueue, tcbSchedAppend, tcbSchedDequeue)

/** Puts a thread at the head of its ready queue, unless it is queued already. */
export function tcbSchedEnqueue(ks: KernelState, tcb: TCB): void {
  if (tcb.queued) return;
  const q = ks.readyQueues[ready_queues_index(tcb.domain, tcb.priority)]!;
  if (q.length === 0) addToBitmap(ks, tcb.domain, tcb.priority);
  q.unshift(tcb);
  tcb.queued = true;
}

/** Puts a thread at the tail of its ready queue, unless it is queued already. */
export function tcbSchedAppend(ks: KernelState, tcb: TCB): void {
  if (tcb.queued) return;
  const q = ks.readyQueues[ready_queues_index(tcb.domain, tcb.priority)]!;
  if (q.length === 0) addToBitmap(ks, tcb.domain, tcb.priority);
  q.push(tcb);
  tcb.queued = true;
}

/** Takes a thread out of its ready queue, if it is in one. */
export function tcbSchedDequeue(ks: KernelState, tcb: TCB): void {
  if (!tcb.queued) return;
  const q = ks.readyQueues[ready_queues_index(tcb.domain, tcb.priority)]!;
  const i = q.indexOf(tcb);
  if (i < 0) throw new Error(`thread "${tcb.name}" marked queued but not in its ready queue`);
  // PERF (bench/irq): no splice, which allocates the removed elements' array.
  if (i === 0) q.shift();
  else {
    for (let j = i + 1; j < q.length; j++) q[j - 1] = q[j]!;
    q.length--;
  }
  tcb.queued = false;
  if (q.length === 0) removeFromBitmap(ks, tcb.domain, tcb.priority);
}

// ---- thread state and the scheduler action

/**
 * Sets a thread's state (setThreadState). If the current thread stops being
 * runnable while it was to be resumed, a new thread must be chosen (scheduleTCB).
 */
export function setThreadState(ks: KernelState, tcb: TCB, state: ThreadState): void {
  tcb.state = state;
  scheduleTCB(ks, tcb);
}

export function scheduleTCB(ks: KernelState, tcb: TCB): void {
  if (tcb === ks.currentThread && ks.schedulerAction === "ResumeCurrentThread" && !tcb.runnable) {
    ks.schedulerAction = "ChooseNewThread";
  }
}

/** The next schedule() must choose; a pending switch target goes back to its queue (head). */
export function rescheduleRequired(ks: KernelState): void {
  const action = ks.schedulerAction;
  if (action !== "ResumeCurrentThread" && action !== "ChooseNewThread") {
    tcbSchedEnqueue(ks, action);
  }
  ks.schedulerAction = "ChooseNewThread";
}

/**
 * A thread became runnable and may deserve the CPU (possibleSwitchTo): out of
 * the current domain it just waits in its queue; if another decision is
 * already pending, both go through the queues; otherwise it becomes the
 * switch candidate that schedule() weighs against the current thread.
 */
export function possibleSwitchTo(ks: KernelState, target: TCB): void {
  if (ks.curDomain !== target.domain) {
    tcbSchedEnqueue(ks, target);
  } else if (ks.schedulerAction !== "ResumeCurrentThread") {
    rescheduleRequired(ks);
    tcbSchedEnqueue(ks, target);
  } else {
    ks.schedulerAction = target;
  }
}

// ---- schedule

/**
 * Carries out the scheduler action at kernel exit (schedule): the current
 * thread, if still runnable, goes back to the head of its queue, then either
 * the best ready thread is chosen or the switch candidate is taken, unless a
 * better-placed thread exists (see the rules in sel4-semantics 8.2).
 */
export function schedule(ks: KernelState): void {
  const action = ks.schedulerAction;
  if (action !== "ResumeCurrentThread") {
    const cur = ks.currentThread;
    const wasRunnable = cur.runnable;
    if (wasRunnable) tcbSchedEnqueue(ks, cur);
    if (action === "ChooseNewThread") {
      scheduleChooseNewThread(ks);
    } else {
      const candidate = action;
      if (!candidate.runnable)
        throw new Error(`switch candidate "${candidate.name}" is not runnable`);
      // Avoid the bitmap when the current thread outranks the candidate (as the
      // fastpath does); ignore the idle thread's priority.
      const fastfail = cur === ks.idleThread || candidate.priority < cur.priority;
      if (fastfail && !isHighestPrio(ks, ks.curDomain, candidate.priority)) {
        tcbSchedEnqueue(ks, candidate);
        ks.schedulerAction = "ChooseNewThread";
        scheduleChooseNewThread(ks);
      } else if (wasRunnable && candidate.priority === cur.priority) {
        // The current thread, at the head of the same queue, keeps running.
        tcbSchedAppend(ks, candidate);
        ks.schedulerAction = "ChooseNewThread";
        scheduleChooseNewThread(ks);
      } else {
        if (candidate === cur) throw new Error("switch candidate is the current thread");
        switchToThread(ks, candidate);
      }
    }
  }
  ks.schedulerAction = "ResumeCurrentThread";
}

function scheduleChooseNewThread(ks: KernelState): void {
  if (ks.domainTime === 0n) nextDomain(ks);
  chooseThread(ks);
}

export function isEndMarker(e: DomainScheduleEntry): boolean {
  return e.domain === 0 && e.duration === 0n;
}

function nextDomain(ks: KernelState): void {
  ks.domScheduleIdx++;
  if (isEndMarker(ks.domSchedule[ks.domScheduleIdx]!)) ks.domScheduleIdx = ks.domScheduleStart;
  const entry = ks.domSchedule[ks.domScheduleIdx]!;
  ks.curDomain = entry.domain;
  ks.domainTime = entry.duration;
}

/** Whether any thread of any domain waits in a ready queue. */
export function anyThreadReady(ks: KernelState): boolean {
  for (const bitmap of ks.readyBitmap) for (const w of bitmap) if (w !== 0) return true;
  return false;
}

/** Runs the head of the highest non-empty queue of the current domain, else idle. */
export function chooseThread(ks: KernelState): void {
  const dom = ks.numDomains > 1 ? ks.curDomain : 0;
  const prio = getHighestPrio(ks, dom);
  if (prio < 0) {
    ks.currentThread = ks.idleThread;
    return;
  }
  const thread = ks.readyQueues[ready_queues_index(dom, prio)]![0]!;
  if (!thread.runnable) throw new Error(`queued thread "${thread.name}" is not runnable`);
  switchToThread(ks, thread);
}

/** Makes a thread current; it leaves its ready queue (the address space follows at exit). */
export function switchToThread(ks: KernelState, tcb: TCB): void {
  tcbSchedDequeue(ks, tcb);
  ks.currentThread = tcb;
}

/**
 * Prepares the current thread to return to user mode (activateThread): a
 * thread in Restart re-executes its last instruction (NextIP := FaultIP).
 */
export function activateThread(ks: KernelState): void {
  const cur = ks.currentThread;
  switch (cur.state.type) {
    case "Running":
    case "IdleThreadState":
      return;
    case "Restart":
      cur.nextIP = cur.faultIP;
      setThreadState(ks, cur, { type: "Running" });
      return;
    default:
      throw new Error(`current thread "${cur.name}" is blocked (${cur.state.type})`);
  }
}

// ---- time

/**
 * One kernel timer tick (timerTick): a Running current thread uses up a tick
 * of its slice; at the end it gets a new slice and goes to the tail of its
 * queue. With several domains, the domain's time runs down too.
 */
export function timerTick(ks: KernelState): void {
  const cur = ks.currentThread;
  if (cur.state.type === "Running") {
    if (cur.timeSlice > 1) {
      cur.timeSlice--;
    } else {
      cur.timeSlice = CONFIG_TIME_SLICE;
      tcbSchedAppend(ks, cur);
      rescheduleRequired(ks);
    }
  }
  if (ks.numDomains > 1) {
    ks.domainTime--;
    if (ks.domainTime === 0n) rescheduleRequired(ks);
  }
}

/** Yield: to the tail of the queue, and choose (handleYield). */
export function handleYield(ks: KernelState): void {
  const cur = ks.currentThread;
  tcbSchedDequeue(ks, cur);
  tcbSchedAppend(ks, cur);
  rescheduleRequired(ks);
}

// ---- priorities and domains

export function setPriority(ks: KernelState, tcb: TCB, prio: number): void {
  tcbSchedDequeue(ks, tcb);
  tcb.priority = prio;
  if (tcb.runnable) {
    if (tcb === ks.currentThread) rescheduleRequired(ks);
    else possibleSwitchTo(ks, tcb);
  }
}

export function setMCPriority(tcb: TCB, mcp: number): void {
  tcb.mcp = mcp;
}

export function setDomain(ks: KernelState, tcb: TCB, dom: number): void {
  tcbSchedDequeue(ks, tcb);
  tcb.domain = dom;
  if (tcb.runnable) tcbSchedEnqueue(ks, tcb);
  if (tcb === ks.currentThread) rescheduleRequired(ks);
}

/** The thread-state part of suspend: a Running thread resumes after its syscall later. */
export function prepareSuspend(ks: KernelState, tcb: TCB): void {
  if (tcb.state.type === "Running") updateRestartPC(tcb);
  tcbSchedDequeue(ks, tcb);
}
