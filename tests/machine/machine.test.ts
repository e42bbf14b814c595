// The board's devices end to end: small S-mode programs (tests/machine/src,
// built with Debian's toolchain and committed) run under `mica machine run`
// with piped stdin, as on `qemu-system-riscv64 -machine virt -bios none
// -nographic -kernel X < input` (`make -C tests/machine qemu`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";

const elf = (name: string) => join(ROOT, "tests/machine/build", `${name}.elf`);
const input = (name: string) =>
  readFileSync(join(ROOT, "tests/machine/input", `${name}.txt`), "latin1");

function run(name: string, stdin = "") {
  return runCli(["machine", "run", "--max-instructions", "50000000", elf(name)], stdin);
}

describe("board devices end to end (tests/machine)", () => {
  it("uart-rx: piped stdin arrives through the FIFO by PLIC interrupts in S-mode", () => {
    const r = run("uart-rx", input("uart-rx"));
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "uart-rx: 38 bytes in 1 interrupts: hello from the host, through the FIFO\n",
    );
    expect(r.status).toBe(0);
  });

  it("uart-rx: the same input gives the same run, byte for byte", () => {
    const text = "one more line, longer than the sixteen-byte FIFO of the UART\n";
    const a = run("uart-rx", text);
    const b = run("uart-rx", text);
    expect(a.stdout).toBe(`uart-rx: ${text.length} bytes in 1 interrupts: ${text}`);
    expect(b.stdout).toBe(a.stdout);
  });

  it("uart-rx: with no input the hart waits for an interrupt nothing can raise (exit 4)", () => {
    const r = run("uart-rx", "");
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/waits for an interrupt/);
  });

  it("uart-tx: one THR-empty interrupt per byte, and one to stop", () => {
    const r = run("uart-tx");
    expect(r.stdout).toBe("sent by THRE interrupts, one byte each\nuart-tx: 40 interrupts\n");
    expect(r.status).toBe(0);
  });

  it("uart-tx-noiir: THR-empty never acknowledged (xv6's driver) interrupts once per byte, then stops", () => {
    const r = run("uart-tx-noiir");
    expect(r.stdout).toBe("sent as xv6 sends, IIR never read\nuart-tx-noiir: 35 interrupts\n");
    expect(r.status).toBe(0);
  });

  it("rtc: the clock starts at 2026-01-01 and its alarm wakes the hart from wfi", () => {
    const r = run("rtc");
    // 2026-01-01 is day 20454 of the Unix epoch (QEMU prints the host's date).
    expect(r.stdout).toBe("rtc: unix day 20454, alarm after 2 ms ok\n");
    expect(r.status).toBe(0);
  });

  it("clint-s: CLINT timer and software interrupts reach S-mode through mideleg", () => {
    const r = run("clint-s");
    expect(r.stdout).toBe("clint-s: 3 timer and 2 software interrupts in S-mode\n");
    expect(r.status).toBe(0);
  });
});

describe("time: deterministic by default, the host's clock with --realtime", () => {
  const stats = (stderr: string) => {
    const m = /instructions=(\d+) seconds=([\d.]+)/.exec(stderr);
    if (!m) throw new Error(`no --stats line in ${stderr}`);
    return { instructions: Number(m[1]), seconds: Number(m[2]) };
  };

  it("a 200 ms timer wait repeats exactly and takes no real time to skip", () => {
    const a = runCli(["machine", "run", "--stats", elf("sleep")]);
    const b = runCli(["machine", "run", "--stats", elf("sleep")]);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe("sleep: woke after 200 ms or more\n");
    expect(stats(a.stderr).instructions).toBe(stats(b.stderr).instructions);
  });

  it("with --realtime the guest sleeps 200 ms of the host's clock", () => {
    const r = runCli(["machine", "run", "--realtime", "--stats", elf("sleep")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("sleep: woke after 200 ms or more\n");
    expect(stats(r.stderr).seconds).toBeGreaterThanOrEqual(0.19);
  });
});
