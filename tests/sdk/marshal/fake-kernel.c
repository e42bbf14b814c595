/*
 * A stand-in for the kernel, for tests/sdk/marshal.test.ts. The test program (calls.c, generated
 * by the test) calls the SDK's syscall and invocation wrappers; each `ecall` lands here in
 * M-mode. We print what the wrapper put in registers and in the IPC buffer, one line per kind:
 *
 *   E <a7> <a0> <a1> <a2> <a3> <a4> <a5>   registers (only those the syscall reads, see below)
 *   C <cap0> ...                           caps_or_badges[0 .. extraCaps-1] of a sent message
 *   B <msg[4]> ...                         msg[4 .. length-1] of a sent message
 *
 * and answer Call, ReplyRecv, Recv and NBRecv with the reply the program asked for through
 * fake_reply(): a0 = badge, a1 = message info, MR i = 0xf00d0000 + i written to a2+i (i < 4) or
 * msg[i]. Registers the real kernel would not write are left alone, as it leaves them.
 * Numbers are printed in hex without 0x.
 */
#include <sel4/sel4.h>

#define UART0 ((volatile seL4_Uint8 *)0x10000000)
#define UART_LSR_THRE 0x20
#define FINISHER ((volatile seL4_Uint32 *)0x100000)

/* What a C runtime provides: the IPC-buffer pointer and an IPC buffer to point it at. */
LIBSEL4_THREAD_LOCAL seL4_IPCBuffer *__sel4_ipc_buffer;
seL4_IPCBuffer fake_ipc_buffer;

void fake_putc(char c)
{
    while ((UART0[5] & UART_LSR_THRE) == 0) {
    }
    UART0[0] = (seL4_Uint8)c;
}

void fake_puts(const char *s)
{
    while (*s != 0) {
        fake_putc(*s++);
    }
}

void fake_hex(seL4_Word v)
{
    int started = 0;
    for (int i = 60; i >= 0; i -= 4) {
        int d = (v >> i) & 15;
        if (d != 0 || started || i == 0) {
            fake_putc("0123456789abcdef"[d]);
            started = 1;
        }
    }
}

void fake_word(seL4_Word v)
{
    fake_putc(' ');
    fake_hex(v);
}

void fake_exit(seL4_Uint32 code)
{
    *FINISHER = code == 0 ? 0x5555 : (code << 16) | 0x3333;
    for (;;) {
    }
}

void __assert_fail(const char *str, const char *file, int line, const char *function)
{
    (void)line;
    (void)function;
    fake_puts("assertion failed: ");
    fake_puts(str);
    fake_puts(" in ");
    fake_puts(file);
    fake_putc('\n');
    fake_exit(1);
}

/* gcc may call these for struct copies even in freestanding code. */
void *memset(void *dst, int c, unsigned long n)
{
    unsigned char *d = dst;
    while (n-- != 0) {
        *d++ = (unsigned char)c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n-- != 0) {
        *d++ = *s++;
    }
    return dst;
}

static seL4_Word reply_badge, reply_label, reply_length;

/* The answer to the next receiving syscall. */
void fake_reply(seL4_Word badge, seL4_Word label, seL4_Word length)
{
    reply_badge = badge;
    reply_label = label;
    reply_length = length;
}

/* A fresh IPC buffer (all zero) for the next call. */
void fake_clear_ipc_buffer(void)
{
    memset(&fake_ipc_buffer, 0, sizeof(fake_ipc_buffer));
}

enum { X_A0 = 10 };

static void print_regs(seL4_Word *x, int first, int last)
{
    fake_puts("E");
    fake_word(x[17]);
    for (int i = first; i <= last; i++) {
        fake_word(x[X_A0 + i]);
    }
    fake_putc('\n');
}

static void print_message(seL4_Word info_word)
{
    seL4_MessageInfo_t info = { { info_word } };
    seL4_Word caps = seL4_MessageInfo_get_extraCaps(info);
    seL4_Word length = seL4_MessageInfo_get_length(info);
    if (caps > 0) {
        fake_puts("C");
        for (seL4_Word i = 0; i < caps; i++) {
            fake_word(fake_ipc_buffer.caps_or_badges[i]);
        }
        fake_putc('\n');
    }
    if (length > 4) {
        fake_puts("B");
        for (seL4_Word i = 4; i < length && i < seL4_MsgMaxLength; i++) {
            fake_word(fake_ipc_buffer.msg[i]);
        }
        fake_putc('\n');
    }
}

static void answer(seL4_Word *x)
{
    x[X_A0] = reply_badge;
    x[X_A0 + 1] = seL4_MessageInfo_new(reply_label, 0, 0, reply_length).words[0];
    for (seL4_Word i = 0; i < reply_length; i++) {
        if (i < 4) {
            x[X_A0 + 2 + i] = 0xf00d0000 + i;
        } else {
            fake_ipc_buffer.msg[i] = 0xf00d0000 + i;
        }
    }
}

void fake_kernel_trap(seL4_Word *x)
{
    seL4_Word cause, epc;
    __asm__ __volatile__("csrr %0, mcause" : "=r"(cause));
    __asm__ __volatile__("csrr %0, mepc" : "=r"(epc));
    if (cause != 11) {
        fake_puts("unexpected trap, mcause ");
        fake_hex(cause);
        fake_puts(" mepc ");
        fake_hex(epc);
        fake_putc('\n');
        fake_exit(2);
    }
    switch ((seL4_Word)x[17]) {
    case (seL4_Word)seL4_SysCall:
    case (seL4_Word)seL4_SysSend:
    case (seL4_Word)seL4_SysNBSend:
    case (seL4_Word)seL4_SysReplyRecv:
        print_regs(x, 0, 5);
        print_message(x[X_A0 + 1]);
        break;
    case (seL4_Word)seL4_SysReply:
        print_regs(x, 1, 5);
        print_message(x[X_A0 + 1]);
        break;
    case (seL4_Word)seL4_SysRecv:
    case (seL4_Word)seL4_SysNBRecv:
    case (seL4_Word)seL4_SysDebugPutChar:
    case (seL4_Word)seL4_SysDebugDumpScheduler:
    case (seL4_Word)seL4_SysDebugCapIdentify:
        print_regs(x, 0, 0);
        break;
    case (seL4_Word)seL4_SysDebugNameThread:
        print_regs(x, 0, 0);
        fake_puts("N ");
        fake_puts((const char *)fake_ipc_buffer.msg);
        fake_putc('\n');
        break;
    default:
        print_regs(x, 0, -1);
        break;
    }
    switch ((seL4_Word)x[17]) {
    case (seL4_Word)seL4_SysCall:
    case (seL4_Word)seL4_SysReplyRecv:
    case (seL4_Word)seL4_SysRecv:
    case (seL4_Word)seL4_SysNBRecv:
        answer(x);
        break;
    case (seL4_Word)seL4_SysDebugCapIdentify:
        x[X_A0] = 12; /* thread_cap */
        break;
    default:
        break;
    }
    __asm__ __volatile__("csrw mepc, %0" : : "r"(epc + 4));
}

void run_calls(void);

int main(void)
{
    seL4_SetIPCBuffer(&fake_ipc_buffer);
    run_calls();
    fake_puts("done\n");
    fake_exit(0);
    return 0;
}
