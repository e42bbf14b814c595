import { describe, expect, it } from "vitest";
import { InvocationLabel, InvocationLabelsByRelease } from "./generated/abi.js";
import { labelTranslation, UNKNOWN_LABEL } from "./labels.js";

describe("labelTranslation", () => {
  it("is the identity for the default release", () => {
    const t = labelTranslation("16.0");
    for (const v of [0, 16, 31, 33, 40, 41, 999]) expect(t(v)).toBe(v);
  });

  it("maps 14.0's RISC-V labels (two below 15.0's) to the kernel's numbers", () => {
    const t = labelTranslation("14.0");
    // A 14.0 libsel4 (e.g. seL4 master of mid-2025, 13.0.0-dev with TCBSetFlags) sends 33
    // for Page_Map; the kernel's decoders know it as 35.
    expect(t(33)).toBe(InvocationLabel.RISCVPageMap);
    expect(t(31)).toBe(InvocationLabel.RISCVPageTableMap);
    expect(t(38)).toBe(InvocationLabel.RISCVIRQIssueIRQHandlerTrigger);
    expect(t(16)).toBe(InvocationLabel.TCBSetFlags);
    expect(t(30)).toBe(InvocationLabel.DomainSetSet);
  });

  it("maps 13.0 (no TCBSetFlags) by name as well", () => {
    const t = labelTranslation("13.0");
    expect(t(16)).toBe(InvocationLabel.CNodeRevoke);
    expect(t(29)).toBe(InvocationLabel.DomainSetSet);
    expect(t(30)).toBe(InvocationLabel.RISCVPageTableMap);
  });

  it("sends every label of a release to the kernel label of the same name", () => {
    for (const release of ["13.0", "14.0", "15.0"] as const) {
      const t = labelTranslation(release);
      for (const [name, value] of Object.entries(InvocationLabelsByRelease[release])) {
        expect(t(value)).toBe(InvocationLabel[name as keyof typeof InvocationLabel]);
      }
    }
  });

  it("gives labels beyond a release's range no meaning", () => {
    expect(labelTranslation("14.0")(39)).toBe(UNKNOWN_LABEL);
    expect(labelTranslation("13.0")(1000)).toBe(UNKNOWN_LABEL);
  });
});
