// The kernel's window on physical RAM (seL4 reaches it through its kernel
// mapping; mica reads the emulated RAM directly). Addresses are physical.

export class PhysicalMemory {
  private readonly view: DataView;
  /** RAM size in bytes (a field: PERF, bench/ipc, it is read on every IPC-buffer lookup). */
  readonly size: bigint;

  constructor(
    readonly ram: Uint8Array,
    readonly base: bigint,
  ) {
    this.view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
    this.size = BigInt(ram.byteLength);
  }

  contains(pa: bigint, length: bigint): boolean {
    return pa >= this.base && pa + length <= this.base + this.size;
  }

  private offset(pa: bigint, length: number): number {
    const off = pa - this.base;
    if (off < 0n || off + BigInt(length) > this.size) {
      // Kernel code only touches memory it owns: reaching outside RAM is a kernel bug.
      throw new Error(`kernel touched physical 0x${pa.toString(16)} outside RAM`);
    }
    return Number(off);
  }

  read64(pa: bigint): bigint {
    return this.view.getBigUint64(this.offset(pa, 8), true);
  }

  write64(pa: bigint, v: bigint): void {
    this.view.setBigUint64(this.offset(pa, 8), BigInt.asUintN(64, v), true);
  }

  read8(pa: bigint): number {
    return this.view.getUint8(this.offset(pa, 1));
  }

  bytes(pa: bigint, length: number): Uint8Array {
    const off = this.offset(pa, length);
    return this.ram.subarray(off, off + length);
  }

  zero(pa: bigint, length: bigint): void {
    const off = this.offset(pa, Number(length));
    this.ram.fill(0, off, off + Number(length));
  }
}
