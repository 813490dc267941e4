/**
 * The Android "goldfish" RTC as QEMU {@code virt} places it (0x101000, PLIC source 11): time in
 * nanoseconds since the Unix epoch from the host's wall clock plus a guest-set offset, and one
 * alarm that raises the interrupt. Register semantics follow QEMU's hw/rtc/goldfish_rtc.c and
 * Linux's drivers/rtc/rtc-goldfish.c (the driver's reads and writes are the contract).
 *
 * <p>May touch: hv.api only. Must never come in: anything of HV's core.
 */
package hv.plugin.goldfish.rtc;
