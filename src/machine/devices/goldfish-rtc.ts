// The goldfish real-time clock ("google,goldfish-rtc") of QEMU's virt board:
// a 64-bit count of nanoseconds since the Unix epoch, and one alarm on PLIC
// source 11. Registers as Linux's drivers/rtc/rtc-goldfish.c and QEMU 7.2's
// hw/rtc/goldfish_rtc.c use them (32-bit accesses):
//
//   offset  read                          write
//   0x00    TIME_LOW (latches TIME_HIGH)  TIME_LOW (sets the clock's low half)
//   0x04    TIME_HIGH (the latched half)  TIME_HIGH (sets the high half)
//   0x08    ALARM_LOW                     ALARM_LOW (arms the alarm)
//   0x0c    ALARM_HIGH                    ALARM_HIGH (write it first)
//   0x10    IRQ_ENABLED                   IRQ_ENABLED (bit 0)
//   0x14    -                             CLEAR_ALARM (disarms)
//   0x18    ALARM_STATUS (1 while armed)  -
//   0x1c    -                             CLEAR_INTERRUPT
//
// Time is the machine's: nanoseconds = RTC_EPOCH_NS + cycles * 10 (a nominal
// 100 MHz hart), so the same run reads the same times. QEMU reads the host's
// clock instead.

/** 2026-01-01T00:00:00Z in nanoseconds since the Unix epoch: the time at reset. */
export const RTC_EPOCH_NS = 1_767_225_600n * 1_000_000_000n;
/** Nanoseconds per hart cycle (100 MHz). */
const NS_PER_CYCLE = 10n;

const TIME_LOW = 0x00;
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08;
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

const MASK32 = 0xffff_ffffn;

export class GoldfishRtc {
  /** Added to the machine's time: what guest writes to TIME_* moved the clock by. */
  private offsetNs = 0n;
  private timeHigh = 0;
  private alarmNext = 0n;
  private alarmRunning = false;
  private irqEnabled = false;
  private irqPending = false;

  /**
   * @param cycles the machine's cycle count (time since reset)
   * @param irq drives PLIC source 11
   */
  constructor(
    private readonly cycles: () => bigint,
    private readonly irq: (level: boolean) => void = () => {},
  ) {}

  /** The clock now, in nanoseconds since the Unix epoch. */
  now(): bigint {
    return (RTC_EPOCH_NS + this.cycles() * NS_PER_CYCLE + this.offsetNs) & 0xffff_ffff_ffff_ffffn;
  }

  /** The machine cycle at which the armed alarm fires, or undefined when none is armed. */
  alarmCycle(): bigint | undefined {
    if (!this.alarmRunning) return undefined;
    const ns = this.alarmNext - RTC_EPOCH_NS - this.offsetNs;
    // Round up: the alarm fires once the clock has reached it.
    return ns <= 0n ? 0n : (ns + NS_PER_CYCLE - 1n) / NS_PER_CYCLE;
  }

  /** Fires the alarm if its time has come; the machine calls this between slices. */
  tick(): void {
    if (this.alarmRunning && this.now() >= this.alarmNext) this.raiseAlarm();
  }

  load(offset: number, _size: number): number {
    switch (offset) {
      case TIME_LOW: {
        const t = this.now();
        this.timeHigh = Number(t >> 32n);
        return Number(t & MASK32);
      }
      case TIME_HIGH:
        return this.timeHigh;
      case ALARM_LOW:
        return Number(this.alarmNext & MASK32);
      case ALARM_HIGH:
        return Number(this.alarmNext >> 32n);
      case IRQ_ENABLED:
        return this.irqEnabled ? 1 : 0;
      case ALARM_STATUS:
        return this.alarmRunning ? 1 : 0;
      default:
        return 0;
    }
  }

  store(offset: number, _size: number, value: number): void {
    const v = BigInt(value >>> 0);
    switch (offset) {
      case TIME_LOW: {
        const t = this.now();
        this.offsetNs += ((t & ~MASK32) | v) - t;
        break;
      }
      case TIME_HIGH: {
        const t = this.now();
        this.offsetNs += ((t & MASK32) | (v << 32n)) - t;
        break;
      }
      case ALARM_LOW:
        this.alarmNext = (this.alarmNext & ~MASK32) | v;
        this.setAlarm();
        break;
      case ALARM_HIGH:
        this.alarmNext = (this.alarmNext & MASK32) | (v << 32n);
        break;
      case IRQ_ENABLED:
        this.irqEnabled = (value & 1) !== 0;
        this.update();
        break;
      case CLEAR_ALARM:
        this.alarmRunning = false;
        break;
      case CLEAR_INTERRUPT:
        this.irqPending = false;
        this.update();
        break;
    }
  }

  // An alarm at or before now fires at once; a later one waits (see tick()).
  private setAlarm(): void {
    if (this.alarmNext <= this.now()) this.raiseAlarm();
    else this.alarmRunning = true;
  }

  private raiseAlarm(): void {
    this.alarmRunning = false;
    this.irqPending = true;
    this.update();
  }

  // Drives the line whether or not it changed, as QEMU's goldfish_rtc_update.
  private update(): void {
    this.irq(this.irqPending && this.irqEnabled);
  }
}
