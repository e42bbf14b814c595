// ASID pools (seL4/seL4: src/arch/riscv/kernel/vspace.c): each pool maps
// 2^seL4_ASIDPoolIndexBits ASIDs to the root page tables assigned to them.

export const seL4_ASIDPoolIndexBits = 9;
export const seL4_NumASIDPoolsBits = 7;
export const ASID_POOL_SIZE = 1 << seL4_ASIDPoolIndexBits;

export class ASIDPool {
  /** Root page table physical address per ASID low bits; undefined = free. */
  readonly entries: (bigint | undefined)[] = new Array(ASID_POOL_SIZE).fill(undefined);

  constructor(readonly paddr: bigint) {}
}
