// Notification objects (seL4/seL4: src/object/notification.c): a word of
// accumulated badges, a queue of waiting threads, and a bound TCB.

import type { TCB } from "./tcb.js";

export type NotificationState = "Idle" | "Waiting" | "Active";

export class Notification {
  state: NotificationState = "Idle";
  word = 0n;
  readonly queue: TCB[] = [];
  boundTCB: TCB | undefined;

  constructor(readonly paddr: bigint) {}
}
