// `mica machine run` end to end: a real image boots, and every kind of bad
// input gets a one-line error and exit code 2 (never a stack trace).
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EM_RISCV, PF_R, PF_X } from "../../src/boot/elf.js";
import { buildElf } from "../support/elf-builder.js";
import { ROOT, runCli } from "../support/run-cli.js";

const HELLO = join(ROOT, "images/hello-machine.elf");
const SBI_CALLS = join(ROOT, "tests/sbi/build/sbi-calls.elf");
const dir = mkdtempSync(join(tmpdir(), "mica-cli-"));

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

// Encodes a few RV64 instructions little-endian.
function code(...words: number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const v = new DataView(b.buffer);
  for (const [i, w] of words.entries()) v.setUint32(i * 4, w >>> 0, true);
  return b;
}

function expectUsageError(args: string[], message: RegExp): void {
  const r = runCli(["machine", "run", ...args]);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mica: /);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe("mica machine run", () => {
  it("boots the hello image like QEMU's -bios none and exits with the guest's status", () => {
    const r = runCli(["machine", "run", HELLO]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Hello from mica's RISC-V machine!");
    expect(r.stdout).toContain("hart 0: RV64ACDFIMSU, device tree at 0x0000000087e00000");
    expect(r.stdout).toMatch(/2262 primes below 20000, found in \d+ instructions/);
    expect(r.stderr).toBe("");
  });

  it("puts the device tree 2 MiB-aligned below the end of a larger RAM", () => {
    const r = runCli(["machine", "run", "--ram", "1G", HELLO]);
    expect(r.stdout).toContain("device tree at 0x00000000bfe00000");
  });

  it("reports statistics on request", () => {
    const r = runCli(["machine", "run", "--stats", HELLO]);
    expect(r.stderr).toMatch(
      /^mica: instructions=\d+ seconds=[\d.]+ mips=[\d.]+\nmica: jit pages=\d+ cached=\d+ instructions=\d+ milliseconds=\d+\n$/,
    );
  });

  it("stops at --max-instructions with exit code 3", () => {
    const r = runCli(["machine", "run", "--max-instructions", "1000", HELLO]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("stopped after 1000 instructions");
  });

  it("traces instructions in spike's commit-log shape", () => {
    const r = runCli(["machine", "run", "--max-instructions", "4", "--trace", HELLO]);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("core"));
    expect(lines).toHaveLength(4);
    // _start: bnez a0, park (compressed) at the entry, in M-mode (3)
    expect(lines[0]).toMatch(/^core {3}0: 3 0x0000000080000000 \(0x[0-9a-f]{4}\)$/);
    // la sp, __stack_top: auipc writes sp (x2)
    expect(lines[1]).toMatch(
      /^core {3}0: 3 0x0000000080000002 \(0x[0-9a-f]{8}\) x2 {2}0x0000000080/,
    );
  });

  it("exits with the HTIF tohost status (riscv-tests convention)", () => {
    // auipc t0,0; li t1,15; sd t1,256(t0); j .   -> tohost = (7 << 1) | 1: exit 7
    const text = code(0x00000297, 0x00f00313, 0x1062b023, 0x0000006f);
    const data = new Uint8Array(0x200);
    data.set(text);
    const elf = buildElf({
      entry: 0x80000000n,
      segments: [{ flags: PF_R | PF_X, vaddr: 0x80000000n, paddr: 0x80000000n, data }],
      symbols: [{ name: "tohost", value: 0x80000100n }],
    });
    const r = runCli(["machine", "run", file("htif.elf", elf.bytes)]);
    expect(r.status).toBe(7);
  });

  it("ends a trap loop that retires nothing at --max-instructions", () => {
    // lui t0,0x12345; csrw mtvec,t0; .word 0 -> illegal instruction, and the
    // trap vector (0x12345000) is not memory: every trap traps again.
    const text = code(0x123452b7, 0x30529073, 0x00000000);
    const data = new Uint8Array(0x100);
    data.set(text);
    const elf = buildElf({
      entry: 0x80000000n,
      segments: [{ flags: PF_R | PF_X, vaddr: 0x80000000n, paddr: 0x80000000n, data }],
    });
    const r = runCli(["machine", "run", "--max-instructions", "1000", file("loop.elf", elf.bytes)]);
    expect(r.status).toBe(3);
  });

  describe("bad input", () => {
    it("missing file", () => expectUsageError([join(dir, "nope.elf")], /no such file/));
    it("no file", () => expectUsageError([], /no ELF file given/));
    it("not an ELF", () =>
      expectUsageError([file("text.elf", "hello, world\n")], /not an ELF file/));
    it("truncated ELF", () => {
      const head = readFileSync(HELLO).subarray(0, 100);
      expectUsageError([file("trunc.elf", head)], /truncated/);
    });
    it("32-bit ELF", () => {
      expectUsageError([file("32.elf", buildElf({ elfClass: 1 }).bytes)], /32-bit/);
    });
    it("wrong machine", () => {
      expectUsageError(
        [file("x86.elf", buildElf({ machine: 62 }).bytes)],
        /x86-64 \(62\), not RISC-V/,
      );
    });
    it("segment outside RAM", () => {
      const elf = buildElf({
        machine: EM_RISCV,
        entry: 0x1000n,
        segments: [{ flags: PF_R | PF_X, vaddr: 0x1000n, paddr: 0x1000n, data: code(0x6f) }],
      });
      expectUsageError(
        [file("low.elf", elf.bytes)],
        /segment 0 at 0x1000\.\.0x1004 lies outside RAM/,
      );
    });
    it("RAM too small for the image and the device tree", () => {
      expectUsageError(
        ["--ram", "1M", HELLO],
        /RAM too small: the device tree at 0x80000000 would overlap segment 0/,
      );
    });
    it("segment past the end of RAM", () => {
      const elf = buildElf({
        entry: 0x80000000n,
        segments: [
          { flags: PF_R | PF_X, vaddr: 0x88000000n, paddr: 0x88000000n, data: code(0x6f) },
        ],
      });
      expectUsageError(
        [file("high.elf", elf.bytes)],
        /segment 0 at 0x88000000\.\.0x88000004 lies outside RAM \(0x80000000\.\.0x88000000\)/,
      );
    });
    it("unknown option", () => expectUsageError(["--bogus", HELLO], /bogus/));
    it("bad --ram", () =>
      expectUsageError(["--ram", "lots", HELLO], /--ram: 'lots' is not a size/));
    it("too much --ram", () => expectUsageError(["--ram", "8G", HELLO], /--ram 8G: must be/));
    it("bad --max-instructions", () =>
      expectUsageError(["--max-instructions", "-5", HELLO], /--max-instructions/));
    it("non-numeric --max-instructions", () =>
      expectUsageError(
        ["--max-instructions", "many", HELLO],
        /--max-instructions: 'many' is not a whole number/,
      ));
    it("--bios naming a missing file", () =>
      expectUsageError(
        ["--bios", join(dir, "nope.bin"), "--kernel", SBI_CALLS],
        /nope.bin: no such file/,
      ));
    it("--bios FILE with the payload as positional argument", () =>
      expectUsageError(["--bios", SBI_CALLS, SBI_CALLS], /--kernel/));
    it("--kernel without firmware", () =>
      expectUsageError(["--kernel", HELLO], /--kernel needs firmware/));
    it("--kernel and a positional ELF", () =>
      expectUsageError(["--bios", "builtin", "--kernel", SBI_CALLS, SBI_CALLS], /either/));
    it("--bios builtin with no kernel", () =>
      expectUsageError(["--bios", "builtin"], /no kernel given/));
    it("--bios builtin with a missing kernel", () =>
      expectUsageError(["--bios", "builtin", join(dir, "nope.elf")], /no such file/));
    it("bad --smp", () =>
      expectUsageError(["--smp", "9", HELLO], /--smp 9: give a hart count from 1 to 8/));
    it("non-numeric --smp", () => expectUsageError(["--smp", "two", HELLO], /--smp two/));
    it("empty --bios", () => expectUsageError(["--bios", "", HELLO], /--bios/));
    it("a kernel that overlaps the firmware", () =>
      // Both linked at 0x80200000: the firmware's end puts nothing in between.
      expectUsageError(["--bios", SBI_CALLS, "--kernel", SBI_CALLS], /overlaps/));
    it("a firmware that is not a valid ELF", () => {
      const head = readFileSync(HELLO).subarray(0, 40);
      expectUsageError(["--bios", file("fw-trunc.elf", head)], /firmware: .*truncated/);
    });
    it("unknown command", () => {
      const r = runCli(["frobnicate"]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe("mica: unknown command 'frobnicate' (try 'mica help')");
    });
  });

  it("boots an S-mode kernel under the built-in SBI (--bios builtin)", () => {
    for (const args of [
      ["--bios", "builtin", SBI_CALLS],
      ["--bios", "builtin", "--kernel", SBI_CALLS],
    ]) {
      const r = runCli(["machine", "run", ...args]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("sbi: timer interrupt, 10 ms passed: 1");
      expect(r.stdout).toContain("sbi: done");
    }
  });

  it("runs two harts (--smp 2) under the built-in SBI", () => {
    const r = runCli([
      "machine",
      "run",
      "--smp",
      "2",
      "--bios",
      "builtin",
      join(ROOT, "tests/sbi/build/two-harts.elf"),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("smp: counter: 80000");
  });

  it("boots a raw firmware image from the reset ROM (--bios FILE without --kernel)", () => {
    // auipc a3, 0; addi t0, x0, 0x5555 via lui/addi; sw to the finisher at 0x100000:
    // exits 0 only if the ROM jumped to 0x80000000 with a0 = 0 and a2 pointing at
    // fw_dynamic_info, whose first word is OpenSBI's magic.
    const fw = code(
      0x00062283, // lw t0, 0(a2): fw_dynamic_info.magic
      0x4942_5337, // lui t1, 0x49425
      0x34f30313, // addi t1, t1, 0x34f: "OSBI"
      0x00628463, // beq t0, t1, +8
      0x0000006f, // j . (mismatch: never exits)
      0x000052b7, // lui t0, 0x5
      0x55528293, // addi t0, t0, 0x555
      0x00100337, // lui t1, 0x100
      0x00532023, // sw t0, 0(t1)
      0x0000006f, // j .
    );
    const r = runCli([
      "machine",
      "run",
      "--max-instructions",
      "1000",
      "--bios",
      file("fw.bin", fw),
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("explains every option in --help", () => {
    const r = runCli(["machine", "run", "--help"]);
    expect(r.status).toBe(0);
    for (const opt of [
      "--bios",
      "--kernel",
      "builtin",
      "--smp",
      "--ram",
      "--max-instructions",
      "--trace",
      "--trace-file",
      "--stats",
    ]) {
      expect(r.stdout).toContain(opt);
    }
  });

  describe("--disk", () => {
    const ELF = join(ROOT, "tests/virtio/build/virtio-blk.elf");
    it("rejects a missing disk image", () => {
      expectUsageError(["--disk", join(dir, "absent.img"), ELF], /absent\.img: no such file/);
    });
    it("rejects a directory", () => {
      expectUsageError(["--disk", dir, ELF], /is a directory/);
    });
    it("rejects an image that is not a whole number of sectors", () => {
      expectUsageError(
        ["--disk", file("odd.img", new Uint8Array(1000)), ELF],
        /size 1000 is not a multiple of 512 bytes/,
      );
    });
    it.skipIf(process.getuid?.() === 0)("rejects an unreadable image", () => {
      // (root reads any file, so this case only exists for other users)
      const p = file("locked.img", new Uint8Array(512));
      chmodSync(p, 0);
      expectUsageError(["--disk", p, ELF], /locked\.img: cannot open \(EACCES\)/);
    });
    it("rejects a file it cannot open (a socket)", async () => {
      const p = join(dir, "disk.sock");
      const server = createServer();
      await new Promise<void>((done) => server.listen(p, done));
      try {
        expectUsageError(["--disk", p, ELF], /disk\.sock: cannot open \(ENXIO\)/);
      } finally {
        server.close();
      }
    });
    it("rejects a device file", () => {
      expectUsageError(["--disk", "/dev/null", ELF], /\/dev\/null: not a regular file/);
    });
    it("rejects --disk-write without --disk", () => {
      expectUsageError(["--disk-write", ELF], /--disk-write needs --disk FILE/);
    });
    it("documents the options in --help", () => {
      const r = runCli(["machine", "run", "--help"]);
      expect(r.stdout).toMatch(/--disk FILE/);
      expect(r.stdout).toMatch(/--disk-write/);
    });
  });
});
