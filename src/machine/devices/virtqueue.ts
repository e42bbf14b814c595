// A split virtqueue (VIRTIO 1.2 section 2.7) as the device sees it: the
// descriptor table, the driver's available ring and the device's used ring,
// all in guest RAM. `pop` takes the next request off the available ring and
// resolves its descriptor chain into RAM segments; `push` returns it on the
// used ring.
//
//   descriptor (16 bytes)       available ring             used ring
//   0  addr   u64               0  flags  u16              0  flags  u16
//   8  len    u32               2  idx    u16              2  idx    u16
//   12 flags  u16               4  ring[num] u16           4  ring[num] {id u32, len u32}
//   14 next   u16
//
// Every index and address comes from the guest, so each is checked before
// use; a malformed queue yields a VirtqueueError (QEMU's virtqueue_pop calls
// virtio_error for the same cases, which marks the device broken and sets
// DEVICE_NEEDS_RESET). VIRTIO_RING_F_EVENT_IDX is not offered, so the
// avail_event/used_event words are never read or written.

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** QEMU's VIRTQUEUE_MAX_SIZE: the QueueNumMax every existing queue reports. */
export const VIRTQUEUE_MAX_SIZE = 1024;
/** The queue size before the driver writes QueueNum (QEMU virtio-blk's queue-size default). */
export const VIRTQUEUE_DEFAULT_SIZE = 256;

const DESC_SIZE = 16;

export type VirtqueueError =
  | "ring outside RAM"
  | "avail index moved too far"
  | "head index out of range"
  | "next index out of range"
  | "descriptor loop"
  | "zero-length buffer"
  | "buffer outside RAM"
  | "readable buffer after writable"
  | "indirect descriptor not negotiated"
  | "bad indirect table"
  | "nested indirect descriptor";

/**
 * One request's buffers, resolved to offsets into guest RAM: the
 * driver-readable segments first, then the device-writable ones. Reused for
 * every request (PERF: no allocation per request).
 */
export class DescriptorChain {
  /** Index of the head descriptor, as returned in the used ring. */
  head = 0;
  count = 0;
  /** Index of the first writable segment (== count when none). */
  firstWritable = 0;
  readableBytes = 0;
  writableBytes = 0;
  readonly offset = new Uint32Array(VIRTQUEUE_MAX_SIZE);
  readonly length = new Uint32Array(VIRTQUEUE_MAX_SIZE);

  clear(head: number): void {
    this.head = head;
    this.count = 0;
    this.firstWritable = 0;
    this.readableBytes = 0;
    this.writableBytes = 0;
  }

  /**
   * Copies dst.length readable bytes, starting `pos` bytes into the readable
   * part, into dst; returns how many there were.
   */
  gather(ram: Uint8Array, pos: number, dst: Uint8Array): number {
    let done = 0;
    for (let i = 0; i < this.firstWritable && done < dst.length; i++) {
      const len = this.length[i]!;
      if (pos >= len) {
        pos -= len;
        continue;
      }
      const n = Math.min(len - pos, dst.length - done);
      const src = this.offset[i]! + pos;
      dst.set(ram.subarray(src, src + n), done);
      done += n;
      pos = 0;
    }
    return done;
  }

  /**
   * Copies src into the writable part, starting `pos` bytes into it; returns
   * how many bytes fitted.
   */
  scatter(ram: Uint8Array, pos: number, src: Uint8Array): number {
    let done = 0;
    for (let i = this.firstWritable; i < this.count && done < src.length; i++) {
      const len = this.length[i]!;
      if (pos >= len) {
        pos -= len;
        continue;
      }
      const n = Math.min(len - pos, src.length - done);
      ram.set(src.subarray(done, done + n), this.offset[i]! + pos);
      done += n;
      pos = 0;
    }
    return done;
  }
}

export class SplitVirtqueue {
  /** QueueNum as the driver wrote it; takes effect at enable(). */
  num = VIRTQUEUE_DEFAULT_SIZE;
  /** QueueReady. */
  ready = false;
  /** QueueDesc/QueueDriver/QueueDevice as the driver wrote them (guest physical); used from enable(). */
  descAddr = 0;
  driverAddr = 0;
  deviceAddr = 0;
  /** The next available-ring slot the device will read (free-running u16). */
  lastAvailIdx = 0;
  /** The next used-ring slot the device will fill (free-running u16). */
  usedIdx = 0;
  // The ring size and the RAM offsets of the three areas, fixed by enable().
  private size = VIRTQUEUE_DEFAULT_SIZE;
  private desc = 0;
  private avail = 0;
  private used = 0;

  constructor(
    private readonly view: DataView,
    private readonly ramBase: number,
  ) {}

  reset(): void {
    this.num = VIRTQUEUE_DEFAULT_SIZE;
    this.ready = false;
    this.descAddr = 0;
    this.driverAddr = 0;
    this.deviceAddr = 0;
    this.size = VIRTQUEUE_DEFAULT_SIZE;
    this.lastAvailIdx = 0;
    this.usedIdx = 0;
  }

  /**
   * QueueReady = 1: checks that the three areas lie in RAM and remembers
   * where. Returns an error, leaving the queue not ready, if one does not.
   */
  enable(): VirtqueueError | undefined {
    const n = this.num;
    const desc = this.ramOffset(this.descAddr, DESC_SIZE * n);
    const avail = this.ramOffset(this.driverAddr, 6 + 2 * n);
    const used = this.ramOffset(this.deviceAddr, 6 + 8 * n);
    if (desc < 0 || avail < 0 || used < 0) return "ring outside RAM";
    this.size = n;
    this.desc = desc;
    this.avail = avail;
    this.used = used;
    this.ready = true;
    return undefined;
  }

  /** The driver asked not to be interrupted (VIRTQ_AVAIL_F_NO_INTERRUPT). */
  interruptSuppressed(): boolean {
    return (this.view.getUint16(this.avail, true) & VIRTQ_AVAIL_F_NO_INTERRUPT) !== 0;
  }

  /**
   * Takes the next available request into `chain`: "ok", "empty" when the
   * driver has published nothing new, or why the ring is malformed.
   */
  pop(chain: DescriptorChain, indirect: boolean): "ok" | "empty" | VirtqueueError {
    const v = this.view;
    const num = this.size;
    const availIdx = v.getUint16(this.avail + 2, true);
    const pending = (availIdx - this.lastAvailIdx) & 0xffff;
    if (pending === 0) return "empty";
    if (pending > num) return "avail index moved too far";
    const head = v.getUint16(this.avail + 4 + 2 * (this.lastAvailIdx % num), true);
    if (head >= num) return "head index out of range";
    this.lastAvailIdx = (this.lastAvailIdx + 1) & 0xffff;
    chain.clear(head);

    let table = this.desc;
    let max = num;
    let i = head;
    let flags = v.getUint16(table + i * DESC_SIZE + 12, true);
    if (flags & VIRTQ_DESC_F_INDIRECT) {
      if (!indirect) return "indirect descriptor not negotiated";
      const at = table + i * DESC_SIZE;
      const len = v.getUint32(at + 8, true);
      const off = this.ramOffset(this.addr(at), len);
      // SPEC: 2.7.5.3.1: an indirect table holds whole descriptors, and
      // NEXT on the descriptor pointing at it is not allowed.
      if (len === 0 || len % DESC_SIZE !== 0 || len / DESC_SIZE > VIRTQUEUE_MAX_SIZE)
        return "bad indirect table";
      if (off < 0) return "buffer outside RAM";
      table = off;
      max = len / DESC_SIZE;
      i = 0;
      flags = v.getUint16(table + 12, true);
    }
    for (let seen = 1; ; seen++) {
      if (seen > max) return "descriptor loop";
      const at = table + i * DESC_SIZE;
      if (flags & VIRTQ_DESC_F_INDIRECT) return "nested indirect descriptor";
      const len = v.getUint32(at + 8, true);
      if (len === 0) return "zero-length buffer";
      const off = this.ramOffset(this.addr(at), len);
      if (off < 0) return "buffer outside RAM";
      const k = chain.count++;
      chain.offset[k] = off;
      chain.length[k] = len;
      if (flags & VIRTQ_DESC_F_WRITE) {
        chain.writableBytes += len;
      } else {
        if (chain.writableBytes > 0) return "readable buffer after writable";
        chain.readableBytes += len;
        chain.firstWritable = chain.count;
      }
      if ((flags & VIRTQ_DESC_F_NEXT) === 0) return "ok";
      i = v.getUint16(at + 14, true);
      if (i >= max) return "next index out of range";
      flags = v.getUint16(table + i * DESC_SIZE + 12, true);
    }
  }

  /** Returns a served request to the driver on the used ring. */
  push(head: number, len: number): void {
    const v = this.view;
    const slot = this.used + 4 + 8 * (this.usedIdx % this.size);
    v.setUint32(slot, head, true);
    v.setUint32(slot + 4, len, true);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    // SPEC: 2.7.8.2: the ring entry is visible before the index that publishes it
    // (trivially so here: the hart does not run while the device works).
    v.setUint16(this.used + 2, this.usedIdx, true);
  }

  private addr(descAt: number): number {
    return this.view.getUint32(descAt, true) + this.view.getUint32(descAt + 4, true) * 2 ** 32;
  }

  /** The RAM offset of [pa, pa + size), or -1 when any of it lies outside RAM. */
  private ramOffset(pa: number, size: number): number {
    const off = pa - this.ramBase;
    return off >= 0 && off + size <= this.view.byteLength ? off : -1;
  }
}
