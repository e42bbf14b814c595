/*
 * virtio-blk: a bare-metal driver for the virt board's virtio-mmio disk,
 * in M-mode with interrupts off (it polls the used ring and
 * InterruptStatus). It probes the eight transports, brings up the first
 * block device (VIRTIO 1.2 section 3.1.1), then reads sector 0, writes a
 * pattern to sector 1 and reads it back (through an indirect descriptor
 * table), flushes, asks for the device id, and makes one request past the
 * end of the disk. Every step prints a line; a failed check prints
 * "FAIL ..." and exits with code 1 through the SiFive test finisher.
 */
#include "virtio.h"

static uintptr_t probe(void) {
  uintptr_t found = 0;
  for (int i = 0; i < 8; i++) {
    uintptr_t base = VIRTIO_BASE + i * VIRTIO_STRIDE;
    check(rd(base, MagicValue) == 0x74726976, "magic value");
    uint32_t id = rd(base, DeviceID);
    puts("slot ");
    putdec(i);
    puts(" at 0x");
    puthex(base, 8);
    puts(": version ");
    putdec(rd(base, Version));
    puts(", vendor 0x");
    puthex(rd(base, VendorID), 8);
    puts(", device ");
    putdec(id);
    puts(id == 2 ? " (block)\n" : id == 0 ? " (empty)\n" : "\n");
    if (id == 2 && !found) found = base;
  }
  return found;
}

void main(void) {
  puts("virtio-blk: probing the virtio-mmio transports\n");
  dev = probe();
  check(dev != 0, "no block device");
  check(rd(dev, Version) == 2, "not a modern (version 2) transport");

  /* SPEC 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK. */
  begin();
  wr(dev, DeviceFeaturesSel, 0);
  uint32_t lo = rd(dev, DeviceFeatures);
  wr(dev, DeviceFeaturesSel, 1);
  uint32_t hi = rd(dev, DeviceFeatures);
  puts("device features 0x");
  puthex(hi, 8);
  puthex(lo, 8);
  putc('\n');
  check(hi & F_VERSION_1_HI, "VIRTIO_F_VERSION_1 not offered");
  check(lo & RING_F_INDIRECT_DESC, "VIRTIO_RING_F_INDIRECT_DESC not offered");
  uint32_t want = lo & (BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH | RING_F_INDIRECT_DESC);
  check(negotiate(want, F_VERSION_1_HI) & FEATURES_OK, "FEATURES_OK not kept");
  puts("driver features 0x");
  puthex(F_VERSION_1_HI, 8);
  puthex(want, 8);
  puts(", FEATURES_OK kept\n");

  uint32_t gen;
  uint64_t capacity;
  do {
    gen = rd(dev, ConfigGeneration);
    capacity = rd(dev, Config) | (uint64_t)rd(dev, Config + 4) << 32;
  } while (gen != rd(dev, ConfigGeneration));
  puts("capacity ");
  putdec(capacity);
  puts(" sectors, blk_size ");
  putdec(rd(dev, Config + 0x14));
  puts(", seg_max ");
  putdec(rd(dev, Config + 0x0c));
  putc('\n');

  wr(dev, QueueSel, 0);
  check(rd(dev, QueueReady) == 0, "queue 0 ready before setup");
  uint32_t max = rd(dev, QueueNumMax);
  puts("queue 0: QueueNumMax ");
  putdec(max);
  putc('\n');
  check(max >= QSIZE, "queue too small");
  setup_queue();
  wr(dev, Status, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);

  check(request(T_IN, 0, buf, 512, 1, 0) == S_OK, "read sector 0");
  puts("sector 0: ");
  for (int i = 0; i < 16; i++) {
    puthex(buf[i], 2);
    putc(' ');
  }
  puts(" \"");
  for (int i = 0; i < 15; i++) putc(buf[i] >= 32 && buf[i] < 127 ? (char)buf[i] : '.');
  puts("\"\n");

  for (int i = 0; i < 512; i++) buf[i] = (uint8_t)(i * 7 + 3);
  check(request(T_OUT, 1, buf, 512, 0, 0) == S_OK, "write sector 1");
  for (int i = 0; i < 512; i++) buf[i] = 0;
  check(request(T_IN, 1, buf, 512, 1, 1) == S_OK, "read sector 1 back");
  for (int i = 0; i < 512; i++) check(buf[i] == (uint8_t)(i * 7 + 3), "sector 1 read back");
  puts("sector 1: wrote a pattern and read it back (indirect)\n");

  check(request(T_FLUSH, 0, 0, 0, 0, 0) == S_OK, "flush");
  puts("flush: ok\n");

  for (int i = 0; i < 21; i++) buf[i] = 0;
  check(request(T_GET_ID, 0, buf, 20, 1, 0) == S_OK, "get id");
  puts("id: \"");
  puts((const char *)buf);
  puts("\"\n");

  int s = request(T_IN, capacity, buf, 512, 1, 0);
  puts("read past the end: status ");
  putdec(s);
  puts(s == S_IOERR ? " (IOERR)\n" : "\n");
  check(s == S_IOERR, "read past the end");
  check((rd(dev, Status) & NEEDS_RESET) == 0, "device needs reset");

  puts("virtio-blk: ok\n");
  finish(0);
}
