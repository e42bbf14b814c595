// DomainSet invocations with one domain (seL4/seL4 src/object/domain.c;
// sel4-semantics 8.4): the checks of Set, ScheduleConfigure, ScheduleSetStart.
import { beforeEach, describe, expect, it } from "vitest";
import { World } from "../../../tests/support/kernel-fixture.js";
import { seL4_Error } from "../api/failures.js";
import { InvocationLabel as L } from "../api/generated/abi.js";
import { messageInfoFromWord } from "../api/message-info.js";
import { SysCall } from "../api/syscall.js";
import { a1 } from "../arch/riscv/registers.js";
import { DSCHED_MAX_DURATION } from "../state.js";
import type { TCB } from "./tcb.js";

let w: World;
let me: TCB;
const DOMAIN = 3n;
const TCB_CAP = 4n;
const EP = 5n;

beforeEach(() => {
  w = new World();
  me = w.thread("me", 100);
  w.put(me, Number(DOMAIN), { type: "DomainCap" });
  w.put(me, Number(TCB_CAP), { type: "ThreadCap", tcb: w.thread("other", 10) });
  w.put(me, Number(EP), w.endpoint());
  w.boot(me);
});

function call(label: number, mrs: bigint[] = [], caps: bigint[] = []) {
  for (const [i, c] of caps.entries()) w.setBufferWord(me, 122 + i, c);
  w.syscall(me, SysCall, { cptr: DOMAIN, label: BigInt(label), mrs, extraCaps: caps.length });
  const info = messageInfoFromWord(me.regs[a1]!);
  return { label: Number(info.label), mrs: w.mrs(me, info.length) };
}

const err = (type: keyof typeof seL4_Error, ...mrs: bigint[]) => ({ label: seL4_Error[type], mrs });
const ok = { label: 0, mrs: [] };

describe("DomainSet", () => {
  it("Set: domain checked before the TCB cap", () => {
    expect(call(L.DomainSetSet)).toEqual(err("TruncatedMessage"));
    expect(call(L.DomainSetSet, [1n], [TCB_CAP])).toEqual(err("InvalidArgument", 0n));
    expect(call(L.DomainSetSet, [0n])).toEqual(err("TruncatedMessage"));
    expect(call(L.DomainSetSet, [0n], [EP])).toEqual(err("InvalidArgument", 1n));
    expect(call(L.DomainSetSet, [0n], [TCB_CAP])).toEqual(ok);
  });

  it("ScheduleConfigure keeps the last entry an end marker and the start entry non-empty", () => {
    expect(call(L.DomainScheduleConfigure, [0n, 0n])).toEqual(err("TruncatedMessage"));
    expect(call(L.DomainScheduleConfigure, [1n, 0n, 5n])).toEqual(err("RangeError", 0n, 0n));
    expect(call(L.DomainScheduleConfigure, [0n, 1n, 5n])).toEqual(err("RangeError", 0n, 0n));
    expect(call(L.DomainScheduleConfigure, [0n, 0n, DSCHED_MAX_DURATION + 1n])).toEqual(
      err("InvalidArgument", 2n),
    );
    expect(call(L.DomainScheduleConfigure, [0n, 0n, 0n])).toEqual(err("InvalidArgument", 2n));
    expect(call(L.DomainScheduleConfigure, [0n, 0n, 100n])).toEqual(ok);
    expect(w.ks.domSchedule[0]).toEqual({ domain: 0, duration: 100n });
  });

  it("ScheduleSetStart refuses end markers and restarts the schedule", () => {
    expect(call(L.DomainScheduleSetStart)).toEqual(err("TruncatedMessage"));
    expect(call(L.DomainScheduleSetStart, [2n])).toEqual(err("RangeError", 0n, 1n));
    expect(call(L.DomainScheduleSetStart, [1n])).toEqual(err("InvalidArgument", 0n));
    expect(call(L.DomainScheduleConfigure, [0n, 0n, 100n])).toEqual(ok);
    expect(call(L.DomainScheduleSetStart, [0n])).toEqual(ok);
    // The next choice moved to the start entry.
    expect(w.ks.domainTime).toBe(100n);
    expect(w.current).toBe(me);
  });

  it("other labels are IllegalOperation", () => {
    expect(call(L.TCBResume)).toEqual(err("IllegalOperation"));
  });
});
