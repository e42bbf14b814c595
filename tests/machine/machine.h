/*
 * machine.h - the runtime of mica's board tests (tests/machine).
 *
 * runtime.c starts in M-mode (start.S gives it a stack), opens PMP,
 * delegates the supervisor interrupts (mideleg = SSIP | STIP | SEIP) and
 * enters the test's s_main() in S-mode with stvec = s_trap. S-mode reaches
 * M-mode services by ecall (see the M_* calls), which the M-mode handler
 * serves; it also turns the CLINT's machine timer and software interrupts
 * into supervisor ones, as SBI firmware does.
 *
 * Devices, at QEMU virt's addresses: UART0 0x10000000 (PLIC source 10),
 * goldfish RTC 0x101000 (source 11), PLIC 0xc000000 (context 1 = hart 0
 * S-mode), CLINT 0x2000000, SiFive test finisher 0x100000.
 */
#ifndef MACHINE_H
#define MACHINE_H

#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define REG8(a)  (*(volatile uint8_t *)(uintptr_t)(a))
#define REG64(a) (*(volatile uint64_t *)(uintptr_t)(a))

#define UART         0x10000000
#define UART_RBR     REG8(UART + 0)
#define UART_THR     REG8(UART + 0)
#define UART_IER     REG8(UART + 1)
#define UART_IIR     REG8(UART + 2)
#define UART_FCR     REG8(UART + 2)
#define UART_LSR     REG8(UART + 5)
#define LSR_DR       0x01
#define LSR_THRE     0x20
#define UART_IRQ     10

#define RTC              0x101000
#define RTC_TIME_LOW     REG32(RTC + 0x00)
#define RTC_TIME_HIGH    REG32(RTC + 0x04)
#define RTC_ALARM_LOW    REG32(RTC + 0x08)
#define RTC_ALARM_HIGH   REG32(RTC + 0x0c)
#define RTC_IRQ_ENABLED  REG32(RTC + 0x10)
#define RTC_CLEAR_ALARM  REG32(RTC + 0x14)
#define RTC_ALARM_STATUS REG32(RTC + 0x18)
#define RTC_CLEAR_INTERRUPT REG32(RTC + 0x1c)
#define RTC_IRQ          11

#define PLIC                0x0c000000
#define PLIC_PRIORITY(s)    REG32(PLIC + 4 * (s))
#define PLIC_PENDING(w)     REG32(PLIC + 0x1000 + 4 * (w))
#define PLIC_ENABLE(ctx, w) REG32(PLIC + 0x2000 + 0x80 * (ctx) + 4 * (w))
#define PLIC_THRESHOLD(ctx) REG32(PLIC + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     REG32(PLIC + 0x200004 + 0x1000 * (ctx))
#define PLIC_S_CONTEXT      1 /* hart 0, S-mode */

#define CLINT_MSIP      REG32(0x2000000)
#define CLINT_MTIMECMP  REG64(0x2004000)
#define CLINT_MTIME     REG64(0x200bff8)

#define IRQ_S_SOFT   1
#define IRQ_S_TIMER  5
#define IRQ_S_EXT    9
#define SIP_SSIP     (1UL << IRQ_S_SOFT)
#define SIE_SSIE     (1UL << IRQ_S_SOFT)
#define SIE_STIE     (1UL << IRQ_S_TIMER)
#define SIE_SEIE     (1UL << IRQ_S_EXT)
#define SSTATUS_SIE  (1UL << 1)
#define CAUSE_INTERRUPT (1UL << 63)

#define csr_read(csr) ({ unsigned long v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"rK"((unsigned long)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"rK"((unsigned long)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"rK"((unsigned long)(v)))
#define wfi() __asm__ volatile("wfi" ::: "memory")

/*
 * Sleeps in wfi until cond holds. cond is tested with interrupts off, so an
 * interrupt that arrives between the test and the wfi is not lost: wfi
 * returns for a pending enabled interrupt even while sstatus.SIE is 0, and
 * the handler runs when SIE opens.
 */
#define WAIT_FOR(cond)                                                     \
  do {                                                                     \
    csr_clear(sstatus, SSTATUS_SIE);                                       \
    while (!(cond)) {                                                      \
      wfi();                                                               \
      csr_set(sstatus, SSTATUS_SIE);                                       \
      csr_clear(sstatus, SSTATUS_SIE);                                     \
    }                                                                      \
  } while (0)

/* M-mode services for S-mode (runtime.c). */
enum { M_EXIT = 1, M_SET_TIMER, M_CLEAR_TIMER };
void m_call(unsigned long fn, unsigned long arg);
__attribute__((noreturn)) void finish(int code);

/* The test: entered in S-mode; returns its exit code. */
int s_main(void);
/* The test's S-mode trap handler (interrupt("supervisor")). */
void s_trap(void);

/* Polled console output, from any mode. */
void putc_(char c);
void puts_(const char *s);
void putu(uint64_t v);
void fail(const char *what, uint64_t v);

#endif
