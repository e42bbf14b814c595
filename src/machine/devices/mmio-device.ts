// The interface every memory-mapped device on the board implements: the bus
// hands it accesses by offset within the device's region.

export interface MmioDevice {
  /** Reads `size` (1, 2 or 4) bytes at `offset` within the device's region. */
  load(offset: number, size: number): number;
  /** Writes the low `size` bytes of value at `offset`. */
  store(offset: number, size: number, value: number): void;
}
