/*
 * picolibc's standard streams on the kernel's debug console: stdout and
 * stderr write each character with seL4_DebugPutChar (which `mica run`
 * sends to its stdout); stdin reads nothing (seL4 has no debug input call).
 *
 * picolibc's tiny stdio asks the program for three FILE pointers and calls a
 * stream's put function per character, so there is no buffer to flush.
 */
#include <sel4/sel4.h>
#include <stdio.h>

static int console_column;

int __mica_console_column(void) { return console_column; }

static int console_put(char c, FILE *stream) {
  (void)stream;
  seL4_DebugPutChar(c);
  console_column = c == '\n' ? 0 : console_column + 1;
  return (unsigned char)c;
}

static int console_get(FILE *stream) {
  (void)stream;
  return _FDEV_EOF;
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
