// The virtio-mmio transport, version 2 ("modern"), as on QEMU 7.2's virt
// board with -global virtio-mmio.force-legacy=false. Source: VIRTIO 1.2
// section 4.2 "Virtio Over MMIO"; QEMU's choices where the spec leaves one
// (vendor id, QueueNumMax, reads of an empty slot).
//
//   offset  name                    access
//   0x000   MagicValue  "virt"      R
//   0x004   Version     2           R
//   0x008   DeviceID                R   (0 when no device is attached)
//   0x00c   VendorID    "QEMU"      R
//   0x010   DeviceFeatures          R   word DeviceFeaturesSel of the offered bits
//   0x014   DeviceFeaturesSel       W
//   0x020   DriverFeatures          W   word DriverFeaturesSel of the accepted bits
//   0x024   DriverFeaturesSel       W
//   0x030   QueueSel                W
//   0x034   QueueNumMax             R   1024 for an existing queue, else 0
//   0x038   QueueNum                W
//   0x044   QueueReady              RW
//   0x050   QueueNotify             W   the device serves the queue at once
//   0x060   InterruptStatus         R   bit 0 used buffer, bit 1 configuration change
//   0x064   InterruptACK            W
//   0x070   Status                  RW  0 resets the device
//   0x080   QueueDescLow/High       W   (+4)
//   0x090   QueueDriverLow/High     W   (+4)
//   0x0a0   QueueDeviceLow/High     W   (+4)
//   0x0ac   SHMSel                  W
//   0x0b0   SHMLenLow/High          R   all ones: no shared memory regions
//   0x0fc   ConfigGeneration        R
//   0x100+  device configuration space, any of 1, 2, 4 bytes
//   0x200+  nothing: the bus faults accesses here, as QEMU (VIRTIO_MMIO_WINDOW)
//
// Registers below 0x100 take 32-bit accesses only; other sizes read 0 and
// are ignored on write, as QEMU does. Requests are served synchronously at
// QueueNotify (deterministic: the guest sees the used ring updated by the
// time its store retires).
//
// A malformed queue or request (a descriptor loop, an index out of range, a
// missing request header...) does what QEMU's virtio_error does: the device
// sets DEVICE_NEEDS_RESET, raises a configuration-change interrupt if the
// driver is running, and ignores notifications until the driver resets it.
// Every guest address is checked against RAM, and a buffer or ring outside
// RAM is such an error too. (QEMU instead serves a request whose buffer lies
// in unassigned space, through a bounce buffer, and reports success; it
// would DMA into a device's registers. tests/virtio/src/virtio-errors.c shows
// both.)
//
// Offered ring features: VIRTIO_F_VERSION_1 and VIRTIO_RING_F_INDIRECT_DESC.
// VIRTIO_RING_F_EVENT_IDX is not offered (QEMU offers it): interrupts are
// suppressed only through VIRTQ_AVAIL_F_NO_INTERRUPT.

import type { MmioDevice } from "./mmio-device.js";
import { featureBit, type VirtioDevice, VirtioFeature, VirtioStatus } from "./virtio.js";
import { DescriptorChain, SplitVirtqueue, VIRTQUEUE_MAX_SIZE } from "./virtqueue.js";

/** Each transport's slot in the memory map (and its device-tree reg). */
export const VIRTIO_MMIO_SIZE = 0x1000;
/**
 * The part of the slot that answers: QEMU maps 0x200 bytes of registers
 * and configuration space, and an access to the rest of the slot faults.
 */
export const VIRTIO_MMIO_WINDOW = 0x200;

export const VirtioMmioReg = {
  MagicValue: 0x000,
  Version: 0x004,
  DeviceID: 0x008,
  VendorID: 0x00c,
  DeviceFeatures: 0x010,
  DeviceFeaturesSel: 0x014,
  DriverFeatures: 0x020,
  DriverFeaturesSel: 0x024,
  QueueSel: 0x030,
  QueueNumMax: 0x034,
  QueueNum: 0x038,
  QueueReady: 0x044,
  QueueNotify: 0x050,
  InterruptStatus: 0x060,
  InterruptACK: 0x064,
  Status: 0x070,
  QueueDescLow: 0x080,
  QueueDescHigh: 0x084,
  QueueDriverLow: 0x090,
  QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0,
  QueueDeviceHigh: 0x0a4,
  SHMSel: 0x0ac,
  SHMLenLow: 0x0b0,
  SHMLenHigh: 0x0b4,
  ConfigGeneration: 0x0fc,
  Config: 0x100,
} as const;

export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt", little-endian
export const VIRTIO_MMIO_VERSION = 2;
/** QEMU's VIRT_VENDOR: "QEMU" little-endian. */
export const VIRTIO_MMIO_VENDOR = 0x554d4551;

/** InterruptStatus bits. SPEC: 4.2.2 */
export const VIRTIO_MMIO_INT_VRING = 1;
export const VIRTIO_MMIO_INT_CONFIG = 2;

/** QEMU's VIRTIO_QUEUE_MAX: QueueSel values at or above it are ignored. */
const VIRTIO_QUEUE_MAX = 1024;

/** The transport's own feature bits, offered whatever the device. */
const TRANSPORT_FEATURES =
  featureBit(VirtioFeature.VIRTIO_F_VERSION_1) |
  featureBit(VirtioFeature.VIRTIO_RING_F_INDIRECT_DESC);

export interface VirtioMmioOptions {
  /** Guest RAM; index 0 is guest physical address ramBase. */
  ram: Uint8Array;
  ramBase: number;
  /** Drives the transport's interrupt line (a PLIC source); called on every change. */
  raiseIrq: (level: boolean) => void;
  /** The device behind the transport; absent for an empty slot (device id 0). */
  device?: VirtioDevice;
  /** Told of RAM the device wrote (offsets into ram), e.g. to drop translated code. */
  ramWritten?: (offset: number, length: number) => void;
}

export class VirtioMmio implements MmioDevice {
  readonly device: VirtioDevice | undefined;
  /** Status register. */
  status = 0;
  /** InterruptStatus register. */
  interruptStatus = 0;
  /** ConfigGeneration: counts configuration changes the driver was told of. */
  configGeneration = 0;
  /** The features in effect since FEATURES_OK. */
  negotiated = 0n;
  /** Why the device last set DEVICE_NEEDS_RESET (for tests and diagnostics). */
  lastError: string | undefined;

  private readonly ram: Uint8Array;
  private readonly raiseIrq: (level: boolean) => void;
  private readonly ramWritten: ((offset: number, length: number) => void) | undefined;
  private readonly offered: bigint;
  private readonly queues: SplitVirtqueue[];
  private readonly chain = new DescriptorChain();
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = [0, 0];
  private queueSel = 0;
  private broken = false;
  private irqLevel = false;

  constructor(opts: VirtioMmioOptions) {
    this.ram = opts.ram;
    this.raiseIrq = opts.raiseIrq;
    this.ramWritten = opts.ramWritten;
    this.device = opts.device;
    this.offered = (opts.device?.features ?? 0n) | TRANSPORT_FEATURES;
    const view = new DataView(opts.ram.buffer, opts.ram.byteOffset, opts.ram.byteLength);
    const n = opts.device?.queueCount ?? 0;
    this.queues = Array.from({ length: n }, () => new SplitVirtqueue(view, opts.ramBase));
  }

  /** The level of the interrupt line: InterruptStatus is not zero. */
  get irq(): boolean {
    return this.irqLevel;
  }

  load(offset: number, size: number): number {
    const dev = this.device;
    if (!dev) {
      // An empty slot answers the probe (magic, version, vendor) with device id 0.
      if (size !== 4) return 0;
      if (offset === VirtioMmioReg.MagicValue) return VIRTIO_MMIO_MAGIC;
      if (offset === VirtioMmioReg.Version) return VIRTIO_MMIO_VERSION;
      if (offset === VirtioMmioReg.VendorID) return VIRTIO_MMIO_VENDOR;
      return 0;
    }
    if (offset >= VirtioMmioReg.Config) {
      const off = offset - VirtioMmioReg.Config;
      // Past the end of the configuration space: all ones, as QEMU's modern config reads.
      if (off + size > dev.configSize) return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
      return dev.configLoad(off, size);
    }
    if (size !== 4) return 0;
    switch (offset) {
      case VirtioMmioReg.MagicValue:
        return VIRTIO_MMIO_MAGIC;
      case VirtioMmioReg.Version:
        return VIRTIO_MMIO_VERSION;
      case VirtioMmioReg.DeviceID:
        return dev.deviceId;
      case VirtioMmioReg.VendorID:
        return VIRTIO_MMIO_VENDOR;
      case VirtioMmioReg.DeviceFeatures:
        return this.deviceFeaturesSel > 1
          ? 0
          : Number((this.offered >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn);
      case VirtioMmioReg.QueueNumMax:
        return this.queueSel < this.queues.length ? VIRTQUEUE_MAX_SIZE : 0;
      case VirtioMmioReg.QueueReady:
        return this.queues[this.queueSel]?.ready ? 1 : 0;
      case VirtioMmioReg.InterruptStatus:
        return this.interruptStatus;
      case VirtioMmioReg.Status:
        return this.status;
      case VirtioMmioReg.SHMLenLow:
      case VirtioMmioReg.SHMLenHigh:
        return 0xffffffff;
      case VirtioMmioReg.ConfigGeneration:
        return this.configGeneration;
      default:
        // Write-only and reserved registers read as zero.
        return 0;
    }
  }

  store(offset: number, size: number, value: number): void {
    const dev = this.device;
    if (!dev) return;
    if (offset >= VirtioMmioReg.Config) {
      const off = offset - VirtioMmioReg.Config;
      if (off + size <= dev.configSize) dev.configStore(off, size, value);
      return;
    }
    if (size !== 4) return;
    value >>>= 0;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case VirtioMmioReg.DeviceFeaturesSel:
        this.deviceFeaturesSel = value;
        break;
      case VirtioMmioReg.DriverFeatures:
        if (this.driverFeaturesSel < 2) this.driverFeatures[this.driverFeaturesSel] = value;
        break;
      case VirtioMmioReg.DriverFeaturesSel:
        this.driverFeaturesSel = value;
        break;
      case VirtioMmioReg.QueueSel:
        if (value < VIRTIO_QUEUE_MAX) this.queueSel = value;
        break;
      case VirtioMmioReg.QueueNum:
        // As QEMU's virtio_queue_set_num: sizes outside 1..QueueNumMax are ignored.
        if (q && value >= 1 && value <= VIRTQUEUE_MAX_SIZE) q.num = value;
        break;
      case VirtioMmioReg.QueueReady:
        if (!q) break;
        if (value & 1) {
          const err = q.enable();
          if (err) this.fail(err);
        } else {
          q.ready = false;
        }
        break;
      case VirtioMmioReg.QueueNotify:
        if (value < this.queues.length) this.serve(value);
        break;
      case VirtioMmioReg.InterruptACK:
        this.interruptStatus &= ~value;
        this.updateIrq();
        break;
      case VirtioMmioReg.Status:
        this.writeStatus(value & 0xff);
        break;
      case VirtioMmioReg.QueueDescLow:
        if (q) q.descAddr = setLow(q.descAddr, value);
        break;
      case VirtioMmioReg.QueueDescHigh:
        if (q) q.descAddr = setHigh(q.descAddr, value);
        break;
      case VirtioMmioReg.QueueDriverLow:
        if (q) q.driverAddr = setLow(q.driverAddr, value);
        break;
      case VirtioMmioReg.QueueDriverHigh:
        if (q) q.driverAddr = setHigh(q.driverAddr, value);
        break;
      case VirtioMmioReg.QueueDeviceLow:
        if (q) q.deviceAddr = setLow(q.deviceAddr, value);
        break;
      case VirtioMmioReg.QueueDeviceHigh:
        if (q) q.deviceAddr = setHigh(q.deviceAddr, value);
        break;
      default:
        // Read-only, reserved and legacy-only registers ignore writes.
        break;
    }
  }

  /**
   * SPEC: 3.1.1: the driver sets FEATURES_OK after writing the features it
   * accepts, then reads Status back. Accepted bits the device did not offer
   * are dropped, as QEMU does. A driver that does not accept
   * VIRTIO_F_VERSION_1 (xv6's reads and writes only the low feature word) is
   * kept, as QEMU keeps it: on a little-endian guest with this split-ring
   * transport, the legacy device behaviour QEMU then falls back to is the
   * same as the modern one.
   */
  private writeStatus(value: number): void {
    if (value === 0) {
      this.reset();
      return;
    }
    const newlyFeaturesOk =
      (value & VirtioStatus.FEATURES_OK) !== 0 && (this.status & VirtioStatus.FEATURES_OK) === 0;
    if (newlyFeaturesOk) {
      this.negotiated =
        (BigInt(this.driverFeatures[0]!) | (BigInt(this.driverFeatures[1]!) << 32n)) & this.offered;
    }
    // DEVICE_NEEDS_RESET stays set until a reset, whatever the driver writes.
    this.status = this.broken ? value | VirtioStatus.DEVICE_NEEDS_RESET : value;
  }

  /** Device reset (SPEC: 4.2.3.1): every register back to its initial value. */
  private reset(): void {
    this.status = 0;
    this.negotiated = 0n;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures[0] = 0;
    this.driverFeatures[1] = 0;
    this.queueSel = 0;
    this.broken = false;
    this.lastError = undefined;
    for (const q of this.queues) q.reset();
    this.device?.reset();
    this.interruptStatus = 0;
    this.updateIrq();
  }

  /** QueueNotify: serves every request the driver has made available on queue `qi`. */
  private serve(qi: number): void {
    const q = this.queues[qi]!;
    const dev = this.device!;
    if (!q.ready || this.broken) return;
    const indirect =
      (this.negotiated & featureBit(VirtioFeature.VIRTIO_RING_F_INDIRECT_DESC)) !== 0n;
    const chain = this.chain;
    let served = 0;
    for (;;) {
      const r = q.pop(chain, indirect);
      if (r === "empty") break;
      if (r !== "ok") {
        this.fail(r);
        break;
      }
      const len = dev.handle(qi, chain, this.ram);
      if (typeof len === "string") {
        this.fail(len);
        break;
      }
      // The device wrote into the chain's writable part (DMA).
      const written = this.ramWritten;
      if (written) {
        for (let i = chain.firstWritable; i < chain.count; i++)
          written(chain.offset[i]!, chain.length[i]!);
      }
      q.push(chain.head, len);
      served++;
    }
    if (served > 0 && !q.interruptSuppressed()) {
      this.interruptStatus |= VIRTIO_MMIO_INT_VRING;
      this.updateIrq();
    }
  }

  /** What QEMU's virtio_error does: DEVICE_NEEDS_RESET, and tell a running driver. */
  private fail(reason: string): void {
    this.broken = true;
    this.lastError = reason;
    this.status |= VirtioStatus.DEVICE_NEEDS_RESET;
    if (this.status & VirtioStatus.DRIVER_OK) {
      this.configGeneration = (this.configGeneration + 1) >>> 0;
      this.interruptStatus |= VIRTIO_MMIO_INT_CONFIG;
      this.updateIrq();
    }
  }

  /**
   * Drives the line from InterruptStatus, changed or not, as QEMU's
   * virtio_mmio_update_irq does: each used buffer is a new request at the
   * PLIC even while an earlier one is unacknowledged.
   */
  private updateIrq(): void {
    this.irqLevel = this.interruptStatus !== 0;
    this.raiseIrq(this.irqLevel);
  }
}

// A 64-bit guest address kept as a number (exact below 2^53; anything larger
// lies outside RAM either way).
function setLow(addr: number, low: number): number {
  return Math.floor(addr / 2 ** 32) * 2 ** 32 + low;
}
function setHigh(addr: number, high: number): number {
  return high * 2 ** 32 + (addr % 2 ** 32);
}
