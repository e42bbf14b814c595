/* two-harts: hart 0 starts hart 1 (SBI HSM), which waits in wfi until an
 * IPI wakes it; then both add to one counter, half the time with amoadd.d
 * and half with an lr.d/sc.d loop, and hart 0 prints the total. Run with
 * two harts (QEMU and mica: -smp 2 / --smp 2). */
#include "sbi.h"

#define ROUNDS 20000
#define SIE_SSIE (1UL << 1)
#define SSTATUS_SIE (1UL << 1)
#define IRQ_S_SOFT ((1UL << 63) | 1)

static volatile u64 counter;
static volatile int hart1_ready, hart1_done, ipi_seen;
static volatile u64 hart1_a0, hart1_a1;

static void line(const char *key, i64 v) {
  puts_legacy("smp: ");
  puts_legacy(key);
  puts_legacy(": ");
  put_dec(v);
  putc_legacy('\n');
}

void strap(u64 cause) {
  if (cause == IRQ_S_SOFT) {
    ipi_seen = 1;
    asm volatile("csrc sip, %0" ::"r"(SIE_SSIE));
    return;
  }
  puts_legacy("smp: unexpected trap, scause ");
  put_hex(cause);
  putc_legacy('\n');
  sbi_call(SBI_EXT_SRST, 0, 0, 1, 0, 0);
}

static void add_amo(void) {
  u64 one = 1;
  asm volatile("amoadd.d zero, %1, %0" : "+A"(counter) : "r"(one) : "memory");
}

static void add_lrsc(void) {
  u64 tmp, fail;
  asm volatile(
      "1: lr.d %0, %2\n"
      "   addi %0, %0, 1\n"
      "   sc.d %1, %0, %2\n"
      "   bnez %1, 1b\n"
      : "=&r"(tmp), "=&r"(fail), "+A"(counter)
      :
      : "memory");
}

static void work(void) {
  for (int i = 0; i < ROUNDS; i++) {
    add_amo();
    add_lrsc();
  }
}

void secondary_entry(void);

void secondary_main(u64 hartid, u64 opaque) {
  hart1_a0 = hartid;
  hart1_a1 = opaque;
  asm volatile("csrs sie, %0" ::"r"(SIE_SSIE));
  asm volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE));
  hart1_ready = 1;
  while (!ipi_seen) asm volatile("wfi");
  work();
  hart1_done = 1;
  sbi_call(SBI_EXT_HSM, 1, 0, 0, 0, 0); /* hart_stop: does not return */
}

int main(u64 hartid) {
  line("boot hart", hartid);
  line("hart 1 status before hart_start", sbi_call(SBI_EXT_HSM, 2, 1, 0, 0, 0).value);
  struct sbiret r = sbi_call(SBI_EXT_HSM, 0, 1, (u64)secondary_entry, 0x5a, 0);
  line("hart_start of hart 1", r.error);
  while (!hart1_ready) {
  }
  line("hart 1 started with a0", hart1_a0);
  line("hart 1 started with a1", hart1_a1);
  line("hart 1 status", sbi_call(SBI_EXT_HSM, 2, 1, 0, 0, 0).value);
  r = sbi_call(SBI_EXT_IPI, 0, 1UL << 1, 0, 0, 0);
  line("send_ipi to hart 1", r.error);
  work();
  while (!hart1_done) {
  }
  line("counter", counter);
  line("expected", 4 * ROUNDS);
  /* hart 1 stops itself; wait until HSM says so. */
  while (sbi_call(SBI_EXT_HSM, 2, 1, 0, 0, 0).value != 1) {
  }
  line("hart 1 status after hart_stop", 1);
  puts_legacy("smp: done\n");
  return 0;
}
