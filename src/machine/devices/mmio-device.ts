// The interface every memory-mapped device model implements: the bus
// (src/machine/bus.ts) hands it accesses by offset within its region.
// Accesses of 8 bytes reach a device as two 4-byte accesses, low word first
// (the core splits them).

export interface MmioDevice {
  /** Reads `size` (1, 2 or 4) bytes at `offset` within the device's region. */
  load(offset: number, size: number): number;
  /** Writes the low `size` bytes of value at `offset`. */
  store(offset: number, size: number, value: number): void;
}

/** What the board gives a device model that needs more than its registers. */
export interface DevicePorts {
  /** Guest RAM as bytes: index 0 is physical 0x80000000. */
  readonly ram: Uint8Array;
  /** Drives the device's PLIC interrupt source (level-triggered). */
  readonly raiseIrq: (level: boolean) => void;
}

/** Builds a device once the board has its ports (RAM, interrupt line). */
export type DeviceFactory = (ports: DevicePorts) => MmioDevice;
