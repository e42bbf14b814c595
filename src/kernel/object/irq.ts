// IRQControl and IRQHandler invocations, and interrupt delivery (seL4/seL4:
// src/object/interrupt.c, src/arch/riscv/object/interrupt.c; l4v
// spec/haskell/src/SEL4/Object/Interrupt.lhs). Each IRQ has a state and a
// kernel slot that may hold the notification cap its interrupts signal.

import { InvocationLabel } from "../api/generated/abi.js";
import { completeClaim, KERNEL_TIMER_IRQ, maskInterrupt, maxIRQ } from "../arch/riscv/interrupt.js";
import { cteDeleteOne, cteInsert, ensureEmptySlot } from "../cdt.js";
import type { Kernel } from "../kernel.js";
import { lookupTargetSlot } from "./cnode-invocation.js";
import { CTE } from "./cte.js";
import { done, fail, type Invocation, type InvocationResult } from "./invocation.js";
import { sendSignal } from "./notification.js";

/** seL4's irq_state_t. */
export const IRQState = { Inactive: 0, Signal: 1, Timer: 2, Reserved: 3 } as const;
export type IRQState = (typeof IRQState)[keyof typeof IRQState];

/** seL4's intStateIRQTable and intStateIRQNode: per IRQ, its state and its notification slot. */
export class InterruptState {
  readonly states = new Uint8Array(maxIRQ + 1);
  readonly node: readonly CTE[] = Array.from(
    { length: maxIRQ + 1 },
    (_, i) => new CTE("irq node", i),
  );

  constructor() {
    // The timer belongs to the kernel from boot (initIRQController).
    this.states[KERNEL_TIMER_IRQ] = IRQState.Timer;
  }
}

// Literal values: invocation.ts may still be loading when this module initialises.
const truncated: InvocationResult = { type: "error", error: { type: "TruncatedMessage" } };
const illegal: InvocationResult = { type: "error", error: { type: "IllegalOperation" } };

export function isIRQActive(kernel: Kernel, irq: number): boolean {
  return kernel.interrupts.states[irq] !== IRQState.Inactive;
}

/** Sets the state and masks the IRQ exactly when it becomes Inactive (seL4's setIRQState). */
export function setIRQState(kernel: Kernel, state: IRQState, irq: number): void {
  kernel.interrupts.states[irq] = state;
  maskInterrupt(kernel, state === IRQState.Inactive, irq);
}

/** Arch_checkIRQ: 1..maxIRQ. */
function checkIRQ(irq: bigint): InvocationResult | undefined {
  if (irq > BigInt(maxIRQ) || irq === 0n)
    return fail({ type: "RangeError", min: 1n, max: BigInt(maxIRQ) });
  return undefined;
}

export function decodeIRQControlInvocation(inv: Invocation): InvocationResult {
  const isGet = inv.label === InvocationLabel.IRQIssueIRQHandler;
  if (!isGet && inv.label !== InvocationLabel.RISCVIRQIssueIRQHandlerTrigger) return illegal;
  const argc = isGet ? 3 : 4;
  if (inv.mrs.length < argc || inv.extraCaps.length < 1) return truncated;
  // seL4: qemu-riscv-virt's PLIC driver cannot set triggers (no HAVE_SET_TRIGGER).
  if (!isGet) return illegal;
  const [irqWord, index, depth] = inv.mrs as [bigint, bigint, bigint];
  const bad = checkIRQ(irqWord);
  if (bad) return bad;
  const irq = Number(irqWord);
  if (isIRQActive(inv.kernel, irq)) return fail({ type: "RevokeFirst" });
  const dest = lookupTargetSlot(inv.extraCaps[0]!.cap, index, depth);
  if (!dest.ok) return fail(dest.error);
  const full = ensureEmptySlot(dest.slot);
  if (full) return fail(full);
  // invokeIRQControl
  setIRQState(inv.kernel, IRQState.Signal, irq);
  cteInsert({ type: "IRQHandlerCap", irq }, inv.slot, dest.slot);
  return done;
}

export function decodeIRQHandlerInvocation(inv: Invocation): InvocationResult {
  if (inv.cap.type !== "IRQHandlerCap") throw new Error("IRQHandler invocation on another cap");
  const irq = inv.cap.irq;
  const kernel = inv.kernel;
  switch (inv.label) {
    case InvocationLabel.IRQAckIRQ:
      completeClaim(kernel, irq);
      return done;
    case InvocationLabel.IRQSetIRQHandler: {
      if (inv.extraCaps.length < 1) return truncated;
      const { cap, slot } = inv.extraCaps[0]!;
      if (cap.type !== "NotificationCap" || !cap.canSend) {
        return fail({ type: "InvalidCapability", capNumber: 0 });
      }
      const irqSlot = kernel.interrupts.node[irq]!;
      cteDeleteOne(kernel, irqSlot);
      cteInsert(cap, slot, irqSlot);
      return done;
    }
    case InvocationLabel.IRQClearIRQHandler:
      cteDeleteOne(kernel, kernel.interrupts.node[irq]!);
      return done;
    default:
      return illegal;
  }
}

/** The last IRQHandler cap for irq is being deleted: drop its notification (deletingIRQHandler). */
export function deletingIRQHandler(kernel: Kernel, irq: number): void {
  cteDeleteOne(kernel, kernel.interrupts.node[irq]!);
}

/** After the slot is empty: the IRQ may be issued again (deletedIRQHandler). */
export function deletedIRQHandler(kernel: Kernel, irq: number): void {
  setIRQState(kernel, IRQState.Inactive, irq);
}

/**
 * An interrupt was taken (seL4's handleInterrupt): a Signal IRQ signals the
 * notification in its slot, if any; the source stays claimed until the
 * handler's Ack. The timer never comes here (it is mica's tick).
 */
export function handleInterrupt(kernel: Kernel, irq: number): void {
  if (irq > maxIRQ) {
    maskInterrupt(kernel, true, irq);
    return;
  }
  switch (kernel.interrupts.states[irq]) {
    case IRQState.Signal: {
      const cap = kernel.interrupts.node[irq]!.cap;
      if (cap.type === "NotificationCap" && cap.canSend) sendSignal(kernel, cap.obj, cap.badge);
      break;
    }
    case IRQState.Inactive:
      // seL4: masks it, leaving the claim open. mica also completes the claim,
      // so a source that becomes a Signal IRQ later is not stuck claimed.
      maskInterrupt(kernel, true, irq);
      completeClaim(kernel, irq);
      break;
    default:
      break;
  }
}
