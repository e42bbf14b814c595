// setVMRootSatp and restoreContext: the hart state a thread is loaded into — its registers,
// U-mode at NextIP, mstatus.FS, and satp for roots below and above 4 GiB and
// ASIDs up to seL4's 16 bits.
import { describe, expect, it } from "vitest";
import { Hart } from "../../../machine/cpu/hart.js";
import { TCB } from "../../object/tcb.js";
import { restoreContext, setVMRootSatp } from "./registers.js";

const CSR_SATP = 0x180;
const CSR_MSTATUS = 0x300;
const SATP_MODE_SV39 = 8n << 60n;
const MSTATUS_FS_SHIFT = 13n;

function bankedHart(): Hart {
  const hart = new Hart(1 << 20, { load: () => undefined, store: () => false });
  hart.core.setTlbBanking(1);
  return hart;
}

const csr = (hart: Hart, n: number) => BigInt.asUintN(64, hart.core.readCsr(n));

describe("restoreContext", () => {
  for (const [root, asid] of [
    [0x8020_3000n, 0],
    [0x8020_3000n, 1],
    [0xffff_f000n, 0xffff],
    [0x1_2345_6000n, 0x1234],
    [0xfff_ffff_f000n, 0x8001],
  ] as const) {
    it(`satp for root 0x${root.toString(16)}, ASID ${asid}`, () => {
      const hart = bankedHart();
      const t = new TCB(0x8000_0000n);
      setVMRootSatp(t, root, asid);
      restoreContext(hart, t, undefined);
      expect(csr(hart, CSR_SATP)).toBe(SATP_MODE_SV39 | (BigInt(asid) << 44n) | (root >> 12n));
    });
  }

  it("loads the registers, NextIP and U-mode; FS Clean only for the FPU owner", () => {
    const hart = bankedHart();
    const t = new TCB(0x8000_0000n);
    for (let i = 1; i < 32; i++) t.regs[i] = BigInt(i) * 0x1_0000_0001n;
    t.nextIP = 0x1_2345_6788n;
    setVMRootSatp(t, 0x8020_3000n, 1);
    restoreContext(hart, t, t);
    for (let i = 1; i < 32; i++) expect(hart.x[i]).toBe(BigInt(i) * 0x1_0000_0001n);
    // run() starts from the pc in the host block.
    expect(hart.host32[0]! + hart.host32[1]! * 2 ** 32).toBe(0x1_2345_6788);
    expect(hart.core.getPriv()).toBe(0);
    expect((csr(hart, CSR_MSTATUS) >> MSTATUS_FS_SHIFT) & 3n).toBe(2n);
    restoreContext(hart, t, undefined);
    expect((csr(hart, CSR_MSTATUS) >> MSTATUS_FS_SHIFT) & 3n).toBe(0n);
  });
});
