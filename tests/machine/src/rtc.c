/*
 * rtc: the goldfish RTC's clock and alarm, in S-mode. The time advances and
 * reading TIME_LOW latches TIME_HIGH; an alarm 2 ms ahead wakes the hart
 * from wfi through PLIC source 11 and disarms itself.
 */
#include "machine.h"

static volatile unsigned alarms;

static uint64_t rtc_now(void) {
  uint32_t lo = RTC_TIME_LOW; /* latches the high half */
  return ((uint64_t)RTC_TIME_HIGH << 32) | lo;
}

__attribute__((interrupt("supervisor"))) void s_trap(void) {
  unsigned long cause = csr_read(scause);
  if (cause != (CAUSE_INTERRUPT | IRQ_S_EXT)) fail("scause", cause);
  uint32_t src = PLIC_CLAIM(PLIC_S_CONTEXT);
  if (src != RTC_IRQ) fail("claimed source", src);
  if (RTC_ALARM_STATUS != 0) fail("alarm still armed", 1);
  alarms++;
  RTC_CLEAR_INTERRUPT = 1;
  PLIC_CLAIM(PLIC_S_CONTEXT) = src;
}

int s_main(void) {
  uint64_t t0 = rtc_now();
  for (volatile int i = 0; i < 1000; i++) {}
  uint64_t t1 = rtc_now();
  if (t1 <= t0) fail("time did not advance", t1 - t0);
  uint32_t hi = RTC_TIME_HIGH;
  for (volatile int i = 0; i < 1000; i++) {}
  if (RTC_TIME_HIGH != hi) fail("TIME_HIGH changed without a TIME_LOW read", hi);

  PLIC_PRIORITY(RTC_IRQ) = 1;
  PLIC_ENABLE(PLIC_S_CONTEXT, 0) = 1u << RTC_IRQ;
  csr_set(sie, SIE_SEIE);
  csr_set(sstatus, SSTATUS_SIE);
  uint64_t alarm = rtc_now() + 2000000; /* 2 ms */
  RTC_IRQ_ENABLED = 1;
  RTC_ALARM_HIGH = (uint32_t)(alarm >> 32);
  RTC_ALARM_LOW = (uint32_t)alarm; /* arms it */
  if (RTC_ALARM_STATUS != 1) fail("alarm not armed", 0);
  WAIT_FOR(alarms);
  uint64_t woke = rtc_now();
  if (woke < alarm) fail("woke before the alarm", alarm - woke);
  if (alarms != 1) fail("alarms", alarms);

  puts_("rtc: unix day ");
  putu(t0 / 1000000000 / 86400);
  puts_(", alarm after 2 ms ok\n");
  return 0;
}
