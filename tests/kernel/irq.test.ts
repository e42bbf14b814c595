// Interrupts end to end: tests/kernel/src/irq.c run as a root task
// (IRQControl_Get's errors, SetNotification, delivery and Ack with the UART's
// THR-empty interrupt, Clear, deleting the handler, badges OR-ed).
import { describe, it } from "vitest";
import { expectAllPassed, runKtest, testIds } from "../support/ktest-run.js";

const IDS = testIds("IRQ", 6);

describe("irq root task", () => {
  it("passes every IRQ test", () => expectAllPassed(runKtest("irq"), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("irq", ["--check"]), IDS));
});
