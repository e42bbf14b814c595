import { describe, expect, it } from "vitest";
import {
  DATA,
  HDR,
  RAM_BASE,
  STATUS,
  VERSION_1,
  VirtioTestDriver,
} from "../../../tests/support/virtio-driver.js";
import { MemoryBackend } from "./block-backend.js";
import { VirtioStatus as S } from "./virtio.js";
import { VirtioBlk, VirtioBlkType } from "./virtio-blk.js";
import {
  VirtioMmioReg as R,
  VIRTIO_MMIO_INT_CONFIG,
  VIRTIO_MMIO_INT_VRING,
} from "./virtio-mmio.js";
import {
  VIRTQ_AVAIL_F_NO_INTERRUPT,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
} from "./virtqueue.js";

const INDIRECT = 1n << 28n;
const EVENT_IDX = 1n << 29n;

function disk(sectors = 16): VirtioTestDriver {
  const bytes = new Uint8Array(sectors * 512);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff;
  return new VirtioTestDriver(new VirtioBlk({ backend: new MemoryBackend(bytes) }));
}

describe("virtio-mmio transport", () => {
  it("identifies itself as a modern QEMU transport", () => {
    const d = disk();
    expect(d.r(R.MagicValue)).toBe(0x74726976);
    expect(d.r(R.Version)).toBe(2);
    expect(d.r(R.DeviceID)).toBe(2);
    expect(d.r(R.VendorID)).toBe(0x554d4551);
  });

  it("reads device id 0 in an empty slot and ignores writes there", () => {
    const d = new VirtioTestDriver();
    expect(d.r(R.MagicValue)).toBe(0x74726976);
    expect(d.r(R.Version)).toBe(2);
    expect(d.r(R.DeviceID)).toBe(0);
    expect(d.r(R.VendorID)).toBe(0x554d4551);
    d.w(R.Status, S.ACKNOWLEDGE);
    expect(d.r(R.Status)).toBe(0);
    expect(d.r(R.QueueNumMax)).toBe(0);
    expect(d.t.load(R.Config, 4)).toBe(0);
  });

  it("offers VERSION_1 and indirect descriptors but not EVENT_IDX", () => {
    const f = disk().deviceFeatures();
    expect(f & VERSION_1).toBe(VERSION_1);
    expect(f & INDIRECT).toBe(INDIRECT);
    expect(f & EVENT_IDX).toBe(0n);
    const d = disk();
    d.w(R.DeviceFeaturesSel, 2);
    expect(d.r(R.DeviceFeatures)).toBe(0);
  });

  it("keeps FEATURES_OK when VERSION_1 is accepted, dropping bits it did not offer", () => {
    const d = disk();
    const st = d.negotiate(VERSION_1 | (1n << 40n));
    expect(st & S.FEATURES_OK).toBe(S.FEATURES_OK);
    expect(d.t.negotiated).toBe(VERSION_1);
  });

  it("keeps a driver that accepts only the low feature word (xv6's), as QEMU does", () => {
    const d = disk();
    const low = d.deviceFeatures() & 0xffffffffn;
    const st = d.negotiate(low);
    expect(st).toBe(S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK);
    expect(d.t.negotiated).toBe(low);
  });

  it("reports QueueNumMax 1024 for queue 0 and 0 for queues the device lacks", () => {
    const d = disk();
    d.w(R.QueueSel, 0);
    expect(d.r(R.QueueNumMax)).toBe(1024);
    d.w(R.QueueSel, 1);
    expect(d.r(R.QueueNumMax)).toBe(0);
    d.w(R.QueueReady, 1);
    expect(d.r(R.QueueReady)).toBe(0);
  });

  it("takes only 32-bit accesses below the configuration space", () => {
    const d = disk();
    expect(d.t.load(R.MagicValue, 2)).toBe(0);
    expect(d.t.load(R.MagicValue, 1)).toBe(0);
    d.t.store(R.Status, 1, S.ACKNOWLEDGE);
    expect(d.r(R.Status)).toBe(0);
  });

  it("reads the configuration space at any width and all ones past its end", () => {
    const d = disk(16);
    expect(d.t.load(R.Config, 4)).toBe(16);
    expect(d.t.load(R.Config + 4, 4)).toBe(0);
    expect(d.t.load(R.Config, 1)).toBe(16);
    expect(d.t.load(R.Config + 0x14, 2)).toBe(512);
    expect(d.t.load(R.Config + 0x3c, 4)).toBe(0xffffffff);
    expect(d.t.load(R.Config + 0x3c, 1)).toBe(0xff);
  });

  it("serves a request at QueueNotify and raises the used-buffer interrupt until acknowledged", () => {
    const d = disk();
    d.start();
    const r = d.blk(VirtioBlkType.VIRTIO_BLK_T_IN, 0, 512);
    expect(r.status).toBe(0);
    expect(d.r(R.InterruptStatus)).toBe(VIRTIO_MMIO_INT_VRING);
    expect(d.t.irq).toBe(true);
    // The line is driven on every update (the reset in start() drove it low):
    // each used buffer is a new request at the PLIC, as on QEMU.
    expect(d.irqs).toEqual([false, true]);
    d.blk(VirtioBlkType.VIRTIO_BLK_T_IN, 0, 512);
    expect(d.irqs).toEqual([false, true, true]);
    d.w(R.InterruptACK, VIRTIO_MMIO_INT_VRING);
    expect(d.r(R.InterruptStatus)).toBe(0);
    expect(d.irqs).toEqual([false, true, true, false]);
  });

  it("does not interrupt when the driver sets VIRTQ_AVAIL_F_NO_INTERRUPT", () => {
    const d = disk();
    d.start();
    d.view.setUint16(0x2000, VIRTQ_AVAIL_F_NO_INTERRUPT, true);
    d.blk(VirtioBlkType.VIRTIO_BLK_T_IN, 0, 512);
    expect(d.r(R.InterruptStatus)).toBe(0);
    expect(d.irqs).not.toContain(true);
  });

  it("ignores notifications for a queue that is not ready", () => {
    const d = disk();
    d.negotiate();
    d.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    d.desc(1, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_WRITE);
    d.submit(0);
    expect(d.usedIdx).toBe(0);
  });

  it("follows an indirect descriptor table when negotiated", () => {
    const d = disk();
    d.start();
    const table = 0x5000;
    d.view.setUint32(HDR, VirtioBlkType.VIRTIO_BLK_T_IN, true);
    d.view.setBigUint64(HDR + 8, 1n, true);
    d.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 1, table);
    d.desc(1, RAM_BASE + DATA, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2, table);
    d.desc(2, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_WRITE, 0, table);
    d.desc(3, RAM_BASE + table, 48, VIRTQ_DESC_F_INDIRECT);
    d.submit(3);
    expect(d.usedIdx).toBe(1);
    expect(d.used(0)).toEqual({ id: 3, len: 513 });
    expect(d.ram[STATUS]).toBe(0);
    expect(d.ram[DATA]).toBe((512 * 7 + 1) & 0xff);
  });

  describe("a malformed queue sets DEVICE_NEEDS_RESET and never touches the host", () => {
    const cases: [string, (d: VirtioTestDriver) => void, string][] = [
      [
        "buffer outside RAM",
        (d) => {
          d.desc(0, 0x1000_0000, 16, VIRTQ_DESC_F_NEXT, 1);
          d.desc(1, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_WRITE);
        },
        "buffer outside RAM",
      ],
      [
        "buffer running past the end of RAM",
        (d) => {
          d.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 1);
          d.desc(1, RAM_BASE + d.ram.length - 4, 8, VIRTQ_DESC_F_WRITE);
        },
        "buffer outside RAM",
      ],
      [
        "address above 2^53",
        (d) => {
          d.desc(0, 2 ** 60, 16, VIRTQ_DESC_F_NEXT, 1);
          d.desc(1, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_WRITE);
        },
        "buffer outside RAM",
      ],
      [
        "descriptor loop",
        (d) => {
          d.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 1);
          d.desc(1, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 0);
        },
        "descriptor loop",
      ],
      [
        "next index out of range",
        (d) => d.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 8),
        "next index out of range",
      ],
      [
        "zero-length buffer",
        (d) => {
          d.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 1);
          d.desc(1, RAM_BASE + STATUS, 0, VIRTQ_DESC_F_WRITE);
        },
        "zero-length buffer",
      ],
      [
        "readable after writable",
        (d) => {
          d.desc(0, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
          d.desc(1, RAM_BASE + HDR, 16, 0);
        },
        "readable buffer after writable",
      ],
      [
        "bad indirect table length",
        (d) => d.desc(0, RAM_BASE + 0x5000, 20, VIRTQ_DESC_F_INDIRECT),
        "bad indirect table",
      ],
      [
        "request without a status byte",
        (d) => d.desc(0, RAM_BASE + HDR, 16, 0),
        "virtio-blk request has no status byte",
      ],
      [
        "request header too short",
        (d) => {
          d.desc(0, RAM_BASE + HDR, 8, VIRTQ_DESC_F_NEXT, 1);
          d.desc(1, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_WRITE);
        },
        "virtio-blk request header too short",
      ],
    ];
    it.each(cases)("%s", (_name, build, reason) => {
      const d = disk();
      d.start();
      build(d);
      d.submit(0);
      expect(d.usedIdx).toBe(0);
      expect(d.t.lastError).toBe(reason);
      expect(d.r(R.Status) & S.DEVICE_NEEDS_RESET).toBe(S.DEVICE_NEEDS_RESET);
      expect(d.r(R.InterruptStatus)).toBe(VIRTIO_MMIO_INT_CONFIG);
      expect(d.r(R.ConfigGeneration)).toBe(1);
      // A broken device ignores further requests until it is reset...
      d.blk(VirtioBlkType.VIRTIO_BLK_T_IN, 0, 512, undefined, false);
      expect(d.usedIdx).toBe(0);
      // ...and works again after one.
      d.start();
      expect(d.r(R.Status) & S.DEVICE_NEEDS_RESET).toBe(0);
      expect(d.r(R.InterruptStatus)).toBe(0);
      expect(d.blk(VirtioBlkType.VIRTIO_BLK_T_IN, 0, 512).status).toBe(0);
    });

    it("an available index more than a ring ahead", () => {
      const d = disk();
      d.start();
      d.view.setUint16(0x2002, 9, true);
      d.w(R.QueueNotify, 0);
      expect(d.t.lastError).toBe("avail index moved too far");
    });

    it("a head index past the ring", () => {
      const d = disk();
      d.start();
      d.submit(8);
      expect(d.t.lastError).toBe("head index out of range");
    });

    it("rings outside RAM at QueueReady", () => {
      const d = disk();
      d.negotiate();
      d.setupQueue(8, RAM_BASE + d.ram.length - 64);
      expect(d.r(R.QueueReady)).toBe(0);
      expect(d.t.lastError).toBe("ring outside RAM");
      expect(d.r(R.Status) & S.DEVICE_NEEDS_RESET).toBe(S.DEVICE_NEEDS_RESET);
    });

    it("an indirect descriptor without the feature", () => {
      const d = disk();
      d.negotiate(VERSION_1);
      d.setupQueue();
      d.w(R.Status, S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK | S.DRIVER_OK);
      d.desc(0, RAM_BASE + 0x5000, 48, VIRTQ_DESC_F_INDIRECT);
      d.submit(0);
      expect(d.t.lastError).toBe("indirect descriptor not negotiated");
    });
  });

  it("resets every register when Status is written with 0", () => {
    const d = disk();
    d.start();
    d.blk(VirtioBlkType.VIRTIO_BLK_T_IN, 0, 512);
    d.w(R.QueueSel, 0);
    d.w(R.Status, 0);
    expect(d.r(R.Status)).toBe(0);
    expect(d.r(R.InterruptStatus)).toBe(0);
    expect(d.r(R.QueueReady)).toBe(0);
    expect(d.t.negotiated).toBe(0n);
    expect(d.irqs).toEqual([false, true, false]);
    // The rings start over from index 0 after a reset.
    d.start();
    expect(d.blk(VirtioBlkType.VIRTIO_BLK_T_IN, 0, 512).status).toBe(0);
    expect(d.usedIdx).toBe(1);
  });

  it("reads ConfigGeneration 0, no shared memory regions, and 0 at reserved offsets", () => {
    const d = disk();
    expect(d.r(R.ConfigGeneration)).toBe(0);
    expect(d.r(R.SHMLenLow)).toBe(0xffffffff);
    expect(d.r(R.SHMLenHigh)).toBe(0xffffffff);
    expect(d.r(0x0c8)).toBe(0);
    expect(d.r(R.QueueNum)).toBe(0); // write-only
  });
});
