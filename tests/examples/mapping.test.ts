// examples/mapping: page tables before pages, shared frames through cap
// copies, unmap and remap, and a 2 MiB page.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/run-cli.js";
import { expectTranscript } from "../support/transcript.js";

describe("examples/mapping", () => {
  const r = runCli(["run", "--check", join(ROOT, "images/mapping.elf")]);

  it("prints the expected transcript and halts", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("mica: halting the system (seL4_DebugHalt)\n");
    expectTranscript(r.stdout, [
      "== Map a 4 KiB frame at 0x10000000",
      "without a last-level page table: seL4_FailedLookup",
      "page table mapped for 0x10000000..0x101fffff",
      "a fresh frame reads 0",
      /wrote 0xc0ffee; the frame is at paddr 0x8[0-9a-f]{7}/,
      "== The same frame at a second address, read-only",
      "mapping the same cap twice: seL4_InvalidArgument",
      "0x10001000 reads 0xc0ffee",
      "after a write through the first mapping, the second sees 7",
      "== Unmap and map again: the contents stay with the frame",
      "0x10005000 reads 0xc0ffee",
      "== A 2 MiB frame goes straight into the middle table",
      "at an address not 2 MiB aligned: seL4_AlignmentError",
      "where a page table is mapped already: seL4_FailedLookup",
      "first and last byte of the 2 MiB: 1 2",
      "mapping: done",
    ]);
  });
});
