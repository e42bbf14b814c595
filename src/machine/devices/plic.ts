// The platform-level interrupt controller of QEMU's virt board (SiFive PLIC,
// "riscv,plic0"): level-triggered sources, per-source priority, and per
// context enables, threshold and claim/complete. Sources: the RISC-V PLIC
// specification v1.0.0 and QEMU 7.2 hw/intc/sifive_plic.c + hw/riscv/virt.c
// (96 sources counting the reserved source 0, 3 priority bits, contexts "MS"
// per hart).
//
//   offset                          register
//   0x000000 + 4*src                priority of source src (1..95; 0 reserved)
//   0x001000 + 4*w                  pending bits of sources 32w..32w+31 (read-only)
//   0x002000 + 0x80*ctx + 4*w       enable bits of context ctx
//   0x200000 + 0x1000*ctx           priority threshold of context ctx
//   0x200004 + 0x1000*ctx           read: claim; write: complete
//
// Context 2h is hart h's M-mode (drives mip.MEIP), 2h+1 its S-mode (mip.SEIP).
//
// SPEC: a context's line is up while some source is pending, enabled for it,
// not claimed, and has priority above the context's threshold. A claim
// returns the highest-priority such source (ties: the lowest number), clears
// its pending bit and holds the source until the complete.
//
// TRICKY: the gateway is QEMU's, not the PLIC specification's. The spec's
// level-triggered gateway pends a source again at the complete while its
// device still holds the line high; QEMU 7.2's sifive_plic does not: a
// source pends each time its device drives the line high (QEMU's devices
// do so whenever they recompute their interrupt state, even if it was
// already high) and stops pending when the line goes low. Guests rely on
// it: xv6's UART handler never reads IIR, so THR-empty stays asserted
// after every interrupt; with the spec's gateway xv6 never leaves the
// interrupt handler.

/**
 * QEMU virt's VIRT_IRQCHIP_NUM_SOURCES: source 0 (reserved) and 1..95.
 * Probed on QEMU 7.2: enable word 3 (sources 96..127) reads 0, so there are
 * 96; its priority register for source 96 is writable, past the array (an
 * off-by-one in its range check), which mica does not copy.
 */
export const PLIC_NUM_SOURCES = 96;
/** VIRT_IRQCHIP_NUM_PRIO_BITS = 3: priorities 0..7 (0 = never interrupts). */
const PRIORITY_MASK = 7;
const WORDS = (PLIC_NUM_SOURCES + 31) >>> 5;

const PRIORITY_BASE = 0x0;
const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x200000;
const CONTEXT_STRIDE = 0x1000;

/** mip bits the contexts drive. */
export const IRQ_MEIP_BIT = 11;
export const IRQ_SEIP_BIT = 9;

/** Sets interrupt-pending bit `bit` of hart `hart` to `on`. */
export type HartLine = (hart: number, bit: number, on: boolean) => void;

export class Plic {
  readonly contexts: number;
  private readonly priority = new Uint32Array(PLIC_NUM_SOURCES);
  private readonly pending = new Uint32Array(WORDS);
  private readonly claimed = new Uint32Array(WORDS);
  private readonly enable: Uint32Array;
  private readonly threshold: Uint32Array;
  /** The line each context drives now, so the hart hears only changes. */
  private readonly line: Uint8Array;

  constructor(
    harts: number,
    private readonly setLine: HartLine,
  ) {
    this.contexts = harts * 2;
    this.enable = new Uint32Array(this.contexts * WORDS);
    this.threshold = new Uint32Array(this.contexts);
    this.line = new Uint8Array(this.contexts);
  }

  /**
   * A device drives source `src` (1..95) to `level`. Driving it high pends
   * the source, even when the line was high already (see the file comment);
   * driving it low drops a pending request.
   */
  setIrq(src: number, level: boolean): void {
    if (src <= 0 || src >= PLIC_NUM_SOURCES) throw new Error(`PLIC: no source ${src}`);
    const w = src >>> 5;
    const bit = 1 << (src & 31);
    if (level) {
      if ((this.pending[w]! & bit) !== 0) return;
      this.pending[w]! |= bit;
    } else {
      if ((this.pending[w]! & bit) === 0) return;
      this.pending[w]! &= ~bit;
    }
    this.update();
  }

  /** The source a claim by `ctx` would return now (0: none). */
  best(ctx: number): number {
    let best = 0;
    let bestPrio = this.threshold[ctx]!;
    for (let w = 0; w < WORDS; w++) {
      let bits = this.pending[w]! & ~this.claimed[w]! & this.enable[ctx * WORDS + w]!;
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const src = (w << 5) | b;
        const p = this.priority[src]!;
        if (p > bestPrio) {
          best = src;
          bestPrio = p;
        }
      }
    }
    return best;
  }

  load(offset: number, _size: number): number {
    const o = offset & ~3;
    if (o < PENDING_BASE) {
      const src = (o - PRIORITY_BASE) >>> 2;
      return src < PLIC_NUM_SOURCES ? this.priority[src]! : 0;
    }
    if (o < ENABLE_BASE) {
      const w = (o - PENDING_BASE) >>> 2;
      return w < WORDS ? this.pending[w]! >>> 0 : 0;
    }
    if (o < CONTEXT_BASE) {
      const ctx = ((o - ENABLE_BASE) / ENABLE_STRIDE) | 0;
      const w = ((o - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      return ctx < this.contexts && w < WORDS ? this.enable[ctx * WORDS + w]! >>> 0 : 0;
    }
    const ctx = ((o - CONTEXT_BASE) / CONTEXT_STRIDE) | 0;
    if (ctx >= this.contexts) return 0;
    const reg = (o - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (reg === 0) return this.threshold[ctx]!;
    if (reg === 4) return this.claim(ctx);
    return 0;
  }

  store(offset: number, _size: number, value: number): void {
    const o = offset & ~3;
    if (o < PENDING_BASE) {
      const src = (o - PRIORITY_BASE) >>> 2;
      if (src === 0 || src >= PLIC_NUM_SOURCES) return;
      this.priority[src] = value & PRIORITY_MASK;
      this.update();
      return;
    }
    // Pending bits are read-only (QEMU ignores the write too).
    if (o < ENABLE_BASE) return;
    if (o < CONTEXT_BASE) {
      const ctx = ((o - ENABLE_BASE) / ENABLE_STRIDE) | 0;
      const w = ((o - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      if (ctx >= this.contexts || w >= WORDS) return;
      // Source 0's enable bit is stored as QEMU does; it never pends.
      this.enable[ctx * WORDS + w] = value;
      this.update();
      return;
    }
    const ctx = ((o - CONTEXT_BASE) / CONTEXT_STRIDE) | 0;
    if (ctx >= this.contexts) return;
    const reg = (o - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (reg === 0) {
      this.threshold[ctx] = value & PRIORITY_MASK;
      this.update();
    } else if (reg === 4) {
      this.complete(value >>> 0);
    }
  }

  private claim(ctx: number): number {
    const src = this.best(ctx);
    if (src !== 0) {
      const bit = 1 << (src & 31);
      this.pending[src >>> 5]! &= ~bit;
      this.claimed[src >>> 5]! |= bit;
      this.update();
    }
    return src;
  }

  // SPEC: the complete names the source; QEMU 7.2 releases it whichever
  // context writes, and so do we.
  private complete(src: number): void {
    if (src === 0 || src >= PLIC_NUM_SOURCES) return;
    const w = src >>> 5;
    const bit = 1 << (src & 31);
    if ((this.claimed[w]! & bit) === 0) return;
    this.claimed[w]! &= ~bit;
    this.update();
  }

  /** Recomputes every context's line and tells the harts about changes. */
  private update(): void {
    for (let ctx = 0; ctx < this.contexts; ctx++) {
      const on = this.best(ctx) !== 0 ? 1 : 0;
      if (this.line[ctx] === on) continue;
      this.line[ctx] = on;
      this.setLine(ctx >>> 1, (ctx & 1) === 0 ? IRQ_MEIP_BIT : IRQ_SEIP_BIT, on === 1);
    }
  }
}
