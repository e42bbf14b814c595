// Instruction trace in the shape of spike's commit log
// (`core   0: 3 0x0000000080000000 (0x00000297) x5  0x0000000080000000`),
// so a mica trace can be diffed against spike's or QEMU's with little massaging.

import type { Hart } from "../machine/cpu/hart.js";

const hex = (v: bigint, width: number) => v.toString(16).padStart(width, "0");

export class Tracer {
  private prev: { pc: bigint; inst: number; priv: number } | undefined;
  private regs = new BigUint64Array(32);

  constructor(private readonly write: (line: string) => void) {}

  /** Called before each instruction: reports the previous one with the register it wrote. */
  readonly step = (hart: Hart): void => {
    this.report(hart);
    const core = hart.core;
    this.prev = { pc: hart.pc, inst: core.peekInst(), priv: core.getPriv() };
    this.regs.set(hart.x);
  };

  /** Reports the last instruction; call once the run has ended. */
  finish(hart: Hart): void {
    this.report(hart);
    this.prev = undefined;
  }

  private report(hart: Hart): void {
    const p = this.prev;
    if (!p) return;
    const width = (p.inst & 3) === 3 ? 8 : 4;
    let line = `core   0: ${p.priv} 0x${hex(p.pc, 16)} (0x${hex(BigInt(p.inst >>> 0), width)})`;
    for (let r = 1; r < 32; r++) {
      if (hart.x[r] !== this.regs[r]) {
        line += ` x${r.toString().padEnd(2)} 0x${hex(hart.x[r]!, 16)}`;
        break;
      }
    }
    this.write(line);
  }
}
