// seL4_MessageInfo (libsel4/mode_include/64/sel4/shared_types.bf):
//   63..12 label | 11..9 capsUnwrapped | 8..7 extraCaps | 6..0 length

export interface MessageInfo {
  readonly label: bigint;
  readonly capsUnwrapped: number;
  readonly extraCaps: number;
  readonly length: number;
}

export const seL4_MsgMaxLength = 120;
export const seL4_MsgMaxExtraCaps = 3;

export function messageInfoFromWord(w: bigint): MessageInfo {
  let length = Number(w & 0x7fn);
  // seL4: a length beyond the maximum is clamped (messageInfoFromWord).
  if (length > seL4_MsgMaxLength) length = seL4_MsgMaxLength;
  return {
    label: w >> 12n,
    capsUnwrapped: Number((w >> 9n) & 7n),
    extraCaps: Number((w >> 7n) & 3n),
    length,
  };
}

/**
 * messageInfoFromWord for a word given as its 32-bit halves (as TCB.regs32
 * holds it). PERF (sel4test): number arithmetic; the label becomes a BigInt
 * once (messageInfoFromWord took ~165 ms per run, this ~60 ms).
 */
export function messageInfoFromHalves(lo: number, hi: number): MessageInfo {
  let length = lo & 0x7f;
  if (length > seL4_MsgMaxLength) length = seL4_MsgMaxLength;
  return {
    label: BigInt(messageLabelFromHalves(lo, hi)),
    capsUnwrapped: (lo >>> 9) & 7,
    extraCaps: (lo >>> 7) & 3,
    length,
  };
}

/** The label (bits 63..12) of a message info word given as halves: exact, below 2^52. */
export function messageLabelFromHalves(lo: number, hi: number): number {
  return hi * 0x10_0000 + (lo >>> 12);
}

export function wordFromMessageInfo(m: MessageInfo): bigint {
  return (
    (BigInt.asUintN(52, m.label) << 12n) |
    (BigInt(m.capsUnwrapped & 7) << 9n) |
    (BigInt(m.extraCaps & 3) << 7n) |
    BigInt(m.length & 0x7f)
  );
}

/**
 * wordFromMessageInfo of the given fields, written as the 32-bit halves of
 * a register (words[2 * reg], words[2 * reg + 1], as TCB.regs32 holds
 * them). PERF (sel4test): no MessageInfo object, and BigInt arithmetic
 * only for a non-zero label.
 */
export function storeMessageInfo(
  words: Uint32Array,
  reg: number,
  label: bigint,
  capsUnwrapped: number,
  extraCaps: number,
  length: number,
): void {
  const l = label === 0n ? 0 : Number(BigInt.asUintN(52, label));
  const low = (capsUnwrapped & 7) * 0x200 + (extraCaps & 3) * 0x80 + (length & 0x7f);
  words[2 * reg] = (l % 0x10_0000) * 0x1000 + low;
  words[2 * reg + 1] = Math.floor(l / 0x10_0000);
}
