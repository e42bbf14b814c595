// NS16550A UART, transmit side (TI PC16550D datasheet, register map below).
// Bytes written to THR go straight to the host console; the transmitter is
// always ready. Receive and interrupts come with the full board.
//
//   offset  read          write
//   0       RBR           THR  (DLL when LCR.DLAB)
//   1       IER           IER  (DLM when LCR.DLAB)
//   2       IIR           FCR
//   3       LCR           LCR
//   4       MCR           MCR
//   5       LSR           -
//   6       MSR           -
//   7       SCR           SCR

export const UART_SIZE = 0x100;

const LSR_THRE = 0x20; // transmit holding register empty
const LSR_TEMT = 0x40; // transmitter empty
const LCR_DLAB = 0x80;
const IIR_NO_INTERRUPT = 0x01;

export class UartNs16550a {
  private lcr = 0;
  private ier = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;

  constructor(private readonly output: (byte: number) => void) {}

  load(offset: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        return dlab ? this.dll : 0;
      case 1:
        return dlab ? this.dlm : this.ier;
      case 2:
        return IIR_NO_INTERRUPT;
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        return LSR_THRE | LSR_TEMT;
      case 7:
        return this.scr;
      default:
        return 0;
    }
  }

  store(offset: number, value: number): void {
    const v = value & 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        if (dlab) this.dll = v;
        else this.output(v);
        break;
      case 1:
        if (dlab) this.dlm = v;
        else this.ier = v & 0x0f;
        break;
      case 3:
        this.lcr = v;
        break;
      case 4:
        this.mcr = v;
        break;
      case 7:
        this.scr = v;
        break;
    }
  }
}
