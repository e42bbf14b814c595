// setVSpaceRoot: the satp value the core ends up with, for roots below and
// above 4 GiB and for ASIDs up to seL4's 16 bits.
import { describe, expect, it } from "vitest";
import { Hart } from "../../../machine/cpu/hart.js";
import { setVSpaceRoot } from "./registers.js";

const CSR_SATP = 0x180;
const SATP_MODE_SV39 = 8n << 60n;

function satpFor(root: bigint, asid: number): bigint {
  const hart = new Hart(1 << 20, { load: () => undefined, store: () => false });
  hart.core.setTlbBanking(1);
  setVSpaceRoot(hart, root, asid);
  return BigInt.asUintN(64, hart.core.readCsr(CSR_SATP));
}

describe("setVSpaceRoot", () => {
  for (const [root, asid] of [
    [0x8020_3000n, 0],
    [0x8020_3000n, 1],
    [0xffff_f000n, 0xffff],
    [0x1_2345_6000n, 0x1234],
    [0xfff_ffff_f000n, 0x8001],
    [0xfff_ffff_ffff_f000n, 7],
  ] as const) {
    it(`root 0x${root.toString(16)}, ASID ${asid}`, () => {
      expect(satpFor(root, asid)).toBe(SATP_MODE_SV39 | (BigInt(asid) << 44n) | (root >> 12n));
    });
  }
});
