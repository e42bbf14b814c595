// Compares a guest's console output with an expected transcript, line by
// line: a string must match exactly, a RegExp must match the whole line
// (for addresses that move when the program is rebuilt).
import { expect } from "vitest";

export type Line = string | RegExp;

export function expectTranscript(stdout: string, lines: readonly Line[]): void {
  const got = stdout.split("\n");
  if (got.at(-1) === "") got.pop();
  const shown = got.map((g, i) => {
    const want = lines[i];
    if (want instanceof RegExp) return new RegExp(`^(?:${want.source})$`).test(g) ? want : g;
    return g;
  });
  expect(shown).toEqual(lines);
}
