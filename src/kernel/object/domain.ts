// DomainSet invocations (seL4/seL4: src/object/domain.c; l4v
// spec/haskell/src/SEL4/Object/Domain.hs): move a thread to a scheduling
// domain, and (15.0+) edit the domain schedule at run time. The number of
// domains and the boot schedule are chosen when the system boots (seL4: when
// the kernel is built); by default one domain, as in seL4's default build.

import { InvocationLabel } from "../api/generated/abi.js";
import { DSCHED_MAX_DURATION } from "../state.js";
import { isEndMarker, rescheduleRequired, setDomain } from "../thread.js";
import { done, fail, type Invocation, type InvocationResult } from "./invocation.js";

// Literal values: invocation.ts may still be loading when this module initialises.
const truncated: InvocationResult = { type: "error", error: { type: "TruncatedMessage" } };

export function decodeDomainInvocation(inv: Invocation): InvocationResult {
  switch (inv.label) {
    case InvocationLabel.DomainSetSet:
      return decodeDomainSetSet(inv);
    case InvocationLabel.DomainScheduleConfigure:
      return decodeDomainScheduleConfigure(inv);
    case InvocationLabel.DomainScheduleSetStart:
      return decodeDomainScheduleSetStart(inv);
    default:
      return fail({ type: "IllegalOperation" });
  }
}

/** Set(domain; cap0 TCB). */
function decodeDomainSetSet(inv: Invocation): InvocationResult {
  if (inv.mrs.length === 0) return truncated;
  const domain = inv.mrs[0]!;
  if (domain >= BigInt(inv.kernel.ks.numDomains))
    return fail({ type: "InvalidArgument", argumentNumber: 0 });
  if (inv.extraCaps.length < 1) return truncated;
  const cap = inv.extraCaps[0]!.cap;
  if (cap.type !== "ThreadCap") return fail({ type: "InvalidArgument", argumentNumber: 1 });
  setDomain(inv.kernel.ks, cap.tcb, Number(domain));
  return done;
}

/** ScheduleConfigure(index, domain, duration): one schedule entry; the last stays an end marker. */
function decodeDomainScheduleConfigure(inv: Invocation): InvocationResult {
  if (inv.mrs.length < 3) return truncated;
  const [index, domain, duration] = inv.mrs as [bigint, bigint, bigint];
  const ks = inv.kernel.ks;
  const numDomains = BigInt(ks.numDomains);
  const domScheduleLength = BigInt(ks.domSchedule.length);
  if (index >= domScheduleLength - 1n) {
    return fail({ type: "RangeError", min: 0n, max: domScheduleLength - 2n });
  }
  if (domain >= numDomains) return fail({ type: "RangeError", min: 0n, max: numDomains - 1n });
  if (duration > DSCHED_MAX_DURATION) return fail({ type: "InvalidArgument", argumentNumber: 2 });
  if (duration === 0n && domain !== 0n) return fail({ type: "InvalidArgument", argumentNumber: 1 });
  if (index === BigInt(ks.domScheduleStart) && duration === 0n) {
    return fail({ type: "InvalidArgument", argumentNumber: 2 });
  }
  ks.domSchedule[Number(index)] = { domain: Number(domain), duration };
  return done;
}

/** ScheduleSetStart(index): the schedule restarts there at once. */
function decodeDomainScheduleSetStart(inv: Invocation): InvocationResult {
  if (inv.mrs.length < 1) return truncated;
  const index = inv.mrs[0]!;
  const ks = inv.kernel.ks;
  const domScheduleLength = BigInt(ks.domSchedule.length);
  if (index >= domScheduleLength)
    return fail({ type: "RangeError", min: 0n, max: domScheduleLength - 1n });
  if (isEndMarker(ks.domSchedule[Number(index)]!)) {
    return fail({ type: "InvalidArgument", argumentNumber: 0 });
  }
  ks.domScheduleStart = Number(index);
  // End the current entry; the next choice lands on the start index.
  ks.domainTime = 0n;
  ks.domScheduleIdx = ks.domSchedule.length - 2;
  rescheduleRequired(ks);
  return done;
}
