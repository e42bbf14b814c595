// TLB banks (core/mmu.ts, setTlbBanking) as a host kernel uses them: U-mode
// code at one virtual address in several address spaces, satp switched
// between runs. Each bank keeps the fetch page it was left on; these tests
// check that a switch never runs another space's code, and that a flush or a
// bank's reuse forgets the saved page.
import { describe, expect, it } from "vitest";
import { Exit } from "./core-module.js";
import { Hart, RAM_BASE } from "./hart.js";

const CODE_VA = 0x1_0000n;
const PTE_V = 1n;
const PTE_R = 2n;
const PTE_X = 8n;
const PTE_U = 16n;
const PTE_A = 64n;
const SATP_MODE_SV39_HI = 8 << 28;
const ECALL = 0x0000_0073;
/** addi a0, zero, imm */
const li_a0 = (imm: number) => ((imm << 20) | (10 << 7) | 0x13) >>> 0;

/** A hart with host traps for every exception and TLB banks on, in U-mode. */
function bankedHart(): Hart {
  const hart = new Hart(1 << 20, { load: () => undefined, store: () => false });
  hart.core.setHostTrapMask(0xffffn);
  hart.core.setTlbBanking(1);
  hart.core.enterUser(0, 0, 0);
  return hart;
}

/** Physical pages by index from RAM_BASE; page 0 is unused. */
const page = (i: number) => RAM_BASE + BigInt(i) * 4096n;

/**
 * Address space `n` (n >= 1): a root table, two lower tables and a code
 * page that sets a0 = n and traps (ecall), mapped at CODE_VA. Returns its
 * satp halves and the physical address of its leaf PTE.
 */
function addressSpace(hart: Hart, n: number): { lo: number; hi: number; leaf: bigint } {
  const base = 8 * n;
  const [root, l1, l0, code] = [page(base), page(base + 1), page(base + 2), page(base + 3)];
  const table = (pa: bigint) => ((pa >> 12n) << 10n) | PTE_V;
  hart.writeU64(root, table(l1));
  hart.writeU64(l1, table(l0));
  const leaf = l0 + (CODE_VA >> 12n) * 8n;
  hart.writeU64(leaf, ((code >> 12n) << 10n) | PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
  writeCode(hart, code, n);
  return { lo: Number(root >> 12n), hi: SATP_MODE_SV39_HI, leaf };
}

function writeCode(hart: Hart, pa: bigint, n: number): void {
  const words = hart.ramSlice(pa, 8)!;
  new DataView(words.buffer, words.byteOffset).setUint32(0, li_a0(n), true);
  new DataView(words.buffer, words.byteOffset).setUint32(4, ECALL, true);
}

/** Switches to `as` and runs from CODE_VA to the ecall; returns a0. */
function runIn(hart: Hart, as: { lo: number; hi: number }): bigint {
  hart.core.setSatp(as.lo, as.hi);
  hart.pc = CODE_VA;
  expect(hart.core.run(100)).toBe(Exit.HostTrap);
  expect(hart.pc).toBe(CODE_VA + 4n);
  return hart.x[10]!;
}

/** Address spaces 1 and 2, each run twice, alternately: both banks hold their code page. */
function twoWarmSpaces(hart: Hart) {
  const a = addressSpace(hart, 1);
  const b = addressSpace(hart, 2);
  for (let i = 0; i < 2; i++) {
    expect(runIn(hart, a)).toBe(1n);
    expect(runIn(hart, b)).toBe(2n);
  }
  return { a, b };
}

describe("TLB banks", () => {
  it("a thread resumed in another address space runs that space's code", () => {
    const hart = bankedHart();
    const a = addressSpace(hart, 1);
    const b = addressSpace(hart, 2);
    for (let i = 0; i < 4; i++) {
      expect(runIn(hart, a)).toBe(1n);
      expect(runIn(hart, b)).toBe(2n);
    }
  });

  it("flushTlb forgets the fetch page a bank was left on", () => {
    const hart = bankedHart();
    const { a } = twoWarmSpaces(hart);
    // Remap a's code page to b's code page while b runs, then flush, as a
    // kernel does after changing a page table.
    const bCode = page(8 * 2 + 3);
    hart.writeU64(a.leaf, ((bCode >> 12n) << 10n) | PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
    hart.core.flushTlb();
    expect(runIn(hart, a)).toBe(2n);
  });

  it("flushTlbPage forgets that page in every bank, the saved fetch pages included", () => {
    const hart = bankedHart();
    const { a, b } = twoWarmSpaces(hart);
    // Remap both spaces' code pages to each other's, then flush only that
    // page: each bank's entry and saved fetch page must go.
    const aCode = page(8 * 1 + 3);
    const bCode = page(8 * 2 + 3);
    hart.writeU64(a.leaf, ((bCode >> 12n) << 10n) | PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
    hart.writeU64(b.leaf, ((aCode >> 12n) << 10n) | PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
    hart.core.flushTlbPage(CODE_VA + 0x123n);
    expect(runIn(hart, a)).toBe(2n);
    expect(runIn(hart, b)).toBe(1n);
  });

  it("flushTlbPage keeps the translations of other pages", () => {
    const hart = bankedHart();
    const a = addressSpace(hart, 1);
    expect(runIn(hart, a)).toBe(1n);
    // Change the mapping without a flush: a flush of another page must not
    // drop the cached (now stale) entry, which shows it kept it.
    const other = page(8 * 2 + 3);
    writeCode(hart, other, 7);
    hart.writeU64(a.leaf, ((other >> 12n) << 10n) | PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
    hart.core.flushTlbPage(CODE_VA + 0x1000n);
    expect(runIn(hart, a)).toBe(1n);
    hart.core.flushTlbPage(CODE_VA);
    expect(runIn(hart, a)).toBe(7n);
  });

  it("a bank taken for a new satp value forgets its fetch page", () => {
    const hart = bankedHart();
    // Five spaces, four banks: the fifth takes the bank of the first.
    const spaces = [1, 2, 3, 4, 5].map((n) => addressSpace(hart, n));
    for (let round = 0; round < 3; round++) {
      spaces.forEach((as, i) => {
        expect(runIn(hart, as)).toBe(BigInt(i + 1));
      });
    }
  });

  it("taking the bank in use for a new satp value forgets the live fetch page", () => {
    const hart = bankedHart();
    const spaces = [1, 2, 3, 4].map((n) => addressSpace(hart, n));
    for (const as of spaces) runIn(hart, as);
    // The oldest bank is the first space's; run there, then a new space takes it.
    expect(runIn(hart, spaces[0]!)).toBe(1n);
    expect(runIn(hart, addressSpace(hart, 5))).toBe(5n);
    expect(runIn(hart, spaces[0]!)).toBe(1n);
  });

  it("a switch to the bank in use keeps running the same space", () => {
    const hart = bankedHart();
    const a = addressSpace(hart, 1);
    expect(runIn(hart, a)).toBe(1n);
    expect(runIn(hart, a)).toBe(1n);
  });
});
