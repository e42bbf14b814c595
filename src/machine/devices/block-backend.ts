// Where a block device's bytes live, as a host port: the machine never
// touches files itself. The CLI supplies a file-backed implementation; this
// module has the in-memory one (tests) and the copy-on-write overlay that
// keeps the user's image unchanged unless they ask for writes to reach it.

/**
 * Byte-addressed storage of a fixed size. Callers keep every access inside
 * [0, sizeBytes). Each call returns false when the host fails the I/O (the
 * device then reports VIRTIO_BLK_S_IOERR).
 */
export interface BlockBackend {
  readonly sizeBytes: number;
  read(offset: number, dst: Uint8Array): boolean;
  write(offset: number, src: Uint8Array): boolean;
  /** Makes earlier writes durable. */
  flush(): boolean;
}

/** A disk held wholly in memory. */
export class MemoryBackend implements BlockBackend {
  flushes = 0;
  constructor(readonly bytes: Uint8Array) {}
  get sizeBytes(): number {
    return this.bytes.length;
  }
  read(offset: number, dst: Uint8Array): boolean {
    dst.set(this.bytes.subarray(offset, offset + dst.length));
    return true;
  }
  write(offset: number, src: Uint8Array): boolean {
    this.bytes.set(src, offset);
    return true;
  }
  flush(): boolean {
    this.flushes++;
    return true;
  }
}

/** The overlay's granule: a written block is copied whole from the base the first time. */
export const COW_BLOCK = 4096;

/**
 * Copy-on-write over a read-only base: writes land in an in-memory map of
 * 4 KiB blocks, reads take each block from the map when it has been written
 * and from the base otherwise. Memory grows only with what the guest writes.
 * flush() has nothing to make durable and succeeds.
 */
export class CopyOnWriteBackend implements BlockBackend {
  private readonly blocks = new Map<number, Uint8Array>();

  constructor(private readonly base: BlockBackend) {}

  get sizeBytes(): number {
    return this.base.sizeBytes;
  }

  /** How many blocks the guest has written (for tests and --stats). */
  get dirtyBlocks(): number {
    return this.blocks.size;
  }

  read(offset: number, dst: Uint8Array): boolean {
    let pos = 0;
    while (pos < dst.length) {
      const at = offset + pos;
      const b = Math.floor(at / COW_BLOCK);
      const within = at - b * COW_BLOCK;
      const block = this.blocks.get(b);
      if (block) {
        const n = Math.min(COW_BLOCK - within, dst.length - pos);
        dst.set(block.subarray(within, within + n), pos);
        pos += n;
        continue;
      }
      // PERF: one base read for the whole run of unwritten blocks.
      let end = (b + 1) * COW_BLOCK;
      while (end < offset + dst.length && !this.blocks.has(end / COW_BLOCK)) end += COW_BLOCK;
      const n = Math.min(end - at, dst.length - pos);
      if (!this.base.read(at, dst.subarray(pos, pos + n))) return false;
      pos += n;
    }
    return true;
  }

  write(offset: number, src: Uint8Array): boolean {
    let pos = 0;
    while (pos < src.length) {
      const at = offset + pos;
      const b = Math.floor(at / COW_BLOCK);
      const within = at - b * COW_BLOCK;
      const n = Math.min(COW_BLOCK - within, src.length - pos);
      let block = this.blocks.get(b);
      if (!block) {
        // The last block of an image whose size is not a multiple of 4 KiB is short.
        const start = b * COW_BLOCK;
        block = new Uint8Array(Math.min(COW_BLOCK, this.sizeBytes - start));
        if (n < block.length && !this.base.read(start, block)) return false;
        this.blocks.set(b, block);
      }
      block.set(src.subarray(pos, pos + n), within);
      pos += n;
    }
    return true;
  }

  flush(): boolean {
    return true;
  }
}
