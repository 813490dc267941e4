/*
 * hv.h: what a bare-metal C guest may call (implemented by guests/common/crt.S and hv.c).
 * The devices are those of QEMU's `virt` machine, which HV reproduces:
 *   UART 16550 at 0x10000000 (transmit holding register at offset 0, LSR at offset 5),
 *   SiFive test finisher ("syscon") at 0x100000 (see test.h).
 */
#ifndef HV_GUEST_H
#define HV_GUEST_H

#include <stdint.h>

/* End the program: 0 passes, 1..255 fails with that status. Never returns. */
void hv_exit(long code) __attribute__((noreturn));

/* Console output on the UART (polled; never blocks on HV or QEMU). */
void hv_putchar(int c);
void hv_puts(const char *s);          /* no newline added */
void hv_put_hex(uint64_t v);          /* 16 hex digits */
void hv_put_dec(uint64_t v);

/* Counters: rdcycle / rdinstret / rdtime (Zicntr) from M-mode. */
static inline uint64_t hv_rdinstret(void) { uint64_t v; __asm__ volatile("rdinstret %0" : "=r"(v)); return v; }
static inline uint64_t hv_rdcycle(void)   { uint64_t v; __asm__ volatile("rdcycle %0" : "=r"(v)); return v; }

#endif
