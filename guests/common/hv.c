/* hv.c: UART console helpers for bare-metal C guests (see hv.h). */
#include "hv.h"

#define UART_BASE 0x10000000UL
#define UART_THR  0          /* transmit holding register */
#define UART_LSR  5          /* line status register */
#define LSR_THRE  0x20       /* transmit holding register empty */

void hv_putchar(int c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    /* Bounded wait: an emulated UART is always ready, but never hang if it is not. */
    for (int spins = 0; spins < 100000 && !(uart[UART_LSR] & LSR_THRE); spins++) {
    }
    uart[UART_THR] = (uint8_t)c;
}

void hv_puts(const char *s)
{
    while (*s) {
        if (*s == '\n') hv_putchar('\r');
        hv_putchar(*s++);
    }
}

void hv_put_hex(uint64_t v)
{
    for (int shift = 60; shift >= 0; shift -= 4) hv_putchar("0123456789abcdef"[(v >> shift) & 0xf]);
}

void hv_put_dec(uint64_t v)
{
    char buf[21];
    int i = 0;
    do { buf[i++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (i) hv_putchar(buf[--i]);
}
