// Runs every program of our ISA test suite (tests/isa/build/*.elf, built
// from tests/isa/src/*.S) on mica and expects it to report success.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runBareMetal } from "../../src/boot/bare-metal.js";

const buildDir = join(dirname(fileURLToPath(import.meta.url)), "build");
const programs = readdirSync(buildDir)
  .filter((f) => f.endsWith(".elf"))
  .map((f) => f.slice(0, -".elf".length))
  .sort();

describe("ISA tests (tests/isa)", () => {
  it("finds the built programs", () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  it.each(programs)("%s", (name) => {
    const elf = new Uint8Array(readFileSync(join(buildDir, `${name}.elf`)));
    const r = runBareMetal(elf, { maxInstructions: 50_000_000 });
    const summary = `reason=${r.reason} exitCode=${r.exitCode} instret=${r.instret}\n${r.output}`;
    expect(r.output, summary).toContain(`isa-${name}: ok`);
    expect(r.exitCode, summary).toBe(0);
  });
});
