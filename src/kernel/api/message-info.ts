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

export function wordFromMessageInfo(m: MessageInfo): bigint {
  return (
    (BigInt.asUintN(52, m.label) << 12n) |
    (BigInt(m.capsUnwrapped & 7) << 9n) |
    (BigInt(m.extraCaps & 3) << 7n) |
    BigInt(m.length & 0x7f)
  );
}
