// The SBI end to end: our S-mode programs (tests/sbi/src/*.c) under
// mica's built-in SBI, compared with its transcript under QEMU 7.2 and its
// default OpenSBI (expected/sbi-calls.qemu.txt, the program's part of
// `make qemu`'s output, with the carriage returns OpenSBI puts before each
// line feed);
// and Debian's OpenSBI booting the same program through --bios FILE on mica,
// compared with QEMU running the same files.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bootBuiltinSbi, bootFirmware } from "../../src/boot/firmware-boot.js";
import { Machine } from "../../src/machine/machine.js";

const here = dirname(fileURLToPath(import.meta.url));
const program = new Uint8Array(readFileSync(join(here, "build/sbi-calls.elf")));
const qemuTranscript = readFileSync(join(here, "expected/sbi-calls.qemu.txt"), "latin1");
const twoHarts = new Uint8Array(readFileSync(join(here, "build/two-harts.elf")));
const twoHartsTranscript = readFileSync(join(here, "expected/two-harts.qemu.txt"), "latin1");
const MiB = 1024 * 1024;

/** Lines that differ by implementation carry "[impl]"; the rest must match. */
const common = (text: string) =>
  text
    .split("\n")
    .filter((l) => !l.includes("[impl]"))
    .join("\n");

function run(boot: ReturnType<typeof bootBuiltinSbi>, out: number[]) {
  if (!boot.ok) throw new Error(boot.error);
  const stop = boot.machine.run({ maxInstructions: 500_000_000n });
  return { stop, output: Buffer.from(out).toString("latin1") };
}

describe("built-in SBI (--bios builtin)", () => {
  it("runs sbi-calls with QEMU + OpenSBI's transcript, apart from [impl] lines", () => {
    const out: number[] = [];
    const r = run(
      bootBuiltinSbi(program, { ramSize: 128 * MiB, console: (b) => out.push(b) }),
      out,
    );
    expect(r.stop).toEqual({ kind: "poweroff", code: 0 });
    expect(common(r.output)).toBe(common(qemuTranscript));
    // mica's own answers where OpenSBI 1.1's differ.
    const impl = r.output.split("\r\n").filter((l) => l.includes("[impl]"));
    expect(impl).toEqual([
      "sbi: [impl] spec version 2.0",
      "sbi: [impl] implementation id 0x6d696361",
      "sbi: [impl] probe DBCN: 1",
      "sbi: [impl] DBCN write returned: 19",
    ]);
  });

  it("runs two-harts with --smp 2 as QEMU + OpenSBI -smp 2 does", () => {
    const out: number[] = [];
    const r = run(
      bootBuiltinSbi(twoHarts, { ramSize: 128 * MiB, harts: 2, console: (b) => out.push(b) }),
      out,
    );
    expect(r.stop).toEqual({ kind: "poweroff", code: 0 });
    expect(r.output).toBe(twoHartsTranscript);
    expect(r.output).toContain("smp: counter: 80000\r\n");
  });

  it("gives the same run twice (time comes from retired instructions)", () => {
    const once = () => {
      const out: number[] = [];
      const boot = bootBuiltinSbi(program, { ramSize: 128 * MiB, console: (b) => out.push(b) });
      const r = run(boot, out);
      return `${r.output}${boot.ok ? boot.machine.hart.instret : ""}`;
    };
    expect(once()).toBe(once());
  });
});

const OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic";
const hasOpenSbi = existsSync(OPENSBI);
// TRICKY: OpenSBI's generic platform initialises the PLIC it finds in the
// device tree; the PLIC model comes with the board's bus (Machine 2/2).
const hasPlic = "plic" in new Machine({ ramSize: 2 * MiB, console: () => {} });
const hasQemu = spawnSync("qemu-system-riscv64", ["--version"]).status === 0;

// H (hypervisor) is in QEMU's default CPU and not in mica's hart: OpenSBI
// reports misa and the delegation registers, which hold H's bits on QEMU.
const H_LINES = /^Boot HART (Base ISA|MIDELEG|MEDELEG) /;

describe.skipIf(!hasOpenSbi || !hasPlic)(
  `Debian's OpenSBI as --bios FILE${hasOpenSbi ? "" : ` (skipped: no ${OPENSBI}; apt-get install opensbi)`}${hasPlic ? "" : " (skipped: the machine has no PLIC yet)"}`,
  () => {
    it("fw_dynamic.elf boots two-harts on two harts", () => {
      const bios = new Uint8Array(readFileSync(join(OPENSBI, "fw_dynamic.elf")));
      const out: number[] = [];
      const boot = bootFirmware(bios, twoHarts, {
        ramSize: 128 * MiB,
        harts: 2,
        console: (b) => out.push(b),
      });
      const r = run(boot, out);
      expect(r.stop).toEqual({ kind: "poweroff", code: 0 });
      expect(r.output).toContain("Platform HART Count       : 2");
      expect(r.output.slice(r.output.indexOf("smp: boot hart"))).toBe(twoHartsTranscript);
    });

    for (const fw of ["fw_jump.elf", "fw_dynamic.elf", "fw_dynamic.bin"]) {
      it(`${fw} boots sbi-calls as its payload`, () => {
        const bios = new Uint8Array(readFileSync(join(OPENSBI, fw)));
        const out: number[] = [];
        const boot = bootFirmware(bios, program, {
          ramSize: 128 * MiB,
          console: (b) => out.push(b),
        });
        const r = run(boot, out);
        expect(r.stop).toEqual({ kind: "poweroff", code: 0 });
        expect(r.output).toContain("OpenSBI v");
        expect(r.output).toContain("Domain0 Next Address      : 0x0000000080200000");
        expect(r.output).toContain("Boot HART ISA Extensions  : time,sstc");
        expect(common(r.output.slice(r.output.indexOf("sbi: hello")))).toBe(common(qemuTranscript));
        if (hasQemu) {
          const q = spawnSync(
            "qemu-system-riscv64",
            [
              "-machine",
              "virt",
              "-nographic",
              "-bios",
              join(OPENSBI, fw),
              "-kernel",
              join(here, "build/sbi-calls.elf"),
            ],
            { encoding: "latin1", timeout: 20_000, input: "" },
          );
          const strip = (t: string) =>
            t
              .split("\n")
              .filter((l) => !H_LINES.test(l))
              .join("\n");
          expect(strip(r.output)).toBe(strip(q.stdout));
        }
      });
    }
  },
);
