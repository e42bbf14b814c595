// Checks on interface/ itself: the tables are consistent with each other, and the numbers that
// releases moved match what seL4's own generators produce for each tag (the expected values
// below were read from headers generated from seL4/seL4 13.0.0, 14.0.0, 15.0.0 and 16.0.0).

import { describe, expect, it } from "vitest";
import {
  allMethods,
  checkLayout,
  DEFAULT_RELEASE,
  errors,
  faults,
  fieldPositions,
  invocationLabels,
  methodLayout,
  objectTypes,
  paramTypes,
  RELEASES,
  seL4_BootInfo,
  seL4_CapRights,
  seL4_CNode_CapData,
  seL4_Fault,
  seL4_IPCBuffer,
  seL4_MessageInfo,
  syscallNumbers,
} from "../../interface/index.js";

/** Label numbers that differ between releases (non-MCS, riscv64, no SMP). */
const LABELS = {
  "13.0": {
    TCBSetTLSBase: 15,
    CNodeRevoke: 16,
    CNodeSaveCaller: 24,
    IRQIssueIRQHandler: 25,
    DomainSetSet: 29,
    RISCVPageTableMap: 30,
    RISCVPageMap: 32,
    RISCVPageGetAddress: 34,
    RISCVIRQIssueIRQHandlerTrigger: 37,
  },
  "14.0": {
    TCBSetFlags: 16,
    CNodeRevoke: 17,
    CNodeSaveCaller: 25,
    IRQIssueIRQHandler: 26,
    DomainSetSet: 30,
    RISCVPageTableMap: 31,
    RISCVPageMap: 33,
    RISCVPageGetAddress: 35,
    RISCVIRQIssueIRQHandlerTrigger: 38,
  },
  "15.0": {
    TCBSetFlags: 16,
    DomainScheduleConfigure: 31,
    DomainScheduleSetStart: 32,
    RISCVPageTableMap: 33,
    RISCVPageMap: 35,
    RISCVPageGetAddress: 37,
    RISCVASIDPoolAssign: 39,
    RISCVIRQIssueIRQHandlerTrigger: 40,
  },
  "16.0": {
    UntypedRetype: 1,
    TCBConfigure: 5,
    TCBSetIPCBuffer: 9,
    TCBSetFlags: 16,
    CNodeCopy: 20,
    CNodeSaveCaller: 25,
    DomainScheduleSetStart: 32,
    RISCVPageTableMap: 33,
    RISCVPageMap: 35,
    RISCVASIDPoolAssign: 39,
    RISCVIRQIssueIRQHandlerTrigger: 40,
  },
} as const;

describe("interface/", () => {
  it.each(RELEASES)("numbers the invocation labels of seL4 %s as its generator does", (r) => {
    const { labels, nArchInvocationLabels } = invocationLabels(r);
    expect(labels).toMatchObject(LABELS[r]);
    expect(nArchInvocationLabels).toBe(LABELS[r].RISCVIRQIssueIRQHandlerTrigger + 1);
    if (r === "13.0") expect(labels).not.toHaveProperty("TCBSetFlags");
    if (r !== "15.0" && r !== "16.0") expect(labels).not.toHaveProperty("DomainScheduleConfigure");
  });

  it("numbers the syscalls positionally; DebugGetThreadAffinity (16.0) shifts DebugRun on", () => {
    const at = (r: (typeof RELEASES)[number], name: string) =>
      syscallNumbers(r).find((s) => s.name === name)?.number;
    for (const r of RELEASES) {
      expect(at(r, "Call")).toBe(-1);
      expect(at(r, "NBRecv")).toBe(-8);
      expect(at(r, "DebugPutChar")).toBe(-9);
      expect(at(r, "DebugNameThread")).toBe(-14);
      expect(at(r, "DebugSendIPI")).toBe(-15);
    }
    expect(at("15.0", "DebugRun")).toBe(-16);
    expect(at("16.0", "DebugGetThreadAffinity")).toBe(-16);
    expect(at("16.0", "DebugRun")).toBe(-17);
    expect(at("16.0", "SetTLSBase")).toBe(-30);
    expect(at("15.0", "SetTLSBase")).toBe(-29);
  });

  it("passes each argument the way its C type says (caps as extra caps)", () => {
    for (const m of allMethods) {
      for (const p of m.in) {
        const isCap = paramTypes[p.type].kind === "cap";
        expect({ method: m.label, param: p.name, via: p.via }).toEqual({
          method: m.label,
          param: p.name,
          via: isCap ? "cap" : "mr",
        });
      }
    }
  });

  it("has unique labels and C names", () => {
    const labels = allMethods.map((m) => m.label);
    const names = allMethods.map((m) => `${m.interface}_${m.name}`);
    expect(new Set(labels).size).toBe(labels.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it("lays out the well-known methods as the kernel decoders read them", () => {
    const layout = (label: string) => methodLayout(allMethods.find((m) => m.label === label)!);
    expect(layout("UntypedRetype")).toMatchObject({ length: 6, extraCaps: 1 });
    expect(layout("TCBConfigure")).toMatchObject({ length: 4, extraCaps: 3 });
    expect(layout("TCBWriteRegisters")).toMatchObject({ length: 34, extraCaps: 0 });
    expect(layout("CNodeRotate")).toMatchObject({ length: 8, extraCaps: 2 });
    expect(layout("CNodeCopy").mrArgs.map((a) => [a.name, a.mr, a.shift, a.bits])).toEqual([
      ["dest_index", 0, 0, 64],
      ["dest_depth", 1, 0, 8],
      ["src_index", 2, 0, 64],
      ["src_depth", 3, 0, 8],
      ["rights", 4, 0, 64],
    ]);
    expect(layout("TCBCopyRegisters").mrArgs.map((a) => [a.name, a.mr, a.shift])).toEqual([
      ["suspend_source", 0, 0],
      ["resume_target", 0, 1],
      ["transfer_frame", 0, 2],
      ["transfer_integer", 0, 3],
      ["arch_flags", 0, 8],
    ]);
    expect(layout("RISCVPageGetAddress")).toMatchObject({ length: 0, resultLength: 1 });
  });

  it("has the bit positions of seL4's .bf files", () => {
    const pos = (b: typeof seL4_MessageInfo) =>
      Object.fromEntries(fieldPositions(b).map((f) => [f.name, [f.word, f.shift, f.bits]]));
    expect(pos(seL4_MessageInfo)).toEqual({
      label: [0, 12, 52],
      capsUnwrapped: [0, 9, 3],
      extraCaps: [0, 7, 2],
      length: [0, 0, 7],
    });
    expect(pos(seL4_CapRights)).toEqual({
      capAllowGrantReply: [0, 3, 1],
      capAllowGrant: [0, 2, 1],
      capAllowRead: [0, 1, 1],
      capAllowWrite: [0, 0, 1],
    });
    expect(pos(seL4_CNode_CapData)).toEqual({ guard: [0, 6, 58], guardSize: [0, 0, 6] });
    for (const b of seL4_Fault.blocks) {
      expect(fieldPositions(b).find((f) => f.name === "seL4_FaultType")).toMatchObject({
        word: 0,
        shift: 0,
      });
    }
  });

  it("has consistent struct layouts and enumerations", () => {
    for (const l of [seL4_IPCBuffer, seL4_BootInfo]) checkLayout(l);
    expect(seL4_BootInfo.size).toBe(3848);
    expect(errors.map((e) => e.number)).toEqual(errors.map((_, i) => i));
    expect(objectTypes.map((t) => t.number)).toEqual(objectTypes.map((_, i) => i));
    expect(faults.map((f) => f.label)).toEqual([0, 1, 2, 3, 5]);
    expect(DEFAULT_RELEASE).toBe(RELEASES[RELEASES.length - 1]);
  });
});
