/**
 * Machine assembly: guest RAM and the physical map, harts, the PLIC and CLINT, device instances
 * from plugins in their QEMU-virt places, the device tree, and the glue the devices and the SBI
 * need (device contexts, the SBI platform, HTIF polling).
 *
 * <p>May touch: every core module; plugins only through hv.api and the plugin catalog.
 * Must never come in: Netty, plugin classes by name.
 */
package hv.hosts.machine;
