import { describe, expect, it } from "vitest";
import { IRQ_MEIP_BIT, IRQ_SEIP_BIT, Plic } from "./plic.js";

const PRIORITY = (src: number) => 4 * src;
const PENDING = 0x1000;
const ENABLE = (ctx: number) => 0x2000 + 0x80 * ctx;
const THRESHOLD = (ctx: number) => 0x200000 + 0x1000 * ctx;
const CLAIM = (ctx: number) => THRESHOLD(ctx) + 4;

function plic(harts = 1) {
  const lines = new Map<string, boolean>();
  const changes: string[] = [];
  const p = new Plic(harts, (hart, bit, on) => {
    lines.set(`${hart}:${bit}`, on);
    changes.push(`${hart}:${bit}=${on ? 1 : 0}`);
  });
  const line = (hart: number, bit: number) => lines.get(`${hart}:${bit}`) ?? false;
  return { p, line, changes };
}

describe("PLIC", () => {
  it("raises a context's line only for an enabled source with priority above the threshold", () => {
    const { p, line } = plic();
    p.setIrq(10, true);
    expect(line(0, IRQ_MEIP_BIT)).toBe(false); // priority 0 and not enabled
    p.store(PRIORITY(10), 4, 1);
    expect(line(0, IRQ_MEIP_BIT)).toBe(false); // not enabled
    p.store(ENABLE(0), 4, 1 << 10);
    expect(line(0, IRQ_MEIP_BIT)).toBe(true);
    expect(line(0, IRQ_SEIP_BIT)).toBe(false); // context 1 did not enable it
    p.store(THRESHOLD(0), 4, 1);
    expect(line(0, IRQ_MEIP_BIT)).toBe(false); // priority must exceed the threshold
    p.store(THRESHOLD(0), 4, 0);
    expect(line(0, IRQ_MEIP_BIT)).toBe(true);
  });

  it("maps context 2h to hart h's MEIP and 2h+1 to its SEIP", () => {
    const { p, line } = plic(2);
    p.store(PRIORITY(5), 4, 3);
    p.store(ENABLE(3), 4, 1 << 5); // hart 1, S-mode
    p.setIrq(5, true);
    expect(line(1, IRQ_SEIP_BIT)).toBe(true);
    expect(line(1, IRQ_MEIP_BIT)).toBe(false);
    expect(line(0, IRQ_SEIP_BIT)).toBe(false);
  });

  it("claims the highest priority first, the lowest source on a tie", () => {
    const { p } = plic();
    for (const [src, prio] of [
      [3, 2],
      [7, 5],
      [9, 5],
      [40, 1],
    ] as const) {
      p.store(PRIORITY(src), 4, prio);
      p.setIrq(src, true);
    }
    p.store(ENABLE(1), 4, (1 << 3) | (1 << 7) | (1 << 9));
    p.store(ENABLE(1) + 4, 4, 1 << (40 - 32));
    expect(p.load(PENDING, 4)).toBe((1 << 3) | (1 << 7) | (1 << 9));
    expect(p.load(PENDING + 4, 4)).toBe(1 << 8);
    expect(p.load(CLAIM(1), 4)).toBe(7);
    expect(p.load(CLAIM(1), 4)).toBe(9);
    expect(p.load(CLAIM(1), 4)).toBe(3);
    expect(p.load(CLAIM(1), 4)).toBe(40);
    expect(p.load(CLAIM(1), 4)).toBe(0); // all claimed
    expect(p.load(PENDING, 4)).toBe(0); // a claim clears the pending bit
  });

  it("holds a claimed source until complete; it pends again only when its device drives it high again (QEMU)", () => {
    const { p, line, changes } = plic();
    p.store(PRIORITY(10), 4, 1);
    p.store(ENABLE(0), 4, 1 << 10);
    p.setIrq(10, true);
    expect(p.load(CLAIM(0), 4)).toBe(10);
    expect(line(0, IRQ_MEIP_BIT)).toBe(false);
    p.store(CLAIM(0), 4, 10); // complete; the level is still high, but QEMU does not re-pend
    expect(line(0, IRQ_MEIP_BIT)).toBe(false);
    expect(p.load(CLAIM(0), 4)).toBe(0);
    p.setIrq(10, true); // the device recomputes its state: still high, so a new request
    expect(line(0, IRQ_MEIP_BIT)).toBe(true);
    expect(p.load(CLAIM(0), 4)).toBe(10);
    p.setIrq(10, true); // while claimed: pends, taken after the complete
    expect(line(0, IRQ_MEIP_BIT)).toBe(false);
    p.store(CLAIM(0), 4, 10);
    expect(line(0, IRQ_MEIP_BIT)).toBe(true);
    p.setIrq(10, false);
    expect(line(0, IRQ_MEIP_BIT)).toBe(false);
    expect(p.load(CLAIM(0), 4)).toBe(0);
    // The hart hears changes only.
    expect(changes).toEqual(["0:11=1", "0:11=0", "0:11=1", "0:11=0", "0:11=1", "0:11=0"]);
  });

  it("drops the pending bit when a level-triggered source is lowered before a claim", () => {
    const { p, line } = plic();
    p.store(PRIORITY(1), 4, 7);
    p.store(ENABLE(0), 4, 2);
    p.setIrq(1, true);
    p.setIrq(1, false);
    expect(line(0, IRQ_MEIP_BIT)).toBe(false);
    expect(p.load(PENDING, 4)).toBe(0);
  });

  it("keeps 3 priority bits, has sources 1..95 only, ignores writes to pending", () => {
    const { p } = plic();
    p.store(PRIORITY(95), 4, 0xff);
    expect(p.load(PRIORITY(95), 4)).toBe(7);
    p.store(PRIORITY(0), 4, 5);
    expect(p.load(PRIORITY(0), 4)).toBe(0);
    p.store(PRIORITY(96), 4, 5); // past the last source
    expect(p.load(PRIORITY(96), 4)).toBe(0);
    p.store(ENABLE(0), 4, 0xffffffff);
    expect(p.load(ENABLE(0), 4)).toBe(0xffffffff); // stored, as QEMU; source 0 never pends
    p.store(ENABLE(0) + 12, 4, 0xffffffff); // word 3 (sources 96..127): none exist
    expect(p.load(ENABLE(0) + 12, 4)).toBe(0);
    p.store(PENDING, 4, 0xffffffff);
    expect(p.load(PENDING, 4)).toBe(0);
    p.store(THRESHOLD(1), 4, 0x1f);
    expect(p.load(THRESHOLD(1), 4)).toBe(7);
    expect(() => p.setIrq(96, true)).toThrow();
  });

  it("ignores contexts past the last hart's", () => {
    const { p } = plic(1);
    p.store(ENABLE(2), 4, 0xffff);
    expect(p.load(ENABLE(2), 4)).toBe(0);
    p.store(THRESHOLD(2), 4, 3);
    expect(p.load(THRESHOLD(2), 4)).toBe(0);
    expect(p.load(CLAIM(5), 4)).toBe(0);
  });
});
