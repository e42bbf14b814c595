// CNode objects: 2^radix slots (seL4/seL4: src/object/cnode.c). Each slot
// is 2^seL4_SlotBits = 32 bytes of the object's physical memory; the slots'
// contents live here in TypeScript.
//
// PERF (sel4test): a slot object is made the first time the slot is named,
// not when the CNode is created; an untouched slot holds the null cap. Big
// CNodes (2^13..2^20 slots) are made often and mostly left empty.

import { CTE } from "./cte.js";

export const seL4_SlotBits = 5;
const DENSE_TABLE_MAX_RADIX = 14;

export class CNode {
  /** Slots by index; a hole is a slot nobody has named yet (empty). */
  private readonly table: (CTE | undefined)[];
  /**
   * The indices of the named slots, ascending when `sorted`. PERF (sel4test):
   * deleting a big CNode visits only these, not all 2^radix indices.
   */
  private readonly named: number[] = [];
  private sorted = true;
  /** 2^radix. */
  readonly size: number;
  private readonly name: string;

  constructor(
    readonly paddr: bigint,
    readonly radix: number,
  ) {
    this.size = 2 ** radix;
    // PERF (sel4test): a table made at its full length keeps V8's fast
    // (holey) elements, indexed directly; one grown by sparse stores turns
    // into a hash table (~20 ns more per slot lookup, measured). Up to 2^14
    // slots (128 KiB) it is made whole.
    this.table = radix <= DENSE_TABLE_MAX_RADIX ? new Array(this.size) : [];
    this.name = `cnode@${paddr.toString(16)}`;
  }

  /** Slot i (0 <= i < size), made on first use. */
  slot(i: number): CTE {
    const s = this.table[i];
    if (s !== undefined) return s;
    if (!(i >= 0 && i < this.size)) throw new Error(`${this.name}: slot ${i} out of range`);
    const made = new CTE(this.name, i);
    this.table[i] = made;
    const named = this.named;
    if (named.length > 0 && i < named[named.length - 1]!) this.sorted = false;
    named.push(i);
    return made;
  }

  /** Slot i if it was ever named; otherwise undefined (the slot is empty). */
  peek(i: number): CTE | undefined {
    return this.table[i];
  }

  /** The slots named so far, in index order (the others are empty). */
  namedSlots(): CTE[] {
    return this.namedIndices().map((i) => this.table[i]!);
  }

  /** The highest index below n of a slot ever named, or -1 if there is none. */
  lastNamedBelow(n: number): number {
    const named = this.namedIndices();
    let lo = 0;
    let hi = named.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (named[mid]! < n) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? named[lo - 1]! : -1;
  }

  private namedIndices(): readonly number[] {
    if (!this.sorted) {
      this.named.sort((a, b) => a - b);
      this.sorted = true;
    }
    return this.named;
  }
}
