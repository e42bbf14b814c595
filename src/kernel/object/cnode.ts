// CNode objects: 2^radix slots (seL4/seL4: src/object/cnode.c). Each slot
// is 2^seL4_SlotBits = 32 bytes of the object's physical memory; the slots'
// contents live here in TypeScript.

import { CTE } from "./cte.js";

export const seL4_SlotBits = 5;

export class CNode {
  readonly slots: CTE[];

  constructor(
    readonly paddr: bigint,
    readonly radix: number,
  ) {
    const name = `cnode@${paddr.toString(16)}`;
    this.slots = Array.from({ length: 2 ** radix }, (_, i) => new CTE(name, i));
  }
}
