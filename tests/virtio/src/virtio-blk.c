/*
 * virtio-blk: a bare-metal driver for the virt board's virtio-mmio disk,
 * in M-mode with interrupts off (it polls the used ring and
 * InterruptStatus). It probes the eight transports, brings up the first
 * block device (VIRTIO 1.2 section 3.1.1), then reads sector 0, writes a
 * pattern to sector 1 and reads it back (through an indirect descriptor
 * table), flushes, asks for the device id, and makes one request past the
 * end of the disk. Every step prints a line;
 * a failed check prints "FAIL ..." and exits with code 1 through the SiFive
 * test finisher.
 */
#include <stdint.h>

#define UART0 ((volatile uint8_t *)0x10000000)
#define FINISHER ((volatile uint32_t *)0x100000)
#define VIRTIO_BASE 0x10001000ul
#define VIRTIO_STRIDE 0x1000ul

/* virtio-mmio registers (VIRTIO 1.2 section 4.2.2) */
enum {
  MagicValue = 0x000, Version = 0x004, DeviceID = 0x008, VendorID = 0x00c,
  DeviceFeatures = 0x010, DeviceFeaturesSel = 0x014, DriverFeatures = 0x020,
  DriverFeaturesSel = 0x024, QueueSel = 0x030, QueueNumMax = 0x034, QueueNum = 0x038,
  QueueReady = 0x044, QueueNotify = 0x050, InterruptStatus = 0x060, InterruptACK = 0x064,
  Status = 0x070, QueueDescLow = 0x080, QueueDescHigh = 0x084, QueueDriverLow = 0x090,
  QueueDriverHigh = 0x094, QueueDeviceLow = 0x0a0, QueueDeviceHigh = 0x0a4,
  ConfigGeneration = 0x0fc, Config = 0x100,
};
enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8, NEEDS_RESET = 64 };
#define F_VERSION_1_HI (1u << 0) /* bit 32 */
#define BLK_F_SEG_MAX (1u << 2)
#define BLK_F_BLK_SIZE (1u << 6)
#define BLK_F_FLUSH (1u << 9)
#define RING_F_INDIRECT_DESC (1u << 28)
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };
#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define DESC_F_INDIRECT 4

#define QSIZE 8

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE]; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QSIZE]; };
struct blk_req { uint32_t type, reserved; uint64_t sector; };

static struct desc desc[QSIZE] __attribute__((aligned(4096)));
static struct desc table[3] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(4096)));
static struct used used __attribute__((aligned(4096)));
static struct blk_req req;
static uint8_t buf[512] __attribute__((aligned(16)));
static volatile uint8_t status;
static uint16_t used_seen;
static uintptr_t dev;

static void putc(char c) {
  while ((UART0[5] & 0x20) == 0) {
  }
  UART0[0] = (uint8_t)c;
}
static void puts(const char *s) {
  while (*s) putc(*s++);
}
static void puthex(uint64_t v, int digits) {
  for (int i = (digits - 1) * 4; i >= 0; i -= 4) putc("0123456789abcdef"[(v >> i) & 15]);
}
static void putdec(uint64_t v) {
  char b[21];
  int n = 0;
  do b[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n) putc(b[--n]);
}
static void finish(uint32_t code) {
  *FINISHER = code ? (code << 16) | 0x3333 : 0x5555;
  for (;;) __asm__ volatile("wfi");
}
static void check(int ok, const char *what) {
  if (!ok) {
    puts("FAIL ");
    puts(what);
    putc('\n');
    finish(1);
  }
}

static uint32_t rd(uintptr_t base, uint32_t off) { return *(volatile uint32_t *)(base + off); }
static void wr(uintptr_t base, uint32_t off, uint32_t v) { *(volatile uint32_t *)(base + off) = v; }

/*
 * Sends one request (header, optional data, status) and polls for its
 * completion. With `indirect`, the chain sits in `table` and descriptor 0
 * points at it.
 */
static int request(uint32_t type, uint64_t sector, uint8_t *data, uint32_t len, int device_writes,
                   int indirect) {
  req.type = type;
  req.reserved = 0;
  req.sector = sector;
  status = 0xff;
  struct desc *d = indirect ? table : desc;
  int n = 0;
  d[n] = (struct desc){(uintptr_t)&req, sizeof req, DESC_F_NEXT, (uint16_t)(n + 1)};
  n++;
  if (len) {
    d[n] = (struct desc){(uintptr_t)data, len,
                         (uint16_t)(DESC_F_NEXT | (device_writes ? DESC_F_WRITE : 0)),
                         (uint16_t)(n + 1)};
    n++;
  }
  d[n] = (struct desc){(uintptr_t)&status, 1, DESC_F_WRITE, 0};
  if (indirect)
    desc[0] = (struct desc){(uintptr_t)table, (uint32_t)((n + 1) * sizeof(struct desc)),
                            DESC_F_INDIRECT, 0};
  avail.ring[avail.idx % QSIZE] = 0;
  __sync_synchronize();
  avail.idx++;
  __sync_synchronize();
  wr(dev, QueueNotify, 0);
  while (*(volatile uint16_t *)&used.idx == used_seen) {
  }
  __sync_synchronize();
  struct used_elem e = used.ring[used_seen % QSIZE];
  used_seen++;
  check(e.id == 0, "used ring id");
  check(e.len == (device_writes ? len : 0) + 1, "used ring length");
  uint32_t isr = rd(dev, InterruptStatus);
  check((isr & 1) == 1, "InterruptStatus bit 0 after a request");
  wr(dev, InterruptACK, isr);
  check(rd(dev, InterruptStatus) == 0, "InterruptStatus after InterruptACK");
  return status;
}

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
  wr(dev, Status, 0);
  check(rd(dev, Status) == 0, "status after reset");
  wr(dev, Status, ACKNOWLEDGE);
  wr(dev, Status, ACKNOWLEDGE | DRIVER);
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
  wr(dev, DriverFeaturesSel, 0);
  wr(dev, DriverFeatures, want);
  wr(dev, DriverFeaturesSel, 1);
  wr(dev, DriverFeatures, F_VERSION_1_HI);
  wr(dev, Status, ACKNOWLEDGE | DRIVER | FEATURES_OK);
  check(rd(dev, Status) & FEATURES_OK, "FEATURES_OK not kept");
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
  wr(dev, QueueNum, QSIZE);
  wr(dev, QueueDescLow, (uint32_t)(uintptr_t)desc);
  wr(dev, QueueDescHigh, (uint32_t)((uintptr_t)desc >> 32));
  wr(dev, QueueDriverLow, (uint32_t)(uintptr_t)&avail);
  wr(dev, QueueDriverHigh, (uint32_t)((uintptr_t)&avail >> 32));
  wr(dev, QueueDeviceLow, (uint32_t)(uintptr_t)&used);
  wr(dev, QueueDeviceHigh, (uint32_t)((uintptr_t)&used >> 32));
  wr(dev, QueueReady, 1);
  check(rd(dev, QueueReady) == 1, "queue 0 not ready");
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
