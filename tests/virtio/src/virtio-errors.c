/*
 * virtio-errors: what the virt board's virtio-mmio disk does with a driver
 * that gets things wrong. Each step prints what the device answered, so the
 * transcript can be compared with QEMU's: writes to an empty slot, a
 * sub-word register access, reads past the configuration space and past the
 * transport's registers, a buffer outside RAM (DEVICE_NEEDS_RESET, then
 * requests ignored until a reset), an unknown request type, a descriptor
 * loop, and a driver that does not accept VIRTIO_F_VERSION_1 (as xv6's).
 */
#include "virtio.h"

#define csr_read(name)                              \
  ({                                                \
    uint64_t v_;                                    \
    __asm__ volatile("csrr %0, " #name : "=r"(v_)); \
    v_;                                             \
  })
#define csr_write(name, v) __asm__ volatile("csrw " #name ", %0" ::"r"((uint64_t)(v)))

static volatile uint64_t trap_cause;

/* Records the exception and skips the instruction that raised it. */
__attribute__((interrupt("machine"), aligned(4))) static void trap(void) {
  trap_cause = csr_read(mcause);
  uint64_t epc = csr_read(mepc);
  uint16_t insn = *(volatile uint16_t *)epc;
  csr_write(mepc, epc + ((insn & 3) == 3 ? 4 : 2));
}

static void line(const char *what, uint64_t v) {
  puts(what);
  puts("0x");
  puthex(v, 8);
  putc('\n');
}

/* Brings the disk up with VERSION_1 and nothing else, queue 0 ready, DRIVER_OK. */
static void start(void) {
  begin();
  check(negotiate(0, F_VERSION_1_HI) & FEATURES_OK, "FEATURES_OK with VERSION_1");
  setup_queue();
  wr(dev, Status, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
}

/* After a request the device should have refused: what it says, then the line state cleared. */
static void refused(const char *what) {
  puts(what);
  puts(": used idx ");
  putdec(*(volatile uint16_t *)&used.idx);
  puts(", request status ");
  putdec(status);
  line(", Status ", rd(dev, Status));
  line("  InterruptStatus ", rd(dev, InterruptStatus));
  line("  ConfigGeneration ", rd(dev, ConfigGeneration));
}

void main(void) {
  csr_write(mtvec, (uintptr_t)trap);
  puts("virtio-errors: start\n");
  uintptr_t empty = VIRTIO_BASE + VIRTIO_STRIDE;
  dev = VIRTIO_BASE;
  check(rd(dev, DeviceID) == 2, "no block device in slot 0");

  wr(empty, Status, ACKNOWLEDGE);
  line("empty slot 1: Status after writing 1: ", rd(empty, Status));
  line("empty slot 1: configuration word 0: ", rd(empty, Config));

  line("byte read of MagicValue: ", *(volatile uint8_t *)(dev + MagicValue));
  line("halfword read of Version: ", *(volatile uint16_t *)(dev + Version));
  line("configuration word at 0x40 (past its end): ", rd(dev, Config + 0x40));
  trap_cause = 0;
  uint32_t far = rd(dev, 0x800);
  puts("word at offset 0x800: ");
  puts(trap_cause ? "access fault\n" : "read\n");
  (void)far;
  wr(dev, QueueSel, 1);
  line("QueueNumMax of queue 1: ", rd(dev, QueueNumMax));

  start();
  submit(T_IN, 0, (uint8_t *)0x400000000ul, 512, 1, 0);
  refused("buffer at 0x400000000");
  submit(T_IN, 0, buf, 512, 1, 0);
  refused("a good request after it");

  wr(dev, Status, 0);
  line("after reset: Status ", rd(dev, Status));
  line("after reset: InterruptStatus ", rd(dev, InterruptStatus));
  start();
  int s = request(T_IN, 0, buf, 512, 1, 0);
  puts("read after reset: status ");
  putdec(s);
  putc('\n');

  s = request(0x30, 0, buf, 16, 1, 0);
  puts("request type 0x30: status ");
  putdec(s);
  putc('\n');

  req.type = T_IN;
  req.sector = 0;
  desc[0] = (struct desc){(uintptr_t)&req, sizeof req, DESC_F_NEXT, 1};
  desc[1] = (struct desc){(uintptr_t)buf, 512, DESC_F_NEXT, 0};
  avail.ring[avail.idx % QSIZE] = 0;
  __sync_synchronize();
  avail.idx++;
  __sync_synchronize();
  wr(dev, QueueNotify, 0);
  refused("descriptor loop");

  begin();
  uint32_t st = negotiate(0, 0);
  puts("driver without VERSION_1: FEATURES_OK ");
  puts(st & FEATURES_OK ? "kept\n" : "cleared\n");
  /* xv6's driver never accepts VERSION_1 either: its requests must still work. */
  setup_queue();
  wr(dev, Status, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
  puts("  then a read: status ");
  putdec(request(T_IN, 1, buf, 512, 1, 0));
  putc('\n');
  wr(dev, Status, 0);

  puts("virtio-errors: done\n");
  finish(0);
}
