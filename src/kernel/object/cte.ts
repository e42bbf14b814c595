// A capability table entry: one slot, holding a cap and its place in the
// capability derivation tree (seL4's mdb_node: a doubly linked list in
// tree order, with the revocable and firstBadged bits).

import { type Cap, NullCap } from "./cap.js";
import type { Zombie } from "./objecttype.js";

export class CTE {
  cap: Cap = NullCap;
  mdbPrev: CTE | undefined;
  mdbNext: CTE | undefined;
  mdbRevocable = false;
  mdbFirstBadged = false;
  /**
   * Set while the slot holds a zombie (seL4's cap_zombie_cap): a CNode or
   * TCB being destroyed; `cap` keeps the object's original cap (cdt.ts).
   * Only the derivation tree's functions change it.
   */
  zombie: Zombie | undefined = undefined;

  /** Where the slot lives, for messages and the DebugSnapshot dump. */
  constructor(
    readonly owner: string,
    readonly index: number,
  ) {}
}
