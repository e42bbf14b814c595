/*
 * block: a user-level driver for a virtio-blk disk on the virtio-mmio
 * transport, version 2 (virtio 1.2 spec, 4.2.2 and 5.2). It owns the
 * transport's registers (a device frame), one IRQHandler and a frame of
 * its own for the virtqueue, and serves one client: BLOCK_READ and
 * BLOCK_WRITE move `count` sectors between the disk and the connection's
 * shared buffer (the supervisor passes its physical address, since the
 * device reads and writes memory by physical address). One request is in
 * flight at a time; its completion is the device's interrupt, waited for
 * on the driver's notification while the client waits for the reply.
 */
#include <sel4/sel4.h>

#include "drivers.h"

/* virtio-mmio registers (4.2.2) */
#define MagicValue 0x000
#define Version 0x004
#define DeviceID 0x008
#define DeviceFeatures 0x010
#define DeviceFeaturesSel 0x014
#define DriverFeatures 0x020
#define DriverFeaturesSel 0x024
#define QueueSel 0x030
#define QueueNumMax 0x034
#define QueueNum 0x038
#define QueueReady 0x044
#define QueueNotify 0x050
#define InterruptStatus 0x060
#define InterruptACK 0x064
#define Status 0x070
#define QueueDescLow 0x080
#define QueueDescHigh 0x084
#define QueueDriverLow 0x090
#define QueueDriverHigh 0x094
#define QueueDeviceLow 0x0a0
#define QueueDeviceHigh 0x0a4
#define Config 0x100

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define F_VERSION_1_HI 1 /* feature bit 32 */

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define BLK_T_IN 0
#define BLK_T_OUT 1
#define QSIZE 4
#define SECTOR 512

#define MMIO DEVICE_VADDR

/* The virtqueue page: descriptor table, driver (avail) ring, device (used)
   ring, then the request header and status byte. */
typedef struct {
  uint64_t addr;
  uint32_t len;
  uint16_t flags, next;
} desc_t;

typedef struct {
  desc_t desc[QSIZE]; /* offset 0 */
  _Alignas(256) struct {
    volatile uint16_t flags, idx, ring[QSIZE];
  } avail;
  _Alignas(256) struct {
    volatile uint16_t flags, idx;
    volatile struct {
      uint32_t id, len;
    } ring[QSIZE];
  } used;
  _Alignas(256) struct {
    uint32_t type, reserved;
    uint64_t sector;
  } header;
  volatile uint8_t status;
} queue_t;

static queue_t *const q = (queue_t *)QUEUE_VADDR;
static uint64_t queue_paddr, buffer_paddr, capacity;

#define OFFSET(field) ((uint64_t)__builtin_offsetof(queue_t, field))

static void set_status(uint32_t bits) { REG32(MMIO, Status) = REG32(MMIO, Status) | bits; }

static int negotiate(void) {
  if (REG32(MMIO, MagicValue) != 0x74726976 || REG32(MMIO, Version) != 2 ||
      REG32(MMIO, DeviceID) != 2)
    return 0;
  REG32(MMIO, Status) = 0; /* reset: a previous incarnation may have left it running */
  set_status(S_ACKNOWLEDGE);
  set_status(S_DRIVER);
  REG32(MMIO, DeviceFeaturesSel) = 1;
  if (!(REG32(MMIO, DeviceFeatures) & F_VERSION_1_HI)) return 0;
  REG32(MMIO, DriverFeaturesSel) = 1;
  REG32(MMIO, DriverFeatures) = F_VERSION_1_HI;
  REG32(MMIO, DriverFeaturesSel) = 0;
  REG32(MMIO, DriverFeatures) = 0;
  set_status(S_FEATURES_OK);
  if (!(REG32(MMIO, Status) & S_FEATURES_OK)) return 0;
  REG32(MMIO, QueueSel) = 0;
  if (REG32(MMIO, QueueNumMax) < QSIZE) return 0;
  REG32(MMIO, QueueNum) = QSIZE;
  uint64_t desc = queue_paddr, avail = queue_paddr + OFFSET(avail),
           used = queue_paddr + OFFSET(used);
  REG32(MMIO, QueueDescLow) = (uint32_t)desc;
  REG32(MMIO, QueueDescHigh) = (uint32_t)(desc >> 32);
  REG32(MMIO, QueueDriverLow) = (uint32_t)avail;
  REG32(MMIO, QueueDriverHigh) = (uint32_t)(avail >> 32);
  REG32(MMIO, QueueDeviceLow) = (uint32_t)used;
  REG32(MMIO, QueueDeviceHigh) = (uint32_t)(used >> 32);
  REG32(MMIO, QueueReady) = 1;
  set_status(S_DRIVER_OK);
  capacity = REG32(MMIO, Config) | (uint64_t)REG32(MMIO, Config + 4) << 32;
  return 1;
}

/* One request: header, data, status, chained; returns the status byte. */
static uint8_t transfer(uint32_t type, uint64_t sector, uint64_t count) {
  q->header.type = type;
  q->header.reserved = 0;
  q->header.sector = sector;
  q->status = 0xff;
  q->desc[0] = (desc_t){queue_paddr + OFFSET(header), 16, DESC_F_NEXT, 1};
  q->desc[1] = (desc_t){buffer_paddr, (uint32_t)(count * SECTOR),
                        (uint16_t)(DESC_F_NEXT | (type == BLK_T_IN ? DESC_F_WRITE : 0)), 2};
  q->desc[2] = (desc_t){queue_paddr + OFFSET(status), 1, DESC_F_WRITE, 0};
  uint16_t used = q->used.idx;
  q->avail.ring[q->avail.idx % QSIZE] = 0;
  __sync_synchronize(); /* the descriptors before the index (2.7.13) */
  q->avail.idx = q->avail.idx + 1;
  __sync_synchronize();
  REG32(MMIO, QueueNotify) = 0;
  while (q->used.idx == used) {
    seL4_Wait(SLOT_NTFN, NULL); /* the device's interrupt */
    REG32(MMIO, InterruptACK) = REG32(MMIO, InterruptStatus);
    seL4_IRQHandler_Ack(SLOT_IRQ);
  }
  __sync_synchronize();
  return q->status;
}

int main(void) {
  const block_args_t *args = mica_process_args(NULL);
  queue_paddr = args->queue_paddr;
  buffer_paddr = args->buffer_paddr;
  seL4_IRQHandler_Ack(SLOT_IRQ); /* a claim a previous incarnation may have left */
  int ok = negotiate();

  seL4_Word badge;
  seL4_MessageInfo_t info = seL4_Recv(SLOT_EP, &badge);
  for (;;) {
    seL4_Word label = seL4_MessageInfo_get_label(info), status = 1, words = 1;
    uint64_t sector = seL4_GetMR(0), count = seL4_GetMR(1);
    if (!ok) {
      status = 2; /* no usable device */
    } else if (label == BLOCK_CAPACITY) {
      seL4_SetMR(1, capacity);
      status = 0;
      words = 2;
    } else if ((label == BLOCK_READ || label == BLOCK_WRITE) && count > 0 &&
               count <= BUFFER_SIZE / SECTOR && sector < capacity && count <= capacity - sector) {
      status = transfer(label == BLOCK_READ ? BLK_T_IN : BLK_T_OUT, sector, count);
    }
    seL4_SetMR(0, status);
    info = seL4_ReplyRecv(SLOT_EP, seL4_MessageInfo_new(0, 0, 0, words), &badge);
  }
}
