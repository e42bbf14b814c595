// NS16550A UART as QEMU's virt board has it (TI PC16550D datasheet; QEMU 7.2
// hw/char/serial.c for what a guest can observe): 16-byte receive FIFO fed
// from a host byte source, a transmitter that is always ready, and the
// interrupt logic on PLIC source 10.
//
//   offset  read          write           with LCR.DLAB
//   0       RBR           THR             DLL
//   1       IER           IER             DLM
//   2       IIR           FCR
//   3       LCR           LCR
//   4       MCR           MCR
//   5       LSR           -
//   6       MSR           -
//   7       SCR           SCR
//
// Interrupt identification, highest priority first (IIR bits 3..1):
//   011 receiver line status (LSR.OE/PE/FE/BI, enabled by IER.ELSI)
//   110 character timeout    (FIFO holds data below its trigger level, ERBFI)
//   010 received data        (LSR.DR; with FIFOs, at the trigger level, ERBFI)
//   001 THR empty            (IER.ETBEI; cleared by reading IIR or writing THR)
//   000 modem status         (MSR delta bits, IER.EDSSI)
// IIR bit 0 is 1 when nothing is pending; bits 7..6 are 11 with FIFOs on.

import type { ByteSource } from "../host-ports.js";

export const UART_SIZE = 0x100;

const IER_ERBFI = 0x01; // received data available
const IER_ETBEI = 0x02; // transmitter holding register empty
const IER_ELSI = 0x04; // receiver line status
const IER_EDSSI = 0x08; // modem status

const IIR_NO_INTERRUPT = 0x01;
const IIR_RLS = 0x06;
const IIR_RDA = 0x04;
const IIR_CTI = 0x0c;
const IIR_THRE = 0x02;
const IIR_MS = 0x00;
const IIR_ID = 0x0e;
const IIR_FIFOS_ON = 0xc0;

const FCR_ENABLE = 0x01;
const FCR_RX_RESET = 0x02;
const FCR_TX_RESET = 0x04;
/** The bits FCR keeps (DMA mode and the receive trigger level). */
const FCR_KEPT = 0xc9;

const LCR_DLAB = 0x80;
const MCR_LOOP = 0x10;
const MCR_OUT2 = 0x08;

const LSR_DR = 0x01; // data ready
const LSR_OE = 0x02; // overrun error
const LSR_BI = 0x10; // break interrupt
const LSR_THRE = 0x20; // transmit holding register empty
const LSR_TEMT = 0x40; // transmitter empty
/** Line-status conditions that raise the RLS interrupt (OE, PE, FE, BI). */
const LSR_INT_ANY = 0x1e;

const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_DCD = 0x80;
const MSR_DELTAS = 0x0f;

const FIFO_SIZE = 16;
/** FCR bits 7..6 -> receive FIFO trigger level. */
const TRIGGER_LEVELS = [1, 4, 8, 14] as const;

/** The UART's output pin to the interrupt controller. */
export type IrqLine = (level: boolean) => void;

export class UartNs16550a {
  private ier = 0;
  private iir = IIR_NO_INTERRUPT;
  private fcr = 0;
  private lcr = 0;
  private mcr = MCR_OUT2;
  private lsr = LSR_TEMT | LSR_THRE;
  private msr = MSR_DCD | MSR_DSR | MSR_CTS;
  private scr = 0;
  // QEMU's reset divisor: 0x000c, 9600 baud from the 1.8432 MHz clock.
  private dll = 0x0c;
  private dlm = 0;
  /** The receive buffer when FIFOs are off. */
  private rbr = 0;
  private thrPending = false;
  private timeoutPending = false;
  // PERF: a ring of 16 bytes, no allocation per character.
  private readonly rx = new Uint8Array(FIFO_SIZE);
  private rxHead = 0;
  private rxCount = 0;
  private triggerLevel = 1;

  constructor(
    private readonly output: (byte: number) => void,
    private readonly input: ByteSource | undefined = undefined,
    private readonly irq: IrqLine = () => {},
  ) {}

  load(offset: number, _size: number): number {
    switch (offset) {
      case 0:
        if (this.lcr & LCR_DLAB) return this.dll;
        return this.readRbr();
      case 1:
        return this.lcr & LCR_DLAB ? this.dlm : this.ier;
      case 2: {
        const v = this.iir;
        // Reading IIR while it reports THR empty acknowledges that interrupt.
        if ((v & IIR_ID) === IIR_THRE) {
          this.thrPending = false;
          this.update();
        }
        return v;
      }
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5: {
        this.pollInput();
        const v = this.lsr;
        // Overrun and break are reported once.
        if (v & (LSR_BI | LSR_OE)) {
          this.lsr &= ~(LSR_BI | LSR_OE);
          this.update();
        }
        return v;
      }
      case 6: {
        if (this.mcr & MCR_LOOP) {
          // Loopback: the modem control outputs appear on the inputs.
          return ((this.mcr & 0x0c) << 4) | ((this.mcr & 0x02) << 3) | ((this.mcr & 0x01) << 5);
        }
        const v = this.msr;
        if (v & MSR_DELTAS) {
          this.msr &= ~MSR_DELTAS;
          this.update();
        }
        return v;
      }
      case 7:
        return this.scr;
      default:
        return 0;
    }
  }

  store(offset: number, _size: number, value: number): void {
    const v = value & 0xff;
    switch (offset) {
      case 0:
        if (this.lcr & LCR_DLAB) this.dll = v;
        else this.writeThr(v);
        break;
      case 1:
        if (this.lcr & LCR_DLAB) {
          this.dlm = v;
          break;
        }
        this.writeIer(v & 0x0f);
        break;
      case 2:
        this.writeFcr(v);
        break;
      case 3:
        this.lcr = v;
        break;
      case 4:
        this.mcr = v & 0x1f;
        break;
      case 7:
        this.scr = v;
        break;
    }
  }

  /**
   * Takes bytes from the input source while the receiver has room; the
   * machine calls this between slices, the UART itself when the guest reads
   * LSR, enables receive interrupts or writes FCR.
   */
  pollInput(): void {
    const src = this.input;
    if (src === undefined || this.mcr & MCR_LOOP) return;
    let got = false;
    while (this.hasRoom()) {
      const b = src.read();
      if (b < 0) break;
      this.receive(b);
      got = true;
    }
    if (this.fcr & FCR_ENABLE) this.checkTimeout();
    if (got) this.update();
  }

  // TRICKY: the transmitter sends at once (as QEMU's does to a ready
  // backend), so THR is empty again by the next instruction: the THRE
  // interrupt re-arms immediately after each write.
  private writeThr(v: number): void {
    this.thrPending = false;
    this.lsr &= ~(LSR_THRE | LSR_TEMT);
    this.update();
    if (this.mcr & MCR_LOOP) this.receive(v);
    else this.output(v);
    this.lsr |= LSR_THRE | LSR_TEMT;
    this.thrPending = true;
    this.update();
  }

  private writeIer(v: number): void {
    const changed = (this.ier ^ v) & 0x0f;
    this.ier = v;
    // Enabling ETBEI while THR is empty raises the THRE interrupt again, even
    // after an IIR read acknowledged it (QEMU and real parts do this).
    if (changed & IER_ETBEI) this.thrPending = (v & IER_ETBEI) !== 0 && (this.lsr & LSR_THRE) !== 0;
    if (v & IER_ERBFI) this.pollInput();
    if (changed) this.update();
  }

  private writeFcr(v: number): void {
    // Turning the FIFOs on or off empties them.
    if ((v ^ this.fcr) & FCR_ENABLE) v |= FCR_RX_RESET | FCR_TX_RESET;
    if (v & FCR_RX_RESET) {
      this.lsr &= ~(LSR_DR | LSR_BI);
      this.timeoutPending = false;
      this.rxHead = 0;
      this.rxCount = 0;
    }
    if (v & FCR_TX_RESET) {
      this.lsr |= LSR_THRE;
      this.thrPending = true;
    }
    this.fcr = v & FCR_KEPT;
    if (this.fcr & FCR_ENABLE) {
      this.iir |= IIR_FIFOS_ON;
      this.triggerLevel = TRIGGER_LEVELS[this.fcr >>> 6]!;
    } else {
      this.iir &= ~IIR_FIFOS_ON;
    }
    this.pollInput();
    this.update();
  }

  private readRbr(): number {
    let v: number;
    if (this.fcr & FCR_ENABLE) {
      v = 0;
      if (this.rxCount > 0) {
        v = this.rx[this.rxHead]!;
        this.rxHead = (this.rxHead + 1) & (FIFO_SIZE - 1);
        this.rxCount--;
      }
      if (this.rxCount === 0) this.lsr &= ~(LSR_DR | LSR_BI);
      this.timeoutPending = false;
    } else {
      v = this.rbr;
      this.lsr &= ~(LSR_DR | LSR_BI);
    }
    // TRICKY: no refill here. The next byte arrives at the next LSR read
    // or between slices, as on QEMU, where it comes from the event loop
    // after the read: a guest that reads RBR and then resets the FIFOs must
    // not lose a byte that no real UART would have received yet.
    this.update();
    return v;
  }

  private hasRoom(): boolean {
    return this.fcr & FCR_ENABLE ? this.rxCount < FIFO_SIZE : (this.lsr & LSR_DR) === 0;
  }

  private receive(b: number): void {
    if (this.fcr & FCR_ENABLE) {
      // An overrun keeps the FIFO's contents and drops the new byte.
      if (this.rxCount === FIFO_SIZE) {
        this.lsr |= LSR_OE;
      } else {
        this.rx[(this.rxHead + this.rxCount) & (FIFO_SIZE - 1)] = b;
        this.rxCount++;
      }
    } else {
      if (this.lsr & LSR_DR) this.lsr |= LSR_OE;
      this.rbr = b;
    }
    this.lsr |= LSR_DR;
  }

  // The character timeout: data sits in the FIFO below the trigger level.
  // A real UART waits four character times for more; mica has no
  // character clock, and raises it as soon as the source has nothing more
  // to give (see docs/memory-map.md).
  private checkTimeout(): void {
    this.timeoutPending = this.rxCount > 0 && this.rxCount < this.triggerLevel;
  }

  /** Recomputes IIR and drives the interrupt line. */
  private update(): void {
    const ier = this.ier;
    let id = IIR_NO_INTERRUPT;
    if (ier & IER_ELSI && this.lsr & LSR_INT_ANY) id = IIR_RLS;
    else if (ier & IER_ERBFI && this.timeoutPending) id = IIR_CTI;
    else if (
      ier & IER_ERBFI &&
      this.lsr & LSR_DR &&
      (!(this.fcr & FCR_ENABLE) || this.rxCount >= this.triggerLevel)
    )
      id = IIR_RDA;
    else if (ier & IER_ETBEI && this.thrPending) id = IIR_THRE;
    else if (ier & IER_EDSSI && this.msr & MSR_DELTAS) id = IIR_MS;
    this.iir = id | (this.iir & 0xf0);
    // The line is driven on every update, changed or not, as QEMU's
    // serial_update_irq does: the PLIC takes a high level as a new request.
    this.irq(id !== IIR_NO_INTERRUPT);
  }
}
