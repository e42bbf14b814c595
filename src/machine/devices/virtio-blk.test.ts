import { describe, expect, it } from "vitest";
import {
  DATA,
  HDR,
  RAM_BASE,
  STATUS,
  VirtioTestDriver,
} from "../../../tests/support/virtio-driver.js";
import { CopyOnWriteBackend, MemoryBackend } from "./block-backend.js";
import { VirtioBlkStatus as St, VirtioBlkType as T, VirtioBlk } from "./virtio-blk.js";
import { VirtioMmioReg as R } from "./virtio-mmio.js";
import { VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from "./virtqueue.js";

const SEG_MAX = 1n << 2n;
const BLK_SIZE = 1n << 6n;
const FLUSH = 1n << 9n;

function image(sectors: number): Uint8Array {
  const b = new Uint8Array(sectors * 512);
  for (let s = 0; s < sectors; s++) b.fill(s + 1, s * 512, s * 512 + 512);
  return b;
}

function setup(sectors = 8, serial?: string) {
  const backend = new MemoryBackend(image(sectors));
  const d = new VirtioTestDriver(
    new VirtioBlk({ backend, ...(serial !== undefined ? { serial } : {}) }),
  );
  d.start();
  return { d, backend };
}

describe("virtio-blk", () => {
  it("offers SEG_MAX, BLK_SIZE and FLUSH and describes the disk in its configuration space", () => {
    const { d } = setup(8);
    const f = d.deviceFeatures() & 0xffffffffn;
    expect(f).toBe(SEG_MAX | BLK_SIZE | FLUSH | (1n << 28n));
    expect(d.t.load(R.Config + 0x00, 4)).toBe(8); // capacity, sectors
    expect(d.t.load(R.Config + 0x04, 4)).toBe(0);
    expect(d.t.load(R.Config + 0x0c, 4)).toBe(254); // seg_max
    expect(d.t.load(R.Config + 0x14, 4)).toBe(512); // blk_size
    expect(d.t.load(R.Config + 0x22, 2)).toBe(1); // num_queues
    d.t.store(R.Config, 4, 99);
    expect(d.t.load(R.Config, 4)).toBe(8);
  });

  it("reads sectors (T_IN), and the used length counts data and status", () => {
    const { d } = setup();
    const r = d.blk(T.VIRTIO_BLK_T_IN, 2, 1024);
    expect(r.status).toBe(St.VIRTIO_BLK_S_OK);
    expect(r.len).toBe(1025);
    expect(r.data.subarray(0, 512).every((b) => b === 3)).toBe(true);
    expect(r.data.subarray(512).every((b) => b === 4)).toBe(true);
  });

  it("writes sectors (T_OUT) and reads them back; the used length is the status byte", () => {
    const { d, backend } = setup();
    const pattern = new Uint8Array(512).map((_, i) => (i * 13) & 0xff);
    const w = d.blk(T.VIRTIO_BLK_T_OUT, 5, 512, pattern);
    expect(w.status).toBe(St.VIRTIO_BLK_S_OK);
    expect(w.len).toBe(1);
    expect(backend.bytes.subarray(5 * 512, 6 * 512)).toEqual(pattern);
    expect(backend.bytes[4 * 512]).toBe(5);
    expect(backend.bytes[6 * 512]).toBe(7);
    expect(d.blk(T.VIRTIO_BLK_T_IN, 5, 512).data).toEqual(pattern);
  });

  it("flushes the backend (T_FLUSH)", () => {
    const { d, backend } = setup();
    expect(d.blk(T.VIRTIO_BLK_T_FLUSH, 0, 0).status).toBe(St.VIRTIO_BLK_S_OK);
    expect(backend.flushes).toBe(1);
  });

  it("answers T_GET_ID with the serial, NUL-padded to 20 bytes", () => {
    const { d } = setup(8, "disk-A");
    const r = d.blk(T.VIRTIO_BLK_T_GET_ID, 0, 20);
    expect(r.status).toBe(St.VIRTIO_BLK_S_OK);
    expect(Buffer.from(r.data).toString("latin1")).toBe(`disk-A${"\0".repeat(14)}`);
    expect(Buffer.from(setup().d.blk(T.VIRTIO_BLK_T_GET_ID, 0, 20).data).toString()).toMatch(
      /^mica-virtio-blk\0+$/,
    );
  });

  it("truncates the id to the buffer the driver gave", () => {
    const { d } = setup(8, "abcdefghij");
    const r = d.blk(T.VIRTIO_BLK_T_GET_ID, 0, 4);
    expect(Buffer.from(r.data).toString()).toBe("abcd");
    expect(r.status).toBe(St.VIRTIO_BLK_S_OK);
  });

  it("fails transfers past the end or of partial sectors with IOERR, touching nothing", () => {
    const { d, backend } = setup(8);
    expect(d.blk(T.VIRTIO_BLK_T_IN, 8, 512).status).toBe(St.VIRTIO_BLK_S_IOERR);
    expect(d.blk(T.VIRTIO_BLK_T_IN, 7, 1024).status).toBe(St.VIRTIO_BLK_S_IOERR);
    expect(d.blk(T.VIRTIO_BLK_T_IN, 2 ** 40, 512).status).toBe(St.VIRTIO_BLK_S_IOERR);
    const before = backend.bytes.slice();
    expect(d.blk(T.VIRTIO_BLK_T_OUT, 0, 100, new Uint8Array(100)).status).toBe(
      St.VIRTIO_BLK_S_IOERR,
    );
    expect(d.blk(T.VIRTIO_BLK_T_OUT, 8, 512, new Uint8Array(512)).status).toBe(
      St.VIRTIO_BLK_S_IOERR,
    );
    expect(backend.bytes).toEqual(before);
    // The last sector itself is fine.
    expect(d.blk(T.VIRTIO_BLK_T_IN, 7, 512).data[0]).toBe(8);
  });

  it("answers unknown request types with UNSUPP", () => {
    const { d } = setup();
    expect(d.blk(2, 0, 0).status).toBe(St.VIRTIO_BLK_S_UNSUPP); // SCSI commands
    expect(d.blk(11, 0, 0).status).toBe(St.VIRTIO_BLK_S_UNSUPP); // DISCARD, not offered
  });

  it("accepts a request split over descriptors any way (header, data and status together)", () => {
    const { d } = setup();
    // Header in two pieces, data in three uneven pieces, the last sharing a buffer with the status.
    d.view.setUint32(HDR, T.VIRTIO_BLK_T_IN, true);
    d.view.setBigUint64(HDR + 8, 1n, true);
    d.desc(0, RAM_BASE + HDR, 6, VIRTQ_DESC_F_NEXT, 1);
    d.desc(1, RAM_BASE + HDR + 6, 10, VIRTQ_DESC_F_NEXT, 2);
    d.desc(2, RAM_BASE + DATA, 100, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3);
    d.desc(3, RAM_BASE + DATA + 100, 400, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 4);
    d.desc(4, RAM_BASE + DATA + 500, 13, VIRTQ_DESC_F_WRITE);
    d.ram.fill(0, DATA, DATA + 513);
    d.submit(0);
    expect(d.used(0)).toEqual({ id: 0, len: 513 });
    expect(d.ram.subarray(DATA, DATA + 512).every((b) => b === 2)).toBe(true);
    expect(d.ram[DATA + 512]).toBe(St.VIRTIO_BLK_S_OK);
    expect(d.ram[STATUS]).toBe(0);
  });

  it("serves every request made available before the notification", () => {
    const { d } = setup();
    for (const [k, head] of [0, 3].entries()) {
      const hdr = HDR + 0x20 * k;
      d.view.setUint32(hdr, T.VIRTIO_BLK_T_IN, true);
      d.view.setBigUint64(hdr + 8, BigInt(k + 3), true);
      d.desc(head, RAM_BASE + hdr, 16, VIRTQ_DESC_F_NEXT, head + 1);
      d.desc(
        head + 1,
        RAM_BASE + DATA + 0x400 * k,
        512,
        VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
        head + 2,
      );
      d.desc(head + 2, RAM_BASE + STATUS + k, 1, VIRTQ_DESC_F_WRITE);
    }
    d.view.setUint16(0x2004, 0, true);
    d.view.setUint16(0x2006, 3, true);
    d.view.setUint16(0x2002, 2, true);
    d.w(R.QueueNotify, 0);
    expect(d.usedIdx).toBe(2);
    expect(d.used(0).id).toBe(0);
    expect(d.used(1).id).toBe(3);
    expect(d.ram[DATA]).toBe(4);
    expect(d.ram[DATA + 0x400]).toBe(5);
  });

  it("reports IOERR when the backend fails", () => {
    const base = new MemoryBackend(image(8));
    const failing = {
      sizeBytes: base.sizeBytes,
      read: () => false,
      write: () => false,
      flush: () => false,
    };
    const d = new VirtioTestDriver(new VirtioBlk({ backend: failing }));
    d.start();
    expect(d.blk(T.VIRTIO_BLK_T_IN, 0, 512).status).toBe(St.VIRTIO_BLK_S_IOERR);
    expect(d.blk(T.VIRTIO_BLK_T_OUT, 0, 512, new Uint8Array(512)).status).toBe(
      St.VIRTIO_BLK_S_IOERR,
    );
    expect(d.blk(T.VIRTIO_BLK_T_FLUSH, 0, 0).status).toBe(St.VIRTIO_BLK_S_IOERR);
  });

  it("over a copy-on-write backend, writes are seen by reads but not by the base", () => {
    const base = new MemoryBackend(image(16));
    const d = new VirtioTestDriver(new VirtioBlk({ backend: new CopyOnWriteBackend(base) }));
    d.start();
    const pattern = new Uint8Array(512).fill(0x5a);
    expect(d.blk(T.VIRTIO_BLK_T_OUT, 9, 512, pattern).status).toBe(0);
    expect(d.blk(T.VIRTIO_BLK_T_IN, 9, 512).data).toEqual(pattern);
    expect(d.blk(T.VIRTIO_BLK_T_IN, 8, 512).data[0]).toBe(9);
    expect(base.bytes[9 * 512]).toBe(10);
  });
});
