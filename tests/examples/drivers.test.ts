// examples/drivers: a serial driver and a block driver as user processes
// with their own interrupts, a client using both, and a supervisor that
// restarts the serial driver from its image when it faults. The scripted
// input crashes it twice: once inside a SERIAL_WRITE call (the client is
// waiting for the reply) and once while it drains the TX ring. Every line
// must come out exactly once and the disk must hold what was typed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "mica-drivers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(input: string, disk: string) {
  writeFileSync(disk, Buffer.alloc(1 << 20));
  return runCli(
    ["run", "--check", join(ROOT, "images/drivers.elf"), "--disk", disk, "--disk-write"],
    input,
  );
}

/** The console with the supervisor's own lines (seL4_DebugPutChar) taken out. */
function consoleOnly(stdout: string): string {
  return stdout
    .replace(/\n\[supervisor\][^\n]*faulted[^\n]*\n/g, "")
    .replace(/\[supervisor\][^\n]*\n/g, "");
}

function sector(disk: string, n: number): string {
  const b = readFileSync(disk).subarray(n * 512, (n + 1) * 512);
  return b.subarray(0, b.indexOf(0)).toString("latin1");
}

describe("examples/drivers: crash and restart with nothing lost", () => {
  const disk = join(dir, "crash.img");
  const r = run("alpha\nbravo\ncrash 5\ncharlie\ndelta\ncrash 40\nquit\n", disk);

  it("halts cleanly after the client reports", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    expect(r.stdout).toMatch(
      /\[supervisor\] client done: 4 lines; serial driver restarted 2 times\n$/,
    );
  });

  it("restarts the serial driver from its image after each fault", () => {
    const faults = r.stdout.match(
      /\n\[supervisor\] serial driver faulted: VM fault at address 0x0 \(pc 0x[0-9a-f]+\)\n/g,
    );
    expect(faults).toHaveLength(2);
    expect(r.stdout).toContain(
      "[supervisor] serial driver restarted from its image (incarnation 2)\n",
    );
    expect(r.stdout).toContain(
      "[supervisor] serial driver restarted from its image (incarnation 3)\n",
    );
    // The first crash splits an echoed line, the second a line of the bulk report.
    expect(r.stdout).toMatch(/\nline \n\[supervisor\] serial driver faulted/);
    expect(r.stdout).toMatch(/\nsector 3\n\[supervisor\] serial driver faulted/);
  });

  it("prints every accepted byte exactly once", () => {
    expect(consoleOnly(r.stdout)).toBe(
      [
        'echo: type lines; line N is echoed and stored in sector N of the 2048-sector disk; "quit" ends',
        "line 1: alpha",
        "line 2: bravo",
        "line 3: charlie",
        "line 4: delta",
        "sector 1: alpha",
        "sector 2: bravo",
        "sector 3: charlie",
        "sector 4: delta",
        "echo: 4 lines, done",
        "",
      ].join("\n"),
    );
  });

  it("leaves the lines on the disk", () => {
    expect([1, 2, 3, 4].map((n) => sector(disk, n))).toEqual([
      "alpha",
      "bravo",
      "charlie",
      "delta",
    ]);
    expect(sector(disk, 0)).toBe("");
  });
});

describe("examples/drivers: input faster than the client, no crash", () => {
  const disk = join(dir, "many.img");
  const lines = Array.from({ length: 40 }, (_, i) => `line-${i}-${"x".repeat(i % 23)}`);
  const r = run(`${lines.join("\r\n")}\r\nquit\r\n`, disk);

  it("echoes and stores all of them, in order", () => {
    expect(r.status, r.stderr).toBe(0);
    const out = consoleOnly(r.stdout).split("\n");
    expect(out.slice(1, 41)).toEqual(lines.map((l, i) => `line ${i + 1}: ${l}`));
    expect(out.slice(41, 81)).toEqual(lines.map((l, i) => `sector ${i + 1}: ${l}`));
    expect(r.stdout).toContain("serial driver restarted 0 times");
    expect(sector(disk, 40)).toBe(lines[39]);
  });
});

describe("examples/drivers: no disk", () => {
  const r = runCli(
    ["run", "--check", join(ROOT, "images/drivers.elf")],
    "hello\r\nworld\r\nquit\r\n",
  );

  it("echoes lines through the serial driver alone (the block driver finds no device)", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(consoleOnly(r.stdout)).toBe(
      [
        'echo: type lines; each is echoed (no disk: --disk FILE stores them); "quit" ends',
        "line 1: hello",
        "line 2: world",
        "echo: 2 lines, done",
        "",
      ].join("\n"),
    );
  });
});
