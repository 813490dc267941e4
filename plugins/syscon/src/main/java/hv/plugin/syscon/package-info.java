/**
 * The SiFive test finisher as QEMU {@code virt} has it at 0x100000: a guest write of 0x5555
 * powers off, 0x7777 reboots, 0x3333 (with an exit code in the upper 16 bits) powers off with
 * that code. Linux reaches it through syscon-poweroff/syscon-reboot; OpenSBI drives it directly.
 *
 * <p>May touch: hv.api only. Must never come in: anything of HV's core.
 */
package hv.plugin.syscon;
