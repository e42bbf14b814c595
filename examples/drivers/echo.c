/*
 * echo: the drivers demo's client. It reads lines from the console through
 * the serial driver, echoes each one numbered (SERIAL_WRITE, bytes in
 * message registers) and stores line N in disk sector N through the block
 * driver. On "quit" it reads the sectors back and prints them through the
 * TX ring (bulk output: shared memory plus a kick), waits for the output to
 * drain and tells the supervisor it is done. "crash N" asks the serial
 * driver to fault after N more output bytes, to show a restart losing
 * nothing. The client never sees a driver die: a call in progress is
 * re-sent by the supervisor, and the stream offsets make it count once.
 */
#include <sel4/sel4.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers.h"

static serial_shared_t *const sh = (serial_shared_t *)SHARED_VADDR;
static char *const buffer = (char *)BUFFER_VADDR;

static seL4_MessageInfo_t call(seL4_CPtr ep, seL4_Word driver, seL4_MessageInfo_t info) {
  sh->calling = driver;
  info = seL4_Call(ep, info);
  sh->calling = 0;
  return info;
}

/* Output by IPC: every byte is taken exactly once, even across a driver restart. */
static void serial_write(const char *s, size_t n) {
  seL4_IPCBuffer *ipc = seL4_GetIPCBuffer();
  while (n > 0) {
    size_t k = n < SERIAL_MAX ? n : SERIAL_MAX;
    uint64_t off = sh->tx_head;
    seL4_SetMR(0, off);
    seL4_SetMR(1, k);
    memcpy(&ipc->msg[2], s, k);
    seL4_MessageInfo_t r = call(SLOT_SERIAL, FAULT_SERIAL,
                                seL4_MessageInfo_new(SERIAL_WRITE, 0, 0, 2 + (k + 7) / 8));
    if (seL4_MessageInfo_get_label(r) != 0) exit(3);
    size_t took = seL4_GetMR(0) - off;
    s += took;
    n -= took;
    if (took < k) seL4_Wait(SLOT_WAIT, NULL); /* ring full: wait until it drains */
  }
}

/* Bulk output: straight into the TX ring, then one kick. */
static void ring_write(const char *s, size_t n) {
  while (n > 0) {
    uint64_t head = sh->tx_head;
    if (head - sh->tx_tail >= TX_RING) {
      seL4_Signal(SLOT_KICK);
      seL4_Wait(SLOT_WAIT, NULL);
      continue;
    }
    sh->tx[head % TX_RING] = (uint8_t)*s++;
    sh->tx_head = head + 1;
    n--;
  }
  seL4_Signal(SLOT_KICK);
}

static void ring_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ring_printf(const char *fmt, ...) {
  char line[160];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  ring_write(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

/* Wait until the driver has handed every accepted byte to the UART. */
static void flush(void) {
  while (sh->tx_tail != sh->tx_head) seL4_Wait(SLOT_WAIT, NULL);
}

/* The next line of input (without its end), by SERIAL_READ. */
static size_t read_line(char *line, size_t size) {
  static char pending[SERIAL_MAX];
  static size_t have, at;
  static uint64_t offset;
  size_t len = 0;
  for (;;) {
    while (at < have) {
      char c = pending[at++];
      if (c == '\r' || c == '\n') {
        if (len > 0) {
          line[len] = 0;
          return len;
        }
        continue; /* empty line, or the \n of a \r\n */
      }
      if (len + 1 < size) line[len++] = c;
    }
    seL4_SetMR(0, offset);
    seL4_MessageInfo_t r = call(SLOT_SERIAL, FAULT_SERIAL, seL4_MessageInfo_new(SERIAL_READ, 0, 0, 1));
    if (seL4_MessageInfo_get_label(r) != 0) exit(4);
    have = seL4_GetMR(0);
    at = 0;
    memcpy(pending, &seL4_GetIPCBuffer()->msg[1], have);
    offset += have;
    if (have == 0) seL4_Wait(SLOT_WAIT, NULL); /* the driver signals when input arrives */
  }
}

static seL4_Word block(seL4_Word label, seL4_Word sector, seL4_Word count) {
  seL4_SetMR(0, sector);
  seL4_SetMR(1, count);
  call(SLOT_BLOCK, FAULT_BLOCK, seL4_MessageInfo_new(label, 0, 0, 2));
  return seL4_GetMR(0);
}

int main(void) {
  seL4_Word sectors = block(BLOCK_CAPACITY, 0, 0) == 0 ? seL4_GetMR(1) : 0;
  if (sectors > 0)
    ring_printf("echo: type lines; line N is echoed and stored in sector N of the %lu-sector "
                "disk; \"quit\" ends\n",
                sectors);
  else
    ring_printf("echo: type lines; each is echoed (no disk: --disk FILE stores them); "
                "\"quit\" ends\n");
  char line[96], out[128];
  seL4_Word n = 0;
  for (;;) {
    size_t len = read_line(line, sizeof line);
    if (strcmp(line, "quit") == 0) break;
    if (strncmp(line, "crash ", 6) == 0) {
      seL4_SetMR(0, strtoul(line + 6, NULL, 10));
      call(SLOT_SERIAL, FAULT_SERIAL, seL4_MessageInfo_new(SERIAL_CRASH_AFTER, 0, 0, 1));
      continue;
    }
    n++;
    int k = snprintf(out, sizeof out, "line %lu: %s\n", n, line);
    serial_write(out, (size_t)k);
    if (n >= sectors) continue;
    memset(buffer, 0, 512);
    memcpy(buffer, line, len + 1);
    if (block(BLOCK_WRITE, n, 1) != 0) ring_printf("echo: disk write of sector %lu failed\n", n);
  }
  for (seL4_Word s = 1; s <= n && s < sectors; s++) {
    if (block(BLOCK_READ, s, 1) != 0) {
      ring_printf("echo: disk read of sector %lu failed\n", s);
      continue;
    }
    buffer[511] = 0;
    ring_printf("sector %lu: %s\n", s, buffer);
  }
  ring_printf("echo: %lu lines, done\n", n);
  flush();
  seL4_SetMR(0, n);
  seL4_Call(SLOT_SUPERVISOR, seL4_MessageInfo_new(SUPERVISOR_DONE, 0, 0, 1));
  for (;;) seL4_Wait(SLOT_WAIT, NULL);
}
