// The fastpath against the slow path: each program runs twice, fastpath on and
// off, with the kernel's invariants checked after every entry; the console
// transcripts, kernel logs, how the runs stopped, the instructions retired and
// every thread's final state must be identical, and the fastpath must have
// been taken where the program does Call/ReplyRecv ping-pong.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../../tests/support/run-cli.js";
import { System } from "../../boot/system.js";

interface Outcome {
  stop: string;
  console: string;
  log: string[];
  instret: bigint;
  threads: unknown[];
  stats: { call: number; replyRecv: number };
}

function runImage(
  file: string,
  fastpath: boolean,
  maxInstructions: bigint,
  check: boolean,
): Outcome {
  let console = "";
  const log: string[] = [];
  const boot = System.boot(new Uint8Array(readFileSync(join(ROOT, file))), {
    ramSize: 64 * 1024 * 1024,
    cnodeSizeBits: 12,
    console: (b) => {
      console += String.fromCharCode(b);
    },
    log: (l) => log.push(l),
  });
  if (!boot.ok) throw new Error(boot.error);
  const { kernel, machine } = boot.system;
  kernel.fastpath = fastpath;
  const stop = boot.system.run({ maxInstructions, check });
  const ks = kernel.ks;
  return {
    stop: JSON.stringify(stop),
    console,
    log,
    instret: machine.hart.instret,
    threads: [...ks.threads].map((t) => ({
      name: t.name,
      state: t.state.type,
      current: t === ks.currentThread,
      queued: t.queued,
      regs: [...t.regs],
      fregs: [...t.fregs],
      fcsr: t.fcsr,
      faultIP: t.faultIP,
      nextIP: t.nextIP,
      callerCap: t.cnode[3]!.cap.type,
    })),
    stats: { ...kernel.fastpathStats },
  };
}

const ALL = 200_000_000n;
/** `call`/`replyRecv`: the fastpath must have been taken. `check`: invariants after every entry. */
const PROGRAMS = [
  // The benchmark's four cases, cut off in the measured rounds (checking
  // invariants after every entry would take minutes here; the others do).
  {
    file: "bench/ipc/build/ipcbench.elf",
    max: 2_000_000n,
    call: true,
    replyRecv: true,
    check: false,
  },
  { file: "tests/kernel/build/ipc.elf", max: ALL, call: true, replyRecv: true, check: true },
  { file: "images/ipc.elf", max: ALL, call: false, replyRecv: true, check: true },
  { file: "tests/kernel/build/sched.elf", max: ALL, call: false, replyRecv: false, check: true },
  { file: "tests/kernel/build/fault.elf", max: ALL, call: false, replyRecv: false, check: true },
  { file: "images/faults.elf", max: ALL, call: false, replyRecv: false, check: true },
  { file: "images/threads.elf", max: ALL, call: false, replyRecv: false, check: true },
  { file: "images/notifications.elf", max: ALL, call: false, replyRecv: false, check: true },
];

describe("fastpath (differential: fastpath on vs off)", () => {
  for (const p of PROGRAMS) {
    it(`${p.file} (${p.max} instructions${p.check ? ", checked" : ""}) behaves identically`, () => {
      const fast = runImage(p.file, true, p.max, p.check);
      const slow = runImage(p.file, false, p.max, p.check);
      expect(slow.stats).toEqual({ call: 0, replyRecv: 0 });
      if (p.call) expect(fast.stats.call).toBeGreaterThan(0);
      if (p.replyRecv) expect(fast.stats.replyRecv).toBeGreaterThan(0);
      expect(fast.stop).toBe(slow.stop);
      expect(fast.console).toBe(slow.console);
      expect(fast.log).toEqual(slow.log);
      expect(fast.instret).toBe(slow.instret);
      expect(fast.threads).toEqual(slow.threads);
    });
  }
});
