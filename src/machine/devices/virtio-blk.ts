// virtio-blk, the virtio block device (VIRTIO 1.2 section 5.2), over a
// BlockBackend. Facts from QEMU 7.2's hw/block/virtio-blk.c where the spec
// leaves a choice: seg_max = queue size - 2, the used length of a request is
// every device-writable byte it offered, and a request without a header or
// a status byte is a device error (DEVICE_NEEDS_RESET), not a status.
//
// Request layout (SPEC: 5.2.6), split over descriptors any way the driver likes:
//   driver-readable:  type u32 | reserved u32 | sector u64 | data (T_OUT)
//   device-writable:  data (T_IN, T_GET_ID) | status u8
//
// Configuration space (SPEC: 5.2.4), little-endian:
//   0x00 capacity u64 (512-byte sectors)   0x14 blk_size u32 = 512
//   0x08 size_max u32 = 0                  0x18 topology = 0
//   0x0c seg_max u32 = 254                 0x20 writeback u8 = 0
//   0x10 geometry = 0                      0x22 num_queues u16 = 1
//   0x24..0x3b discard / write-zeroes limits = 0 (features not offered)
//
// Offered features: VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_BLK_SIZE and
// VIRTIO_BLK_F_FLUSH (QEMU also offers GEOMETRY, TOPOLOGY, CONFIG_WCE,
// DISCARD and WRITE_ZEROES). Requests complete synchronously.

import type { BlockBackend } from "./block-backend.js";
import { featureBit, type VirtioDevice, VirtioDeviceId } from "./virtio.js";
import type { DescriptorChain } from "./virtqueue.js";

export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;

export const VirtioBlkType = {
  VIRTIO_BLK_T_IN: 0,
  VIRTIO_BLK_T_OUT: 1,
  VIRTIO_BLK_T_FLUSH: 4,
  VIRTIO_BLK_T_GET_ID: 8,
} as const;

export const VirtioBlkStatus = {
  VIRTIO_BLK_S_OK: 0,
  VIRTIO_BLK_S_IOERR: 1,
  VIRTIO_BLK_S_UNSUPP: 2,
} as const;

export const SECTOR_SIZE = 512;
/** SPEC: 5.2.6: the id is 20 bytes, NUL-padded when shorter. */
export const VIRTIO_BLK_ID_BYTES = 20;
const HEADER_SIZE = 16;
const CONFIG_SIZE = 0x3c;
/** QEMU's seg_max: its default queue size (256) less the header and status descriptors. */
const SEG_MAX = 254;

export interface VirtioBlkOptions {
  backend: BlockBackend;
  /** The GET_ID answer, at most 20 bytes of ASCII (QEMU: the drive's serial=, empty by default). */
  serial?: string;
}

export const DEFAULT_SERIAL = "mica-virtio-blk";

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VirtioDeviceId.BLOCK;
  readonly features =
    featureBit(VIRTIO_BLK_F_SEG_MAX) |
    featureBit(VIRTIO_BLK_F_BLK_SIZE) |
    featureBit(VIRTIO_BLK_F_FLUSH);
  readonly queueCount = 1;
  readonly configSize = CONFIG_SIZE;
  /** 512-byte sectors; a partial last sector of the backend is not addressable. */
  readonly capacity: number;

  private readonly backend: BlockBackend;
  private readonly config = new Uint8Array(CONFIG_SIZE);
  private readonly configView = new DataView(this.config.buffer);
  private readonly id = new Uint8Array(VIRTIO_BLK_ID_BYTES);
  private readonly header = new Uint8Array(HEADER_SIZE);
  private readonly headerView = new DataView(this.header.buffer);
  private readonly statusByte = new Uint8Array(1);

  constructor(opts: VirtioBlkOptions) {
    this.backend = opts.backend;
    this.capacity = Math.floor(opts.backend.sizeBytes / SECTOR_SIZE);
    const c = this.configView;
    c.setUint32(0x00, this.capacity % 2 ** 32, true);
    c.setUint32(0x04, Math.floor(this.capacity / 2 ** 32), true);
    c.setUint32(0x0c, SEG_MAX, true);
    c.setUint32(0x14, SECTOR_SIZE, true);
    c.setUint16(0x22, 1, true);
    const serial = opts.serial ?? DEFAULT_SERIAL;
    for (let i = 0; i < serial.length && i < VIRTIO_BLK_ID_BYTES; i++) {
      this.id[i] = serial.charCodeAt(i) & 0xff;
    }
  }

  configLoad(offset: number, size: number): number {
    const c = this.configView;
    if (size === 1) return c.getUint8(offset);
    if (size === 2) return c.getUint16(offset, true);
    return c.getUint32(offset, true);
  }

  configStore(_offset: number, _size: number, _value: number): void {
    // Only writeback is writable, and only with VIRTIO_BLK_F_CONFIG_WCE (not offered).
  }

  reset(): void {}

  handle(_queue: number, chain: DescriptorChain, ram: Uint8Array): number | string {
    if (chain.readableBytes < HEADER_SIZE) return "virtio-blk request header too short";
    if (chain.writableBytes < 1) return "virtio-blk request has no status byte";
    chain.gather(ram, 0, this.header);
    const h = this.headerView;
    const type = h.getUint32(0, true);
    const sector = h.getUint32(8, true) + h.getUint32(12, true) * 2 ** 32;
    const dataIn = chain.writableBytes - 1;
    let status: number;
    switch (type) {
      case VirtioBlkType.VIRTIO_BLK_T_IN:
        status = this.inRange(sector, dataIn) ? this.transfer(chain, ram, sector, false) : IOERR;
        break;
      case VirtioBlkType.VIRTIO_BLK_T_OUT: {
        const dataOut = chain.readableBytes - HEADER_SIZE;
        status = this.inRange(sector, dataOut) ? this.transfer(chain, ram, sector, true) : IOERR;
        break;
      }
      case VirtioBlkType.VIRTIO_BLK_T_FLUSH:
        status = this.backend.flush() ? OK : IOERR;
        break;
      case VirtioBlkType.VIRTIO_BLK_T_GET_ID:
        chain.scatter(ram, 0, this.id.subarray(0, Math.min(VIRTIO_BLK_ID_BYTES, dataIn)));
        status = OK;
        break;
      default:
        status = VirtioBlkStatus.VIRTIO_BLK_S_UNSUPP;
    }
    this.statusByte[0] = status;
    chain.scatter(ram, dataIn, this.statusByte);
    return chain.writableBytes;
  }

  /** A transfer of `bytes` at `sector`: whole sectors, all on the disk (else IOERR, as QEMU). */
  private inRange(sector: number, bytes: number): boolean {
    return bytes % SECTOR_SIZE === 0 && sector + bytes / SECTOR_SIZE <= this.capacity;
  }

  /**
   * Moves the request's data between its buffers and the disk: T_OUT reads
   * the readable segments after the header, T_IN fills the writable ones up
   * to the status byte. Returns the status.
   */
  private transfer(chain: DescriptorChain, ram: Uint8Array, sector: number, out: boolean): number {
    let disk = sector * SECTOR_SIZE;
    let skip = out ? HEADER_SIZE : 0;
    let left = out ? chain.readableBytes - HEADER_SIZE : chain.writableBytes - 1;
    const first = out ? 0 : chain.firstWritable;
    const end = out ? chain.firstWritable : chain.count;
    for (let i = first; i < end && left > 0; i++) {
      const len = chain.length[i]!;
      if (skip >= len) {
        skip -= len;
        continue;
      }
      const n = Math.min(len - skip, left);
      const at = chain.offset[i]! + skip;
      const buf = ram.subarray(at, at + n);
      if (!(out ? this.backend.write(disk, buf) : this.backend.read(disk, buf))) return IOERR;
      disk += n;
      left -= n;
      skip = 0;
    }
    return OK;
  }
}

const OK = VirtioBlkStatus.VIRTIO_BLK_S_OK;
const IOERR = VirtioBlkStatus.VIRTIO_BLK_S_IOERR;
