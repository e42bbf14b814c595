// Interrupt numbers and the interrupt hardware as seL4's RISC-V kernel sees
// it (seL4/seL4: src/arch/riscv/machine/hardware.c, object/interrupt.c):
// IRQ n is PLIC source n, 0 is irqInvalid, and the number after the last
// source is the kernel's timer.
//
// seL4: on qemu-riscv-virt seL4 completes each PLIC claim as soon as it
// takes the interrupt (a workaround for a QEMU bug), so Ack does nothing
// there. mica does what seL4 does on every other RISC-V board: the source
// stays claimed, and silent, until IRQHandler_Ack completes the claim.

import type { Kernel } from "../../kernel.js";
import { PLIC_MAX_IRQ, plicCompleteClaim, plicGetClaim, plicMaskIrq } from "./plic.js";

export const irqInvalid = 0;
/** The highest IRQ number (seL4's maxIRQ): the kernel timer. */
export const maxIRQ = PLIC_MAX_IRQ + 1;
export const KERNEL_TIMER_IRQ = maxIRQ;

/**
 * The IRQ to handle now: the PLIC's claim when the external line is up
 * (seL4's getActiveIRQ; the timer is mica's tick, not an interrupt line).
 * irqInvalid when nothing is claimable.
 */
export function getActiveIRQ(kernel: Kernel): number {
  const plic = kernel.plic;
  return plic === undefined ? irqInvalid : plicGetClaim(plic);
}

/** Masks or unmasks an IRQ at the controller (seL4's maskInterrupt). */
export function maskInterrupt(kernel: Kernel, disable: boolean, irq: number): void {
  if (irq === KERNEL_TIMER_IRQ) return; // mica's tick cannot be masked
  const plic = kernel.plic;
  if (plic !== undefined) plicMaskIrq(plic, disable, irq);
}

/** IRQHandler_Ack: completes the claim (seL4's plic_complete_claim). */
export function completeClaim(kernel: Kernel, irq: number): void {
  const plic = kernel.plic;
  if (plic !== undefined && irq !== KERNEL_TIMER_IRQ) plicCompleteClaim(plic, irq);
}
