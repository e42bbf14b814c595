// A minimal virtio-mmio driver for unit tests: fake guest RAM, one split
// virtqueue at fixed addresses, and virtio-blk requests built from
// descriptors, all driven through the transport's registers.
import type { VirtioDevice } from "../../src/machine/devices/virtio.js";
import { VirtioFeature, VirtioStatus } from "../../src/machine/devices/virtio.js";
import { VirtioMmioReg as R, VirtioMmio } from "../../src/machine/devices/virtio-mmio.js";
import { VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from "../../src/machine/devices/virtqueue.js";

export const RAM_BASE = 0x8000_0000;
export const DESC = 0x1000;
export const AVAIL = 0x2000;
export const USED = 0x3000;
export const HDR = 0x4000;
export const STATUS = 0x4080;
export const DATA = 0x10000;
export const QUEUE_SIZE = 8;

export class VirtioTestDriver {
  readonly ram = new Uint8Array(1 << 20);
  readonly view = new DataView(this.ram.buffer);
  readonly irqs: boolean[] = [];
  readonly t: VirtioMmio;
  private availIdx = 0;

  constructor(device?: VirtioDevice) {
    this.t = new VirtioMmio({
      ram: this.ram,
      ramBase: RAM_BASE,
      raiseIrq: (level) => this.irqs.push(level),
      ...(device ? { device } : {}),
    });
  }

  r(off: number): number {
    return this.t.load(off, 4);
  }
  w(off: number, v: number): void {
    this.t.store(off, 4, v);
  }

  /** The offered feature bits, both words. */
  deviceFeatures(): bigint {
    this.w(R.DeviceFeaturesSel, 0);
    const lo = BigInt(this.r(R.DeviceFeatures));
    this.w(R.DeviceFeaturesSel, 1);
    return lo | (BigInt(this.r(R.DeviceFeatures)) << 32n);
  }

  /** SPEC 3.1.1 steps 1-6: returns the Status read back after FEATURES_OK. */
  negotiate(accept: bigint = this.deviceFeatures()): number {
    this.w(R.Status, 0);
    // The rings start over after a reset.
    this.availIdx = 0;
    this.ram.fill(0, AVAIL, HDR);
    this.w(R.Status, VirtioStatus.ACKNOWLEDGE);
    this.w(R.Status, VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER);
    this.w(R.DriverFeaturesSel, 0);
    this.w(R.DriverFeatures, Number(accept & 0xffffffffn));
    this.w(R.DriverFeaturesSel, 1);
    this.w(R.DriverFeatures, Number(accept >> 32n));
    this.w(R.Status, VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.FEATURES_OK);
    return this.r(R.Status);
  }

  /** Sets queue 0 up at DESC/AVAIL/USED (guest physical RAM_BASE + offset). */
  setupQueue(num = QUEUE_SIZE, desc = RAM_BASE + DESC): void {
    this.w(R.QueueSel, 0);
    this.w(R.QueueNum, num);
    this.w(R.QueueDescLow, desc % 2 ** 32);
    this.w(R.QueueDescHigh, Math.floor(desc / 2 ** 32));
    this.w(R.QueueDriverLow, RAM_BASE + AVAIL);
    this.w(R.QueueDriverHigh, 0);
    this.w(R.QueueDeviceLow, RAM_BASE + USED);
    this.w(R.QueueDeviceHigh, 0);
    this.w(R.QueueReady, 1);
  }

  /** Negotiation with every offered feature, queue 0, DRIVER_OK. */
  start(): void {
    this.negotiate();
    this.setupQueue();
    this.w(
      R.Status,
      VirtioStatus.ACKNOWLEDGE |
        VirtioStatus.DRIVER |
        VirtioStatus.FEATURES_OK |
        VirtioStatus.DRIVER_OK,
    );
  }

  /** Writes descriptor i of the table at `table` (a RAM offset). */
  desc(i: number, addr: number, len: number, flags: number, next = 0, table = DESC): void {
    const at = table + 16 * i;
    this.view.setUint32(at, addr % 2 ** 32, true);
    this.view.setUint32(at + 4, Math.floor(addr / 2 ** 32), true);
    this.view.setUint32(at + 8, len, true);
    this.view.setUint16(at + 12, flags, true);
    this.view.setUint16(at + 14, next, true);
  }

  /** Publishes chain `head` on the available ring and notifies queue 0. */
  submit(head: number): void {
    this.view.setUint16(AVAIL + 4 + 2 * (this.availIdx % QUEUE_SIZE), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.view.setUint16(AVAIL + 2, this.availIdx, true);
    this.w(R.QueueNotify, 0);
  }

  get usedIdx(): number {
    return this.view.getUint16(USED + 2, true);
  }
  used(i: number): { id: number; len: number } {
    const at = USED + 4 + 8 * (i % QUEUE_SIZE);
    return { id: this.view.getUint32(at, true), len: this.view.getUint32(at + 4, true) };
  }

  /**
   * A virtio-blk request as three descriptors (header, data, status); data
   * is device-writable unless `out` bytes are given. Returns the status byte,
   * the used length and the data buffer's bytes afterwards.
   */
  blk(
    type: number,
    sector: number,
    dataLen: number,
    out?: Uint8Array,
    expectDone = true,
  ): { status: number; len: number; data: Uint8Array } {
    this.view.setUint32(HDR, type, true);
    this.view.setUint32(HDR + 4, 0, true);
    this.view.setUint32(HDR + 8, sector % 2 ** 32, true);
    this.view.setUint32(HDR + 12, Math.floor(sector / 2 ** 32), true);
    this.ram[STATUS] = 0xee;
    if (out) this.ram.set(out, DATA);
    else this.ram.fill(0xaa, DATA, DATA + dataLen);
    const before = this.usedIdx;
    if (dataLen > 0) {
      this.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 1);
      this.desc(1, RAM_BASE + DATA, dataLen, VIRTQ_DESC_F_NEXT | (out ? 0 : VIRTQ_DESC_F_WRITE), 2);
      this.desc(2, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_WRITE);
    } else {
      this.desc(0, RAM_BASE + HDR, 16, VIRTQ_DESC_F_NEXT, 2);
      this.desc(2, RAM_BASE + STATUS, 1, VIRTQ_DESC_F_WRITE);
    }
    this.submit(0);
    if (expectDone && this.usedIdx !== ((before + 1) & 0xffff))
      throw new Error("request not completed");
    return {
      status: this.ram[STATUS]!,
      len: this.used(before).len,
      data: this.ram.slice(DATA, DATA + dataLen),
    };
  }
}

export const VERSION_1 = 1n << BigInt(VirtioFeature.VIRTIO_F_VERSION_1);
