/*
 * virtio.h - what the tests/virtio programs share: console output, the exit
 * through the SiFive test finisher, the virtio-mmio registers, one split
 * virtqueue of 8 entries in .bss, and virtio-blk requests made and polled
 * for on it (M-mode, interrupts off).
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
 * Makes one request (header, optional data, status) available as chain 0
 * and notifies queue 0. With `indirect`, the chain sits in `table` and
 * descriptor 0 points at it.
 */
static void submit(uint32_t type, uint64_t sector, uint8_t *data, uint32_t len, int device_writes,
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
}

/* submit(), then polls for the completion and acknowledges its interrupt; returns the status. */
static int request(uint32_t type, uint64_t sector, uint8_t *data, uint32_t len, int device_writes,
                   int indirect) {
  submit(type, sector, data, len, device_writes, indirect);
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


/* SPEC 3.1.1 steps 1-3: reset, ACKNOWLEDGE, DRIVER. */
static void begin(void) {
  wr(dev, Status, 0);
  check(rd(dev, Status) == 0, "status after reset");
  wr(dev, Status, ACKNOWLEDGE);
  wr(dev, Status, ACKNOWLEDGE | DRIVER);
}

/* SPEC 3.1.1 steps 4-6: accept features, set FEATURES_OK; returns Status read back. */
static uint32_t negotiate(uint32_t lo, uint32_t hi) {
  wr(dev, DriverFeaturesSel, 0);
  wr(dev, DriverFeatures, lo);
  wr(dev, DriverFeaturesSel, 1);
  wr(dev, DriverFeatures, hi);
  wr(dev, Status, ACKNOWLEDGE | DRIVER | FEATURES_OK);
  return rd(dev, Status);
}

/* Queue 0 at desc/avail/used with QSIZE entries, the ring indices from 0; then QueueReady. */
static void setup_queue(void) {
  for (int i = 0; i < QSIZE; i++) avail.ring[i] = 0;
  avail.flags = avail.idx = 0;
  used.flags = used.idx = 0;
  used_seen = 0;
  wr(dev, QueueSel, 0);
  wr(dev, QueueNum, QSIZE);
  wr(dev, QueueDescLow, (uint32_t)(uintptr_t)desc);
  wr(dev, QueueDescHigh, (uint32_t)((uintptr_t)desc >> 32));
  wr(dev, QueueDriverLow, (uint32_t)(uintptr_t)&avail);
  wr(dev, QueueDriverHigh, (uint32_t)((uintptr_t)&avail >> 32));
  wr(dev, QueueDeviceLow, (uint32_t)(uintptr_t)&used);
  wr(dev, QueueDeviceHigh, (uint32_t)((uintptr_t)&used >> 32));
  wr(dev, QueueReady, 1);
  check(rd(dev, QueueReady) == 1, "queue 0 not ready");
}
