// Hand-encoded RV64 instructions for tests that lay out guest code word by
// word (unprivileged spec 2.2-2.5: I, S, B and J formats).

/** An I-type instruction with funct3 f3 and the given opcode: (rd, rs1, imm). */
export const iType =
  (f3: number, opcode: number) =>
  (rd: number, rs1: number, imm: number): number =>
    ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;

/** A store with funct3 f3: (rs1 = base, rs2 = value, imm). */
export const sType =
  (f3: number) =>
  (rs1: number, rs2: number, imm: number): number =>
    (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | 0x23;

export const addi = iType(0, 0x13);
export const ld = iType(3, 0x03);
export const sd = sType(3);
export const sw = sType(2);
export const sb = sType(0);

export const add = (rd: number, rs1: number, rs2: number): number =>
  (rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33;

/** blt rs1, rs2, imm (bytes from this instruction). */
export const blt = (rs1: number, rs2: number, imm: number): number =>
  (((imm >> 12) & 1) << 31) |
  (((imm >> 5) & 0x3f) << 25) |
  (rs2 << 20) |
  (rs1 << 15) |
  (4 << 12) |
  (((imm >> 1) & 0xf) << 8) |
  (((imm >> 11) & 1) << 7) |
  0x63;

/** j imm (jal x0, bytes from this instruction). */
export const j = (imm: number): number =>
  (((imm >> 20) & 1) << 31) |
  (((imm >> 1) & 0x3ff) << 21) |
  (((imm >> 11) & 1) << 20) |
  (((imm >> 12) & 0xff) << 12) |
  0x6f;

/** Instruction words as little-endian bytes. */
export function code(...words: number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const v = new DataView(b.buffer);
  for (const [i, w] of words.entries()) v.setUint32(i * 4, w >>> 0, true);
  return b;
}
