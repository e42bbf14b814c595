import { describe, expect, it } from "vitest";
import { GoldfishRtc, RTC_EPOCH_NS } from "./goldfish-rtc.js";

const TIME_LOW = 0x00;
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08;
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

function rtc() {
  const clock = { cycles: 0n };
  const irq: boolean[] = [];
  const r = new GoldfishRtc(
    () => clock.cycles,
    (l) => irq.push(l),
  );
  const read = () => {
    const lo = r.load(TIME_LOW, 4);
    return (BigInt(r.load(TIME_HIGH, 4)) << 32n) | BigInt(lo);
  };
  return { r, clock, irq, read };
}

describe("goldfish RTC", () => {
  it("starts at 2026-01-01T00:00:00Z and counts 10 ns per cycle", () => {
    const { clock, read } = rtc();
    expect(read()).toBe(RTC_EPOCH_NS);
    expect(new Date(Number(RTC_EPOCH_NS / 1_000_000n)).toISOString()).toBe(
      "2026-01-01T00:00:00.000Z",
    );
    clock.cycles = 123n;
    expect(read()).toBe(RTC_EPOCH_NS + 1230n);
  });

  it("latches TIME_HIGH when TIME_LOW is read", () => {
    const { r, clock } = rtc();
    const lo = r.load(TIME_LOW, 4);
    const hi = r.load(TIME_HIGH, 4);
    clock.cycles = 1n << 40n; // the high half moves on
    expect(r.load(TIME_HIGH, 4)).toBe(hi);
    expect((BigInt(hi) << 32n) | BigInt(lo)).toBe(RTC_EPOCH_NS);
    r.load(TIME_LOW, 4);
    expect(r.load(TIME_HIGH, 4)).not.toBe(hi);
  });

  it("lets the guest set the time", () => {
    const { r, clock, read } = rtc();
    r.store(TIME_HIGH, 4, 0);
    r.store(TIME_LOW, 4, 1000);
    expect(read()).toBe(1000n);
    clock.cycles += 5n;
    expect(read()).toBe(1050n);
  });

  it("fires an armed alarm when the time comes, raising the line if enabled", () => {
    const { r, clock, irq } = rtc();
    const at = RTC_EPOCH_NS + 1000n; // 100 cycles from now
    r.store(IRQ_ENABLED, 4, 1);
    r.store(ALARM_HIGH, 4, Number(at >> 32n));
    r.store(ALARM_LOW, 4, Number(at & 0xffffffffn));
    expect(r.load(ALARM_STATUS, 4)).toBe(1);
    expect(r.alarmCycle()).toBe(100n);
    clock.cycles = 99n;
    r.tick();
    // Enabling drove the line (low): it is driven on every update, as QEMU's.
    expect(irq).toEqual([false]);
    clock.cycles = 100n;
    r.tick();
    expect(irq).toEqual([false, true]);
    expect(r.load(ALARM_STATUS, 4)).toBe(0);
    expect(r.alarmCycle()).toBeUndefined();
    r.store(CLEAR_INTERRUPT, 4, 1);
    expect(irq).toEqual([false, true, false]);
  });

  it("fires at once for an alarm in the past, and CLEAR_ALARM disarms", () => {
    const { r, clock, irq } = rtc();
    clock.cycles = 1000n;
    r.store(ALARM_HIGH, 4, Number(RTC_EPOCH_NS >> 32n));
    r.store(ALARM_LOW, 4, Number(RTC_EPOCH_NS & 0xffffffffn));
    expect(irq).toEqual([false]); // pending, but IRQ_ENABLED is 0
    r.store(IRQ_ENABLED, 4, 1);
    expect(irq).toEqual([false, true]);
    r.store(CLEAR_INTERRUPT, 4, 0);
    r.store(ALARM_HIGH, 4, 0xffffffff);
    r.store(ALARM_LOW, 4, 0);
    expect(r.load(ALARM_STATUS, 4)).toBe(1);
    expect(r.load(ALARM_HIGH, 4)).toBe(0xffffffff);
    r.store(CLEAR_ALARM, 4, 0);
    expect(r.load(ALARM_STATUS, 4)).toBe(0);
    expect(r.load(IRQ_ENABLED, 4)).toBe(1);
  });
});
