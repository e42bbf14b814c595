// The kernel's window on physical RAM (seL4 reaches it through its kernel
// mapping; mica reads the emulated RAM directly). Addresses are physical.
//
// PERF (sel4test): seL4 zeroes memory when an untyped is reset, and boot
// untypeds start full so their first retype zeroes all of them: gigabytes.
// Guest RAM inside an untyped can only be written through a frame or a page
// table made from it, so the kernel tracks, per 4 KiB page, whether the page
// may be non-zero ("dirty": part of such an object since it was last
// zeroed), and zeroing skips pages that are still clean. Untouched pages are
// never faulted in on the host either.

export class PhysicalMemory {
  private readonly view: DataView;
  /** RAM size in bytes (a field: PERF, bench/ipc, it is read on every IPC-buffer lookup). */
  readonly size: bigint;
  /** base and size as numbers (exact: RAM ends below 2^53). PERF (sel4test): see offset. */
  private readonly baseNumber: number;
  private readonly sizeNumber: number;

  /** One byte per 4 KiB page of RAM: 1 when the page may hold non-zero bytes. */
  private readonly dirty: Uint8Array;

  /**
   * `written` hears of every write through this window (offsets into ram),
   * so the machine can drop translated code of those pages.
   */
  constructor(
    readonly ram: Uint8Array,
    readonly base: bigint,
    private readonly written: (offset: number, length: number) => void = () => {},
  ) {
    this.view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
    this.size = BigInt(ram.byteLength);
    this.baseNumber = Number(base);
    this.sizeNumber = ram.byteLength;
    // Every page counts as dirty until the boot code vouches for it (markClean).
    this.dirty = new Uint8Array(Math.ceil(ram.byteLength / PAGE)).fill(1);
  }

  contains(pa: bigint, length: bigint): boolean {
    const off = Number(pa) - this.baseNumber;
    return off >= 0 && off + Number(length) <= this.sizeNumber;
  }

  /**
   * The offset of [pa, pa + length) in RAM. PERF (sel4test): one BigInt to
   * number conversion, then number arithmetic (a pa beyond 2^53 converts
   * inexactly, but still lands far outside RAM); ~175 ms -> ~40 ms per run.
   */
  private offset(pa: bigint, length: number): number {
    return this.offsetOf(Number(pa), length);
  }

  private offsetOf(pa: number, length: number): number {
    const off = pa - this.baseNumber;
    if (!(off >= 0 && off + length <= this.sizeNumber)) {
      // Kernel code only touches memory it owns: reaching outside RAM is a kernel bug.
      throw new Error(`kernel touched physical 0x${pa.toString(16)} outside RAM`);
    }
    return off;
  }

  /**
   * The 32-bit word at physical address pa, given as a number (page-table
   * walks read PTEs as two halves). PERF (sel4test): no BigInt.
   */
  read32(pa: number): number {
    return this.view.getUint32(this.offsetOf(pa, 4), true);
  }

  read64(pa: bigint): bigint {
    return this.view.getBigUint64(this.offset(pa, 8), true);
  }

  /** Stores v modulo 2^64 (setBigUint64 wraps: a negative v lands as two's complement). */
  write64(pa: bigint, v: bigint): void {
    const off = this.offset(pa, 8);
    this.view.setBigUint64(off, v, true);
    this.written(off, 8);
  }

  /**
   * read64 and write64 with the physical address as a number (exact: RAM
   * ends below 2^53). PERF (sel4test): IPC-buffer words; the caller turns
   * the buffer's BigInt address into a number once, not once per word.
   */
  read64At(pa: number): bigint {
    return this.view.getBigUint64(this.offsetOf(pa, 8), true);
  }

  write64At(pa: number, v: bigint): void {
    const off = this.offsetOf(pa, 8);
    this.view.setBigUint64(off, v, true);
    this.written(off, 8);
  }

  read8(pa: bigint): number {
    return this.view.getUint8(this.offset(pa, 1));
  }

  bytes(pa: bigint, length: number): Uint8Array {
    const off = this.offset(pa, length);
    return this.ram.subarray(off, off + length);
  }

  /** Zeroes [pa, pa + length), skipping whole pages that are clean. */
  zero(pa: bigint, length: bigint): void {
    this.clear(pa, length, false);
  }

  /**
   * Zeroes [pa, pa + length) as it returns to its untyped (a reset): no
   * object covers it any more, so its whole pages become clean.
   */
  zeroForReuse(pa: bigint, length: bigint): void {
    this.clear(pa, length, true);
  }

  private clear(pa: bigint, length: bigint, clean: boolean): void {
    const start = this.offset(pa, Number(length));
    const end = start + Number(length);
    const dirty = this.dirty;
    let off = start;
    while (off < end) {
      const page = Math.floor(off / PAGE);
      const pageEnd = Math.min((page + 1) * PAGE, end);
      if (dirty[page] !== 0) {
        this.ram.fill(0, off, pageEnd);
        this.written(off, pageEnd - off);
        if (clean && off === page * PAGE && pageEnd === (page + 1) * PAGE) dirty[page] = 0;
      }
      off = pageEnd;
    }
  }

  /** Records that [pa, pa + length) may now be written (it became a frame or a page table). */
  markDirty(pa: bigint, length: bigint): void {
    const start = this.offset(pa, Number(length));
    this.dirty.fill(1, Math.floor(start / PAGE), Math.ceil((start + Number(length)) / PAGE));
  }

  /**
   * Vouches that the whole pages in [pa, pa + length) are zero (fresh RAM
   * nobody has written); the caller must be sure. Partial pages stay dirty.
   */
  markClean(pa: bigint, length: bigint): void {
    const start = this.offset(pa, Number(length));
    this.dirty.fill(0, Math.ceil(start / PAGE), Math.floor((start + Number(length)) / PAGE));
  }

  /** Whether the page holding pa may be non-zero (for tests). */
  isDirty(pa: bigint): boolean {
    return this.dirty[Math.floor(this.offset(pa, 1) / PAGE)] !== 0;
  }
}

const PAGE = 4096;
