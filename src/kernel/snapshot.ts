// DebugSnapshot, readable: every thread with its CSpace, one line per
// non-empty slot (upstream prints capDL; mica prints what a person reads).

import type { Cap } from "./object/cap.js";
import { type TCB, tcbCTable } from "./object/tcb.js";
import type { KernelState } from "./state.js";

export function describeCap(c: Cap): string {
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  switch (c.type) {
    case "UntypedCap":
      return `untyped ${hex(c.paddr)} 2^${c.sizeBits}${c.isDevice ? " device" : ""} (used ${hex(c.obj.freeIndex)})`;
    case "EndpointCap":
      return `endpoint ${hex(c.obj.paddr)} badge ${hex(c.badge)}${rights(c.canSend, c.canReceive, c.canGrant, c.canGrantReply)}`;
    case "NotificationCap":
      return `notification ${hex(c.obj.paddr)} badge ${hex(c.badge)}${rights(c.canSend, c.canReceive, false, false)}`;
    case "CNodeCap":
      return `cnode ${hex(c.obj.paddr)} radix ${c.obj.radix} guard ${hex(c.guard)}/${c.guardSize}`;
    case "ThreadCap":
      return `tcb ${hex(c.tcb.paddr)} "${c.tcb.name}"`;
    case "FrameCap":
      return `frame ${hex(c.paddr)} 2^${c.sizeBits} ${c.rights}${c.mapping ? ` mapped asid ${c.mapping.asid} at ${hex(c.mapping.vaddr)}` : ""}`;
    case "PageTableCap":
      return `page table ${hex(c.paddr)}${c.mapping ? ` asid ${c.mapping.asid} at ${hex(c.mapping.vaddr)}` : ""}`;
    case "ASIDPoolCap":
      return `asid pool ${hex(c.pool.paddr)} base ${c.asidBase}`;
    case "ReplyCap":
      return `reply to "${c.tcb.name}"${c.master ? " (master)" : ""}`;
    case "IRQHandlerCap":
      return `irq handler ${c.irq}`;
    case "IRQControlCap":
      return "irq control";
    case "ASIDControlCap":
      return "asid control";
    case "DomainCap":
      return "domain";
    case "NullCap":
      return "null";
  }
}

function rights(w: boolean, r: boolean, g: boolean, gr: boolean): string {
  return ` ${r ? "R" : "-"}${w ? "W" : "-"}${g ? "G" : "-"}${gr ? "g" : "-"}`;
}

export function describeCapState(ks: KernelState, _caller: TCB): string[] {
  const lines = ["capability snapshot:"];
  for (const t of ks.threads) {
    lines.push(`  thread "${t.name || "?"}" (${t.state.type}, priority ${t.priority})`);
    const root = t.cnode[tcbCTable]!.cap;
    if (root.type !== "CNodeCap") {
      lines.push("    no CSpace");
      continue;
    }
    for (const slot of root.obj.namedSlots()) {
      if (slot.cap.type !== "NullCap") lines.push(`    [${slot.index}] ${describeCap(slot.cap)}`);
    }
  }
  return lines;
}
