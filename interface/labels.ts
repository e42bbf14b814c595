// Invocation label numbers: the label field of the seL4_MessageInfo sent with a Call/Send on a
// kernel-object cap. seL4 numbers them by position, as C enums without explicit values: the
// generic enum starts with InvalidInvocation = 0 and ends with nInvocationLabels; the riscv64
// "sel4_arch" enum is empty; the RISC-V "arch" enum starts at nSeL4ArchInvocationLabels. A method
// that a release lacks takes no number, so every later label shifts (e.g. TCBSetFlags, new in
// 14.0, moved CNodeRevoke from 16 to 17).
//
// Source: seL4/seL4 tools/invocation_header_gen.py (the three templates) over the XML files listed
// in interface/methods.ts; checked against the 13.0.0, 14.0.0, 15.0.0 and 16.0.0 tags.

import { allMethods } from "./methods.js";
import { inRelease, type Release } from "./release.js";

export interface LabelTable {
  /** Label name -> number, InvalidInvocation first. */
  readonly labels: Readonly<Record<string, number>>;
  readonly nInvocationLabels: number;
  readonly nSeL4ArchInvocationLabels: number;
  readonly nArchInvocationLabels: number;
}

export function invocationLabels(release: Release): LabelTable {
  const present = allMethods.filter((m) => inRelease(m, release));
  const generic = present.filter((m) => m.layer === "generic");
  const arch = present.filter((m) => m.layer === "arch");
  const labels: Record<string, number> = { InvalidInvocation: 0 };
  for (const [i, m] of generic.entries()) labels[m.label] = 1 + i;
  const nInvocationLabels = 1 + generic.length;
  const nSeL4ArchInvocationLabels = nInvocationLabels; // riscv64 adds none
  for (const [i, m] of arch.entries()) labels[m.label] = nSeL4ArchInvocationLabels + i;
  return {
    labels,
    nInvocationLabels,
    nSeL4ArchInvocationLabels,
    nArchInvocationLabels: nSeL4ArchInvocationLabels + arch.length,
  };
}
