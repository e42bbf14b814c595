/* sbi-calls: an S-mode program that exercises the SBI firmware it runs on:
 * base (version, implementation, probes), the legacy and DBCN consoles, a
 * TIME timer interrupt, an IPI to itself, RFENCE, HSM status calls, an
 * unknown extension, and finally SRST shutdown (from start.S).
 *
 * Lines that depend on the implementation (mica's SBI 2.0 or OpenSBI 1.1
 * under QEMU) carry "[impl]" so the tests can set them aside. */
#include "sbi.h"

#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SSTATUS_SIE (1UL << 1)
#define IRQ_S_SOFT ((1UL << 63) | 1)
#define IRQ_S_TIMER ((1UL << 63) | 5)

static volatile int timer_fired;
static volatile int ipi_fired;

static void line(const char *key, i64 v) {
  puts_legacy("sbi: ");
  puts_legacy(key);
  puts_legacy(": ");
  put_dec(v);
  putc_legacy('\n');
}

void strap(u64 cause) {
  if (cause == IRQ_S_TIMER) {
    timer_fired++;
    sbi_call(SBI_EXT_TIME, 0, ~0UL, 0, 0, 0); /* far future: STIP drops */
  } else if (cause == IRQ_S_SOFT) {
    ipi_fired++;
    asm volatile("csrc sip, %0" ::"r"(SIE_SSIE));
  } else {
    puts_legacy("sbi: unexpected trap, scause ");
    put_hex(cause);
    putc_legacy('\n');
    sbi_call(SBI_EXT_SRST, 0, 0, 1, 0, 0);
  }
}

static const char dbcn_text[] = "sbi: console write\n";

int main(u64 hartid, u64 dtb) {
  line("hello from S-mode on hart", hartid);
  line("a1 points at a device tree", *(volatile unsigned *)dtb == 0xedfe0dd0);

  struct sbiret r = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0, 0);
  puts_legacy("sbi: [impl] spec version ");
  put_dec((r.value >> 24) & 0x7f);
  putc_legacy('.');
  put_dec(r.value & 0xffffff);
  putc_legacy('\n');
  r = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0, 0);
  puts_legacy("sbi: [impl] implementation id ");
  put_hex(r.value);
  putc_legacy('\n');

  static const struct {
    const char *name;
    u64 ext;
  } exts[] = {
      {"probe base", SBI_EXT_BASE}, {"probe TIME", SBI_EXT_TIME}, {"probe IPI", SBI_EXT_IPI},
      {"probe RFENCE", SBI_EXT_RFENCE}, {"probe HSM", SBI_EXT_HSM}, {"probe SRST", SBI_EXT_SRST},
      {"probe legacy putchar", 0x01}, {"probe 0x12345678", 0x12345678},
  };
  for (unsigned i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    r = sbi_call(SBI_EXT_BASE, 3, exts[i].ext, 0, 0, 0);
    line(exts[i].name, r.error == 0 && r.value != 0);
  }

  /* DBCN is SBI 2.0 (OpenSBI 1.1 lacks it): the same text either way. */
  r = sbi_call(SBI_EXT_BASE, 3, SBI_EXT_DBCN, 0, 0, 0);
  line("[impl] probe DBCN", r.value != 0);
  if (r.value != 0) {
    r = sbi_call(SBI_EXT_DBCN, 0, sizeof dbcn_text - 1, (u64)dbcn_text, 0, 0);
    line("[impl] DBCN write returned", r.value);
    sbi_call(SBI_EXT_DBCN, 2, '!', 0, 0, 0);
    sbi_call(SBI_EXT_DBCN, 2, '\n', 0, 0, 0);
  } else {
    puts_legacy(dbcn_text);
    puts_legacy("!\n");
  }

  /* A timer 10 ms ahead, then wait for the supervisor timer interrupt. */
  asm volatile("csrs sie, %0" ::"r"(SIE_STIE | SIE_SSIE));
  asm volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE));
  u64 start = rdtime();
  r = sbi_call(SBI_EXT_TIME, 0, start + 100000, 0, 0, 0);
  line("set_timer error", r.error);
  while (!timer_fired) asm volatile("wfi");
  line("timer interrupt, 10 ms passed", rdtime() - start >= 100000);
  line("timer interrupts taken", timer_fired);

  /* An IPI to this hart: SSIP, taken as a supervisor software interrupt. */
  r = sbi_call(SBI_EXT_IPI, 0, 1UL << hartid, 0, 0, 0);
  line("send_ipi error", r.error);
  while (!ipi_fired) asm volatile("wfi");
  line("software interrupts taken", ipi_fired);
  r = sbi_call(SBI_EXT_IPI, 0, 1, 64, 0, 0);
  line("send_ipi to hart 64", r.error);

  r = sbi_call(SBI_EXT_RFENCE, 0, 1UL << hartid, 0, 0, 0);
  line("remote_fence_i", r.error);
  r = sbi_call(SBI_EXT_RFENCE, 1, 1UL << hartid, 0, 0, ~0UL);
  line("remote_sfence_vma", r.error);
  r = sbi_call(SBI_EXT_RFENCE, 2, ~0UL, ~0UL, 0, ~0UL);
  line("remote_sfence_vma_asid, all harts", r.error);

  r = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0, 0);
  line("hart_get_status of this hart", r.value);
  r = sbi_call(SBI_EXT_HSM, 2, 99, 0, 0, 0);
  line("hart_get_status of hart 99", r.error);
  r = sbi_call(SBI_EXT_HSM, 0, hartid, 0x80200000, 0, 0);
  line("hart_start of this hart", r.error);

  r = sbi_call(0x12345678, 0, 0, 0, 0, 0);
  line("unknown extension", r.error);
  r = sbi_call(SBI_EXT_BASE, 99, 0, 0, 0, 0);
  line("unknown base function", r.error);
  line("legacy getchar with no input", sbi_legacy(0x02, 0));

  puts_legacy("sbi: done\n");
  return 0;
}
