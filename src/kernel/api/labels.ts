// Invocation labels of older seL4 releases. seL4 numbers its invocation labels by position in
// C enums, so a label added in one release (TCBSetFlags in 14.0, the two DomainSchedule labels in
// 15.0) moves every later one. The kernel's decoders speak the default release's numbering; a
// program built against another release has its labels translated on the way in, by name.

import {
  DEFAULT_RELEASE,
  InvocationLabel,
  InvocationLabelsByRelease,
  type Release,
} from "./generated/abi.js";

/** A label no decoder knows: what an out-of-range label of the program's release becomes. */
export const UNKNOWN_LABEL = -1;

/** Maps a label as numbered in the program's release to the kernel's own numbering. */
export type LabelTranslation = (label: number) => number;

/** The identity for the default release; otherwise a table lookup by label name. */
export function labelTranslation(release: Release): LabelTranslation {
  if (release === DEFAULT_RELEASE) return (label) => label;
  const table = new Map<number, number>();
  const own = InvocationLabel as Readonly<Record<string, number>>;
  for (const [name, value] of Object.entries(InvocationLabelsByRelease[release])) {
    const canonical = own[name];
    if (canonical !== undefined) table.set(value, canonical);
  }
  return (label) => table.get(label) ?? UNKNOWN_LABEL;
}
