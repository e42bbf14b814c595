// The board's MMIO bus: physical address -> device model, for every access
// outside RAM and the CLINT (which the wasm core serves itself). Built from
// the memory-map table (memory-map.ts), so the bus and the device tree
// cannot disagree.

import type { MmioHandler } from "./cpu/hart.js";
import type { MmioDevice } from "./devices/mmio-device.js";

export interface BusRegion {
  readonly base: number;
  readonly size: number;
  device: MmioDevice;
}

export class Bus implements MmioHandler {
  // PERF: parallel typed arrays scanned in order (about a dozen regions);
  // no object is created per access, and the last region hit is tried first
  // (a guest polling the UART hits the same region again and again).
  private readonly bases: Uint32Array;
  private readonly sizes: Uint32Array;
  private readonly devices: MmioDevice[];
  private last = 0;

  constructor(regions: readonly BusRegion[]) {
    const sorted = [...regions].sort((a, b) => a.base - b.base);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      if (prev.base + prev.size > sorted[i]!.base) {
        throw new Error(`bus: regions at 0x${prev.base.toString(16)} overlap`);
      }
    }
    this.bases = Uint32Array.from(sorted, (r) => r.base);
    this.sizes = Uint32Array.from(sorted, (r) => r.size);
    this.devices = sorted.map((r) => r.device);
  }

  /** Puts `device` in the region starting at `base` (a virtio slot, say). */
  attach(base: number, device: MmioDevice): void {
    const i = this.bases.indexOf(base);
    if (i < 0) throw new Error(`bus: no region at 0x${base.toString(16)}`);
    this.devices[i] = device;
  }

  /** The index of the region holding pa, or -1. */
  private find(pa: number): number {
    const bases = this.bases;
    const sizes = this.sizes;
    let i = this.last;
    if (pa - bases[i]! < sizes[i]! && pa >= bases[i]!) return i;
    for (i = 0; i < bases.length; i++) {
      if (pa >= bases[i]! && pa - bases[i]! < sizes[i]!) {
        this.last = i;
        return i;
      }
    }
    return -1;
  }

  load(pa: number, size: number): number | undefined {
    const i = this.find(pa);
    if (i < 0) return undefined;
    return this.devices[i]!.load(pa - this.bases[i]!, size) >>> 0;
  }

  store(pa: number, size: number, value: number): boolean {
    const i = this.find(pa);
    if (i < 0) return false;
    this.devices[i]!.store(pa - this.bases[i]!, size, value);
    return true;
  }
}
