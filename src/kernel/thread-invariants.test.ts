// The --check mode's thread invariants on CSpaces of the sizes `mica run --cnode-bits` allows.
import { describe, expect, it } from "vitest";
import { World } from "../../tests/support/kernel-fixture.js";
import { CNode } from "./object/cnode.js";
import { tcbCTable } from "./object/tcb.js";
import { checkThreadInvariants } from "./thread-invariants.js";

describe("checkThreadInvariants with a 2^18-slot root CNode", () => {
  // Regression: the reply-cap check spread every root CNode slot into one push() call,
  // which overflowed the host's stack (`mica run --check --cnode-bits 18` crashed).
  function bigWorld() {
    const w = new World();
    const t = w.thread("big", 100);
    const cnode = new CNode(0x2000_0000n, 18);
    // Every slot named, as in a CSpace that has used all of them.
    for (let i = 0; i < cnode.size; i++) cnode.slot(i);
    t.cnode[tcbCTable]!.cap = { type: "CNodeCap", obj: cnode, guardSize: 46, guard: 0n };
    w.boot(t);
    return { w, t, cnode };
  }

  it("holds without overflowing the stack", () => {
    const { w } = bigWorld();
    expect(checkThreadInvariants(w.ks)).toBeUndefined();
  });

  it("still finds a master reply cap in a high slot", () => {
    const { w, t, cnode } = bigWorld();
    cnode.slot(200_000).cap = { type: "ReplyCap", tcb: t, master: true, canGrant: true };
    expect(checkThreadInvariants(w.ks)).toBe(
      'valid_reply_masters: a master reply cap to "big" sits outside its reply slot',
    );
  });
});
