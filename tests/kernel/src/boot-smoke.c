/*
 * boot-smoke: the first root task mica's kernel ran. Freestanding (no SDK):
 * it checks what seL4 hands a root task at boot and reports through
 * seL4_DebugPutChar, then halts with seL4_DebugHalt.
 */
#include <stdint.h>

typedef uint64_t word;

static word syscall1(long n, word a0) {
  register word r0 __asm__("a0") = a0;
  register long r7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(r0) : "r"(r7) : "memory");
  return r0;
}

#define SysDebugPutChar (-9)
#define SysDebugHalt (-11)
#define SysDebugCapIdentify (-12)

static void putc(char c) { syscall1(SysDebugPutChar, (word)c); }
static void puts(const char *s) { while (*s) putc(*s++); }
static void putdec(word v) {
  char b[21];
  int n = 0;
  do b[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n) putc(b[--n]);
}
static void puthex(word v) {
  puts("0x");
  int started = 0;
  for (int i = 60; i >= 0; i -= 4) {
    int d = (v >> i) & 15;
    if (d || started || i == 0) { putc("0123456789abcdef"[d]); started = 1; }
  }
}

struct region { word start, end; };
struct untyped_desc { word paddr; uint8_t sizeBits, isDevice, pad[6]; };
struct bootinfo {
  word extraLen, nodeID, numNodes, numIOPTLevels, ipcBuffer;
  struct region empty, sharedFrames, userImageFrames, userImagePaging, ioSpaceCaps, extraBIPages;
  word initThreadCNodeSizeBits, initThreadDomain;
  struct region untyped;
  struct untyped_desc untypedList[230];
};

static void field(const char *name, word v) {
  puts(name);
  puts(" = ");
  putdec(v);
  putc('\n');
}

static volatile word counter;

void main(struct bootinfo *bi) {
  puts("boot-smoke: hello from the root task\n");
  field("nodeID", bi->nodeID);
  field("numNodes", bi->numNodes);
  field("initThreadCNodeSizeBits", bi->initThreadCNodeSizeBits);
  puts("ipcBuffer = ");
  puthex(bi->ipcBuffer);
  puts(" (bootinfo at ");
  puthex((word)bi);
  puts(")\n");
  field("userImageFrames", bi->userImageFrames.end - bi->userImageFrames.start);
  field("userImagePaging", bi->userImagePaging.end - bi->userImagePaging.start);
  field("extraBIPages", bi->extraBIPages.end - bi->extraBIPages.start);
  field("empty.end", bi->empty.end);
  word n = bi->untyped.end - bi->untyped.start, ram = 0, devices = 0;
  for (word i = 0; i < n; i++) {
    if (bi->untypedList[i].isDevice) devices++;
    else ram += (word)1 << bi->untypedList[i].sizeBits;
  }
  field("device untypeds", devices);
  field("RAM untyped KiB", ram >> 10);
  /* The extra bootinfo holds the device tree: FDT magic, big-endian. */
  uint32_t *fdt = (uint32_t *)((word)bi + 4096 + 16);
  puts("extra bootinfo: ");
  puts(*fdt == 0xedfe0dd0u ? "device tree found\n" : "no device tree\n");
  puts("cap types in slots 0..11:");
  for (word slot = 0; slot < 12; slot++) {
    putc(' ');
    putdec(syscall1(SysDebugCapIdentify, slot));
  }
  putc('\n');
  /* Run long enough to see timer ticks pass. */
  for (word i = 0; i < 3000000; i++) counter++;
  field("counted", counter);
  puts("boot-smoke: done\n");
  syscall1(SysDebugHalt, 0);
}
