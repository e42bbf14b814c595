// Scheduling (seL4/seL4: src/kernel/thread.c, spec/haskell/src/SEL4/Kernel/Thread.lhs):
// ready queues per priority, round robin within a priority, the highest
// runnable priority first.

import type { TCB } from "./object/tcb.js";
import { CONFIG_TIME_SLICE, type KernelState } from "./state.js";

export function tcbSchedEnqueue(ks: KernelState, tcb: TCB): void {
  const q = ks.readyQueues[tcb.priority]!;
  if (!q.includes(tcb)) q.push(tcb);
}

export function tcbSchedDequeue(ks: KernelState, tcb: TCB): void {
  const q = ks.readyQueues[tcb.priority]!;
  const i = q.indexOf(tcb);
  if (i >= 0) q.splice(i, 1);
}

/** Moves a thread to the back of its priority's queue (time slice over, Yield). */
export function tcbSchedAppend(ks: KernelState, tcb: TCB): void {
  tcbSchedDequeue(ks, tcb);
  ks.readyQueues[tcb.priority]!.push(tcb);
}

/**
 * Picks the thread to run: the current one if still runnable and no
 * higher-priority thread is ready, else the head of the highest non-empty
 * queue. Returns undefined when nothing can run (the idle thread's turn).
 */
export function chooseThread(ks: KernelState): TCB | undefined {
  for (let p = ks.readyQueues.length - 1; p >= 0; p--) {
    const q = ks.readyQueues[p]!;
    for (const t of q) if (t.runnable) return t;
  }
  return undefined;
}

export function schedule(ks: KernelState): void {
  const cur = ks.currentThread;
  if (cur?.runnable) tcbSchedEnqueue(ks, cur);
  ks.currentThread = chooseThread(ks);
}

/** Makes a thread ready to run (seL4's possibleSwitchTo, simplified to enqueueing). */
export function possibleSwitchTo(ks: KernelState, tcb: TCB): void {
  tcbSchedEnqueue(ks, tcb);
}

/** Accounts one timer tick to the current thread; at the end of its slice it goes to the back. */
export function timerTick(ks: KernelState): void {
  const cur = ks.currentThread;
  if (!cur?.runnable) return;
  if (cur.timeSlice > 1) {
    cur.timeSlice--;
    return;
  }
  cur.timeSlice = CONFIG_TIME_SLICE;
  tcbSchedAppend(ks, cur);
}
