import { describe, expect, it } from "vitest";
import type { ByteSource } from "../host-ports.js";
import { UartNs16550a } from "./uart-ns16550a.js";

const RBR = 0;
const IER = 1;
const IIR = 2;
const FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

function source(bytes: number[]): ByteSource & { left: () => number } {
  let i = 0;
  return { read: () => (i < bytes.length ? bytes[i++]! : -1), left: () => bytes.length - i };
}

function uart(input?: ByteSource) {
  const out: number[] = [];
  const irq: boolean[] = [];
  const u = new UartNs16550a(
    (b) => out.push(b),
    input,
    (l) => irq.push(l),
  );
  const line = () => irq.at(-1) ?? false;
  return { u, out, irq, line };
}

describe("NS16550A UART", () => {
  it("resets as QEMU's: IIR no interrupt, LSR THRE|TEMT, MCR OUT2, MSR DCD|DSR|CTS, divisor 12", () => {
    const { u } = uart();
    expect(u.load(IIR, 1)).toBe(0x01);
    expect(u.load(LSR, 1)).toBe(0x60);
    expect(u.load(MCR, 1)).toBe(0x08);
    expect(u.load(MSR, 1)).toBe(0xb0);
    u.store(LCR, 1, 0x83);
    expect(u.load(RBR, 1)).toBe(0x0c);
    expect(u.load(IER, 1)).toBe(0);
  });

  it("transmits THR writes and keeps DLL/DLM, SCR apart", () => {
    const { u, out } = uart();
    u.store(RBR, 1, 0x41);
    u.store(LCR, 1, 0x80);
    u.store(RBR, 1, 0x03); // DLL, not THR
    u.store(IER, 1, 0x00); // DLM
    expect(u.load(RBR, 1)).toBe(0x03);
    u.store(LCR, 1, 0x03);
    u.store(SCR, 1, 0x5a);
    expect(u.load(SCR, 1)).toBe(0x5a);
    expect(out).toEqual([0x41]);
  });

  it("raises THRE when ETBEI is set; an IIR read acknowledges it, a THR write re-arms it", () => {
    const { u, line } = uart();
    u.store(IER, 1, 0x02);
    expect(line()).toBe(true);
    expect(u.load(IIR, 1)).toBe(0x02);
    expect(line()).toBe(false);
    expect(u.load(IIR, 1)).toBe(0x01);
    u.store(RBR, 1, 0x42);
    expect(line()).toBe(true);
    expect(u.load(IIR, 1)).toBe(0x02);
    // Toggling ETBEI re-raises it while THR is empty.
    u.store(IER, 1, 0);
    u.store(IER, 1, 0x02);
    expect(line()).toBe(true);
  });

  it("fills the 16-byte FIFO from the source, reports DR and FIFO bits in IIR", () => {
    const src = source(Array.from({ length: 20 }, (_, i) => 0x30 + i));
    const { u } = uart(src);
    u.store(FCR, 1, 0x07); // enable + reset both, trigger level 1
    expect(src.left()).toBe(4); // 16 taken, 4 wait for room
    expect(u.load(IIR, 1) & 0xc0).toBe(0xc0);
    expect(u.load(LSR, 1) & 0x01).toBe(1);
    const got: number[] = [];
    while (u.load(LSR, 1) & 1) got.push(u.load(RBR, 1));
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => 0x30 + i));
    expect(u.load(LSR, 1)).toBe(0x60);
  });

  it("raises received-data at the trigger level, and the character timeout below it", () => {
    const src = source([1, 2, 3, 4, 5]);
    const { u, line } = uart(src);
    u.store(FCR, 1, 0x81); // FIFO on, trigger level 8
    u.store(IER, 1, 0x01);
    expect(line()).toBe(true);
    expect(u.load(IIR, 1)).toBe(0xcc); // timeout: 5 bytes < 8 and no more coming
    for (let i = 1; i <= 5; i++) expect(u.load(RBR, 1)).toBe(i);
    expect(line()).toBe(false);
    expect(u.load(IIR, 1)).toBe(0xc1);
  });

  it("gives received data priority over THR empty, and line status over both", () => {
    const src = source([0x61]);
    const { u, line } = uart(src);
    u.store(IER, 1, 0x07); // ERBFI | ETBEI | ELSI, FIFOs off
    expect(u.load(IIR, 1)).toBe(0x04);
    expect(u.load(RBR, 1)).toBe(0x61);
    expect(u.load(IIR, 1)).toBe(0x02);
    expect(u.load(IIR, 1)).toBe(0x01);
    expect(line()).toBe(false);
    // An overrun, made through loopback: two bytes into a one-byte holding register.
    u.store(MCR, 1, 0x10);
    u.store(RBR, 1, 0x01);
    u.store(RBR, 1, 0x02);
    expect(u.load(IIR, 1)).toBe(0x06);
    expect(u.load(LSR, 1) & 0x03).toBe(0x03); // DR | OE, and the read clears OE
    expect(u.load(IIR, 1)).toBe(0x04);
    expect(u.load(RBR, 1)).toBe(0x02);
  });

  it("empties the receive FIFO on FCR reset and on enabling or disabling FIFOs", () => {
    const src = source([9, 9, 9]);
    const { u } = uart(src);
    u.store(FCR, 1, 0x01);
    expect(u.load(LSR, 1) & 1).toBe(1);
    u.store(FCR, 1, 0x03); // reset RX: the source is empty now
    expect(u.load(LSR, 1) & 1).toBe(0);
  });

  it("reflects MCR on MSR in loopback mode", () => {
    const { u } = uart();
    u.store(MCR, 1, 0x1f);
    expect(u.load(MSR, 1)).toBe(0xf0);
  });
});
