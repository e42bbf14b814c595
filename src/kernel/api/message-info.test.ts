// The message-info word and its 32-bit-halves forms agree (seL4_MessageInfo:
// label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0).
import { describe, expect, it } from "vitest";

import {
  type MessageInfo,
  messageInfoFromHalves,
  messageInfoFromWord,
  messageLabelFromHalves,
  storeMessageInfo,
  wordFromMessageInfo,
} from "./message-info.js";

const halves = (w: bigint): [number, number] => [Number(w & 0xffff_ffffn), Number(w >> 32n)];

const WORDS = [
  0n,
  0x7fn, // length 127: clamped to 120
  0x1_2345_6fffn,
  0xffff_ffff_ffff_ffffn,
  (0xabcdn << 12n) | (5n << 9n) | (2n << 7n) | 9n,
  (0xf_ffff_ffff_ffffn << 12n) | 3n,
];

describe("message info as halves", () => {
  it("decodes as messageInfoFromWord does, label included", () => {
    for (const w of WORDS) {
      const [lo, hi] = halves(w);
      expect(messageInfoFromHalves(lo, hi)).toEqual(messageInfoFromWord(w));
      expect(BigInt(messageLabelFromHalves(lo, hi))).toBe(w >> 12n);
    }
  });

  it("stores the word wordFromMessageInfo makes, into a register's halves", () => {
    const infos: MessageInfo[] = [
      { label: 0n, capsUnwrapped: 0, extraCaps: 0, length: 0 },
      { label: 0x1234n, capsUnwrapped: 7, extraCaps: 3, length: 120 },
      { label: 0xf_ffff_ffff_ffffn, capsUnwrapped: 1, extraCaps: 1, length: 4 },
      // Out-of-field values are cut to their fields, as wordFromMessageInfo does.
      { label: (1n << 60n) | 0x10_0001n, capsUnwrapped: 9, extraCaps: 6, length: 0x85 },
    ];
    const regs = new BigUint64Array(3);
    const words = new Uint32Array(regs.buffer);
    for (const m of infos) {
      storeMessageInfo(words, 1, m.label, m.capsUnwrapped, m.extraCaps, m.length);
      expect(regs[1]).toBe(wordFromMessageInfo(m));
      expect(regs[0]).toBe(0n);
      expect(regs[2]).toBe(0n);
    }
  });
});
