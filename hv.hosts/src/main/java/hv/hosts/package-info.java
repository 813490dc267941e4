/**
 * The host side of a VM: machine assembly (RAM and the physical map, harts, PLIC, CLINT, device
 * instances from plugins in their QEMU-virt places, the device tree), the VM lifecycle, and the
 * glue the devices and the SBI need (device contexts, the SBI platform, HTIF polling).
 * Sub-packages: {@code boot} (images and their placement), {@code sbi} (the built-in SBI),
 * {@code vcpu} (vCPU threads), {@code snapshot} (snapshot files and live migration, on the
 * machine's pause/resume and state components), {@code control} (the JSON control socket).
 * This package never sees the last two: they build on it.
 *
 * <p>May touch: every core module; plugins only through hv.api and the plugin catalog.
 * Must never come in: Netty, plugin classes by name, System.out/err (the launcher prints).
 */
package hv.hosts;
