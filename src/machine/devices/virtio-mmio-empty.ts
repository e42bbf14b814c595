// An empty virtio-mmio transport (virtio spec v1.2 section 4.2.2): what QEMU's
// virt board shows at a slot with no device behind it. A driver reads the
// magic and version, sees device ID 0 ("no device") and moves on.

const MAGIC_VALUE = 0x000;
const VERSION = 0x004;
const VENDOR_ID = 0x00c;

/** "virt" in little-endian ASCII. */
const VIRTIO_MAGIC = 0x74726976;
/** The modern (virtio 1.x) register layout. */
const VIRTIO_MMIO_VERSION = 2;
/** "QEMU" in little-endian ASCII, the vendor QEMU reports. */
const QEMU_VENDOR = 0x554d4551;

export class VirtioMmioEmpty {
  load(offset: number, _size: number): number {
    switch (offset) {
      case MAGIC_VALUE:
        return VIRTIO_MAGIC;
      case VERSION:
        return VIRTIO_MMIO_VERSION;
      case VENDOR_ID:
        return QEMU_VENDOR;
      default:
        // DeviceID (0x008) and every other register read 0.
        return 0;
    }
  }

  store(_offset: number, _size: number, _value: number): void {}
}
