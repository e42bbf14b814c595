// What the virtio transport and its device models share: the device status
// bits, the reserved feature bits and the device-model interface.
// Source: VIRTIO 1.2, sections 2.1 (device status), 2.2 (feature bits) and 6
// (reserved feature bits).

import type { DescriptorChain } from "./virtqueue.js";

/** SPEC: 2.1 Device Status Field. */
export const VirtioStatus = {
  ACKNOWLEDGE: 1,
  DRIVER: 2,
  DRIVER_OK: 4,
  FEATURES_OK: 8,
  DEVICE_NEEDS_RESET: 64,
  FAILED: 128,
} as const;

/** SPEC: 6 Reserved Feature Bits (bit numbers). */
export const VirtioFeature = {
  VIRTIO_RING_F_INDIRECT_DESC: 28,
  VIRTIO_RING_F_EVENT_IDX: 29,
  VIRTIO_F_VERSION_1: 32,
} as const;

/** The feature mask with bit `n` set. */
export function featureBit(n: number): bigint {
  return 1n << BigInt(n);
}

/** SPEC: 5 Device Types (the ids mica has models for). */
export const VirtioDeviceId = {
  NONE: 0,
  BLOCK: 2,
} as const;

/**
 * A virtio device model behind a transport. The transport owns negotiation,
 * the virtqueues and the interrupt; the model sees only whole request chains.
 */
export interface VirtioDevice {
  readonly deviceId: number;
  /** Device-specific feature bits the model offers (the transport adds VERSION_1 and ring bits). */
  readonly features: bigint;
  /** How many virtqueues the device has (queue indices 0..queueCount-1). */
  readonly queueCount: number;
  /** Bytes of device configuration space; reads past it return all ones. */
  readonly configSize: number;
  /** Reads `size` bytes of configuration space at `offset` (offset + size <= configSize). */
  configLoad(offset: number, size: number): number;
  /** Writes `size` bytes of configuration space at `offset`; read-only fields ignore it. */
  configStore(offset: number, size: number, value: number): void;
  /**
   * Serves one request: the chain's buffers are validated and lie in `ram`.
   * Returns the byte count for the used ring's `len`, or a literal naming why
   * the request is malformed (the transport then sets DEVICE_NEEDS_RESET).
   */
  handle(queue: number, chain: DescriptorChain, ram: Uint8Array): number | string;
  /** Device reset (status written as 0): forget negotiated state. */
  reset(): void;
}
