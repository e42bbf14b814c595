// Translated code under the kernel: every kernel test root task (tests/kernel)
// and the example system with restartable drivers (examples/drivers, whose
// supervisor reloads a crashed driver's code into fresh frames) print the
// same transcript with all their code translated as soon as it runs
// (--jit-threshold 0) as interpreted (--no-jit).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";

const tasks = readdirSync(join(ROOT, "tests/kernel/build"))
  .filter((f) => f.endsWith(".elf"))
  .sort();

function translatedPages(stderr: string): number {
  const m = /jit pages=(\d+)/.exec(stderr);
  return m ? Number(m[1]) : 0;
}

describe("the kernel's test root tasks, translated", () => {
  it.each(tasks)("%s", (task) => {
    const elf = join(ROOT, "tests/kernel/build", task);
    const release = task.includes("-r1400") ? ["--sel4-release", "14.0"] : [];
    const interpreted = runCli(["run", "--no-jit", ...release, elf]);
    const translated = runCli(["run", "--jit-threshold", "0", "--stats", ...release, elf]);
    expect(translatedPages(translated.stderr)).toBeGreaterThan(0);
    expect(translated.stdout).toBe(interpreted.stdout);
    expect(translated.status).toBe(interpreted.status);
  });
});

describe("examples/drivers, translated", () => {
  it("crashes and restarts the serial driver exactly as interpreted", () => {
    const dir = mkdtempSync(join(tmpdir(), "mica-jit-drivers-"));
    try {
      const input = "alpha\nbravo\ncrash 5\ncharlie\ndelta\ncrash 40\nquit\n";
      const run = (flags: string[], disk: string) => {
        writeFileSync(disk, Buffer.alloc(1 << 20));
        const args = [
          "run",
          ...flags,
          join(ROOT, "images/drivers.elf"),
          "--disk",
          disk,
          "--disk-write",
        ];
        return runCli(args, input);
      };
      const interpreted = run(["--no-jit"], join(dir, "a.img"));
      const translated = run(["--jit-threshold", "0", "--stats"], join(dir, "b.img"));
      expect(translatedPages(translated.stderr)).toBeGreaterThan(0);
      expect(interpreted.stdout).toContain("serial driver restarted 2 times");
      expect(translated.stdout).toBe(interpreted.stdout);
      expect(readFileSync(join(dir, "b.img"))).toEqual(readFileSync(join(dir, "a.img")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
