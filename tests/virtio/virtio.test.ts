// The virtio guest program (tests/virtio/src/virtio-blk.c) drives mica's
// virtio-mmio disk end to end through `mica machine run --disk`: probe,
// negotiation, read, write + read back (indirect), flush, get-id, an
// out-of-range read.
// The transcript is the one QEMU 7.2 prints for the same program and disk
// (`make -C tests/virtio qemu`) except for the lines noted below.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBareMetal } from "../../src/boot/bare-metal.js";
import { MemoryBackend } from "../../src/machine/devices/block-backend.js";
import { VirtioBlk } from "../../src/machine/devices/virtio-blk.js";
import { ROOT, runCli } from "../support/run-cli.js";

const ELF = join(ROOT, "tests/virtio/build/virtio-blk.elf");
const ERRORS_ELF = join(ROOT, "tests/virtio/build/virtio-errors.elf");
const dir = mkdtempSync(join(tmpdir(), "mica-virtio-"));

/** The disk tests/virtio/disk.sh makes: 64 zero sectors, a greeting at the start. */
function diskImage(): Uint8Array {
  const img = new Uint8Array(64 * 512);
  img.set(new TextEncoder().encode("mica disk image\n"));
  return img;
}

function tmpDisk(name: string): string {
  const p = join(dir, name);
  writeFileSync(p, diskImage());
  return p;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const slots = Array.from(
  { length: 7 },
  (_, i) => `slot ${i + 1} at 0x1000${i + 2}000: version 2, vendor 0x554d4551, device 0 (empty)\n`,
).join("");

const TRANSCRIPT =
  "virtio-blk: probing the virtio-mmio transports\n" +
  "slot 0 at 0x10001000: version 2, vendor 0x554d4551, device 2 (block)\n" +
  slots +
  // QEMU: 0x0000010130006e54 (it also offers GEOMETRY, TOPOLOGY, CONFIG_WCE,
  // DISCARD, WRITE_ZEROES, EVENT_IDX and RING_RESET).
  "device features 0x0000000110000244\n" +
  "driver features 0x0000000110000244, FEATURES_OK kept\n" +
  "capacity 64 sectors, blk_size 512, seg_max 254\n" +
  "queue 0: QueueNumMax 1024\n" +
  'sector 0: 6d 69 63 61 20 64 69 73 6b 20 69 6d 61 67 65 0a  "mica disk image"\n' +
  "sector 1: wrote a pattern and read it back (indirect)\n" +
  "flush: ok\n" +
  // QEMU: "" (a drive without serial=).
  'id: "mica-virtio-blk"\n' +
  "read past the end: status 1 (IOERR)\n" +
  "virtio-blk: ok\n";

/** What the guest writes to sector 1. */
function pattern(): Uint8Array {
  return new Uint8Array(512).map((_, i) => (i * 7 + 3) & 0xff);
}

describe("virtio-blk guest program (tests/virtio)", () => {
  it("runs against a copy-on-write disk and leaves the file unchanged", () => {
    const img = tmpDisk("cow.img");
    const before = sha256(readFileSync(img));
    const r = runCli(["machine", "run", "--disk", img, ELF]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(TRANSCRIPT);
    expect(r.status).toBe(0);
    expect(sha256(readFileSync(img))).toBe(before);
  });

  it("with --disk-write, the guest's write reaches the file", () => {
    const img = tmpDisk("rw.img");
    const r = runCli(["machine", "run", "--disk", img, "--disk-write", ELF]);
    expect(r.stdout).toBe(TRANSCRIPT);
    expect(r.status).toBe(0);
    const after = new Uint8Array(readFileSync(img));
    const want = diskImage();
    want.set(pattern(), 512);
    expect(after).toEqual(want);
  });

  it("finds no device when no disk is attached (all eight slots read device id 0)", () => {
    const r = runBareMetal(new Uint8Array(readFileSync(ELF)), { maxInstructions: 10_000_000 });
    expect(r.output).toContain(slots);
    expect(r.output).toContain(
      "slot 0 at 0x10001000: version 2, vendor 0x554d4551, device 0 (empty)\n",
    );
    expect(r.output).toContain("FAIL no block device\n");
    expect(r.exitCode).toBe(1);
  });

  it("runs in-process over a memory backend, writing through to it", () => {
    const backend = new MemoryBackend(diskImage());
    const r = runBareMetal(new Uint8Array(readFileSync(ELF)), {
      maxInstructions: 10_000_000,
      virtio: [new VirtioBlk({ backend, serial: "in-process" })],
    });
    expect(r.output).toBe(TRANSCRIPT.replace("mica-virtio-blk", "in-process"));
    expect(r.exitCode).toBe(0);
    expect(backend.bytes.subarray(512, 1024)).toEqual(pattern());
    expect(backend.flushes).toBe(1);
  });

  it("virtio-errors: a misbehaving driver gets QEMU's answers, except where mica refuses", () => {
    const r = runCli(["machine", "run", "--disk", tmpDisk("errors.img"), ERRORS_ELF]);
    expect(r.stdout).toBe(
      "virtio-errors: start\n" +
        "empty slot 1: Status after writing 1: 0x00000000\n" +
        "empty slot 1: configuration word 0: 0x00000000\n" +
        "byte read of MagicValue: 0x00000000\n" +
        "halfword read of Version: 0x00000000\n" +
        "configuration word at 0x40 (past its end): 0xffffffff\n" +
        "word at offset 0x800: access fault\n" +
        "QueueNumMax of queue 1: 0x00000000\n" +
        // QEMU serves a buffer in unassigned space through a bounce buffer and
        // answers OK (used idx 1, request status 0, Status 0xf, InterruptStatus 1,
        // ConfigGeneration 0; then the good request is served too).
        "buffer at 0x400000000: used idx 0, request status 255, Status 0x0000004f\n" +
        "  InterruptStatus 0x00000002\n" +
        "  ConfigGeneration 0x00000001\n" +
        "a good request after it: used idx 0, request status 255, Status 0x0000004f\n" +
        "  InterruptStatus 0x00000002\n" +
        "  ConfigGeneration 0x00000001\n" +
        "after reset: Status 0x00000000\n" +
        "after reset: InterruptStatus 0x00000000\n" +
        "read after reset: status 0\n" +
        "request type 0x30: status 2\n" +
        // QEMU: InterruptStatus 0x3 (bit 0 raised again) and ConfigGeneration 1
        // (its first error in this run).
        "descriptor loop: used idx 2, request status 2, Status 0x0000004f\n" +
        "  InterruptStatus 0x00000002\n" +
        "  ConfigGeneration 0x00000002\n" +
        "driver without VERSION_1: FEATURES_OK kept\n" +
        "  then a read: status 0\n" +
        "virtio-errors: done\n",
    );
    expect(r.status).toBe(0);
  });
});
