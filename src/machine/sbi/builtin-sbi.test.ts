// BuiltinSbi call by call, on a hart in S-mode whose program is one ecall
// and a loop: each test loads a7/a6/a0.. and checks a0/a1, the console, the
// hart's CSRs or how the run ends. (tests/sbi runs a whole S-mode program.)
import { describe, expect, it } from "vitest";
import { Machine, type StopReason } from "../machine.js";
import { BuiltinSbi } from "./builtin-sbi.js";
import { SbiError, SbiExt } from "./sbi-ids.js";

const MiB = 1024 * 1024;
const BASE = 0x8000_0000n;
const ECALL = 0x00000073;
const LOOP = 0x0000006f; // jal x0, 0

function setup(input: number[] = []) {
  const out: number[] = [];
  const m = new Machine({ ramSize: 4 * MiB, console: () => {} });
  const code = new Uint8Array(8);
  new DataView(code.buffer).setUint32(0, ECALL, true);
  new DataView(code.buffer).setUint32(4, LOOP, true);
  m.writePhys(BASE, code);
  const sbi = new BuiltinSbi(m, {
    putByte: (b) => out.push(b),
    getByte: () => input.shift() ?? -1,
  });
  m.sbi = sbi;
  sbi.enterSupervisor(0, BASE, 0x1234n);
  /** Makes the call; returns how the run ended and a0/a1 as signed values. */
  const call = (ext: number, fid: number, ...args: bigint[]) => {
    const h = m.hart;
    h.pc = BASE;
    h.x[17] = BigInt(ext);
    h.x[16] = BigInt(fid);
    args.forEach((a, i) => {
      h.x[10 + i] = BigInt.asUintN(64, a);
    });
    const stop: StopReason = m.run({ maxInstructions: h.instret + 3n });
    return {
      stop,
      error: BigInt.asIntN(64, h.x[10]!),
      value: BigInt.asIntN(64, h.x[11]!),
    };
  };
  return { m, sbi, out, call };
}

describe("BuiltinSbi", () => {
  it("enters S-mode like OpenSBI's fw_jump: a0 = hart ID, a1 = arg1, stvec = entry", () => {
    const { m } = setup();
    expect(m.hart.core.getPriv()).toBe(1);
    expect(m.hart.x[10]).toBe(0n);
    expect(m.hart.x[11]).toBe(0x1234n);
    expect(m.hart.core.readCsr(0x105)).toBe(BASE);
    expect(BigInt.asUintN(64, m.hart.core.readCsr(0x30a)) >> 63n).toBe(1n); // menvcfg.STCE
  });

  it("resumes after the ecall with a0 = error, a1 = value", () => {
    const { m, call } = setup();
    const r = call(SbiExt.Base, 3, BigInt(SbiExt.Hsm));
    expect(r).toMatchObject({ stop: { kind: "limit" }, error: 0n, value: 1n });
    expect(m.hart.pc).toBe(BASE + 4n);
  });

  it("probes only what it implements", () => {
    const { call } = setup();
    expect(call(SbiExt.Base, 3, 0x03n).value).toBe(0n); // legacy clear_ipi
    expect(call(SbiExt.Base, 3, 0x504d55n).value).toBe(0n); // PMU
    expect(call(SbiExt.Base, 3, BigInt(SbiExt.Dbcn)).value).toBe(1n);
    expect(call(SbiExt.Base, 3, (1n << 32n) | BigInt(SbiExt.Time)).value).toBe(0n);
  });

  it("set_timer programs stimecmp; STIP rises when time reaches it", () => {
    const { m, call } = setup();
    const now = m.hart.core.readCsr(0xc01);
    expect(call(SbiExt.Time, 0, now + 50n).error).toBe(0n);
    expect(m.hart.core.readCsr(0x14d)).toBe(now + 50n);
    expect(m.hart.core.readCsr(0x344) & 0x20n).toBe(0n);
    m.run({ maxInstructions: m.hart.instret + 1000n });
    expect(m.hart.core.readCsr(0x344) & 0x20n).toBe(0x20n);
  });

  it("send_ipi sets SSIP; a hart outside the machine is INVALID_PARAM", () => {
    const { m, call } = setup();
    expect(call(SbiExt.Ipi, 0, 2n, 0n).error).toBe(SbiError.InvalidParam);
    expect(m.hart.core.readCsr(0x344) & 2n).toBe(0n);
    expect(call(SbiExt.Ipi, 0, 0n, -1n).error).toBe(0n); // base -1: every hart
    expect(m.hart.core.readCsr(0x344) & 2n).toBe(2n);
  });

  it("SRST: shutdown with a system failure exits 1, reboot resets, bad type is INVALID_PARAM", () => {
    expect(setup().call(SbiExt.Srst, 0, 0n, 1n).stop).toEqual({ kind: "poweroff", code: 1 });
    expect(setup().call(SbiExt.Srst, 0, 0n, 0n).stop).toEqual({ kind: "poweroff", code: 0 });
    expect(setup().call(SbiExt.Srst, 0, 1n, 0n).stop).toEqual({ kind: "reset" });
    expect(setup().call(SbiExt.Srst, 0, 7n, 0n).error).toBe(SbiError.InvalidParam);
    expect(setup().call(SbiExt.Srst, 0, 0n, 2n).error).toBe(SbiError.InvalidParam);
    expect(setup().call(SbiExt.LegacyShutdown, 0).stop).toEqual({ kind: "poweroff", code: 0 });
  });

  it("DBCN writes RAM bytes (LF as CR LF), reads input, rejects addresses outside RAM", () => {
    const { m, out, call } = setup([0x41, 0x42]);
    m.writePhys(BASE + 0x100n, new TextEncoder().encode("hi\n"));
    expect(call(SbiExt.Dbcn, 0, 3n, BASE + 0x100n, 0n)).toMatchObject({ error: 0n, value: 3n });
    expect(Buffer.from(out).toString()).toBe("hi\r\n");
    expect(call(SbiExt.Dbcn, 1, 8n, BASE + 0x200n, 0n)).toMatchObject({ error: 0n, value: 2n });
    expect([...m.hart.ramSlice(BASE + 0x200n, 2)!]).toEqual([0x41, 0x42]);
    expect(call(SbiExt.Dbcn, 1, 8n, BASE + 0x200n, 0n).value).toBe(0n); // no more input
    expect(call(SbiExt.Dbcn, 0, 3n, 0x1000n, 0n).error).toBe(SbiError.InvalidParam);
    expect(call(SbiExt.Dbcn, 0, 3n, BASE, 1n).error).toBe(SbiError.InvalidParam);
  });

  it("legacy getchar returns input bytes, then -1", () => {
    const { call } = setup([0x7a]);
    expect(call(SbiExt.LegacyConsoleGetchar, 0).error).toBe(0x7an);
    expect(call(SbiExt.LegacyConsoleGetchar, 0).error).toBe(-1n);
  });

  it("HSM suspend waits for the timer; hart_stop and a wait nothing can end stop the run", () => {
    const { m, call } = setup();
    const now = m.hart.core.readCsr(0xc01);
    call(SbiExt.Time, 0, now + 100_000n);
    m.hart.core.writeCsr(0x104, 0x20n); // sie.STIE
    expect(call(SbiExt.Hsm, 3, 0n).error).toBe(0n);
    expect(m.hart.core.readCsr(0xc01)).toBeGreaterThanOrEqual(now + 100_000n);
    m.hart.core.writeCsr(0x104, 0n);
    expect(call(SbiExt.Hsm, 3, 0n).stop).toEqual({ kind: "idle" });
    expect(call(SbiExt.Hsm, 3, 5n).error).toBe(SbiError.InvalidParam);
    expect(call(SbiExt.Hsm, 2, 0n).value).toBe(0n); // started
    expect(setup().call(SbiExt.Hsm, 1).stop).toEqual({ kind: "idle" });
  });

  it("answers NOT_SUPPORTED to unknown extensions and functions", () => {
    const { call } = setup();
    expect(call(0x0a00_0000, 0).error).toBe(SbiError.NotSupported);
    expect(call(SbiExt.Time, 1).error).toBe(SbiError.NotSupported);
    expect(call(SbiExt.Rfence, 3, 1n, 0n).error).toBe(SbiError.NotSupported); // hypervisor fence
    expect(call(0x05, 0).error).toBe(SbiError.NotSupported); // legacy remote fence.i
  });
});
