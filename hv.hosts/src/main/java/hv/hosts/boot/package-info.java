/**
 * Boot: validating kernel, initrd and firmware images, and placing them (with the device tree) in
 * guest RAM so that nothing overlaps whatever the sizes.
 *
 * <p>May touch: hv.memory (to write RAM), hv.cpu.elf. Must never come in: devices, threads.
 */
package hv.hosts.boot;
