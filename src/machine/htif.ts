// HTIF "tohost"/"fromhost" mailbox (the riscv-tests and spike convention):
// the guest writes a command to the 64-bit word at symbol `tohost`.
//   bit 0 set           -> exit with status value >> 1
//   device 1, command 1 -> write the low byte to the console
// The host acknowledges a command by clearing tohost and writing fromhost.

import type { Hart } from "./cpu/hart.js";

export type HtifResult = { kind: "none" } | { kind: "exit"; code: number };

export class Htif {
  constructor(
    private readonly hart: Hart,
    private readonly tohost: bigint,
    private readonly fromhost: bigint | undefined,
    private readonly output: (byte: number) => void,
  ) {}

  /** Looks at the mailbox once; call between runs of the hart. */
  poll(): HtifResult {
    const v = this.hart.readU64(this.tohost);
    if (v === undefined || v === 0n) return { kind: "none" };
    if ((v & 1n) === 1n) return { kind: "exit", code: Number((v >> 1n) & 0xffffffffn) };
    const device = v >> 56n;
    const command = (v >> 48n) & 0xffn;
    if (device === 1n && command === 1n) this.output(Number(v & 0xffn));
    this.hart.writeU64(this.tohost, 0n);
    if (this.fromhost !== undefined)
      this.hart.writeU64(this.fromhost, (device << 56n) | (command << 48n) | 1n);
    return { kind: "none" };
  }
}
