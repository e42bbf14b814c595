// Runtime checks of the invariants seL4's proofs establish (seL4/l4v:
// proof/invariant-abstract, sel4-semantics 13), run after every kernel
// entry in --check mode. A violation is a kernel bug: it is reported, not
// repaired.

import { mdbInvariantViolation } from "./cdt.js";
import type { Kernel } from "./kernel.js";
import type { CTE } from "./object/cte.js";
import { tcbCTable } from "./object/tcb.js";
import { checkThreadInvariants } from "./thread-invariants.js";

/** Returns the first violated invariant, or undefined when all hold. */
export function checkInvariants(kernel: Kernel): string | undefined {
  return (
    checkReadyQueues(kernel) ?? checkThreadInvariants(kernel.ks) ?? checkDerivationTree(kernel)
  );
}

// Every queued thread is known to the kernel (the queues' own shape is
// checked in thread-invariants.ts).
function checkReadyQueues(kernel: Kernel): string | undefined {
  const ks = kernel.ks;
  for (const q of ks.readyQueues) {
    for (const t of q) {
      if (!ks.threads.has(t))
        return `valid_queues: queued thread "${t.name}" is unknown to the kernel`;
    }
  }
  return undefined;
}

// valid_mdb (the parts visible on a linked list): links are mutual, no
// slot is linked to itself, empty slots are not in the tree, and the list
// has no cycles.
function checkDerivationTree(kernel: Kernel): string | undefined {
  const slots = new Set<CTE>();
  for (const t of kernel.ks.threads) {
    for (const s of t.cnode) slots.add(s);
    const root = t.cnode[tcbCTable]!.cap;
    if (root.type === "CNodeCap") for (const s of root.obj.namedSlots()) slots.add(s);
  }
  for (const s of slots) {
    const where = `${s.owner}[${s.index}]`;
    if (s.cap.type === "NullCap" && (s.mdbPrev || s.mdbNext))
      return `valid_mdb: empty slot ${where} is linked`;
    if (s.mdbNext === s || s.mdbPrev === s) return `valid_mdb: slot ${where} is linked to itself`;
    if (s.mdbNext && s.mdbNext.mdbPrev !== s) return `valid_mdb: ${where}.next does not point back`;
    if (s.mdbPrev && s.mdbPrev.mdbNext !== s) return `valid_mdb: ${where}.prev does not point back`;
  }
  // No cycles: walk back from each slot at most |slots| + 1 steps.
  for (const s of slots) {
    let n = 0;
    for (let p = s.mdbPrev; p; p = p.mdbPrev) {
      if (++n > slots.size + 1) return `valid_mdb: cycle through ${s.owner}[${s.index}]`;
    }
  }
  // The tree's order and contents: parents before children, flags, untyped
  // children inside their untyped (cdt.ts).
  const tree = mdbInvariantViolation(slots);
  if (tree) return tree;
  return undefined;
}
