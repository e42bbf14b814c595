// A byte buffer that grows as bytes are appended: the common part of the
// writers of binary formats (fdt.ts's device trees, cpu/jit's wasm modules).

export class ByteBuffer {
  protected buf: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for n more bytes (doubling, so appends cost O(1) amortized). */
  protected reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A copy of what was written. */
  take(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }

  /** What was written, without a copy (valid until the next append). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
